//! Typed client and server for the «Цифровой РОП» call-analysis REST API (R1–R5) and its W1/W2
//! webhooks (docs/protocol.md §1).
//!
//! ```no_run
//! use rop_api::{CallReady, CallUpload, Client, TableId};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder()
//!     .base_url("http://10.28.32.81/api/v1/")
//!     .api_key(std::env::var("ROP_API_KEY")?)
//!     .build()?;
//!
//! let call = CallUpload::new("call_789456", "12345", "https://crm.example/files/call_789456.mp3".parse()?)
//!     .with_deal("deal_456789", Some("stage_123".into()));
//! match client.upload_call(&call).await {
//!     Ok(accepted) => println!("queued {}", accepted.call_id),
//!     Err(e) if e.is_conflict() => println!("already sent"),
//!     Err(e) => return Err(e.into()),
//! }
//! if let CallReady::Ready(fields) = client.call_ready(&TableId::from("TBL_1755863365"), &call.call_id).await? {
//!     println!("{fields:?}");
//! }
//! # Ok(()) }
//! ```
//!
//! # Operations
//!
//! | # | wire | client (`client`) | handler (`server`) |
//! |---|---|---|---|
//! | R1 | `POST /api/v1/calls/audio-upload?apiKey=` (JSON, multipart or form) | [`Client::upload_call`], [`Client::upload_call_as`] | [`RopHandler::upload_call`] |
//! | R2 | `POST /api/v1/calls?apiKey=` (JSON) | [`Client::submit_call`] | [`RopHandler::submit_call`] (defaults to R1) |
//! | R3 | `POST /api/v1/settings/offices-update?apiKey=` | [`Client::update_offices`] | [`RopHandler::update_offices`] |
//! | R4 | `POST /api/v1/settings/managers-update?apiKey=` | [`Client::update_managers`] | [`RopHandler::update_managers`] |
//! | R5 | `GET /api/v1/tables/call-ready?tab=&call=&apiKey=` | [`Client::call_ready`] | [`RopHandler::call_ready`] |
//! | W1 | `POST <checklist webhook URL>` ([`ChecklistResult`]) | [`WebhookSender::send_checklist_result`] | [`WebhookHandler::on_checklist_result`] |
//! | W2 | `POST <table webhook URL>` ([`TableResult`]) | [`WebhookSender::send_table_result`] | [`WebhookHandler::on_table_result`] |
//!
//! R1–R5 are served by [`Dispatcher`], W1/W2 by [`WebhookDispatcher`]: both have the workspace's
//! one server shape (`http_plumbing::Dispatch`): `Dispatcher::new(handler, api_key)`, `with_…`
//! settings, `dispatch(http::Request<Bytes>)`, `.into_service()` (a `tower` service) and
//! `.into_router()` (an `axum::Router`, feature `axum`) to mount under any prefix. Handlers
//! fail with [`HandlerError`]; "not implemented" is 501. The [`audio`] module checks an audio
//! file's format and duration from its bytes.
//!
//! # Features
//!
//! - `client` (default): [`Client`], [`WebhookSender`] (reqwest).
//! - `server` (default): [`RopHandler`], [`Dispatcher`], [`WebhookHandler`], [`WebhookDispatcher`].
//! - `axum`: `Dispatcher::into_router` / `WebhookDispatcher::into_router`.
//! - `openapi`: `openapi::document()`, the API's OpenAPI 3.1 document derived from these types
//!   (checked in as `docs/openapi/rop.json`).
//!
//! The types, [`Error`] and [`audio`] build with no features.
//!
//! # Design decisions
//!
//! - **Vendor documents.** The newer, full vendor document wins over the older one; readers
//!   accept both forms. Where docs/protocol.md §6 fixes a point it wins over both.
//! - **Tolerant reader, strict writer.** Ids and numbers arrive as strings or numbers; enum values
//!   in any case (`FAILED`); unknown stage statuses are kept ([`StageStatus::Other`]); missing
//!   optional fields are `None`. Writers emit the newer document's full form and skip `None`
//!   fields.
//!   A short-form W1 without `completion_percentage` gets `round(100 × total / max)`; without
//!   totals, passed stages / all stages. W2's `extracted_data` values that are not strings are
//!   kept as their text (`5` → `"5"`, `null` → `""`, nested JSON as compact JSON). R3/R4 sent
//!   as form or multipart fields carry `offices` / `managers` as the array's JSON text.
//! - **Time.** Timestamps are written RFC 3339 UTC (`2025-09-17T14:30:00Z`) and read from
//!   RFC 3339 (any offset), Unix seconds (number or string, as the older document has it)
//!   or `YYYY-MM-DD HH:MM:SS` (UTC), only in the years 0000–9999 (UTC). W2's `processing_time` is `HH:MM:SS` (also `MM:SS` or plain
//!   seconds on read) and a [`std::time::Duration`].
//! - **Envelope.** POST answers are `{"data": <value or false>, "error": bool, "message": "..."}`
//!   ([`Envelope`]); `data: false` is `None`. The dispatcher also answers R5's errors and its own
//!   errors (404 unknown path, 405, 413, 415, 429, 500, and 501 for an R5 the handler does not
//!   implement) with this envelope.
//! - **Validation** ([`CallUpload::validate`], run by the client before sending and by the
//!   dispatcher): `call_id`, `manager_id`, `audio_url` required; `audio_url` an absolute
//!   `http`/`https` URL; `duration` ≤ 2700 s. A 400's message names the field:
//!   `Некорректный параметр <field>: <reason>`.
//! - **Auth.** `apiKey` query parameter on every request (R5 too); the server compares it in
//!   constant time against every configured key; a key sent twice is rejected. Key-less R5 is an
//!   option ([`Dispatcher::allow_keyless_call_ready`]), off by default. The key is a
//!   [`secrecy::SecretString`]; it never appears in `Debug`, `Display` or errors (transport errors
//!   lose their URL).
//! - **Retries** ([`RetryPolicy`]): connection errors, timeouts, 5xx and 429 (honouring
//!   `Retry-After`); never other 4xx. A 409 is [`Error::Conflict`], not a failure to retry.
//! - **Rate limit** ([`RateLimit`], off by default): sliding window per API key, 60/min in the
//!   vendor document;
//!   over it 429 with `Retry-After` (seconds until the oldest request leaves the window). A wrong key
//!   is 401 and not counted.
//! - **Audio** is not fetched by the dispatcher: the handler fetches `audio_url` and calls
//!   [`audio::check`] (format from magic bytes, duration from the file's headers, 100 MB / 2700 s);
//!   `HandlerError::from(AudioError)` maps "not audio" to the 400 «Файл не является аудио»
//!   and other audio problems to a 400 naming `audio_url`. A URL that cannot be fetched should be a
//!   400 naming `audio_url` too.
//! - **Webhooks** are delivered at least once: receivers deduplicate W1 on (`call_id`,
//!   `checklist_name`) and W2 on (`call_id`, `table_id`); [`duplicate_call`] from a
//!   [`WebhookHandler`] is answered 200 so the sender stops retrying. The [`WebhookDispatcher`]
//!   tells W1 from W2 by shape (`stages` → W1, `extracted_data` → W2) unless paths are configured.

pub mod audio;
mod error;
#[cfg(feature = "openapi")]
pub mod openapi;
mod types;

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "server")]
mod server;
#[cfg(any(feature = "client", feature = "server"))]
mod webhook;

pub use bytes::Bytes;
pub use error::{Error, Result};
pub use http::StatusCode;
pub use http_plumbing::{FieldError, RetryPolicy};
pub use secrecy::SecretString;
pub use types::calls::{
    CallReady, CallReadyQuery, CallUpload, Envelope, MAX_AUDIO_BYTES, MAX_DURATION_SECS,
};
pub use types::ids::{CallId, DealId, DealStageId, ManagerId, OfficeId, StageId, TableId};
pub use types::settings::{Manager, ManagersUpdate, Office, OfficesUpdate};
pub use types::webhook::{ChecklistResult, StageResult, StageStatus, TableResult};
pub use url::Url;

/// Re-exported: the attribute [`RopHandler`] and [`WebhookHandler`] implementations carry.
#[cfg(feature = "server")]
pub use async_trait::async_trait;
/// Re-exported: what every handler method fails with.
#[cfg(feature = "server")]
pub use http_plumbing::HandlerError;
/// Re-exported: the transport error inside [`Error::Transport`].
#[cfg(feature = "client")]
pub use http_plumbing::TransportError;

#[cfg(feature = "client")]
pub use client::{CallAccepted, Client, ClientBuilder, UploadFormat};
#[cfg(feature = "client")]
pub use webhook::{DeliveryReport, WebhookSender, WebhookSenderBuilder};

#[cfg(feature = "server")]
pub use server::{Dispatcher, RateLimit, RopHandler, duplicate_call, not_audio};
#[cfg(feature = "server")]
pub use webhook::{WebhookDispatcher, WebhookHandler};
