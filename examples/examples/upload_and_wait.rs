//! Send a call recording to «Цифровой РОП» (R1) and wait for its analytic table (R5
//! `call-ready`), polling with exponential backoff.
//!
//! ```sh
//! cargo run -p mock-server &            # mock ROP on :8710, mock PBX (recordings) on :8711
//! cargo run -p examples --example upload_and_wait
//! ```
//!
//! Environment (defaults fit the mock server): `ROP_URL` (`http://127.0.0.1:8710`),
//! `ROP_API_KEY` (`mock-rop-key`), `AUDIO_URL` (a recording the mock PBX serves), `TABLE_ID`
//! (`TBL_REALTY_CALL`, the mock's table), `CALL_ID` (default: a fresh id), `MANAGER_ID`, `DEAL_ID`.

use examples::env_or;
use rop_api::{CallReady, CallUpload, Client, TableId, UploadFormat};
use std::process::ExitCode;
use std::time::Duration;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("upload_and_wait: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // The client: base URL and key are all it needs. The key travels as `apiKey` in the query;
    // the client keeps it out of Debug output and errors.
    let rop = Client::builder()
        .base_url(env_or("ROP_URL", examples::DEFAULT_ROP_URL))
        .api_key(env_or("ROP_API_KEY", "mock-rop-key"))
        .timeout(Duration::from_secs(20))
        .build()?;

    let call_id = std::env::var("CALL_ID")
        .unwrap_or_else(|_| format!("example_{}", chrono::Utc::now().timestamp_millis()));
    let audio = env_or(
        "AUDIO_URL",
        &format!("{}/records/4000000001.wav", examples::DEFAULT_PBX_URL),
    );
    let call = CallUpload::new(call_id.as_str(), env_or("MANAGER_ID", "72"), audio.parse()?)
        .with_deal(env_or("DEAL_ID", "198"), None);

    // R1. Multipart is what the vendor document's curl example sends; JSON (the default) works the same.
    // A repeated call id is a 409, which the client reports as `Error::Conflict` (`is_conflict()`).
    match rop.upload_call_as(&call, UploadFormat::Multipart).await {
        Ok(accepted) => println!("queued {}: {}", accepted.call_id, accepted.message),
        Err(e) if e.is_conflict() => println!("{call_id} was sent before; waiting for it"),
        Err(e) => return Err(e.into()),
    }

    // R5: `ready:false` while queued or analysing. Poll with backoff: 250 ms, 500 ms, 1 s, ...
    // capped at 5 s, for at most two minutes. (A webhook receiver avoids polling altogether:
    // see the `rop_webhooks_axum` example.)
    let table = TableId::from(env_or("TABLE_ID", "TBL_REALTY_CALL"));
    let mut wait = Duration::from_millis(250);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        match rop.call_ready(&table, &call.call_id).await? {
            CallReady::Ready(fields) => {
                println!("table {table} for {call_id}:");
                for (key, value) in fields {
                    println!("  {key}: {value}");
                }
                return Ok(());
            }
            CallReady::NotReady if tokio::time::Instant::now() < deadline => {
                println!("not ready yet; next check in {wait:?}");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
            CallReady::NotReady => return Err("the table was not ready within two minutes".into()),
        }
    }
}
