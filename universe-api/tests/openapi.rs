//! The OpenAPI document (feature `openapi`): the checked-in copy equals the generated one and
//! every vendor example in it validates against its schema.
#![cfg(feature = "openapi")]

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
