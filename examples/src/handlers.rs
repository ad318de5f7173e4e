//! The example CRM as the three handler traits a CRM implements: the PBX's pushes (v1 and
//! legacy) and ROP's webhooks.

use crate::crm::Crm;
use rop_api::{ChecklistResult, HandlerError, TableResult, WebhookHandler, async_trait};
use vats_api::legacy::{self, CrmUser, LegacyCrmHandler};
use vats_api::v1::push::{self, ContactAnswer, CrmHandler};

fn contact_answer(crm: &Crm, phone: &str) -> Option<ContactAnswer> {
    let (name, responsible) = crm.contact_for(phone)?;
    Some(ContactAnswer {
        contact_name: (!name.is_empty()).then_some(name),
        responsible,
    })
}

/// V1–V4 (`/crmapi/v1` pushes).
#[async_trait]
impl CrmHandler for Crm {
    async fn history(&self, p: push::HistoryPush) -> Result<(), HandlerError> {
        self.accept_history(p.into())
    }

    async fn event(&self, p: push::EventPush) -> Result<(), HandlerError> {
        tracing::debug!(callid = %p.callid, event = %p.event_type, "PBX event");
        self.note_event();
        Ok(())
    }

    async fn contact(
        &self,
        r: push::ContactRequest,
    ) -> Result<Option<ContactAnswer>, HandlerError> {
        Ok(contact_answer(self, r.phone.as_str()))
    }
}

/// L4–L7 (legacy `*.wcgp` pushes).
#[async_trait]
impl LegacyCrmHandler for Crm {
    async fn users(&self) -> Result<Vec<CrmUser>, HandlerError> {
        Ok(self
            .directory()
            .managers
            .into_iter()
            .map(|(id, name)| CrmUser {
                id,
                name: Some(name),
            })
            .collect())
    }

    async fn contact(
        &self,
        r: legacy::ContactRequest,
    ) -> Result<Option<ContactAnswer>, HandlerError> {
        Ok(contact_answer(self, r.phone.as_str()))
    }

    async fn event(&self, p: legacy::EventPush) -> Result<(), HandlerError> {
        tracing::debug!(callid = %p.callid, event = %p.event_type, "PBX event (legacy)");
        self.note_event();
        Ok(())
    }

    async fn history(&self, p: legacy::HistoryPush) -> Result<(), HandlerError> {
        self.accept_history(p.into())
    }
}

/// W1/W2 (ROP's webhooks).
#[async_trait]
impl WebhookHandler for Crm {
    async fn on_checklist_result(&self, result: ChecklistResult) -> Result<(), HandlerError> {
        self.on_checklist(result).await
    }

    async fn on_table_result(&self, result: TableResult) -> Result<(), HandlerError> {
        self.on_table(result)
    }
}
