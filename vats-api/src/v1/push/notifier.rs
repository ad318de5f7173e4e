//! [`CrmNotifier`]: the PBX side of V1–V4, sending pushes to the CRM's one URL.

use super::types::{ContactAnswer, ContactRequest, EventPush, HistoryPush, RatingPush};
use crate::common::wire;
use crate::{Delivery, Error, Result};
use http_plumbing::{RawResponse, RetryPolicy, send_with_retry};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Sends the PBX → CRM pushes of seed 003 (V1–V4) as JSON POSTs to the CRM's URL, with
/// `cmd` and `crm_token` in the body. Retries connection errors, timeouts, 5xx and 429.
///
/// Cheap to clone. `Debug` never shows the token.
///
/// ```no_run
/// use vats_api::v1::push::{ContactRequest, CrmNotifier};
///
/// # async fn run() -> vats_api::Result<()> {
/// let crm = CrmNotifier::builder()
///     .url("https://crm.example/crm_integration.php")
///     .crm_token("76fsd7tfs-fhjdgfdjsfsk-hfgsdguuuwoeiwey1111".into())
///     .build()?;
/// let who = crm
///     .contact(&ContactRequest {
///         phone: "79101234567".into(),
///         diversion: None,
///         callid: "B10D0EB124F4E64AF4EA-1511".into(),
///     })
///     .await?;
/// println!("{:?}", who.and_then(|c| c.contact_name));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct CrmNotifier {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    url: url::Url,
    token: SecretString,
    retry: RetryPolicy,
}

impl fmt::Debug for CrmNotifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CrmNotifier")
            .field(
                "url",
                &http_plumbing::redact_query(&self.inner.url, &["crm_token", "token"]),
            )
            .field("crm_token", &http_plumbing::REDACTED)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// Builds a [`CrmNotifier`]; `url` and `crm_token` are required.
#[must_use]
#[derive(Default)]
pub struct CrmNotifierBuilder {
    url: Option<String>,
    token: Option<SecretString>,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
}

impl fmt::Debug for CrmNotifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CrmNotifierBuilder")
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

impl CrmNotifierBuilder {
    /// The CRM's one integration URL (`https://crm.example/crm_integration.php`).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// The token the CRM issued; sent as `crm_token` in every body.
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
    pub fn build(self) -> Result<CrmNotifier> {
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
        Ok(CrmNotifier {
            inner: Arc::new(Inner {
                http,
                url,
                token,
                retry: self.retry.unwrap_or_default(),
            }),
        })
    }
}

impl CrmNotifier {
    /// Starts a builder.
    pub fn builder() -> CrmNotifierBuilder {
        CrmNotifierBuilder::default()
    }

    /// V1: reports a finished call (`cmd=history`). The CRM answers 200 with an empty body.
    pub async fn history(&self, push: &HistoryPush) -> Result<Delivery> {
        self.send("history", push)
            .await
            .map(|r| Delivery::new(r.status, r.attempts))
    }

    /// V2: reports a call event (`cmd=event`).
    pub async fn event(&self, push: &EventPush) -> Result<Delivery> {
        self.send("event", push)
            .await
            .map(|r| Delivery::new(r.status, r.attempts))
    }

    /// V3: asks who a number belongs to (`cmd=contact`). `None` when the CRM does not know it
    /// (it answers `{}`, or — tolerated — `[]`, `null` or an empty body).
    pub async fn contact(&self, request: &ContactRequest) -> Result<Option<ContactAnswer>> {
        let raw = self.send("contact", request).await?;
        let text = raw.text();
        if matches!(text.trim(), "" | "[]" | "null") {
            return Ok(None);
        }
        let answer: ContactAnswer = wire::decode(&raw)?;
        Ok((!answer.is_empty()).then_some(answer))
    }

    /// V4: reports a client's rating (`cmd=rating`). The CRM's JSON answer is returned as it
    /// came (`Value::Null` for an empty body); nothing in it is documented.
    pub async fn rating(&self, push: &RatingPush) -> Result<Value> {
        let raw = self.send("rating", push).await?;
        if raw.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        wire::decode(&raw)
    }

    async fn send<T: Serialize>(&self, cmd: &str, message: &T) -> Result<RawResponse> {
        let body = self.body(cmd, message)?;
        let inner = &self.inner;
        let raw = send_with_retry(&inner.retry, || {
            inner.http.post(inner.url.clone()).json(&body)
        })
        .await?;
        wire::check(raw)
    }

    /// The JSON body: `cmd` first, the message's fields, `crm_token` last.
    fn body<T: Serialize>(&self, cmd: &str, message: &T) -> Result<Map<String, Value>> {
        let fields = match serde_json::to_value(message) {
            Ok(Value::Object(fields)) => fields,
            Ok(_) => return Err(Error::invalid_input(cmd, "a push must encode to an object")),
            Err(e) => return Err(Error::invalid_input(cmd, e.to_string())),
        };
        let mut body = Map::new();
        body.insert("cmd".into(), Value::String(cmd.into()));
        body.extend(fields);
        body.insert(
            "crm_token".into(),
            Value::String(self.inner.token.expose_secret().to_owned()),
        );
        Ok(body)
    }
}
