//! U4–U7: what the analytics system sends to the CRM (`lead`, `message`, `task`, `call`) and
//! the `{"status":"ok", …}` / `{"status":"error", …}` answers.

use crate::types::call_status::CallStatus;
use crate::types::ids::{CallId, ManagerId, MessageId, OrderId, TaskId};
use crate::types::time::{SPACE_FORMAT, T_FORMAT};
use chrono::{DateTime, Utc};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;

/// U4 `lead`: a new deal (request) for the CRM.
///
/// Required: `title`. `data` travels as one JSON object serialized into the `data` parameter.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LeadRequest {
    /// The lead's title (`"JivoSite"`).
    #[serde(deserialize_with = "http_plumbing::lenient::string")]
    pub title: String,
    /// A comment with additional information.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub text: Option<String>,
    /// The client's name.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub name: Option<String>,
    /// The client's phone.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub phone: Option<String>,
    /// The client's e-mail.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub email: Option<String>,
    /// Additional fields, `"custom_field": "value"` (field id or name → value). Read from a JSON
    /// object or from its JSON text; values that are numbers are kept as their text.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "crate::types::wire::json_in_string"
    )]
    pub data: BTreeMap<String, String>,
    /// When the lead was created; written as `YYYY-MM-DD HH:MM:SS` (UTC).
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::space_time")
    )]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::types::time::opt_space"
    )]
    pub created_date: Option<DateTime<Utc>>,
    /// The visitor id of the web analytics (Roistat `visit`, e.g. `"4185"`) that brought the lead.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub visit: Option<String>,
    /// The manager the deal is assigned to (`manager_id`; none: the CRM decides).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::types::wire::opt_id"
    )]
    pub manager_id: Option<ManagerId>,
}

/// U5 `message`: a comment on a deal.
///
/// Required: `leadId` (also read as `lead_id`) and `message`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MessageRequest {
    /// The deal (or other entity) the comment belongs to; the wire name is `leadId`.
    #[serde(
        rename = "leadId",
        alias = "lead_id",
        alias = "leadid",
        alias = "LeadId"
    )]
    pub lead_id: OrderId,
    /// The comment's title.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub title: Option<String>,
    /// The comment's text.
    #[serde(deserialize_with = "http_plumbing::lenient::string")]
    pub message: String,
}

/// U6 `task`: a task on a deal.
///
/// Required: `element_id` and `text`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TaskRequest {
    /// The deal (or other entity) the task belongs to.
    pub element_id: OrderId,
    /// The task's deadline, written as `YYYY-MM-DDTHH:MM:SS` in UTC.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::t_time")
    )]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::types::time::opt_t"
    )]
    pub deadline: Option<DateTime<Utc>>,
    /// The task's text.
    #[serde(deserialize_with = "http_plumbing::lenient::string")]
    pub text: String,
}

/// U7 `call`: a call to record on a deal.
///
/// Required: `id`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CallRequest {
    /// The call's id in the calling system.
    pub id: CallId,
    /// Who was called.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub callee: Option<String>,
    /// The calling number, as the telephony reports it (`79101234567`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub caller: Option<String>,
    /// When the call took place; written as `YYYY-MM-DDTHH:MM:SS` in UTC.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::t_time")
    )]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::types::time::opt_t"
    )]
    pub date: Option<DateTime<Utc>>,
    /// The visitor id of the web analytics (Roistat `visit`) the call is attributed to.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub visit: Option<String>,
    /// The marker (advertising source) of the visit.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub marker: Option<String>,
    /// How the call ended.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_call_status"
    )]
    pub status: Option<CallStatus>,
    /// The deal created for the call.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::types::wire::opt_id"
    )]
    pub order_id: Option<OrderId>,
    /// The call's duration in seconds.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub duration: Option<u64>,
    /// The recording's URL.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub file_url: Option<String>,
}

fn opt_call_status<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<CallStatus>, D::Error> {
    Ok(http_plumbing::lenient::opt_string(d)?.map(|s| CallStatus::parse(&s)))
}

/// A request's query parameters in the order the client sends them, `action` first.
/// Absent optional values are left out.
struct Params(Vec<(&'static str, String)>);

impl Params {
    fn new(action: &'static str) -> Self {
        Self(vec![("action", action.to_owned())])
    }
    fn put(&mut self, key: &'static str, value: impl Into<String>) {
        self.0.push((key, value.into()));
    }
    fn opt(&mut self, key: &'static str, value: Option<&str>) {
        if let Some(v) = value {
            self.put(key, v);
        }
    }
}

impl LeadRequest {
    /// A lead with a title and nothing else.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    /// The query parameters this request travels as: `action=lead` first, then the fields in
    /// the vendor document's order, `data` as compact JSON; absent fields are left out.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut p = Params::new("lead");
        p.put("title", self.title.as_str());
        p.opt("text", self.text.as_deref());
        p.opt("name", self.name.as_deref());
        p.opt("phone", self.phone.as_deref());
        p.opt("email", self.email.as_deref());
        if !self.data.is_empty() {
            // A map of strings always serializes; fall back to an empty object regardless.
            p.put(
                "data",
                serde_json::to_string(&self.data).unwrap_or_else(|_| "{}".into()),
            );
        }
        if let Some(d) = &self.created_date {
            p.put("created_date", d.format(SPACE_FORMAT).to_string());
        }
        p.opt("visit", self.visit.as_deref());
        p.opt(
            "manager_id",
            self.manager_id.as_ref().map(ManagerId::as_str),
        );
        p.0
    }
}

impl MessageRequest {
    /// A comment on a deal.
    pub fn new(lead_id: impl Into<OrderId>, message: impl Into<String>) -> Self {
        Self {
            lead_id: lead_id.into(),
            title: None,
            message: message.into(),
        }
    }

    /// The query parameters this request travels as, `action=message` first.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut p = Params::new("message");
        p.put("leadId", self.lead_id.as_str());
        p.opt("title", self.title.as_deref());
        p.put("message", self.message.as_str());
        p.0
    }
}

impl TaskRequest {
    /// A task on a deal.
    pub fn new(element_id: impl Into<OrderId>, text: impl Into<String>) -> Self {
        Self {
            element_id: element_id.into(),
            deadline: None,
            text: text.into(),
        }
    }

    /// The query parameters this request travels as, `action=task` first.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut p = Params::new("task");
        p.put("element_id", self.element_id.as_str());
        if let Some(d) = &self.deadline {
            p.put("deadline", d.format(T_FORMAT).to_string());
        }
        p.put("text", self.text.as_str());
        p.0
    }
}

impl CallRequest {
    /// A call with its external id and nothing else.
    pub fn new(id: impl Into<CallId>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    /// The query parameters this request travels as, `action=call` first.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut p = Params::new("call");
        p.put("id", self.id.as_str());
        p.opt("callee", self.callee.as_deref());
        p.opt("caller", self.caller.as_deref());
        if let Some(d) = &self.date {
            p.put("date", d.format(T_FORMAT).to_string());
        }
        p.opt("visit", self.visit.as_deref());
        p.opt("marker", self.marker.as_deref());
        p.opt("status", self.status.as_ref().map(CallStatus::as_str));
        p.opt("order_id", self.order_id.as_ref().map(OrderId::as_str));
        if let Some(d) = self.duration {
            p.put("duration", d.to_string());
        }
        p.opt("file_url", self.file_url.as_deref());
        p.0
    }
}

macro_rules! ok_answer {
    ($(#[$doc:meta])* $name:ident { $field:ident : $ty:ident }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
        pub struct $name {
            #[doc = concat!("The id the CRM gave the new record (`", stringify!($field), "`).")]
            pub $field: $ty,
        }

        impl $name {
            /// The answer for a new record's id.
            pub fn new(id: impl Into<$ty>) -> Self {
                Self { $field: id.into() }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut st = s.serialize_struct(stringify!($name), 2)?;
                st.serialize_field("status", "ok")?;
                st.serialize_field(stringify!($field), &self.$field)?;
                st.end()
            }
        }
    };
}

ok_answer!(
    /// U4's answer: `{"status":"ok","order_id":"803"}`.
    LeadCreated { order_id: OrderId }
);
ok_answer!(
    /// U5's answer: `{"status":"ok","message_id":"810"}`.
    MessageAdded { message_id: MessageId }
);
ok_answer!(
    /// U6's answer: `{"status":"ok","task_id":"811"}`.
    TaskAdded { task_id: TaskId }
);
ok_answer!(
    /// U7's answer: `{"status":"ok","call_id":"814"}`.
    CallAdded { call_id: CallId }
);

/// The failure answer: `{"status":"error","message":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct ErrorAnswer {
    /// What went wrong, naming the bad parameter where there is one.
    #[serde(default, deserialize_with = "crate::types::wire::text")]
    pub message: String,
}

impl ErrorAnswer {
    /// An error answer with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl Serialize for ErrorAnswer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ErrorAnswer", 2)?;
        st.serialize_field("status", "error")?;
        st.serialize_field("message", &self.message)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn answers_carry_status_ok() {
        let v = serde_json::to_value(LeadCreated::new("803")).unwrap();
        assert_eq!(v, serde_json::json!({"status": "ok", "order_id": "803"}));
        let a: CallAdded = serde_json::from_str(r#"{"status":"ok","call_id":814}"#).unwrap();
        assert_eq!(a.call_id.as_str(), "814");
    }

    #[test]
    fn lead_data_reads_from_json_text_or_object() {
        let a: LeadRequest =
            serde_json::from_str(r#"{"title":"t","data":"{\"1\":\"x\",\"2\":3}"}"#).unwrap();
        let b: LeadRequest =
            serde_json::from_str(r#"{"title":"t","data":{"1":"x","2":3}}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.data["2"], "3");
        let e = serde_json::from_str::<LeadRequest>(r#"{"title":"t","data":"{nope"}"#).unwrap_err();
        assert!(e.to_string().contains("not valid JSON"), "{e}");
    }

    #[test]
    fn task_query_writes_deadline_in_t_form() {
        let mut t = TaskRequest::new("803", "Текст задачи");
        t.deadline = Some(Utc.with_ymd_and_hms(2023, 1, 1, 11, 11, 11).unwrap());
        assert_eq!(
            t.query_pairs(),
            vec![
                ("action", "task".to_owned()),
                ("element_id", "803".to_owned()),
                ("deadline", "2023-01-01T11:11:11".to_owned()),
                ("text", "Текст задачи".to_owned()),
            ]
        );
    }
}
