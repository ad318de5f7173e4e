//! [`WebhookHandler`] + [`WebhookDispatcher`]: the CRM's side of W1/W2.

use crate::types::calls::Envelope;
use crate::types::webhook::{ChecklistResult, TableResult};
use async_trait::async_trait;
use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_plumbing::{BODY_LIMIT, HandlerError, decode_fields, from_fields, json_response};
use serde_json::Value;
use std::sync::Arc;

/// What a CRM does with ROP's webhooks. Both methods default to "accept and ignore".
///
/// Delivery is at least once: deduplicate W1 on (`call_id`, `checklist_name`) and W2 on
/// (`call_id`, `table_id`). A 409 ([`duplicate_call`](crate::duplicate_call)) is answered 200,
/// so the sender stops.
///
/// ```
/// use rop_api::{ChecklistResult, HandlerError, WebhookDispatcher, WebhookHandler};
///
/// struct Crm;
/// #[rop_api::async_trait]
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

/// Receives W1/W2: `POST` with a JSON body (the older ROP vendor document's short or 001's full form).
///
/// Routing: with no paths configured, any path is accepted and the payload's shape decides
/// (`stages` → W1, `extracted_data` → W2). With [`with_checklist_path`](Self::with_checklist_path)
/// / [`with_table_path`](Self::with_table_path), those paths fix the kind and any other path is 404.
/// Answers: 200 `{"data":true,"error":false,"message":"OK"}`; 400 naming the field; 405 for other
/// methods; handler errors in the envelope with their status, except a 409 (a repeated
/// delivery), which is a 200. No authentication: keep the URL unguessable or put the router
/// behind your own auth layer.
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
    /// A dispatcher routing by payload shape on any path, with a 1 MiB body limit. `handler`
    /// is a value or an `Arc` shared with other code.
    pub fn new(handler: impl Into<Arc<H>>) -> Self {
        Self {
            handler: handler.into(),
            paths: Arc::new(Vec::new()),
            body_limit: BODY_LIMIT,
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

    /// The handler the dispatcher calls (shared: the dispatcher holds it in an `Arc`).
    pub fn handler(&self) -> &Arc<H> {
        &self.handler
    }

    /// Handles one webhook request.
    pub async fn dispatch(&self, req: Request<Bytes>) -> Response<Bytes> {
        match self.try_dispatch(req).await {
            Ok(r) => r,
            Err(e) if e.status() == StatusCode::CONFLICT => json_response(
                StatusCode::OK,
                &Envelope::ok(true, "Повторная доставка проигнорирована"),
            ),
            Err(e) => crate::server::respond_handler_error(&e),
        }
    }

    async fn try_dispatch(&self, req: Request<Bytes>) -> Result<Response<Bytes>, HandlerError> {
        let path = req.uri().path().trim_end_matches('/');
        let fixed =
            if self.paths.is_empty() {
                None
            } else {
                let found = self.paths.iter().find(|(p, _)| p == path).map(|(_, k)| *k);
                Some(found.ok_or_else(|| {
                    HandlerError::not_found(format!("Неизвестный webhook: {path}"))
                })?)
            };
        if req.method() != Method::POST {
            return Ok(crate::server::respond_method_not_allowed("POST"));
        }
        let fields = decode_fields(req.headers(), req.body(), self.body_limit).await?;
        let kind = match fixed {
            Some(k) => k,
            None if fields.contains_key("stages") => Kind::Checklist,
            None if fields.contains_key("extracted_data") => Kind::Table,
            None => {
                return Err(HandlerError::invalid(
                    "stages",
                    "neither `stages` (checklist result) nor `extracted_data` (table result) \
                     is present",
                ));
            }
        };
        let fields = Value::Object(fields);
        match kind {
            Kind::Checklist => {
                let r: ChecklistResult = from_fields(fields)?;
                self.handler.on_checklist_result(r).await?;
            }
            Kind::Table => {
                let r: TableResult = from_fields(fields)?;
                self.handler.on_table_result(r).await?;
            }
        }
        Ok(json_response(StatusCode::OK, &Envelope::ok(true, "OK")))
    }
}

http_plumbing::impl_dispatch!(WebhookDispatcher<H: WebhookHandler>, |d| d.body_limit, crate::server::respond_handler_error);
