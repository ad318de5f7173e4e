//! The example CRM's HTTP side: one axum app that hands each path to the right dispatcher of the
//! API crates, and [`RunningServer`], the app served on a listener.

use crate::crm::Crm;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use bytes::Bytes;
use http::StatusCode;
use rop_api::{WebhookDispatcher, WebhookHandler};
use std::net::SocketAddr;
use std::sync::Arc;
use vats_api::legacy::LegacyCrmDispatcher;
use vats_api::v1::push::CrmDispatcher;

/// Where the PBX pushes `/crmapi/v1` commands (V1–V4).
pub const PBX_V1_PATH: &str = "/pbx/v1";
/// Where the PBX pushes legacy commands (L4–L7).
pub const PBX_LEGACY_PATH: &str = "/pbx/legacy";
/// Where ROP posts checklist results (W1).
pub const ROP_CHECKLIST_PATH: &str = "/rop/checklist";
/// Where ROP posts table results (W2).
pub const ROP_TABLE_PATH: &str = "/rop/table";

/// Largest request body read (1 MiB, CONTRACTS.md rule 3).
const BODY_LIMIT: usize = 1024 * 1024;

struct Routes<W> {
    v1: CrmDispatcher<Crm>,
    legacy: LegacyCrmDispatcher<Crm>,
    hooks: WebhookDispatcher<W>,
}

/// The CRM's app: [`PBX_V1_PATH`], [`PBX_LEGACY_PATH`], [`ROP_CHECKLIST_PATH`],
/// [`ROP_TABLE_PATH`]; anything else is 404.
pub fn router(crm: Crm) -> axum::Router {
    router_with_webhooks(crm.clone(), crm)
}

/// [`router`] with another handler for ROP's webhooks (e.g. one that wraps the CRM to log or
/// to simulate an outage).
pub fn router_with_webhooks<W: WebhookHandler>(crm: Crm, webhooks: W) -> axum::Router {
    let token = crm.config().crm_token.clone();
    let routes = Arc::new(Routes {
        v1: CrmDispatcher::new(crm.clone(), token.clone()),
        legacy: LegacyCrmDispatcher::new(crm, token),
        hooks: WebhookDispatcher::new(webhooks)
            .with_checklist_path(ROP_CHECKLIST_PATH)
            .with_table_path(ROP_TABLE_PATH),
    });
    axum::Router::new().fallback(handle::<W>).with_state(routes)
}

async fn handle<W: WebhookHandler>(State(routes): State<Arc<Routes<W>>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return plain(StatusCode::PAYLOAD_TOO_LARGE, "request body over 1 MiB");
    };
    let req = http::Request::from_parts(parts, bytes);
    let path = req.uri().path().trim_end_matches('/').to_owned();
    let resp = match path.as_str() {
        PBX_V1_PATH => routes.v1.dispatch(req).await,
        PBX_LEGACY_PATH => routes.legacy.dispatch(req).await,
        ROP_CHECKLIST_PATH | ROP_TABLE_PATH => routes.hooks.dispatch(req).await,
        _ => {
            return plain(StatusCode::NOT_FOUND, "unknown path");
        }
    };
    resp.map(Body::from)
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut r = Response::new(Body::from(Bytes::from_static(text.as_bytes())));
    *r.status_mut() = status;
    r
}

/// An app being served; dropping it (or [`shutdown`](Self::shutdown)) stops the server.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl RunningServer {
    /// Serves `app` on `listener` in a background task.
    ///
    /// # Errors
    /// When the listener has no local address.
    pub fn spawn(listener: tokio::net::TcpListener, app: axum::Router) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::warn!(error = %e, "CRM server stopped with an error");
            }
        });
        Ok(Self {
            addr,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://addr` plus `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Stops serving and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
