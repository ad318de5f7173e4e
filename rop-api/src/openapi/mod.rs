//! The OpenAPI 3.1 document of the ROP API (R1–R5, webhooks W1–W2), generated from this crate's
//! types (feature `openapi`). The checked-in copy is `docs/openapi/rop.json`; a test regenerates
//! it and fails on any difference (`UPDATE_OPENAPI=1 cargo test -p rop-api --all-features`
//! rewrites it).
//!
//! ```
//! let doc = rop_api::openapi::document();
//! assert_eq!(doc["openapi"], "3.1.0");
//! assert!(doc["paths"]["/api/v1/calls/audio-upload"]["post"].is_object());
//! assert!(doc["webhooks"]["W1"]["post"].is_object());
//! ```

pub(crate) mod schemas;

use crate::types::calls::{CallReady, CallReadyQuery, CallUpload, Envelope};
use crate::types::ids::CallId;
use crate::types::settings::{ManagersUpdate, OfficesUpdate};
use crate::types::webhook::{ChecklistResult, TableResult};
use http_plumbing::openapi::{Components, Op, TOLERANCE_NOTE, add_path};
use serde_json::{Map, Value, json};

/// The vendor documents' examples (the crate's test fixtures), by file name.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "r1_request_000.json",
        include_str!("../../tests/fixtures/r1_request_000.json"),
    ),
    (
        "r1_request_001_form.json",
        include_str!("../../tests/fixtures/r1_request_001_form.json"),
    ),
    (
        "r1_request_001_python.json",
        include_str!("../../tests/fixtures/r1_request_001_python.json"),
    ),
    (
        "r1_response_200.json",
        include_str!("../../tests/fixtures/r1_response_200.json"),
    ),
    (
        "r1_response_400_not_audio.json",
        include_str!("../../tests/fixtures/r1_response_400_not_audio.json"),
    ),
    (
        "r1_response_401.json",
        include_str!("../../tests/fixtures/r1_response_401.json"),
    ),
    (
        "r1_response_409.json",
        include_str!("../../tests/fixtures/r1_response_409.json"),
    ),
    (
        "r2_request_001.json",
        include_str!("../../tests/fixtures/r2_request_001.json"),
    ),
    (
        "r3_request_000.json",
        include_str!("../../tests/fixtures/r3_request_000.json"),
    ),
    (
        "r3_request_001.json",
        include_str!("../../tests/fixtures/r3_request_001.json"),
    ),
    (
        "r4_request_000.json",
        include_str!("../../tests/fixtures/r4_request_000.json"),
    ),
    (
        "r4_request_001.json",
        include_str!("../../tests/fixtures/r4_request_001.json"),
    ),
    (
        "r5_response_not_ready.json",
        include_str!("../../tests/fixtures/r5_response_not_ready.json"),
    ),
    (
        "r5_response_ready_000.json",
        include_str!("../../tests/fixtures/r5_response_ready_000.json"),
    ),
    (
        "r5_response_ready_001.json",
        include_str!("../../tests/fixtures/r5_response_ready_001.json"),
    ),
    (
        "w1_000.json",
        include_str!("../../tests/fixtures/w1_000.json"),
    ),
    (
        "w1_001.json",
        include_str!("../../tests/fixtures/w1_001.json"),
    ),
    (
        "w2_000.json",
        include_str!("../../tests/fixtures/w2_000.json"),
    ),
    (
        "w2_001.json",
        include_str!("../../tests/fixtures/w2_001.json"),
    ),
];

/// One vendor example, parsed (`null` for an unknown name; the fixtures are valid JSON).
fn example(name: &str) -> Value {
    EXAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, text)| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null)
}

const DESCRIPTION: &str = "«Цифровой РОП» receives call recordings from the CRM, transcribes and \
scores them, and posts the results back to the CRM's webhook URLs (docs/protocol.md §1). Every \
request carries the query parameter `apiKey`, R5 included. The POST answers use the envelope \
`{\"data\": <value or false>, \"error\": <bool>, \"message\": \"…\"}`; a 400 names the field \
(`Некорректный параметр <field>: <reason>`). At most 60 requests a minute per key; then 429 with \
`Retry-After`.";

/// The ROP API as an OpenAPI 3.1 document: R1–R5 under `paths`, W1–W2 under `webhooks`,
/// request and response schemas derived from [`crate::CallUpload`], [`crate::ChecklistResult`]
/// and the other wire types, the vendor document's examples under `examples`.
///
/// `servers` names the vendor's example host pattern; the mock server replaces it with its own
/// address when it serves the document at `GET /__admin/openapi.json`.
pub fn document() -> Value {
    let mut c = Components::new();
    let upload = c.schema::<CallUpload>();
    let accepted = c.schema::<Envelope<CallId>>();
    let count = c.schema::<Envelope<u32>>();
    let ready = c.schema::<CallReady>();
    let error = c.named(
        "ErrorEnvelope",
        json!({"type": "object", "required": ["data", "error", "message"],
            "description": "Every error answer: `data` false, `error` true, the reason in `message`.",
            "properties": {"data": {"const": false}, "error": {"const": true},
                "message": {"type": "string", "examples": ["Некорректный параметр audio_url: must be an absolute http or https URL"]}}}),
    );
    let errors = |op: Op, extra: &[(u16, &str)]| {
        let mut op = op
            .response_with(
                400,
                "a bad or missing field, named in `message`",
                "application/json",
                error.clone(),
                &[],
            )
            .response_with(
                401,
                "`apiKey` missing or wrong",
                "application/json",
                error.clone(),
                &[("apiKey не валиден", example("r1_response_401.json"))],
            )
            .response_with(
                429,
                "over the rate limit (60 requests a minute per key)",
                "application/json",
                error.clone(),
                &[],
            )
            .response_header(
                429,
                "Retry-After",
                "seconds to wait",
                json!({"type": "integer"}),
            );
        for (status, why) in extra {
            op = op.response(*status, why, error.clone());
        }
        op
    };
    let media = [
        "application/json",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
    ];
    let ok_upload = |op: Op| {
        op.response_with(
            200,
            "queued; `data` is the call id",
            "application/json",
            accepted.clone(),
            &[("vendor example", example("r1_response_200.json"))],
        )
    };
    let mut paths = Map::new();
    let r1 = Op::new("R1", "Send a call recording for analysis")
        .tag("calls")
        .describe("ROP fetches `audio_url` (MP3, WAV or OGG by its bytes, at most 100 MB and 2,700 s), transcribes and scores it, then posts W1/W2. `duration` is whole seconds. A repeated `call_id` is a 409 unless its analysis failed.")
        .body(true, &media, upload.clone(), &[
            ("vendor example", example("r1_request_000.json")),
            ("vendor form example", example("r1_request_001_form.json")),
            ("vendor Python example", example("r1_request_001_python.json")),
        ]);
    let r1 = errors(
        ok_upload(r1),
        &[
            (409, "a call with this `call_id` was already processed"),
            (413, "the body is over 1 MiB"),
            (415, "an unsupported body type"),
        ],
    )
    .response_with(
        400,
        "a bad or missing field, or the file is not audio",
        "application/json",
        error.clone(),
        &[(
            "vendor example: not audio",
            example("r1_response_400_not_audio.json"),
        )],
    )
    .response_with(
        409,
        "a call with this `call_id` was already processed",
        "application/json",
        error.clone(),
        &[("vendor example", example("r1_response_409.json"))],
    );
    add_path(&mut paths, "/api/v1/calls/audio-upload", "post", r1.build());
    let r2 = Op::new(
        "R2",
        "Send a call for analysis (the JSON \"alternative format\")",
    )
    .tag("calls")
    .describe("The same fields and answers as R1, as JSON.")
    .body(
        true,
        &["application/json"],
        upload,
        &[("vendor example", example("r2_request_001.json"))],
    );
    let r2 = errors(
        ok_upload(r2),
        &[
            (409, "a call with this `call_id` was already processed"),
            (413, "the body is over 1 MiB"),
            (415, "an unsupported body type"),
        ],
    );
    add_path(&mut paths, "/api/v1/calls", "post", r2.build());
    let r3 = Op::new("R3", "Upsert the offices")
        .tag("settings")
        .describe("Upserted by `office_id`; an office's member lists are replaced by what is sent. `data` is the number of offices stored.")
        .body(true, &["application/json"], c.schema::<OfficesUpdate>(), &[
            ("vendor example", example("r3_request_000.json")),
            ("vendor example, two offices", example("r3_request_001.json")),
        ])
        .response_with(200, "stored; `data` is the number of offices", "application/json", count.clone(),
            &[("stored", json!({"data": 2, "error": false, "message": "Структура офисов обновлена"}))]);
    add_path(
        &mut paths,
        "/api/v1/settings/offices-update",
        "post",
        errors(
            r3,
            &[
                (413, "the body is over 1 MiB"),
                (415, "an unsupported body type"),
            ],
        )
        .build(),
    );
    let r4 = Op::new("R4", "Upsert the managers")
        .tag("settings")
        .describe("Upserted by `manager_id`. `data` is the number of managers stored.")
        .body(
            true,
            &["application/json"],
            c.schema::<ManagersUpdate>(),
            &[
                ("vendor example", example("r4_request_000.json")),
                (
                    "vendor example, two managers",
                    example("r4_request_001.json"),
                ),
            ],
        )
        .response_with(
            200,
            "stored; `data` is the number of managers",
            "application/json",
            count,
            &[(
                "stored",
                json!({"data": 2, "error": false, "message": "Данные менеджеров обновлены"}),
            )],
        );
    add_path(
        &mut paths,
        "/api/v1/settings/managers-update",
        "post",
        errors(
            r4,
            &[
                (413, "the body is over 1 MiB"),
                (415, "an unsupported body type"),
            ],
        )
        .build(),
    );
    let query = c.properties::<CallReadyQuery>();
    let param = |name: &str| {
        query
            .iter()
            .find(|p| p.0 == name)
            .map_or(Value::Null, |p| p.1.clone())
    };
    let r5 = Op::new("R5", "Is a table's result for a call ready")
        .tag("tables")
        .describe("`ready:false` while the call is queued or being analysed (and when its analysis failed); 404 only for an unknown table or call.")
        .param("query", "tab", true, "the table's id, e.g. `TBL_1755863365`", param("tab"))
        .param("query", "call", true, "the call's id", param("call"))
        .response_with(200, "the table's fields, or not ready yet", "application/json", ready, &[
            ("vendor example: ready", example("r5_response_ready_000.json")),
            ("vendor example: ready, custom field", example("r5_response_ready_001.json")),
            ("vendor example: not ready", example("r5_response_not_ready.json")),
        ]);
    add_path(
        &mut paths,
        "/api/v1/tables/call-ready",
        "get",
        errors(r5, &[(404, "an unknown table or call")]).build(),
    );
    let received = json!({"type": "object", "description": "the receiver's acknowledgement (the workspace's receivers answer the envelope with `data` true)"});
    let w1 = Op::new("W1", "Checklist result (ROP → CRM)")
        .tag("webhooks")
        .describe("POSTed to the URL configured for the checklist. Delivery is at least once: deduplicate on (`call_id`, `checklist_name`). 2xx is delivered; 5xx, 429 and connection errors are retried; other 4xx are final. The older vendor edition's short form (no `checklist_name`, `stage_id`, `percentage`, `status`, `timestamp`) is accepted.")
        .body(true, &["application/json"], c.schema::<ChecklistResult>(), &[
            ("vendor example, short edition", example("w1_000.json")),
            ("vendor example, full edition", example("w1_001.json")),
        ])
        .response(200, "delivered (also for a duplicate)", received.clone())
        .response(400, "a bad field; a permanent failure, not retried", received.clone())
        .security(&[]);
    let w2 = Op::new("W2", "Table result (ROP → CRM)")
        .tag("webhooks")
        .describe(
            "POSTed to the URL configured for the table. Deduplicate on (`call_id`, `table_id`).",
        )
        .body(
            true,
            &["application/json"],
            c.schema::<TableResult>(),
            &[
                ("vendor example, short edition", example("w2_000.json")),
                ("vendor example, full edition", example("w2_001.json")),
            ],
        )
        .response(200, "delivered (also for a duplicate)", received.clone())
        .response(
            400,
            "a bad field; a permanent failure, not retried",
            received,
        )
        .security(&[]);
    let mut components = c.build();
    components["securitySchemes"] = json!({"apiKey": {"type": "apiKey", "in": "query", "name": "apiKey",
        "description": "The key ROP issued to the CRM; on every request, R5 included."}});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "«Цифровой РОП» API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!("{DESCRIPTION}\n\n{TOLERANCE_NOTE}"),
        },
        "servers": [{"url": "http://{host}", "description": "a ROP server (the mock serves this document with its own address)",
            "variables": {"host": {"default": "127.0.0.1:8710"}}}],
        "security": [{"apiKey": []}],
        "tags": [
            {"name": "calls", "description": "R1–R2: calls for analysis"},
            {"name": "settings", "description": "R3–R4: the CRM's org structure"},
            {"name": "tables", "description": "R5: table results"},
            {"name": "webhooks", "description": "W1–W2: results posted to the CRM"},
        ],
        "paths": paths,
        "webhooks": {"W1": {"post": w1.build()}, "W2": {"post": w2.build()}},
        "components": components,
    })
}
