//! The whole flow of docs/protocol.md §5 against the mock server: a call on the PBX → `history`
//! push to this CRM → manager and deal from the CRM's data → R1 to ROP → ROP scores it → W1/W2
//! back here → comment (U5), a task per failed stage (U6) and the call (U7) in the CRM.
//!
//! ```sh
//! cargo run -p mock-server                              # plain: no special configuration
//! cargo run -p examples --example bridge                # one simulated call (v1 pushes)
//! cargo run -p examples --example bridge -- --legacy    # the same through the legacy PBX API
//! cargo run -p examples --example bridge -- --serve     # just serve, for calls you simulate yourself
//! ```
//!
//! At start-up the bridge points the mock PBX's v1 pushes and the mock ROP's W1/W2 webhooks at
//! itself through the mocks' admin API (`PUT /__admin/config`), and puts the previous targets
//! back when it exits (after Ctrl-C with `--serve`). Legacy pushes go to the URL the bridge
//! registers with the PBX's `api_login.wcgp` (L1), as a real CRM does. Against real services
//! (no admin API) it says so and carries on.
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

    // 3. Point the mock PBX's pushes and the mock ROP's webhooks here (their admin API).
    let http = reqwest::Client::new();
    let rop_url = env_or("ROP_URL", examples::DEFAULT_ROP_URL);
    let saved = retarget_mocks(&http, &pbx_url, &rop_url, &server).await;
    let result = drive(legacy, serve_only, &config, &crm, &server, &pbx_url).await;
    if let Some(saved) = saved {
        saved.restore(&http).await;
    }
    server.shutdown().await;
    result
}

/// Steps 4 to 6: the legacy login, then serving only or simulating one call and watching it.
async fn drive(
    legacy: bool,
    serve_only: bool,
    config: &BridgeConfig,
    crm: &Crm,
    server: &RunningServer,
    pbx_url: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    // 4. Legacy PBXs push to the URL the CRM registers at login (L1).
    if legacy {
        let pbx = vats_api::legacy::Client::builder()
            .base_url(pbx_url)
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
        return Ok(());
    }

    // 5. Ask the mock PBX to simulate a call (its admin API; a real PBX needs a real phone).
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

    // 6. Watch the call go through the bridge.
    let record = crm
        .wait_for(&call_id, Duration::from_secs(60), |r| r.is_settled())
        .await
        .ok_or("the PBX's history push never arrived: is mock-server running (its admin API must be reachable at PBX_URL), or try --legacy")?;
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
                "still {other:?}: is ROP posting its webhooks here (its admin API at ROP_URL)?"
            );
        }
        other => println!("finished as {other:?}"),
    }
    Ok(())
}

/// The targets the mocks had before [`retarget_mocks`] changed them.
struct SavedTargets {
    /// `…/__admin/config` of the PBX and its previous answer.
    pbx: Option<(String, serde_json::Value)>,
    /// `…/__admin/config` of the ROP and its previous answer.
    rop: Option<(String, serde_json::Value)>,
}

/// The scheme, host and port of `url` (the admin API sits at the root, whatever API path
/// `ROP_URL`/`PBX_URL` carry).
fn origin(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| url.trim_end_matches('/').to_owned())
}

/// `PUT`s `body` to an admin `config` URL; the answer on success.
async fn put_config(
    http: &reqwest::Client,
    url: &str,
    body: &serde_json::Value,
) -> Result<serde_json::Value, String> {
    let resp = http
        .put(url)
        .json(body)
        .send()
        .await
        .map_err(|e| e.without_url().to_string())?;
    let status = resp.status();
    let answer: serde_json::Value = resp.json().await.unwrap_or_default();
    if status.is_success() {
        Ok(answer)
    } else {
        Err(format!("{status}: {answer}"))
    }
}

/// Reads one mock's current targets, then points them at the bridge; `None` (with a note) when
/// the service has no such admin route (a real service, an older mock).
async fn retarget_one(
    http: &reqwest::Client,
    name: &str,
    base: &str,
    body: serde_json::Value,
) -> Option<(String, serde_json::Value)> {
    let url = format!("{}/__admin/config", origin(base));
    let before = async {
        let resp = http.get(&url).send().await.ok()?.error_for_status().ok()?;
        resp.json::<serde_json::Value>().await.ok()
    }
    .await;
    let Some(before) = before else {
        println!(
            "{name}: no mock admin API at {}; pointing it at the bridge is up to you",
            origin(base)
        );
        return None;
    };
    match put_config(http, &url, &body).await {
        Ok(now) => {
            println!("{name} (mock) now targets the bridge: {now}");
            Some((url, before))
        }
        Err(e) => {
            println!("{name}: could not retarget the mock: {e}");
            None
        }
    }
}

/// Points the mock PBX's v1 pushes and the mock ROP's webhooks at this bridge.
async fn retarget_mocks(
    http: &reqwest::Client,
    pbx_url: &str,
    rop_url: &str,
    server: &RunningServer,
) -> Option<SavedTargets> {
    let pbx = retarget_one(
        http,
        "PBX",
        pbx_url,
        serde_json::json!({"crm_url": server.url(examples::PBX_V1_PATH), "push_format": "v1"}),
    )
    .await;
    let rop = retarget_one(
        http,
        "ROP",
        rop_url,
        serde_json::json!({
            "checklist_webhook_url": server.url(examples::ROP_CHECKLIST_PATH),
            "table_webhook_url": server.url(examples::ROP_TABLE_PATH),
        }),
    )
    .await;
    (pbx.is_some() || rop.is_some()).then_some(SavedTargets { pbx, rop })
}

impl SavedTargets {
    /// Puts the previous targets back (`""`: the mock's configured default).
    async fn restore(self, http: &reqwest::Client) {
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        if let Some((url, before)) = self.pbx {
            let body = serde_json::json!({
                "crm_url": text(&before["crm_url"]),
                "push_format": before["push_format"].as_str().unwrap_or("v1"),
            });
            report_restore("PBX", put_config(http, &url, &body).await);
        }
        if let Some((url, before)) = self.rop {
            let body = serde_json::json!({
                "checklist_webhook_url": text(&before["checklist_webhook_url"]),
                "table_webhook_url": text(&before["table_webhook_url"]),
            });
            report_restore("ROP", put_config(http, &url, &body).await);
        }
    }
}

fn report_restore(name: &str, result: Result<serde_json::Value, String>) {
    match result {
        Ok(_) => println!("{name} (mock): previous targets restored"),
        Err(e) => eprintln!("{name} (mock): could not restore the previous targets: {e}"),
    }
}
