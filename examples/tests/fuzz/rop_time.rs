//! ROP's time readers and writers, reached the way a user reaches them: through W2's
//! `timestamp` and `processing_time` fields (the crate keeps the functions private).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::time::Duration;

fn table(field: &str, value: Value) -> Option<rop_api::TableResult> {
    let mut v = json!({"call_id": "c", "table_id": "t", "extracted_data": {}});
    v[field] = value;
    serde_json::from_value(v).ok()
}

fn written(t: &rop_api::TableResult, field: &str) -> Option<String> {
    serde_json::to_value(t).ok()?[field]
        .as_str()
        .map(str::to_owned)
}

/// How ROP reads `text` as a timestamp.
pub(crate) fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    table("timestamp", json!(text))?.timestamp
}

/// How ROP writes a timestamp.
pub(crate) fn format_timestamp(t: &DateTime<Utc>) -> String {
    let mut r = table("timestamp", Value::Null).unwrap_or_else(|| unreachable!());
    r.timestamp = Some(*t);
    written(&r, "timestamp").unwrap_or_default()
}

/// How ROP reads `text` as `processing_time`.
pub(crate) fn parse_hms(text: &str) -> Option<Duration> {
    table("processing_time", json!(text))?.processing_time
}

/// How ROP writes `processing_time`.
pub(crate) fn format_hms(d: &Duration) -> String {
    let mut r = table("processing_time", Value::Null).unwrap_or_else(|| unreachable!());
    r.processing_time = Some(*d);
    written(&r, "processing_time").unwrap_or_default()
}

#[test]
fn the_helpers_reach_rops_readers_and_writers() {
    let t = parse_timestamp("2025-09-17 14:30:00").unwrap();
    assert_eq!(format_timestamp(&t), "2025-09-17T14:30:00Z");
    let d = parse_hms("01:02:03").unwrap();
    assert_eq!((d.as_secs(), format_hms(&d).as_str()), (3723, "01:02:03"));
}
