//! The crate's error: the workspace's one client error ([`http_plumbing::Error`]).
//!
//! For Universe: an answer `{"status":"error","message":…}` with a success status is
//! [`Error::Api`] (the vendor document's CRMs answer errors with 200); with a failure status
//! it is mapped by status like any other failure answer (401 [`Error::Unauthorized`], 429
//! [`Error::RateLimited`], else [`Error::Api`]) with the CRM's message; a 2xx that is not the
//! documented JSON is [`Error::Decode`] naming the path (`orders[3].date_create`).

pub use http_plumbing::{Error, Result};
