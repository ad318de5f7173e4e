//! `router(dispatcher)` / `webhook_router(dispatcher)`: the dispatchers as [`axum::Router`]s
//! (`axum` feature).

use super::dispatcher::{Dispatcher, body_error};
use super::handler::RopHandler;
use crate::webhook::{WebhookDispatcher, WebhookHandler};
use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use bytes::Bytes;
use http_plumbing::BodyError;
use std::future::Future;

/// An [`axum::Router`] that hands every request to `dispatcher` (bodies are read up to its limit).
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use rop_api::{CallId, CallUpload, Dispatcher, HandlerError, RopHandler};
///
/// struct Accept;
/// #[async_trait::async_trait]
/// impl RopHandler for Accept {
///     async fn upload_call(&self, call: CallUpload) -> Result<CallId, HandlerError> {
///         Ok(call.call_id)
///     }
/// }
///
/// let app = rop_api::router(Dispatcher::new(Accept, "key"));
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// axum::serve(listener, app).await
/// # }
/// ```
pub fn router<H: RopHandler>(dispatcher: Dispatcher<H>) -> axum::Router {
    axum::Router::new().fallback(move |req: Request| {
        let d = dispatcher.clone();
        let limit = d.body_limit();
        async move { handle(req, limit, move |r| async move { d.dispatch(r).await }).await }
    })
}

/// An [`axum::Router`] that hands every request to a [`WebhookDispatcher`].
pub fn webhook_router<H: WebhookHandler>(dispatcher: WebhookDispatcher<H>) -> axum::Router {
    axum::Router::new().fallback(move |req: Request| {
        let d = dispatcher.clone();
        let limit = d.body_limit();
        async move { handle(req, limit, move |r| async move { d.dispatch(r).await }).await }
    })
}

async fn handle<F, Fut>(req: Request, limit: usize, dispatch: F) -> Response
where
    F: FnOnce(http::Request<Bytes>) -> Fut,
    Fut: Future<Output = http::Response<Bytes>>,
{
    let (parts, body) = req.into_parts();
    let resp = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => dispatch(http::Request::from_parts(parts, bytes)).await,
        Err(_) => body_error(&BodyError::TooLarge { limit }),
    };
    resp.map(Body::from)
}
