//! Every vendor-document example decodes into its type and re-encodes to the canonical form.

use crate::fixture;
use rop_api::{
    CallId, CallReady, CallUpload, ChecklistResult, Envelope, ManagersUpdate, OfficesUpdate,
    StageStatus, TableResult,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn round_trip<T: DeserializeOwned + Serialize>(name: &str) -> (T, Value) {
    let original = fixture(name);
    let decoded: T = serde_json::from_value(original.clone())
        .unwrap_or_else(|e| panic!("{name} does not decode: {e}"));
    let encoded = serde_json::to_value(&decoded).unwrap();
    (decoded, encoded)
}

/// Fixtures in the full form re-encode to exactly themselves.
fn exact<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let (decoded, encoded) = round_trip::<T>(name);
    assert_eq!(
        encoded,
        fixture(name),
        "{name} does not re-encode to itself"
    );
    decoded
}

#[test]
fn r1_and_r2_requests_of_both_seeds_round_trip() {
    let c: CallUpload = exact("r1_request_000.json");
    assert_eq!(c.deal_stage_id.unwrap().as_str(), "stage_123");
    let c: CallUpload = exact("r1_request_001_form.json");
    assert_eq!(c.call_id.as_str(), "call_12345_20250619");
    let c: CallUpload = exact("r1_request_001_python.json");
    assert!(
        c.deal_stage_id.is_none(),
        "001's Python example omits deal_stage_id"
    );
    let c: CallUpload = exact("r2_request_001.json");
    assert_eq!(c.duration, Some(900));
    assert!(c.validate().is_ok());
}

#[test]
fn envelopes_of_every_seed_answer_round_trip() {
    let ok: Envelope<CallId> = exact("r1_response_200.json");
    assert_eq!(ok.data.unwrap().as_str(), "call_12345_20250619");
    for name in [
        "r1_response_400_not_audio.json",
        "r1_response_401.json",
        "r1_response_409.json",
    ] {
        let e: Envelope<CallId> = exact(name);
        assert!(e.error && e.data.is_none(), "{name}");
    }
}

#[test]
fn r3_and_r4_requests_of_both_seeds_round_trip() {
    let o: OfficesUpdate = exact("r3_request_000.json");
    assert_eq!(o.offices[0].managers_ids.len(), 3);
    let o: OfficesUpdate = exact("r3_request_001.json");
    assert_eq!(o.offices[1].leader_ids[0].as_str(), "leader_789");
    let m: ManagersUpdate = exact("r4_request_000.json");
    assert_eq!(m.managers[0].middlename.as_deref(), Some("Иванович"));
    let m: ManagersUpdate = exact("r4_request_001.json");
    assert_eq!(m.managers[1].surname, "Петрова");
}

#[test]
fn r5_answers_round_trip() {
    let r: CallReady = exact("r5_response_ready_000.json");
    assert_eq!(r.data().unwrap()["field2"], "значение2");
    let r: CallReady = exact("r5_response_ready_001.json");
    assert_eq!(r.data().unwrap()["custom_field"], "результат анализа");
    let r: CallReady = exact("r5_response_not_ready.json");
    assert_eq!(r, CallReady::NotReady);
}

#[test]
fn w1_full_form_round_trips_exactly() {
    let w: ChecklistResult = exact("w1_001.json");
    assert_eq!(w.completion_percentage, 90);
    assert_eq!(w.stages[1].status, Some(StageStatus::Failed));
    assert_eq!(
        w.timestamp.unwrap().to_rfc3339(),
        "2025-09-17T14:30:00+00:00"
    );
}

#[test]
fn w1_short_form_reads_and_writes_the_full_form() {
    let (w, encoded) = round_trip::<ChecklistResult>("w1_000.json");
    assert_eq!(
        (w.total_score, w.max_score, w.completion_percentage),
        (18, 20, 90)
    );
    assert!(w.checklist_name.is_none() && w.timestamp.is_none());
    // The writer adds the computed percentage and keeps everything else.
    let mut expected = fixture("w1_000.json");
    expected["completion_percentage"] = json!(90);
    assert_eq!(encoded, expected);
}

#[test]
fn w2_both_forms_round_trip() {
    let w: TableResult = exact("w2_001.json");
    assert_eq!(w.processing_time.unwrap().as_secs(), 155);
    let w: TableResult = exact("w2_000.json");
    assert!(w.table_name.is_none() && w.processing_time.is_none());
    assert_eq!(w.extracted_data["budget"], "5-7 млн руб");
}

#[test]
fn unix_timestamps_and_numeric_strings_are_read() {
    let mut v = fixture("w1_001.json");
    v["timestamp"] = json!("1758119400");
    v["total_score"] = json!("18");
    v["stages"][0]["status"] = json!("COMPLETED");
    let w: ChecklistResult = serde_json::from_value(v).unwrap();
    assert_eq!(serde_json::to_value(&w).unwrap(), fixture("w1_001.json"));
}
