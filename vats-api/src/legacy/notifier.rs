//! [`LegacyCrmNotifier`]: the PBX side of L4–L7, pushing form-encoded commands to the CRM.

use super::types::{ContactRequest, CrmUser, EventPush, HistoryPush, UsersAnswer};
use crate::common::wire;
use crate::v1::push::ContactAnswer;
use crate::{Delivery, Error, Result};
use http_plumbing::{RawResponse, RetryPolicy, send_with_retry};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Sends the legacy PBX → CRM commands (seed 004, L4–L7) as form-encoded POSTs to the CRM's
/// URL, with `cmd` and `crm_token` as fields. Retries connection errors, timeouts, 5xx and 429.
///
/// ```no_run
/// use vats_api::legacy::LegacyCrmNotifier;
///
/// # async fn run() -> vats_api::Result<()> {
/// let crm = LegacyCrmNotifier::builder()
///     .url("https://crm.ru/crm_integration.php")
///     .crm_token("76fsd7tfs-fhjdgfdjsfsk-hfgsdguuuwoeiwey1111".into())
///     .build()?;
/// for user in crm.users().await? {
///     println!("{} {:?}", user.id, user.name);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct LegacyCrmNotifier {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    url: url::Url,
    token: SecretString,
    retry: RetryPolicy,
}

impl fmt::Debug for LegacyCrmNotifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LegacyCrmNotifier")
            .field(
                "url",
                &http_plumbing::redact_query(&self.inner.url, &["crm_token", "token"]),
            )
            .field("crm_token", &http_plumbing::REDACTED)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// Builds a [`LegacyCrmNotifier`]; `url` and `crm_token` are required.
#[must_use]
#[derive(Default)]
pub struct LegacyCrmNotifierBuilder {
    url: Option<String>,
    token: Option<SecretString>,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
}

impl fmt::Debug for LegacyCrmNotifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LegacyCrmNotifierBuilder")
            .field("url", &self.url)
            .field(
                "crm_token",
                &self.token.as_ref().map(|_| http_plumbing::REDACTED),
            )
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl LegacyCrmNotifierBuilder {
    /// The CRM URL given at login (`url`, e.g. `https://crm.ru/crm_integration.php`).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// The `crm_token` given at login.
    pub fn crm_token(mut self, token: SecretString) -> Self {
        self.token = Some(token);
        self
    }

    /// The retry policy (default: 3 retries with backoff and jitter).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The timeout of one attempt (default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// Checks the settings and builds the notifier.
    pub fn build(self) -> Result<LegacyCrmNotifier> {
        let url = wire::parse_url("url", self.url.as_deref())?;
        let token = self
            .token
            .filter(|t| !t.expose_secret().trim().is_empty())
            .ok_or_else(|| Error::InvalidConfig("crm_token is required".into()))?;
        let http = wire::http_client(
            self.timeout.unwrap_or(wire::DEFAULT_TIMEOUT),
            self.user_agent
                .as_deref()
                .unwrap_or(concat!("vats-api/", env!("CARGO_PKG_VERSION"))),
        )?;
        Ok(LegacyCrmNotifier {
            inner: Arc::new(Inner {
                http,
                url,
                token,
                retry: self.retry.unwrap_or_default(),
            }),
        })
    }
}

impl LegacyCrmNotifier {
    /// Starts a builder.
    pub fn builder() -> LegacyCrmNotifierBuilder {
        LegacyCrmNotifierBuilder::default()
    }

    /// L4 `cmd=users`: the CRM's users, for mapping PBX accounts.
    pub async fn users(&self) -> Result<Vec<CrmUser>> {
        let raw = self.send("users", &serde_json::json!({})).await?;
        let answer: UsersAnswer = wire::decode(&raw)?;
        Ok(answer.users)
    }

    /// L5 `cmd=contact`: who is this number? `None` for `{}` (or `[]`, `null`, an empty body).
    pub async fn contact(&self, request: &ContactRequest) -> Result<Option<ContactAnswer>> {
        let raw = self.send("contact", request).await?;
        if matches!(raw.text().trim(), "" | "[]" | "null") {
            return Ok(None);
        }
        let answer: ContactAnswer = wire::decode(&raw)?;
        Ok((!answer.is_empty()).then_some(answer))
    }

    /// L6 `cmd=event`: a call event.
    pub async fn event(&self, push: &EventPush) -> Result<Delivery> {
        self.send("event", push)
            .await
            .map(|r| Delivery::new(r.status, r.attempts))
    }

    /// L7 `cmd=history`: a finished call; `links` are written joined by `|`.
    pub async fn history(&self, push: &HistoryPush) -> Result<Delivery> {
        self.send("history", push)
            .await
            .map(|r| Delivery::new(r.status, r.attempts))
    }

    async fn send<T: Serialize>(&self, cmd: &str, message: &T) -> Result<RawResponse> {
        let mut form = vec![("cmd".to_owned(), cmd.to_owned())];
        form.extend(wire::form_pairs(message)?);
        form.push((
            "crm_token".to_owned(),
            self.inner.token.expose_secret().to_owned(),
        ));
        let inner = &self.inner;
        let raw = send_with_retry(&inner.retry, || {
            inner.http.post(inner.url.clone()).form(&form)
        })
        .await?;
        wire::check(raw)
    }
}
