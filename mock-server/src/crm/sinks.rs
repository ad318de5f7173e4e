//! The mock CRM's webhook sinks: ROP W1/W2 and PBX pushes (v1 V1–V4, legacy L4–L7).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use http::{Request, Response, StatusCode};
use serde::Serialize;
use serde_json::{Value, json};

use vats_api::HandlerError;

use super::state::CrmData;
use crate::config::Config;
use crate::host::run_sync;
use crate::journal::lock;
use crate::servers::SinkPaths;

/// Received items kept per kind (oldest dropped first).
const SINK_CAPACITY: usize = 10_000;

/// One received webhook or push.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Received {
    pub(crate) received: DateTime<Utc>,
    /// `history`, `event`, `contact`, `rating`, `users`, `checklist`, `table`.
    pub(crate) kind: String,
    /// Deduplication key (W1: call id and checklist name; W2: call id and table id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) key: Option<String>,
    /// How many times this item arrived.
    pub(crate) deliveries: u32,
    pub(crate) payload: Value,
}

/// What the sinks received, shown by `GET /__admin/sinks`.
#[derive(Debug, Default)]
pub(crate) struct SinkStore {
    inner: Mutex<SinkLists>,
}

#[derive(Debug, Default, Clone, Serialize)]
struct SinkLists {
    checklists: VecDeque<Received>,
    tables: VecDeque<Received>,
    vats_v1: VecDeque<Received>,
    vats_legacy: VecDeque<Received>,
}

/// Which list an item goes to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Sink {
    Checklist,
    Table,
    VatsV1,
    VatsLegacy,
}

impl SinkStore {
    pub(crate) fn push(&self, sink: Sink, kind: &str, payload: Value) {
        let mut lists = lock(&self.inner);
        let list = match sink {
            Sink::Checklist => &mut lists.checklists,
            Sink::Table => &mut lists.tables,
            Sink::VatsV1 => &mut lists.vats_v1,
            Sink::VatsLegacy => &mut lists.vats_legacy,
        };
        if list.len() >= SINK_CAPACITY {
            list.pop_front();
        }
        list.push_back(Received {
            received: Utc::now(),
            kind: kind.to_owned(),
            key: None,
            deliveries: 1,
            payload,
        });
    }

    /// Stores an item, replacing an earlier one with the same key (counting redeliveries).
    pub(crate) fn upsert(&self, sink: Sink, kind: &str, key: &str, payload: Value) {
        let mut lists = lock(&self.inner);
        let list = match sink {
            Sink::Checklist => &mut lists.checklists,
            Sink::Table => &mut lists.tables,
            Sink::VatsV1 => &mut lists.vats_v1,
            Sink::VatsLegacy => &mut lists.vats_legacy,
        };
        if let Some(old) = list.iter_mut().find(|r| r.key.as_deref() == Some(key)) {
            old.payload = payload;
            old.received = Utc::now();
            old.deliveries += 1;
            return;
        }
        if list.len() >= SINK_CAPACITY {
            list.pop_front();
        }
        list.push_back(Received {
            received: Utc::now(),
            kind: kind.to_owned(),
            key: Some(key.to_owned()),
            deliveries: 1,
            payload,
        });
    }

    pub(crate) fn snapshot(&self) -> Value {
        serde_json::to_value(&*lock(&self.inner)).unwrap_or(Value::Null)
    }

    pub(crate) fn clear(&self) {
        *lock(&self.inner) = SinkLists::default();
    }
}

/// Receives W1/W2 into the store; a redelivery of the same (call, checklist/table) replaces
/// the earlier copy (at-least-once delivery, deduplicated).
struct RopSink(Arc<SinkStore>);

#[async_trait::async_trait]
impl rop_api::WebhookHandler for RopSink {
    async fn on_checklist_result(
        &self,
        result: rop_api::ChecklistResult,
    ) -> Result<(), rop_api::HandlerError> {
        let key = format!(
            "{}|{}",
            result.call_id,
            result.checklist_name.as_deref().unwrap_or_default()
        );
        self.0
            .upsert(Sink::Checklist, "checklist", &key, to_value(&result));
        Ok(())
    }

    async fn on_table_result(
        &self,
        result: rop_api::TableResult,
    ) -> Result<(), rop_api::HandlerError> {
        let key = format!("{}|{}", result.call_id, result.table_id);
        self.0.upsert(Sink::Table, "table", &key, to_value(&result));
        Ok(())
    }
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Receives PBX pushes (both generations) into the store and answers `contact` / `users`
/// from the CRM's clients, deals and managers.
struct VatsSink {
    store: Arc<SinkStore>,
    data: Arc<Mutex<CrmData>>,
}

impl VatsSink {
    /// The client whose phone matches (last 10 digits), its name and the PBX login of the
    /// manager of its latest deal.
    /// Answers a `contact` push (v1 or legacy) and records it in `sink`.
    fn answer_contact<R: serde::Serialize>(
        &self,
        sink: Sink,
        phone: &str,
        request: &R,
    ) -> Option<vats_api::v1::push::ContactAnswer> {
        let answer = self.contact(phone);
        self.store.push(
            sink,
            "contact",
            json!({"request": to_value(request), "answer": to_value(&answer)}),
        );
        answer
    }

    fn contact(&self, phone: &str) -> Option<vats_api::v1::push::ContactAnswer> {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        let tail = digits
            .get(digits.len().saturating_sub(10)..)
            .unwrap_or_default();
        if tail.len() < 10 {
            return None;
        }
        let data = lock(&self.data);
        let client = data.seed.clients.iter().find(|c| {
            c.phone.as_deref().is_some_and(|p| {
                let d: String = p.chars().filter(char::is_ascii_digit).collect();
                d.ends_with(tail)
            })
        })?;
        let manager = data
            .seed
            .orders
            .iter()
            .rev()
            .find(|o| o.client_id.as_ref() == Some(&client.id))
            .and_then(|o| o.manager_id.as_ref())
            .map(|m| {
                data.seed
                    .pbx_logins
                    .get(m.as_str())
                    .cloned()
                    .unwrap_or_else(|| m.as_str().to_owned())
            });
        Some(vats_api::v1::push::ContactAnswer {
            contact_name: Some(client.name.clone()),
            responsible: manager,
        })
    }
}

#[async_trait::async_trait]
impl vats_api::v1::push::CrmHandler for VatsSink {
    async fn history(&self, push: vats_api::v1::push::HistoryPush) -> Result<(), HandlerError> {
        self.store.push(Sink::VatsV1, "history", to_value(&push));
        Ok(())
    }

    async fn event(&self, push: vats_api::v1::push::EventPush) -> Result<(), HandlerError> {
        self.store.push(Sink::VatsV1, "event", to_value(&push));
        Ok(())
    }

    async fn contact(
        &self,
        request: vats_api::v1::push::ContactRequest,
    ) -> Result<Option<vats_api::v1::push::ContactAnswer>, HandlerError> {
        Ok(self.answer_contact(Sink::VatsV1, request.phone.as_str(), &request))
    }

    async fn rating(&self, push: vats_api::v1::push::RatingPush) -> Result<(), HandlerError> {
        self.store.push(Sink::VatsV1, "rating", to_value(&push));
        Ok(())
    }
}

#[async_trait::async_trait]
impl vats_api::legacy::LegacyCrmHandler for VatsSink {
    async fn users(&self) -> Result<Vec<vats_api::legacy::CrmUser>, HandlerError> {
        let data = lock(&self.data);
        let users = data
            .seed
            .managers
            .iter()
            .map(|m| vats_api::legacy::CrmUser {
                id: data
                    .seed
                    .pbx_logins
                    .get(m.id.as_str())
                    .cloned()
                    .unwrap_or_else(|| m.id.as_str().to_owned()),
                name: Some(m.name.clone()),
            })
            .collect();
        drop(data);
        self.store.push(Sink::VatsLegacy, "users", Value::Null);
        Ok(users)
    }

    async fn contact(
        &self,
        request: vats_api::legacy::ContactRequest,
    ) -> Result<Option<vats_api::legacy::ContactAnswer>, HandlerError> {
        Ok(self.answer_contact(Sink::VatsLegacy, request.phone.as_str(), &request))
    }

    async fn event(&self, push: vats_api::legacy::EventPush) -> Result<(), HandlerError> {
        self.store.push(Sink::VatsLegacy, "event", to_value(&push));
        Ok(())
    }

    async fn history(&self, push: vats_api::legacy::HistoryPush) -> Result<(), HandlerError> {
        self.store
            .push(Sink::VatsLegacy, "history", to_value(&push));
        Ok(())
    }
}

/// The sink endpoints.
pub(crate) struct Sinks {
    store: Arc<SinkStore>,
    rop: rop_api::WebhookDispatcher<RopSink>,
    vats_v1: vats_api::v1::push::CrmDispatcher<VatsSink>,
    vats_legacy: vats_api::legacy::LegacyCrmDispatcher<VatsSink>,
}

impl Sinks {
    pub(crate) fn new(config: &Config, data: Arc<Mutex<CrmData>>) -> Self {
        let store = Arc::new(SinkStore::default());
        let rop = rop_api::WebhookDispatcher::new(RopSink(Arc::clone(&store)))
            .with_checklist_path(SinkPaths::ROP_CHECKLIST)
            .with_table_path(SinkPaths::ROP_TABLE);
        let vats = Arc::new(VatsSink {
            store: Arc::clone(&store),
            data,
        });
        let token = config.crm.crm_token.clone();
        let vats_v1 = vats_api::v1::push::CrmDispatcher::new(Arc::clone(&vats), token.clone());
        let vats_legacy = vats_api::legacy::LegacyCrmDispatcher::new(vats, token);
        Self {
            store,
            rop,
            vats_v1,
            vats_legacy,
        }
    }

    pub(crate) fn store(&self) -> &SinkStore {
        &self.store
    }

    pub(crate) fn handle(&self, req: Request<Bytes>) -> Response<Bytes> {
        let path = req.uri().path().trim_end_matches('/');
        match path {
            SinkPaths::ROP_CHECKLIST | SinkPaths::ROP_TABLE => run_sync(self.rop.dispatch(req)),
            SinkPaths::VATS_V1 => run_sync(self.vats_v1.dispatch(req)),
            SinkPaths::VATS_LEGACY => run_sync(self.vats_legacy.dispatch(req)),
            _ => http_plumbing::json_response(
                StatusCode::NOT_FOUND,
                &json!({"error": format!("unknown sink {path}")}),
            ),
        }
    }
}
