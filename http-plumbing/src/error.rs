//! The error vocabulary every crate of the workspace shares: [`FieldError`] for one bad field,
//! [`Error`] for everything a client call can fail with.

use http::StatusCode;
use std::fmt;
use std::time::Duration;

/// One field that is missing or wrong: its path (`offices[0].office_id`, `.` for the whole
/// document) and what is wrong with it, as a reader can act on it.
///
/// ```
/// let e = http_plumbing::FieldError::new("duration", "must be at most 2700 s");
/// assert_eq!(e.to_string(), "duration: must be at most 2700 s");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The path of the field (`call_id`, `items[2].start`; `.` for the whole document).
    pub field: String,
    /// What is wrong with it (`must not be empty`, `invalid type: integer, expected a string`).
    pub message: String,
}

impl FieldError {
    /// A field error naming `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

/// What a call to a peer can fail with; the same variants in `rop-api`, `universe-api` and
/// `vats-api` (each re-exports this type as its `Error`).
///
/// Every variant that comes from an HTTP answer keeps its status ([`Error::status`]), the raw
/// body ([`Error::body`]) and the message parsed from the protocol's error body
/// ([`Error::message`]; the start of the body when it is not a protocol error body, e.g. an HTML
/// 502 page). No variant ever holds an API key, a password, a token or a URL with one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 401: the credentials (API key, login and password, token) were rejected.
    #[error("credentials rejected (HTTP 401): {message}")]
    Unauthorized {
        /// The peer's message (`apiKey не валиден`, `Invalid token`).
        message: String,
        /// The raw answer body.
        body: String,
    },
    /// 409: the request conflicts with what the peer already has (ROP: the call id was already
    /// sent; PBX: a login or extension is taken). Not a failure to retry.
    #[error("conflict (HTTP 409): {message}")]
    Conflict {
        /// The peer's message (`Звонок с данным call_id уже обработан`).
        message: String,
        /// The raw answer body.
        body: String,
    },
    /// 429 after the retries ran out.
    #[error("rate limited (HTTP 429){}: {message}", retry_after.map(|d| format!(", retry after {} s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// The peer's `Retry-After` (whole seconds), when it sent one.
        retry_after: Option<Duration>,
        /// The peer's message.
        message: String,
        /// The raw answer body.
        body: String,
    },
    /// Any other failure answer: a non-success status (400, 404, 5xx after retries…), or a
    /// success status whose body is the protocol's error form (Universe CRMs answer
    /// `{"status":"error"}` with 200; ROP's envelope may say `"error": true`).
    #[error("request failed (HTTP {}): {message}", status.as_u16())]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The peer's message, or the start of the body when it is not an error body.
        message: String,
        /// The raw answer body.
        body: String,
    },
    /// A body that does not have the documented shape: an answer, or a CSV export.
    #[error("cannot decode {}`{path}`: {message}", status.map(|s| format!("the answer (HTTP {}) at ", s.as_u16())).unwrap_or_default())]
    Decode {
        /// The HTTP status of the answer (`None` when the body did not come from one).
        status: Option<StatusCode>,
        /// Where decoding failed: a field path (`orders[3].date_create`), a CSV position
        /// (`line 3, field start`) or `.` for the whole body.
        path: String,
        /// What was wrong there.
        message: String,
        /// The raw body, as text (invalid UTF-8 replaced).
        body: String,
    },
    /// A value passed in by the caller is invalid; nothing was sent.
    #[error("invalid request: {0}")]
    InvalidInput(#[from] FieldError),
    /// The client's configuration is unusable (missing or bad base URL, empty key…).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The request never got an answer (connection refused, timeout, TLS…), after the
    /// retries ran out. The URL is stripped.
    #[cfg(feature = "client")]
    #[error(transparent)]
    Transport(crate::TransportError),
    /// The answer body is larger than the call's cap (default 8 MiB for answers, 256 MiB for
    /// recordings; `max_response_body` / `max_download_body` on the builders). Reading stopped
    /// at the cap (or at once on a larger `Content-Length`); not retried.
    #[error("the answer body (HTTP {}) is larger than the {limit}-byte limit", status.as_u16())]
    BodyTooLarge {
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The cap, in bytes.
        limit: u64,
    },
}

#[cfg(feature = "client")]
impl From<crate::TransportError> for Error {
    /// A too-large body becomes [`Error::BodyTooLarge`], anything else [`Error::Transport`].
    fn from(e: crate::TransportError) -> Self {
        match e.body_too_large() {
            Some((status, limit)) => Self::BodyTooLarge { status, limit },
            None => Self::Transport(e),
        }
    }
}

/// The result type of the workspace's clients.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::InvalidInput`] naming `field`.
    pub fn invalid_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidInput(FieldError::new(field, message))
    }

    /// The error for a failure answer, by its status: 401 [`Unauthorized`](Self::Unauthorized),
    /// 409 [`Conflict`](Self::Conflict), 429 [`RateLimited`](Self::RateLimited) (with
    /// `retry_after`), anything else [`Api`](Self::Api). `message` is what the protocol's error
    /// body says; `None` uses the start of the body.
    pub fn from_answer(
        status: StatusCode,
        retry_after: Option<Duration>,
        message: Option<String>,
        body: &[u8],
    ) -> Self {
        let body = String::from_utf8_lossy(body).into_owned();
        let message = message.unwrap_or_else(|| snippet(&body));
        match status {
            StatusCode::UNAUTHORIZED => Self::Unauthorized { message, body },
            StatusCode::CONFLICT => Self::Conflict { message, body },
            StatusCode::TOO_MANY_REQUESTS => Self::RateLimited {
                retry_after,
                message,
                body,
            },
            status => Self::Api {
                status,
                message,
                body,
            },
        }
    }

    /// An [`Error::Decode`] of an answer with `status`.
    pub fn decode(
        status: Option<StatusCode>,
        path: impl Into<String>,
        message: impl Into<String>,
        body: &[u8],
    ) -> Self {
        Self::Decode {
            status,
            path: path.into(),
            message: message.into(),
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }

    /// The HTTP status of the answer this error came from, if any.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            Self::Conflict { .. } => Some(StatusCode::CONFLICT),
            Self::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Self::Api { status, .. } => Some(*status),
            Self::Decode { status, .. } => *status,
            Self::BodyTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The raw body of the answer this error came from, if any.
    pub fn body(&self) -> Option<&str> {
        match self {
            Self::Unauthorized { body, .. }
            | Self::Conflict { body, .. }
            | Self::RateLimited { body, .. }
            | Self::Api { body, .. }
            | Self::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The peer's message, for errors that came from an answer.
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::Unauthorized { message, .. }
            | Self::Conflict { message, .. }
            | Self::RateLimited { message, .. }
            | Self::Api { message, .. } => Some(message),
            _ => None,
        }
    }

    /// Whether this is a 409 (for ROP: the call was already sent, nothing to retry).
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::Conflict { .. })
    }
}

/// The start of a body for messages (at most 200 characters; the whole body stays in the error).
pub fn snippet(body: &str) -> String {
    const MAX: usize = 200;
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return "(empty body)".to_owned();
    }
    let mut out: String = trimmed.chars().take(MAX).collect();
    if trimmed.chars().nth(MAX).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_map_to_variants_by_status() {
        let e = Error::from_answer(
            StatusCode::UNAUTHORIZED,
            None,
            Some("bad key".into()),
            b"{}",
        );
        assert_eq!(e.to_string(), "credentials rejected (HTTP 401): bad key");
        let e = Error::from_answer(
            StatusCode::TOO_MANY_REQUESTS,
            Some(Duration::from_secs(7)),
            Some("slow down".into()),
            b"",
        );
        assert_eq!(
            e.to_string(),
            "rate limited (HTTP 429), retry after 7 s: slow down"
        );
        assert_eq!(e.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        let e = Error::from_answer(StatusCode::CONFLICT, None, None, b"dup");
        assert!(e.is_conflict());
        assert_eq!(e.message(), Some("dup"));
        let html = format!("<html>{}</html>", "x".repeat(500));
        let e = Error::from_answer(StatusCode::BAD_GATEWAY, None, None, html.as_bytes());
        assert_eq!(e.body(), Some(html.as_str()));
        let shown = e.to_string();
        assert!(
            shown.starts_with("request failed (HTTP 502): <html>xx"),
            "{shown}"
        );
        assert!(shown.ends_with('…'), "{shown}");
    }

    #[test]
    fn decode_and_input_errors_say_where() {
        let e = Error::decode(Some(StatusCode::OK), "data", "expected a string", b"{}");
        assert_eq!(
            e.to_string(),
            "cannot decode the answer (HTTP 200) at `data`: expected a string"
        );
        assert_eq!((e.status(), e.body()), (Some(StatusCode::OK), Some("{}")));
        let e = Error::invalid_input("phone", "digits only");
        assert_eq!(e.to_string(), "invalid request: phone: digits only");
        assert_eq!((e.status(), e.body(), e.message()), (None, None, None));
        assert_eq!(snippet("  "), "(empty body)");
    }
}
