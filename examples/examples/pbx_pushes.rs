//! Receive the virtual PBX's pushes in a CRM — both generations: `/crmapi/v1` JSON (`history`,
//! `event`, `contact`, `rating`) and legacy `*.wcgp` forms (`users`, `contact`, `event`,
//! `history`) — with the `vats-api` handler traits and their dispatchers as axum routers.
//!
//! ```sh
//! cargo run -p examples --example pbx_pushes             # serves, pushes a demo call to itself, exits
//! cargo run -p examples --example pbx_pushes -- --serve  # keeps serving for a real PBX
//! ```
//!
//! Environment: `BRIDGE_ADDR` (`127.0.0.1:8720`), `CRM_TOKEN` (`mock-crm-token`, the token the
//! PBX must send). Routes: `/pbx/v1` and `/pbx/legacy`.

use examples::env_or;
use secrecy::SecretString;
use std::process::ExitCode;
use vats_api::legacy::{self, CrmUser, LegacyCrmHandler};
use vats_api::v1::push::{self, ContactAnswer, CrmHandler};
use vats_api::{CallStatus, Direction, EventType, HandlerError, async_trait};

/// A CRM that knows one client and prints every push.
struct PrintingCrm;

impl PrintingCrm {
    /// Answers `contact`: who is calling and which PBX user should take it.
    fn lookup(phone: &str) -> Option<ContactAnswer> {
        (examples::normalize_phone(phone).as_deref() == Some("79234102993")).then(|| {
            ContactAnswer {
                contact_name: Some("Иванова Марина Владимировна".into()),
                responsible: Some("admin".into()),
            }
        })
    }
}

#[async_trait]
impl CrmHandler for PrintingCrm {
    async fn history(&self, p: push::HistoryPush) -> Result<(), HandlerError> {
        // Answer fast (the PBX waits at most a second); slow work belongs in a background task.
        println!(
            "v1 history {}: {} {} ↔ {} {} s, {}, recording {:?}",
            p.callid,
            p.direction,
            p.user,
            p.phone,
            p.duration,
            p.status,
            p.recording()
        );
        Ok(())
    }

    async fn event(&self, p: push::EventPush) -> Result<(), HandlerError> {
        println!(
            "v1 event {}: {} from {} to {}",
            p.callid, p.event_type, p.phone, p.user
        );
        Ok(())
    }

    async fn contact(
        &self,
        r: push::ContactRequest,
    ) -> Result<Option<ContactAnswer>, HandlerError> {
        println!("v1 contact {}: who is {}?", r.callid, r.phone);
        // `None` is answered `{}`: "unknown number".
        Ok(Self::lookup(r.phone.as_str()))
    }
}

#[async_trait]
impl LegacyCrmHandler for PrintingCrm {
    async fn users(&self) -> Result<Vec<CrmUser>, HandlerError> {
        Ok(vec![CrmUser {
            id: "72".into(),
            name: Some("Иванова Марина Михайловна".into()),
        }])
    }

    async fn contact(
        &self,
        r: legacy::ContactRequest,
    ) -> Result<Option<ContactAnswer>, HandlerError> {
        println!("legacy contact {}: who is {}?", r.callid, r.phone);
        Ok(Self::lookup(r.phone.as_str()))
    }

    async fn event(&self, p: legacy::EventPush) -> Result<(), HandlerError> {
        println!(
            "legacy event {}: {} from {}",
            p.callid, p.event_type, p.phone
        );
        Ok(())
    }

    async fn history(&self, p: legacy::HistoryPush) -> Result<(), HandlerError> {
        // Legacy `link` may hold several URLs joined by `|`; the first is the recording.
        println!(
            "legacy history {}: {} {} ↔ {} {} s, links {:?}",
            p.callid, p.direction, p.user, p.phone, p.duration, p.links
        );
        Ok(())
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pbx_pushes: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let addr = env_or("BRIDGE_ADDR", examples::DEFAULT_BRIDGE_ADDR);
    let token = SecretString::from(env_or("CRM_TOKEN", "mock-crm-token"));
    // Each router checks `crm_token` (constant time), decodes JSON, form or `payload=<json>`,
    // validates the fields and answers the documented error bodies.
    let app = axum::Router::new()
        .nest(
            "/pbx/v1",
            push::CrmDispatcher::new(PrintingCrm, token.clone()).into_router(),
        )
        .nest(
            "/pbx/legacy",
            legacy::LegacyCrmDispatcher::new(PrintingCrm, token.clone()).into_router(),
        );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    let server = examples::RunningServer::spawn(listener, app)?;
    println!(
        "PBX pushes: {} and {}",
        server.url("/pbx/v1"),
        server.url("/pbx/legacy")
    );

    if std::env::args().any(|a| a == "--serve") {
        tokio::signal::ctrl_c().await?;
        server.shutdown().await;
        return Ok(());
    }

    // Demo: play the PBX with the sending side of the same crate.
    let v1 = push::CrmNotifier::builder()
        .url(server.url("/pbx/v1"))
        .crm_token(token.clone())
        .build()?;
    let who = v1
        .contact(&push::ContactRequest {
            phone: "79234102993".into(),
            diversion: None,
            callid: "demo-1".into(),
        })
        .await?;
    println!("  → CRM answered {who:?}");
    v1.event(&push::EventPush {
        event_type: EventType::Incoming,
        phone: "79234102993".into(),
        diversion: None,
        user: "admin".into(),
        group_real_name: None,
        ext: Some("701".into()),
        telnum: None,
        direction: Some(Direction::In),
        callid: "demo-1".into(),
    })
    .await?;
    v1.history(&push::HistoryPush {
        direction: Direction::In,
        user: "admin".into(),
        ext: Some("701".into()),
        group_real_name: None,
        telnum: None,
        phone: "79234102993".into(),
        diversion: None,
        start: chrono::Utc::now(),
        duration: 42,
        callid: "demo-1".into(),
        link: Some("https://pbx.example/records/demo-1.mp3".into()),
        rating: None,
        status: CallStatus::Success,
    })
    .await?;

    let old = legacy::LegacyCrmNotifier::builder()
        .url(server.url("/pbx/legacy"))
        .crm_token(token)
        .build()?;
    println!("  → legacy users: {:?}", old.users().await?);
    old.history(&legacy::HistoryPush {
        direction: Direction::Out,
        user: "admin".into(),
        phone: "79234102993".into(),
        diversion: None,
        duration: 17,
        callid: "demo-2".into(),
        links: vec![
            "https://pbx.example/records/demo-2.mp3".into(),
            "https://pbx.example/records/demo-2-b.mp3".into(),
        ],
    })
    .await?;
    server.shutdown().await;
    Ok(())
}
