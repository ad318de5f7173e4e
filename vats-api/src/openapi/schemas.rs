//! Schemas of the types whose serde implementations are hand-written (the tolerant string
//! enums, lists, passwords) and of the timestamp fields read by custom functions.

use crate::v1::{
    Advanced, CallOrder, Destination, HistoryType, InnerHistoryType, InnerStatus, ListInfo, Page,
    Password, Period, Role, RouteType, TimeoutTarget,
};
use crate::{CallStatus, Direction, EventType};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Value, json};
use std::borrow::Cow;

/// `YYYYmmddTHHMMSSZ`, the compact UTC form of query parameters and pushes.
pub(crate) const COMPACT: &str = r"^[0-9]{8}T[0-9]{6}Z$";

fn timestamp(mut written: Value, nullable: bool) -> Schema {
    let compact_written = written["pattern"] == COMPACT;
    if nullable {
        written["type"] = json!(["string", "null"]);
    }
    let mut branches = vec![
        written,
        json!({"title": "accepted", "type": "string", "format": "date-time",
            "description": "RFC 3339, also with an offset (`2017-07-07T16:14:08+03:00`)"}),
    ];
    if !compact_written {
        branches.push(json!({"title": "accepted", "type": "string", "pattern": COMPACT}));
    }
    json_schema!({
        "description": "A moment in time; readers accept `YYYYmmddTHHMMSSZ`, RFC 3339 and RFC 3339 with an offset, years 0000–9999.",
        "anyOf": branches,
    })
}

/// Query `start`/`end`: written `YYYYmmddTHHMMSSZ`.
pub(crate) fn opt_compact(_: &mut SchemaGenerator) -> Schema {
    timestamp(
        json!({"title": "written", "type": "string", "pattern": COMPACT}),
        true,
    )
}

/// V1 `start`: written `YYYYmmddTHHMMSSZ`.
pub(crate) fn compact(_: &mut SchemaGenerator) -> Schema {
    timestamp(
        json!({"title": "written", "type": "string", "pattern": COMPACT}),
        false,
    )
}

/// History JSON `start`: written RFC 3339 UTC (`2022-01-20T08:58:42Z`).
pub(crate) fn rfc3339(_: &mut SchemaGenerator) -> Schema {
    timestamp(
        json!({"title": "written", "type": "string", "format": "date-time"}),
        false,
    )
}

/// P2 `status`: written in lower case, as the vendor document's example of `history/json`
/// (`success`, `missed`); read in any case.
pub(crate) fn lower_case_status(_: &mut SchemaGenerator) -> Schema {
    let known: Vec<String> = CallStatus::KNOWN
        .iter()
        .map(|s| s.as_str().to_ascii_lowercase())
        .collect();
    json_schema!({
        "type": "string",
        "description": "How a call ended, written in lower case (`success`, `missed`); read in any case, unknown values kept.",
        "enum": known,
        "x-tolerant-enum": true,
    })
}

/// L8 `ext`: written as a number when it is all digits (`701`), else as text; `null` for none.
pub(crate) fn number_or_text(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["integer", "string", "null"],
        "description": "An extension: a number when it is all digits (`701`), else text; `null` when none.",
    })
}

macro_rules! tolerant_enum {
    ($($ty:ident: $desc:literal),+ $(,)?) => {$(
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                stringify!($ty).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let known: Vec<&str> = $ty::KNOWN.iter().map($ty::as_str).collect();
                json_schema!({
                    "type": "string",
                    "description": concat!($desc, " Read in any case (`_`, `-` and spaces ignored where the vendor's spelling varies); unknown values are kept."),
                    "enum": known,
                    "x-tolerant-enum": true,
                })
            }
        }
    )+};
}

tolerant_enum!(
    Direction: "The call's direction.",
    CallStatus: "How a call ended (V1 `status`).",
    EventType: "A call event (V2/L6 `type`).",
    Period: "A named history period (`week`/`month` are read as `this_week`/`this_month`).",
    HistoryType: "Which external calls P1/P2 list.",
    InnerHistoryType: "Which internal calls P3/P4 list.",
    InnerStatus: "How an internal call ended.",
    Destination: "Where an incoming call went.",
    Role: "A user's role.",
    CallOrder: "How a group rings its members.",
    Advanced: "A group's extra behaviour when nobody answers.",
    TimeoutTarget: "Where a group's unanswered call goes after `timeout.time`.",
    RouteType: "What a number routes to.",
);

impl JsonSchema for Password {
    fn schema_name() -> Cow<'static, str> {
        "Password".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "format": "password", "writeOnly": true,
            "description": "A password: sent to the PBX, never shown in logs or errors."})
    }
}

impl<T: JsonSchema> JsonSchema for Page<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Page_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let item = generator.subschema_for::<T>();
        let info = generator.subschema_for::<ListInfo>();
        json_schema!({
            "description": "One page of a list: `{\"items\":[…],\"info\":{…}}`; a bare array is also read (the whole list).",
            "anyOf": [
                {"title": "written", "type": "object", "required": ["items", "info"],
                 "properties": {"items": {"type": "array", "items": item.clone()}, "info": info}},
                {"title": "accepted", "type": "array", "items": item}
            ]
        })
    }
}
