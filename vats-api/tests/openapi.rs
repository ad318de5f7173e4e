//! The OpenAPI documents (feature `openapi`): the checked-in copies equal the generated ones
//! and every vendor example in them validates against its schema.
#![cfg(feature = "openapi")]

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
