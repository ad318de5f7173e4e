//! Calls that go wrong: a recording that is not audio, a duplicate call id (redelivered push and
//! ROP's 409), ROP down then up, and the CRM's webhook receiver failing before it recovers.

use crate::harness::{Options, Stack, items};
use examples::{BridgeConfig, CallState, Crm, RunningServer, router};
use serde_json::{Value, json};
use std::sync::atomic::Ordering;
use std::time::Duration;
use vats_api::v1::push::HistoryPush;
use vats_api::{CallStatus, Direction};

fn history(callid: &str, link: &str) -> HistoryPush {
    HistoryPush {
        direction: Direction::In,
        user: "admin".into(),
        ext: Some("701".into()),
        group_real_name: None,
        telnum: None,
        phone: "79234102993".into(),
        diversion: None,
        start: chrono::Utc::now(),
        duration: 30,
        callid: callid.into(),
        link: Some(link.to_owned()),
        rating: None,
        status: CallStatus::Success,
    }
}

/// The statuses the mock ROP answered R1 of one call with, oldest first (0: connection reset).
async fn r1_statuses(s: &Stack, call_id: &str) -> Vec<u64> {
    let journal = s
        .admin(
            &s.mocks.rop_url(),
            "requests?path=/calls/audio-upload&limit=1000",
        )
        .await;
    let mut entries: Vec<&Value> = journal["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["body"].as_str().unwrap_or("").contains(call_id))
        .collect();
    entries.sort_by_key(|e| e["id"].as_u64());
    entries
        .iter()
        .map(|e| e["status"].as_u64().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recording_that_is_not_audio_is_refused_once_and_noted_in_the_crm() {
    let s = Stack::start().await;
    // A link answering 200 with JSON: ROP's probe finds no MP3/WAV/OGG signature.
    let link = format!("{}/__admin/health", s.mocks.pbx_url());
    s.v1_notifier()
        .history(&history("na-1", &link))
        .await
        .unwrap();
    let rec = s.settled("na-1").await;
    assert_eq!(
        rec.state,
        CallState::Rejected("Файл не является аудио".into()),
        "{rec:#?}"
    );
    assert_eq!(rec.upload_attempts, 1, "a 400 is not retried");
    assert_eq!(r1_statuses(&s, "na-1").await, vec![400]);
    let crm = s.crm_state().await;
    let notes = items(&crm, "messages", |m| {
        m["leadId"] == "199" && m["message"].as_str().unwrap_or("").contains("na-1")
    });
    assert_eq!(notes.len(), 1, "{crm:#}");
    assert!(
        notes[0]["message"]
            .as_str()
            .unwrap()
            .contains("Файл не является аудио")
    );
    let calls = items(&crm, "calls", |c| c["id"] == "na-1");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["file_url"], link.as_str());
    assert!(
        items(&crm, "tasks", |t| t["text"]
            .as_str()
            .unwrap_or("")
            .contains("na-1"))
        .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redelivered_history_push_is_uploaded_and_written_back_once() {
    let s = Stack::start().await;
    let (id, record) = s
        .simulate(json!({"user": "admin", "phone": "79234102993", "duration": 30}))
        .await;
    let rec = s.analysed(&id).await;
    assert_eq!(rec.state, CallState::WrittenBack);
    // The PBX sends the same history again (at-least-once delivery).
    let mut again = history(&id, &record);
    again.start = rec.call.start.unwrap();
    s.v1_notifier().history(&again).await.unwrap();
    s.v1_notifier().history(&again).await.unwrap();
    let stats = s.crm.stats();
    assert_eq!(stats.duplicate_pushes, 2);
    assert_eq!(stats.uploads_accepted, 1);
    assert_eq!(r1_statuses(&s, &id).await, vec![200]);
    let crm = s.crm_state().await;
    assert_eq!(
        items(&crm, "messages", |m| m["message"]
            .as_str()
            .unwrap_or("")
            .contains(&id))
        .len(),
        1
    );
    assert_eq!(items(&crm, "calls", |c| c["id"] == id.as_str()).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_id_rop_already_has_is_a_409_and_not_a_failure() {
    let s = Stack::start().await;
    let (id, record) = s
        .simulate(json!({"user": "admin", "phone": "79234102993", "duration": 30}))
        .await;
    assert_eq!(s.analysed(&id).await.state, CallState::WrittenBack);

    // A second CRM instance (say, after a restart that lost its memory) gets the same call.
    let mut config = BridgeConfig::new(s.mocks.rop_url(), s.mocks.crm_url()).with_secrets(
        s.secrets.rop_key.clone(),
        s.secrets.password.clone(),
        s.secrets.crm_token.clone(),
    );
    config.client_retry = crate::harness::fast_client_retry();
    let second = Crm::connect(config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = RunningServer::spawn(listener, router(second.clone())).unwrap();
    let notifier = vats_api::v1::push::CrmNotifier::builder()
        .url(server.url(examples::PBX_V1_PATH))
        .crm_token(s.secrets.crm_token.clone())
        .build()
        .unwrap();
    notifier.history(&history(&id, &record)).await.unwrap();
    let rec = second
        .wait_for(&id, Duration::from_secs(20), |r| {
            r.state == CallState::AlreadyQueued
        })
        .await
        .unwrap();
    assert_eq!(rec.state, CallState::AlreadyQueued, "{rec:#?}");
    assert_eq!(rec.upload_attempts, 1, "a 409 is not retried");
    assert_eq!(r1_statuses(&s, &id).await, vec![200, 409]);
    let stats = second.stats();
    assert_eq!(
        (stats.uploads_accepted, stats.messages, stats.calls_written),
        (0, 0, 0)
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_survives_rop_being_down_and_nothing_is_lost() {
    let s = Stack::start().await;
    let rop = s.mocks.rop_url();
    // ROP is down: two connections reset, then three 503s, then it is back.
    let path = "/api/v1/calls/audio-upload";
    s.fault(&rop, json!({"path": path, "reset": true, "times": 2}))
        .await;
    s.fault(&rop, json!({"path": path, "status": 503, "times": 3}))
        .await;
    let (id, _) = s
        .simulate(json!({"user": "admin", "phone": "79234102993", "duration": 30}))
        .await;
    let rec = s.analysed(&id).await;
    assert_eq!(rec.state, CallState::WrittenBack, "{rec:#?}");
    assert!(rec.upload_attempts >= 3, "{}", rec.upload_attempts);
    assert_eq!(r1_statuses(&s, &id).await, vec![0, 0, 503, 503, 503, 200]);
    assert_eq!(s.rop_call(&id).await["stage"], "ready");
    assert_eq!(s.crm.stats().uploads_accepted, 1);
    let crm = s.crm_state().await;
    assert_eq!(
        items(&crm, "messages", |m| m["message"]
            .as_str()
            .unwrap_or("")
            .contains(&id))
        .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checklist_webhook_reaches_crm_logic_once_after_receiver_fails_three_times() {
    let s = Stack::start_with(Options { flaky_webhooks: 3 }).await;
    let (id, _) = s
        .simulate(json!({"user": "admin", "phone": "79234102993", "duration": 30}))
        .await;
    let rec = s.analysed(&id).await;
    assert_eq!(rec.state, CallState::WrittenBack, "{rec:#?}");
    assert_eq!(
        s.webhook_deliveries.load(Ordering::SeqCst),
        4,
        "3 failures + 1 success"
    );
    assert_eq!(s.crm.stats().checklist_results, 1);
    let rop = s.rop_call(&id).await;
    let w1 = rop["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "checklist")
        .unwrap();
    assert_eq!(
        (w1["delivered"].clone(), w1["attempts"].clone()),
        (json!(true), json!(4))
    );
    let crm = s.crm_state().await;
    assert_eq!(
        items(&crm, "messages", |m| m["message"]
            .as_str()
            .unwrap_or("")
            .contains(&id))
        .len(),
        1
    );
}
