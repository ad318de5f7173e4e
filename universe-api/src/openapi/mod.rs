//! The OpenAPI 3.1 document of the Universe analytics protocol (U1–U7), generated from this
//! crate's types (feature `openapi`). The checked-in copy is `docs/openapi/universe.json`; a
//! test regenerates it and fails on any difference (`UPDATE_OPENAPI=1 cargo test -p
//! universe-api --all-features` rewrites it).
//!
//! ```
//! let doc = universe_api::openapi::document();
//! assert_eq!(doc["openapi"], "3.1.0");
//! let op = &doc["paths"]["/analytics"]["get"];
//! assert_eq!(op["parameters"][0]["name"], "action");
//! ```

pub(crate) mod schemas;

use crate::types::actions::{
    CallAdded, CallRequest, ErrorAnswer, LeadCreated, LeadRequest, MessageAdded, MessageRequest,
    TaskAdded, TaskRequest,
};
use crate::types::export::{ClientsPage, OrdersPage};
use crate::types::scheme::Scheme;
use http_plumbing::openapi::{Components, Op, TOLERANCE_NOTE, add_path};
use serde_json::{Map, Value, json};

/// The vendor document's answer examples (the crate's test fixtures), by file name.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "import_scheme.json",
        include_str!("../../tests/fixtures/import_scheme.json"),
    ),
    (
        "export_clients.json",
        include_str!("../../tests/fixtures/export_clients.json"),
    ),
    (
        "export.json",
        include_str!("../../tests/fixtures/export.json"),
    ),
    (
        "export_full_order.json",
        include_str!("../../tests/fixtures/export_full_order.json"),
    ),
    (
        "lead_answer.json",
        include_str!("../../tests/fixtures/lead_answer.json"),
    ),
    (
        "message_answer.json",
        include_str!("../../tests/fixtures/message_answer.json"),
    ),
    (
        "task_answer.json",
        include_str!("../../tests/fixtures/task_answer.json"),
    ),
    (
        "call_answer.json",
        include_str!("../../tests/fixtures/call_answer.json"),
    ),
];

/// The vendor document's request URLs (one a line, `#` lines are comments).
pub const REQUEST_EXAMPLES: &str = include_str!("../../tests/fixtures/seed_requests.txt");

fn example(name: &str) -> Value {
    EXAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, text)| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null)
}

/// `(id, action, summary)` of the seven operations.
const ACTIONS: [(&str, &str, &str); 7] = [
    (
        "U1",
        "import_scheme",
        "the CRM's deal statuses, additional fields and managers",
    ),
    ("U2", "export_clients", "a page of clients"),
    (
        "U3",
        "export",
        "a page of orders (deals) created or changed since `date`, with U1's lists",
    ),
    ("U4", "lead", "create a lead (deal); required: `title`"),
    (
        "U5",
        "message",
        "add a comment to a deal; required: `leadId`, `message`",
    ),
    (
        "U6",
        "task",
        "add a task to a deal; required: `element_id`, `text`",
    ),
    ("U7", "call", "record a call on a deal; required: `id`"),
];

const DESCRIPTION: &str = "The analytics system calls the CRM (docs/protocol.md §2). The protocol \
has **one endpoint, `GET /analytics`, whose query parameter `action` selects the operation** \
(U1–U7). OpenAPI 3.1 keys a path item by its path alone, and a path key may not carry a query \
string, so this document models the endpoint faithfully as **one GET operation**: `action` is an \
enumerated parameter, every other parameter is listed once with the actions that use it, and the \
200 answer is an `anyOf` of the seven answers, each titled by its action (the extension \
`x-actions` maps each action to its parameters and answer schema). A missing `action` is read as \
`export`. HTTP Basic auth; an optional Roistat-style `user` + `token` (md5(login + password)) \
query form is off by default. UTF-8 everywhere. Errors: 401 for wrong credentials, 400 \
`{\"status\":\"error\",\"message\":\"…\"}` naming the bad parameter; a client treats \
`\"status\":\"error\"` in any answer as an error. `limit` is capped at 1,000 and the cap used is \
reported in `pagination.limit`.";

/// The Universe protocol as an OpenAPI 3.1 document: `GET /analytics` with `action` selecting
/// U1–U7, parameters and answers derived from [`crate::LeadRequest`], [`crate::OrdersPage`]
/// and the other wire types, the vendor document's requests and answers as examples.
pub fn document() -> Value {
    let mut c = Components::new();
    // name → (actions using it, schemas, required by the only action using it)
    let mut params: Vec<(String, Vec<&str>, Vec<Value>, bool)> = Vec::new();
    let mut add = |name: &str, action: &'static str, schema: Value, required: bool| match params
        .iter_mut()
        .find(|p| p.0 == name)
    {
        Some(p) => {
            p.1.push(action);
            if !p.2.contains(&schema) {
                p.2.push(schema);
            }
            p.3 = false;
        }
        None => params.push((name.to_owned(), vec![action], vec![schema], required)),
    };
    let count = json!({"oneOf": [
        {"type": "integer", "minimum": 0, "title": "written"},
        {"type": "string", "pattern": "^[0-9]+$", "title": "accepted"}]});
    for action in ["export_clients", "export"] {
        add("offset", action, count.clone(), false);
        add("limit", action, count.clone(), false);
    }
    add(
        "date",
        "export",
        json!({"description": "orders created or changed at or after this moment, Unix seconds",
        "oneOf": [{"type": "integer", "title": "written"}, {"type": "string", "pattern": "^[0-9]+$", "title": "accepted"}]}),
        false,
    );
    let mut x_actions = Map::new();
    for (action, props) in [
        ("lead", c.properties::<LeadRequest>()),
        ("message", c.properties::<MessageRequest>()),
        ("task", c.properties::<TaskRequest>()),
        ("call", c.properties::<CallRequest>()),
    ] {
        let names: Vec<&String> = props.iter().map(|p| &p.0).collect();
        x_actions.insert(action.to_owned(), json!({"parameters": names}));
        for (name, schema, required) in props {
            add(&name, action, schema, required);
        }
    }
    let answers = [
        (
            "import_scheme",
            c.schema::<Scheme>(),
            vec![("vendor example", example("import_scheme.json"))],
        ),
        (
            "export_clients",
            c.schema::<ClientsPage>(),
            vec![("vendor example", example("export_clients.json"))],
        ),
        (
            "export",
            c.schema::<OrdersPage>(),
            vec![
                ("vendor example", example("export.json")),
                (
                    "vendor example, every order field",
                    example("export_full_order.json"),
                ),
            ],
        ),
        (
            "lead",
            c.schema::<LeadCreated>(),
            vec![("vendor example", example("lead_answer.json"))],
        ),
        (
            "message",
            c.schema::<MessageAdded>(),
            vec![("vendor example", example("message_answer.json"))],
        ),
        (
            "task",
            c.schema::<TaskAdded>(),
            vec![("vendor example", example("task_answer.json"))],
        ),
        (
            "call",
            c.schema::<CallAdded>(),
            vec![("vendor example", example("call_answer.json"))],
        ),
    ];
    for (action, name) in [
        ("import_scheme", ""),
        ("export_clients", "offset"),
        ("export", "date"),
    ] {
        let e = x_actions
            .entry(action.to_owned())
            .or_insert_with(|| json!({"parameters": []}));
        if action == "export_clients" {
            e["parameters"] = json!(["offset", "limit"]);
        } else if !name.is_empty() {
            e["parameters"] = json!(["date", "offset", "limit"]);
        }
    }
    let mut ok_branches = Vec::new();
    let mut ok_examples: Vec<(String, Value)> = Vec::new();
    for (action, schema, examples) in &answers {
        ok_branches.push(json!({"title": action, "allOf": [schema]}));
        if let Some(x) = x_actions.get_mut(*action) {
            x["answer"] = schema.clone();
        }
        for (name, v) in examples {
            ok_examples.push((format!("{action}: {name}"), v.clone()));
        }
    }
    let request_examples = request_examples();
    let mut action_param = json!({"name": "action", "in": "query", "required": false,
        "description": format!("Selects the operation: {}. Missing: `export`.",
            ACTIONS.iter().map(|(id, a, s)| format!("`{a}` ({id}: {s})")).collect::<Vec<_>>().join("; ")),
        "schema": {"type": "string", "enum": ACTIONS.iter().map(|a| a.1).collect::<Vec<_>>(), "default": "export"}});
    let mut op = Op::new("U1-U7", "One endpoint; `action` selects the operation")
        .describe("See the document's description for how the seven actions share this operation. Parameters that an action does not use are ignored by it.")
        .set("x-actions", Value::Object(x_actions));
    if let Some(ex) = request_examples.get("action") {
        action_param["examples"] = ex.clone();
    }
    op = op.param_object(action_param);
    for (name, actions, schemas, required) in params {
        let schema = if schemas.len() == 1 {
            schemas.into_iter().next().unwrap_or(Value::Null)
        } else {
            json!({"anyOf": schemas})
        };
        let desc = format!(
            "used by `{}`{}",
            actions.join("`, `"),
            if required { " (required there)" } else { "" }
        );
        let mut p = if name == "data" {
            // A JSON object serialised into the parameter.
            json!({"name": name, "in": "query", "required": false, "description": format!("{desc}; a JSON object serialised into the parameter"),
                "content": {"application/json": {"schema": schema}}})
        } else {
            json!({"name": name, "in": "query", "required": false, "description": desc, "schema": schema})
        };
        if let Some(ex) = request_examples.get(&name) {
            if name == "data" {
                p["content"]["application/json"]["examples"] = ex.clone();
            } else {
                p["examples"] = ex.clone();
            }
        }
        op = op.param_object(p);
    }
    let ok_refs: Vec<(&str, Value)> = ok_examples
        .iter()
        .map(|(n, v)| (n.as_str(), v.clone()))
        .collect();
    let error = c.schema::<ErrorAnswer>();
    let op = op
        .response_with(
            200,
            "the action's answer",
            "application/json",
            json!({"anyOf": ok_branches}),
            &ok_refs,
        )
        .response_with(
            400,
            "an unknown action or a bad parameter, named in `message`",
            "application/json",
            error.clone(),
            &[(
                "bad parameter",
                json!({"status": "error", "message": "limit: must be at least 1"}),
            )],
        )
        .response(401, "wrong or missing credentials", error)
        .response_header(
            401,
            "WWW-Authenticate",
            "`Basic realm=\"Universe\", charset=\"UTF-8\"`",
            json!({"type": "string"}),
        );
    let mut paths = Map::new();
    add_path(&mut paths, "/analytics", "get", op.build());
    let mut components = c.build();
    components["securitySchemes"] = json!({
        "basicAuth": {"type": "http", "scheme": "basic", "description": "The CRM's login and password (UTF-8)."},
        "user": {"type": "apiKey", "in": "query", "name": "user", "description": "Roistat-style query auth (off by default): the login; with `token`."},
        "token": {"type": "apiKey", "in": "query", "name": "token", "description": "Roistat-style query auth (off by default): md5(login + password), hex; with `user`."},
    });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Universe CRM analytics protocol",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!("{DESCRIPTION}\n\n{TOLERANCE_NOTE}"),
        },
        "servers": [{"url": "http://{host}", "description": "a CRM endpoint (the mock serves this document with its own address)",
            "variables": {"host": {"default": "127.0.0.1:8712"}}}],
        "security": [{"basicAuth": []}, {"user": [], "token": []}],
        "paths": paths,
        "components": components,
    })
}

/// Per parameter, the vendor request URLs' values as named examples (`"lead (vendor example)"`).
fn request_examples() -> Map<String, Value> {
    let mut out = Map::new();
    for line in REQUEST_EXAMPLES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let Ok(url) = url::Url::parse(line.trim()) else {
            continue;
        };
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let action = pairs
            .iter()
            .find(|(k, _)| k == "action")
            .map_or("export", |(_, v)| v.as_str())
            .to_owned();
        for (k, v) in pairs {
            let value = if k == "data" {
                serde_json::from_str(&v).unwrap_or(Value::String(v))
            } else {
                Value::String(v)
            };
            let entry = out.entry(k).or_insert_with(|| json!({}));
            entry[format!("{action} (vendor example)")] = json!({"value": value});
        }
    }
    out
}
