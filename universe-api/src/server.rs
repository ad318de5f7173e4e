//! The CRM side: the [`UniverseHandler`] trait a CRM implements, and the [`Dispatcher`] that
//! speaks the protocol in front of it.

mod auth;
mod dispatch;

pub use auth::ServerAuth;
pub use dispatch::{Dispatcher, PageLimits};

use crate::types::actions::{
    CallAdded, CallRequest, LeadCreated, LeadRequest, MessageAdded, MessageRequest, TaskAdded,
    TaskRequest,
};
use crate::types::export::{ClientsPage, OrdersPage};
use crate::types::scheme::Scheme;
use chrono::{DateTime, Utc};
use http_plumbing::HandlerError;

/// U2's parameters as the dispatcher resolved them: `limit` is always set (the CRM's default
/// page size when the caller sent none, capped at the maximum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportClientsQuery {
    /// How many clients to skip.
    pub offset: u64,
    /// How many clients to return at most (≥ 1).
    pub limit: u64,
}

/// U3's parameters as the dispatcher resolved them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportOrdersQuery {
    /// Deals created or changed at or after this moment; `None` (no `date` sent) means all.
    pub since: Option<DateTime<Utc>>,
    /// How many deals to skip.
    pub offset: u64,
    /// How many deals to return at most (≥ 1).
    pub limit: u64,
}

/// What a CRM implements to serve the Universe protocol; one method per action (U1–U7).
///
/// The [`Dispatcher`] has already authenticated the caller, routed on `action`, decoded and
/// validated the parameters (naming the bad one in a 400) when a method is called. For the
/// two paged actions it also fills `pagination.limit` with the page size it resolved and cuts
/// a longer answer down to it; the handler sets `total_count`, the size of the whole selection,
/// the same on every page.
///
/// Read-only methods default to an empty CRM; the four writing actions default to
/// [`HandlerError::not_implemented`] (a 501). See the crate docs for a complete implementation.
#[async_trait::async_trait]
pub trait UniverseHandler: Send + Sync + 'static {
    /// U1 `import_scheme`: statuses, additional fields and managers.
    async fn import_scheme(&self) -> Result<Scheme, HandlerError> {
        Ok(Scheme::default())
    }

    /// U2 `export_clients`: one page of clients.
    async fn export_clients(&self, query: ExportClientsQuery) -> Result<ClientsPage, HandlerError> {
        let _ = query;
        Ok(ClientsPage::default())
    }

    /// U3 `export`: the scheme and one page of deals created or changed since `query.since`.
    /// The default answers the scheme from [`import_scheme`](Self::import_scheme) and no deals.
    async fn export_orders(&self, query: ExportOrdersQuery) -> Result<OrdersPage, HandlerError> {
        let _ = query;
        Ok(OrdersPage::new(self.import_scheme().await?, Vec::new(), 0))
    }

    /// U4 `lead`: create a deal; answer its id.
    async fn create_lead(&self, lead: LeadRequest) -> Result<LeadCreated, HandlerError> {
        let _ = lead;
        Err(HandlerError::not_implemented("action lead"))
    }

    /// U5 `message`: add a comment to a deal.
    async fn add_message(&self, message: MessageRequest) -> Result<MessageAdded, HandlerError> {
        let _ = message;
        Err(HandlerError::not_implemented("action message"))
    }

    /// U6 `task`: add a task to a deal.
    async fn add_task(&self, task: TaskRequest) -> Result<TaskAdded, HandlerError> {
        let _ = task;
        Err(HandlerError::not_implemented("action task"))
    }

    /// U7 `call`: record a call.
    async fn add_call(&self, call: CallRequest) -> Result<CallAdded, HandlerError> {
        let _ = call;
        Err(HandlerError::not_implemented("action call"))
    }
}
