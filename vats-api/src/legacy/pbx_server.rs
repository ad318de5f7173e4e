//! [`PbxHandler`] and [`PbxDispatcher`]: the PBX side of L1–L3 (what the mock PBX serves).

use super::groups::{LegacyGroup, MakeCallAnswer, SubscribeOnCalls};
use super::types::{Account, LoginRequest, MakeCallRequest};
use crate::CallId;
use crate::common::serve::{self, Answer, Wording};
use async_trait::async_trait;
use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_plumbing::{BODY_LIMIT, HandlerError, json_response};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::sync::Arc;

/// A failed login's wording: 401 `{"error":"Autorization failed"}` (the vendor document's
/// spelling, which real CRMs match on).
const LOGIN: Wording = Wording {
    invalid: "Invalid parameters",
    unauthorized: Some("Autorization failed"),
    body_reasons: false,
};

/// What a PBX implements to serve the legacy CRM API (L1–L3, docs/protocol.md §4).
///
/// The dispatcher calls [`check_token`](PbxHandler::check_token) before `make_call` and
/// `accounts`; a `false` is answered 401 `{"error":"Invalid token"}`. Compare tokens with a
/// constant-time comparison (`http_plumbing::constant_time_eq`).
///
/// ```
/// use secrecy::{ExposeSecret, SecretString};
/// use vats_api::{HandlerError, async_trait};
/// use vats_api::legacy::{Account, LoginRequest, PbxHandler};
///
/// struct Pbx;
///
/// #[async_trait]
/// impl PbxHandler for Pbx {
///     async fn login(&self, req: LoginRequest) -> Result<SecretString, HandlerError> {
///         if req.login == "admin" && req.password.expose_secret() == "pass" {
///             Ok("5f317b9f-e86c-41f7-a6fc-c76eb0da0000".into())
///         } else {
///             Err(HandlerError::unauthorized("wrong login or password"))
///         }
///     }
///     async fn check_token(&self, token: &SecretString) -> bool {
///         http_plumbing::constant_time_eq(token.expose_secret(), "5f317b9f-e86c-41f7-a6fc-c76eb0da0000")
///     }
///     async fn accounts(&self) -> Result<Vec<Account>, HandlerError> {
///         Ok(vec![Account { name: "daria".into(), real_name: None }])
///     }
/// }
/// ```
#[async_trait]
pub trait PbxHandler: Send + Sync + 'static {
    /// L1: checks the administrator's credentials, stores the CRM's URL and `crm_token`, and
    /// answers the token the CRM will use. A 401 ([`HandlerError::unauthorized`]) is answered
    /// 401 `{"error":"Autorization failed"}` (the vendor document's spelling). Default: 501.
    async fn login(&self, request: LoginRequest) -> Result<SecretString, HandlerError> {
        let _ = request;
        Err(HandlerError::not_implemented("L1 api_login"))
    }

    /// Whether `token` is one [`login`](PbxHandler::login) issued. Default: no token is valid.
    async fn check_token(&self, token: &SecretString) -> bool {
        let _ = token;
        false
    }

    /// L2 `makeCall`: rings `user`, then dials `phone` (normalised: `+7 916 …` arrives as
    /// `7916…`); answers the new call's id, written `{"uuid":"…"}` as the live PBX does.
    /// Default: 501.
    async fn make_call(&self, request: MakeCallRequest) -> Result<CallId, HandlerError> {
        let _ = request;
        Err(HandlerError::not_implemented("L2 makeCall"))
    }

    /// L8 `groups` (not in the legacy vendor document; the live PBX serves it): the PBX's
    /// departments, written `[{"id","realName","ext"}]`. Default: 501.
    async fn groups(&self) -> Result<Vec<LegacyGroup>, HandlerError> {
        Err(HandlerError::not_implemented("L8 groups"))
    }

    /// L9 `subscribeOnCalls` (not in the legacy vendor document): a user receives a group's
    /// calls, or stops; answered 200 `OK`. An unknown user or group is a 400 naming the field.
    /// Default: 501.
    async fn subscribe_on_calls(&self, request: SubscribeOnCalls) -> Result<(), HandlerError> {
        let _ = request;
        Err(HandlerError::not_implemented("L9 subscribeOnCalls"))
    }

    /// L3 `accounts`: the PBX's accounts. Default: none.
    async fn accounts(&self) -> Result<Vec<Account>, HandlerError> {
        Ok(Vec::new())
    }
}

#[async_trait]
impl<H: PbxHandler + ?Sized> PbxHandler for Arc<H> {
    async fn login(&self, request: LoginRequest) -> Result<SecretString, HandlerError> {
        (**self).login(request).await
    }
    async fn check_token(&self, token: &SecretString) -> bool {
        (**self).check_token(token).await
    }
    async fn make_call(&self, request: MakeCallRequest) -> Result<CallId, HandlerError> {
        (**self).make_call(request).await
    }
    async fn groups(&self) -> Result<Vec<LegacyGroup>, HandlerError> {
        (**self).groups().await
    }
    async fn subscribe_on_calls(&self, request: SubscribeOnCalls) -> Result<(), HandlerError> {
        (**self).subscribe_on_calls(request).await
    }
    async fn accounts(&self) -> Result<Vec<Account>, HandlerError> {
        (**self).accounts().await
    }
}

/// Serves L1–L3 over a [`PbxHandler`].
///
/// - `POST …/sys/api_login.wcgp` → `login`: 200 `{"token":"…"}`; 400
///   `{"error":"Invalid parameters","detail":"<field>: <problem>"}`; 401 `{"error":"Autorization failed"}`.
/// - `POST …/sys/crm_api.wcgp` with `cmd` (any case) `makeCall` (200 `{"uuid":"…"}`),
///   `accounts` (`[{"name","realName"}]`), `groups` (`[{"id","realName","ext"}]`) or
///   `subscribeOnCalls` (200 `OK`, `text/plain`); 400 naming the field (an unknown `cmd` names `cmd`); 401
///   `{"error":"Invalid token"}` for a missing or unknown `token`.
/// - Another path: 404 `{"error":"Not found"}`; another method: 405.
/// - Bodies form-encoded as the vendor document says; JSON and multipart are accepted too.
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

impl<H: PbxHandler + ?Sized> PbxDispatcher<H> {
    /// A dispatcher over `handler` (a value or an `Arc`). It takes no credential: the tokens are
    /// the ones the handler issues at login and checks in [`PbxHandler::check_token`].
    pub fn new(handler: impl Into<Arc<H>>) -> Self {
        Self {
            handler: handler.into(),
            body_limit: BODY_LIMIT,
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
            Ok(resp) => resp,
            Err(answer) => answer.into_response(serve::PUSH),
        }
    }

    async fn route(&self, req: Request<Bytes>) -> Result<Response<Bytes>, Answer> {
        let path = req.uri().path().trim_end_matches('/').to_owned();
        let login = path.ends_with("/sys/api_login.wcgp");
        if !login && !path.ends_with("/sys/crm_api.wcgp") {
            return Err(HandlerError::not_found(format!("no route {path}")).into());
        }
        serve::require_post(&req)?;
        let fields = serve::read_fields(&req, self.body_limit).await?;
        let h = &self.handler;
        if login {
            return match h.login(serve::typed(fields)?).await {
                Ok(token) => Ok(json_response(
                    StatusCode::OK,
                    &serde_json::json!({ "token": token.expose_secret() }),
                )),
                Err(e) => Ok(serve::error_answer(&e, LOGIN)),
            };
        }
        let token = serve::text_field(&fields, "token").map(SecretString::from);
        let authorised = match &token {
            Some(t) => h.check_token(t).await,
            None => false,
        };
        if !authorised {
            return Err(HandlerError::unauthorized("Invalid token").into());
        }
        let cmd = serve::command(&fields)?;
        Ok(match cmd.trim().to_ascii_lowercase().as_str() {
            "makecall" => {
                let mut request: MakeCallRequest = serve::typed(fields)?;
                request.phone = request.phone.normalized();
                if !request.phone.is_digits() {
                    let problem = "must be digits, country code first (`+` and separators allowed)";
                    return Err(HandlerError::invalid("phone", problem).into());
                }
                let uuid = h.make_call(request).await;
                serve::json(uuid.map(|uuid| MakeCallAnswer { uuid }))?
            }
            "accounts" => serve::json(h.accounts().await)?,
            "groups" => serve::json(h.groups().await)?,
            "subscribeoncalls" => {
                h.subscribe_on_calls(serve::typed(fields)?).await?;
                let mut ok = Response::new(Bytes::from_static(b"OK"));
                ok.headers_mut().insert(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static("text/plain; charset=utf-8"),
                );
                ok
            }
            _ => {
                let expected = "makeCall, accounts, groups or subscribeOnCalls";
                return Err(serve::unknown_command(&cmd, expected).into());
            }
        })
    }
}

fn push_error(e: &HandlerError) -> Response<Bytes> {
    serve::error_answer(e, serve::PUSH)
}

http_plumbing::impl_dispatch!(PbxDispatcher<H: PbxHandler + ?Sized>, |d| d.body_limit, push_error);
