//! Schemas of the types whose serde implementations are hand-written (the envelope, R5's
//! answer, stage statuses) and of the fields read by custom functions (timestamps, durations).

use crate::types::calls::{CallReady, Envelope};
use crate::types::webhook::StageStatus;
use http_plumbing::openapi::INTEGER_TEXT;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// W1/W2 `timestamp`: written as RFC 3339 UTC; read as RFC 3339 or Unix seconds.
pub(crate) fn timestamp(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "Written as RFC 3339 UTC (`2025-09-17T14:30:00Z`); Unix seconds (a number or a numeric string) are also read.",
        "anyOf": [
            {"title": "written", "type": ["string", "null"], "format": "date-time"},
            {"title": "accepted", "type": "integer"},
            {"title": "accepted", "type": "string", "pattern": INTEGER_TEXT}
        ]
    })
}

/// W2 `processing_time`: `"HH:MM:SS"`; `"MM:SS"` and whole seconds are also read.
pub(crate) fn hms(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "How long the extraction took, `HH:MM:SS` (`00:02:35`); `MM:SS` and whole seconds are also read.",
        "anyOf": [
            {"title": "written", "type": ["string", "null"], "pattern": "^[0-9]{2,}:[0-5][0-9]:[0-5][0-9]$"},
            {"title": "accepted", "type": "string", "pattern": "^\\s*([0-9]+:)?([0-9]+:)?[0-9]+\\s*$"}
        ]
    })
}

impl<T: JsonSchema> JsonSchema for Envelope<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Envelope_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let data = generator.subschema_for::<T>();
        json_schema!({
            "type": "object",
            "description": "The answer envelope of R1–R4: `data` is the payload on success and `false` on errors.",
            "required": ["data", "error", "message"],
            "properties": {
                "data": {"oneOf": [data, {"const": false, "description": "an error answer"}]},
                "error": {"type": "boolean", "description": "whether the request failed"},
                "message": {"type": "string", "description": "a human-readable message, in Russian"}
            }
        })
    }
}

impl JsonSchema for CallReady {
    fn schema_name() -> Cow<'static, str> {
        "CallReady".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "R5's answer: `{\"ready\":true,\"data\":{…}}` when the table's result is ready, `{\"ready\":false}` while the call is queued or being analysed.",
            "oneOf": [
                {"type": "object", "title": "ready", "required": ["ready", "data"], "properties": {
                    "ready": {"const": true},
                    "data": {"type": "object", "description": "field name → extracted value",
                             "additionalProperties": {"type": "string"}}
                }},
                {"type": "object", "title": "not ready", "required": ["ready"], "properties": {
                    "ready": {"const": false}
                }}
            ]
        })
    }
}

impl JsonSchema for StageStatus {
    fn schema_name() -> Cow<'static, str> {
        "StageStatus".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "`completed`: the stage passed; `failed`: it failed. Read in any case; unknown values are kept.",
            "enum": ["completed", "failed"],
            "x-tolerant-enum": true
        })
    }
}
