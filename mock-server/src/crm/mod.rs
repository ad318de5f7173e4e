//! The mock CRM: Universe U1–U7 (`GET /analytics`) and the webhook sinks under `/hooks/`.

mod sinks;
mod state;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use universe_api::{Dispatcher, PageLimits, ServerAuth};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::host::{MockService, admin_error, run_sync};
use crate::journal::lock;
use crate::servers::SinkPaths;

use state::{CrmData, CrmHandler, CrmSeed, DEFAULT_SEED};

/// The mock CRM service.
pub(crate) struct CrmService {
    data: Arc<Mutex<CrmData>>,
    seed: CrmSeed,
    universe: Dispatcher<CrmHandler>,
    sinks: sinks::Sinks,
}

impl CrmService {
    pub(crate) fn new(config: Arc<Config>) -> Result<Arc<Self>> {
        let seed: CrmSeed = serde_json::from_str(DEFAULT_SEED).map_err(|e| Error::Data {
            what: "built-in CRM seed".into(),
            message: e.to_string(),
        })?;
        let data = Arc::new(Mutex::new(CrmData::seeded(seed.clone())));
        let handler = CrmHandler {
            data: Arc::clone(&data),
        };
        let auth = ServerAuth::basic(
            config.crm.login.clone(),
            config.crm.password.expose_secret().to_owned(),
        )
        .with_token_auth(config.crm.query_auth);
        let page = u64::from(config.crm.default_page_size.max(1));
        let universe = Dispatcher::new(handler, auth).with_page_limits(PageLimits {
            default_limit: page,
            max_limit: page.max(1000),
        });
        let sinks = sinks::Sinks::new(&config, Arc::clone(&data));
        Ok(Arc::new(Self {
            data,
            seed,
            universe,
            sinks,
        }))
    }
}

impl MockService for CrmService {
    fn routes(&self) -> &'static [crate::near_miss::Route] {
        crate::near_miss::CRM
    }

    fn name(&self) -> &'static str {
        "crm"
    }

    fn handle(&self, req: Request<Bytes>) -> Response<Bytes> {
        let path = req.uri().path();
        if path.starts_with("/hooks/") {
            return self.sinks.handle(req);
        }
        if path.trim_end_matches('/').ends_with("/analytics") {
            return run_sync(self.universe.dispatch(req));
        }
        http_plumbing::json_response(
            StatusCode::NOT_FOUND,
            &json!({"status": "error", "message": format!(
                "unknown path {path}: Universe is GET /analytics; sinks are {}, {}, {}, {}",
                SinkPaths::ROP_CHECKLIST, SinkPaths::ROP_TABLE, SinkPaths::VATS_V1, SinkPaths::VATS_LEGACY
            )}),
        )
    }

    fn admin(&self, sub: &str, req: &Request<Bytes>) -> Option<Response<Bytes>> {
        match (req.method(), sub) {
            (&Method::GET, "sinks") => Some(http_plumbing::json_response(
                StatusCode::OK,
                &self.sinks.store().snapshot(),
            )),
            (&Method::DELETE, "sinks") => {
                self.sinks.store().clear();
                Some(http_plumbing::json_response(
                    StatusCode::OK,
                    &json!({"status": "ok"}),
                ))
            }
            (_, "sinks") => Some(admin_error(StatusCode::METHOD_NOT_ALLOWED, "GET or DELETE")),
            (&Method::GET, "leads" | "messages" | "tasks" | "calls") => {
                let data = lock(&self.data);
                let items = match sub {
                    "leads" => serde_json::to_value(&data.leads),
                    "messages" => serde_json::to_value(&data.messages),
                    "tasks" => serde_json::to_value(&data.tasks),
                    _ => serde_json::to_value(&data.calls),
                };
                Some(http_plumbing::json_response(
                    StatusCode::OK,
                    &json!({"items": items.unwrap_or(Value::Null)}),
                ))
            }
            _ => None,
        }
    }

    fn state(&self) -> Value {
        let data = lock(&self.data).clone();
        json!({"crm": data, "sinks": self.sinks.store().snapshot()})
    }

    fn reset(&self) {
        *lock(&self.data) = CrmData::seeded(self.seed.clone());
        self.sinks.store().clear();
    }

    fn seed(&self, data: Value) -> std::result::Result<Value, String> {
        let seed: CrmSeed = serde_path_to_error::deserialize(data)
            .map_err(|e| format!("{}: {}", e.path(), e.inner()))?;
        let counts = json!({
            "statuses": seed.statuses.len(), "fields": seed.fields.len(),
            "managers": seed.managers.len(), "clients": seed.clients.len(), "orders": seed.orders.len(),
        });
        lock(&self.data).merge(seed);
        Ok(json!({"status": "ok", "loaded": counts}))
    }
}
