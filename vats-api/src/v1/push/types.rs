//! The messages of the PBX → CRM pushes V1–V4 (the PBX v1 vendor document §2), without `cmd` and `crm_token`
//! (the notifier adds them, the dispatcher checks and strips them).

use crate::common::opt_phone;
use crate::{CallId, CallStatus, Direction, EventType, Phone, timestamp};
use chrono::{DateTime, Utc};
use http_plumbing::lenient;
use serde::{Deserialize, Serialize};

/// V1 `history`: a finished call, with the link to its recording.
///
/// The PBX v1 vendor document's own example omits `diversion` although its table marks it required: it is
/// optional here. `duration` and `rating` are read from numbers or strings; `status` in any case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct HistoryPush {
    /// `type`: `in` or `out`.
    #[serde(rename = "type")]
    pub direction: Direction,
    /// The PBX user (login) who took or made the call.
    #[serde(deserialize_with = "lenient::string")]
    pub user: String,
    /// The user's extension.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub ext: Option<String>,
    /// The department the incoming call went through (`groupRealName`).
    #[serde(
        rename = "groupRealName",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub group_real_name: Option<String>,
    /// The user's direct number.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_phone"
    )]
    pub telnum: Option<Phone>,
    /// The client's number.
    pub phone: Phone,
    /// The company number the incoming call came through.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_phone"
    )]
    pub diversion: Option<Phone>,
    /// When the call started; written `20170703T121110Z`, read in any of the three forms.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::compact")
    )]
    #[serde(with = "timestamp::compact")]
    pub start: DateTime<Utc>,
    /// Total duration in seconds.
    #[serde(deserialize_with = "lenient::from_str")]
    pub duration: u32,
    /// The PBX's call id.
    pub callid: CallId,
    /// The recording's URL, when recording is on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub link: Option<String>,
    /// The client's rating of the call.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_from_str"
    )]
    pub rating: Option<u32>,
    /// The call's outcome.
    pub status: CallStatus,
}

impl HistoryPush {
    /// The recording to analyse: `link`, or its first URL when several are joined by `|` (as
    /// the legacy API does).
    ///
    /// ```
    /// # use vats_api::v1::push::HistoryPush;
    /// # let mut push: HistoryPush = serde_json::from_value(serde_json::json!({
    /// #     "type": "in", "user": "u", "phone": "7", "start": "20170703T121110Z",
    /// #     "duration": 1, "callid": "c", "status": "Success"}))?;
    /// push.link = Some("https://r/1.mp3|https://r/2.mp3".into());
    /// assert_eq!(push.recording(), Some("https://r/1.mp3"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn recording(&self) -> Option<&str> {
        self.link
            .as_deref()?
            .split('|')
            .map(str::trim)
            .find(|s| !s.is_empty())
    }
}

/// V2 `event`: a call appeared, was answered, ended… (for pop-up cards in the CRM).
///
/// `direction` is required by the PBX v1 vendor document's table but missing from its own example: it is optional
/// here (`None` when not sent); notifiers should send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct EventPush {
    /// `type`: `INCOMING`, `ACCEPTED`, `COMPLETED`, `CANCELLED`, `OUTGOING`, `TRANSFERRED`.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// The client's number.
    pub phone: Phone,
    /// The company number the incoming call came through.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_phone"
    )]
    pub diversion: Option<Phone>,
    /// The PBX user the event concerns.
    #[serde(deserialize_with = "lenient::string")]
    pub user: String,
    /// The department the call went through (`groupRealName`).
    #[serde(
        rename = "groupRealName",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub group_real_name: Option<String>,
    /// The user's extension.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub ext: Option<String>,
    /// The user's direct number.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_phone"
    )]
    pub telnum: Option<Phone>,
    /// `in` or `out`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// The PBX's call id.
    pub callid: CallId,
}

/// V3 `contact`: the PBX asks who a calling number belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ContactRequest {
    /// The client's number.
    pub phone: Phone,
    /// The company number the call came through.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_phone"
    )]
    pub diversion: Option<Phone>,
    /// The PBX's call id.
    pub callid: CallId,
}

/// The answer to `contact` (V3 and L5): the client's name and their responsible manager.
///
/// An unknown number is answered with `{}` (both `None`), never `[]`. `responsible` is a PBX
/// login, extension or direct number; the legacy PBX vendor document shows it as a number (`23`), read as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ContactAnswer {
    /// The name the PBX shows on the phone.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub contact_name: Option<String>,
    /// The responsible user: login, extension or direct number.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub responsible: Option<String>,
}

impl ContactAnswer {
    /// Whether the answer says nothing (`{}`: the number is unknown).
    pub fn is_empty(&self) -> bool {
        self.contact_name.is_none() && self.responsible.is_none()
    }
}

/// V4 `rating`: the score a client gave after the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RatingPush {
    /// The client's number.
    pub phone: Phone,
    /// The score (read from a number or a string).
    #[serde(deserialize_with = "lenient::from_str")]
    pub rating: u32,
    /// The PBX user who was rated.
    #[serde(deserialize_with = "lenient::string")]
    pub user: String,
    /// The user's extension.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_string"
    )]
    pub ext: Option<String>,
    /// The PBX's call id.
    pub callid: CallId,
}
