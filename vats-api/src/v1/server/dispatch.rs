//! [`Dispatcher`]: routing, authentication and error mapping for a [`VatsHandler`].

use super::routes::{self, RouteError};
use super::{HandlerError, VatsHandler};
use crate::v1::API_KEY_HEADER;
use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode, header};
use http_plumbing::{constant_time_eq, json_response};
use secrecy::{ExposeSecret, SecretString};
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// The default request body limit: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;

/// Serves `/crmapi/v1` over a [`VatsHandler`]: routes every P1–P40 path, checks `X-API-KEY` in
/// constant time, decodes JSON / form / multipart bodies and query strings, validates, calls the
/// handler and writes the seed's answers and errors:
///
/// | situation | status | body |
/// |---|---|---|
/// | unknown path | 404 | `{"error":"Not found"}` |
/// | known path, other method | 405 (+ `Allow`) | `{"error":"Method Not Allowed"}` |
/// | missing or wrong key | 401 | `{"error":"Invalid token"}` |
/// | bad or missing field, bad body | 400 | `{"error":"Validation error","detail":"<field>: <problem>"}` |
/// | body over the limit | 413 | `{"error":"Payload Too Large"}` |
/// | handler errors | see [`HandlerError::status`] | `{"error":…,"detail":…}` |
///
/// ```
/// use vats_api::v1::{Dispatcher, VatsHandler};
///
/// struct Nothing;
/// impl VatsHandler for Nothing {}
///
/// # async fn run() {
/// let d = Dispatcher::new(Nothing, "secret-key".into());
/// let req = http::Request::get("/crmapi/v1/users")
///     .header("X-API-KEY", "secret-key")
///     .body(bytes::Bytes::new())
///     .unwrap();
/// // Nothing implements no method: the trait's default answers 405.
/// assert_eq!(d.dispatch(req).await.status(), 405);
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
    pub fn new(handler: impl Into<Arc<H>>, api_key: SecretString) -> Self {
        Self {
            handler: handler.into(),
            key: Arc::new(api_key),
            prefix: Arc::from("/crmapi/v1"),
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// Serves under another path prefix (`""` for the root); default `/crmapi/v1`.
    #[must_use]
    pub fn with_prefix(mut self, prefix: &str) -> Self {
        self.prefix = Arc::from(prefix.trim_end_matches('/'));
        self
    }

    /// Sets the request body limit (default [`DEFAULT_BODY_LIMIT`]).
    #[must_use]
    pub fn with_body_limit(mut self, limit: usize) -> Self {
        self.body_limit = limit;
        self
    }

    /// The handler.
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
            return error_body(StatusCode::NOT_FOUND, "Not found", None);
        };
        let segments: Vec<String> = rest
            .trim_matches('/')
            .split('/')
            .map(percent_decode)
            .collect();
        let op = match routes::route(&parts.method, &segments) {
            Ok(op) => op,
            Err(RouteError::NotFound) => {
                return error_body(StatusCode::NOT_FOUND, "Not found", None);
            }
            Err(RouteError::MethodNotAllowed(allow)) => {
                let mut r = error_body(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed", None);
                r.headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static(allow));
                return r;
            }
        };
        let presented = parts
            .headers
            .get(API_KEY_HEADER)
            .and_then(|v| v.to_str().ok());
        let authorised =
            presented.is_some_and(|k| constant_time_eq(k.trim(), self.key.expose_secret()));
        if !authorised {
            return handler_error(&HandlerError::InvalidToken);
        }
        match routes::run(&*self.handler, op, &parts, &body, self.body_limit).await {
            Ok(resp) => resp,
            Err(e) => handler_error(&e),
        }
    }
}

impl<H: VatsHandler> Dispatcher<H> {
    /// [`dispatch`](Self::dispatch) for synchronous callers (a `wiremock::Respond`, a test):
    /// runs the request to completion on the current thread, parking it while the handler waits.
    ///
    /// The dispatcher itself never waits on I/O; a handler that awaits only in-memory state
    /// (locks, channels) works here. Do not call it on an async runtime's worker thread with a
    /// handler that awaits runtime I/O or timers (wrap such calls in
    /// `tokio::task::block_in_place`, or use `dispatch`).
    pub fn dispatch_blocking(&self, req: Request<Bytes>) -> Response<Bytes> {
        struct Unpark(std::thread::Thread);
        impl std::task::Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        let mut fut = std::pin::pin!(self.dispatch(req));
        loop {
            match fut.as_mut().poll(&mut cx) {
                Poll::Ready(resp) => return resp,
                Poll::Pending => std::thread::park(),
            }
        }
    }
}

/// Percent-decodes one path segment; `+`, `&`, `=` and `;` are literal in a path (a login
/// `a&b` stays `a&b`), invalid escapes are kept as they are.
fn percent_decode(s: &str) -> String {
    let escaped = s
        .replace('+', "%2B")
        .replace('&', "%26")
        .replace('=', "%3D")
        .replace(';', "%3B");
    url::form_urlencoded::parse(format!("x={escaped}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_owned())
}

/// `{"error": text, "detail": detail}` with the given status.
pub(crate) fn error_body(
    status: StatusCode,
    error: &str,
    detail: Option<String>,
) -> Response<Bytes> {
    let mut body = serde_json::Map::new();
    body.insert("error".into(), error.into());
    if let Some(d) = detail {
        body.insert("detail".into(), d.into());
    }
    json_response(status, &body)
}

/// The response for a handler error.
pub(crate) fn handler_error(e: &HandlerError) -> Response<Bytes> {
    error_body(e.status(), e.error_text(), e.detail())
}

impl<H: VatsHandler> tower_service::Service<Request<Bytes>> for Dispatcher<H> {
    type Response = Response<Bytes>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Bytes>, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<Bytes>) -> Self::Future {
        let this = self.clone();
        Box::pin(async move { Ok(this.dispatch(req).await) })
    }
}

#[cfg(feature = "axum")]
impl<H: VatsHandler> Dispatcher<H> {
    /// An `axum::Router` that hands every request to this dispatcher (bodies over the limit get
    /// 413).
    pub fn into_router(self) -> axum::Router {
        axum::Router::new().fallback(move |req: axum::extract::Request| {
            let this = self.clone();
            async move {
                let (parts, body) = req.into_parts();
                match axum::body::to_bytes(body, this.body_limit).await {
                    Ok(bytes) => {
                        let resp = this.dispatch(Request::from_parts(parts, bytes)).await;
                        resp.map(axum::body::Body::from)
                    }
                    Err(_) => handler_error(&HandlerError::TooLarge {
                        limit: this.body_limit,
                    })
                    .map(axum::body::Body::from),
                }
            }
        })
    }
}

/// `axum` adapter: a router serving `/crmapi/v1` over `handler` with `api_key`.
#[cfg(feature = "axum")]
pub fn router<H: VatsHandler>(handler: impl Into<Arc<H>>, api_key: SecretString) -> axum::Router {
    Dispatcher::new(handler, api_key).into_router()
}
