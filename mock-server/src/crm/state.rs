//! The mock CRM's in-memory data and its Universe handler (U1–U7).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use universe_api::{
    CallAdded, CallRequest, ClientsPage, Customer, ExportClientsQuery, ExportOrdersQuery, Field,
    HandlerError, LeadCreated, LeadRequest, Manager, MessageAdded, MessageRequest, Order, OrderId,
    OrdersPage, Scheme, Status, StatusId, TaskAdded, TaskRequest, UniverseHandler,
};

use crate::journal::lock;

/// The seeded part of the CRM: what `POST /__admin/seed` loads (merged by id).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct CrmSeed {
    pub(crate) statuses: Vec<Status>,
    pub(crate) fields: Vec<Field>,
    pub(crate) managers: Vec<Manager>,
    pub(crate) clients: Vec<Customer>,
    pub(crate) orders: Vec<Order>,
    /// Manager id → PBX login (how the CRM maps a PBX `user` to its manager and back).
    pub(crate) pbx_logins: BTreeMap<String, String>,
}

/// The built-in seed: the Universe protocol document's statuses, fields, managers, clients and
/// deals.
pub(crate) const DEFAULT_SEED: &str = include_str!("../../data/crm_seed.json");

/// One stored U5–U7 record with the id the CRM gave it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Stored<T> {
    pub(crate) id: String,
    pub(crate) received: DateTime<Utc>,
    /// The request as received.
    #[serde(rename = "request")]
    pub(crate) item: T,
}

/// Everything the mock CRM holds.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct CrmData {
    #[serde(flatten)]
    pub(crate) seed: CrmSeed,
    /// When each deal last changed (creation, message, task, call).
    pub(crate) changed: BTreeMap<String, DateTime<Utc>>,
    pub(crate) leads: Vec<Stored<LeadRequest>>,
    pub(crate) messages: Vec<Stored<MessageRequest>>,
    pub(crate) tasks: Vec<Stored<TaskRequest>>,
    pub(crate) calls: Vec<Stored<CallRequest>>,
    pub(crate) next_id: u64,
}

impl CrmData {
    pub(crate) fn seeded(seed: CrmSeed) -> Self {
        let mut data = Self {
            next_id: 803,
            ..Self::default()
        };
        data.merge(seed);
        data
    }

    /// Upserts every item of `seed` by id.
    pub(crate) fn merge(&mut self, seed: CrmSeed) {
        upsert(&mut self.seed.statuses, seed.statuses, |s| {
            s.id.as_str().to_owned()
        });
        upsert(&mut self.seed.fields, seed.fields, |s| {
            s.id.as_str().to_owned()
        });
        upsert(&mut self.seed.managers, seed.managers, |s| {
            s.id.as_str().to_owned()
        });
        upsert(&mut self.seed.clients, seed.clients, |s| {
            s.id.as_str().to_owned()
        });
        self.seed.pbx_logins.extend(seed.pbx_logins);
        for o in &seed.orders {
            self.changed.insert(o.id.as_str().to_owned(), o.date_create);
        }
        upsert(&mut self.seed.orders, seed.orders, |s| {
            s.id.as_str().to_owned()
        });
    }

    fn next(&mut self) -> String {
        let id = self.next_id;
        self.next_id += 1;
        id.to_string()
    }

    fn scheme(&self) -> Scheme {
        Scheme {
            statuses: self.seed.statuses.clone(),
            fields: self.seed.fields.clone(),
            managers: self.seed.managers.clone(),
        }
    }

    fn has_order(&self, id: &OrderId) -> bool {
        self.seed.orders.iter().any(|o| o.id == *id)
    }

    fn touch(&mut self, id: &OrderId) {
        self.changed.insert(id.as_str().to_owned(), Utc::now());
    }
}

/// Stored U4–U7 records kept per list (the oldest are forgotten first).
const MAX_STORED: usize = 10_000;

/// Makes room for one more record.
fn keep_last<T>(list: &mut Vec<T>) {
    if list.len() >= MAX_STORED {
        let excess = list.len() + 1 - MAX_STORED;
        list.drain(..excess);
    }
}

fn upsert<T>(into: &mut Vec<T>, items: Vec<T>, key: impl Fn(&T) -> String) {
    for item in items {
        let k = key(&item);
        match into.iter_mut().find(|x| key(x) == k) {
            Some(slot) => *slot = item,
            None => into.push(item),
        }
    }
}

/// The Universe handler over the shared data.
#[derive(Debug, Clone)]
pub(crate) struct CrmHandler {
    pub(crate) data: Arc<Mutex<CrmData>>,
}

fn page<T: Clone>(items: &[T], offset: u64, limit: u64) -> Vec<T> {
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    items.iter().skip(start).take(limit).cloned().collect()
}

#[async_trait::async_trait]
impl UniverseHandler for CrmHandler {
    async fn import_scheme(&self) -> Result<Scheme, HandlerError> {
        Ok(lock(&self.data).scheme())
    }

    async fn export_clients(&self, q: ExportClientsQuery) -> Result<ClientsPage, HandlerError> {
        let data = lock(&self.data);
        let clients = &data.seed.clients;
        Ok(ClientsPage::new(
            page(clients, q.offset, q.limit),
            clients.len() as u64,
        ))
    }

    async fn export_orders(&self, q: ExportOrdersQuery) -> Result<OrdersPage, HandlerError> {
        let data = lock(&self.data);
        let selected: Vec<Order> = data
            .seed
            .orders
            .iter()
            .filter(|o| {
                q.since.is_none_or(|since| {
                    let changed = data
                        .changed
                        .get(o.id.as_str())
                        .copied()
                        .unwrap_or(o.date_create);
                    o.date_create >= since || changed >= since
                })
            })
            .cloned()
            .collect();
        let total = selected.len() as u64;
        Ok(OrdersPage::new(
            data.scheme(),
            page(&selected, q.offset, q.limit),
            total,
        ))
    }

    async fn create_lead(&self, lead: LeadRequest) -> Result<LeadCreated, HandlerError> {
        let mut data = lock(&self.data);
        if let Some(m) = &lead.manager_id
            && !data
                .seed
                .managers
                .iter()
                .any(|x| x.id.as_str() == m.as_str())
        {
            return Err(HandlerError::invalid("manager_id", "no such manager"));
        }
        let client_id = match (&lead.phone, &lead.name, &lead.email) {
            (None, None, None) => None,
            (phone, name, email) => {
                let existing = phone.as_ref().and_then(|p| {
                    data.seed
                        .clients
                        .iter()
                        .find(|c| c.phone.as_deref() == Some(p.as_str()))
                });
                match existing {
                    Some(c) => Some(c.id.clone()),
                    None => {
                        let id = data.next();
                        let client = Customer {
                            id: id.as_str().into(),
                            name: name.clone().unwrap_or_default(),
                            phone: phone.clone(),
                            email: email.clone(),
                        };
                        data.seed.clients.push(client);
                        Some(id.as_str().into())
                    }
                }
            }
        };
        let id = data.next();
        let order = Order {
            id: id.as_str().into(),
            name: lead.title.clone(),
            date_create: lead.created_date.unwrap_or_else(Utc::now),
            status: data
                .seed
                .statuses
                .first()
                .map(|s| s.id.clone())
                .or(Some(StatusId::new("1"))),
            visit: lead.visit.clone(),
            client_id,
            manager_id: lead.manager_id.as_ref().map(|m| m.as_str().into()),
            fields: BTreeMap::new(),
            ..Order::default()
        };
        data.changed.insert(id.clone(), Utc::now());
        data.seed.orders.push(order);
        keep_last(&mut data.leads);
        data.leads.push(Stored {
            id: id.clone(),
            received: Utc::now(),
            item: lead,
        });
        Ok(LeadCreated::new(id.as_str()))
    }

    async fn add_message(&self, message: MessageRequest) -> Result<MessageAdded, HandlerError> {
        let mut data = lock(&self.data);
        if !data.has_order(&message.lead_id) {
            return Err(HandlerError::invalid("leadId", "no such deal"));
        }
        let id = data.next();
        data.touch(&message.lead_id.clone());
        keep_last(&mut data.messages);
        data.messages.push(Stored {
            id: id.clone(),
            received: Utc::now(),
            item: message,
        });
        Ok(MessageAdded::new(id.as_str()))
    }

    async fn add_task(&self, task: TaskRequest) -> Result<TaskAdded, HandlerError> {
        let mut data = lock(&self.data);
        if !data.has_order(&task.element_id) {
            return Err(HandlerError::invalid("element_id", "no such deal"));
        }
        let id = data.next();
        data.touch(&task.element_id.clone());
        keep_last(&mut data.tasks);
        data.tasks.push(Stored {
            id: id.clone(),
            received: Utc::now(),
            item: task,
        });
        Ok(TaskAdded::new(id.as_str()))
    }

    async fn add_call(&self, call: CallRequest) -> Result<CallAdded, HandlerError> {
        let mut data = lock(&self.data);
        if let Some(order) = &call.order_id {
            if !data.has_order(order) {
                return Err(HandlerError::invalid("order_id", "no such deal"));
            }
            data.touch(&order.clone());
        }
        let id = data.next();
        keep_last(&mut data.calls);
        data.calls.push(Stored {
            id: id.clone(),
            received: Utc::now(),
            item: call,
        });
        Ok(CallAdded::new(id.as_str()))
    }
}
