//! The one error type of the example CRM.

/// What can go wrong in the example CRM.
///
/// The three API crates share one error type (`http_plumbing::Error`: status, raw body and
/// message, never a key, token or password); the variant says which peer failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A call to «Цифровой РОП» failed.
    #[error("ROP: {0}")]
    Rop(#[source] rop_api::Error),
    /// A call to the CRM's Universe endpoint failed.
    #[error("Universe: {0}")]
    Universe(#[source] universe_api::Error),
    /// A call to the PBX failed.
    #[error("PBX: {0}")]
    Vats(#[source] vats_api::Error),
    /// The configuration is not usable (the message names the setting).
    #[error("configuration: {0}")]
    Config(String),
    /// The HTTP server could not start.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
