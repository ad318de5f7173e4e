//! End-to-end tests: the three mock services in-process, the example CRM in front of them, and
//! the flow of CONTRACTS.md §5 for the v1 and the legacy PBX, its failure cases, and a leak check
//! of everything logged.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    unreachable_pub
)]

mod failures;
mod flow;
mod harness;
mod logs;
mod secrets;
