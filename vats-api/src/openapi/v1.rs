//! The PBX REST API v1 document: P1–P40 under `paths`, V1–V4 under `webhooks`.

use super::{V1_EXAMPLES, example, from};
use crate::v1::push::{ContactAnswer, ContactRequest, EventPush, HistoryPush, RatingPush};
use crate::v1::{
    BlacklistAdd, BlacklistEntry, Group, GroupUpdate, GroupUsersChange, HistoryQuery,
    HistoryRecord, InnerHistoryQuery, InnerHistoryRecord, ListQuery, MakeCall, MakeCallAnswer,
    NewGroup, NewUser, Page, RouteSettings, Sim, TelnumInfo, User, UserGroup, UserUpdate,
};
use http_plumbing::openapi::{Components, Op, TOLERANCE_NOTE, add_path};
use serde_json::{Map, Value, json};

const DESCRIPTION: &str = "The virtual PBX's CRM REST API (docs/protocol.md §3). CRM → PBX \
requests (P1–P40) carry the header `X-API-KEY`; the PBX's pushes to the CRM (V1–V4, under \
`webhooks`) are POSTs to one CRM URL carrying `crm_token` in the body, as JSON, as form fields, \
or as one form field `payload=<json>`. Errors are `{\"error\":\"<text>\"}` with an optional \
`detail` naming the field: 400 `Validation error`, 401 `Invalid token`, 404 `Not found`, 405 \
`Method Not Allowed` (with `Allow`), 409 `Conflict`. Lists take `search`, `start`, `limit` and \
answer `{\"items\":[…],\"info\":{…}}`. The vendor document loses the verb or path of several \
sections; the operations here are the reconstruction docs/protocol.md §3 records.";

/// Builds the v1 document.
pub(super) fn document() -> Value {
    let mut c = Components::new();
    let error = c.named(
        "Error",
        json!({"type": "object", "required": ["error"],
            "description": "Every error answer of the PBX: `error` a fixed text, `detail` the field and problem where there is one.",
            "properties": {"error": {"type": "string", "examples": ["Validation error", "Invalid token", "Not found"]},
                "detail": {"type": "string"}}}),
    );
    let state = c.named(
        "State",
        json!({"type": "object", "required": ["state"], "description": "`true`: the feature is on (subscribed, DND on, anonymous calls blocked).",
            "properties": {"state": {"type": "boolean"}}}),
    );
    let e = |op: Op, codes: &[u16]| {
        let mut op = op.response(401, "missing or wrong `X-API-KEY`", error.clone());
        for code in codes {
            let why = match code {
                400 => "a bad parameter or field, named in `detail`",
                404 => "no such user, group, number or SIM",
                409 => "the record already exists",
                413 => "the body is over 1 MiB",
                415 => "an unsupported body type",
                _ => "an error",
            };
            op = op.response(*code, why, error.clone());
        }
        op
    };
    let body_errors = [400, 404, 409, 413, 415];
    let list = |c: &mut Components, op: Op| {
        c.properties::<ListQuery>()
            .into_iter()
            .fold(op, |op, (name, schema, req)| {
                let desc = match name.as_str() {
                    "search" => "a substring searched in several fields",
                    "start" => "the first item's offset, from 0",
                    _ => "the page size",
                };
                op.param("query", &name, req, desc, schema)
            })
    };
    let login = json!({"type": "string", "minLength": 1});
    let p_login = |op: Op| op.param("path", "login", true, "the user's login", login.clone());
    let p_group = |op: Op| {
        op.param(
            "path",
            "id",
            true,
            "the group's id",
            json!({"type": "string", "minLength": 1}),
        )
    };
    let p_telnum = |op: Op| {
        op.param(
            "path",
            "telnum",
            true,
            "the number, digits",
            json!({"type": "string", "minLength": 1}),
        )
    };
    let group_id = |op: Op| {
        op.param(
            "query",
            "group_id",
            false,
            "one group; without it, every group the user belongs to",
            json!({"type": "string"}),
        )
    };
    let none = |op: Op, why: &str| op.response_with(204, why, "", Value::Null, &[]);
    let json_in = [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ];
    let mut paths = Map::new();
    let mut add = |path: &str, method: &str, op: Op| add_path(&mut paths, path, method, op.build());

    let history = c.properties::<HistoryQuery>();
    let inner = c.properties::<InnerHistoryQuery>();
    let hq = |op: Op, props: &[(String, Value, bool)]| {
        props.iter().fold(op, |op, (name, schema, req)| {
            let desc = match name.as_str() {
                "start" => "the period's start, `YYYYmmddTHHMMSSZ`; missing: `end`'s day",
                "end" => "the period's end (exclusive), `YYYYmmddTHHMMSSZ`; missing: now",
                "period" => "a named period; beats `start`/`end`. UTC days, weeks start on Monday",
                "type" => "which calls",
                _ => "at most this many records",
            };
            op.param("query", name, *req, desc, schema.clone())
        })
    };
    let csv = |op: Op, columns: &str, ex: &str| {
        op.response_with(
            200,
            &format!("CSV, header `{columns}`"),
            "text/csv",
            json!({"type": "string"}),
            &[(
                "vendor example",
                Value::String(from(V1_EXAMPLES, ex).to_owned()),
            )],
        )
    };
    add(
        "/history/csv",
        "get",
        e(
            csv(
                hq(
                    Op::new("P1", "Call history as CSV").tag("history"),
                    &history,
                ),
                "uid,type,client,account,via,start,wait,duration,record,rating",
                "v1_history.csv",
            ),
            &[400],
        ),
    );
    add(
        "/history/json",
        "get",
        e(
            hq(
                Op::new("P2", "Call history as JSON").tag("history"),
                &history,
            )
            .response_with(
                200,
                "the calls, oldest first",
                "application/json",
                json!({"type": "array", "items": c.schema::<HistoryRecord>()}),
                &[("vendor example", example("v1_history.json"))],
            ),
            &[400],
        ),
    );
    add(
        "/history/inner/csv",
        "get",
        e(
            csv(
                hq(
                    Op::new("P3", "Internal calls as CSV").tag("history"),
                    &inner,
                ),
                "uid,status,from,to,start,wait,duration,record",
                "v1_history_inner.csv",
            ),
            &[400],
        ),
    );
    add(
        "/history/inner/json",
        "get",
        e(
            hq(
                Op::new("P4", "Internal calls as JSON").tag("history"),
                &inner,
            )
            .response_with(
                200,
                "the internal calls",
                "application/json",
                json!({"type": "array", "items": c.schema::<InnerHistoryRecord>()}),
                &[("vendor example", example("v1_history_inner.json"))],
            ),
            &[400],
        ),
    );
    add("/makecall", "post", e(Op::new("P5", "Start a call: ring the user, then dial the phone").tag("calls")
        .describe("`phone` is digits only. The answer is not in the vendor document: `{\"callid\":\"…\"}` is written (clients also read a bare JSON string or plain text).")
        .body(true, &json_in, c.schema::<MakeCall>(), &[("vendor example", example("v1_makecall_request.json"))])
        .response(200, "the new call's id", c.schema::<MakeCallAnswer>()), &[400, 404, 413, 415]));

    add(
        "/users",
        "get",
        e(
            list(&mut c, Op::new("P6", "List users").tag("users")).response_with(
                200,
                "a page of users",
                "application/json",
                c.schema::<Page<User>>(),
                &[("vendor example", example("v1_users_list.json"))],
            ),
            &[400],
        ),
    );
    add(
        "/users/{login}",
        "get",
        e(
            p_login(Op::new("P7", "One user").tag("users")).response_with(
                200,
                "the user",
                "application/json",
                c.schema::<User>(),
                &[("vendor example", example("v1_user.json"))],
            ),
            &[404],
        ),
    );
    add("/users", "post", e(Op::new("P8", "Create a user").tag("users")
        .describe("Only `name` is required; defaults: login `u` + extension, the first free extension, position `Менеджер`, role `user`.")
        .body(true, &json_in, c.schema::<NewUser>(), &[("vendor example", example("v1_user_create_request.json"))])
        .response_with(200, "the new user", "application/json", c.schema::<User>(), &[("vendor example", example("v1_user_create_answer.json"))]), &body_errors));
    add(
        "/users/{login}",
        "put",
        e(
            p_login(Op::new("P9", "Update a user (only the fields sent)").tag("users"))
                .body(
                    true,
                    &json_in,
                    c.schema::<UserUpdate>(),
                    &[("vendor example", example("v1_user_update_request.json"))],
                )
                .response_with(
                    200,
                    "the updated user",
                    "application/json",
                    c.schema::<User>(),
                    &[("vendor example", example("v1_user_update_answer.json"))],
                ),
            &body_errors,
        ),
    );
    add(
        "/users/{login}",
        "delete",
        e(
            none(
                p_login(Op::new("P10", "Delete a user").tag("users")),
                "deleted",
            ),
            &[404],
        ),
    );
    add(
        "/users/{login}/groups",
        "get",
        e(
            p_login(Op::new("P11", "The user's groups").tag("users")).response(
                200,
                "the groups",
                json!({"type": "array", "items": c.schema::<UserGroup>()}),
            ),
            &[404],
        ),
    );
    add(
        "/users/{login}/subscription",
        "get",
        e(
            group_id(p_login(
                Op::new("P12", "Is the user taking the group's calls").tag("users"),
            ))
            .response_with(
                200,
                "the state",
                "application/json",
                state.clone(),
                &[("vendor example", example("v1_state.json"))],
            ),
            &[400, 404],
        ),
    );
    add(
        "/users/{login}/subscription",
        "post",
        e(
            none(
                group_id(p_login(
                    Op::new(
                        "P13",
                        "Subscribe the user to a group's calls (all groups without `group_id`)",
                    )
                    .tag("users"),
                )),
                "subscribed",
            ),
            &[400, 404],
        ),
    );
    add(
        "/users/{login}/subscription",
        "delete",
        e(
            none(
                group_id(p_login(
                    Op::new(
                        "P14",
                        "Unsubscribe the user (all groups without `group_id`)",
                    )
                    .tag("users"),
                )),
                "unsubscribed",
            ),
            &[400, 404],
        ),
    );
    add(
        "/users/{login}/dnd",
        "get",
        e(
            p_login(Op::new("P15", "Is \"do not disturb\" on").tag("users")).response(
                200,
                "the state",
                state.clone(),
            ),
            &[404],
        ),
    );
    add(
        "/users/{login}/dnd",
        "post",
        e(
            none(
                p_login(Op::new("P16", "Turn \"do not disturb\" on").tag("users")),
                "on",
            ),
            &[404],
        ),
    );
    add(
        "/users/{login}/dnd",
        "delete",
        e(
            none(
                p_login(Op::new("P17", "Turn \"do not disturb\" off").tag("users")),
                "off",
            ),
            &[404],
        ),
    );

    add(
        "/groups",
        "get",
        e(
            list(&mut c, Op::new("P18", "List groups").tag("groups")).response_with(
                200,
                "a page of groups",
                "application/json",
                c.schema::<Page<Group>>(),
                &[("vendor example", example("v1_groups_list.json"))],
            ),
            &[400],
        ),
    );
    add(
        "/groups/{id}",
        "get",
        e(
            p_group(Op::new("P19", "One group").tag("groups")).response_with(
                200,
                "the group",
                "application/json",
                c.schema::<Group>(),
                &[("vendor example", example("v1_group.json"))],
            ),
            &[404],
        ),
    );
    add("/groups", "post", e(Op::new("P20", "Create a group").tag("groups")
        .describe("`call_duration` 5…30 s; unknown enum values (`call_order: RANDOM`) are refused, as the PBX cannot act on them.")
        .body(true, &json_in, c.schema::<NewGroup>(), &[("vendor example", example("v1_group_create_request.json"))])
        .response_with(200, "the new group", "application/json", c.schema::<Group>(), &[("vendor example", example("v1_group_create_answer.json"))]), &body_errors));
    add(
        "/groups/{id}",
        "put",
        e(
            p_group(Op::new("P21", "Update a group (only the fields sent)").tag("groups"))
                .body(
                    true,
                    &json_in,
                    c.schema::<GroupUpdate>(),
                    &[("vendor example", example("v1_group_update_request.json"))],
                )
                .response(200, "the updated group", c.schema::<Group>()),
            &body_errors,
        ),
    );
    add(
        "/groups/{id}",
        "delete",
        e(
            none(
                p_group(Op::new("P22", "Delete a group").tag("groups")),
                "deleted",
            ),
            &[404],
        ),
    );
    add("/groups/{id}/users", "post", e(none(p_group(Op::new("P23", "Change a group's members").tag("groups"))
        .describe("Additions first, then `calls_disable`, then removals; `position` 0 is first, -1 last.")
        .body(true, &json_in, c.schema::<GroupUsersChange>(), &[("vendor example", example("v1_group_users_request.json"))]), "changed"), &body_errors));

    add(
        "/telnums",
        "get",
        e(
            list(
                &mut c,
                Op::new("P24", "List the company's numbers").tag("telnums"),
            )
            .response_with(
                200,
                "a page of numbers",
                "application/json",
                c.schema::<Page<TelnumInfo>>(),
                &[("vendor example", example("v1_telnums_list.json"))],
            ),
            &[400],
        ),
    );
    add(
        "/telnums/{telnum}",
        "get",
        e(
            p_telnum(Op::new("P25", "One number").tag("telnums")).response_with(
                200,
                "the number",
                "application/json",
                c.schema::<TelnumInfo>(),
                &[("vendor example", example("v1_telnum.json"))],
            ),
            &[404],
        ),
    );
    add("/telnums/{telnum}", "post", e(p_telnum(Op::new("P26", "Route a number").tag("telnums"))
        .describe("`type` `user` / `group` / `ivr` / `scheduler` / `fax`; `schedule` per weekday {`start`, `end` in seconds from midnight, `holiday`}; a weekday not sent is a holiday; times are rounded to minutes.")
        .body(true, &json_in, c.schema::<RouteSettings>(), &[
            ("vendor example", example("v1_telnum_route_request.json")),
        ])
        .response(200, "the number with its new route", c.schema::<TelnumInfo>()), &body_errors));
    add(
        "/telnums/{telnum}/enabled",
        "post",
        e(
            none(
                p_telnum(Op::new("P27", "Enable a number").tag("telnums")),
                "enabled",
            ),
            &[404],
        ),
    );
    add(
        "/telnums/{telnum}/enabled",
        "delete",
        e(
            none(
                p_telnum(Op::new("P28", "Disable a number").tag("telnums")),
                "disabled",
            ),
            &[404],
        ),
    );

    add(
        "/sims",
        "get",
        e(
            list(&mut c, Op::new("P29", "List SIM cards").tag("sims")).response_with(
                200,
                "a page of SIM cards",
                "application/json",
                c.schema::<Page<Sim>>(),
                &[("vendor example", example("v1_sims_list.json"))],
            ),
            &[400],
        ),
    );
    add(
        "/sims/{telnum}",
        "get",
        e(
            p_telnum(Op::new("P30", "One SIM card").tag("sims")).response_with(
                200,
                "the SIM card",
                "application/json",
                c.schema::<Sim>(),
                &[("vendor example", example("v1_sim.json"))],
            ),
            &[404],
        ),
    );
    add(
        "/sims/{telnum}/user/{login}",
        "post",
        e(
            none(
                p_login(p_telnum(
                    Op::new("P31", "Give a SIM card to a user").tag("sims"),
                )),
                "given",
            ),
            &[404],
        ),
    );
    add(
        "/sims/{telnum}/company",
        "post",
        e(
            none(
                p_telnum(Op::new("P32", "Give a SIM card to the company").tag("sims")),
                "given",
            ),
            &[404],
        ),
    );
    add(
        "/sims/{telnum}/disable",
        "post",
        e(
            none(
                p_telnum(Op::new("P33", "Disable a SIM card").tag("sims")),
                "disabled",
            ),
            &[404],
        ),
    );
    add(
        "/sims/{telnum}",
        "delete",
        e(
            none(
                p_telnum(Op::new("P34", "Delete a SIM card").tag("sims")),
                "deleted",
            ),
            &[404],
        ),
    );

    add(
        "/blacklist/telnums",
        "get",
        e(
            list(
                &mut c,
                Op::new("P35", "Blocked numbers and ranges (`*`)").tag("blacklist"),
            )
            .param(
                "query",
                "with",
                false,
                "`statistics`: fill `week` and `year` (calls blocked)",
                json!({"type": "string", "enum": ["statistics"]}),
            )
            .response_with(
                200,
                "a page of blocked numbers",
                "application/json",
                c.schema::<Page<BlacklistEntry>>(),
                &[("vendor example", example("v1_blacklist_list.json"))],
            ),
            &[400],
        ),
    );
    add(
        "/blacklist/telnums",
        "post",
        e(
            none(
                Op::new("P36", "Block a number or a range")
                    .tag("blacklist")
                    .body(
                        true,
                        &json_in,
                        c.schema::<BlacklistAdd>(),
                        &[("block", json!({"telnum": "7900800*", "comment": "Причина"}))],
                    ),
                "blocked",
            ),
            &[400, 413, 415],
        ),
    );
    add("/blacklist/telnums", "delete", e(none(Op::new("P37", "Unblock one or more numbers").tag("blacklist")
        .param_object(json!({"name": "telnum", "in": "query", "required": true, "style": "form", "explode": true,
            "description": "the numbers or ranges to unblock, repeated (`telnum=…&telnum=…`) or comma-separated",
            "schema": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}})), "unblocked"), &[400]));
    add(
        "/blacklist/block-anonymous",
        "get",
        e(
            Op::new("P38", "Are calls without caller id blocked")
                .tag("blacklist")
                .response(200, "the state", state),
            &[],
        ),
    );
    add(
        "/blacklist/block-anonymous",
        "post",
        e(
            none(
                Op::new("P39", "Block calls without caller id").tag("blacklist"),
                "blocked",
            ),
            &[],
        ),
    );
    add(
        "/blacklist/block-anonymous",
        "delete",
        e(
            none(
                Op::new("P40", "Allow calls without caller id").tag("blacklist"),
                "allowed",
            ),
            &[],
        ),
    );

    let webhooks = pushes(&mut c);
    let mut components = c.build();
    components["securitySchemes"] = json!({
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-KEY", "description": "The PBX's API key for the CRM (CRM → PBX)."},
    });
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Virtual PBX REST API v1 (/crmapi/v1)", "version": env!("CARGO_PKG_VERSION"),
            "description": format!("{DESCRIPTION}\n\n{TOLERANCE_NOTE}")},
        "servers": [{"url": "https://{domain}/crmapi/v1", "description": "a PBX (the mock serves this document with its own address)",
            "variables": {"domain": {"default": "pbx.example"}}}],
        "security": [{"apiKey": []}],
        "tags": [
            {"name": "history", "description": "P1–P4"}, {"name": "calls", "description": "P5"},
            {"name": "users", "description": "P6–P17"}, {"name": "groups", "description": "P18–P23"},
            {"name": "telnums", "description": "P24–P28"}, {"name": "sims", "description": "P29–P34"},
            {"name": "blacklist", "description": "P35–P40"}, {"name": "pushes", "description": "V1–V4, PBX → CRM"},
        ],
        "paths": paths,
        "webhooks": webhooks,
        "components": components,
    })
}

/// V1–V4: one CRM URL, `cmd` and `crm_token` in the body beside the push's fields.
fn pushes(c: &mut Components) -> Value {
    let error = c.named(
        "PushError",
        json!({"type": "object", "required": ["error"], "description": "The CRM's error answer to a push.",
            "properties": {"error": {"type": "string", "examples": ["Invalid token", "Invalid parameters"]}, "detail": {"type": "string"}}}),
    );
    let envelope = |cmd: &str, schema: Value| {
        json!({"allOf": [schema, {"type": "object", "required": ["cmd", "crm_token"], "properties": {
            "cmd": {"const": cmd, "description": "selects the push"},
            "crm_token": {"type": "string", "description": "the token the CRM gave the PBX; a wrong one is answered 401"}}}]})
    };
    let media = ["application/json", "application/x-www-form-urlencoded"];
    let push = |id: &str, summary: &str, cmd: &str, schema: Value, ex: &str| {
        Op::new(id, summary)
            .tag("pushes")
            .describe(&format!("POSTed to the CRM's one push URL with `cmd={cmd}`: as JSON, as form fields, or as one form field `payload=<json>`. A receiver answers within a second."))
            .body(true, &media, envelope(cmd, schema), &[("vendor example", example(ex))])
            .response(400, "`{\"error\":\"Invalid parameters\",\"detail\":\"<field and problem>\"}`", error.clone())
            .response(401, "`{\"error\":\"Invalid token\"}`", error.clone())
            .security(&[])
    };
    let empty = |op: Op| op.response_with(200, "received; empty body", "", Value::Null, &[]);
    json!({
        "V1": {"post": empty(push("V1", "A finished call (history)", "history", c.schema::<HistoryPush>(), "push_history_seed.json")).build()},
        "V2": {"post": empty(push("V2", "A call event", "event", c.schema::<EventPush>(), "push_event_seed.json")).build()},
        "V3": {"post": push("V3", "Who is this number (contact)", "contact", c.schema::<ContactRequest>(), "push_contact_seed.json")
            .response_with(200, "the contact; `{}` for an unknown phone", "application/json", c.schema::<ContactAnswer>(),
                &[("vendor example", example("push_contact_answer_seed.json")), ("unknown phone", json!({}))]).build()},
        "V4": {"post": push("V4", "A caller's rating of the call", "rating", c.schema::<RatingPush>(), "push_rating_seed.json")
            .response(200, "received: `{}`", json!({"type": "object"})).build()},
    })
}
