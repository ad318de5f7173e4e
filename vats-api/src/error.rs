//! The crate's error: the workspace's one client error ([`http_plumbing::Error`]).
//!
//! For the PBX protocols: a documented error body (`{"error":"Invalid token"}`, with a
//! `"detail"` where there is one) gives the message (`error`, or `error: detail`); a 401 is
//! [`Error::Unauthorized`], a 409 [`Error::Conflict`], a 429 [`Error::RateLimited`], anything
//! else [`Error::Api`]; a body that cannot be decoded (JSON or CSV) is [`Error::Decode`] naming
//! the field path or the CSV line and column.

pub use http_plumbing::{Error, Result};
