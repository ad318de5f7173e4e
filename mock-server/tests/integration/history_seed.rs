//! A fresh mock PBX has calls in every period of its history, dated from its start.

use mock_server::{Config, HistorySeed};
use serde_json::Value;
use vats_api::v1::{HistoryQuery, HistoryType, InnerHistoryQuery, Period};

use crate::support::{pbx_client, start, start_with};

/// `GET /crmapi/v1/<path>` with the key, as a client without our crate would send it.
async fn raw(m: &mock_server::MockServers, path_and_query: &str) -> Value {
    let resp = crate::support::http()
        .get(format!("{}{path_and_query}", m.pbx_api_url()))
        .header("X-API-KEY", mock_server::DEFAULT_VATS_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{path_and_query}");
    resp.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_mock_answers_history_without_parameters_today_and_this_month() {
    let m = start().await;
    for q in [
        "history/json",
        "history/json?period=today",
        "history/json?period=yesterday",
        "history/json?period=this_week",
        "history/json?period=this_month",
        "history/json?period=last_month",
        "history/json?period=today&type=missed",
        "history/inner/json",
    ] {
        let calls = raw(&m, q).await;
        let n = calls.as_array().map_or(0, Vec::len);
        assert!(n > 0, "{q}: {calls}");
    }
    let today = raw(&m, "history/json").await;
    let today = today.as_array().unwrap();
    assert!(today.len() >= 6, "{today:?}");
    let now = chrono::Utc::now();
    for call in today {
        let start: chrono::DateTime<chrono::Utc> = call["start"].as_str().unwrap().parse().unwrap();
        assert_eq!(start.date_naive(), now.date_naive(), "{call}");
        assert!(start <= now, "{call}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeded_month_has_answered_and_missed_calls_in_and_out_with_recordings() {
    let m = start().await;
    let pbx = pbx_client(&m);
    let month = pbx
        .history_json(&HistoryQuery::new().period(Period::ThisMonth))
        .await
        .unwrap();
    let last = pbx
        .history_json(&HistoryQuery::new().period(Period::LastMonth))
        .await
        .unwrap();
    let csv = pbx
        .history_csv(&HistoryQuery::new().period(Period::ThisMonth))
        .await
        .unwrap();
    assert_eq!(csv.len(), month.len());
    let all: Vec<_> = month.iter().chain(&last).collect();
    let kind = |k: HistoryType| all.iter().filter(|h| vats_api_kind(h) == k).count();
    assert!(
        kind(HistoryType::In) > 0 && kind(HistoryType::Out) > 0 && kind(HistoryType::Missed) > 0
    );
    // The vendor document's answered call keeps its recording id.
    let doc = month
        .iter()
        .find(|h| h.uid.as_str() == "1755936870")
        .unwrap();
    assert!(
        doc.record
            .as_deref()
            .is_some_and(|r| r.ends_with("/records/1755936870.mp3")),
        "{:?}",
        doc.record
    );
    // Every answered call has a recording the PBX serves.
    for h in month
        .iter()
        .filter(|h| h.status == vats_api::CallStatus::Success)
        .take(4)
    {
        let record = h
            .record
            .as_deref()
            .expect("an answered call has a recording");
        let bytes = pbx.download_record(record).await.unwrap();
        assert!(rop_api::audio::detect_format(&bytes).is_some(), "{record}");
    }
    let inner = pbx
        .inner_history_json(&InnerHistoryQuery::new().period(Period::Today))
        .await
        .unwrap();
    assert!(inner.iter().any(|h| h.uid.as_str() == "4000000001"));
}

fn vats_api_kind(h: &vats_api::v1::HistoryRecord) -> HistoryType {
    if h.direction == vats_api::Direction::Out {
        HistoryType::Out
    } else if h.status == vats_api::CallStatus::Success {
        HistoryType::In
    } else {
        HistoryType::Missed
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_switch_keeps_the_fixed_dates_and_today_is_empty() {
    let mut config = Config::ephemeral();
    config.pbx.history_seed = HistorySeed::Document;
    let m = start_with(config).await;
    assert_eq!(raw(&m, "history/json").await, serde_json::json!([]));
    let day = raw(
        &m,
        "history/json?start=2022-01-20T00:00:00Z&end=2022-01-21T00:00:00Z",
    )
    .await;
    assert_eq!(day.as_array().unwrap().len(), 2);
}
