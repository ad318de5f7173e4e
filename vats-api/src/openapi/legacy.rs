//! The legacy PBX API document: L1–L3 under `paths`, L4–L7 (the CRM-side commands) under
//! `webhooks`.

use super::example;
use crate::legacy::{
    Account, ContactRequest, EventPush, HistoryPush, LegacyGroup, LoginRequest, MakeCallAnswer,
    MakeCallRequest, UsersAnswer,
};
use crate::v1::push::ContactAnswer;
use http_plumbing::openapi::{Components, Op, TOLERANCE_NOTE, add_path};
use serde_json::{Map, Value, json};

const DESCRIPTION: &str = "The older `*.wcgp` CRM API of the same virtual PBX \
(docs/protocol.md §4). Every request is an `application/x-www-form-urlencoded` POST (JSON and \
multipart bodies are accepted too). L1 logs the CRM in and registers the URL the PBX pushes to; \
L2 and L3 share **one path, `/sys/crm_api.wcgp`, whose body field `cmd` selects the command**: \
OpenAPI keys operations by path and method, so they are one operation whose request body is a \
`oneOf` with a `cmd` discriminator. The PBX's commands to the CRM (L4–L7) all go to the one URL \
registered by L1 and are listed under `webhooks`, one per `cmd`. Credentials travel in the body: \
`token` (from L1) on L2/L3, `crm_token` on L1 and on every push. Error bodies are \
`{\"error\":\"…\",\"detail\":\"<field>\"}`: 400 `Invalid parameters`, 401 `Invalid token` \
(L1: `Autorization failed`, sic), 404 for another path, 405 for another method.";

fn with_fields(schema: Value, cmd: Option<&[&str]>, token: &str, token_desc: &str) -> Value {
    let mut props = Map::new();
    let mut required = vec![json!(token)];
    if let Some(cmds) = cmd {
        let s = if cmds.len() == 1 {
            json!({"const": cmds[0]})
        } else {
            json!({"enum": cmds})
        };
        props.insert("cmd".into(), s);
        required.push(json!("cmd"));
    }
    props.insert(
        token.into(),
        json!({"type": "string", "description": token_desc}),
    );
    json!({"allOf": [schema, {"type": "object", "required": required, "properties": props}]})
}

/// Builds the legacy document.
pub(super) fn document() -> Value {
    let mut c = Components::new();
    let error = c.named(
        "Error",
        json!({"type": "object", "required": ["error"], "description": "`error` as the vendor document spells it; `detail` names the field.",
            "properties": {"error": {"type": "string", "examples": ["Invalid parameters", "Invalid token", "Autorization failed"]},
                "detail": {"type": "string"}}}),
    );
    let form = [
        "application/x-www-form-urlencoded",
        "application/json",
        "multipart/form-data",
    ];
    let mut paths = Map::new();
    let l1 = Op::new("L1", "Log the CRM in and register its push URL")
        .describe("`url` is where the PBX pushes L4–L7; the answer's `token` authenticates L2/L3.")
        .body(true, &form, c.schema::<LoginRequest>(), &[])
        .response_with(200, "logged in", "application/json",
            json!({"type": "object", "required": ["token"], "properties": {"token": {"type": "string"}}}),
            &[("vendor example", example("legacy_login_answer_seed.json"))])
        .response(400, "`{\"error\":\"Invalid parameters\"}`", error.clone())
        .response(401, "`{\"error\":\"Autorization failed\"}` (sic)", error.clone())
        .security(&[]);
    add_path(&mut paths, "/sys/api_login.wcgp", "post", l1.build());
    let token = "the token L1 answered";
    let make_call = with_fields(
        c.schema::<MakeCallRequest>(),
        Some(&["makeCall"]),
        "token",
        token,
    );
    let accounts = with_fields(
        json!({"type": "object"}),
        Some(&["accounts"]),
        "token",
        token,
    );
    let groups = with_fields(json!({"type": "object"}), Some(&["groups"]), "token", token);
    let subscribe = with_fields(
        json!({"type": "object", "required": ["user", "status"], "properties": {
            "user": {"type": "string", "description": "The PBX user (login)."},
            "status": {"type": "string", "enum": ["on", "off"],
                "description": "`on`: receive the group's calls; `off`: stop. `true`/`false`, `1`/`0` are read too."},
            "group_id": {"type": "string", "description": "The group; none: every group of the user."},
        }}),
        Some(&["subscribeOnCalls"]),
        "token",
        token,
    );
    let l23 = Op::new("L2-L3-L8-L9", "`cmd=makeCall` (L2: start a call), `cmd=accounts` (L3: the PBX's accounts), `cmd=groups` (L8: its departments) or `cmd=subscribeOnCalls` (L9: a user's group calls on or off)")
        .describe("`cmd` is read in any case (`subscribeoncalls` too). L2 answers `{\"uuid\":\"<call id>\"}` (the live PBX; the document shows an empty 200, which our client also reads); L3 answers `[{\"name\",\"realName\"}]`; L8 answers `[{\"id\",\"realName\",\"ext\"}]` (`ext` a number); L9 answers `OK` as `text/plain`. L8 and L9 are not in the legacy vendor document: live clients call them (docs/protocol.md §4). OpenAPI cannot key the answers of one operation by a body field, so the 200 below lists every JSON answer and contract tests skip the content-type and schema checks of this operation (`x-contract-test-exclusions`).")
        .set("x-contract-test-exclusions", json!([{
            "checks": ["content_type_conformance", "response_schema_conformance"],
            "reason": "one path serves four commands whose 200 answers differ by `cmd` (L9 answers `OK` as text/plain), which OpenAPI cannot express per body field",
        }]))
        .body(true, &form, json!({
            "oneOf": [
                {"title": "L2 makeCall", "allOf": [make_call]},
                {"title": "L3 accounts", "allOf": [accounts]},
                {"title": "L8 groups", "allOf": [groups]},
                {"title": "L9 subscribeOnCalls", "allOf": [subscribe]},
            ],
            "discriminator": {"propertyName": "cmd"},
        }), &[
            ("L2 makeCall", json!({"cmd": "makeCall", "phone": "79101234567", "user": "admin", "token": "5f317b9f-e86c-41f7-a6fc-c76eb0da0000"})),
            ("L3 accounts", json!({"cmd": "accounts", "token": "5f317b9f-e86c-41f7-a6fc-c76eb0da0000"})),
            ("L8 groups", json!({"cmd": "groups", "token": "5f317b9f-e86c-41f7-a6fc-c76eb0da0000"})),
            ("L9 subscribeOnCalls", json!({"cmd": "subscribeOnCalls", "user": "admin", "status": "on", "group_id": "sales", "token": "5f317b9f-e86c-41f7-a6fc-c76eb0da0000"})),
        ])
        .response_with(200, "L2: `{\"uuid\"}`; L3: the accounts; L8: the groups; L9: `OK` (text/plain)", "application/json",
            json!({"anyOf": [
                {"title": "L3 accounts", "type": "array", "items": c.schema::<Account>()},
                {"title": "L8 groups", "type": "array", "items": c.schema::<LegacyGroup>()},
                {"title": "L2 makeCall", "allOf": [c.schema::<MakeCallAnswer>()]},
            ]}),
            &[("vendor example (L3)", example("legacy_accounts_answer_seed.json"))])
        .response(400, "a bad field or an unknown `cmd`, named in `detail`", error.clone())
        .response(401, "`{\"error\":\"Invalid token\"}`", error.clone())
        .security(&[]);
    add_path(&mut paths, "/sys/crm_api.wcgp", "post", l23.build());

    let crm_token = "the token the CRM gave the PBX at L1";
    let push = |id: &str, summary: &str, cmds: &[&str], schema: Value| {
        Op::new(id, summary)
            .tag("pushes")
            .describe("POSTed, form-encoded, to the URL the CRM registered with L1.")
            .body(
                true,
                &form,
                with_fields(schema, Some(cmds), "crm_token", crm_token),
                &[],
            )
            .response(
                400,
                "`{\"error\":\"Invalid parameters\",\"detail\":\"<field>\"}`",
                error.clone(),
            )
            .response(401, "`{\"error\":\"Invalid token\"}`", error.clone())
            .security(&[])
    };
    let empty = |op: Op| op.response_with(200, "received; empty body", "", Value::Null, &[]);
    let webhooks = json!({
        "L4": {"post": push("L4", "The CRM's users (`cmd=users`; the vendor example's `cmd=user` is read too)", &["users", "user"], json!({"type": "object"}))
            .response_with(200, "the users", "application/json", c.schema::<UsersAnswer>(), &[("vendor example", example("legacy_users_answer_seed.json"))]).build()},
        "L5": {"post": push("L5", "Who is this number (`cmd=contact`)", &["contact"], c.schema::<ContactRequest>())
            .response_with(200, "the contact; `{}` for an unknown phone", "application/json", c.schema::<ContactAnswer>(),
                &[("vendor example", example("legacy_contact_answer_seed.json"))]).build()},
        "L6": {"post": empty(push("L6", "A call event (`cmd=event`)", &["event"], c.schema::<EventPush>())).build()},
        "L7": {"post": empty(push("L7", "A finished call (`cmd=history`); `link` may join several URLs with `|`", &["history"], c.schema::<HistoryPush>())).build()},
    });
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Virtual PBX legacy CRM API (*.wcgp)", "version": env!("CARGO_PKG_VERSION"),
            "description": format!("{DESCRIPTION}\n\n{TOLERANCE_NOTE}")},
        "servers": [{"url": "https://{domain}", "description": "a PBX (the mock serves this document with its own address)",
            "variables": {"domain": {"default": "pbx.example"}}}],
        "tags": [{"name": "pushes", "description": "L4–L7, PBX → CRM"}],
        "paths": paths,
        "webhooks": webhooks,
        "components": c.build(),
    })
}
