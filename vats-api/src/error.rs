//! The crate's one error type.
//!
//! Every failure a caller can see is one [`Error`]: an HTTP answer that was not a success keeps its
//! status and raw body; a body that could not be decoded says where (`items[2].start`, or a CSV
//! line and column) and keeps the body; a request that never got an answer keeps the transport
//! error (whose URL has been stripped). No variant ever carries an API key or a token.

use http::StatusCode;

/// Errors of this crate.
///
/// Messages are part of the API (pinned by tests); they never contain a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The peer answered with a non-success status and a body that is not one of the protocol's
    /// documented error bodies (an HTML 502 page, say). The body is kept as it came.
    #[error("HTTP {status}: {}", snippet(body))]
    Http {
        /// The HTTP status.
        status: StatusCode,
        /// The raw body, as text (invalid UTF-8 replaced).
        body: String,
    },
    /// The peer answered with a documented error body (`{"error":"Invalid token"}`).
    #[error("API error {status}: {error}")]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The error text the peer sent (`Validation error`, `Invalid token`, …).
        error: String,
        /// The raw body, as text.
        body: String,
    },
    /// A success answer (or a request body) that could not be decoded into the expected type.
    #[error("cannot decode {path}: {message}")]
    Decode {
        /// Where decoding failed: a field path (`items[0].start`), a CSV position
        /// (`line 3, field start`) or `.` for the whole document.
        path: String,
        /// What is wrong there.
        message: String,
        /// The raw body, as text.
        body: String,
    },
    /// The request never got an answer (connection refused, timeout, TLS…), after retries.
    #[cfg(feature = "client")]
    #[error(transparent)]
    Transport(#[from] http_plumbing::TransportError),
    /// A client or server configuration is unusable (bad base URL, empty key…).
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
    /// A value passed in by the caller is invalid; nothing was sent.
    #[error("invalid {field}: {message}")]
    InvalidInput {
        /// The offending field or argument.
        field: String,
        /// What is wrong with it.
        message: String,
    },
}

/// This crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Http { status, .. } | Self::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The raw body of the answer, when there was one.
    pub fn body(&self) -> Option<&str> {
        match self {
            Self::Http { body, .. } | Self::Api { body, .. } | Self::Decode { body, .. } => {
                Some(body)
            }
            _ => None,
        }
    }

    /// Builds an [`Error::InvalidInput`].
    pub fn invalid_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Builds an [`Error::Decode`] from a `serde_path_to_error` failure and the body.
    pub(crate) fn decode(path: impl Into<String>, message: impl Into<String>, body: &[u8]) -> Self {
        Self::Decode {
            path: path.into(),
            message: message.into(),
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }
}

/// The first 200 characters of a body, for messages (the whole body stays in the error).
fn snippet(body: &str) -> String {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return "(empty body)".to_owned();
    }
    let mut out: String = trimmed.chars().take(200).collect();
    if trimmed.chars().nth(200).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_error_keeps_status_and_body_and_shows_a_snippet() {
        let body = format!("<html>{}</html>", "x".repeat(500));
        let e = Error::Http {
            status: StatusCode::BAD_GATEWAY,
            body: body.clone(),
        };
        assert_eq!(e.status(), Some(StatusCode::BAD_GATEWAY));
        assert_eq!(e.body(), Some(body.as_str()));
        let shown = e.to_string();
        assert!(
            shown.starts_with("HTTP 502 Bad Gateway: <html>xxx"),
            "{shown}"
        );
        assert!(shown.ends_with('…') && shown.len() < 300, "{shown}");
    }

    #[test]
    fn messages_are_stable() {
        let api = Error::Api {
            status: StatusCode::UNAUTHORIZED,
            error: "Invalid token".into(),
            body: r#"{"error":"Invalid token"}"#.into(),
        };
        insta::assert_snapshot!(api.to_string(), @"API error 401 Unauthorized: Invalid token");
        let dec = Error::decode("items[0].start", "bad timestamp", b"{}");
        insta::assert_snapshot!(dec.to_string(), @"cannot decode items[0].start: bad timestamp");
        let inp = Error::invalid_input("phone", "digits only");
        insta::assert_snapshot!(inp.to_string(), @"invalid phone: digits only");
        let empty = Error::Http {
            status: StatusCode::BAD_GATEWAY,
            body: " ".into(),
        };
        insta::assert_snapshot!(empty.to_string(), @"HTTP 502 Bad Gateway: (empty body)");
        assert_eq!(inp.status(), None);
        assert_eq!(inp.body(), None);
    }
}
