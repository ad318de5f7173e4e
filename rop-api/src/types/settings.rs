//! R3 (offices) and R4 (managers): the CRM's org structure, upserted into ROP.

use super::ids::{ManagerId, OfficeId};
use super::wire::{id_list, json_list, text_or_empty};
use serde::{Deserialize, Serialize};

/// One office and its members (R3). Upserted by `office_id`; the member lists are replaced as sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Office {
    /// The office's display name.
    #[serde(default, deserialize_with = "text_or_empty")]
    pub office_title: String,
    /// The office's id in the CRM.
    pub office_id: OfficeId,
    /// Managers who lead the office.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "http_plumbing::openapi::string_list")
    )]
    #[serde(default, deserialize_with = "id_list")]
    pub leader_ids: Vec<ManagerId>,
    /// Managers who work in the office (also read from `manager_ids`).
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "http_plumbing::openapi::string_list")
    )]
    #[serde(default, alias = "manager_ids", deserialize_with = "id_list")]
    pub managers_ids: Vec<ManagerId>,
}

/// One manager (R4). Upserted by `manager_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Manager {
    /// The manager's id in the CRM.
    pub manager_id: ManagerId,
    /// First name, or the whole name when the CRM keeps one field (`Иван`, `Иванов Иван`).
    #[serde(deserialize_with = "http_plumbing::lenient::string")]
    pub name: String,
    /// Last name (empty when not sent).
    #[serde(default, deserialize_with = "text_or_empty")]
    pub surname: String,
    /// Patronymic, when the manager has one.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub middlename: Option<String>,
}

/// R3's body: `{"offices":[...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct OfficesUpdate {
    /// The offices to upsert (also read from the array's JSON text, as a form field carries it).
    #[serde(deserialize_with = "json_list")]
    pub offices: Vec<Office>,
}

/// R4's body: `{"managers":[...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ManagersUpdate {
    /// The managers to upsert (also read from the array's JSON text, as a form field carries it).
    #[serde(deserialize_with = "json_list")]
    pub managers: Vec<Manager>,
}
