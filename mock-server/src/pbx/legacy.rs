//! The legacy `*.wcgp` API (L1–L3) over the mock PBX's data.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use secrecy::{ExposeSecret, SecretString};
use vats_api::CallId;
use vats_api::HandlerError;
use vats_api::legacy::{
    Account, LegacyGroup, LoginRequest, MakeCallRequest, PbxHandler, SubscribeOnCalls,
};
use vats_api::v1::{GroupId, Login};

use super::state::{PbxData, PlacedCall};
use crate::config::PbxConfig;
use crate::journal::lock;

/// Where a CRM asked (at `api_login.wcgp`) to receive legacy pushes.
#[derive(Clone)]
pub(crate) struct LegacyTarget {
    pub(crate) url: String,
    pub(crate) crm_token: SecretString,
}

/// The legacy handler.
pub(crate) struct MockLegacyPbx {
    pub(crate) data: Arc<Mutex<PbxData>>,
    pub(crate) config: PbxConfig,
    pub(crate) target: Arc<Mutex<Option<LegacyTarget>>>,
}

#[async_trait::async_trait]
impl PbxHandler for MockLegacyPbx {
    async fn login(&self, request: LoginRequest) -> Result<SecretString, HandlerError> {
        let c = &self.config;
        let ok = http_plumbing::constant_time_eq(&request.crm_code, &c.legacy_crm_code)
            & http_plumbing::constant_time_eq(&request.login, &c.legacy_login)
            & http_plumbing::constant_time_eq(
                request.password.expose_secret(),
                c.legacy_password.expose_secret(),
            );
        if !ok {
            return Err(HandlerError::unauthorized("wrong login or password"));
        }
        let token: String = (0..32).map(|_| fastrand::alphanumeric()).collect();
        let mut data = lock(&self.data);
        data.legacy_tokens.push(token.clone());
        if data.legacy_tokens.len() > 1000 {
            data.legacy_tokens.remove(0);
        }
        *lock(&self.target) = Some(LegacyTarget {
            url: request.url,
            crm_token: request.crm_token,
        });
        Ok(SecretString::from(token))
    }

    async fn check_token(&self, token: &SecretString) -> bool {
        lock(&self.data)
            .legacy_tokens
            .iter()
            .any(|t| http_plumbing::constant_time_eq(token.expose_secret(), t))
    }

    async fn make_call(&self, request: MakeCallRequest) -> Result<CallId, HandlerError> {
        let mut data = lock(&self.data);
        if data.user_by_login_or_ext(&request.user).is_none() {
            return Err(HandlerError::invalid(
                "user",
                format!("unknown user {}", request.user),
            ));
        }
        let uid = data.next_uid();
        if data.placed_calls.len() >= 10_000 {
            data.placed_calls.remove(0);
        }
        data.placed_calls.push(PlacedCall {
            callid: uid.clone(),
            phone: request.phone.as_str().to_owned(),
            user: request.user,
            via: "legacy",
            time: Utc::now(),
        });
        Ok(CallId::from(uid))
    }

    async fn groups(&self) -> Result<Vec<LegacyGroup>, HandlerError> {
        Ok(lock(&self.data)
            .groups
            .iter()
            .map(|g| LegacyGroup {
                id: g.id.as_str().to_owned(),
                real_name: g.name.clone(),
                ext: (!g.ext.is_empty()).then(|| g.ext.clone()),
            })
            .collect())
    }

    async fn subscribe_on_calls(&self, request: SubscribeOnCalls) -> Result<(), HandlerError> {
        let login = Login::from(request.user.as_str());
        let group = request.group_id.as_deref().map(GroupId::from);
        super::v1::set_subscription(&self.data, &login, group, request.enable)
    }

    async fn accounts(&self) -> Result<Vec<Account>, HandlerError> {
        Ok(lock(&self.data)
            .users
            .iter()
            .map(|u| Account {
                name: u.login.as_str().to_owned(),
                real_name: Some(u.name.clone()),
            })
            .collect())
    }
}
