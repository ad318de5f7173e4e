//! Dispatcher plumbing shared by the three dispatchers of this crate (v1 pushes, legacy PBX,
//! legacy pushes): body reading, the `payload=<json>` envelope, token checks, error bodies.

// The `Err` of these helpers is the early answer itself: one per request, never stored, so
// boxing it would only add an allocation.
#![allow(clippy::result_large_err)]

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_plumbing::{BodyError, FieldError, constant_time_eq, json_response};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The default body limit of the push and legacy dispatchers (1 MiB).
pub(crate) const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// `{"error": <error>}` with the given status.
pub(crate) fn error_response(status: StatusCode, error: &str) -> Response<Bytes> {
    json_response(status, &serde_json::json!({ "error": error }))
}

/// 400 `{"error":"Invalid parameters","detail":"<field>: <problem>"}`.
pub(crate) fn invalid(field: &str, problem: &str) -> Response<Bytes> {
    json_response(
        StatusCode::BAD_REQUEST,
        &serde_json::json!({
            "error": "Invalid parameters",
            "detail": format!("{field}: {problem}"),
        }),
    )
}

/// 405 `{"error":"Method Not Allowed"}` unless the request is a POST.
pub(crate) fn require_post<B>(req: &Request<B>) -> Result<(), Response<Bytes>> {
    if req.method() == Method::POST {
        Ok(())
    } else {
        let mut resp = error_response(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed");
        resp.headers_mut()
            .insert(http::header::ALLOW, http::HeaderValue::from_static("POST"));
        Err(resp)
    }
}

/// Reads the body as one object of fields (JSON, form or multipart). A form with a `payload`
/// field holding a JSON object is unwrapped: the payload's fields win, the others stay.
pub(crate) async fn read_fields(
    req: &Request<Bytes>,
    limit: usize,
) -> Result<Map<String, Value>, Response<Bytes>> {
    let mut fields = http_plumbing::decode_fields(req.headers(), req.body(), limit)
        .await
        .map_err(|e| body_error(&e))?;
    let inner = match fields.remove("payload") {
        None => return Ok(fields),
        Some(Value::Object(inner)) => inner,
        Some(Value::String(text)) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(inner)) => inner,
            Ok(_) => return Err(invalid("payload", "must be a JSON object")),
            Err(e) => return Err(invalid("payload", &format!("is not valid JSON: {e}"))),
        },
        Some(_) => return Err(invalid("payload", "must be a JSON object")),
    };
    fields.extend(inner);
    Ok(fields)
}

/// 413 with the usual `Invalid parameters` body naming `body`.
#[cfg(feature = "axum")]
pub(crate) fn too_large(limit: usize) -> Response<Bytes> {
    body_error(&BodyError::TooLarge { limit })
}

fn body_error(e: &BodyError) -> Response<Bytes> {
    let status = match e {
        BodyError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        BodyError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        _ => StatusCode::BAD_REQUEST,
    };
    let mut resp = invalid("body", &e.to_string());
    *resp.status_mut() = status;
    resp
}

/// A field read leniently as text (a number becomes its digits); `None` if absent or empty.
pub(crate) fn text_field(fields: &Map<String, Value>, name: &str) -> Option<String> {
    match fields.get(name)? {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        // A repeated form field: the first value counts.
        Value::Array(items) => items.first().and_then(|v| v.as_str()).map(str::to_owned),
        _ => None,
    }
}

/// Whether the request's `field` equals the expected secret, compared in constant time.
pub(crate) fn token_matches(
    fields: &Map<String, Value>,
    field: &str,
    expected: &SecretString,
) -> bool {
    text_field(fields, field)
        .is_some_and(|presented| constant_time_eq(&presented, expected.expose_secret()))
}

/// The request's `cmd` as sent (match it trimmed and lower-cased); missing → 400 naming `cmd`.
pub(crate) fn command(fields: &Map<String, Value>) -> Result<String, Response<Bytes>> {
    text_field(fields, "cmd").ok_or_else(|| invalid("cmd", "missing field `cmd`"))
}

/// Reads a PBX → CRM push: POST only, the body's fields, `crm_token` checked against `token`
/// (missing or wrong → 401 `{"error":"Invalid token"}`), then `cmd`.
pub(crate) async fn read_push(
    req: &Request<Bytes>,
    limit: usize,
    token: &SecretString,
) -> Result<(Map<String, Value>, String), Response<Bytes>> {
    require_post(req)?;
    let fields = read_fields(req, limit).await?;
    if !token_matches(&fields, "crm_token", token) {
        return Err(error_response(StatusCode::UNAUTHORIZED, "Invalid token"));
    }
    let cmd = command(&fields)?;
    Ok((fields, cmd))
}

/// A handler's answer as 200 with an empty body, or its refusal (401 text `Invalid token`).
pub(crate) fn answer_empty(result: Result<(), crate::Rejection>) -> Response<Bytes> {
    match result {
        Ok(()) => http_plumbing::empty_response(StatusCode::OK),
        Err(e) => handler_error(&e, "Invalid token"),
    }
}

/// A handler's answer as 200 JSON, or its refusal (401 text `Invalid token`).
pub(crate) fn answer_json<T: serde::Serialize>(
    result: Result<T, crate::Rejection>,
) -> Response<Bytes> {
    match result {
        Ok(answer) => json_response(StatusCode::OK, &answer),
        Err(e) => handler_error(&e, "Invalid token"),
    }
}

/// Decodes the fields into `T`, or the 400 that names the failing field.
pub(crate) fn typed<T: DeserializeOwned>(fields: Map<String, Value>) -> Result<T, Response<Bytes>> {
    http_plumbing::from_fields(Value::Object(fields))
        .map_err(|FieldError { field, message }| invalid(&field, &message))
}

/// The HTTP response for a handler's refusal. `unauthorized` is the protocol's 401 text.
pub(crate) fn handler_error(e: &crate::Rejection, unauthorized: &str) -> Response<Bytes> {
    match e {
        crate::Rejection::InvalidParameters { field, problem } => invalid(field, problem),
        crate::Rejection::Unauthorized => error_response(StatusCode::UNAUTHORIZED, unauthorized),
        crate::Rejection::Unavailable(_) => {
            error_response(StatusCode::SERVICE_UNAVAILABLE, "Service unavailable")
        }
    }
}

/// `tower_service::Service` and (feature `axum`) `router()` for a dispatcher type that has
/// `async fn dispatch(&self, Request<Bytes>) -> Response<Bytes>` and a `body_limit` field.
macro_rules! impl_dispatcher_service {
    ($ty:ident, $handler:ident) => {
        impl<H: $handler + ?Sized> tower_service::Service<http::Request<bytes::Bytes>> for $ty<H> {
            type Response = http::Response<bytes::Bytes>;
            type Error = std::convert::Infallible;
            type Future = std::pin::Pin<
                Box<dyn std::future::Future<Output = Result<Self::Response, Self::Error>> + Send>,
            >;

            fn poll_ready(
                &mut self,
                _cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Result<(), Self::Error>> {
                std::task::Poll::Ready(Ok(()))
            }

            fn call(&mut self, req: http::Request<bytes::Bytes>) -> Self::Future {
                let this = self.clone();
                Box::pin(async move { Ok(this.dispatch(req).await) })
            }
        }

        #[cfg(feature = "axum")]
        impl<H: $handler + ?Sized> $ty<H> {
            /// An `axum::Router` that hands every request (any path) to this dispatcher.
            pub fn into_router(self) -> axum::Router {
                axum::Router::new().fallback(move |req: axum::extract::Request| {
                    let this = self.clone();
                    async move {
                        use axum::response::IntoResponse;
                        let (parts, body) = req.into_parts();
                        match axum::body::to_bytes(body, this.body_limit).await {
                            Ok(bytes) => this
                                .dispatch(http::Request::from_parts(parts, bytes))
                                .await
                                .map(axum::body::Body::from)
                                .into_response(),
                            Err(_) => $crate::common::serve::too_large(this.body_limit)
                                .map(axum::body::Body::from)
                                .into_response(),
                        }
                    }
                })
            }
        }
    };
}

pub(crate) use impl_dispatcher_service;

#[cfg(test)]
mod tests {
    use super::*;

    fn req(ct: &str, body: &str) -> Request<Bytes> {
        Request::post("/")
            .header("content-type", ct)
            .body(Bytes::from(body.to_owned()))
            .unwrap()
    }

    #[tokio::test]
    async fn payload_is_unwrapped_from_form_and_json() {
        let form = "payload=%7B%22cmd%22%3A%22event%22%2C%22a%22%3A1%7D&crm_token=t&a=0";
        let f = read_fields(&req("application/x-www-form-urlencoded", form), 1024)
            .await
            .unwrap();
        assert_eq!(
            (f["cmd"].as_str(), f["a"].as_i64()),
            (Some("event"), Some(1))
        );
        assert_eq!(text_field(&f, "crm_token").as_deref(), Some("t"));
        assert!(!f.contains_key("payload"));
        let json = r#"{"payload":{"cmd":"contact"},"crm_token":"t"}"#;
        let f = read_fields(&req("application/json", json), 1024)
            .await
            .unwrap();
        assert_eq!(f["cmd"], "contact");
        let bad = read_fields(&req("application/json", r#"{"payload":[1]}"#), 1024)
            .await
            .unwrap_err();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn text_fields_are_read_leniently() {
        let f: Map<String, Value> =
            serde_json::from_str(r#"{"n":15,"e":" ","a":["x","y"],"b":true}"#).unwrap();
        assert_eq!(text_field(&f, "n").as_deref(), Some("15"));
        assert_eq!(text_field(&f, "e"), None);
        assert_eq!(text_field(&f, "a").as_deref(), Some("x"));
        assert_eq!(text_field(&f, "b").as_deref(), Some("true"));
        assert_eq!(text_field(&f, "missing"), None);
    }

    #[test]
    fn tokens_compare_exactly() {
        let f: Map<String, Value> = serde_json::from_str(r#"{"crm_token":"abc"}"#).unwrap();
        assert!(token_matches(&f, "crm_token", &SecretString::from("abc")));
        assert!(!token_matches(&f, "crm_token", &SecretString::from("abcd")));
        assert!(!token_matches(&f, "token", &SecretString::from("abc")));
    }
}
