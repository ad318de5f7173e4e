//! [`Dispatcher`]: routing, auth, decoding, validation and answers for R1–R5.

use super::handler::RopHandler;
use super::rate_limit::{Limiter, RateLimit};
use super::respond;
use crate::types::calls::{CallReadyQuery, CallUpload};
use crate::types::settings::{ManagersUpdate, OfficesUpdate};
use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_plumbing::{
    BODY_LIMIT, HandlerError, constant_time_eq, decode_fields, from_fields, json_response,
    query_map,
};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;
use std::time::Instant;

/// R1's success message.
pub(crate) const ACCEPTED: &str = "Звонок успешно получен и поставлен в очередь на анализ";

/// The routes, after the path prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    UploadCall,
    SubmitCall,
    UpdateOffices,
    UpdateManagers,
    CallReady,
}

/// The protocol side of a ROP server: routes R1–R5, checks `apiKey` (constant-time), applies the
/// optional per-key rate limit, decodes JSON / form / multipart bodies, validates, calls the
/// [`RopHandler`] and answers with the vendor document's envelope and status codes. Cheap to clone.
///
/// ```
/// use rop_api::{CallId, CallUpload, Dispatcher, HandlerError, RateLimit, RopHandler};
///
/// struct Accept;
/// #[async_trait::async_trait]
/// impl RopHandler for Accept {
///     async fn upload_call(&self, call: CallUpload) -> Result<CallId, HandlerError> {
///         Ok(call.call_id)
///     }
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let d = Dispatcher::new(Accept, "test-key").with_rate_limit(RateLimit::per_minute(60));
/// // `d.into_router()` (feature `axum`) serves it; `d.into_service()` is a `tower` service.
/// let req = http::Request::post("/api/v1/calls?apiKey=test-key")
///     .header("content-type", "application/json")
///     .body(bytes::Bytes::from(r#"{"call_id":"c1","manager_id":"m1","audio_url":"https://x.example/a.mp3"}"#))
///     .unwrap();
/// let resp = d.dispatch(req).await;
/// assert_eq!(resp.status(), 200);
/// # });
/// ```
pub struct Dispatcher<H> {
    handler: Arc<H>,
    config: Arc<Config>,
}

struct Config {
    api_keys: Vec<SecretString>,
    limiter: Option<Limiter>,
    body_limit: usize,
    prefix: String,
    keyless_call_ready: bool,
}

impl Clone for Config {
    /// A copy with a fresh rate-limit window.
    fn clone(&self) -> Self {
        Self {
            api_keys: self.api_keys.clone(),
            limiter: self.limiter.as_ref().map(|l| Limiter::new(l.limit())),
            body_limit: self.body_limit,
            prefix: self.prefix.clone(),
            keyless_call_ready: self.keyless_call_ready,
        }
    }
}

impl<H> Clone for Dispatcher<H> {
    fn clone(&self) -> Self {
        Self {
            handler: Arc::clone(&self.handler),
            config: Arc::clone(&self.config),
        }
    }
}

impl<H> fmt::Debug for Dispatcher<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        f.debug_struct("Dispatcher")
            .field(
                "api_keys",
                &format_args!("[{} × {}]", c.api_keys.len(), http_plumbing::REDACTED),
            )
            .field("rate_limit", &c.limiter.as_ref().map(Limiter::limit))
            .field("body_limit", &c.body_limit)
            .field("prefix", &c.prefix)
            .field("keyless_call_ready", &c.keyless_call_ready)
            .finish_non_exhaustive()
    }
}

impl<H: RopHandler> Dispatcher<H> {
    /// A dispatcher accepting `api_key`, routes under `/api/v1`, 1 MiB bodies, no rate limit,
    /// R5 requiring the key. `handler` is a value or an `Arc` shared with other code.
    pub fn new(handler: impl Into<Arc<H>>, api_key: impl Into<SecretString>) -> Self {
        Self {
            handler: handler.into(),
            config: Arc::new(Config {
                api_keys: vec![api_key.into()],
                limiter: None,
                body_limit: BODY_LIMIT,
                prefix: "/api/v1".to_owned(),
                keyless_call_ready: false,
            }),
        }
    }

    fn config_mut(&mut self) -> &mut Config {
        // Configuration happens before the dispatcher is cloned; a clone keeps its own copy.
        Arc::make_mut(&mut self.config)
    }

    /// Also accept this API key.
    #[must_use]
    pub fn with_api_key(mut self, api_key: impl Into<SecretString>) -> Self {
        self.config_mut().api_keys.push(api_key.into());
        self
    }

    /// Limit requests per API key (the ROP vendor document: [`RateLimit::default`], 60 per minute); over the
    /// limit answers 429 with `Retry-After`. Off by default.
    #[must_use]
    pub fn with_rate_limit(mut self, limit: RateLimit) -> Self {
        self.config_mut().limiter = Some(Limiter::new(limit));
        self
    }

    /// The largest request body accepted (default [`http_plumbing::BODY_LIMIT`], 1 MiB);
    /// larger answers 413.
    #[must_use]
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.config_mut().body_limit = bytes;
        self
    }

    /// The path prefix of the routes (default `/api/v1`; `""` serves them at the root).
    #[must_use]
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        let p = prefix.into();
        self.config_mut().prefix = p.trim_end_matches('/').to_owned();
        self
    }

    /// Accept R5 without `apiKey`, as the vendor documents' examples send it (legacy callers). Off by default;
    /// a key that *is* sent must still be valid.
    #[must_use]
    pub fn allow_keyless_call_ready(mut self, allow: bool) -> Self {
        self.config_mut().keyless_call_ready = allow;
        self
    }

    /// The handler the dispatcher calls (shared: the dispatcher holds it in an `Arc`).
    pub fn handler(&self) -> &Arc<H> {
        &self.handler
    }

    /// Handles one request. Never fails: every problem is an HTTP answer (an internal error's
    /// detail is logged with `tracing` and answered with a generic 500).
    pub async fn dispatch(&self, req: Request<Bytes>) -> Response<Bytes> {
        match self.try_dispatch(req).await {
            Ok(resp) => resp,
            Err(e) => respond::handler_error(&e),
        }
    }

    async fn try_dispatch(&self, req: Request<Bytes>) -> Result<Response<Bytes>, HandlerError> {
        let route = self.route(req.uri().path()).ok_or_else(|| {
            HandlerError::not_found(format!("Метод API не найден: {}", req.uri().path()))
        })?;
        let (expected, allow) = if route == Route::CallReady {
            (Method::GET, "GET")
        } else {
            (Method::POST, "POST")
        };
        if req.method() != expected {
            return Ok(respond::method_not_allowed(allow));
        }
        let mut query = query_map(req.uri());
        self.authenticate(route, query.remove("apiKey"))?;
        http_plumbing::check_query_utf8(req.uri())?;
        let (parts, body) = req.into_parts();
        match route {
            Route::CallReady => {
                let q: CallReadyQuery = decode(Value::Object(query))?;
                for (field, v) in [("tab", q.tab.as_str()), ("call", q.call.as_str())] {
                    if v.trim().is_empty() {
                        return Err(HandlerError::invalid(field, "must not be empty"));
                    }
                }
                let ready = self.handler.call_ready(q).await?;
                Ok(json_response(StatusCode::OK, &ready))
            }
            Route::UploadCall | Route::SubmitCall => {
                let fields = self.fields(&parts.headers, &body).await?;
                let call: CallUpload = decode(fields)?;
                call.validate()?;
                let result = if route == Route::UploadCall {
                    self.handler.upload_call(call).await
                } else {
                    self.handler.submit_call(call).await
                };
                let id = result?;
                Ok(respond::ok(id, ACCEPTED))
            }
            Route::UpdateOffices => {
                let fields = self.fields(&parts.headers, &body).await?;
                let update: OfficesUpdate = decode(fields)?;
                for (i, o) in update.offices.iter().enumerate() {
                    if o.office_id.as_str().trim().is_empty() {
                        return Err(HandlerError::invalid(
                            format!("offices[{i}].office_id"),
                            "must not be empty",
                        ));
                    }
                }
                let n = self.handler.update_offices(update.offices).await?;
                Ok(respond::ok(n, "Структура офисов обновлена"))
            }
            Route::UpdateManagers => {
                let fields = self.fields(&parts.headers, &body).await?;
                let update: ManagersUpdate = decode(fields)?;
                for (i, m) in update.managers.iter().enumerate() {
                    if m.manager_id.as_str().trim().is_empty() {
                        return Err(HandlerError::invalid(
                            format!("managers[{i}].manager_id"),
                            "must not be empty",
                        ));
                    }
                }
                let n = self.handler.update_managers(update.managers).await?;
                Ok(respond::ok(n, "Данные менеджеров обновлены"))
            }
        }
    }

    fn route(&self, path: &str) -> Option<Route> {
        let rest = path.strip_prefix(self.config.prefix.as_str())?;
        Some(match rest.trim_end_matches('/') {
            "/calls/audio-upload" => Route::UploadCall,
            "/calls" => Route::SubmitCall,
            "/settings/offices-update" => Route::UpdateOffices,
            "/settings/managers-update" => Route::UpdateManagers,
            "/tables/call-ready" => Route::CallReady,
            _ => return None,
        })
    }

    /// Checks the key (every configured key is compared, in constant time) and the rate limit.
    fn authenticate(&self, route: Route, presented: Option<Value>) -> Result<(), HandlerError> {
        let presented = match presented {
            Some(Value::String(s)) => Some(s),
            // `apiKey` sent twice: ambiguous, rejected.
            Some(_) => None,
            None if route == Route::CallReady && self.config.keyless_call_ready => return Ok(()),
            None => None,
        };
        let unauthorized = || HandlerError::unauthorized(respond::UNAUTHORIZED);
        let presented = presented.ok_or_else(unauthorized)?;
        let mut matched = None;
        for (i, key) in self.config.api_keys.iter().enumerate() {
            if constant_time_eq(&presented, key.expose_secret()) && matched.is_none() {
                matched = Some(i);
            }
        }
        let index = matched.ok_or_else(unauthorized)?;
        if let Some(limiter) = &self.config.limiter {
            limiter
                .check(index, Instant::now())
                .map_err(|wait| HandlerError::rate_limited(respond::RATE_LIMITED, Some(wait)))?;
        }
        Ok(())
    }

    async fn fields(&self, headers: &http::HeaderMap, body: &Bytes) -> Result<Value, HandlerError> {
        Ok(Value::Object(
            decode_fields(headers, body, self.config.body_limit).await?,
        ))
    }
}

fn decode<T: DeserializeOwned>(fields: Value) -> Result<T, HandlerError> {
    Ok(from_fields(fields)?)
}

http_plumbing::impl_dispatch!(Dispatcher<H: RopHandler>, |d| d.config.body_limit, respond::handler_error);
