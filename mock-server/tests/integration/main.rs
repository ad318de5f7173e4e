//! In-process tests of the three mock services through the public clients of the API crates.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod admin;
mod browser;
mod config;
mod crm;
mod dashboard;
mod fidelity;
mod flow;
mod history_seed;
mod hostile;
mod limits;
mod near_miss;
mod openapi;
mod pbx;
mod rop;
mod support;
mod sync;
