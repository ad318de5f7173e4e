//! The loop of docs/protocol.md §5 across the three services: a simulated call reaches the CRM's
//! sink; its recording uploaded to the ROP produces W1 and W2 at the sink with the scores the
//! checklist implies.

use mock_server::{Config, PushFormat};
use rop_analysis::{CallInfo, CompiledChecklist, Transcript};
use rop_api::CallUpload;
use serde_json::{Value, json};

use crate::support::{get_json, post_json, rop_client, start, start_with, wait_for};

fn expected_w1(call_id: &str) -> rop_api::ChecklistResult {
    let checklist =
        CompiledChecklist::from_json(include_str!("../../data/checklist_realty.json")).unwrap();
    let transcript = Transcript::parse(include_str!("../../data/transcript_realty.json")).unwrap();
    checklist.score_call(&transcript, CallInfo::new(call_id, "72"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulated_call_reaches_the_crm_sink_in_v1_form() {
    let m = start().await;
    let (status, sim) = post_json(
        &format!("{}/__admin/calls/simulate", m.pbx_url()),
        &json!({"rating": 5}),
    )
    .await;
    assert_eq!(status, 202, "{sim}");
    let callid = sim["callid"].as_str().unwrap().to_owned();
    let sinks = wait_for(&format!("{}/__admin/sinks", m.crm_url()), |s| {
        s["vats_v1"]
            .as_array()
            .is_some_and(|l| l.iter().any(|r| r["kind"] == "rating"))
    })
    .await;
    let kinds: Vec<&str> = sinks["vats_v1"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["event", "contact", "event", "event", "history", "rating"]
    );
    assert_eq!(sinks["vats_v1"][5]["payload"]["rating"], 5);
    let history = &sinks["vats_v1"][4]["payload"];
    assert_eq!(history["callid"], callid.as_str());
    assert_eq!(history["link"], sim["record"]);
    assert_eq!(
        sinks["vats_v1"][1]["payload"]["answer"]["contact_name"],
        "Иванова Марина Владимировна"
    );

    let calls = wait_for(&format!("{}/__admin/calls", m.pbx_url()), |c| {
        c["items"][0]["done"] == true
    })
    .await;
    assert!(
        calls["items"][0]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["ok"] == true),
        "{calls}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missed_call_in_legacy_form_has_no_recording() {
    let mut config = Config::ephemeral();
    config.pbx.push_format = PushFormat::Legacy;
    let m = start_with(config).await;
    let (status, sim) = post_json(
        &format!("{}/__admin/calls/simulate", m.pbx_url()),
        &json!({"outcome": "missed", "phone": "79008003396"}),
    )
    .await;
    assert_eq!(status, 202, "{sim}");
    assert!(sim["record"].is_null(), "{sim}");
    let sinks = wait_for(&format!("{}/__admin/sinks", m.crm_url()), |s| {
        s["vats_legacy"]
            .as_array()
            .is_some_and(|l| l.iter().any(|r| r["kind"] == "history"))
    })
    .await;
    let kinds: Vec<&str> = sinks["vats_legacy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["users", "event", "contact", "event", "history"]);
    assert_eq!(sinks["vats_legacy"][3]["payload"]["type"], "CANCELLED");
    let sims = wait_for(&format!("{}/__admin/calls", m.pbx_url()), |c| {
        c["items"][0]["done"] == true
    })
    .await;
    assert_eq!(
        sims["items"][0]["steps"][0]["detail"][0]["id"], "admin",
        "{sims}"
    );
    let (status, body) = post_json(
        &format!("{}/__admin/calls/simulate", m.pbx_url()),
        &json!({"outcome": "exploded"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().starts_with("outcome"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploaded_recording_produces_w1_and_w2_with_the_checklists_scores() {
    let m = start().await;
    let (_, sim) = post_json(
        &format!("{}/__admin/calls/simulate", m.pbx_url()),
        &json!({"format": "mp3"}),
    )
    .await;
    let record = sim["record"].as_str().unwrap();
    rop_client(&m)
        .upload_call(&CallUpload::new("flow-1", "72", record.parse().unwrap()))
        .await
        .unwrap();
    let sinks = wait_for(&format!("{}/__admin/sinks", m.crm_url()), |s| {
        !s["checklists"].as_array().unwrap().is_empty()
            && !s["tables"].as_array().unwrap().is_empty()
    })
    .await;
    let w1: rop_api::ChecklistResult =
        serde_json::from_value(sinks["checklists"][0]["payload"].clone()).unwrap();
    let want = expected_w1("flow-1");
    assert_eq!(
        (w1.total_score, w1.max_score, w1.completion_percentage),
        (6, 8, 75)
    );
    assert_eq!(
        (w1.total_score, w1.max_score, w1.completion_percentage),
        (want.total_score, want.max_score, want.completion_percentage)
    );
    let stages: Vec<(String, i32)> = w1
        .stages
        .iter()
        .map(|s| (s.stage_name.clone(), s.score))
        .collect();
    let want_stages: Vec<(String, i32)> = want
        .stages
        .iter()
        .map(|s| (s.stage_name.clone(), s.score))
        .collect();
    assert_eq!(stages, want_stages);
    assert_eq!(w1.call_id.as_str(), "flow-1");

    let w2: Value = sinks["tables"][0]["payload"].clone();
    assert_eq!(w2["table_id"], "TBL_REALTY_CALL");
    assert_eq!(w2["extracted_data"]["budget_range"], "5-7 млн руб");
    assert_eq!(w2["extracted_data"]["phone"], "79215551234");

    let call = get_json(&format!("{}/__admin/calls/flow-1", m.rop_url())).await;
    assert_eq!(call["audio"]["format"], "mp3");
    let deliveries = call["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 2);
    assert!(deliveries.iter().all(|d| d["delivered"] == true), "{call}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_webhook_delivery_is_reported_with_the_status() {
    let m = start().await;
    assert_eq!(
        m.sink_url(mock_server::SinkPaths::ROP_TABLE),
        format!("{}/hooks/rop/table", m.crm_url())
    );
    let (_, rule) = post_json(
        &format!("{}/__admin/faults", m.crm_url()),
        &json!({"path": "/hooks/rop/*", "status": 400}),
    )
    .await;
    assert_eq!(rule["status"], 400);
    let (_, sim) = post_json(
        &format!("{}/__admin/calls/simulate", m.pbx_url()),
        &json!({}),
    )
    .await;
    rop_client(&m)
        .upload_call(&CallUpload::new(
            "undelivered",
            "72",
            sim["record"].as_str().unwrap().parse().unwrap(),
        ))
        .await
        .unwrap();
    let call = wait_for(&format!("{}/__admin/calls/undelivered", m.rop_url()), |c| {
        c["deliveries"].as_array().is_some_and(|d| d.len() == 2)
    })
    .await;
    for d in call["deliveries"].as_array().unwrap() {
        assert_eq!(d["delivered"], false);
        assert_eq!(d["status"], 400);
        assert_eq!(d["attempts"], 1);
    }
}

#[test]
fn the_loop_works_while_the_runtime_that_started_the_services_is_idle() {
    let starter = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let m = starter
        .block_on(mock_server::MockServers::start(Config::ephemeral()))
        .unwrap();
    // `starter` is never driven again; the test talks to the services from another runtime.
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    client.block_on(async {
        let (_, sim) = post_json(
            &format!("{}/__admin/calls/simulate", m.pbx_url()),
            &json!({}),
        )
        .await;
        rop_client(&m)
            .upload_call(&CallUpload::new(
                "idle-1",
                "72",
                sim["record"].as_str().unwrap().parse().unwrap(),
            ))
            .await
            .unwrap();
        wait_for(&format!("{}/__admin/sinks", m.crm_url()), |s| {
            s["checklists"].as_array().is_some_and(|l| !l.is_empty())
                && s["vats_v1"]
                    .as_array()
                    .is_some_and(|l| l.iter().any(|r| r["kind"] == "history"))
        })
        .await;
    });
    drop(m);
}
