//! The one error type of the example CRM.

/// What can go wrong in the example CRM.
///
/// Every variant wraps the API crate's own error, which keeps the HTTP status and raw body and
/// never contains a key, token or password; so neither does this one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A call to «Цифровой РОП» failed.
    #[error("ROP: {0}")]
    Rop(#[from] rop_api::Error),
    /// A call to the CRM's Universe endpoint failed.
    #[error("Universe: {0}")]
    Universe(#[from] universe_api::Error),
    /// A call to the PBX failed.
    #[error("PBX: {0}")]
    Vats(#[from] vats_api::Error),
    /// The configuration is not usable (the message names the setting).
    #[error("configuration: {0}")]
    Config(String),
    /// The HTTP server could not start.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
