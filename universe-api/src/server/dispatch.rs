//! The framework-agnostic dispatcher: routing, auth, parameter decoding and validation,
//! paging rules and the documented answers.

use super::auth::ServerAuth;
use super::{ExportClientsQuery, ExportOrdersQuery, UniverseHandler};
use crate::types::actions::{CallRequest, ErrorAnswer, LeadRequest, MessageRequest, TaskRequest};
use crate::types::time::parse_datetime;
use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_plumbing::{
    BODY_LIMIT, HandlerError, decode_fields, from_fields, json_response, query_map,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Page sizes for `export_clients` and `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimits {
    /// The page size used when the caller sends no `limit` (told back in `pagination.limit`).
    pub default_limit: u64,
    /// The largest page served; a larger `limit` is capped to it (and the cap told back).
    pub max_limit: u64,
}

impl Default for PageLimits {
    /// 1000 by default, at most 1000 (the vendor document's examples use 1000).
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
/// - Handler errors: their status with `{"status":"error","message":…}`; a handler method left
///   at its default is 501.
/// - Paging (`export_clients`, `export`): `offset` ≥ 0 (default 0); `limit` ≥ 1, default and cap
///   from [`PageLimits`]; the answer's `pagination.limit` is the page size used and its list is
///   cut to it.
pub struct Dispatcher<H> {
    handler: Arc<H>,
    auth: Arc<ServerAuth>,
    limits: PageLimits,
    any_path: bool,
    body_limit: usize,
}

impl<H> Clone for Dispatcher<H> {
    fn clone(&self) -> Self {
        Self {
            handler: Arc::clone(&self.handler),
            auth: Arc::clone(&self.auth),
            limits: self.limits,
            any_path: self.any_path,
            body_limit: self.body_limit,
        }
    }
}

impl<H> std::fmt::Debug for Dispatcher<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dispatcher")
            .field("auth", &self.auth)
            .field("limits", &self.limits)
            .field("any_path", &self.any_path)
            .field("body_limit", &self.body_limit)
            .finish_non_exhaustive()
    }
}

type Answer = Response<Bytes>;

impl<H: UniverseHandler> Dispatcher<H> {
    /// A dispatcher over a handler (a value, or an `Arc` shared with e.g. an admin API),
    /// accepting the given credentials.
    pub fn new(handler: impl Into<Arc<H>>, auth: ServerAuth) -> Self {
        Self {
            handler: handler.into(),
            auth: Arc::new(auth),
            limits: PageLimits::default(),
            any_path: false,
            body_limit: BODY_LIMIT,
        }
    }

    /// The largest request body read (default [`http_plumbing::BODY_LIMIT`], 1 MiB; parameters
    /// may come as a form or JSON body); larger answers 413.
    #[must_use]
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
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

    /// The handler the dispatcher calls (shared: the dispatcher holds it in an `Arc`).
    pub fn handler(&self) -> &Arc<H> {
        &self.handler
    }

    /// Answers one request. Never panics; every failure is a documented error answer.
    pub async fn dispatch(&self, req: Request<Bytes>) -> Response<Bytes> {
        let (parts, body) = req.into_parts();
        if !self.any_path && !is_analytics_path(parts.uri.path()) {
            return handler_error(&HandlerError::not_found(
                "unknown path: the endpoint is <endpoint>/analytics",
            ));
        }
        let mut params = query_map(&parts.uri);
        if !self.auth.check(&parts.headers, &params) {
            let mut resp = handler_error(&HandlerError::unauthorized(
                "authentication required: wrong or missing credentials",
            ));
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"Universe\", charset=\"UTF-8\""),
            );
            return resp;
        }
        if let Err(e) = http_plumbing::check_query_utf8(&parts.uri) {
            return handler_error(&e);
        }
        match parts.method {
            Method::GET | Method::HEAD => {}
            Method::POST => {
                if !body.is_empty() {
                    match decode_fields(&parts.headers, &body, self.body_limit).await {
                        Ok(fields) => {
                            for (k, v) in fields {
                                params.entry(k).or_insert(v);
                            }
                        }
                        Err(e) => return handler_error(&e.into()),
                    }
                }
            }
            _ => {
                let mut resp = json_response(
                    StatusCode::METHOD_NOT_ALLOWED,
                    &ErrorAnswer::new("method not allowed: use GET"),
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

    async fn route(&self, params: Map<String, Value>) -> Result<Answer, HandlerError> {
        let action = match params.get("action") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.trim().to_ascii_lowercase(),
            Some(_) => {
                return Err(HandlerError::invalid(
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
                        HandlerError::invalid("date", format!("expected Unix seconds, got {t:?}"))
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
            other => Err(HandlerError::invalid(
                "action",
                format!(
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
                HandlerError::invalid(
                    "offset",
                    format!("expected a non-negative integer, got {t:?}"),
                )
            })?,
        };
        let limit = match text_param(params, "limit")? {
            None => self.limits.default_limit,
            Some(t) => match t.parse::<u64>() {
                Ok(0) => {
                    return Err(HandlerError::invalid("limit", "must be at least 1"));
                }
                Ok(n) => n,
                Err(_) => {
                    return Err(HandlerError::invalid(
                        "limit",
                        format!("expected a positive integer, got {t:?}"),
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
        Some(_) => Err(HandlerError::invalid(
            name,
            "given more than once or not a scalar",
        )),
    }
}

fn require(name: &str, value: &str) -> Result<(), HandlerError> {
    if value.trim().is_empty() {
        Err(HandlerError::invalid(name, "must not be empty"))
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
            HandlerError::invalid(field, &e.message)
        }
    })
}

fn ok<T: Serialize>(value: &T) -> Answer {
    json_response(StatusCode::OK, value)
}

/// `{"status":"error","message":…}` with the error's status; a field error reads
/// ``invalid parameter `leadId`: no such deal``.
fn handler_error(e: &HandlerError) -> Answer {
    match e.field() {
        Some(field) => e.respond(&ErrorAnswer::new(format!(
            "invalid parameter `{field}`: {}",
            e.message()
        ))),
        None => e.respond(&ErrorAnswer::new(e.message())),
    }
}

http_plumbing::impl_dispatch!(Dispatcher<H: UniverseHandler>, |d| d.body_limit, handler_error);
