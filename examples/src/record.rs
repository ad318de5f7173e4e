//! What the example CRM keeps per call: [`PbxCall`] (the PBX's `history`, either generation),
//! [`CallRecord`] with its [`CallState`], and the [`Stats`] counters.

use chrono::{DateTime, Utc};
use rop_api::ChecklistResult;
use serde::Serialize;
use std::collections::BTreeMap;
use vats_api::{CallStatus, Direction};

/// Which PBX API generation a call came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Generation {
    /// `/crmapi/v1` JSON pushes (V1).
    V1,
    /// Legacy `*.wcgp` form pushes (L7).
    Legacy,
}

/// A finished call as the PBX reported it in `history` (V1 or L7), in one shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PbxCall {
    /// The PBX generation that pushed it.
    pub generation: Generation,
    /// The PBX call id; also the call id sent to ROP.
    pub call_id: String,
    /// `in` or `out`.
    pub direction: Direction,
    /// The PBX user (login) who talked.
    pub user: String,
    /// The user's extension (v1 only).
    pub ext: Option<String>,
    /// The client's phone.
    pub phone: String,
    /// When the call started (v1 only).
    pub start: Option<DateTime<Utc>>,
    /// Duration in seconds.
    pub duration: u32,
    /// The PBX status (v1 only; legacy pushes history for answered calls).
    pub status: Option<CallStatus>,
    /// The recording to analyse (the first link).
    pub recording: Option<String>,
}

impl PbxCall {
    /// Whether the call was answered (v1 `Success`; legacy: always, it has no status).
    pub fn answered(&self) -> bool {
        self.status
            .as_ref()
            .is_none_or(|s| matches!(s, CallStatus::Success))
    }

    /// U7's status for this call.
    pub fn universe_status(&self) -> universe_api::CallStatus {
        use universe_api::CallStatus as U;
        match &self.status {
            None | Some(CallStatus::Success) => U::Answer,
            Some(CallStatus::Missed) => U::NoAnswer,
            Some(CallStatus::Busy) => U::Busy,
            Some(CallStatus::Cancel) => U::Cancel,
            Some(CallStatus::NotAvailable) => U::ChanUnavail,
            Some(CallStatus::NotAllowed) => U::DontCall,
            Some(other) => U::Other(other.as_str().to_ascii_uppercase()),
        }
    }
}

impl From<vats_api::v1::push::HistoryPush> for PbxCall {
    fn from(p: vats_api::v1::push::HistoryPush) -> Self {
        let recording = p.recording().map(str::to_owned);
        Self {
            generation: Generation::V1,
            call_id: p.callid.into_string(),
            direction: p.direction,
            user: p.user,
            ext: p.ext,
            phone: p.phone.into_string(),
            start: Some(p.start),
            duration: p.duration,
            status: Some(p.status),
            recording,
        }
    }
}

impl From<vats_api::legacy::HistoryPush> for PbxCall {
    fn from(p: vats_api::legacy::HistoryPush) -> Self {
        let recording = p.recording().map(str::to_owned);
        Self {
            generation: Generation::Legacy,
            call_id: p.callid.into_string(),
            direction: p.direction,
            user: p.user,
            ext: None,
            phone: p.phone.into_string(),
            start: None,
            duration: p.duration,
            status: None,
            recording,
        }
    }
}

/// Where a call is in the bridge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "reason", rename_all = "snake_case")]
pub enum CallState {
    /// The push arrived; the background work has not finished mapping it.
    Received,
    /// R1 is being sent (or retried after a transient failure).
    Uploading,
    /// ROP accepted R1 and queued the call.
    Queued,
    /// ROP answered 409: it already has this call id (sent earlier, e.g. before a restart).
    AlreadyQueued,
    /// ROP refused the call for good (4xx: not audio, bad field): the reason.
    Rejected(String),
    /// Not sent to ROP (missed call, no recording, unknown manager): why.
    NotAnalysed(String),
    /// A checklist result arrived and is being written back.
    Scored,
    /// The score, tasks and call are written to the CRM.
    WrittenBack,
    /// Gave up (transient failures outlasted the retries, or the write-back failed): why.
    Failed(String),
}

/// What the bridge wrote to the CRM for a call (ids the CRM answered).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WriteBack {
    /// U5 comment per checklist (key: checklist name).
    pub messages: BTreeMap<String, String>,
    /// U6 task per failed stage (key: checklist name and stage id or name).
    pub tasks: BTreeMap<String, String>,
    /// U7 call record.
    pub call: Option<String>,
    /// U4 deal created for an unknown phone.
    pub lead: Option<String>,
}

/// Everything the bridge knows about one call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallRecord {
    /// The PBX's report.
    pub call: PbxCall,
    /// The CRM manager the PBX user maps to.
    pub manager_id: Option<String>,
    /// The CRM deal the call belongs to.
    pub deal_id: Option<String>,
    /// Where the call is.
    pub state: CallState,
    /// R1 rounds sent (each with the client's own retries inside).
    pub upload_attempts: u32,
    /// Checklist results (W1) received.
    pub checklists: Vec<ChecklistResult>,
    /// Table results (W2) received: table id → extracted data.
    pub tables: BTreeMap<String, BTreeMap<String, String>>,
    /// What was written back to the CRM.
    pub written: WriteBack,
}

impl CallRecord {
    /// A record for a call that just arrived.
    pub fn new(call: PbxCall) -> Self {
        Self {
            call,
            manager_id: None,
            deal_id: None,
            state: CallState::Received,
            upload_attempts: 0,
            checklists: Vec::new(),
            tables: BTreeMap::new(),
            written: WriteBack::default(),
        }
    }

    /// Whether the bridge is done with the call (written back, refused or given up).
    pub fn is_settled(&self) -> bool {
        matches!(
            self.state,
            CallState::WrittenBack
                | CallState::Rejected(_)
                | CallState::NotAnalysed(_)
                | CallState::Failed(_)
        )
    }
}

/// Counters of what reached the CRM's logic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// `history` pushes accepted (both generations).
    pub history_pushes: u64,
    /// `history` pushes for a call already known (redeliveries), ignored.
    pub duplicate_pushes: u64,
    /// `event` pushes.
    pub events: u64,
    /// R1 rounds sent.
    pub upload_rounds: u64,
    /// R1 accepted (200).
    pub uploads_accepted: u64,
    /// W1 results that reached the write-back logic.
    pub checklist_results: u64,
    /// W2 results stored.
    pub table_results: u64,
    /// W1/W2 redeliveries answered as duplicates.
    pub duplicate_results: u64,
    /// U5 comments written.
    pub messages: u64,
    /// U6 tasks written.
    pub tasks: u64,
    /// U7 calls written.
    pub calls_written: u64,
    /// U4 leads created.
    pub leads: u64,
}
