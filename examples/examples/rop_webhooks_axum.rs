//! Receive «Цифровой РОП»'s webhooks — checklist results (W1) and table results (W2) — in an
//! axum app, deduplicating redeliveries.
//!
//! ```sh
//! cargo run -p examples --example rop_webhooks_axum
//! # point ROP's webhooks at it; with the mock server:
//! cargo run -p mock-server -- --config examples/mock-bridge.toml
//! cargo run -p examples --example upload_and_wait
//! ```
//!
//! Environment: `BRIDGE_ADDR` (listen address, `127.0.0.1:8720`). The webhooks are served at
//! `/rop/checklist` and `/rop/table`, next to a `/health` route of the app's own.

use async_trait::async_trait;
use axum::routing::get;
use examples::env_or;
use rop_api::{ChecklistResult, HandlerError, TableResult, WebhookDispatcher, WebhookHandler};
use std::collections::HashSet;
use std::process::ExitCode;
use std::sync::Mutex;

/// What the app does with each result: print it, once.
#[derive(Default)]
struct Results {
    /// (call id, checklist name or table id) already handled: delivery is at least once.
    seen: Mutex<HashSet<(String, String)>>,
}

impl Results {
    /// `false` when this result was handled before.
    fn first_time(&self, call: &str, what: &str) -> Result<bool, HandlerError> {
        let mut seen = self
            .seen
            .lock()
            .map_err(|_| HandlerError::internal("lock poisoned"))?;
        Ok(seen.insert((call.to_owned(), what.to_owned())))
    }
}

#[async_trait]
impl WebhookHandler for Results {
    async fn on_checklist_result(&self, r: ChecklistResult) -> Result<(), HandlerError> {
        let name = r.checklist_name.clone().unwrap_or_default();
        if !self.first_time(r.call_id.as_str(), &name)? {
            // Answered 200 by the dispatcher, so ROP stops resending.
            return Err(rop_api::duplicate_call());
        }
        println!(
            "W1 {}: «{name}» {} of {} ({}%), manager {}",
            r.call_id, r.total_score, r.max_score, r.completion_percentage, r.manager_id
        );
        for s in r.stages.iter().filter(|s| s.score < 0) {
            println!("   failed: {} — {}", s.stage_name, s.comment);
        }
        Ok(())
    }

    async fn on_table_result(&self, r: TableResult) -> Result<(), HandlerError> {
        if !self.first_time(r.call_id.as_str(), r.table_id.as_str())? {
            return Err(rop_api::duplicate_call());
        }
        println!(
            "W2 {} table {}: {:?}",
            r.call_id, r.table_id, r.extracted_data
        );
        Ok(())
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let addr = env_or("BRIDGE_ADDR", examples::DEFAULT_BRIDGE_ADDR);
    // Fixed paths (as the nested router sees them, without `/rop`): anything else is a 404.
    // Without them the dispatcher accepts any path and tells W1 from W2 by the payload's shape.
    let hooks = WebhookDispatcher::new(Results::default())
        .with_checklist_path("/checklist")
        .with_table_path("/table");
    let app = axum::Router::new()
        .route("/health", get(|| async { "ok" }))
        .nest("/rop", hooks.into_router());

    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("rop_webhooks_axum: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("W1 → http://{addr}/rop/checklist, W2 → http://{addr}/rop/table (Ctrl-C stops)");
    let serve = axum::serve(listener, app).with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    });
    match serve.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rop_webhooks_axum: {e}");
            ExitCode::FAILURE
        }
    }
}
