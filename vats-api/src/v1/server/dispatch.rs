//! [`Dispatcher`]: routing, authentication and error mapping for a [`VatsHandler`].

use super::VatsHandler;
use super::routes::{self, RouteError};
use crate::common::serve;
use bytes::Bytes;
use http::{Request, Response};
use http_plumbing::{BODY_LIMIT, HandlerError, constant_time_eq};
use secrecy::{ExposeSecret, SecretString};
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// [`crate::v1::API_KEY_HEADER`] as a parsed header name (a lookup by `&str` parses it anew).
const API_KEY_NAME: http::HeaderName = http::HeaderName::from_static("x-api-key");

/// Serves `/crmapi/v1` over a [`VatsHandler`]: routes every P1–P40 path, checks `X-API-KEY` in
/// constant time, decodes JSON / form / multipart bodies and query strings, validates, calls the
/// handler and writes the documented answers and errors:
///
/// | situation | status | body |
/// |---|---|---|
/// | unknown path | 404 | `{"error":"Not found","detail":"no route <path>"}` |
/// | known path, other method | 405 (+ `Allow`) | `{"error":"Method Not Allowed"}` |
/// | missing or wrong key | 401 | `{"error":"Invalid token"}` |
/// | bad or missing field, bad body | 400 | `{"error":"Validation error","detail":"<field>: <problem>"}` |
/// | unsupported `Content-Type` | 415 | `{"error":"Unsupported Media Type","detail":…}` |
/// | body over the limit | 413 | `{"error":"Payload Too Large","detail":…}` |
/// | operation the handler does not implement | 501 | `{"error":"Not Implemented","detail":…}` |
/// | other handler errors | the error's status | `{"error":…,"detail":…}` (see below) |
///
/// A [`HandlerError`] is written `{"error": <text for its status>, "detail": <message>}`:
/// 400 `Validation error` (the detail names the field), 404 `Not found`, 409 `Conflict`, 500
/// `Internal error` (no detail; the internal detail is logged), 503 `Service unavailable`; a
/// 401 is `{"error": <its message>}` (`Invalid token`, `CRM disabled`, `CRM switched off`).
///
/// ```
/// use vats_api::v1::{Dispatcher, VatsHandler};
///
/// struct Nothing;
/// impl VatsHandler for Nothing {}
///
/// # async fn run() {
/// let d = Dispatcher::new(Nothing, "secret-key");
/// let req = http::Request::get("/crmapi/v1/users")
///     .header("X-API-KEY", "secret-key")
///     .body(bytes::Bytes::new())
///     .unwrap();
/// // Nothing implements no method: the trait's default answers 501.
/// assert_eq!(d.dispatch(req).await.status(), 501);
/// # }
/// ```
pub struct Dispatcher<H> {
    handler: Arc<H>,
    key: Arc<SecretString>,
    prefix: Arc<str>,
    body_limit: usize,
}

impl<H> Clone for Dispatcher<H> {
    fn clone(&self) -> Self {
        Self {
            handler: Arc::clone(&self.handler),
            key: Arc::clone(&self.key),
            prefix: Arc::clone(&self.prefix),
            body_limit: self.body_limit,
        }
    }
}

impl<H> fmt::Debug for Dispatcher<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dispatcher")
            .field("api_key", &"REDACTED")
            .field("prefix", &self.prefix)
            .field("body_limit", &self.body_limit)
            .finish_non_exhaustive()
    }
}

impl<H: VatsHandler> Dispatcher<H> {
    /// A dispatcher over `handler` (a value or an `Arc`) that accepts requests carrying
    /// `X-API-KEY: <api_key>` under the path prefix `/crmapi/v1`.
    pub fn new(handler: impl Into<Arc<H>>, api_key: impl Into<SecretString>) -> Self {
        Self {
            handler: handler.into(),
            key: Arc::new(api_key.into()),
            prefix: Arc::from("/crmapi/v1"),
            body_limit: BODY_LIMIT,
        }
    }

    /// Serves under another path prefix (`""` for the root); default `/crmapi/v1`.
    #[must_use]
    pub fn with_prefix(mut self, prefix: &str) -> Self {
        self.prefix = Arc::from(prefix.trim_end_matches('/'));
        self
    }

    /// Sets the request body limit (default [`http_plumbing::BODY_LIMIT`], 1 MiB).
    #[must_use]
    pub fn with_body_limit(mut self, limit: usize) -> Self {
        self.body_limit = limit;
        self
    }

    /// The handler the dispatcher calls (shared: the dispatcher holds it in an `Arc`).
    pub fn handler(&self) -> &Arc<H> {
        &self.handler
    }

    /// Handles one request. Never panics; every failure is a 4xx (or a handler's 500).
    pub async fn dispatch(&self, req: Request<Bytes>) -> Response<Bytes> {
        let (parts, body) = req.into_parts();
        let path = parts.uri.path();
        let Some(rest) = path
            .strip_prefix(&*self.prefix)
            .filter(|r| r.is_empty() || r.starts_with('/'))
        else {
            return handler_error(&HandlerError::not_found(format!("no route {path}")));
        };
        // On the stack: no route is deeper than `MAX_SEGMENTS`, so a longer path is no route.
        let mut segments: [Cow<'_, str>; routes::MAX_SEGMENTS] = Default::default();
        let mut n = 0;
        for s in rest.trim_matches('/').split('/') {
            let Some(slot) = segments.get_mut(n) else {
                return handler_error(&HandlerError::not_found(format!("no route {path}")));
            };
            *slot = percent_decode(s);
            n += 1;
        }
        let op = match routes::route(&parts.method, &segments[..n]) {
            Ok(op) => op,
            Err(RouteError::NotFound) => {
                return handler_error(&HandlerError::not_found(format!("no route {path}")));
            }
            Err(RouteError::MethodNotAllowed(allow)) => return serve::method_not_allowed(allow),
        };
        let presented = parts
            .headers
            .get(&API_KEY_NAME)
            .and_then(|v| v.to_str().ok());
        let authorised =
            presented.is_some_and(|k| constant_time_eq(k.trim(), self.key.expose_secret()));
        if !authorised {
            return handler_error(&HandlerError::unauthorized("Invalid token"));
        }
        match routes::run(&*self.handler, op, &parts, &body, self.body_limit).await {
            Ok(resp) => resp,
            Err(e) => handler_error(&e),
        }
    }
}

impl<H: VatsHandler> Dispatcher<H> {}

/// Percent-decodes one path segment; `+`, `&`, `=` and `;` are literal in a path (a login
/// `a&b` stays `a&b`), invalid escapes are kept as they are.
fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let escaped = s
        .replace('+', "%2B")
        .replace('&', "%26")
        .replace('=', "%3D")
        .replace(';', "%3B");
    let decoded = url::form_urlencoded::parse(format!("x={escaped}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_owned());
    Cow::Owned(decoded)
}

/// The answer for a handler error (see [`Dispatcher`]).
fn handler_error(e: &HandlerError) -> Response<Bytes> {
    serve::error_answer(e, serve::V1)
}

http_plumbing::impl_dispatch!(Dispatcher<H: VatsHandler>, |d| d.body_limit, handler_error);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parsed_key_header_is_the_documented_one() {
        assert!(
            API_KEY_NAME
                .as_str()
                .eq_ignore_ascii_case(crate::v1::API_KEY_HEADER)
        );
    }

    #[test]
    fn a_path_deeper_than_any_route_is_no_route() {
        let deep = "/users/a/b/c/d/e/f/g/h";
        let segments: Vec<Cow<'_, str>> = deep[1..].split('/').map(Cow::Borrowed).collect();
        assert!(segments.len() > routes::MAX_SEGMENTS);
        assert!(matches!(
            routes::route(&http::Method::GET, &segments),
            Err(RouteError::NotFound)
        ));
        let user: Vec<Cow<'_, str>> = vec!["users".into(), "admin".into()];
        assert!(matches!(
            routes::route(&http::Method::PUT, &user),
            Ok(routes::Op::UpdateUser(l)) if l.as_str() == "admin"
        ));
        assert!(matches!(
            routes::route(&http::Method::POST, &user),
            Err(RouteError::MethodNotAllowed("GET, PUT, DELETE"))
        ));
    }
}
