//! Schemas of the types whose serde implementations are hand-written (the `ok` / `error`
//! answers, the call status) and of the date-time fields read by custom functions.

use crate::types::actions::{CallAdded, ErrorAnswer, LeadCreated, MessageAdded, TaskAdded};
use crate::types::call_status::CallStatus;
use http_plumbing::openapi::INTEGER_TEXT;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

const ACCEPTED_TIMES: &str =
    "Unix seconds, `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DDTHH:MM:SS` (UTC) or RFC 3339";

fn date_time(written: &str, pattern: &str, nullable: bool) -> Schema {
    let ty = if nullable {
        serde_json::json!(["string", "null"])
    } else {
        serde_json::json!("string")
    };
    let branches = vec![
        serde_json::json!({"title": "written", "type": ty, "pattern": pattern}),
        serde_json::json!({"title": "accepted", "type": "string", "description": ACCEPTED_TIMES}),
        serde_json::json!({"title": "accepted", "type": "integer", "description": "Unix seconds"}),
    ];
    json_schema!({
        "description": format!("Written as {written}; also read as {ACCEPTED_TIMES}."),
        "anyOf": branches,
    })
}

/// U4 `created_date`: `YYYY-MM-DD HH:MM:SS`.
pub(crate) fn space_time(_: &mut SchemaGenerator) -> Schema {
    date_time(
        "`YYYY-MM-DD HH:MM:SS` (`2022-07-12 10:35:12`)",
        r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$",
        true,
    )
}

/// U6 `deadline`, U7 `date`: `YYYY-MM-DDTHH:MM:SS` in UTC.
pub(crate) fn t_time(_: &mut SchemaGenerator) -> Schema {
    date_time(
        "`YYYY-MM-DDTHH:MM:SS` in UTC (`2023-01-01T11:11:11`)",
        r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$",
        true,
    )
}

/// U3 `date_create`: Unix seconds as a string.
pub(crate) fn unix_time(_: &mut SchemaGenerator) -> Schema {
    date_time(
        "Unix seconds in a string (`\"1657497600\"`)",
        INTEGER_TEXT,
        false,
    )
}

macro_rules! ok_schema {
    ($($ty:ident { $field:literal, $what:literal }),+ $(,)?) => {$(
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                stringify!($ty).into()
            }

            fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                let id = generator.subschema_for::<String>();
                json_schema!({
                    "type": "object",
                    "description": concat!("`{\"status\":\"ok\",\"", $field, "\":\"…\"}`: the id the CRM gave the new ", $what, "."),
                    "required": ["status", $field],
                    "properties": {"status": {"const": "ok"}, $field: id}
                })
            }
        }
    )+};
}

ok_schema!(
    LeadCreated { "order_id", "deal" },
    MessageAdded { "message_id", "comment" },
    TaskAdded { "task_id", "task" },
    CallAdded { "call_id", "call record" },
);

impl JsonSchema for ErrorAnswer {
    fn schema_name() -> Cow<'static, str> {
        "ErrorAnswer".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "The failure answer; `message` names the bad parameter where there is one.",
            "required": ["status", "message"],
            "properties": {"status": {"const": "error"}, "message": {"type": "string"}}
        })
    }
}

impl JsonSchema for CallStatus {
    fn schema_name() -> Cow<'static, str> {
        "CallStatus".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "How the call ended. Read in any case, `answered` as `ANSWER`; unknown values are kept.",
            "enum": ["ANSWER", "BUSY", "NOANSWER", "CANCEL", "CONGESTION", "CHANUNAVAIL", "DONTCALL", "TORTURE"],
            "x-tolerant-enum": true
        })
    }
}
