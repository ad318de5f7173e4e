#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common_support;
mod common_types;
mod fidelity_clients;
mod fuzz_dispatch;
mod hostile_peer;
mod legacy_client;
mod legacy_crm;
mod legacy_pbx;
mod push_axum;
mod push_dispatcher;
mod push_notifier;
mod push_roundtrip;
mod v1_client;
mod v1_client_directory;
mod v1_client_errors;
mod v1_props;
mod v1_roundtrip;
mod v1_seed_pbx;
mod v1_server;
mod v1_server_directory;
mod v1_server_rows;
mod v1_support;
