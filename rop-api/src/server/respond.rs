//! The answers the dispatchers send: the seed's envelope with the documented statuses.

use super::handler::HandlerError;
use crate::types::calls::Envelope;
use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};
use http_plumbing::json_response;
use serde::Serialize;
use std::time::Duration;

/// `{"data": data, "error": false, "message": message}` with 200.
pub(crate) fn ok<T: Serialize>(data: T, message: &str) -> Response<Bytes> {
    json_response(StatusCode::OK, &Envelope::ok(data, message))
}

/// `{"data": false, "error": true, "message": message}` with `status`.
pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response<Bytes> {
    json_response(status, &Envelope::<()>::error(message))
}

/// The response for a handler error (see the table on [`HandlerError`]).
pub(crate) fn handler_error(e: &HandlerError) -> Response<Bytes> {
    if let Some(detail) = e.internal_detail() {
        // The client gets a generic message; the detail goes to the log only.
        tracing::error!(detail, "ROP handler failed");
    }
    let mut resp = error(e.status(), e.to_string());
    if let HandlerError::RateLimited {
        retry_after: Some(wait),
    } = e
    {
        set_retry_after(&mut resp, *wait);
    }
    resp
}

/// 405 with `Allow`.
pub(crate) fn method_not_allowed(allow: &'static str) -> Response<Bytes> {
    let mut resp = error(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("Метод не поддерживается: используйте {allow}"),
    );
    resp.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    resp
}

/// `Retry-After` in whole seconds, rounded up, at least 1.
pub(crate) fn set_retry_after(resp: &mut Response<Bytes>, wait: Duration) {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
}
