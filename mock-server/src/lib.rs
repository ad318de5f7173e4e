//! A stateful mock PBX, CRM and «Цифровой РОП» for QA and CI, on `wiremock`.
//!
//! Each service is a [`wiremock::MockServer`] bound to its configured address with one catch-all
//! mock whose responder hands every request to the API crate's dispatcher over an in-memory,
//! stateful handler: `rop-api` for the mock ROP, `vats-api` (v1 and legacy) for the mock PBX,
//! `universe-api` for the mock CRM, which is also the sink of ROP webhooks and PBX pushes.
//! Every service has an admin API under `/__admin/` (journal, `requests/wait` and
//! `requests/count` for tests, state, reset, seed, faults, health) and a QA dashboard page at
//! `/__admin/`.
//!
//! Start all three in-process (port 0 = free ports), e.g. in an end-to-end test:
//!
//! ```no_run
//! use mock_server::{Config, MockServers};
//!
//! # async fn run() -> mock_server::Result<()> {
//! let mocks = MockServers::start(Config::ephemeral()).await?;
//! println!("ROP at {}, PBX at {}, CRM at {}", mocks.rop_url(), mocks.pbx_url(), mocks.crm_url());
//! // ... drive the clients of rop-api, vats-api and universe-api against those URLs ...
//! mocks.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! Design choices (the README has the details):
//!
//! - wiremock's `Respond` is synchronous: the dispatchers run under `futures::executor::block_on`
//!   on wiremock's server thread over state behind `std::sync::Mutex`es that are never held
//!   across an await; all outgoing work (webhooks, pushes, audio downloads) runs on a small
//!   background runtime the services own.
//! - wiremock 0.6.5 keeps a copy of every request a mock matched: every `rotate_every` requests
//!   it serves on its private port the two mocks are re-mounted on wiremock's own thread in one
//!   poll, so memory stays flat and no request ever meets an empty mock set (the public ports'
//!   requests go through the front and never reach wiremock). The request journal is our own bounded ring.
//! - Faults (delay, status, connection reset, fail the next N) are decided per request from a
//!   rule table the admin API edits.

mod admin;
mod audio;
mod config;
mod crm;
mod error;
mod faults;
mod front;
mod host;
mod journal;
mod near_miss;
mod pbx;
mod redact;
mod redact_decoded;
mod rop;
mod servers;
mod targets;

pub use audio::RecordingFormat;
pub use config::{
    Config, CrmConfig, DEFAULT_CRM_TOKEN, DEFAULT_LOGIN, DEFAULT_PASSWORD, DEFAULT_ROP_KEY,
    DEFAULT_VATS_KEY, ENV_CRM_PASSWORD, ENV_CRM_TOKEN, ENV_ROP_KEY, ENV_VATS_KEY, HistorySeed,
    PbxConfig, PushEncoding, PushFormat, RopConfig,
};
pub use error::{Error, Result};
pub use faults::FaultRule;
pub use journal::{JournalEntry, JournalFilter};
pub use servers::{Counters, MockServers, SinkPaths};
