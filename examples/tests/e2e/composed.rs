//! One axum app, three protocols: ROP's webhooks, the PBX's pushes and a Universe endpoint,
//! each the API crate's dispatcher as a router, mounted under a prefix of the app's choosing and
//! driven by the same crates' senders and clients.

use rop_api::{ChecklistResult, HandlerError, WebhookDispatcher, WebhookHandler, WebhookSender};
use std::sync::{Arc, Mutex};
use universe_api::{Scheme, ServerAuth, Status, UniverseHandler};
use vats_api::v1::push::{ContactAnswer, ContactRequest, CrmDispatcher, CrmHandler, CrmNotifier};

/// One handler behind all three routers; it records what reached it.
#[derive(Default)]
struct Office {
    checklists: Mutex<Vec<String>>,
    contacts: Mutex<Vec<String>>,
}

#[rop_api::async_trait]
impl WebhookHandler for Office {
    async fn on_checklist_result(&self, r: ChecklistResult) -> Result<(), HandlerError> {
        self.checklists.lock().unwrap().push(r.call_id.to_string());
        Ok(())
    }
}

#[vats_api::async_trait]
impl CrmHandler for Office {
    async fn contact(&self, r: ContactRequest) -> Result<Option<ContactAnswer>, HandlerError> {
        self.contacts.lock().unwrap().push(r.phone.to_string());
        Ok(Some(ContactAnswer {
            contact_name: Some("ООО Ромашка".into()),
            responsible: Some("admin".into()),
        }))
    }
}

#[universe_api::async_trait]
impl UniverseHandler for Office {
    async fn import_scheme(&self) -> Result<Scheme, HandlerError> {
        Ok(Scheme {
            statuses: vec![Status {
                id: "1".into(),
                name: "Новая".into(),
            }],
            ..Scheme::default()
        })
    }
}

async fn serve(office: Arc<Office>) -> String {
    let app = axum::Router::new()
        .nest(
            "/hooks/rop",
            WebhookDispatcher::<Office>::new(Arc::clone(&office))
                .with_checklist_path("/checklist")
                .with_body_limit(4096)
                .into_router(),
        )
        .nest(
            "/hooks/pbx",
            CrmDispatcher::<Office>::new(Arc::clone(&office), "crm-token").into_router(),
        )
        .nest(
            "/crm",
            universe_api::Dispatcher::<Office>::new(
                office,
                ServerAuth::basic("analytics", "s3cr3t"),
            )
            .into_router(),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test]
async fn rop_webhooks_pbx_pushes_and_universe_share_one_port() {
    let office = Arc::new(Office::default());
    let base = serve(Arc::clone(&office)).await;

    // W1 from ROP's sender.
    let result: ChecklistResult = serde_json::from_value(serde_json::json!({
        "call_id": "c-1", "manager_id": "m-1", "total_score": 1, "max_score": 2,
        "stages": [{"stage_name": "Приветствие", "score": 1}]
    }))
    .unwrap();
    let report = WebhookSender::builder()
        .build()
        .unwrap()
        .send_checklist_result(
            &format!("{base}/hooks/rop/checklist").parse().unwrap(),
            &result,
        )
        .await;
    assert!(report.delivered, "{report:?}");
    assert_eq!(*office.checklists.lock().unwrap(), ["c-1"]);

    // V3 from the PBX's notifier.
    let pbx = CrmNotifier::builder()
        .url(format!("{base}/hooks/pbx"))
        .crm_token("crm-token")
        .build()
        .unwrap();
    let who = pbx
        .contact(&ContactRequest {
            phone: "79101234567".into(),
            diversion: None,
            callid: "call-1".into(),
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(who.responsible.as_deref(), Some("admin"));
    assert_eq!(*office.contacts.lock().unwrap(), ["79101234567"]);

    // U1 and a U4 the handler does not implement, from the analytics side's client.
    let crm = universe_api::Client::builder()
        .base_url(format!("{base}/crm"))
        .credentials("analytics", "s3cr3t")
        .build()
        .unwrap();
    assert_eq!(crm.import_scheme().await.unwrap().statuses[0].name, "Новая");
    let e = crm
        .create_lead(&universe_api::LeadRequest::new("JivoSite"))
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(501), "{e}");
}

#[tokio::test]
async fn each_mounted_router_keeps_its_own_limits_errors_and_auth() {
    let base = serve(Arc::new(Office::default())).await;
    let http = reqwest::Client::new();

    // The ROP router's body limit, answered in ROP's envelope.
    let r = http
        .post(format!("{base}/hooks/rop/checklist"))
        .body(vec![b' '; 5000])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        (body["error"].as_bool(), body["data"].as_bool()),
        (Some(true), Some(false))
    );

    // The PBX router's token check, answered in the PBX's form.
    let r = http
        .post(format!("{base}/hooks/pbx"))
        .form(&[
            ("cmd", "contact"),
            ("phone", "79101234567"),
            ("callid", "1"),
            ("crm_token", "wrong"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.text().await.unwrap(), r#"{"error":"Invalid token"}"#);

    // Universe's Basic auth, answered in Universe's form.
    let r = http
        .get(format!("{base}/crm/analytics?action=import_scheme"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "error");

    // A path outside every prefix reaches no dispatcher.
    let r = http.get(format!("{base}/elsewhere")).send().await.unwrap();
    assert_eq!(r.status(), 404);
}
