//! The OpenAPI 3.1 documents of the virtual PBX (feature `openapi`), generated from this
//! crate's types: [`v1_document`] (P1–P40, pushes V1–V4 as `webhooks`) and
//! [`legacy_document`] (L1–L3, the CRM-side commands L4–L7 as `webhooks`). The checked-in
//! copies are `docs/openapi/vats-v1.json` and `docs/openapi/vats-legacy.json`; a test
//! regenerates them and fails on any difference (`UPDATE_OPENAPI=1 cargo test -p vats-api
//! --all-features` rewrites them).
//!
//! ```
//! let v1 = vats_api::openapi::v1_document();
//! assert!(v1["paths"]["/users/{login}"]["put"].is_object());
//! assert!(v1["webhooks"]["V1"]["post"].is_object());
//! let legacy = vats_api::openapi::legacy_document();
//! assert!(legacy["paths"]["/sys/crm_api.wcgp"]["post"].is_object());
//! ```

mod legacy;
pub(crate) mod schemas;
mod v1;

use serde_json::Value;

/// The vendor documents' examples (the crate's test fixtures), by file name.
pub const V1_EXAMPLES: &[(&str, &str)] = &[
    (
        "v1_history.csv",
        include_str!("../../tests/fixtures/v1_history.csv"),
    ),
    (
        "v1_history.json",
        include_str!("../../tests/fixtures/v1_history.json"),
    ),
    (
        "v1_history_inner.csv",
        include_str!("../../tests/fixtures/v1_history_inner.csv"),
    ),
    (
        "v1_history_inner.json",
        include_str!("../../tests/fixtures/v1_history_inner.json"),
    ),
    (
        "v1_makecall_request.json",
        include_str!("../../tests/fixtures/v1_makecall_request.json"),
    ),
    (
        "v1_users_list.json",
        include_str!("../../tests/fixtures/v1_users_list.json"),
    ),
    (
        "v1_user.json",
        include_str!("../../tests/fixtures/v1_user.json"),
    ),
    (
        "v1_user_create_request.json",
        include_str!("../../tests/fixtures/v1_user_create_request.json"),
    ),
    (
        "v1_user_create_answer.json",
        include_str!("../../tests/fixtures/v1_user_create_answer.json"),
    ),
    (
        "v1_user_update_request.json",
        include_str!("../../tests/fixtures/v1_user_update_request.json"),
    ),
    (
        "v1_user_update_answer.json",
        include_str!("../../tests/fixtures/v1_user_update_answer.json"),
    ),
    (
        "v1_state.json",
        include_str!("../../tests/fixtures/v1_state.json"),
    ),
    (
        "v1_groups_list.json",
        include_str!("../../tests/fixtures/v1_groups_list.json"),
    ),
    (
        "v1_group.json",
        include_str!("../../tests/fixtures/v1_group.json"),
    ),
    (
        "v1_group_create_request.json",
        include_str!("../../tests/fixtures/v1_group_create_request.json"),
    ),
    (
        "v1_group_create_answer.json",
        include_str!("../../tests/fixtures/v1_group_create_answer.json"),
    ),
    (
        "v1_group_update_request.json",
        include_str!("../../tests/fixtures/v1_group_update_request.json"),
    ),
    (
        "v1_group_users_request.json",
        include_str!("../../tests/fixtures/v1_group_users_request.json"),
    ),
    (
        "v1_telnums_list.json",
        include_str!("../../tests/fixtures/v1_telnums_list.json"),
    ),
    (
        "v1_telnum.json",
        include_str!("../../tests/fixtures/v1_telnum.json"),
    ),
    (
        "v1_telnum_route_request.json",
        include_str!("../../tests/fixtures/v1_telnum_route_request.json"),
    ),
    (
        "v1_sims_list.json",
        include_str!("../../tests/fixtures/v1_sims_list.json"),
    ),
    (
        "v1_sim.json",
        include_str!("../../tests/fixtures/v1_sim.json"),
    ),
    (
        "v1_blacklist_list.json",
        include_str!("../../tests/fixtures/v1_blacklist_list.json"),
    ),
    (
        "push_history_seed.json",
        include_str!("../../tests/fixtures/push_history_seed.json"),
    ),
    (
        "push_event_seed.json",
        include_str!("../../tests/fixtures/push_event_seed.json"),
    ),
    (
        "push_contact_seed.json",
        include_str!("../../tests/fixtures/push_contact_seed.json"),
    ),
    (
        "push_contact_answer_seed.json",
        include_str!("../../tests/fixtures/push_contact_answer_seed.json"),
    ),
    (
        "push_rating_seed.json",
        include_str!("../../tests/fixtures/push_rating_seed.json"),
    ),
];

/// The legacy vendor document's examples (the crate's test fixtures), by file name.
pub const LEGACY_EXAMPLES: &[(&str, &str)] = &[
    (
        "legacy_login_answer_seed.json",
        include_str!("../../tests/fixtures/legacy_login_answer_seed.json"),
    ),
    (
        "legacy_accounts_answer_seed.json",
        include_str!("../../tests/fixtures/legacy_accounts_answer_seed.json"),
    ),
    (
        "legacy_users_answer_seed.json",
        include_str!("../../tests/fixtures/legacy_users_answer_seed.json"),
    ),
    (
        "legacy_contact_answer_seed.json",
        include_str!("../../tests/fixtures/legacy_contact_answer_seed.json"),
    ),
];

/// A fixture's text (empty for an unknown name).
fn from<'a>(set: &'a [(&str, &'a str)], name: &str) -> &'a str {
    set.iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, text)| text)
}

/// A JSON fixture of either set, parsed (`null` for an unknown name).
fn example(name: &str) -> Value {
    let text = match from(V1_EXAMPLES, name) {
        "" => from(LEGACY_EXAMPLES, name),
        t => t,
    };
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// The PBX REST API v1 as an OpenAPI 3.1 document: P1–P40 under `paths` (relative to the
/// server URL `https://{domain}/crmapi/v1`), the pushes V1–V4 under `webhooks`, schemas derived
/// from [`crate::v1::User`], [`crate::v1::push::HistoryPush`] and the other wire types.
pub fn v1_document() -> Value {
    v1::document()
}

/// The legacy `*.wcgp` API as an OpenAPI 3.1 document: L1 and L2/L3 (one operation, `cmd`
/// selects) under `paths`, the CRM-side commands L4–L7 under `webhooks`.
pub fn legacy_document() -> Value {
    legacy::document()
}
