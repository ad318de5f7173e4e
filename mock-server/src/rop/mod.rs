//! The mock «Цифровой РОП»: R1–R5 over the `rop-api` dispatcher, the analysis pipeline, and the
//! admin routes `transcripts` and `calls`.

mod analysis;
mod audio_targets;
mod pipeline;
mod state;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_plumbing::{RetryPolicy, json_response};
use rop_api::{Dispatcher, RateLimit, WebhookSender};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::host::{MockService, admin_error, run_sync};
use crate::journal::lock;
use crate::targets::{self, WebhookTargets};
use state::{MockRop, RopShared, RopState};

/// The mock ROP service.
pub(crate) struct RopService {
    shared: Arc<RopShared>,
    dispatcher: Dispatcher<MockRop>,
}

impl RopService {
    pub(crate) fn new(
        config: Arc<Config>,
        runtime: tokio::runtime::Handle,
        checklist_url: String,
        table_url: String,
    ) -> Result<Arc<Self>> {
        let analysis = analysis::Analysis::load(&config.rop)?;
        let audio_targets = audio_targets::AudioTargets::parse(&config.rop.audio_url_allow)
            .map_err(|message| Error::Data {
                what: "configuration".into(),
                message,
            })?;
        let http = reqwest::Client::builder()
            .redirect(audio_targets::redirects(audio_targets.clone()))
            .dns_resolver(audio_targets.clone().resolver())
            .connect_timeout(Duration::from_millis(config.rop.probe_timeout_ms.max(1)))
            .build()
            .map_err(|e| Error::Data {
                what: "HTTP client".into(),
                message: e.to_string(),
            })?;
        let retry = RetryPolicy::default()
            .with_max_retries(config.rop.webhook_retries)
            .with_initial_backoff(Duration::from_millis(100));
        let sender = WebhookSender::builder()
            .retry_policy(retry)
            .timeout(Duration::from_secs(10))
            .user_agent("mock-server-rop")
            .build()
            .map_err(|e| Error::Data {
                what: "webhook sender".into(),
                message: e.to_string(),
            })?;
        let shared = Arc::new(RopShared {
            config: Arc::clone(&config),
            runtime,
            http,
            audio_targets,
            sender,
            analysis,
            state: Mutex::new(RopState::default()),
            own_addr: OnceLock::new(),
            checklist_url,
            table_url,
            webhooks: Mutex::new(default_webhooks(&config)),
        });
        let mut dispatcher = Dispatcher::new(
            Arc::new(MockRop(Arc::clone(&shared))),
            config.rop.api_key.clone(),
        )
        .allow_keyless_call_ready(config.rop.ready_without_key);
        if config.rop.rate_limit_per_minute > 0 {
            dispatcher =
                dispatcher.with_rate_limit(RateLimit::per_minute(config.rop.rate_limit_per_minute));
        }
        Ok(Arc::new(Self { shared, dispatcher }))
    }

    /// The runtime-changeable webhook settings, as `GET /__admin/config` shows them (`null`:
    /// the checklist's/table's own `webhook_url`, else the mock CRM's sink).
    fn webhook_config(&self) -> Value {
        let w = lock(&self.shared.webhooks).clone();
        json!({
            "checklist_webhook_url": w.checklist.as_deref().map(targets::shown_url),
            "table_webhook_url": w.table.as_deref().map(targets::shown_url),
            "default_checklist_webhook_url": targets::shown_url(&self.shared.checklist_url),
            "default_table_webhook_url": targets::shown_url(&self.shared.table_url),
        })
    }

    /// Tells the service its bound address (for the `audio_url` self-reference guard).
    pub(crate) fn set_own_address(&self, addr: SocketAddr) {
        let _ = self.shared.own_addr.set(addr);
    }
}

/// The configured W1/W2 destinations, restored by `POST /__admin/reset`.
fn default_webhooks(config: &Config) -> WebhookTargets {
    WebhookTargets {
        checklist: config.rop.checklist_webhook_url.clone(),
        table: config.rop.table_webhook_url.clone(),
    }
}

/// `POST /__admin/transcripts`: a transcript for a call id or an audio URL.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TranscriptRegistration {
    call_id: Option<String>,
    audio_url: Option<String>,
    /// A docs/formats.md transcript (JSON object), or plain text with `Speaker: text` lines.
    transcript: Value,
}

impl MockService for RopService {
    fn routes(&self) -> &'static [crate::near_miss::Route] {
        crate::near_miss::ROP
    }

    fn name(&self) -> &'static str {
        "rop"
    }

    fn handle(&self, req: Request<Bytes>) -> Response<Bytes> {
        run_sync(self.dispatcher.dispatch(req))
    }

    fn admin(&self, sub: &str, req: &Request<Bytes>) -> Option<Response<Bytes>> {
        let st = &self.shared.state;
        Some(match (req.method(), sub) {
            (&Method::GET, "transcripts") => {
                json_response(StatusCode::OK, &json!({"items": lock(st).transcripts}))
            }
            (&Method::DELETE, "transcripts") => {
                lock(st).transcripts.clear();
                json_response(StatusCode::OK, &json!({"status": "ok"}))
            }
            (&Method::POST, "transcripts") => self.register_transcript(req.body()),
            (&Method::GET, "calls") => {
                // Oldest first, like every admin list.
                let st = lock(st);
                let calls: Vec<_> = st
                    .order
                    .iter()
                    .filter_map(|id| st.calls.get(id))
                    .cloned()
                    .collect();
                json_response(StatusCode::OK, &json!({"items": calls}))
            }
            (&Method::GET, s) if s.starts_with("calls/") => {
                let id = s.trim_start_matches("calls/");
                match lock(st).calls.get(id) {
                    Some(c) => json_response(StatusCode::OK, c),
                    None => admin_error(
                        StatusCode::NOT_FOUND,
                        &format!("call_id: unknown call {id}"),
                    ),
                }
            }
            _ => {
                return targets::route(
                    sub,
                    req,
                    |u| {
                        let default = default_webhooks(&self.shared.config);
                        targets::apply_rop(&self.shared.webhooks, &default, u)
                    },
                    || self.webhook_config(),
                );
            }
        })
    }

    fn state(&self) -> Value {
        let st = lock(&self.shared.state).clone();
        let checklists: Vec<_> = self
            .shared
            .analysis
            .checklists
            .iter()
            .map(|c| json!({"id": c.checklist().id, "name": c.checklist().name}))
            .collect();
        let tables: Vec<_> = self
            .shared
            .analysis
            .tables
            .iter()
            .map(|t| json!({"id": t.table().id, "name": t.table().name}))
            .collect();
        json!({"rop": st, "checklists": checklists, "tables": tables, "config": self.webhook_config()})
    }

    fn reset(&self) {
        *lock(&self.shared.state) = RopState::default();
        *lock(&self.shared.webhooks) = default_webhooks(&self.shared.config);
    }

    fn seed(&self, data: Value) -> std::result::Result<Value, String> {
        #[derive(Deserialize)]
        #[serde(default, deny_unknown_fields)]
        #[derive(Default)]
        struct Seed {
            offices: Vec<rop_api::Office>,
            managers: Vec<rop_api::Manager>,
            transcripts: std::collections::BTreeMap<String, Value>,
        }
        let seed: Seed = serde_path_to_error::deserialize(data)
            .map_err(|e| format!("{}: {}", e.path(), e.inner()))?;
        for (key, t) in &seed.transcripts {
            pipeline::parse_transcript(t.clone()).map_err(|e| format!("transcripts.{key}: {e}"))?;
        }
        let counts = json!({"offices": seed.offices.len(), "managers": seed.managers.len(), "transcripts": seed.transcripts.len()});
        let mut st = lock(&self.shared.state);
        for o in seed.offices {
            st.offices.insert(o.office_id.as_str().to_owned(), o);
        }
        for m in seed.managers {
            st.managers.insert(m.manager_id.as_str().to_owned(), m);
        }
        st.transcripts.extend(seed.transcripts);
        Ok(json!({"status": "ok", "loaded": counts}))
    }
}

impl RopService {
    fn register_transcript(&self, body: &[u8]) -> Response<Bytes> {
        let reg: TranscriptRegistration = match serde_json::from_slice(body) {
            Ok(r) => r,
            Err(e) => return admin_error(StatusCode::BAD_REQUEST, &format!("body: {e}")),
        };
        let key = match (reg.call_id, reg.audio_url) {
            (Some(id), None) if !id.is_empty() => id,
            (None, Some(url)) if !url.is_empty() => url,
            _ => {
                return admin_error(
                    StatusCode::BAD_REQUEST,
                    "call_id: give exactly one of call_id or audio_url",
                );
            }
        };
        if let Err(e) = pipeline::parse_transcript(reg.transcript.clone()) {
            return admin_error(StatusCode::BAD_REQUEST, &format!("transcript: {e}"));
        }
        lock(&self.shared.state)
            .transcripts
            .insert(key.clone(), reg.transcript);
        json_response(StatusCode::CREATED, &json!({"status": "ok", "key": key}))
    }
}
