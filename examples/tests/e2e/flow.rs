//! The happy paths of docs/protocol.md §5, every hop asserted: PBX simulated call → `history` push
//! → mapping → R1 → ROP scoring → W1/W2 → U5/U6/U7.

use crate::harness::{Stack, data, items};
use examples::{CallRecord, CallState, Generation};
use rop_analysis::{CallInfo, CompiledChecklist, CompiledTable, Transcript};
use rop_api::{CallReady, ChecklistResult, TableId};
use serde_json::{Value, json};

/// What ROP must send for the example transcript: scored locally with the same files.
fn expected() -> (ChecklistResult, std::collections::BTreeMap<String, String>) {
    let read = |n: &str| std::fs::read_to_string(data(n)).unwrap();
    let transcript = Transcript::parse(&read("transcript.txt")).unwrap();
    let w1 = CompiledChecklist::from_json(&read("checklist.json"))
        .unwrap()
        .score_call(&transcript, CallInfo::new("x", "y"));
    let w2 = CompiledTable::from_json(&read("table.json"))
        .unwrap()
        .extract(&transcript);
    (w1, w2)
}

/// Asserts every hop of one analysed call and answers the failed stages' names.
async fn assert_full_flow(s: &Stack, id: &str, record_url: &str, rec: &CallRecord) {
    let (want_w1, want_w2) = expected();

    // Hop 2: the CRM mapped PBX user `admin` to manager 72 and the client's phone to deal 199
    // (client 8 of the CRM's U2 data; their deal in U3).
    assert_eq!(rec.state, CallState::WrittenBack, "{rec:#?}");
    assert_eq!(rec.manager_id.as_deref(), Some("72"));
    assert_eq!(rec.deal_id.as_deref(), Some("199"));
    assert_eq!(rec.call.recording.as_deref(), Some(record_url));
    assert_eq!(rec.upload_attempts, 1);

    // Hop 3: R1 reached ROP with exactly that data; ROP fetched and checked the recording.
    let rop = s.rop_call(id).await;
    assert_eq!(rop["call"]["call_id"], id);
    assert_eq!(rop["call"]["manager_id"], "72");
    assert_eq!(rop["call"]["deal_id"], "199");
    assert_eq!(rop["call"]["audio_url"], record_url);
    assert_eq!(rop["stage"], "ready", "{rop:#}");
    assert_eq!(rop["audio"]["format"], "wav");
    assert!(
        rop["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["delivered"] == true)
    );

    // Hop 4: W1 and W2 arrived at the CRM as ROP computed them, and as the scoring core scores
    // the transcript.
    assert_eq!(rec.checklists.len(), 1);
    let got = &rec.checklists[0];
    assert_eq!(serde_json::to_value(got).unwrap(), rop["checklists"][0]);
    assert_eq!(got.call_id.as_str(), id);
    assert_eq!(got.manager_id.as_str(), "72");
    assert_eq!(
        (got.total_score, got.max_score, got.completion_percentage),
        (
            want_w1.total_score,
            want_w1.max_score,
            want_w1.completion_percentage
        )
    );
    assert_eq!(got.stages.len(), want_w1.stages.len());
    for (g, w) in got.stages.iter().zip(&want_w1.stages) {
        assert_eq!(
            (&g.stage_id, g.score, &g.status, g.percentage, &g.quote),
            (&w.stage_id, w.score, &w.status, w.percentage, &w.quote)
        );
    }
    assert_eq!(rec.tables.get("TBL_EXAMPLE"), Some(&want_w2));
    // R5 agrees with W2.
    let ready = s
        .rop()
        .call_ready(&TableId::from("TBL_EXAMPLE"), &id.into())
        .await
        .unwrap();
    assert_eq!(ready, CallReady::Ready(want_w2.clone()));

    // Hop 5: one comment with the score, one task per failed stage, the call itself.
    let crm = s.crm_state().await;
    let of_call = |v: &Value, key: &str| v[key].as_str().is_some_and(|t| t.contains(id));
    let messages = items(&crm, "messages", |m| of_call(m, "message"));
    assert_eq!(messages.len(), 1, "{crm:#}");
    assert_eq!(messages[0]["leadId"], "199");
    let score = format!(
        "{} из {} ({}%)",
        want_w1.total_score, want_w1.max_score, want_w1.completion_percentage
    );
    assert!(
        messages[0]["message"].as_str().unwrap().contains(&score),
        "{}",
        messages[0]
    );
    let failed: Vec<_> = want_w1.stages.iter().filter(|s| s.score < 0).collect();
    assert!(
        !failed.is_empty(),
        "the example transcript fails some stages"
    );
    let tasks = items(&crm, "tasks", |t| of_call(t, "text"));
    assert_eq!(tasks.len(), failed.len(), "{crm:#}");
    for stage in failed {
        assert!(
            tasks.iter().any(|t| t["element_id"] == "199"
                && t["text"].as_str().unwrap().contains(&stage.stage_name)
                && t["deadline"].is_string()),
            "no task for {}: {tasks:#?}",
            stage.stage_name
        );
    }
    let calls = items(&crm, "calls", |c| c["id"] == id);
    assert_eq!(calls.len(), 1, "{crm:#}");
    assert_eq!(calls[0]["order_id"], "199");
    assert_eq!(calls[0]["status"], "ANSWER");
    assert_eq!(calls[0]["file_url"], record_url);
    assert_eq!(calls[0]["duration"], json!(30));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v1_call_goes_from_pbx_through_rop_back_into_the_crm() {
    let s = Stack::start().await;
    let (id, record) = s
        .simulate(json!({"user": "admin", "phone": "79234102993", "duration": 30}))
        .await;
    let rec = s.analysed(&id).await;

    // Hop 1: the PBX's v1 pushes reached the CRM and carried the call as the PBX recorded it.
    assert_eq!(rec.call.generation, Generation::V1);
    assert_eq!(rec.call.user, "admin");
    assert_eq!(rec.call.ext.as_deref(), Some("701"));
    assert_eq!(rec.call.phone, "79234102993");
    assert_eq!(rec.call.duration, 30);
    assert!(rec.call.start.is_some());
    let sims = s.admin(&s.mocks.pbx_url(), "calls").await;
    let sim = sims["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["callid"] == id.as_str())
        .unwrap();
    assert!(
        sim["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|st| st["ok"] == true),
        "{sim:#}"
    );
    assert!(s.crm.stats().events >= 2, "event pushes counted");
    // The CRM answered `contact` from its U2/U3 data: the client and the PBX login of the
    // manager of their deal (199, manager 73 = `director`).
    let contact = sim["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|st| st["cmd"] == "contact")
        .unwrap();
    assert_eq!(
        contact["detail"],
        json!({"contact_name": "Иванова Марина Владимировна", "responsible": "director"})
    );

    assert_full_flow(&s, &id, &record, &rec).await;
    let stats = s.crm.stats();
    assert_eq!((stats.uploads_accepted, stats.checklist_results), (1, 1));
    assert_eq!(stats.table_results, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_call_goes_from_pbx_through_rop_back_into_the_crm() {
    let s = Stack::start().await;
    // A legacy PBX pushes to the URL the CRM registered at login (L1).
    s.legacy_login().await;
    let (id, record) = s
        .simulate(json!({"user": "admin", "phone": "79234102993", "duration": 30, "push_format": "legacy"}))
        .await;
    let rec = s.analysed(&id).await;

    assert_eq!(rec.call.generation, Generation::Legacy);
    assert_eq!(rec.call.user, "admin");
    assert_eq!(rec.call.phone, "79234102993");
    assert_eq!(rec.call.duration, 30);
    assert_eq!(rec.call.status, None, "legacy history has no status");
    assert_full_flow(&s, &id, &record, &rec).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missed_call_is_written_to_the_crm_without_analysis() {
    let s = Stack::start().await;
    let (id, record) = s
        .simulate(json!({"user": "admin", "phone": "79234102993", "outcome": "missed"}))
        .await;
    assert!(record.is_empty());
    let rec = s.settled(&id).await;
    assert!(
        matches!(&rec.state, CallState::NotAnalysed(why) if why.contains("not answered")),
        "{rec:#?}"
    );
    assert_eq!(rec.upload_attempts, 0);
    // ROP never heard of it.
    let resp = s
        .http
        .get(format!("{}/__admin/calls/{id}", s.mocks.rop_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let crm = s.crm_state().await;
    let calls = items(&crm, "calls", |c| c["id"] == id.as_str());
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["status"], "NOANSWER");
    assert_eq!(calls[0]["order_id"], "199");
    assert!(
        items(&crm, "messages", |m| m["message"]
            .as_str()
            .unwrap_or("")
            .contains(&id))
        .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_from_an_unknown_phone_opens_a_deal_and_gets_scored_on_it() {
    let s = Stack::start().await;
    let (id, _) = s
        .simulate(json!({"user": "user1", "phone": "79990001122", "duration": 30}))
        .await;
    let rec = s.analysed(&id).await;
    assert_eq!(rec.state, CallState::WrittenBack, "{rec:#?}");
    assert_eq!(rec.manager_id.as_deref(), Some("74"));
    let deal = rec.deal_id.clone().unwrap();
    assert_eq!(rec.written.lead.as_deref(), Some(deal.as_str()));
    let crm = s.crm_state().await;
    let leads = items(&crm, "leads", |l| l["phone"] == "79990001122");
    assert_eq!(leads.len(), 1, "{crm:#}");
    assert_eq!(leads[0]["id_in_crm"], deal.as_str());
    assert_eq!(leads[0]["manager_id"], "74");
    assert_eq!(
        items(&crm, "messages", |m| m["leadId"] == deal.as_str()).len(),
        1
    );
    assert_eq!(s.rop_call(&id).await["call"]["deal_id"], deal.as_str());
}
