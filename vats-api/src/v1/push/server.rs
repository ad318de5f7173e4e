//! [`CrmHandler`] and [`CrmDispatcher`]: the CRM side of V1–V4.

use super::types::{ContactAnswer, ContactRequest, EventPush, HistoryPush, RatingPush};
use crate::common::serve::{self, Answer};
use async_trait::async_trait;
use bytes::Bytes;
use http::{Request, Response};
use http_plumbing::HandlerError;
use std::sync::Arc;

/// What a handler method returns.
type HandlerResult<T> = Result<T, HandlerError>;

/// What a CRM implements to receive the PBX's pushes (V1–V4, docs/protocol.md §3).
///
/// Every method has a default: `history`, `event` and `rating` accept and ignore; `contact`
/// knows no number. **Answer within a second**: the PBX waits for `contact` before it routes the
/// call, and for the others before it sends the next push; move slow work (CRM writes, calls to
/// the analytics service) into a spawned task and return at once.
///
/// ```
/// use vats_api::{HandlerError, async_trait};
/// use vats_api::v1::push::{ContactAnswer, ContactRequest, CrmHandler, HistoryPush};
///
/// struct MyCrm;
///
/// #[async_trait]
/// impl CrmHandler for MyCrm {
///     async fn history(&self, push: HistoryPush) -> Result<(), HandlerError> {
///         // Hand the recording to a background task; answer at once.
///         tokio::spawn(async move { let _ = push.link; });
///         Ok(())
///     }
///     async fn contact(&self, req: ContactRequest) -> Result<Option<ContactAnswer>, HandlerError> {
///         Ok((req.phone.as_str() == "79101234567").then(|| ContactAnswer {
///             contact_name: Some("ЗАО Рога и копыта".into()),
///             responsible: Some("admin".into()),
///         }))
///     }
/// }
/// ```
#[async_trait]
pub trait CrmHandler: Send + Sync + 'static {
    /// V1 `history`: a call finished. Answered 200 with an empty body.
    async fn history(&self, push: HistoryPush) -> HandlerResult<()> {
        let _ = push;
        Ok(())
    }

    /// V2 `event`: a call event. Answered 200 with an empty body.
    async fn event(&self, push: EventPush) -> HandlerResult<()> {
        let _ = push;
        Ok(())
    }

    /// V3 `contact`: who is this number? `None` is answered `{}`.
    async fn contact(&self, request: ContactRequest) -> HandlerResult<Option<ContactAnswer>> {
        let _ = request;
        Ok(None)
    }

    /// V4 `rating`: a client's score. Answered 200 `{}`.
    async fn rating(&self, push: RatingPush) -> HandlerResult<()> {
        let _ = push;
        Ok(())
    }
}

#[async_trait]
impl<H: CrmHandler + ?Sized> CrmHandler for Arc<H> {
    async fn history(&self, push: HistoryPush) -> HandlerResult<()> {
        (**self).history(push).await
    }
    async fn event(&self, push: EventPush) -> HandlerResult<()> {
        (**self).event(push).await
    }
    async fn contact(&self, request: ContactRequest) -> HandlerResult<Option<ContactAnswer>> {
        (**self).contact(request).await
    }
    async fn rating(&self, push: RatingPush) -> HandlerResult<()> {
        (**self).rating(push).await
    }
}

serve::push_dispatcher! {
    /// Receives V1–V4 at the CRM's one URL (any path) and calls a [`CrmHandler`].
    ///
    /// - Only `POST` (else 405 `{"error":"Method Not Allowed"}`).
    /// - Bodies as JSON, as form fields, as multipart, or as one form field `payload=<json>`.
    /// - `crm_token` compared in constant time; missing or wrong → 401 `{"error":"Invalid token"}`.
    /// - Routed by `cmd` (any case); missing or unknown → 400 naming `cmd`.
    /// - A missing or malformed field → 400 `{"error":"Invalid parameters","detail":"<field>: <problem>"}`.
    /// - Handler errors: 400 / 401 / 404 / 409 / 501 / 503 in the same `{"error","detail"}` form (a
    ///   500's or 503's internal detail is logged, never sent).
    /// - `history`, `event`: 200 with an empty body; `contact`: 200 JSON (`{}` for an unknown
    ///   number); `rating`: 200 `{}`.
    /// - A body that is not JSON/form → 400 (415 for an unsupported `Content-Type`, 413 over the
    ///   limit, 1 MiB by default).
    ///
    /// ```
    /// use vats_api::v1::push::{CrmDispatcher, CrmHandler};
    ///
    /// struct Ignore;
    /// impl CrmHandler for Ignore {}
    ///
    /// # tokio_test(async {
    /// let d = CrmDispatcher::new(Ignore, "secret");
    /// let req = http::Request::post("/crm")
    ///     .header("content-type", "application/x-www-form-urlencoded")
    ///     .body(bytes::Bytes::from("cmd=contact&phone=79101234567&callid=1&crm_token=secret"))?;
    /// let resp = d.dispatch(req).await;
    /// assert_eq!(resp.status(), 200);
    /// assert_eq!(resp.body().as_ref(), b"{}");
    /// # Ok::<(), http::Error>(()) });
    /// # fn tokio_test<F: std::future::Future>(f: F) -> F::Output {
    /// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f) }
    /// ```
    CrmDispatcher: CrmHandler
}

impl<H: CrmHandler + ?Sized> CrmDispatcher<H> {
    async fn route(&self, req: Request<Bytes>) -> Result<Response<Bytes>, Answer> {
        let (fields, cmd) = self.receiver.read(&req).await?;
        let h = &self.receiver.handler;
        Ok(match cmd.trim().to_ascii_lowercase().as_str() {
            "history" => serve::empty(h.history(serve::typed(fields)?).await)?,
            "event" => serve::empty(h.event(serve::typed(fields)?).await)?,
            "contact" => serve::json(
                h.contact(serve::typed(fields)?)
                    .await
                    .map(Option::unwrap_or_default),
            )?,
            "rating" => serve::json(
                h.rating(serve::typed(fields)?)
                    .await
                    .map(|()| serde_json::json!({})),
            )?,
            _ => {
                return Err(
                    serve::unknown_command(&cmd, "history, event, contact or rating").into(),
                );
            }
        })
    }
}
