//! # universe-api
//!
//! The "Universe" CRM analytics protocol (U1–U7, docs/protocol.md §2), both sides:
//!
//! - the **analytics side** ([`Client`], feature `client`) calls a CRM's
//!   `GET <endpoint>/analytics?action=…` with HTTP Basic auth;
//! - the **CRM side** implements [`UniverseHandler`] and puts a [`Dispatcher`] (feature `server`)
//!   in front of it: routing on `action`, auth, parameter validation, paging rules, the
//!   documented answers; `.into_router()` (feature `axum`) mounts it in axum.
//!
//! The types (feature-free) are shared by both, so what one side writes the other reads.
//! Feature `openapi` adds `openapi::document()`, the protocol's OpenAPI 3.1 document derived
//! from them (checked in as `docs/openapi/universe.json`).
//!
//! | # | route | client method | handler method | answer |
//! |---|---|---|---|---|
//! | U1 | `GET …/analytics?action=import_scheme` | [`Client::import_scheme`] | [`UniverseHandler::import_scheme`] | [`Scheme`] |
//! | U2 | `GET …/analytics?action=export_clients&offset&limit` | [`Client::export_clients`], [`Client::export_clients_pages`], [`Client::export_clients_stream`] | [`UniverseHandler::export_clients`] | [`ClientsPage`] |
//! | U3 | `GET …/analytics?action=export&date&offset&limit` (also: no `action`) | [`Client::export_orders`], [`Client::export_orders_pages`], [`Client::export_orders_stream`] | [`UniverseHandler::export_orders`] | [`OrdersPage`] |
//! | U4 | `GET …/analytics?action=lead&title&…&data` | [`Client::create_lead`] | [`UniverseHandler::create_lead`] | [`LeadCreated`] |
//! | U5 | `GET …/analytics?action=message&leadId&title&message` | [`Client::add_message`] | [`UniverseHandler::add_message`] | [`MessageAdded`] |
//! | U6 | `GET …/analytics?action=task&element_id&deadline&text` | [`Client::add_task`] | [`UniverseHandler::add_task`] | [`TaskAdded`] |
//! | U7 | `GET …/analytics?action=call&id&…&status` | [`Client::add_call`] | [`UniverseHandler::add_call`] | [`CallAdded`] |
//!
//! `…` is the CRM's `<endpoint>`, any base URL. Failures are answered
//! `{"status":"error","message":…}` ([`ErrorAnswer`]).
//!
//! **Hosting a dispatcher.** The [`Dispatcher`] has the workspace's one server shape
//! (`http_plumbing::Dispatch`): `Dispatcher::new(handler, auth)`, `with_…` settings,
//! [`Dispatcher::dispatch`] (`http::Request<Bytes>` in, `http::Response<Bytes>` out),
//! `.into_service()` (a `tower` service) and `.into_router()` (an `axum::Router`, feature
//! `axum`) to mount under any prefix next to other protocols' routers. Handlers fail with
//! [`HandlerError`]; a method left at its default answers 501.
//!
//! ## A complete CRM in one example
//!
//! An in-memory CRM: the handler holds the state, the dispatcher does the protocol. The same
//! dispatcher serves a real HTTP server (through `.into_service()` or `.into_router()`).
//!
//! ```
//! use universe_api::{
//!     CallAdded, CallRequest, ClientsPage, Customer, Dispatcher, ExportClientsQuery,
//!     ExportOrdersQuery, HandlerError, LeadCreated, LeadRequest, Manager, MessageAdded,
//!     MessageRequest, Order, OrdersPage, Scheme, ServerAuth, Status, TaskAdded, TaskRequest,
//!     UniverseHandler,
//! };
//! use std::sync::Mutex;
//!
//! #[derive(Default)]
//! struct Crm {
//!     scheme: Scheme,
//!     clients: Vec<Customer>,
//!     orders: Mutex<Vec<Order>>,
//!     notes: Mutex<Vec<String>>,
//! }
//!
//! fn page<T: Clone>(all: &[T], offset: u64, limit: u64) -> Vec<T> {
//!     let skip = usize::try_from(offset).unwrap_or(usize::MAX);
//!     let take = usize::try_from(limit).unwrap_or(usize::MAX);
//!     all.iter().skip(skip).take(take).cloned().collect()
//! }
//!
//! #[universe_api::async_trait]
//! impl UniverseHandler for Crm {
//!     async fn import_scheme(&self) -> Result<Scheme, HandlerError> {
//!         Ok(self.scheme.clone())
//!     }
//!     async fn export_clients(&self, q: ExportClientsQuery) -> Result<ClientsPage, HandlerError> {
//!         let total = self.clients.len() as u64;
//!         Ok(ClientsPage::new(page(&self.clients, q.offset, q.limit), total))
//!     }
//!     async fn export_orders(&self, q: ExportOrdersQuery) -> Result<OrdersPage, HandlerError> {
//!         let orders = self.orders.lock().map_err(|e| HandlerError::internal(e.to_string()))?;
//!         let since: Vec<Order> = orders
//!             .iter()
//!             .filter(|o| q.since.is_none_or(|t| o.date_create >= t))
//!             .cloned()
//!             .collect();
//!         let total = since.len() as u64;
//!         Ok(OrdersPage::new(self.scheme.clone(), page(&since, q.offset, q.limit), total))
//!     }
//!     async fn create_lead(&self, lead: LeadRequest) -> Result<LeadCreated, HandlerError> {
//!         let mut orders = self.orders.lock().map_err(|e| HandlerError::internal(e.to_string()))?;
//!         let id = (800 + orders.len() as u64).to_string();
//!         orders.push(Order {
//!             id: id.as_str().into(),
//!             name: lead.title,
//!             date_create: lead.created_date.unwrap_or_else(chrono::Utc::now),
//!             status: self.scheme.statuses.first().map(|s| s.id.clone()),
//!             visit: lead.visit,
//!             manager_id: lead.manager_id,
//!             fields: lead.data.into_iter().map(|(k, v)| (k.into(), v)).collect(),
//!             ..Order::default()
//!         });
//!         Ok(LeadCreated::new(id))
//!     }
//!     async fn add_message(&self, m: MessageRequest) -> Result<MessageAdded, HandlerError> {
//!         self.note(&m.lead_id, format!("comment: {}", m.message))
//!             .map(MessageAdded::new)
//!     }
//!     async fn add_task(&self, t: TaskRequest) -> Result<TaskAdded, HandlerError> {
//!         self.note(&t.element_id, format!("task: {}", t.text)).map(TaskAdded::new)
//!     }
//!     async fn add_call(&self, c: CallRequest) -> Result<CallAdded, HandlerError> {
//!         let status = c.status.map(|s| s.to_string()).unwrap_or_default();
//!         let note = format!("call {} {status}", c.id);
//!         match &c.order_id {
//!             Some(order) => self.note(order, note).map(CallAdded::new),
//!             None => Ok(CallAdded::new(self.push_note(note)?)),
//!         }
//!     }
//! }
//!
//! impl Crm {
//!     fn push_note(&self, note: String) -> Result<String, HandlerError> {
//!         let mut notes = self.notes.lock().map_err(|e| HandlerError::internal(e.to_string()))?;
//!         notes.push(note);
//!         Ok((900 + notes.len()).to_string())
//!     }
//!     fn note(&self, deal: &universe_api::OrderId, note: String) -> Result<String, HandlerError> {
//!         let known = self
//!             .orders
//!             .lock()
//!             .map_err(|e| HandlerError::internal(e.to_string()))?
//!             .iter()
//!             .any(|o| &o.id == deal);
//!         if !known {
//!             return Err(HandlerError::not_found(format!("no deal {deal}")));
//!         }
//!         self.push_note(note)
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let crm = Crm {
//!     scheme: Scheme {
//!         statuses: vec![Status { id: "1".into(), name: "Новая".into() }],
//!         managers: vec![Manager { id: "72".into(), name: "Иванова Марина".into() }],
//!         ..Scheme::default()
//!     },
//!     ..Crm::default()
//! };
//! let dispatcher = Dispatcher::new(crm, ServerAuth::basic("analytics", "s3cr3t"));
//!
//! // What the analytics side sends for U4 (the `Client` builds exactly this URL).
//! let request = http::Request::get(
//!     "/analytics?action=lead&title=JivoSite&name=%D0%90%D0%BD%D0%BD%D0%B0\
//!      &data=%7B%221%22%3A%22seo%22%7D&created_date=2022-07-12+10%3A35%3A12",
//! )
//! .header("Authorization", "Basic YW5hbHl0aWNzOnMzY3IzdA==") // analytics:s3cr3t
//! .body(bytes::Bytes::new())
//! .unwrap();
//! let answer = dispatcher.dispatch(request).await;
//! assert_eq!(answer.status(), 200);
//! assert_eq!(answer.body().as_ref(), br#"{"status":"ok","order_id":"800"}"#);
//!
//! // U3 with the CRM's default page size.
//! let request = http::Request::get("/analytics?action=export&date=1657497600")
//!     .header("Authorization", "Basic YW5hbHl0aWNzOnMzY3IzdA==")
//!     .body(bytes::Bytes::new())
//!     .unwrap();
//! let answer = dispatcher.dispatch(request).await;
//! let page: OrdersPage = serde_json::from_slice(answer.body()).unwrap();
//! assert_eq!((page.pagination.total_count, page.pagination.limit), (1, 1000));
//! assert_eq!(page.orders[0].fields["1"], "seo");
//! # }
//! ```
//!
//! ## The analytics side
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use universe_api::{CallRequest, CallStatus, Client, MessageRequest};
//!
//! # async fn run() -> universe_api::Result<()> {
//! let crm = Client::builder()
//!     .base_url("https://mycrm.example")
//!     .credentials("analytics", "s3cr3t")
//!     .build()?;
//! let since = chrono::DateTime::from_timestamp(1_657_497_600, 0).unwrap_or_default();
//! let orders: Vec<_> = crm.export_orders_stream(since, None).try_collect().await?;
//! let mut call = CallRequest::new("1803");
//! call.status = Some(CallStatus::Answer);
//! call.order_id = orders.first().map(|o| o.id.clone());
//! crm.add_call(&call).await?;
//! crm.add_message(&MessageRequest::new("803", "Оценка звонка: 90%")).await?;
//! # Ok(()) }
//! ```
//!
//! ## Decisions beyond the vendor document
//!
//! - **Wire forms.** Ids, `total_count`/`limit`, `duration` and money are read from strings or
//!   numbers; a `null` or blank `total_count`/`limit` reads as 0 and a `null` name as empty.
//!   Money ([`Decimal`], never `f64`) is written as a string, `pagination` numbers as
//!   numbers, ids as strings. `date_create` is written as Unix seconds in a string and read
//!   also as `YYYY-MM-DD HH:MM[:SS]` (UTC) or RFC 3339. `orders[].fields` is written as an object
//!   and read also as a list of one-entry objects or `{"id","value"}` pairs (and PHP's `[]`).
//! - **Dates.** `created_date` is written `YYYY-MM-DD HH:MM:SS`, `deadline` and `call`'s `date`
//!   `YYYY-MM-DDTHH:MM:SS`, all UTC; each is read in any of these forms, RFC 3339 or Unix seconds.
//!   Dates are whole seconds: on read a fraction is dropped and a leap second (`23:59:60`) is
//!   taken as `23:59:59`, so a date read, written and read again is the same.
//! - **Query encoding.** `application/x-www-form-urlencoded` (UTF-8 percent-encoding, a space as
//!   `+`, a literal `+` as `%2B`), so the vendor document's `created_date=2022-07-12+10:35:12` reads as
//!   `2022-07-12 10:35:12`. Absent optional parameters are not sent.
//! - **Required parameters** (400 when missing or empty): `lead` `title`; `message` `leadId`
//!   (also read as `lead_id`) and `message`; `task` `element_id` and `text`; `call` `id`.
//! - **Errors.** An answer with `"status":"error"` (any case) is a failure whatever its HTTP
//!   status: [`Error::Api`] for a 2xx, by status otherwise ([`Error::Unauthorized`] for 401…),
//!   with the CRM's `message`; other non-2xx answers likewise with the start of the body. The
//!   dispatcher answers 401 for bad credentials, 404 for a path not ending in `/analytics`, 405
//!   for methods other than GET and POST, 400 for an unknown `action` or a bad parameter, 501
//!   for an action the handler does not implement, and a handler's status otherwise; always
//!   with `{"status":"error","message":…}`.
//! - **Paging.** A CRM's default and maximum page size are 1000 ([`PageLimits`]); a larger
//!   `limit` is capped and the cap told in `pagination.limit`; `limit=0` is a 400. Client
//!   streams (boxed, so `Unpin`) advance by the answer's `pagination.limit` and stop at the
//!   first page's `total_count` or at an empty page.
//! - **Base URL.** The client takes the host root (`https://crm.example`), a path prefix
//!   (`https://crm.example/crm`) or the full endpoint (`…/crm/analytics`) alike.
//! - **Retries** follow the workspace policy (5xx, 429, connection errors); note that the
//!   writing actions are GETs that create records.

#[cfg(feature = "client")]
mod client;
mod error;
#[cfg(feature = "openapi")]
pub mod openapi;
#[cfg(feature = "server")]
mod server;
mod types;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder};
pub use error::{Error, Result};
/// Re-exported: what every [`UniverseHandler`] method fails with.
#[cfg(feature = "server")]
pub use http_plumbing::HandlerError;
/// Re-exported: the transport error inside [`Error::Transport`].
#[cfg(feature = "client")]
pub use http_plumbing::TransportError;
#[cfg(feature = "server")]
pub use server::{
    Dispatcher, ExportClientsQuery, ExportOrdersQuery, PageLimits, ServerAuth, UniverseHandler,
};
pub use types::actions::{
    CallAdded, CallRequest, ErrorAnswer, LeadCreated, LeadRequest, MessageAdded, MessageRequest,
    TaskAdded, TaskRequest,
};
pub use types::call_status::CallStatus;
pub use types::export::{ClientsPage, Cost, Customer, Order, OrdersPage, PageRequest, Pagination};
pub use types::ids::{CallId, ClientId, FieldId, ManagerId, MessageId, OrderId, StatusId, TaskId};
pub use types::scheme::{Field, Manager, Scheme, Status};

/// Re-exported: the attribute [`UniverseHandler`] implementations carry.
#[cfg(feature = "server")]
pub use async_trait::async_trait;
/// Re-exported: the retry policy of [`ClientBuilder::retry_policy`].
#[cfg(feature = "client")]
pub use http_plumbing::RetryPolicy;
/// Re-exported: the decimal type of money fields.
pub use rust_decimal::Decimal;
/// Re-exported: the secret type of passwords.
pub use secrecy::SecretString;
