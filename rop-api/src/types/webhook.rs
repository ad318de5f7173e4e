//! W1 (checklist result) and W2 (table result): what ROP POSTs to the CRM's webhook URLs.
//!
//! Readers accept the older ROP vendor document's short form (no `checklist_name`, `stage_id`, `percentage`, `status`,
//! `timestamp`, `table_name`, `processing_time`) and the ROP vendor document's full form; writers emit the full
//! form and skip absent optional fields.

use super::ids::{CallId, ManagerId, StageId, TableId};
use super::time::{opt_hms, opt_timestamp};
use super::wire::{string_map, text_or_empty};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// W1: the result of scoring one call against one checklist.
///
/// Deduplicate deliveries on (`call_id`, `checklist_name`): delivery is at least once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "ChecklistWire")]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ChecklistResult {
    /// The CRM's call id.
    pub call_id: CallId,
    /// The CRM's manager id.
    pub manager_id: ManagerId,
    /// The checklist's name (the ROP vendor document; absent in the older ROP vendor document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checklist_name: Option<String>,
    /// Sum of the weights of the passed stages.
    pub total_score: i64,
    /// Sum of the weights of all stages.
    pub max_score: i64,
    /// `round(100 × total / max)`; computed from the scores when a short-form payload omits it.
    pub completion_percentage: u32,
    /// Per-stage verdicts.
    pub stages: Vec<StageResult>,
    /// When the analysis finished (the ROP vendor document); written as RFC 3339 UTC.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_timestamp::serialize"
    )]
    pub timestamp: Option<DateTime<Utc>>,
}

impl ChecklistResult {
    /// `round(100 × total / max)`, clamped to 0–100; 0 when `max` is not positive.
    pub fn percentage_of(total: i64, max: i64) -> u32 {
        if max <= 0 {
            return 0;
        }
        let p = (total.max(0) as f64 * 100.0 / max as f64).round();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let p = p.clamp(0.0, 100.0) as u32; // clamped to 0..=100 just above
        p
    }
}

#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
struct ChecklistWire {
    call_id: CallId,
    manager_id: ManagerId,
    #[serde(default, deserialize_with = "http_plumbing::lenient::opt_string")]
    checklist_name: Option<String>,
    #[serde(default, deserialize_with = "http_plumbing::lenient::opt_from_str")]
    total_score: Option<i64>,
    #[serde(default, deserialize_with = "http_plumbing::lenient::opt_from_str")]
    max_score: Option<i64>,
    #[serde(default, deserialize_with = "http_plumbing::lenient::opt_from_str")]
    completion_percentage: Option<u32>,
    #[serde(default, deserialize_with = "nullable_vec")]
    stages: Vec<StageResult>,
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::timestamp")
    )]
    #[serde(default, with = "opt_timestamp")]
    timestamp: Option<DateTime<Utc>>,
}

fn nullable_vec<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

impl From<ChecklistWire> for ChecklistResult {
    fn from(w: ChecklistWire) -> Self {
        let passed = w.stages.iter().filter(|s| s.score > 0).count();
        let total_score = w.total_score.unwrap_or(passed as i64);
        let max_score = w.max_score.unwrap_or(w.stages.len() as i64);
        let completion_percentage = w
            .completion_percentage
            .unwrap_or_else(|| Self::percentage_of(total_score, max_score));
        Self {
            call_id: w.call_id,
            manager_id: w.manager_id,
            checklist_name: w.checklist_name,
            total_score,
            max_score,
            completion_percentage,
            stages: w.stages,
            timestamp: w.timestamp,
        }
    }
}

/// One stage's verdict inside a [`ChecklistResult`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct StageResult {
    /// The stage's id in ROP (the ROP vendor document).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage_id: Option<StageId>,
    /// The stage's name.
    #[serde(default, deserialize_with = "text_or_empty")]
    pub stage_name: String,
    /// `1` passed, `-1` failed.
    #[serde(deserialize_with = "http_plumbing::lenient::from_str")]
    pub score: i32,
    /// The evaluator's confidence that the stage was done, 0–100 (the ROP vendor document).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub percentage: Option<u32>,
    /// `completed` / `failed` (the ROP vendor document).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StageStatus>,
    /// The evaluator's explanation.
    #[serde(default, deserialize_with = "text_or_empty")]
    pub comment: String,
    /// A quote from the call supporting the verdict; empty when there is none.
    #[serde(default, deserialize_with = "text_or_empty")]
    pub quote: String,
}

http_plumbing::tolerant_enum! {
    /// A stage's status: read in any case, written lowercase; unknown values are kept.
    StageStatus {
        /// `completed`: the stage passed.
        Completed = "completed",
        /// `failed`: the stage failed.
        Failed = "failed",
    }
}

/// W2: the fields one analytics table extracted from one call.
///
/// Deduplicate deliveries on (`call_id`, `table_id`): delivery is at least once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct TableResult {
    /// The CRM's call id.
    pub call_id: CallId,
    /// The table's id in ROP.
    pub table_id: TableId,
    /// The table's name (the ROP vendor document).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub table_name: Option<String>,
    /// Field name → extracted value. Non-string values are kept as their text.
    #[serde(default, deserialize_with = "string_map")]
    pub extracted_data: BTreeMap<String, String>,
    /// How long the extraction took; wire `"HH:MM:SS"` (the ROP vendor document).
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::hms")
    )]
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_hms")]
    pub processing_time: Option<Duration>,
    /// When the extraction finished (the ROP vendor document); written as RFC 3339 UTC.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::timestamp")
    )]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "opt_timestamp"
    )]
    pub timestamp: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_checklist_gets_percentage_from_scores() {
        let c: ChecklistResult = serde_json::from_str(
            r#"{"call_id":"c","manager_id":12,"total_score":"18","max_score":20,
                "stages":[{"stage_name":"a","score":"-1","comment":null,"status":"FAILED"}]}"#,
        )
        .unwrap();
        assert_eq!(c.completion_percentage, 90);
        assert_eq!(c.manager_id.as_str(), "12");
        assert_eq!(c.stages[0].status, Some(StageStatus::Failed));
        assert_eq!(c.stages[0].quote, "");
        let out = serde_json::to_value(&c).unwrap();
        assert_eq!(out["stages"][0]["status"], "failed");
        assert!(out.get("timestamp").is_none());
    }

    #[test]
    fn unknown_status_is_kept() {
        let s: StageStatus = serde_json::from_str("\"Skipped\"").unwrap();
        assert_eq!(s, StageStatus::Other("Skipped".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"Skipped\"");
    }

    #[test]
    fn table_values_of_any_type_are_kept_as_text() {
        let t: TableResult = serde_json::from_str(
            r#"{"call_id":"c","table_id":"t","extracted_data":{"n":5,"b":true,"x":null,"l":[1]},
                "processing_time":"00:02:35","timestamp":1758119400}"#,
        )
        .unwrap();
        assert_eq!(t.extracted_data["n"], "5");
        assert_eq!(t.extracted_data["l"], "[1]");
        assert_eq!(t.extracted_data["x"], "");
        let out = serde_json::to_value(&t).unwrap();
        assert_eq!(out["processing_time"], "00:02:35");
        assert_eq!(out["timestamp"], "2025-09-17T14:30:00Z");
    }
}
