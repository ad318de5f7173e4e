//! Response builders and secret comparison for dispatchers.

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};
use serde::Serialize;
use subtle::ConstantTimeEq;

/// A JSON response with `Content-Type: application/json; charset=utf-8`.
///
/// Serialising our own types cannot fail (string keys, no non-finite floats); should it ever,
/// the answer is a 500 with a JSON error body rather than a panic.
pub fn json_response<T: Serialize + ?Sized>(status: StatusCode, body: &T) -> Response<Bytes> {
    // Most answers fit in 512 bytes: one allocation, no regrowth.
    let mut buf = Vec::with_capacity(512);
    let (status, bytes) = match serde_json::to_writer(&mut buf, body) {
        Ok(()) => (status, Bytes::from(buf)),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Bytes::from_static(br#"{"error":"response serialisation failed"}"#),
        ),
    };
    let mut resp = Response::new(bytes);
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

/// A plain-text response.
pub fn text_response(status: StatusCode, body: impl Into<String>) -> Response<Bytes> {
    let mut resp = Response::new(Bytes::from(body.into()));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

/// A response with no body (e.g. 204, or the 200 a push receiver answers).
pub fn empty_response(status: StatusCode) -> Response<Bytes> {
    let mut resp = Response::new(Bytes::new());
    *resp.status_mut() = status;
    resp
}

/// Compares a presented secret with the expected one in time that does not depend on where
/// they differ (lengths may still differ observably, which reveals nothing useful).
pub fn constant_time_eq(presented: &str, expected: &str) -> bool {
    presented.as_bytes().ct_eq(expected.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_response_sets_type_and_status() {
        let r = json_response(StatusCode::CONFLICT, &serde_json::json!({"error": true}));
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "application/json; charset=utf-8"
        );
        assert_eq!(r.body().as_ref(), br#"{"error":true}"#);
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
        assert!(!constant_time_eq("", "a"));
    }
}
