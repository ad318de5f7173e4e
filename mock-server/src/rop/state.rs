//! The mock ROP's state and its `RopHandler` (R1–R5).

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rop_api::{
    CallId, CallReady, CallReadyQuery, CallUpload, ChecklistResult, HandlerError, Manager, Office,
    RopHandler, TableResult, WebhookSender,
};
use serde::Serialize;
use serde_json::Value;
use url::Url;

use super::analysis::Analysis;
use crate::config::Config;
use crate::journal::lock;

/// Calls kept; the oldest finished ones are forgotten first.
const MAX_CALLS: usize = 10_000;
/// Bytes fetched by the upload-time probe of `audio_url`.
pub(crate) const PROBE_BYTES: usize = 8192;

/// Where a call is in the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Stage {
    Queued,
    Downloading,
    Analysing,
    Ready,
    Failed,
}

/// One webhook delivery, as the admin API shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Delivery {
    pub(crate) kind: &'static str,
    pub(crate) id: String,
    pub(crate) url: String,
    pub(crate) delivered: bool,
    pub(crate) attempts: u32,
    pub(crate) status: Option<u16>,
    pub(crate) error: Option<String>,
}

/// What the audio turned out to be.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AudioSummary {
    pub(crate) format: String,
    pub(crate) duration_secs: f64,
    pub(crate) bytes: u64,
}

/// One uploaded call.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CallRecord {
    pub(crate) call: CallUpload,
    pub(crate) received: DateTime<Utc>,
    pub(crate) stage: Stage,
    /// Why the call failed after its 200 (download, format, size, duration).
    pub(crate) reason: Option<String>,
    pub(crate) audio: Option<AudioSummary>,
    pub(crate) transcript_source: Option<String>,
    pub(crate) checklists: Vec<ChecklistResult>,
    pub(crate) tables: BTreeMap<String, TableResult>,
    pub(crate) deliveries: Vec<Delivery>,
}

/// All of the mock ROP's data.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct RopState {
    pub(crate) offices: BTreeMap<String, Office>,
    pub(crate) managers: BTreeMap<String, Manager>,
    pub(crate) calls: BTreeMap<String, CallRecord>,
    /// Arrival order of `calls`, for eviction.
    #[serde(skip)]
    pub(crate) order: std::collections::VecDeque<String>,
    /// Registered transcripts by call id or audio URL (as posted).
    pub(crate) transcripts: BTreeMap<String, Value>,
}

impl RopState {
    fn insert_call(&mut self, record: CallRecord) {
        let id = record.call.call_id.as_str().to_owned();
        if self.calls.insert(id.clone(), record).is_none() {
            self.order.push_back(id);
        }
        while self.calls.len() > MAX_CALLS {
            match self.order.pop_front() {
                Some(old) => {
                    self.calls.remove(&old);
                }
                None => break,
            }
        }
    }
}

/// Shared by the handler, the admin API and the background pipeline.
pub(crate) struct RopShared {
    pub(crate) config: Arc<Config>,
    pub(crate) runtime: tokio::runtime::Handle,
    pub(crate) http: reqwest::Client,
    /// Which non-public hosts `audio_url` may name (`rop.audio_url_allow`).
    pub(crate) audio_targets: super::audio_targets::AudioTargets,
    pub(crate) sender: WebhookSender,
    pub(crate) analysis: Analysis,
    pub(crate) state: Mutex<RopState>,
    pub(crate) own_addr: OnceLock<SocketAddr>,
    pub(crate) checklist_url: String,
    pub(crate) table_url: String,
    /// W1/W2 destinations overriding the checklists' own (`PUT /__admin/config` changes them).
    pub(crate) webhooks: Mutex<crate::targets::WebhookTargets>,
}

impl RopShared {
    /// Whether `url` names this very service (which serves no audio): answered without a fetch,
    /// so the probe can never wait on the thread that is waiting for it.
    pub(crate) fn points_at_self(&self, url: &Url) -> bool {
        let Some(own) = self.own_addr.get() else {
            return false;
        };
        if url.port_or_known_default() != Some(own.port()) {
            return false;
        }
        match url.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => same_host(IpAddr::V4(ip), own.ip()),
            Some(url::Host::Ipv6(ip)) => same_host(IpAddr::V6(ip), own.ip()),
            None => false,
        }
    }

    /// Fetches the first bytes of `url` on the runtime and waits for them (bounded by the
    /// probe timeout).
    async fn probe(&self, url: &Url) -> Result<Vec<u8>, HandlerError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if super::audio_targets::refuses_literal(&self.audio_targets, url) {
            tracing::debug!("mock ROP: audio_url host refused by rop.audio_url_allow");
            return Err(unreachable_audio());
        }
        let http = self.http.clone();
        let target = url.clone();
        let timeout = Duration::from_millis(self.config.rop.probe_timeout_ms.max(1));
        self.runtime.spawn(async move {
            let answer = match tokio::time::timeout(timeout, fetch_head(&http, target)).await {
                Ok(r) => r,
                Err(_) => Err(format!("no answer within {} ms", timeout.as_millis())),
            };
            let _ = tx.send(answer);
        });
        match rx.await {
            Ok(Ok(bytes)) => Ok(bytes),
            Ok(Err(problem)) => {
                // The detail (refused, closed port, HTTP status, timeout) goes to the log only:
                // the answer must not let a caller map hosts and ports.
                tracing::debug!(%problem, "mock ROP: audio_url probe failed");
                Err(unreachable_audio())
            }
            Err(_) => Err(HandlerError::internal("probe task dropped")),
        }
    }

    /// Marks a call failed with a reason (visible in the admin API).
    pub(crate) fn fail(&self, call_id: &str, reason: String) {
        tracing::warn!(call_id, %reason, "mock ROP: call failed after upload");
        if let Some(r) = lock(&self.state).calls.get_mut(call_id) {
            r.stage = Stage::Failed;
            r.reason = Some(reason);
        }
    }

    pub(crate) fn set_stage(&self, call_id: &str, stage: Stage) {
        if let Some(r) = lock(&self.state).calls.get_mut(call_id) {
            r.stage = stage;
        }
    }
}

/// The one answer for every failed probe, whatever the cause.
fn unreachable_audio() -> HandlerError {
    HandlerError::invalid(
        "audio_url",
        "не удалось получить файл: no audio could be fetched from this URL",
    )
}

fn same_host(ip: IpAddr, own: IpAddr) -> bool {
    ip == own || (ip.is_loopback() && (own.is_loopback() || own.is_unspecified()))
}

/// GET with a `Range` header; reads at most [`PROBE_BYTES`].
async fn fetch_head(http: &reqwest::Client, url: Url) -> Result<Vec<u8>, String> {
    let mut resp = http
        .get(url)
        .header(http::header::RANGE, format!("bytes=0-{}", PROBE_BYTES - 1))
        .send()
        .await
        .map_err(|e| e.without_url().to_string())?;
    if !resp.status().is_success() {
        return Err(format!("HTTP {}", resp.status().as_u16()));
    }
    let mut head = Vec::with_capacity(PROBE_BYTES);
    while head.len() < PROBE_BYTES {
        match resp
            .chunk()
            .await
            .map_err(|e| e.without_url().to_string())?
        {
            Some(chunk) => head.extend_from_slice(&chunk),
            None => break,
        }
    }
    head.truncate(PROBE_BYTES);
    Ok(head)
}

/// The `RopHandler` over [`RopShared`].
pub(crate) struct MockRop(pub(crate) Arc<RopShared>);

#[async_trait::async_trait]
impl RopHandler for MockRop {
    async fn upload_call(&self, call: CallUpload) -> Result<CallId, HandlerError> {
        let s = &self.0;
        let id = call.call_id.as_str().to_owned();
        let known = |st: &RopState| st.calls.get(&id).is_some_and(|r| r.stage != Stage::Failed);
        if known(&lock(&s.state)) {
            return Err(rop_api::duplicate_call());
        }
        if s.points_at_self(&call.audio_url) {
            return Err(rop_api::not_audio());
        }
        let head = s.probe(&call.audio_url).await?;
        if rop_api::audio::detect_format(&head).is_none() {
            return Err(rop_api::not_audio());
        }
        {
            let mut st = lock(&s.state);
            if known(&st) {
                return Err(rop_api::duplicate_call());
            }
            st.insert_call(CallRecord {
                call: call.clone(),
                received: Utc::now(),
                stage: Stage::Queued,
                reason: None,
                audio: None,
                transcript_source: None,
                checklists: Vec::new(),
                tables: BTreeMap::new(),
                deliveries: Vec::new(),
            });
        }
        let call_id = call.call_id.clone();
        s.runtime
            .spawn(super::pipeline::process(Arc::clone(s), call));
        Ok(call_id)
    }

    async fn update_offices(&self, offices: Vec<Office>) -> Result<u64, HandlerError> {
        let n = offices.len() as u64;
        let mut st = lock(&self.0.state);
        for o in offices {
            st.offices.insert(o.office_id.as_str().to_owned(), o);
        }
        Ok(n)
    }

    async fn update_managers(&self, managers: Vec<Manager>) -> Result<u64, HandlerError> {
        let n = managers.len() as u64;
        let mut st = lock(&self.0.state);
        for m in managers {
            st.managers.insert(m.manager_id.as_str().to_owned(), m);
        }
        Ok(n)
    }

    async fn call_ready(&self, q: CallReadyQuery) -> Result<CallReady, HandlerError> {
        let known_table = self
            .0
            .analysis
            .tables
            .iter()
            .any(|t| t.table().id.as_str() == q.tab.as_str());
        if !known_table {
            return Err(HandlerError::not_found(format!(
                "Таблица {} не найдена",
                q.tab
            )));
        }
        let st = lock(&self.0.state);
        let Some(call) = st.calls.get(q.call.as_str()) else {
            return Err(HandlerError::not_found(format!(
                "Звонок {} не найден",
                q.call
            )));
        };
        Ok(match call.tables.get(q.tab.as_str()) {
            Some(t) if call.stage == Stage::Ready => CallReady::Ready(t.extracted_data.clone()),
            _ => CallReady::NotReady,
        })
    }
}
