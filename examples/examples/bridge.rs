//! The whole flow of CONTRACTS.md §5 against the mock server: a call on the PBX → `history`
//! push to this CRM → manager and deal from the CRM's data → R1 to ROP → ROP scores it → W1/W2
//! back here → comment (U5), a task per failed stage (U6) and the call (U7) in the CRM.
//!
//! ```sh
//! cargo run -p mock-server -- --config examples/mock-bridge.toml   # pushes and webhooks → :8720
//! cargo run -p examples --example bridge                # one simulated call (v1 pushes)
//! cargo run -p examples --example bridge -- --legacy    # the same through the legacy PBX API
//! cargo run -p examples --example bridge -- --serve     # just serve, for calls you simulate yourself
//! ```
//!
//! `examples/mock-bridge.toml` points the mock PBX's v1 pushes and the mock ROP's webhooks at
//! this program. Legacy pushes need no configuration: the bridge registers its URL with the
//! PBX's `api_login.wcgp` (L1), as a real CRM does.
//!
//! Environment (defaults fit the mock server): `BRIDGE_ADDR` (`127.0.0.1:8720`), `ROP_URL`,
//! `ROP_API_KEY`, `PBX_URL`, `CRM_URL`, `CRM_LOGIN`, `CRM_PASSWORD`, `CRM_TOKEN`, `PBX_LOGINS`,
//! `PBX_LOGIN` / `PBX_PASSWORD` / `PBX_CRM_CODE` (legacy login).

use examples::{BridgeConfig, CallState, Crm, RunningServer, env_or, router};
use secrecy::ExposeSecret;
use std::process::ExitCode;
use std::time::Duration;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bridge: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let legacy = std::env::args().any(|a| a == "--legacy");
    let serve_only = std::env::args().any(|a| a == "--serve");
    let addr = env_or("BRIDGE_ADDR", examples::DEFAULT_BRIDGE_ADDR);
    let pbx_url = env_or("PBX_URL", examples::DEFAULT_PBX_URL);

    // 1. The CRM: clients for ROP and Universe, and the directory (U1 managers, U2 clients,
    //    U3 deals) it maps calls with.
    let config = BridgeConfig::from_env()?;
    let crm = Crm::connect(config.clone()).await?;
    let dir = crm.directory();
    println!(
        "CRM directory: {} managers, {} client phones, {} deals",
        dir.managers.len(),
        dir.phones.len(),
        dir.orders.len()
    );

    // 2. Serve the PBX pushes and ROP's webhooks.
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    let server = RunningServer::spawn(listener, router(crm.clone()))?;
    println!(
        "bridge listening: PBX → {} / {}, ROP → {} / {}",
        server.url(examples::PBX_V1_PATH),
        server.url(examples::PBX_LEGACY_PATH),
        server.url(examples::ROP_CHECKLIST_PATH),
        server.url(examples::ROP_TABLE_PATH)
    );

    // 3. Legacy PBXs push to the URL the CRM registers at login (L1).
    if legacy {
        let pbx = vats_api::legacy::Client::builder()
            .base_url(pbx_url.clone())
            .build()?;
        pbx.login(&vats_api::legacy::LoginRequest {
            crm_code: env_or("PBX_CRM_CODE", "mock"),
            login: env_or("PBX_LOGIN", "mock"),
            password: env_or("PBX_PASSWORD", "mock").into(),
            crm_token: config.crm_token.expose_secret().into(),
            url: server.url(examples::PBX_LEGACY_PATH),
            redirect_url: None,
            self_map: false,
        })
        .await?;
        println!("registered with the legacy PBX");
    }

    if serve_only {
        println!("serving; Ctrl-C stops");
        tokio::signal::ctrl_c().await?;
        server.shutdown().await;
        return Ok(());
    }

    // 4. Ask the mock PBX to simulate a call (its admin API; a real PBX needs a real phone).
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{pbx_url}/__admin/calls/simulate"))
        .json(&serde_json::json!({
            "user": "admin",
            "phone": "79234102993",
            "duration": 30,
            "push_format": if legacy { "legacy" } else { "v1" },
        }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let call_id = answer["callid"].as_str().unwrap_or_default().to_owned();
    println!(
        "PBX simulated call {call_id}, recording {}",
        answer["record"]
    );

    // 5. Watch the call go through the bridge.
    let record = crm
        .wait_for(&call_id, Duration::from_secs(60), |r| r.is_settled())
        .await
        .ok_or("the PBX's history push never arrived: is mock-server running with --config examples/mock-bridge.toml (v1), or try --legacy")?;
    println!(
        "manager {:?}, deal {:?}, {} R1 round(s)",
        record.manager_id, record.deal_id, record.upload_attempts
    );
    match &record.state {
        CallState::WrittenBack => {
            for w1 in &record.checklists {
                println!(
                    "W1 «{}»: {} of {} ({}%)",
                    w1.checklist_name.as_deref().unwrap_or("?"),
                    w1.total_score,
                    w1.max_score,
                    w1.completion_percentage
                );
            }
            for (table, data) in &record.tables {
                println!("W2 {table}: {data:?}");
            }
            println!(
                "written to the CRM: comments {:?}, tasks {:?}, call {:?}",
                record.written.messages, record.written.tasks, record.written.call
            );
        }
        other if !record.is_settled() => {
            println!(
                "still {other:?}: is ROP posting its webhooks here (examples/mock-bridge.toml)?"
            );
        }
        other => println!("finished as {other:?}"),
    }
    server.shutdown().await;
    Ok(())
}
