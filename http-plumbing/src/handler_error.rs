//! [`HandlerError`]: what a server-side handler of any protocol fails with.

use crate::body::BodyError;
use crate::error::FieldError;
use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};
use serde::Serialize;
use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

/// A handler's failure: the HTTP status, the public message sent to the caller, the field at
/// fault (for 400s), and an internal detail that is logged with `tracing` and never sent.
///
/// Every dispatcher of the workspace takes this one type and writes it in its protocol's error
/// body (ROP's envelope, Universe's `{"status":"error"}`, the PBX's `{"error","detail"}`).
/// "Not implemented" is always 501 ([`HandlerError::not_implemented`]).
///
/// ```
/// use http_plumbing::HandlerError;
///
/// let e = HandlerError::invalid("leadId", "no such deal");
/// assert_eq!((e.status().as_u16(), e.field(), e.to_string().as_str()),
///            (400, Some("leadId"), "leadId: no such deal"));
/// let e = HandlerError::internal("db timeout after 5 s");
/// assert_eq!((e.status().as_u16(), e.message()), (500, "internal server error"));
/// assert_eq!(e.internal_detail(), Some("db timeout after 5 s"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct HandlerError {
    status: StatusCode,
    message: Cow<'static, str>,
    field: Option<String>,
    internal: Option<String>,
    retry_after: Option<Duration>,
}

impl HandlerError {
    /// Any status with a public message (prefer the named constructors).
    pub fn new(status: StatusCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            message: message.into(),
            field: None,
            internal: None,
            retry_after: None,
        }
    }

    /// 400 naming the field at fault and what is wrong with it.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            ..Self::new(StatusCode::BAD_REQUEST, message.into())
        }
    }

    /// 400 about the request as a whole (no single field is at fault).
    pub fn bad_request(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401: the credentials were rejected; `message` is the protocol's text (`Invalid token`).
    pub fn unauthorized(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    /// 404: what the request refers to does not exist (`user u704`, `no deal 803`).
    pub fn not_found(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 409: the request conflicts with stored state (a call id already received, a login taken).
    pub fn conflict(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// 429 with `Retry-After` (whole seconds, rounded up) when `retry_after` is known.
    pub fn rate_limited(
        message: impl Into<Cow<'static, str>>,
        retry_after: Option<Duration>,
    ) -> Self {
        Self {
            retry_after,
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, message)
        }
    }

    /// 501: this handler does not serve the operation (what every handler trait's default
    /// method answers); `operation` names it (`P7 get_user`, `action lead`).
    pub fn not_implemented(operation: impl fmt::Display) -> Self {
        Self::new(
            StatusCode::NOT_IMPLEMENTED,
            format!("not implemented by this server: {operation}"),
        )
    }

    /// 503: the service cannot answer now and the caller may retry; `detail` is logged only.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self {
            internal: Some(detail.into()),
            ..Self::new(StatusCode::SERVICE_UNAVAILABLE, "service unavailable")
        }
    }

    /// 500: something broke inside the server; `detail` is logged only, the caller gets a
    /// generic message.
    pub fn internal(detail: impl Into<String>) -> Self {
        Self {
            internal: Some(detail.into()),
            ..Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal server error")
        }
    }

    /// The HTTP status answered.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The public message (without the field; see [`Display`](fmt::Display) for both).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The field at fault, for 400s made by [`invalid`](Self::invalid).
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// The logged-only detail of a 500 or 503.
    pub fn internal_detail(&self) -> Option<&str> {
        self.internal.as_deref()
    }

    /// How long the caller should wait (429).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The answer: `body` (the protocol's error form of this error) as JSON with this status,
    /// `Retry-After` when known. An internal detail is logged here (`tracing`, level error).
    pub fn respond<T: Serialize + ?Sized>(&self, body: &T) -> Response<Bytes> {
        if let Some(detail) = &self.internal {
            tracing::error!(status = self.status.as_u16(), detail, "handler failed");
        }
        let mut resp = crate::json_response(self.status, body);
        if let Some(wait) = self.retry_after {
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        resp
    }
}

impl fmt::Debug for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandlerError")
            .field("status", &self.status.as_u16())
            .field("message", &self.message)
            .field("field", &self.field)
            .field("internal", &self.internal)
            .field("retry_after", &self.retry_after)
            .finish()
    }
}

/// `field: message`, or the message alone.
impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for HandlerError {}

impl From<FieldError> for HandlerError {
    fn from(e: FieldError) -> Self {
        Self::invalid(e.field, e.message)
    }
}

/// A client-side error met while serving (a value a shared validator refused, a body that did
/// not decode): 400 naming the field for [`Error::InvalidInput`](crate::Error::InvalidInput) and
/// [`Error::Decode`](crate::Error::Decode), else 500 with the error as the logged detail.
impl From<crate::Error> for HandlerError {
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::InvalidInput(field) => field.into(),
            crate::Error::Decode { path, message, .. } => Self::invalid(path, message),
            other => Self::internal(other.to_string()),
        }
    }
}

/// 413 over the limit, 415 for an unsupported `Content-Type`, else 400 naming `body`.
impl From<BodyError> for HandlerError {
    fn from(e: BodyError) -> Self {
        let status = match e {
            BodyError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            BodyError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::BAD_REQUEST,
        };
        Self {
            status,
            ..Self::invalid("body", e.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_errors_keep_their_status_and_name_the_body() {
        let e = HandlerError::from(BodyError::TooLarge { limit: 10 });
        assert_eq!(e.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(e.to_string(), "body: request body is larger than 10 bytes");
        let e = HandlerError::from(BodyError::UnsupportedMediaType("text/xml".into()));
        assert_eq!(e.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let e = HandlerError::from(BodyError::NotAnObject);
        assert_eq!(
            (e.status(), e.field()),
            (StatusCode::BAD_REQUEST, Some("body"))
        );
    }

    #[test]
    fn respond_sets_status_and_retry_after_and_hides_the_detail() {
        let e = HandlerError::rate_limited("slow down", Some(Duration::from_millis(1500)));
        let r = e.respond(&serde_json::json!({ "error": e.message() }));
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()[header::RETRY_AFTER], "2");
        let e = HandlerError::internal("password=hunter2 rejected by db");
        let r = e.respond(&serde_json::json!({ "error": e.message() }));
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!String::from_utf8_lossy(r.body()).contains("hunter2"));
        assert_eq!(
            HandlerError::not_implemented("P7").status(),
            StatusCode::NOT_IMPLEMENTED
        );
        assert_eq!(
            HandlerError::unavailable("x").message(),
            "service unavailable"
        );
    }
}
