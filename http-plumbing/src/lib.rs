//! What the workspace's three API crates (`rop-api`, `universe-api`, `vats-api`) share, so that
//! they read as one SDK: one client error, one transport, one server contract.
//!
//! **Clients** (`client` feature): [`Error`] — the one error of every client, re-exported by each
//! crate as its `Error` (status + raw body + parsed message; `Unauthorized`, `Conflict`,
//! `RateLimited { retry_after }`); [`HttpConfig`] (timeouts, user agent, retry policy);
//! [`send`] / [`send_with_retry`] (the retry loop that keeps the final status and raw body,
//! [`RawResponse`], and never lets a URL with its key into an error); [`TransportError`];
//! [`SendPolicy`] (the bounds of one call against a hostile peer).
//!
//! **Hostile peers** (docs/protocol.md §0). Every client built from an [`HttpConfig`]:
//! follows redirects only to the same origin (scheme, host, port) as the request, at most
//! [`MAX_REDIRECTS`] times, and never sends `Referer` — a cross-origin 3xx is returned as an
//! answer, so no key, login, password or token (query, header, Basic, replayed body) reaches
//! another host; reads at most [`DEFAULT_MAX_RESPONSE_BODY`] (8 MiB) of an answer
//! ([`DEFAULT_MAX_DOWNLOAD_BODY`], 256 MiB, for recordings) and fails with
//! [`Error::BodyTooLarge`]; ends a call with its retries after the total timeout (default
//! 60 s for clients, 30 s for senders and notifiers). A preconfigured `reqwest::Client`
//! (`http_client`) keeps its own redirect policy: give it `redirect::Policy::none()`.
//!
//! **OpenAPI** (`openapi` feature): the `openapi` module, the building blocks of the API crates'
//! OpenAPI 3.1 documents (schema collection, tolerant-reader widening, the drift check).
//!
//! **Servers** (`server` feature): the one shape of every dispatcher.
//!
//! - [`Dispatch`]: a protocol's server side over `http::Request<Bytes>` →
//!   `http::Response<Bytes>`. Each crate's dispatchers implement it, are built with
//!   `Dispatcher::new(handler, auth)` (the handler as a value, or as an `Arc` shared with other
//!   code — then name its type: `Dispatcher::<MyCrm>::new(shared, key)`), configured with
//!   `with_…` methods, and become a `tower` service with `.into_service()` ([`DispatchService`])
//!   or an axum router with `.into_router()` (feature `axum`, `into_router`); the
//!   [`impl_dispatch!`] macro gives a dispatcher type those two methods and its `Dispatch`
//!   implementation in one line (a macro because inherent methods cannot come from a trait
//!   without the caller importing it). Routers mount
//!   under any prefix with `axum::Router::nest`, so several protocols share one port.
//! - [`HandlerError`]: what every handler trait method fails with — status, public message,
//!   the field at fault, and an internal detail that is logged with `tracing`, never sent. Each
//!   protocol writes it in its own error body. "Not implemented" (a handler trait's default
//!   method) is **501** in every protocol.
//! - [`FieldError`] (one field wrong, with its path), [`BODY_LIMIT`] (1 MiB),
//!   [`decode_fields`] (JSON, urlencoded and multipart bodies into one JSON object),
//!   [`from_fields`], [`query_map`], [`constant_time_eq`], response builders.
//!
//! **Both**: [`lenient`] (serde helpers for the tolerant-reader rule: numbers as strings,
//! booleans as `"1"`, empty strings as absent), [`string_id!`] (the one declaration of every id
//! newtype), [`tolerant_enum!`] (the one declaration of every string enum: any spelling read,
//! unknown values kept, the documented spelling written), [`RetryPolicy`], [`redact_query`].
//!
//! ```
//! use http_plumbing::{Error, RetryPolicy, redact_query};
//! use std::time::Duration;
//!
//! let policy = RetryPolicy::default().with_max_retries(5);
//! assert!(policy.backoff(1) <= Duration::from_secs(30));
//!
//! let url = url::Url::parse("http://rop.example/api/v1/calls?apiKey=s3cr3t&x=1")?;
//! assert_eq!(redact_query(&url, &["apiKey"]), "http://rop.example/api/v1/calls?apiKey=REDACTED&x=1");
//!
//! let e = Error::from_answer(http::StatusCode::UNAUTHORIZED, None, Some("Invalid token".into()), b"{}");
//! assert!(matches!(e, Error::Unauthorized { .. }));
//! # Ok::<(), url::ParseError>(())
//! ```

mod error;
mod id;
pub mod lenient;
#[cfg(feature = "openapi")]
pub mod openapi;
mod redact;
mod retry;
mod tolerant;

#[cfg(feature = "client")]
mod config;
#[cfg(feature = "client")]
mod limits;
#[cfg(feature = "client")]
mod transport;

#[cfg(feature = "server")]
mod body;
#[cfg(feature = "server")]
mod dispatch;
#[cfg(feature = "server")]
mod handler_error;
#[cfg(feature = "server")]
mod respond;
#[cfg(feature = "server")]
mod utf8;

pub use error::{Error, FieldError, Result, snippet};
pub use redact::{REDACTED, redact_query};
pub use retry::{RetryPolicy, is_retryable_status, parse_retry_after};
pub use tolerant::same_spelling;

#[cfg(feature = "client")]
pub use config::HttpConfig;
#[cfg(feature = "client")]
pub use limits::{DEFAULT_MAX_DOWNLOAD_BODY, DEFAULT_MAX_RESPONSE_BODY, MAX_REDIRECTS, SendPolicy};
#[cfg(feature = "client")]
pub use transport::{RawResponse, TransportError, send, send_with_retry};

#[cfg(feature = "server")]
pub use body::{BodyError, decode_fields, from_fields, query_map, query_pairs};
#[cfg(feature = "axum")]
pub use dispatch::into_router;
#[cfg(feature = "server")]
pub use dispatch::{BODY_LIMIT, Dispatch, DispatchService};
#[cfg(feature = "server")]
pub use handler_error::HandlerError;
#[cfg(feature = "server")]
pub use respond::{constant_time_eq, empty_response, json_response, text_response};
#[cfg(feature = "server")]
pub use utf8::{check_query_utf8, invalid_utf8_field};
