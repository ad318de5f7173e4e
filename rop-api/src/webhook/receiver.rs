//! [`WebhookHandler`] + [`WebhookDispatcher`]: the CRM's side of W1/W2.

// Early returns carry the finished HTTP answer (`Err(response)`), once per request.
#![allow(clippy::result_large_err)]

use crate::server::HandlerError;
use crate::types::calls::Envelope;
use crate::types::webhook::{ChecklistResult, TableResult};
use async_trait::async_trait;
use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_plumbing::{decode_fields, from_fields, json_response};
use serde_json::Value;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// What a CRM does with ROP's webhooks. Both methods default to "accept and ignore".
///
/// Delivery is at least once: deduplicate W1 on (`call_id`, `checklist_name`) and W2 on
/// (`call_id`, `table_id`). [`HandlerError::Duplicate`] is answered 200, so the sender stops.
///
/// ```
/// use rop_api::{ChecklistResult, HandlerError, WebhookDispatcher, WebhookHandler};
///
/// struct Crm;
/// #[async_trait::async_trait]
/// impl WebhookHandler for Crm {
///     async fn on_checklist_result(&self, r: ChecklistResult) -> Result<(), HandlerError> {
///         println!("{}: {}%", r.call_id, r.completion_percentage);
///         Ok(())
///     }
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let d = WebhookDispatcher::new(Crm);
/// let body = r#"{"call_id":"c1","manager_id":"m1","total_score":1,"max_score":2,
///     "stages":[{"stage_name":"Приветствие","score":1,"comment":"","quote":""}]}"#;
/// let req = http::Request::post("/hooks/rop").body(bytes::Bytes::from(body)).unwrap();
/// assert_eq!(d.dispatch(req).await.status(), 200);
/// # });
/// ```
#[async_trait]
pub trait WebhookHandler: Send + Sync + 'static {
    /// W1: a checklist result.
    async fn on_checklist_result(&self, result: ChecklistResult) -> Result<(), HandlerError> {
        let _ = result;
        Ok(())
    }

    /// W2: a table result.
    async fn on_table_result(&self, result: TableResult) -> Result<(), HandlerError> {
        let _ = result;
        Ok(())
    }
}

/// Which webhook a path carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Checklist,
    Table,
}

/// Receives W1/W2: `POST` with a JSON body (seed 000's short or 001's full form).
///
/// Routing: with no paths configured, any path is accepted and the payload's shape decides
/// (`stages` → W1, `extracted_data` → W2). With [`with_checklist_path`](Self::with_checklist_path)
/// / [`with_table_path`](Self::with_table_path), those paths fix the kind and any other path is 404.
/// Answers: 200 `{"data":true,"error":false,"message":"OK"}`; 400 naming the field; 405 for other
/// methods; handler errors as in [`HandlerError`], except `Duplicate`, which is a 200.
pub struct WebhookDispatcher<H> {
    handler: Arc<H>,
    paths: Arc<Vec<(String, Kind)>>,
    body_limit: usize,
}

impl<H> Clone for WebhookDispatcher<H> {
    fn clone(&self) -> Self {
        Self {
            handler: Arc::clone(&self.handler),
            paths: Arc::clone(&self.paths),
            body_limit: self.body_limit,
        }
    }
}

impl<H> std::fmt::Debug for WebhookDispatcher<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookDispatcher")
            .field("paths", &self.paths)
            .field("body_limit", &self.body_limit)
            .finish_non_exhaustive()
    }
}

impl<H: WebhookHandler> WebhookDispatcher<H> {
    /// A dispatcher routing by payload shape on any path, with a 1 MiB body limit.
    pub fn new(handler: H) -> Self {
        Self::from_arc(Arc::new(handler))
    }

    /// As [`new`](Self::new), with a shared handler.
    pub fn from_arc(handler: Arc<H>) -> Self {
        Self {
            handler,
            paths: Arc::new(Vec::new()),
            body_limit: crate::server::DEFAULT_BODY_LIMIT,
        }
    }

    /// Serve W1 at this path.
    #[must_use]
    pub fn with_checklist_path(self, path: impl Into<String>) -> Self {
        self.with_path(path.into(), Kind::Checklist)
    }

    /// Serve W2 at this path.
    #[must_use]
    pub fn with_table_path(self, path: impl Into<String>) -> Self {
        self.with_path(path.into(), Kind::Table)
    }

    fn with_path(mut self, path: String, kind: Kind) -> Self {
        let path = path.trim_end_matches('/').to_owned();
        Arc::make_mut(&mut self.paths).push((path, kind));
        self
    }

    /// The largest body accepted (default 1 MiB); larger answers 413.
    #[must_use]
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// The body limit in bytes.
    pub fn body_limit(&self) -> usize {
        self.body_limit
    }

    /// The handler.
    pub fn handler(&self) -> &Arc<H> {
        &self.handler
    }

    /// Handles one webhook request.
    pub async fn dispatch(&self, req: Request<Bytes>) -> Response<Bytes> {
        match self.try_dispatch(req).await {
            Ok(r) | Err(r) => r,
        }
    }

    async fn try_dispatch(&self, req: Request<Bytes>) -> Result<Response<Bytes>, Response<Bytes>> {
        let path = req.uri().path().trim_end_matches('/');
        let fixed = if self.paths.is_empty() {
            None
        } else {
            let found = self.paths.iter().find(|(p, _)| p == path).map(|(_, k)| *k);
            Some(found.ok_or_else(|| {
                error(
                    StatusCode::NOT_FOUND,
                    format!("Неизвестный webhook: {path}"),
                )
            })?)
        };
        if req.method() != Method::POST {
            return Err(crate::server::respond_method_not_allowed("POST"));
        }
        let fields = decode_fields(req.headers(), req.body(), self.body_limit)
            .await
            .map_err(|e| crate::server::respond_body_error(&e))?;
        let kind = match fixed {
            Some(k) => k,
            None if fields.contains_key("stages") => Kind::Checklist,
            None if fields.contains_key("extracted_data") => Kind::Table,
            None => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "Некорректный параметр stages: neither `stages` (checklist result) nor \
                     `extracted_data` (table result) is present",
                ));
            }
        };
        let fields = Value::Object(fields);
        let result = match kind {
            Kind::Checklist => {
                let r: ChecklistResult = decode(fields)?;
                self.handler.on_checklist_result(r).await
            }
            Kind::Table => {
                let r: TableResult = decode(fields)?;
                self.handler.on_table_result(r).await
            }
        };
        match result {
            Ok(()) => Ok(json_response(StatusCode::OK, &Envelope::ok(true, "OK"))),
            Err(HandlerError::Duplicate) => Ok(json_response(
                StatusCode::OK,
                &Envelope::ok(true, "Повторная доставка проигнорирована"),
            )),
            Err(e) => Err(crate::server::respond_handler_error(&e)),
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(fields: Value) -> Result<T, Response<Bytes>> {
    from_fields(fields).map_err(|e| {
        crate::server::respond_handler_error(&HandlerError::invalid(e.field, e.message))
    })
}

fn error(status: StatusCode, message: impl Into<String>) -> Response<Bytes> {
    json_response(status, &Envelope::<()>::error(message))
}

impl<H: WebhookHandler> tower_service::Service<Request<Bytes>> for WebhookDispatcher<H> {
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
