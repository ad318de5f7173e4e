//! End-to-end tests: the three mock services in-process, the example CRM in front of them, and
//! the flow of docs/protocol.md §5 for the v1 and the legacy PBX, its failure cases, and a leak check
//! of everything logged.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    unreachable_pub
)]

mod composed;
mod failures;
mod flow;
mod harness;
mod logs;
mod secrets;
