//! The framework-agnostic dispatcher: routing, auth, parameter decoding and validation,
//! paging rules and the documented answers.

use super::auth::ServerAuth;
use super::{ExportClientsQuery, ExportOrdersQuery, HandlerError, UniverseHandler};
use crate::types::actions::{CallRequest, ErrorAnswer, LeadRequest, MessageRequest, TaskRequest};
use crate::types::time::parse_datetime;
use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_plumbing::{decode_fields, from_fields, json_response, query_map};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// The largest request body read (parameters may come as a form or JSON body): 1 MiB.
pub(crate) const BODY_LIMIT: usize = 1024 * 1024;

/// Page sizes for `export_clients` and `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimits {
    /// The page size used when the caller sends no `limit` (told back in `pagination.limit`).
    pub default_limit: u64,
    /// The largest page served; a larger `limit` is capped to it (and the cap told back).
    pub max_limit: u64,
}

impl Default for PageLimits {
    /// 1000 by default, at most 1000 (the seed's examples use 1000).
    fn default() -> Self {
        Self {
            default_limit: 1000,
            max_limit: 1000,
        }
    }
}

/// Serves the protocol in front of a [`UniverseHandler`].
///
/// - Path: `…/analytics` (any prefix, trailing slash allowed); anything else is a 404, unless
///   [`with_any_path`](Self::with_any_path) is set.
/// - Method: `GET` with query parameters; a `POST` whose form or JSON body carries them is
///   accepted too (query parameters win). Other methods get 405.
/// - Auth: HTTP Basic; optionally Roistat's `user` + `token` ([`ServerAuth`]). Failure: 401
///   with `WWW-Authenticate: Basic`.
/// - `action`: `import_scheme`, `export_clients`, `export`, `lead`, `message`, `task`, `call`,
///   in any case; missing or empty means `export`; anything else is a 400.
/// - Bad parameters: 400 `{"status":"error","message":"…"}` naming the parameter.
/// - Paging (`export_clients`, `export`): `offset` ≥ 0 (default 0); `limit` ≥ 1, default and cap
///   from [`PageLimits`]; the answer's `pagination.limit` is the page size used and its list is
///   cut to it.
pub struct Dispatcher<H> {
    handler: Arc<H>,
    auth: Arc<ServerAuth>,
    limits: PageLimits,
    any_path: bool,
}

impl<H> Clone for Dispatcher<H> {
    fn clone(&self) -> Self {
        Self {
            handler: Arc::clone(&self.handler),
            auth: Arc::clone(&self.auth),
            limits: self.limits,
            any_path: self.any_path,
        }
    }
}

impl<H> std::fmt::Debug for Dispatcher<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dispatcher")
            .field("auth", &self.auth)
            .field("limits", &self.limits)
            .field("any_path", &self.any_path)
            .finish_non_exhaustive()
    }
}

type Answer = Response<Bytes>;

impl<H: UniverseHandler> Dispatcher<H> {
    /// A dispatcher over a handler, accepting the given credentials.
    pub fn new(handler: H, auth: ServerAuth) -> Self {
        Self::from_arc(Arc::new(handler), auth)
    }

    /// A dispatcher over a shared handler (e.g. one an admin API also holds).
    pub fn from_arc(handler: Arc<H>, auth: ServerAuth) -> Self {
        Self {
            handler,
            auth: Arc::new(auth),
            limits: PageLimits::default(),
            any_path: false,
        }
    }

    /// Sets the page sizes of the paged actions.
    #[must_use]
    pub fn with_page_limits(mut self, limits: PageLimits) -> Self {
        self.limits = PageLimits {
            default_limit: limits.default_limit.max(1),
            max_limit: limits.max_limit.max(1),
        };
        self
    }

    /// Serves any path, not only `…/analytics` (for a mock mounted behind a catch-all).
    #[must_use]
    pub fn with_any_path(mut self, any_path: bool) -> Self {
        self.any_path = any_path;
        self
    }

    /// The handler.
    pub fn handler(&self) -> &Arc<H> {
        &self.handler
    }

    /// Answers one request. Never panics; every failure is a documented error answer.
    pub async fn dispatch(&self, req: Request<Bytes>) -> Response<Bytes> {
        let (parts, body) = req.into_parts();
        if !self.any_path && !is_analytics_path(parts.uri.path()) {
            return error(
                StatusCode::NOT_FOUND,
                "unknown path: the endpoint is <endpoint>/analytics",
            );
        }
        let mut params = query_map(&parts.uri);
        if !self.auth.check(&parts.headers, &params) {
            let mut resp = error(
                StatusCode::UNAUTHORIZED,
                "authentication required: wrong or missing credentials",
            );
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"Universe\", charset=\"UTF-8\""),
            );
            return resp;
        }
        match parts.method {
            Method::GET | Method::HEAD => {}
            Method::POST => {
                if !body.is_empty() {
                    match decode_fields(&parts.headers, &body, BODY_LIMIT).await {
                        Ok(fields) => {
                            for (k, v) in fields {
                                params.entry(k).or_insert(v);
                            }
                        }
                        Err(e) => {
                            return error(body_status(&e), &format!("invalid request body: {e}"));
                        }
                    }
                }
            }
            _ => {
                let mut resp = error(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method not allowed: use GET",
                );
                resp.headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
                return resp;
            }
        }
        match self.route(params).await {
            Ok(resp) => resp,
            Err(e) => handler_error(&e),
        }
    }

    /// Answers one request if that needs no waiting: polls [`dispatch`](Self::dispatch) once and
    /// returns `None` if it would have to wait (a handler awaiting I/O, a timer, an async lock).
    ///
    /// For synchronous hosts such as a `wiremock::Respond` in front of an in-memory handler
    /// whose methods never suspend; anything else should `.await` [`dispatch`](Self::dispatch).
    pub fn dispatch_ready(&self, req: Request<Bytes>) -> Option<Response<Bytes>> {
        let fut = std::pin::pin!(self.dispatch(req));
        let mut cx = Context::from_waker(std::task::Waker::noop());
        match fut.poll(&mut cx) {
            Poll::Ready(resp) => Some(resp),
            Poll::Pending => None,
        }
    }

    async fn route(&self, params: Map<String, Value>) -> Result<Answer, HandlerError> {
        let action = match params.get("action") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.trim().to_ascii_lowercase(),
            Some(_) => {
                return Err(HandlerError::invalid_parameter(
                    "action",
                    "must be given once, as text",
                ));
            }
        };
        let h = &self.handler;
        match action.as_str() {
            "import_scheme" => Ok(ok(&h.import_scheme().await?)),
            "export_clients" => {
                let (offset, limit) = self.page(&params)?;
                let mut page = h
                    .export_clients(ExportClientsQuery { offset, limit })
                    .await?;
                page.clients
                    .truncate(usize::try_from(limit).unwrap_or(usize::MAX));
                page.pagination.limit = limit;
                Ok(ok(&page))
            }
            "" | "export" => {
                let since = match text_param(&params, "date")? {
                    None => None,
                    Some(t) => Some(parse_datetime(&t).ok_or_else(|| {
                        HandlerError::invalid_parameter(
                            "date",
                            format_args!("expected Unix seconds, got {t:?}"),
                        )
                    })?),
                };
                let (offset, limit) = self.page(&params)?;
                let mut page = h
                    .export_orders(ExportOrdersQuery {
                        since,
                        offset,
                        limit,
                    })
                    .await?;
                page.orders
                    .truncate(usize::try_from(limit).unwrap_or(usize::MAX));
                page.pagination.limit = limit;
                Ok(ok(&page))
            }
            "lead" => {
                let lead: LeadRequest = decode(params)?;
                require("title", &lead.title)?;
                Ok(ok(&h.create_lead(lead).await?))
            }
            "message" => {
                let m: MessageRequest = decode(params)?;
                require("leadId", m.lead_id.as_str())?;
                require("message", &m.message)?;
                Ok(ok(&h.add_message(m).await?))
            }
            "task" => {
                let t: TaskRequest = decode(params)?;
                require("element_id", t.element_id.as_str())?;
                require("text", &t.text)?;
                Ok(ok(&h.add_task(t).await?))
            }
            "call" => {
                let c: CallRequest = decode(params)?;
                require("id", c.id.as_str())?;
                Ok(ok(&h.add_call(c).await?))
            }
            other => Err(HandlerError::invalid_parameter(
                "action",
                format_args!(
                    "unknown action {other:?}; expected import_scheme, export_clients, export, lead, message, task or call"
                ),
            )),
        }
    }

    /// Resolves `offset` and `limit` under the paging rules.
    fn page(&self, params: &Map<String, Value>) -> Result<(u64, u64), HandlerError> {
        let offset = match text_param(params, "offset")? {
            None => 0,
            Some(t) => t.parse::<u64>().map_err(|_| {
                HandlerError::invalid_parameter(
                    "offset",
                    format_args!("expected a non-negative integer, got {t:?}"),
                )
            })?,
        };
        let limit = match text_param(params, "limit")? {
            None => self.limits.default_limit,
            Some(t) => match t.parse::<u64>() {
                Ok(0) => {
                    return Err(HandlerError::invalid_parameter(
                        "limit",
                        "must be at least 1",
                    ));
                }
                Ok(n) => n,
                Err(_) => {
                    return Err(HandlerError::invalid_parameter(
                        "limit",
                        format_args!("expected a positive integer, got {t:?}"),
                    ));
                }
            },
        };
        Ok((offset, limit.min(self.limits.max_limit)))
    }
}

/// Whether a path is the protocol's `…/analytics` (trailing slash allowed).
fn is_analytics_path(path: &str) -> bool {
    let p = path.trim_end_matches('/');
    p == "/analytics" || p.ends_with("/analytics") || p == "analytics"
}

/// A single-valued text parameter; empty counts as absent.
fn text_param(params: &Map<String, Value>, name: &str) -> Result<Option<String>, HandlerError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(HandlerError::invalid_parameter(
            name,
            "given more than once or not a scalar",
        )),
    }
}

fn body_status(e: &http_plumbing::BodyError) -> StatusCode {
    match e {
        http_plumbing::BodyError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        http_plumbing::BodyError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        _ => StatusCode::BAD_REQUEST,
    }
}

fn require(name: &str, value: &str) -> Result<(), HandlerError> {
    if value.trim().is_empty() {
        Err(HandlerError::invalid_parameter(name, "must not be empty"))
    } else {
        Ok(())
    }
}

/// Decodes typed parameters; the error names the parameter.
fn decode<T: DeserializeOwned>(params: Map<String, Value>) -> Result<T, HandlerError> {
    from_fields(Value::Object(params)).map_err(|e| {
        let field = e.field.trim_start_matches('.');
        if e.message.starts_with("missing field") {
            HandlerError::bad_request(format!("missing parameter `{field}`"))
        } else {
            HandlerError::invalid_parameter(field, &e.message)
        }
    })
}

fn ok<T: Serialize>(value: &T) -> Answer {
    json_response(StatusCode::OK, value)
}

fn error(status: StatusCode, message: &str) -> Answer {
    json_response(status, &ErrorAnswer::new(message))
}

fn handler_error(e: &HandlerError) -> Answer {
    if let Some(detail) = e.internal_detail() {
        tracing::error!(target: "universe_api", status = e.status().as_u16(), detail, "handler failed");
    }
    error(e.status(), e.message())
}

impl<H: UniverseHandler> tower_service::Service<Request<Bytes>> for Dispatcher<H> {
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

/// An axum router that hands every request to the dispatcher (mount it where `<endpoint>` is;
/// bodies over 1 MiB get 413).
#[cfg(feature = "axum")]
pub fn router<H: UniverseHandler>(dispatcher: Dispatcher<H>) -> axum::Router {
    axum::Router::new().fallback(move |req: axum::extract::Request| {
        let dispatcher = dispatcher.clone();
        async move {
            let (parts, body) = req.into_parts();
            let resp = match axum::body::to_bytes(body, BODY_LIMIT).await {
                Ok(bytes) => dispatcher.dispatch(Request::from_parts(parts, bytes)).await,
                Err(_) => error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "request body is larger than 1 MiB",
                ),
            };
            resp.map(axum::body::Body::from)
        }
    })
}
