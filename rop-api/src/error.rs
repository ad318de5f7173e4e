//! The crate's one error type.

use crate::types::calls::InvalidField;
use http::StatusCode;
use std::time::Duration;

/// What can go wrong talking to ROP.
///
/// Errors from an HTTP answer keep its status and raw body ([`Error::status`], [`Error::body`]);
/// none of them ever contains the API key or the request URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 409: the call id was already sent (a duplicate is not a failure to retry).
    #[error("duplicate (HTTP 409): {message}")]
    Duplicate {
        /// The server's message (`Звонок с данным call_id уже обработан`).
        message: String,
        /// The raw answer body.
        body: String,
    },
    /// 401: the API key was rejected.
    #[error("API key rejected (HTTP 401): {message}")]
    Unauthorized {
        /// The server's message (`apiKey не валиден`).
        message: String,
        /// The raw answer body.
        body: String,
    },
    /// 404: unknown table or call (R5), or unknown path.
    #[error("not found (HTTP 404): {message}")]
    NotFound {
        /// The server's message.
        message: String,
        /// The raw answer body.
        body: String,
    },
    /// 429 after the retries ran out.
    #[error("rate limited (HTTP 429){}: {message}", retry_after.map(|d| format!(", retry after {} s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
        /// The server's message.
        message: String,
        /// The raw answer body.
        body: String,
    },
    /// Any other non-success answer (400, 5xx after retries, …), or a 200 whose envelope says
    /// `"error": true`.
    #[error("request failed (HTTP {}): {message}", status.as_u16())]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The server's message, or the start of the body when it is not an envelope.
        message: String,
        /// The raw answer body.
        body: String,
    },
    /// A success answer whose body does not have the documented shape.
    #[error("cannot decode the answer (HTTP {}) at `{path}`: {message}", status.as_u16())]
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// Where in the body decoding failed (`.`, `data`, `ready`, …).
        path: String,
        /// What was wrong.
        message: String,
        /// The raw answer body.
        body: String,
    },
    /// The request failed validation before it was sent.
    #[error("invalid request: {0}")]
    Invalid(#[from] InvalidField),
    /// The client's configuration is not usable.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Connection error or timeout, after the retries ran out (the URL is stripped).
    #[cfg(feature = "client")]
    #[error(transparent)]
    Transport(#[from] http_plumbing::TransportError),
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The HTTP status of the answer this error came from, if any.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Duplicate { .. } => Some(StatusCode::CONFLICT),
            Self::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            Self::NotFound { .. } => Some(StatusCode::NOT_FOUND),
            Self::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Self::Api { status, .. } | Self::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The raw body of the answer this error came from, if any.
    pub fn body(&self) -> Option<&str> {
        match self {
            Self::Duplicate { body, .. }
            | Self::Unauthorized { body, .. }
            | Self::NotFound { body, .. }
            | Self::RateLimited { body, .. }
            | Self::Api { body, .. }
            | Self::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Whether this is a 409 duplicate.
    pub fn is_duplicate(&self) -> bool {
        matches!(self, Self::Duplicate { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_pinned() {
        let e = Error::Duplicate {
            message: "Звонок с данным call_id уже обработан".into(),
            body: String::new(),
        };
        insta::assert_snapshot!(e, @"duplicate (HTTP 409): Звонок с данным call_id уже обработан");
        let e = Error::RateLimited {
            retry_after: Some(Duration::from_secs(7)),
            message: "slow down".into(),
            body: String::new(),
        };
        insta::assert_snapshot!(e, @"rate limited (HTTP 429), retry after 7 s: slow down");
        let e = Error::Api {
            status: StatusCode::BAD_GATEWAY,
            message: "<html>".into(),
            body: "<html>".into(),
        };
        insta::assert_snapshot!(e, @"request failed (HTTP 502): <html>");
        assert_eq!(e.status(), Some(StatusCode::BAD_GATEWAY));
        let e = Error::Decode {
            status: StatusCode::OK,
            path: "data".into(),
            message: "expected a string".into(),
            body: "{}".into(),
        };
        insta::assert_snapshot!(e, @"cannot decode the answer (HTTP 200) at `data`: expected a string");
        let e = Error::from(InvalidField::new("duration", "too long"));
        insta::assert_snapshot!(e, @"invalid request: duration: too long");
    }
}
