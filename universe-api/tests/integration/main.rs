//! Contract tests of `universe-api`: one binary, one module per concern.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    unreachable_pub
)]

mod client;
mod common;
mod dispatcher;
mod fixtures;
mod hostile_peer;
mod paging;
mod roundtrip;
mod secrets;
#[cfg(feature = "axum")]
mod stack;
