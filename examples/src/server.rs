//! The example CRM's HTTP side: one axum app that mounts the API crates' own routers under
//! prefixes (no body reading or path matching of its own), and [`RunningServer`], the app
//! served on a listener.

use crate::crm::Crm;
use rop_api::{WebhookDispatcher, WebhookHandler};
use std::net::SocketAddr;
use vats_api::legacy::LegacyCrmDispatcher;
use vats_api::v1::push::CrmDispatcher;

/// Where the PBX pushes `/crmapi/v1` commands (V1–V4).
pub const PBX_V1_PATH: &str = "/pbx/v1";
/// Where the PBX pushes legacy commands (L4–L7).
pub const PBX_LEGACY_PATH: &str = "/pbx/legacy";
/// The prefix of ROP's webhooks.
const ROP_PREFIX: &str = "/rop";
/// Where ROP posts checklist results (W1).
pub const ROP_CHECKLIST_PATH: &str = "/rop/checklist";
/// Where ROP posts table results (W2).
pub const ROP_TABLE_PATH: &str = "/rop/table";

/// The CRM's app: [`PBX_V1_PATH`], [`PBX_LEGACY_PATH`], [`ROP_CHECKLIST_PATH`],
/// [`ROP_TABLE_PATH`]; anything else is 404.
pub fn router(crm: Crm) -> axum::Router {
    router_with_webhooks(crm.clone(), crm)
}

/// [`router`] with another handler for ROP's webhooks (e.g. one that wraps the CRM to log or
/// to simulate an outage).
///
/// Each protocol is the API crate's dispatcher turned into a router (`.into_router()`) and
/// mounted with `axum::Router::nest`; each reads bodies up to its own limit (1 MiB) and answers
/// its protocol's errors.
pub fn router_with_webhooks<W: WebhookHandler>(crm: Crm, webhooks: W) -> axum::Router {
    let token = crm.config().crm_token.clone();
    let rop = WebhookDispatcher::new(webhooks)
        .with_checklist_path(strip(ROP_CHECKLIST_PATH))
        .with_table_path(strip(ROP_TABLE_PATH));
    axum::Router::new()
        .nest(
            PBX_V1_PATH,
            CrmDispatcher::new(crm.clone(), token.clone()).into_router(),
        )
        .nest(
            PBX_LEGACY_PATH,
            LegacyCrmDispatcher::new(crm, token).into_router(),
        )
        .nest(ROP_PREFIX, rop.into_router())
}

/// A webhook path as the nested router sees it (without [`ROP_PREFIX`]).
fn strip(path: &'static str) -> &'static str {
    path.strip_prefix(ROP_PREFIX).unwrap_or(path)
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
