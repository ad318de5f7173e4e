//! Click-to-call: the CRM asks the PBX to ring a manager and then dial the client — with the
//! REST generation (`POST /crmapi/v1/makecall`, P5) and with the legacy one (L1 `api_login`,
//! then L2 `cmd=makeCall`).
//!
//! ```sh
//! cargo run -p mock-server &
//! cargo run -p examples --example click_to_call
//! cargo run -p examples --example click_to_call -- 79234102993 user1
//! ```
//!
//! Arguments: the client's phone (digits, country code first, no `+`) and the PBX user to ring.
//! Environment: `PBX_URL` (`http://127.0.0.1:8711`), `VATS_API_KEY` (`mock-vats-key`),
//! `PBX_LOGIN` / `PBX_PASSWORD` / `PBX_CRM_CODE` (legacy login, `mock`/`mock`/`mock`),
//! `CRM_TOKEN` (`mock-crm-token`), `BRIDGE_ADDR` (the CRM URL the legacy login registers).

use examples::env_or;
use std::process::ExitCode;
use vats_api::legacy::{self, LoginRequest, MakeCallRequest};
use vats_api::v1::{self, MakeCall};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("click_to_call: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let phone = args.next().unwrap_or_else(|| "79234102993".to_owned());
    let user = args.next().unwrap_or_else(|| "admin".to_owned());
    let pbx_url = env_or("PBX_URL", examples::DEFAULT_PBX_URL);

    // REST: one request with the `X-API-KEY` header. The client validates the phone first
    // (digits only: a leading `+` is refused before anything is sent).
    let pbx = v1::Client::builder()
        .base_url(format!("{pbx_url}/crmapi/v1/"))
        .api_key(env_or("VATS_API_KEY", "mock-vats-key"))
        .build()?;
    let call_id = pbx
        .make_call(&MakeCall::new(phone.as_str(), user.as_str()))
        .await?;
    println!("v1: the PBX is ringing {user}, then {phone}; call id {call_id}");

    // Legacy: log in once (the answer's token is a secret), then send commands with it.
    let legacy_pbx = legacy::Client::builder().base_url(pbx_url).build()?;
    let token = legacy_pbx
        .login(&LoginRequest {
            crm_code: env_or("PBX_CRM_CODE", "mock"),
            login: env_or("PBX_LOGIN", "mock"),
            password: env_or("PBX_PASSWORD", "mock").into(),
            crm_token: env_or("CRM_TOKEN", "mock-crm-token").into(),
            url: format!(
                "http://{}/pbx/legacy",
                env_or("BRIDGE_ADDR", examples::DEFAULT_BRIDGE_ADDR)
            ),
            redirect_url: None,
            self_map: false,
        })
        .await?;
    let legacy_pbx = legacy_pbx.with_token(token);
    let accounts = legacy_pbx.accounts().await?;
    println!("legacy: {} account(s) on the PBX", accounts.len());
    let callid = legacy_pbx
        .make_call(&MakeCallRequest {
            phone: phone.as_str().into(),
            user: user.clone(),
            clid: None,
        })
        .await?;
    let callid = callid.map_or_else(|| "(not given)".to_owned(), |c| c.into_string());
    println!("legacy: the PBX is ringing {user}, then {phone}; call id {callid}");
    Ok(())
}
