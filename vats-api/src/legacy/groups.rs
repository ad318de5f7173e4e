//! The legacy commands the live PBX serves though the legacy vendor document omits them (L8
//! `groups`, L9 `subscribeOnCalls`), and the `makeCall` answer (docs/protocol.md §4).

use crate::CallId;
use http_plumbing::lenient;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The L2 `makeCall` answer of the live PBX: `{"uuid":"<call id>"}` (exactly that key: strict
/// clients refuse any other).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MakeCallAnswer {
    /// The new call's id.
    pub uuid: CallId,
}

/// One L8 `cmd=groups` entry: a department of the PBX.
///
/// Written with exactly the keys `id`, `realName`, `ext` (a strict client refuses others);
/// `ext` is read from a number or a string and written as the live PBX writes it, a number when
/// it is one (`701`).
///
/// ```
/// use vats_api::legacy::LegacyGroup;
/// let g: LegacyGroup = serde_json::from_str(r#"{"id":"sales","realName":"Отдел продаж","ext":701}"#)?;
/// assert_eq!(g.ext.as_deref(), Some("701"));
/// assert_eq!(serde_json::to_string(&g)?, r#"{"id":"sales","realName":"Отдел продаж","ext":701}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LegacyGroup {
    /// The group's id (`sales`, `buhgalterija_g1551011445322666863`).
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    /// The group's name (`Отдел продаж`).
    #[serde(rename = "realName", default, deserialize_with = "lenient::string")]
    pub real_name: String,
    /// The group's extension (`701`); `None` when it has none (written `null`).
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::number_or_text")
    )]
    #[serde(
        default,
        serialize_with = "number_if_digits",
        deserialize_with = "lenient::opt_string"
    )]
    pub ext: Option<String>,
}

fn number_if_digits<S: Serializer>(ext: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match ext.as_deref() {
        Some(e) if !e.is_empty() && e.len() < 16 && e.bytes().all(|b| b.is_ascii_digit()) => {
            match e.parse::<u64>() {
                Ok(n) if n.to_string() == e => s.serialize_u64(n),
                _ => s.serialize_str(e),
            }
        }
        Some(e) => s.serialize_str(e),
        None => s.serialize_none(),
    }
}

/// L9 `cmd=subscribeOnCalls` (sent as `subscribeoncalls` by some clients; read in any case):
/// turns a user's receiving of a group's calls on or off. Answered 200 `OK`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscribeOnCalls {
    /// The PBX user (login).
    #[serde(deserialize_with = "lenient::string")]
    pub user: String,
    /// `status`: `on` (receive calls) or `off`; read also as `true`/`false`, `1`/`0`.
    #[serde(
        rename = "status",
        serialize_with = "write_on_off",
        deserialize_with = "read_on_off"
    )]
    pub enable: bool,
    /// The group (`group_id`); none: every group of the user.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub group_id: Option<String>,
}

fn write_on_off<S: Serializer>(enable: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(if *enable { "on" } else { "off" })
}

fn read_on_off<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let text = lenient::string(d)?;
    match text.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "1" | "yes" => Ok(true),
        "off" | "false" | "0" | "no" => Ok(false),
        _ => Err(serde::de::Error::custom(format_args!(
            "{text:?} is not on or off"
        ))),
    }
}
