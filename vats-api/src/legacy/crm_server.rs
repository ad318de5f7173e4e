//! [`LegacyCrmHandler`] and [`LegacyCrmDispatcher`]: the CRM side of L4–L7.

use super::types::{ContactRequest, CrmUser, EventPush, HistoryPush, UsersAnswer};
use crate::common::serve::{self, Answer};
use crate::v1::push::ContactAnswer;
use async_trait::async_trait;
use bytes::Bytes;
use http::{Request, Response};
use http_plumbing::HandlerError;
use std::sync::Arc;

/// What a CRM implements to receive the legacy PBX's commands (L4–L7, docs/protocol.md §4).
///
/// Defaults: no users, no known contacts, events and history accepted and ignored. Answer
/// within a second; do slow work in a background task.
///
/// ```
/// use vats_api::{HandlerError, async_trait};
/// use vats_api::legacy::{HistoryPush, LegacyCrmHandler};
///
/// struct Crm;
///
/// #[async_trait]
/// impl LegacyCrmHandler for Crm {
///     async fn history(&self, push: HistoryPush) -> Result<(), HandlerError> {
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
    /// L4 `cmd=users` (also `cmd=user`, as the vendor document's example sends): the CRM's users.
    async fn users(&self) -> Result<Vec<CrmUser>, HandlerError> {
        Ok(Vec::new())
    }

    /// L5 `cmd=contact`: who is this number? `None` is answered `{}`.
    async fn contact(
        &self,
        request: ContactRequest,
    ) -> Result<Option<ContactAnswer>, HandlerError> {
        let _ = request;
        Ok(None)
    }

    /// L6 `cmd=event`: a call event. Answered 200 with an empty body.
    async fn event(&self, push: EventPush) -> Result<(), HandlerError> {
        let _ = push;
        Ok(())
    }

    /// L7 `cmd=history`: a finished call. Answered 200 with an empty body.
    async fn history(&self, push: HistoryPush) -> Result<(), HandlerError> {
        let _ = push;
        Ok(())
    }
}

#[async_trait]
impl<H: LegacyCrmHandler + ?Sized> LegacyCrmHandler for Arc<H> {
    async fn users(&self) -> Result<Vec<CrmUser>, HandlerError> {
        (**self).users().await
    }
    async fn contact(
        &self,
        request: ContactRequest,
    ) -> Result<Option<ContactAnswer>, HandlerError> {
        (**self).contact(request).await
    }
    async fn event(&self, push: EventPush) -> Result<(), HandlerError> {
        (**self).event(push).await
    }
    async fn history(&self, push: HistoryPush) -> Result<(), HandlerError> {
        (**self).history(push).await
    }
}

serve::push_dispatcher! {
    /// Receives L4–L7 at the CRM's URL (any path) and calls a [`LegacyCrmHandler`].
    ///
    /// Form bodies as the vendor document says (JSON, multipart and `payload=<json>` accepted too);
    /// `crm_token` compared in constant time (missing or wrong → 401 `{"error":"Invalid token"}`);
    /// routed by `cmd` (`users` or `user`, `contact`, `event`, `history`, any case); a missing or
    /// bad field → 400 `{"error":"Invalid parameters","detail":"<field>: <problem>"}`; an unknown
    /// `cmd` → the same naming `cmd`. Answers: `users` `{"users":[…]}`, `contact` JSON (`{}` when
    /// unknown), `event`/`history` 200 with an empty body.
    LegacyCrmDispatcher: LegacyCrmHandler
}

impl<H: LegacyCrmHandler + ?Sized> LegacyCrmDispatcher<H> {
    async fn route(&self, req: Request<Bytes>) -> Result<Response<Bytes>, Answer> {
        let (fields, cmd) = self.receiver.read(&req).await?;
        let h = &self.receiver.handler;
        Ok(match cmd.trim().to_ascii_lowercase().as_str() {
            "users" | "user" => serve::json(h.users().await.map(|users| UsersAnswer { users }))?,
            "contact" => serve::json(
                h.contact(serve::typed(fields)?)
                    .await
                    .map(Option::unwrap_or_default),
            )?,
            "event" => serve::empty(h.event(serve::typed(fields)?).await)?,
            "history" => serve::empty(h.history(serve::typed(fields)?).await)?,
            _ => {
                return Err(
                    serve::unknown_command(&cmd, "users, contact, event or history").into(),
                );
            }
        })
    }
}
