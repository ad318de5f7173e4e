//! [`Client`]: the CRM side of L1–L3, talking to the PBX's `*.wcgp` endpoints (form-encoded).

use super::groups::{LegacyGroup, MakeCallAnswer, SubscribeOnCalls};
use super::types::{Account, LoginRequest, MakeCallRequest};
use crate::CallId;
use crate::common::wire::{self, Encoding, Sender};
use crate::{Error, Result};
use http_plumbing::{HttpConfig, RawResponse};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::fmt;
use std::sync::Arc;

/// The login path, relative to the PBX's base URL.
pub const LOGIN_PATH: &str = "sys/api_login.wcgp";
/// The command path, relative to the PBX's base URL.
pub const API_PATH: &str = "sys/crm_api.wcgp";

/// A client of the legacy PBX API (the legacy PBX vendor document): [`login`](Client::login) (L1),
/// [`make_call`](Client::make_call) (L2), [`accounts`](Client::accounts) (L3).
///
/// Every request is a form-encoded POST. L2 and L3 carry the token that L1 answered: set it on
/// the builder or with [`Client::with_token`]. Cheap to clone; `Debug` shows no secret.
///
/// ```no_run
/// use vats_api::legacy::{Client, LoginRequest};
///
/// # async fn run() -> vats_api::Result<()> {
/// let pbx = Client::builder().base_url("https://domain.gravitel.ru").build()?;
/// let token = pbx
///     .login(&LoginRequest {
///         crm_code: "mycrm".into(),
///         login: "admin".into(),
///         password: "pass".into(),
///         crm_token: "76fsd7tfs-fhjdgfdjsfsk-hfgsdguuuwoeiwey1111".into(),
///         url: "https://crm.ru/crm_integration.php".into(),
///         redirect_url: None,
///         self_map: false,
///     })
///     .await?;
/// let pbx = pbx.with_token(token);
/// for account in pbx.accounts().await? {
///     println!("{}", account.name);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    token: Option<Arc<SecretString>>,
}

struct Inner {
    sender: Sender,
    base: url::Url,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("legacy::Client")
            .field("base_url", &self.inner.base.as_str())
            .field(
                "token",
                &self.token.as_ref().map(|_| http_plumbing::REDACTED),
            )
            .field("retry", &self.inner.sender.retry)
            .finish()
    }
}

/// Builds a legacy [`Client`]; `base_url` (`https://{domain}/`) is required.
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<SecretString>,
    http: HttpConfig,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            token: None,
            http: wire::send_settings(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("legacy::ClientBuilder")
            .field("base_url", &self.base_url)
            .field(
                "token",
                &self.token.as_ref().map(|_| http_plumbing::REDACTED),
            )
            .field("retry", &self.http.retry)
            .field("timeout", &self.http.timeout)
            .finish()
    }
}

impl ClientBuilder {
    http_plumbing::http_setters!(http);

    /// The PBX's base URL, `https://{domain}/` (a path prefix is kept).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The token L1 answered, for L2 and L3.
    pub fn token(mut self, token: impl Into<SecretString>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client> {
        let mut base = wire::parse_url("base_url", self.base_url.as_deref())?;
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let token = match self.token {
            Some(t) if t.expose_secret().trim().is_empty() => {
                return Err(Error::Config("token is empty".into()));
            }
            other => other.map(Arc::new),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                sender: wire::sender(&self.http)?,
                base,
            }),
            token,
        })
    }
}

#[derive(Deserialize)]
struct LoginAnswer {
    token: SecretString,
}

impl Client {
    /// Starts a builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The same client carrying `token` for L2 and L3.
    #[must_use]
    pub fn with_token(&self, token: impl Into<SecretString>) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            token: Some(Arc::new(token.into())),
        }
    }

    /// L1: `POST /sys/api_login.wcgp`; answers the token for L2/L3. A 401
    /// (`Autorization failed`, sic) or 400 (`Invalid parameters`) is an [`Error::Api`].
    pub async fn login(&self, request: &LoginRequest) -> Result<SecretString> {
        let mut form = vec![
            ("crm_code", request.crm_code.clone()),
            ("login", request.login.clone()),
            ("password", request.password.expose_secret().to_owned()),
            ("crm_token", request.crm_token.expose_secret().to_owned()),
            ("url", request.url.clone()),
        ];
        if let Some(r) = &request.redirect_url {
            form.push(("redirect_url", r.clone()));
        }
        if request.self_map {
            form.push(("self_map", "true".to_owned()));
        }
        let raw = self.post(LOGIN_PATH, &form).await?;
        // Decode without serde_path_to_error's message quoting the token on failure.
        match serde_json::from_slice::<LoginAnswer>(&raw.body) {
            Ok(a) if !a.token.expose_secret().is_empty() => Ok(a.token),
            _ => Err(Error::Decode {
                status: Some(raw.status),
                path: "token".into(),
                message: "expected {\"token\":\"...\"}".into(),
                body: if raw.text().contains("token") {
                    http_plumbing::REDACTED.to_owned()
                } else {
                    raw.text()
                },
            }),
        }
    }

    /// L2: `cmd=makeCall`: rings `user`, then dials `phone` (normalised first: `+7 916 …` is
    /// sent as `7916…`). Needs the token. Answers the call's id from the live PBX's
    /// `{"uuid":"…"}`; `None` when the PBX answers an empty 200 or `OK` (the legacy vendor
    /// document's form).
    pub async fn make_call(&self, request: &MakeCallRequest) -> Result<Option<CallId>> {
        let token = self.token()?;
        let mut form = vec![
            ("cmd", "makeCall".to_owned()),
            ("phone", request.phone.normalized().into_string()),
            ("user", request.user.clone()),
        ];
        if let Some(clid) = &request.clid {
            form.push(("clid", clid.clone()));
        }
        form.push(("token", token));
        let raw = self.post(API_PATH, &form).await?;
        if matches!(raw.text().trim(), "" | "OK") {
            return Ok(None);
        }
        wire::decode::<MakeCallAnswer>(&raw).map(|a| Some(a.uuid))
    }

    /// L8: `cmd=groups`: the PBX's departments (not in the legacy vendor document; the live
    /// PBX serves it). Needs the token.
    pub async fn groups(&self) -> Result<Vec<LegacyGroup>> {
        let token = self.token()?;
        let form = [("cmd", "groups".to_owned()), ("token", token)];
        let raw = self.post(API_PATH, &form).await?;
        wire::decode(&raw)
    }

    /// L9: `cmd=subscribeOnCalls`: `user` starts (`enable`) or stops receiving the calls of
    /// `group_id` (none: all their groups). The PBX answers `OK` (or an empty 200). Needs the
    /// token.
    pub async fn subscribe_on_calls(&self, request: &SubscribeOnCalls) -> Result<()> {
        let token = self.token()?;
        let mut form = vec![
            ("cmd", "subscribeOnCalls".to_owned()),
            ("user", request.user.clone()),
            (
                "status",
                if request.enable { "on" } else { "off" }.to_owned(),
            ),
        ];
        if let Some(g) = &request.group_id {
            form.push(("group_id", g.clone()));
        }
        form.push(("token", token));
        self.post(API_PATH, &form).await.map(drop)
    }

    /// L3: `cmd=accounts`: the PBX's accounts, for mapping CRM users. Needs the token.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let token = self.token()?;
        let form = [("cmd", "accounts".to_owned()), ("token", token)];
        let raw = self.post(API_PATH, &form).await?;
        wire::decode(&raw)
    }

    fn token(&self) -> Result<String> {
        self.token
            .as_ref()
            .map(|t| t.expose_secret().to_owned())
            .ok_or_else(|| Error::Config("no token: call login() and with_token() first".into()))
    }

    async fn post(&self, path: &str, form: &[(&str, String)]) -> Result<RawResponse> {
        let url = self
            .inner
            .base
            .join(path)
            .map_err(|e| Error::Config(format!("cannot join {path}: {e}")))?;
        self.inner.sender.post(&url, Encoding::Form, form).await
    }
}
