//! Integration tests of `rop-analysis`: the W1 arithmetic, the evaluator trait, properties of
//! the scoring core, the CLI on fixtures, and agreement on the real Harper Valley calls.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod cli;
mod cli_input;
mod cli_llm;
mod datasets;
mod errors;
mod evaluators;
mod harper_valley;
mod properties;
mod report_cli;
mod ru_dev;
mod scoring;
mod strict_config;

use std::path::PathBuf;

/// A file under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The text of a file under `tests/fixtures/`.
pub fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}
