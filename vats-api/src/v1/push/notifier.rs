//! [`CrmNotifier`]: the PBX side of V1–V4, sending pushes to the CRM's one URL.

use super::types::{ContactAnswer, ContactRequest, EventPush, HistoryPush, RatingPush};
use crate::common::notify::{Notifier, NotifierBuilder};
use crate::common::wire::{self, Encoding};
use crate::{Delivery, Result};
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// Sends the PBX → CRM pushes (V1–V4, docs/protocol.md §3) as POSTs to the CRM's URL, JSON or
/// form fields per [`PushEncoding`], with `cmd` and `crm_token` in the body. Retries connection errors, timeouts, 5xx and 429.
///
/// Cheap to clone. `Debug` never shows the token.
///
/// ```no_run
/// use vats_api::v1::push::{ContactRequest, CrmNotifier};
///
/// # async fn run() -> vats_api::Result<()> {
/// let crm = CrmNotifier::builder()
///     .url("https://crm.example/crm_integration.php")
///     .crm_token("76fsd7tfs-fhjdgfdjsfsk-hfgsdguuuwoeiwey1111")
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
    inner: Arc<Notifier>,
}

impl fmt::Debug for CrmNotifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.debug("CrmNotifier", f)
    }
}

/// Builds a [`CrmNotifier`]; see [`NotifierBuilder`].
pub type CrmNotifierBuilder = NotifierBuilder<CrmNotifier>;

/// How a [`CrmNotifier`] encodes its pushes, chosen per CRM target (docs/protocol.md §3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PushEncoding {
    /// `application/json`: one object, `cmd` first, `crm_token` last (the default).
    #[default]
    Json,
    /// `application/x-www-form-urlencoded` fields, for receivers written for the live PBX that
    /// read form fields (PHP's `$_POST`/`$_REQUEST`): numbers as their digits, absent optional
    /// fields left out.
    Form,
}

impl PushEncoding {
    /// Reads `json` or `form` in any case; anything else is `None`.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "json" => Some(Self::Json),
            "form" | "urlencoded" | "x-www-form-urlencoded" => Some(Self::Form),
            _ => None,
        }
    }

    /// `json` or `form`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Form => "form",
        }
    }
}

impl NotifierBuilder<CrmNotifier> {
    /// How pushes are encoded (default [`PushEncoding::Json`]). Every field is the same in
    /// both; what a strict receiver refuses is which optional fields the pushes carry (see
    /// docs/protocol.md §3).
    pub fn encoding(mut self, encoding: PushEncoding) -> Self {
        self.encoding = Some(match encoding {
            PushEncoding::Json => Encoding::Json,
            PushEncoding::Form => Encoding::Form,
        });
        self
    }

    /// Checks the settings and builds the notifier.
    pub fn build(self) -> Result<CrmNotifier> {
        Ok(CrmNotifier {
            inner: Arc::new(self.finish(Encoding::Json)?),
        })
    }
}

impl CrmNotifier {
    /// Starts a builder.
    pub fn builder() -> CrmNotifierBuilder {
        NotifierBuilder::default()
    }

    /// V1: reports a finished call (`cmd=history`). The CRM answers 200 with an empty body.
    pub async fn history(&self, push: &HistoryPush) -> Result<Delivery> {
        self.inner.deliver("history", push).await
    }

    /// V2: reports a call event (`cmd=event`).
    pub async fn event(&self, push: &EventPush) -> Result<Delivery> {
        self.inner.deliver("event", push).await
    }

    /// V3: asks who a number belongs to (`cmd=contact`). `None` when the CRM does not know it
    /// (it answers `{}`, or — tolerated — `[]`, `null` or an empty body).
    pub async fn contact(&self, request: &ContactRequest) -> Result<Option<ContactAnswer>> {
        self.inner.contact(request).await
    }

    /// V4: reports a client's rating (`cmd=rating`). The CRM's JSON answer is returned as it
    /// came (`Value::Null` for an empty body); nothing in it is documented.
    pub async fn rating(&self, push: &RatingPush) -> Result<Value> {
        let raw = self.inner.send("rating", push).await?;
        if raw.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        wire::decode(&raw)
    }
}
