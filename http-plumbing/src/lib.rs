//! Shared HTTP plumbing of the workspace's API crates (`rop-api`, `vats-api`, `universe-api`).
//!
//! What all three protocols would otherwise write three times lives here, and nothing else:
//!
//! - [`lenient`]: serde helpers for the *tolerant reader* rule — numbers that arrive as strings,
//!   strings that arrive as numbers, booleans as `"1"`/`"true"`, empty strings as absent.
//! - [`RetryPolicy`]: exponential backoff with jitter, `Retry-After` parsing, which statuses retry.
//! - [`redact_query`]: a URL with its secret query parameters replaced, for errors and logs.
//! - `client` feature: [`HttpConfig`] (timeouts, user agent and retry policy, and the
//!   `reqwest::Client` built from them), and [`send_with_retry`], the retry loop over `reqwest`
//!   that keeps the final status and raw body ([`RawResponse`]) and never lets a URL (with its
//!   `apiKey`) into an error.
//! - `server` feature: [`decode_fields`] (JSON, `application/x-www-form-urlencoded` and
//!   `multipart/form-data` bodies into one JSON object), [`from_fields`] (typed decoding whose
//!   error names the field), [`query_map`], [`constant_time_eq`] and response builders.
//!
//! ```
//! use http_plumbing::{RetryPolicy, redact_query};
//! use std::time::Duration;
//!
//! let policy = RetryPolicy::default().with_max_retries(5);
//! assert!(policy.backoff(1) <= Duration::from_secs(30));
//!
//! let url = url::Url::parse("http://rop.example/api/v1/calls?apiKey=s3cr3t&x=1")?;
//! assert_eq!(redact_query(&url, &["apiKey"]), "http://rop.example/api/v1/calls?apiKey=REDACTED&x=1");
//! # Ok::<(), url::ParseError>(())
//! ```

pub mod lenient;
mod redact;
mod retry;

#[cfg(feature = "client")]
mod config;
#[cfg(feature = "client")]
mod transport;

#[cfg(feature = "server")]
mod body;
#[cfg(feature = "server")]
mod respond;

pub use redact::{REDACTED, redact_query};
pub use retry::{RetryPolicy, is_retryable_status, parse_retry_after};

#[cfg(feature = "client")]
pub use config::HttpConfig;
#[cfg(feature = "client")]
pub use transport::{RawResponse, TransportError, send_with_retry};

#[cfg(feature = "server")]
pub use body::{BodyError, FieldError, decode_fields, from_fields, query_map, query_pairs};
#[cfg(feature = "server")]
pub use respond::{constant_time_eq, empty_response, json_response, text_response};
