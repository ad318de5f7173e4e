//! Messages of the legacy `*.wcgp` generation (the legacy PBX vendor document; docs/protocol.md §4 (L1–L7)).

use crate::common::opt_phone;
use crate::{CallId, Direction, EventType, Phone};
use http_plumbing::lenient;
use secrecy::SecretString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// L1 `api_login.wcgp`: the CRM connects itself to the PBX with an administrator's credentials.
///
/// `password` and `crm_token` are secrets: `Debug` shows them redacted.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LoginRequest {
    /// The CRM's identifier (`mycrm`).
    #[serde(deserialize_with = "lenient::string")]
    pub crm_code: String,
    /// The PBX administrator's login.
    #[serde(deserialize_with = "lenient::string")]
    pub login: String,
    /// The PBX administrator's password.
    #[cfg_attr(feature = "openapi", schemars(with = "String"))]
    pub password: SecretString,
    /// The token the PBX will send back to the CRM with every push.
    #[cfg_attr(feature = "openapi", schemars(with = "String"))]
    pub crm_token: SecretString,
    /// The CRM URL the PBX will push to.
    #[serde(deserialize_with = "lenient::string")]
    pub url: String,
    /// Where to send the browser after an interactive setup.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub redirect_url: Option<String>,
    /// Users are mapped on the CRM side. On the wire the field's presence means `true`
    /// (`self_map=0`/`false` read as `false`); written as `self_map=true` when set.
    #[serde(default, deserialize_with = "presence_bool")]
    pub self_map: bool,
}

fn presence_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let text = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match text {
        None | Some(serde_json::Value::Null) => false,
        Some(serde_json::Value::Bool(b)) => b,
        Some(serde_json::Value::String(s)) => !matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "0" | "false" | "no" | "off"
        ),
        Some(serde_json::Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(_) => true,
    })
}

/// L2 `cmd=makeCall`: the PBX rings `user` first, then dials `phone`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MakeCallRequest {
    /// The number to call (E.164 digits; `+7 …` is read and normalised by the dispatcher and
    /// the client, [`Phone::normalized`]).
    pub phone: Phone,
    /// The CRM user (or, with `self_map`, the PBX account) placing the call.
    #[serde(deserialize_with = "lenient::string")]
    pub user: String,
    /// The caller id to show the client (`clid`, sent by live clients; not in the legacy
    /// vendor document).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub clid: Option<String>,
}

/// One L3 `cmd=accounts` entry: a PBX account to map CRM users onto.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Account {
    /// The account's login.
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    /// The person's name (`realName`).
    #[serde(rename = "realName", default, deserialize_with = "lenient::opt_string")]
    pub real_name: Option<String>,
}

/// One entry of the L4 `cmd=users` answer: a CRM user the PBX can map accounts onto.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CrmUser {
    /// The CRM's id of the user (read from a string or a number).
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    /// The user's full name.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
}

/// The L4 `cmd=users` answer: `{"users":[{"id","name"}]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct UsersAnswer {
    /// The CRM's users.
    #[serde(default)]
    pub users: Vec<CrmUser>,
}

/// L5 `cmd=contact`: who is this number? Answered with [`ContactAnswer`](crate::v1::push::ContactAnswer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ContactRequest {
    /// The caller's number.
    pub phone: Phone,
    /// The call's id (the same for all its legs).
    pub callid: CallId,
}

/// L6 `cmd=event`: a call appeared, was answered, ended or was dropped (incoming calls only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct EventPush {
    /// `type`: `INCOMING`, `ACCEPTED`, `COMPLETED`, `CANCELLED` (others kept as `Other`).
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// The caller's number.
    pub phone: Phone,
    /// The company number the call came through.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_phone"
    )]
    pub diversion: Option<Phone>,
    /// The CRM user (or PBX account, with `self_map`).
    #[serde(deserialize_with = "lenient::string")]
    pub user: String,
    /// The call's id.
    pub callid: CallId,
}

/// L7 `cmd=history`: a finished call.
///
/// `link` on the wire may hold several URLs joined by `|`; here it is a list, and
/// [`HistoryPush::recording`] is the first: the recording to analyse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct HistoryPush {
    /// `type`: `in` or `out`.
    #[serde(rename = "type")]
    pub direction: Direction,
    /// The CRM user (or PBX account, with `self_map`).
    #[serde(deserialize_with = "lenient::string")]
    pub user: String,
    /// The other party's number.
    pub phone: Phone,
    /// The company number the incoming call came through.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_phone"
    )]
    pub diversion: Option<Phone>,
    /// Total duration in seconds (number or numeric string).
    #[serde(deserialize_with = "lenient::from_str")]
    pub duration: u32,
    /// The call's id.
    pub callid: CallId,
    /// Recording URLs (`link`, `|`-separated on the wire); empty when recording is off.
    #[serde(
        rename = "link",
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "write_links",
        deserialize_with = "read_links"
    )]
    pub links: Vec<String>,
}

impl HistoryPush {
    /// The recording to analyse: the first link.
    pub fn recording(&self) -> Option<&str> {
        self.links.first().map(String::as_str)
    }
}

fn write_links<S: Serializer>(links: &[String], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&links.join("|"))
}

fn read_links<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    let parts: Vec<String> = match value {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(serde_json::Value::String(s)) => vec![s],
        Some(serde_json::Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(other) => {
            return Err(serde::de::Error::custom(format_args!(
                "expected a URL or URLs joined by `|`, got {other}"
            )));
        }
    };
    Ok(parts
        .iter()
        .flat_map(|s| s.split('|'))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect())
}
