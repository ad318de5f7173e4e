//! The legacy generation of the PBX CRM API, `*.wcgp` (the legacy PBX vendor document; docs/protocol.md §4 (L1–L7)).
//!
//! Every request is a form-encoded POST.
//!
//! | # | direction | `cmd` / endpoint | sender | receiver | answer |
//! |---|---|---|---|---|---|
//! | L1 | CRM → PBX | `/sys/api_login.wcgp` | [`Client::login`] | [`PbxHandler::login`] | `{"token"}` as a `SecretString` |
//! | L2 | CRM → PBX | `/sys/crm_api.wcgp` `makeCall` | [`Client::make_call`] | [`PbxHandler::make_call`] | [`MakeCallAnswer`] `{"uuid"}` |
//! | L3 | CRM → PBX | `/sys/crm_api.wcgp` `accounts` | [`Client::accounts`] | [`PbxHandler::accounts`] | `[`[`Account`]`]` |
//! | L8 | CRM → PBX | `/sys/crm_api.wcgp` `groups` | [`Client::groups`] | [`PbxHandler::groups`] | `[`[`LegacyGroup`]`]` |
//! | L9 | CRM → PBX | `/sys/crm_api.wcgp` `subscribeOnCalls` | [`Client::subscribe_on_calls`] | [`PbxHandler::subscribe_on_calls`] | `OK` |
//! | L4 | PBX → CRM | `users` (or `user`) | [`LegacyCrmNotifier::users`] | [`LegacyCrmHandler::users`] | `{"users":[`[`CrmUser`]`]}` |
//! | L5 | PBX → CRM | `contact` | [`LegacyCrmNotifier::contact`] | [`LegacyCrmHandler::contact`] | [`ContactAnswer`], `{}` if unknown |
//! | L6 | PBX → CRM | `event` | [`LegacyCrmNotifier::event`] | [`LegacyCrmHandler::event`] | 200 |
//! | L7 | PBX → CRM | `history` | [`LegacyCrmNotifier::history`] | [`LegacyCrmHandler::history`] | 200 |
//!
//! Error bodies are the vendor document's: 400 `{"error":"Invalid parameters"}` (with a `"detail"` naming
//! the field), 401 `{"error":"Invalid token"}`, and for a failed login 401
//! `{"error":"Autorization failed"}` — misspelt as in the vendor document, because real CRMs match on it.
//! [`PbxDispatcher`] serves L1–L3 (the mock PBX), [`LegacyCrmDispatcher`] receives L4–L7.
//!
//! Decisions beyond docs/protocol.md:
//! - The login answer's token is a `SecretString`; L2/L3 carry it as the `token` field, set on
//!   the client with [`ClientBuilder::token`] or [`Client::with_token`].
//! - `self_map` means "present"; written `self_map=true`, read as `true` unless it is `0`,
//!   `false`, `no` or `off`.
//! - Validation errors add a `"detail":"<field>: <problem>"` key to the vendor document's
//!   `{"error":"Invalid parameters"}`; clients that only read `error` are unaffected.
//! - The PBX dispatcher checks `token` (through [`PbxHandler::check_token`]) before `cmd`, so a
//!   missing token is 401 `Invalid token` and an unknown `cmd` with a valid token is 400.
//! - Bodies are form-encoded as the vendor document says; the dispatchers also accept JSON, multipart and
//!   `payload=<json>`. `cmd` is matched in any case (`makeCall`, `makecall`, `subscribeoncalls`).
//! - As the live PBX (not the document): `makeCall` answers `{"uuid":"…"}` (the client also
//!   accepts the document's empty 200), `groups` (L8) and `subscribeOnCalls` (L9) are served,
//!   and `phone` may come as `+7 916 …` (normalised to digits).
//! - Paths: the PBX dispatcher serves any path ending in `/sys/api_login.wcgp` or
//!   `/sys/crm_api.wcgp` (else 404); the CRM dispatcher serves every path.

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "server")]
mod crm_server;
mod groups;
#[cfg(feature = "client")]
mod notifier;
#[cfg(feature = "server")]
mod pbx_server;
mod types;

pub use crate::v1::push::ContactAnswer;
#[cfg(feature = "client")]
pub use client::{API_PATH, Client, ClientBuilder, LOGIN_PATH};
#[cfg(feature = "server")]
pub use crm_server::{LegacyCrmDispatcher, LegacyCrmHandler};
pub use groups::{LegacyGroup, MakeCallAnswer, SubscribeOnCalls};
#[cfg(feature = "client")]
pub use notifier::{LegacyCrmNotifier, LegacyCrmNotifierBuilder};
#[cfg(feature = "server")]
pub use pbx_server::{PbxDispatcher, PbxHandler};
pub use types::{
    Account, ContactRequest, CrmUser, EventPush, HistoryPush, LoginRequest, MakeCallRequest,
    UsersAnswer,
};
