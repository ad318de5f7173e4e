//! Integration tests of `rop-analysis`: one binary, one module per area.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod report_cli;
