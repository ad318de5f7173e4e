//! The crate's error: the workspace's one client error ([`http_plumbing::Error`]).
//!
//! For ROP: a 409 is [`Error::Conflict`] (the call id was already sent: not a failure to
//! retry, see [`Error::is_conflict`]); 401 [`Error::Unauthorized`]; 429 after the retries
//! [`Error::RateLimited`]; a failed validation before sending [`Error::InvalidInput`]; a 200
//! whose envelope says `"error": true` is [`Error::Api`] with status 200.

pub use http_plumbing::{Error, Result};
