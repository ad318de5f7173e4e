//! [`LegacyCrmHandler`] and [`LegacyCrmDispatcher`]: the CRM side of L4–L7.

use super::types::{ContactRequest, CrmUser, EventPush, HistoryPush, UsersAnswer};
use crate::Rejection;
use crate::common::serve::{self, impl_dispatcher_service};
use crate::v1::push::ContactAnswer;
use async_trait::async_trait;
use bytes::Bytes;
use http::{Request, Response};
use secrecy::SecretString;
use std::fmt;
use std::sync::Arc;

/// What a CRM implements to receive the legacy PBX's commands (seed 004, L4–L7).
///
/// Defaults: no users, no known contacts, events and history accepted and ignored. Answer
/// within a second; do slow work in a background task.
///
/// ```
/// use async_trait::async_trait;
/// use vats_api::Rejection;
/// use vats_api::legacy::{HistoryPush, LegacyCrmHandler};
///
/// struct Crm;
///
/// #[async_trait]
/// impl LegacyCrmHandler for Crm {
///     async fn history(&self, push: HistoryPush) -> Result<(), Rejection> {
///         if let Some(url) = push.recording() {
///             let url = url.to_owned();
///             tokio::spawn(async move { let _ = url; /* send it to analysis */ });
///         }
///         Ok(())
///     }
/// }
/// ```
#[async_trait]
pub trait LegacyCrmHandler: Send + Sync + 'static {
    /// L4 `cmd=users` (also `cmd=user`, as the seed's example sends): the CRM's users.
    async fn users(&self) -> Result<Vec<CrmUser>, Rejection> {
        Ok(Vec::new())
    }

    /// L5 `cmd=contact`: who is this number? `None` is answered `{}`.
    async fn contact(&self, request: ContactRequest) -> Result<Option<ContactAnswer>, Rejection> {
        let _ = request;
        Ok(None)
    }

    /// L6 `cmd=event`: a call event. Answered 200 with an empty body.
    async fn event(&self, push: EventPush) -> Result<(), Rejection> {
        let _ = push;
        Ok(())
    }

    /// L7 `cmd=history`: a finished call. Answered 200 with an empty body.
    async fn history(&self, push: HistoryPush) -> Result<(), Rejection> {
        let _ = push;
        Ok(())
    }
}

#[async_trait]
impl<H: LegacyCrmHandler + ?Sized> LegacyCrmHandler for Arc<H> {
    async fn users(&self) -> Result<Vec<CrmUser>, Rejection> {
        (**self).users().await
    }
    async fn contact(&self, request: ContactRequest) -> Result<Option<ContactAnswer>, Rejection> {
        (**self).contact(request).await
    }
    async fn event(&self, push: EventPush) -> Result<(), Rejection> {
        (**self).event(push).await
    }
    async fn history(&self, push: HistoryPush) -> Result<(), Rejection> {
        (**self).history(push).await
    }
}

/// Receives L4–L7 at the CRM's URL (any path) and calls a [`LegacyCrmHandler`].
///
/// Form bodies as the seed says (JSON, multipart and `payload=<json>` accepted too);
/// `crm_token` compared in constant time (missing or wrong → 401 `{"error":"Invalid token"}`);
/// routed by `cmd` (`users` or `user`, `contact`, `event`, `history`, any case); a missing or
/// bad field → 400 `{"error":"Invalid parameters","detail":"<field>: <problem>"}`; an unknown
/// `cmd` → the same naming `cmd`. Answers: `users` `{"users":[…]}`, `contact` JSON (`{}` when
/// unknown), `event`/`history` 200 with an empty body.
pub struct LegacyCrmDispatcher<H: ?Sized> {
    handler: Arc<H>,
    token: Arc<SecretString>,
    body_limit: usize,
}

impl<H: ?Sized> Clone for LegacyCrmDispatcher<H> {
    fn clone(&self) -> Self {
        Self {
            handler: Arc::clone(&self.handler),
            token: Arc::clone(&self.token),
            body_limit: self.body_limit,
        }
    }
}

impl<H: ?Sized> fmt::Debug for LegacyCrmDispatcher<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LegacyCrmDispatcher")
            .field("crm_token", &http_plumbing::REDACTED)
            .field("body_limit", &self.body_limit)
            .finish_non_exhaustive()
    }
}

impl<H: LegacyCrmHandler> LegacyCrmDispatcher<H> {
    /// A dispatcher over `handler` that accepts commands carrying `crm_token`.
    pub fn new(handler: H, crm_token: SecretString) -> Self {
        Self::from_arc(Arc::new(handler), crm_token)
    }
}

impl<H: LegacyCrmHandler + ?Sized> LegacyCrmDispatcher<H> {
    /// The same over a shared handler.
    pub fn from_arc(handler: Arc<H>, crm_token: SecretString) -> Self {
        Self {
            handler,
            token: Arc::new(crm_token),
            body_limit: serve::DEFAULT_BODY_LIMIT,
        }
    }

    /// The largest body accepted (default 1 MiB); larger ones get 413.
    #[must_use]
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Parses, authenticates, validates and routes one request.
    pub async fn dispatch(&self, req: Request<Bytes>) -> Response<Bytes> {
        match self.route(req).await {
            Ok(resp) | Err(resp) => resp,
        }
    }

    async fn route(&self, req: Request<Bytes>) -> Result<Response<Bytes>, Response<Bytes>> {
        let (fields, cmd) = serve::read_push(&req, self.body_limit, &self.token).await?;
        let h = &self.handler;
        Ok(match cmd.trim().to_ascii_lowercase().as_str() {
            "users" | "user" => {
                serve::answer_json(h.users().await.map(|users| UsersAnswer { users }))
            }
            "contact" => serve::answer_json(
                h.contact(serve::typed(fields)?)
                    .await
                    .map(Option::unwrap_or_default),
            ),
            "event" => serve::answer_empty(h.event(serve::typed(fields)?).await),
            "history" => serve::answer_empty(h.history(serve::typed(fields)?).await),
            _ => serve::invalid(
                "cmd",
                &format!("unknown command {cmd:?}: expected users, contact, event or history"),
            ),
        })
    }
}

impl_dispatcher_service!(LegacyCrmDispatcher, LegacyCrmHandler);

/// An `axum::Router` serving L4–L7 at every path (feature `axum`).
#[cfg(feature = "axum")]
pub fn legacy_crm_router<H: LegacyCrmHandler>(handler: H, crm_token: SecretString) -> axum::Router {
    LegacyCrmDispatcher::new(handler, crm_token).into_router()
}
