//! Dispatcher plumbing shared by the four dispatchers of this crate (v1 PBX, v1 pushes, legacy
//! PBX, legacy pushes): the error answers, body reading with the `payload=<json>` envelope,
//! token checks, and the state the two push receivers share.

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_plumbing::{BODY_LIMIT, HandlerError, constant_time_eq, json_response};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::fmt;
use std::sync::Arc;

/// How a protocol words two of its errors.
#[derive(Clone, Copy)]
pub(crate) struct Wording {
    /// The `error` text of a 400 (`Validation error` in v1, `Invalid parameters` elsewhere).
    pub(crate) invalid: &'static str,
    /// The `error` text of every 401, or `None` to send the error's own message.
    pub(crate) unauthorized: Option<&'static str>,
    /// Whether 413 and 415 say `Payload Too Large` / `Unsupported Media Type` (else they carry
    /// the 400 text).
    pub(crate) body_reasons: bool,
}

/// v1 (`/crmapi/v1`): 400 `Validation error`; 401 the error's message.
pub(crate) const V1: Wording = Wording {
    invalid: "Validation error",
    unauthorized: None,
    body_reasons: true,
};

/// Pushes (V1–V4, L4–L7) and legacy PBX commands: 400 `Invalid parameters`; 401 `Invalid token`.
pub(crate) const PUSH: Wording = Wording {
    invalid: "Invalid parameters",
    unauthorized: Some("Invalid token"),
    body_reasons: false,
};

/// The answer for a handler error: `{"error": <text for its status>, "detail": <message>}`
/// with the error's status. 400 carries `wording.invalid` and the field in the detail (413
/// and 415 too, unless the wording gives them their reason phrases); 401 `wording.unauthorized` (else the message) and no detail; 404 `Not found`; 409
/// `Conflict`; 500 `Internal error` and 503 `Service unavailable` without detail (the internal
/// detail is logged); 501 `Not Implemented`.
pub(crate) fn error_answer(e: &HandlerError, wording: Wording) -> Response<Bytes> {
    let detail = Some(e.to_string());
    let (error, detail) = match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE if wording.body_reasons => ("Payload Too Large", detail),
        StatusCode::UNSUPPORTED_MEDIA_TYPE if wording.body_reasons => {
            ("Unsupported Media Type", detail)
        }
        StatusCode::BAD_REQUEST
        | StatusCode::PAYLOAD_TOO_LARGE
        | StatusCode::UNSUPPORTED_MEDIA_TYPE => (wording.invalid, detail),
        StatusCode::UNAUTHORIZED => (wording.unauthorized.unwrap_or(e.message()), None),
        StatusCode::NOT_FOUND => ("Not found", detail),
        StatusCode::CONFLICT => ("Conflict", detail),
        StatusCode::INTERNAL_SERVER_ERROR => ("Internal error", None),
        StatusCode::NOT_IMPLEMENTED => ("Not Implemented", detail),
        StatusCode::SERVICE_UNAVAILABLE => ("Service unavailable", None),
        _ => (e.message(), None),
    };
    let mut body = Map::new();
    body.insert("error".into(), error.into());
    if let Some(d) = detail {
        body.insert("detail".into(), d.into());
    }
    e.respond(&body)
}

/// `405 {"error":"Method Not Allowed"}` with `Allow`.
pub(crate) fn method_not_allowed(allow: &'static str) -> Response<Bytes> {
    let mut r = json_response(
        StatusCode::METHOD_NOT_ALLOWED,
        &serde_json::json!({ "error": "Method Not Allowed" }),
    );
    r.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    r
}

/// What a push receiver holds: its handler, the expected `crm_token`, the body limit.
pub(crate) struct Receiver<H: ?Sized> {
    pub(crate) handler: Arc<H>,
    pub(crate) token: Arc<SecretString>,
    pub(crate) body_limit: usize,
}

impl<H: ?Sized> Receiver<H> {
    pub(crate) fn new(handler: Arc<H>, token: SecretString) -> Self {
        Self {
            handler,
            token: Arc::new(token),
            body_limit: BODY_LIMIT,
        }
    }

    /// The receiver's `Debug` under the public type's `name`; the token is redacted.
    pub(crate) fn debug(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(name)
            .field("crm_token", &http_plumbing::REDACTED)
            .field("body_limit", &self.body_limit)
            .finish_non_exhaustive()
    }

    /// Reads a PBX → CRM push: POST only, the body's fields, `crm_token` checked (missing or
    /// wrong → 401 `{"error":"Invalid token"}`), then `cmd` as sent.
    pub(crate) async fn read(
        &self,
        req: &Request<Bytes>,
    ) -> Result<(Map<String, Value>, String), Answer> {
        require_post(req)?;
        let fields = read_fields(req, self.body_limit).await?;
        if !token_matches(&fields, "crm_token", &self.token) {
            return Err(Answer::Error(HandlerError::unauthorized("Invalid token")));
        }
        let cmd = command(&fields)?;
        Ok((fields, cmd))
    }
}

impl<H: ?Sized> Clone for Receiver<H> {
    fn clone(&self) -> Self {
        Self {
            handler: Arc::clone(&self.handler),
            token: Arc::clone(&self.token),
            body_limit: self.body_limit,
        }
    }
}

/// An early answer: a finished response (405) or an error to write in the protocol's form.
pub(crate) enum Answer {
    Done(Box<Response<Bytes>>),
    Error(HandlerError),
}

impl From<HandlerError> for Answer {
    fn from(e: HandlerError) -> Self {
        Self::Error(e)
    }
}

impl Answer {
    /// The response, errors written with `wording`.
    pub(crate) fn into_response(self, wording: Wording) -> Response<Bytes> {
        match self {
            Self::Done(r) => *r,
            Self::Error(e) => error_answer(&e, wording),
        }
    }
}

/// 405 unless the request is a POST.
pub(crate) fn require_post<B>(req: &Request<B>) -> Result<(), Answer> {
    if req.method() == Method::POST {
        Ok(())
    } else {
        Err(Answer::Done(Box::new(method_not_allowed("POST"))))
    }
}

/// Reads the body as one object of fields (JSON, form or multipart). A form with a `payload`
/// field holding a JSON object is unwrapped: the payload's fields win, the others stay.
pub(crate) async fn read_fields(
    req: &Request<Bytes>,
    limit: usize,
) -> Result<Map<String, Value>, HandlerError> {
    let mut fields = http_plumbing::decode_fields(req.headers(), req.body(), limit).await?;
    let inner = match fields.remove("payload") {
        None => return Ok(fields),
        Some(Value::Object(inner)) => inner,
        Some(Value::String(text)) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(inner)) => inner,
            Ok(_) => return Err(HandlerError::invalid("payload", "must be a JSON object")),
            Err(e) => {
                return Err(HandlerError::invalid(
                    "payload",
                    format!("is not valid JSON: {e}"),
                ));
            }
        },
        Some(_) => return Err(HandlerError::invalid("payload", "must be a JSON object")),
    };
    fields.extend(inner);
    Ok(fields)
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
pub(crate) fn command(fields: &Map<String, Value>) -> Result<String, HandlerError> {
    text_field(fields, "cmd").ok_or_else(|| HandlerError::invalid("cmd", "missing field `cmd`"))
}

/// A handler's success as 200 with an empty body.
pub(crate) fn empty(result: Result<(), HandlerError>) -> Result<Response<Bytes>, HandlerError> {
    result.map(|()| http_plumbing::empty_response(StatusCode::OK))
}

/// A handler's answer as 200 JSON.
pub(crate) fn json<T: serde::Serialize>(
    result: Result<T, HandlerError>,
) -> Result<Response<Bytes>, HandlerError> {
    result.map(|answer| json_response(StatusCode::OK, &answer))
}

/// Decodes the fields into `T`; the error names the failing field.
pub(crate) fn typed<T: DeserializeOwned>(fields: Map<String, Value>) -> Result<T, HandlerError> {
    Ok(http_plumbing::from_fields(Value::Object(fields))?)
}

/// An unknown `cmd`: 400 naming `cmd` and the commands served.
pub(crate) fn unknown_command(cmd: &str, expected: &str) -> HandlerError {
    HandlerError::invalid(
        "cmd",
        format!("unknown command {cmd:?}: expected {expected}"),
    )
}

/// Declares a PBX → CRM push receiver (v1 V1–V4, legacy L4–L7): the public struct over a
/// [`Receiver`], its `Clone`, `Debug` (token redacted), `new(handler, crm_token)`,
/// `with_body_limit`, `dispatch` (which calls the type's own `route`), and the workspace's
/// adapters (`http_plumbing::impl_dispatch!`).
macro_rules! push_dispatcher {
    ($(#[$meta:meta])* $name:ident: $handler:ident) => {
        $(#[$meta])*
        pub struct $name<H: ?Sized> {
            receiver: $crate::common::serve::Receiver<H>,
        }

        impl<H: ?Sized> Clone for $name<H> {
            fn clone(&self) -> Self {
                Self {
                    receiver: self.receiver.clone(),
                }
            }
        }

        impl<H: ?Sized> std::fmt::Debug for $name<H> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.receiver.debug(stringify!($name), f)
            }
        }

        impl<H: $handler + ?Sized> $name<H> {
            /// A dispatcher over `handler` (a value, or an `Arc` such as `Arc<dyn …>`) that
            /// accepts pushes carrying `crm_token` (a `&str`, `String` or `SecretString`).
            pub fn new(
                handler: impl Into<std::sync::Arc<H>>,
                crm_token: impl Into<secrecy::SecretString>,
            ) -> Self {
                Self {
                    receiver: $crate::common::serve::Receiver::new(handler.into(), crm_token.into()),
                }
            }

            /// The largest body accepted (default 1 MiB); larger ones get 413.
            #[must_use]
            pub fn with_body_limit(mut self, bytes: usize) -> Self {
                self.receiver.body_limit = bytes;
                self
            }

            /// Parses, authenticates, validates and routes one request; never panics, never
            /// answers 500 to bad input.
            pub async fn dispatch(&self, req: http::Request<bytes::Bytes>) -> http::Response<bytes::Bytes> {
                match self.route(req).await {
                    Ok(resp) => resp,
                    Err(answer) => answer.into_response($crate::common::serve::PUSH),
                }
            }
        }

        http_plumbing::impl_dispatch!($name<H: $handler + ?Sized>, |d| d.receiver.body_limit, $crate::common::serve::push_error);
    };
}

pub(crate) use push_dispatcher;

/// A push receiver's error answer (wording [`PUSH`]).
pub(crate) fn push_error(e: &HandlerError) -> Response<Bytes> {
    error_answer(e, PUSH)
}

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
        assert_eq!(
            (bad.status(), bad.field()),
            (StatusCode::BAD_REQUEST, Some("payload"))
        );
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
