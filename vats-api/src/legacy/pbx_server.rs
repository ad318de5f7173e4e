//! [`PbxHandler`] and [`PbxDispatcher`]: the PBX side of L1–L3 (what the mock PBX serves).

use super::types::{Account, LoginRequest, MakeCallRequest};
use crate::Rejection;
use crate::common::serve::{self, impl_dispatcher_service};
use async_trait::async_trait;
use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_plumbing::json_response;
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::sync::Arc;

/// What a PBX implements to serve the legacy CRM API (seed 004, L1–L3).
///
/// The dispatcher calls [`check_token`](PbxHandler::check_token) before `make_call` and
/// `accounts`; a `false` is answered 401 `{"error":"Invalid token"}`. Compare tokens with a
/// constant-time comparison (`http_plumbing::constant_time_eq`).
///
/// ```
/// use async_trait::async_trait;
/// use secrecy::{ExposeSecret, SecretString};
/// use vats_api::Rejection;
/// use vats_api::legacy::{Account, LoginRequest, PbxHandler};
///
/// struct Pbx;
///
/// #[async_trait]
/// impl PbxHandler for Pbx {
///     async fn login(&self, req: LoginRequest) -> Result<SecretString, Rejection> {
///         if req.login == "admin" && req.password.expose_secret() == "pass" {
///             Ok("5f317b9f-e86c-41f7-a6fc-c76eb0da0000".into())
///         } else {
///             Err(Rejection::Unauthorized)
///         }
///     }
///     async fn check_token(&self, token: &SecretString) -> bool {
///         http_plumbing::constant_time_eq(token.expose_secret(), "5f317b9f-e86c-41f7-a6fc-c76eb0da0000")
///     }
///     async fn accounts(&self) -> Result<Vec<Account>, Rejection> {
///         Ok(vec![Account { name: "daria".into(), real_name: None }])
///     }
/// }
/// ```
#[async_trait]
pub trait PbxHandler: Send + Sync + 'static {
    /// L1: checks the administrator's credentials, stores the CRM's URL and `crm_token`, and
    /// answers the token the CRM will use. `Err(Unauthorized)` is answered
    /// 401 `{"error":"Autorization failed"}` (the seed's spelling). Default: always refused.
    async fn login(&self, request: LoginRequest) -> Result<SecretString, Rejection> {
        let _ = request;
        Err(Rejection::Unauthorized)
    }

    /// Whether `token` is one [`login`](PbxHandler::login) issued. Default: no token is valid.
    async fn check_token(&self, token: &SecretString) -> bool {
        let _ = token;
        false
    }

    /// L2 `makeCall`: rings `user`, then dials `phone`. Answered 200 with an empty body.
    async fn make_call(&self, request: MakeCallRequest) -> Result<(), Rejection> {
        let _ = request;
        Ok(())
    }

    /// L3 `accounts`: the PBX's accounts. Default: none.
    async fn accounts(&self) -> Result<Vec<Account>, Rejection> {
        Ok(Vec::new())
    }
}

#[async_trait]
impl<H: PbxHandler + ?Sized> PbxHandler for Arc<H> {
    async fn login(&self, request: LoginRequest) -> Result<SecretString, Rejection> {
        (**self).login(request).await
    }
    async fn check_token(&self, token: &SecretString) -> bool {
        (**self).check_token(token).await
    }
    async fn make_call(&self, request: MakeCallRequest) -> Result<(), Rejection> {
        (**self).make_call(request).await
    }
    async fn accounts(&self) -> Result<Vec<Account>, Rejection> {
        (**self).accounts().await
    }
}

/// Serves L1–L3 over a [`PbxHandler`].
///
/// - `POST …/sys/api_login.wcgp` → `login`: 200 `{"token":"…"}`; 400
///   `{"error":"Invalid parameters","detail":"<field>: <problem>"}`; 401 `{"error":"Autorization failed"}`.
/// - `POST …/sys/crm_api.wcgp` with `cmd=makeCall` or `cmd=accounts` (any case): 200 (empty /
///   `[{"name","realName"}]`); 400 naming the field (an unknown `cmd` names `cmd`); 401
///   `{"error":"Invalid token"}` for a missing or unknown `token`.
/// - Another path: 404 `{"error":"Not found"}`; another method: 405.
/// - Bodies form-encoded as the seed says; JSON and multipart are accepted too.
pub struct PbxDispatcher<H: ?Sized> {
    handler: Arc<H>,
    body_limit: usize,
}

impl<H: ?Sized> Clone for PbxDispatcher<H> {
    fn clone(&self) -> Self {
        Self {
            handler: Arc::clone(&self.handler),
            body_limit: self.body_limit,
        }
    }
}

impl<H: ?Sized> fmt::Debug for PbxDispatcher<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PbxDispatcher")
            .field("body_limit", &self.body_limit)
            .finish_non_exhaustive()
    }
}

impl<H: PbxHandler> PbxDispatcher<H> {
    /// A dispatcher over `handler`.
    pub fn new(handler: H) -> Self {
        Self::from_arc(Arc::new(handler))
    }
}

impl<H: PbxHandler + ?Sized> PbxDispatcher<H> {
    /// The same over a shared handler.
    pub fn from_arc(handler: Arc<H>) -> Self {
        Self {
            handler,
            body_limit: serve::DEFAULT_BODY_LIMIT,
        }
    }

    /// The largest body accepted (default 1 MiB); larger ones get 413.
    #[must_use]
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Routes, parses, authenticates and answers one request.
    pub async fn dispatch(&self, req: Request<Bytes>) -> Response<Bytes> {
        match self.route(req).await {
            Ok(resp) | Err(resp) => resp,
        }
    }

    async fn route(&self, req: Request<Bytes>) -> Result<Response<Bytes>, Response<Bytes>> {
        let path = req.uri().path().trim_end_matches('/').to_owned();
        let login = path.ends_with("/sys/api_login.wcgp");
        if !login && !path.ends_with("/sys/crm_api.wcgp") {
            return Err(serve::error_response(StatusCode::NOT_FOUND, "Not found"));
        }
        serve::require_post(&req)?;
        let fields = serve::read_fields(&req, self.body_limit).await?;
        let h = &self.handler;
        if login {
            return Ok(match h.login(serve::typed(fields)?).await {
                Ok(token) => json_response(
                    StatusCode::OK,
                    &serde_json::json!({ "token": token.expose_secret() }),
                ),
                Err(e) => serve::handler_error(&e, "Autorization failed"),
            });
        }
        let token = serve::text_field(&fields, "token").map(SecretString::from);
        let authorised = match &token {
            Some(t) => h.check_token(t).await,
            None => false,
        };
        if !authorised {
            return Err(serve::error_response(
                StatusCode::UNAUTHORIZED,
                "Invalid token",
            ));
        }
        let cmd = serve::command(&fields)?;
        Ok(match cmd.trim().to_ascii_lowercase().as_str() {
            "makecall" => serve::answer_empty(h.make_call(serve::typed(fields)?).await),
            "accounts" => serve::answer_json(h.accounts().await),
            _ => serve::invalid(
                "cmd",
                &format!("unknown command {cmd:?}: expected makeCall or accounts"),
            ),
        })
    }
}

impl_dispatcher_service!(PbxDispatcher, PbxHandler);

/// An `axum::Router` serving L1–L3 (feature `axum`).
#[cfg(feature = "axum")]
pub fn pbx_router<H: PbxHandler>(handler: H) -> axum::Router {
    PbxDispatcher::new(handler).into_router()
}
