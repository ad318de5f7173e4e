//! The OpenAPI documents (feature `openapi`): the checked-in copies equal the generated ones
//! and every vendor example in them validates against its schema.
#![cfg(feature = "openapi")]
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::path::Path;

/// `(file name, text)` of the fixtures a document carries as examples.
type Fixtures = &'static [(&'static str, &'static str)];

fn documents() -> [(&'static str, Value, Fixtures); 2] {
    [
        (
            "vats-v1.json",
            vats_api::openapi::v1_document(),
            vats_api::openapi::V1_EXAMPLES,
        ),
        (
            "vats-legacy.json",
            vats_api::openapi::legacy_document(),
            vats_api::openapi::LEGACY_EXAMPLES,
        ),
    ]
}

#[test]
fn checked_in_documents_equal_the_generated_ones() {
    for (file, doc, _) in documents() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../docs/openapi")
            .join(file);
        if let Err(e) = http_plumbing::openapi::check_document(&path, &doc) {
            panic!("{e}");
        }
    }
}

#[test]
fn every_vendor_example_validates_against_its_schema() {
    let mut failures = Vec::new();
    for (file, doc, fixtures) in documents() {
        let text = doc.to_string();
        for (name, body) in fixtures {
            let value = serde_json::from_str::<Value>(body)
                .unwrap_or_else(|_| Value::String((*body).to_owned()));
            assert!(
                text.contains(&value.to_string()),
                "{name} is not an example of {file}"
            );
        }
        for ex in http_plumbing::openapi::examples(&doc) {
            let validator = jsonschema::validator_for(&ex.schema).unwrap();
            for err in validator.iter_errors(&ex.value) {
                failures.push(format!(
                    "{file} {}: {} at {}",
                    ex.location,
                    err,
                    err.instance_path()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Parses a fixture into `T` and writes it back: what the crate's writers emit.
fn rewritten<T: serde::Serialize + serde::de::DeserializeOwned>(fixture: &str) -> Value {
    let text = vats_api::openapi::V1_EXAMPLES
        .iter()
        .chain(vats_api::openapi::LEGACY_EXAMPLES)
        .find(|(n, _)| *n == fixture)
        .map(|(_, t)| *t)
        .unwrap();
    serde_json::to_value(serde_json::from_str::<T>(text).unwrap()).unwrap()
}

#[test]
fn what_the_crate_writes_validates_against_the_written_branches() {
    use vats_api::legacy::{Account, UsersAnswer};
    use vats_api::v1::push::{ContactAnswer, EventPush, HistoryPush, RatingPush};
    use vats_api::v1::*;
    let v1 = vats_api::openapi::v1_document();
    let legacy = vats_api::openapi::legacy_document();
    let cases = [
        (
            &v1,
            "Page_User",
            rewritten::<Page<User>>("v1_users_list.json"),
        ),
        (&v1, "User", rewritten::<User>("v1_user.json")),
        (
            &v1,
            "NewUser",
            rewritten::<NewUser>("v1_user_create_request.json"),
        ),
        (
            &v1,
            "UserUpdate",
            rewritten::<UserUpdate>("v1_user_update_request.json"),
        ),
        (
            &v1,
            "Page_Group",
            rewritten::<Page<Group>>("v1_groups_list.json"),
        ),
        (
            &v1,
            "NewGroup",
            rewritten::<NewGroup>("v1_group_create_request.json"),
        ),
        (
            &v1,
            "GroupUsersChange",
            rewritten::<GroupUsersChange>("v1_group_users_request.json"),
        ),
        (
            &v1,
            "Page_TelnumInfo",
            rewritten::<Page<TelnumInfo>>("v1_telnums_list.json"),
        ),
        (
            &v1,
            "RouteSettings",
            rewritten::<RouteSettings>("v1_telnum_route_request.json"),
        ),
        (&v1, "Page_Sim", rewritten::<Page<Sim>>("v1_sims_list.json")),
        (
            &v1,
            "Page_BlacklistEntry",
            rewritten::<Page<BlacklistEntry>>("v1_blacklist_list.json"),
        ),
        (
            &v1,
            "MakeCall",
            rewritten::<MakeCall>("v1_makecall_request.json"),
        ),
        (
            &v1,
            "HistoryPush",
            rewritten::<HistoryPush>("push_history_seed.json"),
        ),
        (
            &v1,
            "EventPush",
            rewritten::<EventPush>("push_event_seed.json"),
        ),
        (
            &v1,
            "RatingPush",
            rewritten::<RatingPush>("push_rating_seed.json"),
        ),
        (
            &v1,
            "ContactAnswer",
            rewritten::<ContactAnswer>("push_contact_answer_seed.json"),
        ),
        (
            &legacy,
            "UsersAnswer",
            rewritten::<UsersAnswer>("legacy_users_answer_seed.json"),
        ),
        (
            &legacy,
            "ContactAnswer",
            rewritten::<ContactAnswer>("legacy_contact_answer_seed.json"),
        ),
    ];
    let mut failures = Vec::new();
    for (doc, name, value) in &cases {
        let schema = http_plumbing::openapi::component_schema(doc, name, true);
        let validator = jsonschema::validator_for(&schema).unwrap();
        for err in validator.iter_errors(value) {
            failures.push(format!("{name}: {err} at {}", err.instance_path()));
        }
    }
    for item in rewritten::<Vec<HistoryRecord>>("v1_history.json")
        .as_array()
        .unwrap()
    {
        let schema = http_plumbing::openapi::component_schema(&v1, "HistoryRecord", true);
        assert!(jsonschema::is_valid(&schema, item), "{item}");
    }
    for item in rewritten::<Vec<Account>>("legacy_accounts_answer_seed.json")
        .as_array()
        .unwrap()
    {
        let schema = http_plumbing::openapi::component_schema(&legacy, "Account", true);
        assert!(jsonschema::is_valid(&schema, item), "{item}");
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
