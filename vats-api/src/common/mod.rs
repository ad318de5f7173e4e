//! What both generations share: phone numbers, call ids, directions, statuses, event types,
//! the three timestamp forms the PBX writes, and the plumbing of the clients and dispatchers.
//!
//! Every type here is a *tolerant reader and strict writer* (docs/protocol.md §6): values arrive
//! as strings or numbers and in any letter case, unknown enum values are kept in `Other(String)`,
//! and writing always emits the vendor document's canonical spelling.

mod delivery;
mod enums;
mod ids;
pub mod timestamp;

#[cfg(feature = "client")]
pub(crate) mod notify;
#[cfg(feature = "server")]
pub(crate) mod serve;
#[cfg(feature = "client")]
pub(crate) mod wire;

pub use delivery::Delivery;
pub use enums::{CallStatus, Direction, EventType};
pub(crate) use ids::opt_phone;
pub use ids::{CallId, Phone};
#[cfg(feature = "client")]
pub use notify::NotifierBuilder;
