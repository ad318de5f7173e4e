//! The typed error a handler returns; each dispatcher maps it to its protocol's status and body.

use std::fmt;

/// Why a handler refused a request. The dispatcher turns it into the documented answer:
///
/// | variant | PBX → CRM pushes (V1–V4, L4–L7) | legacy PBX (L1–L3) |
/// |---|---|---|
/// | [`InvalidParameters`](Self::InvalidParameters) | 400 `{"error":"Invalid parameters","detail":"<field>: <problem>"}` | the same |
/// | [`Unauthorized`](Self::Unauthorized) | 401 `{"error":"Invalid token"}` | 401 `{"error":"Autorization failed"}` (login) / `{"error":"Invalid token"}` |
/// | [`Unavailable`](Self::Unavailable) | 503 `{"error":"Service unavailable"}` | the same |
///
/// The text inside `Unavailable` is for logs only: it is never sent to the peer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// A field is present and well-formed but not acceptable (an unknown user, say).
    InvalidParameters {
        /// The field's name.
        field: String,
        /// What is wrong with it (sent to the peer).
        problem: String,
    },
    /// The credentials (token, login and password) were rejected.
    Unauthorized,
    /// The receiver cannot serve the request now; the peer may retry. The message is internal.
    Unavailable(String),
}

impl Rejection {
    /// Builds [`Rejection::InvalidParameters`].
    pub fn invalid(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self::InvalidParameters {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidParameters { field, problem } => {
                write!(f, "invalid parameters: {field}: {problem}")
            }
            Self::Unauthorized => f.write_str("unauthorized"),
            Self::Unavailable(m) => write!(f, "unavailable: {m}"),
        }
    }
}

impl std::error::Error for Rejection {}
