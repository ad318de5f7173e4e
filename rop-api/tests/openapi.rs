//! The OpenAPI document (feature `openapi`): the checked-in copy equals the generated one and
//! every vendor example in it validates against its schema.
#![cfg(feature = "openapi")]
#![allow(clippy::unwrap_used)]

use std::path::Path;

fn checked_in() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi/rop.json")
}

#[test]
fn checked_in_document_equals_the_generated_one() {
    let doc = rop_api::openapi::document();
    if let Err(e) = http_plumbing::openapi::check_document(&checked_in(), &doc) {
        panic!("{e}");
    }
}

#[test]
fn every_vendor_example_validates_against_its_schema() {
    let doc = rop_api::openapi::document();
    let examples = http_plumbing::openapi::examples(&doc);
    let text = doc.to_string();
    for (name, body) in rop_api::openapi::EXAMPLES {
        let value: serde_json::Value = serde_json::from_str(body).unwrap();
        assert!(
            text.contains(&value.to_string()),
            "{name} is not an example of the document"
        );
    }
    assert!(examples.len() >= rop_api::openapi::EXAMPLES.len());
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
    let text = rop_api::openapi::EXAMPLES
        .iter()
        .find(|(n, _)| *n == fixture)
        .map(|(_, t)| *t)
        .unwrap();
    serde_json::to_value(serde_json::from_str::<T>(text).unwrap()).unwrap()
}

#[test]
fn what_the_crate_writes_validates_against_the_written_branches() {
    use rop_api::*;
    let doc = rop_api::openapi::document();
    let cases = [
        ("CallUpload", rewritten::<CallUpload>("r1_request_000.json")),
        ("CallUpload", rewritten::<CallUpload>("r2_request_001.json")),
        (
            "OfficesUpdate",
            rewritten::<OfficesUpdate>("r3_request_001.json"),
        ),
        (
            "ManagersUpdate",
            rewritten::<ManagersUpdate>("r4_request_001.json"),
        ),
        (
            "Envelope_CallId",
            rewritten::<Envelope<CallId>>("r1_response_200.json"),
        ),
        (
            "CallReady",
            rewritten::<CallReady>("r5_response_ready_001.json"),
        ),
        (
            "CallReady",
            rewritten::<CallReady>("r5_response_not_ready.json"),
        ),
        (
            "ChecklistResult",
            rewritten::<ChecklistResult>("w1_000.json"),
        ),
        (
            "ChecklistResult",
            rewritten::<ChecklistResult>("w1_001.json"),
        ),
        ("TableResult", rewritten::<TableResult>("w2_000.json")),
        ("TableResult", rewritten::<TableResult>("w2_001.json")),
    ];
    let mut failures = Vec::new();
    for (name, value) in &cases {
        let schema = http_plumbing::openapi::component_schema(&doc, name, true);
        let validator = jsonschema::validator_for(&schema).unwrap();
        for err in validator.iter_errors(value) {
            failures.push(format!(
                "{name}: {err} at {} in {value}",
                err.instance_path()
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // The projection is strict: a number where an id is written fails.
    let schema = http_plumbing::openapi::component_schema(&doc, "CallId", true);
    assert!(!jsonschema::is_valid(&schema, &serde_json::json!(12345)));
}
