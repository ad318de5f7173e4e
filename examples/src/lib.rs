//! A small CRM written the way a user of this workspace would write it, shared by the runnable
//! programs in `examples/examples/` and the end-to-end tests (see `examples/README.md`).
//!
//! [`Crm`] bridges the three systems (docs/protocol.md §5):
//!
//! 1. the PBX pushes `history` (v1 `/crmapi/v1` JSON or legacy form) to [`PBX_V1_PATH`] /
//!    [`PBX_LEGACY_PATH`]; the CRM answers at once and works in the background;
//! 2. it maps the PBX user to a CRM manager and the client's phone to a deal (U1/U2/U3 data,
//!    [`Directory`]; an unknown phone gets a new deal through U4), then sends the recording to
//!    «Цифровой РОП» (R1), retrying transient failures ([`UploadRetry`]) so nothing is lost
//!    while ROP is down;
//! 3. ROP posts the checklist result (W1) to [`ROP_CHECKLIST_PATH`] and the table result (W2) to
//!    [`ROP_TABLE_PATH`]; deliveries are deduplicated;
//! 4. the CRM writes back a comment with the score (U5), a task per failed stage (U6) and the
//!    call (U7).
//!
//! ```no_run
//! use examples::{BridgeConfig, Crm, RunningServer, router};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let crm = Crm::connect(BridgeConfig::from_env()?).await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8720").await?;
//! let server = RunningServer::spawn(listener, router(crm.clone()))?;
//! println!("PBX pushes to {}", server.url(examples::PBX_V1_PATH));
//! # Ok(()) }
//! ```
//!
//! Design: the handlers are the API crates' traits (`vats_api::v1::push::CrmHandler`,
//! `vats_api::legacy::LegacyCrmHandler`, `rop_api::WebhookHandler`) implemented on [`Crm`], behind
//! the crates' own dispatchers; the CRM only holds state in memory (a real one would persist
//! [`CallRecord`]s); secrets live in [`BridgeConfig`] as `SecretString`s.

mod config;
mod crm;
mod directory;
mod error;
mod handlers;
mod record;
mod server;

/// The workspace README's code blocks, compiled as doctests so its quick start stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct WorkspaceReadme;

pub use config::{
    BridgeConfig, DEFAULT_BRIDGE_ADDR, DEFAULT_CRM_URL, DEFAULT_PBX_LOGINS, DEFAULT_PBX_URL,
    DEFAULT_ROP_URL, UploadRetry, env_or, parse_logins,
};
pub use crm::Crm;
pub use directory::{Directory, normalize_phone};
pub use error::{Error, Result};
pub use record::{CallRecord, CallState, Generation, PbxCall, Stats, WriteBack};
pub use server::{
    PBX_LEGACY_PATH, PBX_V1_PATH, ROP_CHECKLIST_PATH, ROP_TABLE_PATH, RunningServer, router,
    router_with_webhooks,
};
