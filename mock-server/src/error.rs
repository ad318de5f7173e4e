//! The crate's one error type.

/// What can go wrong while configuring or starting the mock services.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration file is not valid TOML or has an unknown key / a bad value.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A file could not be read, or a socket could not be bound.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A checklist, table, transcript or seed file could not be used.
    #[error("invalid data in {what}: {message}")]
    Data {
        /// Which file or value.
        what: String,
        /// What is wrong with it.
        message: String,
    },
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;
