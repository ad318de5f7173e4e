//! Typed client and server for the virtual PBX (ВАТС) CRM API, both generations, both
//! directions.
//!
//! - [`v1`]: the REST generation `/crmapi/v1` (docs/protocol.md §3). CRM → PBX: [`v1::Client`] (header
//!   `X-API-KEY`), [`v1::VatsHandler`] + [`v1::Dispatcher`] for the PBX side; the table of rows
//!   P1–P40 with their client and handler methods is in the [`v1`] docs. PBX → CRM pushes
//!   (V1–V4): [`v1::push`].
//! - [`legacy`]: the `*.wcgp` generation (docs/protocol.md §4).
//!
//! Design: tolerant readers and strict writers (numbers as strings, enum values in any case,
//! unknown values kept as `Other`, three timestamp forms read); one [`Error`] that keeps the HTTP
//! status and raw body and names the field a decode failed at; secrets (`X-API-KEY`, tokens,
//! passwords) are `secrecy::SecretString` and never appear in `Debug`, `Display` or errors;
//! dispatchers are framework-agnostic (`http::Request<Bytes>` in, `http::Response<Bytes>` out),
//! `tower` services (`.into_service()`), and `axum` routers (`.into_router()`, feature `axum`).
//! Feature `openapi` adds `openapi::v1_document()` and `openapi::legacy_document()`, the OpenAPI
//! 3.1 documents derived from the types (checked in as `docs/openapi/vats-v1.json` and
//! `vats-legacy.json`).
//!
//! ```
//! use vats_api::v1::{Client, Dispatcher, HandlerResult, ListQuery, Page, User, VatsHandler};
//!
//! // The PBX side: implement what you serve, the dispatcher does the protocol.
//! struct Pbx;
//!
//! #[vats_api::async_trait]
//! impl VatsHandler for Pbx {
//!     async fn list_users(&self, query: ListQuery) -> HandlerResult<Page<User>> {
//!         let all = vec![User { login: "admin".into(), name: "Администратор".into(), ..User::default() }];
//!         Ok(Page::paginate(all, &query, 50))
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let pbx = Dispatcher::new(Pbx, "the-key");
//! let request = http::Request::get("/crmapi/v1/users?limit=10")
//!     .header("X-API-KEY", "the-key")
//!     .body(bytes::Bytes::new())?;
//! let answer = pbx.dispatch(request).await;
//! assert_eq!(answer.status(), 200);
//! let page: Page<User> = serde_json::from_slice(answer.body())?;
//! assert_eq!(page.items[0].login.as_str(), "admin");
//!
//! // The CRM side: a client for a real PBX (no request is sent here).
//! let client = Client::builder()
//!     .domain("pbx.example.com")
//!     .api_key("the-key")
//!     .build()?;
//! assert_eq!(client.base_url().as_str(), "https://pbx.example.com/crmapi/v1/");
//! # Ok(())
//! # }
//! ```
//!
//! ## Method table: PBX → CRM pushes (V1–V4) and the legacy API (L1–L7)
//!
//! | # | operation | client method | handler method | served by |
//! |---|---|---|---|---|
//! | V1 | push `history` | [`v1::push::CrmNotifier::history`] | [`v1::push::CrmHandler::history`] | [`v1::push::CrmDispatcher`] `cmd=history` |
//! | V2 | push `event` | [`v1::push::CrmNotifier::event`] | [`v1::push::CrmHandler::event`] | [`v1::push::CrmDispatcher`] `cmd=event` |
//! | V3 | push `contact` | [`v1::push::CrmNotifier::contact`] | [`v1::push::CrmHandler::contact`] | [`v1::push::CrmDispatcher`] `cmd=contact` |
//! | V4 | push `rating` | [`v1::push::CrmNotifier::rating`] | [`v1::push::CrmHandler::rating`] | [`v1::push::CrmDispatcher`] `cmd=rating` |
//! | L1 | `POST /sys/api_login.wcgp` | [`legacy::Client::login`] | [`legacy::PbxHandler::login`] | [`legacy::PbxDispatcher`] |
//! | L2 | `POST /sys/crm_api.wcgp` `cmd=makeCall` | [`legacy::Client::make_call`] | [`legacy::PbxHandler::make_call`] | [`legacy::PbxDispatcher`] |
//! | L3 | `POST /sys/crm_api.wcgp` `cmd=accounts` | [`legacy::Client::accounts`] | [`legacy::PbxHandler::accounts`] | [`legacy::PbxDispatcher`] |
//! | L8 | `POST /sys/crm_api.wcgp` `cmd=groups` | [`legacy::Client::groups`] | [`legacy::PbxHandler::groups`] | [`legacy::PbxDispatcher`] |
//! | L9 | `POST /sys/crm_api.wcgp` `cmd=subscribeOnCalls` | [`legacy::Client::subscribe_on_calls`] | [`legacy::PbxHandler::subscribe_on_calls`] | [`legacy::PbxDispatcher`] |
//! | L4 | push `users` (or `user`) | [`legacy::LegacyCrmNotifier::users`] | [`legacy::LegacyCrmHandler::users`] | [`legacy::LegacyCrmDispatcher`] |
//! | L5 | push `contact` | [`legacy::LegacyCrmNotifier::contact`] | [`legacy::LegacyCrmHandler::contact`] | [`legacy::LegacyCrmDispatcher`] |
//! | L6 | push `event` | [`legacy::LegacyCrmNotifier::event`] | [`legacy::LegacyCrmHandler::event`] | [`legacy::LegacyCrmDispatcher`] |
//! | L7 | push `history` | [`legacy::LegacyCrmNotifier::history`] | [`legacy::LegacyCrmHandler::history`] | [`legacy::LegacyCrmDispatcher`] |
//!
//! Every handler refuses with a [`HandlerError`] (501 "not implemented" for a method left at its
//! default); notifiers report a [`Delivery`]. Every dispatcher has the workspace's one server
//! shape (`http_plumbing::Dispatch`): `Dispatcher::new(handler, secret)`, `with_…` settings,
//! `dispatch(http::Request<Bytes>)`, `.into_service()` (a `tower` service) and `.into_router()`
//! (an `axum::Router`, feature `axum`) to mount under any prefix.

mod common;
mod error;
pub mod legacy;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod v1;

pub use common::{CallId, CallStatus, Delivery, Direction, EventType, Phone, timestamp};
pub use error::{Error, Result};
pub use http_plumbing::FieldError;

#[cfg(feature = "client")]
pub use common::NotifierBuilder;

/// Re-exported: the attribute handler trait implementations carry.
#[cfg(feature = "server")]
pub use async_trait::async_trait;
/// Re-exported: what every handler method fails with.
#[cfg(feature = "server")]
pub use http_plumbing::HandlerError;
/// Re-exported: the transport error inside [`Error::Transport`].
#[cfg(feature = "client")]
pub use http_plumbing::TransportError;
