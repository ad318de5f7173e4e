//! [`LegacyCrmNotifier`]: the PBX side of L4–L7, pushing form-encoded commands to the CRM.

use super::types::{ContactRequest, CrmUser, EventPush, HistoryPush, UsersAnswer};
use crate::common::notify::{Notifier, NotifierBuilder};
use crate::common::wire::{self, Encoding};
use crate::v1::push::ContactAnswer;
use crate::{Delivery, Result};
use std::fmt;
use std::sync::Arc;

/// Sends the legacy PBX → CRM commands (L4–L7, docs/protocol.md §4) as form-encoded POSTs to the CRM's
/// URL, with `cmd` and `crm_token` as fields. Retries connection errors, timeouts, 5xx and 429.
///
/// ```no_run
/// use vats_api::legacy::LegacyCrmNotifier;
///
/// # async fn run() -> vats_api::Result<()> {
/// let crm = LegacyCrmNotifier::builder()
///     .url("https://crm.ru/crm_integration.php")
///     .crm_token("76fsd7tfs-fhjdgfdjsfsk-hfgsdguuuwoeiwey1111")
///     .build()?;
/// for user in crm.users().await? {
///     println!("{} {:?}", user.id, user.name);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct LegacyCrmNotifier {
    inner: Arc<Notifier>,
}

impl fmt::Debug for LegacyCrmNotifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.debug("LegacyCrmNotifier", f)
    }
}

/// Builds a [`LegacyCrmNotifier`]; see [`NotifierBuilder`].
pub type LegacyCrmNotifierBuilder = NotifierBuilder<LegacyCrmNotifier>;

impl NotifierBuilder<LegacyCrmNotifier> {
    /// Checks the settings and builds the notifier.
    pub fn build(self) -> Result<LegacyCrmNotifier> {
        Ok(LegacyCrmNotifier {
            inner: Arc::new(self.finish(Encoding::Form)?),
        })
    }
}

impl LegacyCrmNotifier {
    /// Starts a builder.
    pub fn builder() -> LegacyCrmNotifierBuilder {
        NotifierBuilder::default()
    }

    /// L4 `cmd=users`: the CRM's users, for mapping PBX accounts.
    pub async fn users(&self) -> Result<Vec<CrmUser>> {
        let raw = self.inner.send("users", &serde_json::json!({})).await?;
        let answer: UsersAnswer = wire::decode(&raw)?;
        Ok(answer.users)
    }

    /// L5 `cmd=contact`: who is this number? `None` for `{}` (or `[]`, `null`, an empty body).
    pub async fn contact(&self, request: &ContactRequest) -> Result<Option<ContactAnswer>> {
        self.inner.contact(request).await
    }

    /// L6 `cmd=event`: a call event.
    pub async fn event(&self, push: &EventPush) -> Result<Delivery> {
        self.inner.deliver("event", push).await
    }

    /// L7 `cmd=history`: a finished call; `links` are written joined by `|`.
    pub async fn history(&self, push: &HistoryPush) -> Result<Delivery> {
        self.inner.deliver("history", push).await
    }
}
