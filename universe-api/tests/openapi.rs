//! The OpenAPI document (feature `openapi`): the checked-in copy equals the generated one and
//! every vendor example in it validates against its schema.
#![cfg(feature = "openapi")]
#![allow(clippy::unwrap_used)]

use std::path::Path;

fn checked_in() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi/universe.json")
}

#[test]
fn checked_in_document_equals_the_generated_one() {
    let doc = universe_api::openapi::document();
    if let Err(e) = http_plumbing::openapi::check_document(&checked_in(), &doc) {
        panic!("{e}");
    }
}

#[test]
fn every_vendor_example_validates_against_its_schema() {
    let doc = universe_api::openapi::document();
    let examples = http_plumbing::openapi::examples(&doc);
    let text = doc.to_string();
    for (name, body) in universe_api::openapi::EXAMPLES {
        let value: serde_json::Value = serde_json::from_str(body).unwrap();
        assert!(
            text.contains(&value.to_string()),
            "{name} is not an example of the document"
        );
    }
    assert!(examples.len() >= universe_api::openapi::EXAMPLES.len());
    let mut failures = Vec::new();
    for ex in &examples {
        let validator = jsonschema::validator_for(&ex.schema).unwrap();
        for err in validator.iter_errors(&ex.value) {
            failures.push(format!(
                "{}: {} at {}",
                ex.location,
                err,
                err.instance_path()
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Parses a fixture into `T` and writes it back: what the crate's writers emit.
fn rewritten<T: serde::Serialize + serde::de::DeserializeOwned>(
    fixture: &str,
) -> serde_json::Value {
    let text = universe_api::openapi::EXAMPLES
        .iter()
        .find(|(n, _)| *n == fixture)
        .map(|(_, t)| *t)
        .unwrap();
    serde_json::to_value(serde_json::from_str::<T>(text).unwrap()).unwrap()
}

#[test]
fn what_the_crate_writes_validates_against_the_written_branches() {
    use universe_api::*;
    let doc = universe_api::openapi::document();
    let cases = [
        ("Scheme", rewritten::<Scheme>("import_scheme.json")),
        (
            "ClientsPage",
            rewritten::<ClientsPage>("export_clients.json"),
        ),
        ("OrdersPage", rewritten::<OrdersPage>("export.json")),
        (
            "OrdersPage",
            rewritten::<OrdersPage>("export_full_order.json"),
        ),
        ("LeadCreated", rewritten::<LeadCreated>("lead_answer.json")),
        (
            "MessageAdded",
            rewritten::<MessageAdded>("message_answer.json"),
        ),
        ("TaskAdded", rewritten::<TaskAdded>("task_answer.json")),
        ("CallAdded", rewritten::<CallAdded>("call_answer.json")),
    ];
    let mut failures = Vec::new();
    for (name, value) in &cases {
        let schema = http_plumbing::openapi::component_schema(&doc, name, true);
        let validator = jsonschema::validator_for(&schema).unwrap();
        for err in validator.iter_errors(value) {
            failures.push(format!("{name}: {err} at {}", err.instance_path()));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // The vendor example quotes `pagination`'s numbers; the written form does not.
    let schema = http_plumbing::openapi::component_schema(&doc, "Pagination", true);
    assert!(!jsonschema::is_valid(
        &schema,
        &serde_json::json!({"total_count": "3", "limit": "1000"})
    ));
}
