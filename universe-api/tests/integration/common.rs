//! Shared helpers: fixtures, a recording in-memory CRM, request builders, wiremock catch-all.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use std::sync::Mutex;
use universe_api::{
    CallAdded, CallRequest, ClientsPage, Customer, Dispatcher, ExportClientsQuery,
    ExportOrdersQuery, HandlerError, LeadCreated, LeadRequest, MessageAdded, MessageRequest, Order,
    OrdersPage, Scheme, ServerAuth, TaskAdded, TaskRequest, UniverseHandler,
};
use wiremock::matchers::any;
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

pub const LOGIN: &str = "analytics";
pub const PASSWORD: &str = "pa55-TOPSECRET";

pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn json_fixture(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

pub fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

/// `Authorization: Basic base64(login:password)`, encoded by hand so the test does not reuse
/// the code under test.
pub fn basic(login: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{login}:{password}").into_bytes();
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    format!("Basic {out}")
}

/// A GET of `uri` with the right Basic credentials.
pub fn get(uri: &str) -> http::Request<Bytes> {
    http::Request::get(uri)
        .header(http::header::AUTHORIZATION, basic(LOGIN, PASSWORD))
        .body(Bytes::new())
        .unwrap()
}

pub fn body_json(resp: &http::Response<Bytes>) -> serde_json::Value {
    serde_json::from_slice(resp.body())
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(resp.body())))
}

/// What the CRM handler was called with.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    Clients(ExportClientsQuery),
    Orders(ExportOrdersQuery),
    Lead(LeadRequest),
    Message(MessageRequest),
    Task(TaskRequest),
    Call(CallRequest),
}

/// An in-memory CRM that records every call.
#[derive(Default)]
pub struct TestCrm {
    pub scheme: Scheme,
    pub clients: Vec<Customer>,
    pub orders: Vec<Order>,
    /// Answer every item regardless of `limit` (a sloppy handler the dispatcher must correct).
    pub ignore_limit: bool,
    /// Every deal id exists (otherwise only `803` and the seeded orders do).
    pub any_deal: bool,
    pub seen: Mutex<Vec<Seen>>,
}

impl TestCrm {
    pub fn from_fixtures() -> Self {
        let scheme: Scheme = serde_json::from_str(&fixture("import_scheme.json")).unwrap();
        let clients: ClientsPage = serde_json::from_str(&fixture("export_clients.json")).unwrap();
        let orders: OrdersPage = serde_json::from_str(&fixture("export.json")).unwrap();
        Self {
            scheme,
            clients: clients.clients,
            orders: orders.orders,
            ..Self::default()
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn record(&self, s: Seen) {
        self.seen.lock().unwrap().push(s);
    }

    fn slice<T: Clone>(&self, all: &[T], offset: u64, limit: u64) -> Vec<T> {
        let skip = offset as usize;
        let take = if self.ignore_limit {
            usize::MAX
        } else {
            limit as usize
        };
        all.iter().skip(skip).take(take).cloned().collect()
    }

    fn known(&self, id: &str) -> bool {
        self.any_deal || id == "803" || self.orders.iter().any(|o| o.id.as_str() == id)
    }
}

#[universe_api::async_trait]
impl UniverseHandler for TestCrm {
    async fn import_scheme(&self) -> Result<Scheme, HandlerError> {
        Ok(self.scheme.clone())
    }

    async fn export_clients(&self, q: ExportClientsQuery) -> Result<ClientsPage, HandlerError> {
        self.record(Seen::Clients(q));
        Ok(ClientsPage::new(
            self.slice(&self.clients, q.offset, q.limit),
            self.clients.len() as u64,
        ))
    }

    async fn export_orders(&self, q: ExportOrdersQuery) -> Result<OrdersPage, HandlerError> {
        self.record(Seen::Orders(q));
        let matching: Vec<Order> = self
            .orders
            .iter()
            .filter(|o| q.since.is_none_or(|t| o.date_create >= t))
            .cloned()
            .collect();
        let page = self.slice(&matching, q.offset, q.limit);
        Ok(OrdersPage::new(
            self.scheme.clone(),
            page,
            matching.len() as u64,
        ))
    }

    async fn create_lead(&self, lead: LeadRequest) -> Result<LeadCreated, HandlerError> {
        if lead.title == "boom" {
            return Err(HandlerError::internal(
                "database is on fire: password=TOPSECRET",
            ));
        }
        self.record(Seen::Lead(lead));
        Ok(LeadCreated::new("803"))
    }

    async fn add_message(&self, m: MessageRequest) -> Result<MessageAdded, HandlerError> {
        if !self.known(m.lead_id.as_str()) {
            return Err(HandlerError::not_found(format!("no deal {}", m.lead_id)));
        }
        self.record(Seen::Message(m));
        Ok(MessageAdded::new("810"))
    }

    async fn add_task(&self, t: TaskRequest) -> Result<TaskAdded, HandlerError> {
        if !self.known(t.element_id.as_str()) {
            return Err(HandlerError::invalid("element_id", "no such deal"));
        }
        self.record(Seen::Task(t));
        Ok(TaskAdded::new("811"))
    }

    async fn add_call(&self, c: CallRequest) -> Result<CallAdded, HandlerError> {
        self.record(Seen::Call(c));
        Ok(CallAdded::new("814"))
    }
}

pub fn dispatcher(crm: TestCrm) -> Dispatcher<TestCrm> {
    Dispatcher::new(crm, ServerAuth::basic(LOGIN, PASSWORD))
}

/// Matches a request whose raw query string is exactly `self.0`.
pub struct ExactQuery(pub String);

impl Match for ExactQuery {
    fn matches(&self, request: &Request) -> bool {
        request.url.query() == Some(self.0.as_str())
    }
}

/// A mock server with a catch-all that fails the test on any request no other mock matched.
pub async fn strict_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(599).set_body_string("unexpected request"))
        .with_priority(u8::MAX)
        .expect(0)
        .named("catch-all: no request may reach it")
        .mount(&server)
        .await;
    server
}

pub fn client_for(server: &MockServer) -> universe_api::Client {
    universe_api::Client::builder()
        .base_url(server.uri())
        .credentials(LOGIN, PASSWORD)
        .retry_policy(
            universe_api::RetryPolicy::default()
                .with_jitter(false)
                .with_initial_backoff(std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap()
}
