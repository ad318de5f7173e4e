//! The W1 arithmetic of docs/protocol.md §1: verdicts → [`ChecklistResult`].
//!
//! A counted stage passes (`score` 1, `completed`) or fails (`score` -1, `failed`);
//! `max_score` = Σ weights of counted stages; `total_score` = Σ weights of passed stages;
//! `completion_percentage` = round(100 × total / max), or 0 when a critical stage failed.
//! N/A and undecided stages are left out of `stages` and of both totals.

use crate::checklist::Checklist;
use crate::evaluator::StageVerdict;
use chrono::{DateTime, Utc};
use rop_api::{CallId, ChecklistResult, ManagerId, StageResult, StageStatus};

/// Who and when: the parts of W1 that do not come from the transcript's words.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CallInfo {
    /// The CRM's call id.
    pub call_id: CallId,
    /// The CRM's manager id.
    pub manager_id: ManagerId,
    /// When the analysis finished; `None` keeps the result deterministic (the core reads no clock).
    pub timestamp: Option<DateTime<Utc>>,
}

impl CallInfo {
    /// Call and manager ids, no timestamp.
    pub fn new(call_id: impl Into<CallId>, manager_id: impl Into<ManagerId>) -> Self {
        Self {
            call_id: call_id.into(),
            manager_id: manager_id.into(),
            timestamp: None,
        }
    }

    /// The same with a timestamp.
    #[must_use]
    pub fn at(mut self, timestamp: DateTime<Utc>) -> Self {
        self.timestamp = Some(timestamp);
        self
    }
}

/// Builds W1 from one verdict per stage (matched by stage id; stages without a verdict are
/// left out), in the checklist's stage order.
///
/// ```
/// use rop_analysis::{CallInfo, Checklist, DecidedBy, Score, StageVerdict, checklist_result};
/// let checklist = Checklist::from_json(r#"{"name": "CL", "stages": [
///     {"id": "A", "name": "a", "weight": 18, "prompt": "…"},
///     {"id": "B", "name": "b", "weight": 2, "prompt": "…"}]}"#)?;
/// let verdict = |id: &str, passed: bool| {
///     StageVerdict::scored(id.into(), DecidedBy::Llm, Score::new(passed, 100 * u32::from(passed)), "")
/// };
/// let w1 = checklist_result(&checklist, &[verdict("A", true), verdict("B", false)], CallInfo::new("c1", "m1"));
/// assert_eq!((w1.total_score, w1.max_score, w1.completion_percentage), (18, 20, 90));
/// # Ok::<(), rop_analysis::Error>(())
/// ```
pub fn checklist_result(
    checklist: &Checklist,
    verdicts: &[StageVerdict],
    call: CallInfo,
) -> ChecklistResult {
    let mut stages = Vec::with_capacity(checklist.stages.len());
    let (mut total, mut max) = (0i64, 0i64);
    let mut critical_failed = false;
    for (i, stage) in checklist.stages.iter().enumerate() {
        // Verdicts normally come in stage order; fall back to a search by id.
        let verdict = verdicts
            .get(i)
            .filter(|v| v.stage_id == stage.id)
            .or_else(|| verdicts.iter().find(|v| v.stage_id == stage.id));
        let Some((v, score)) = verdict.and_then(|v| Some((v, v.score()?))) else {
            continue;
        };
        let weight = i64::from(stage.weight);
        max += weight;
        if score.passed() {
            total += weight;
        } else if stage.critical {
            critical_failed = true;
        }
        stages.push(StageResult {
            stage_id: Some(stage.id.clone()),
            stage_name: stage.name.clone(),
            score: if score.passed() { 1 } else { -1 },
            percentage: Some(score.percentage()),
            status: Some(if score.passed() {
                StageStatus::Completed
            } else {
                StageStatus::Failed
            }),
            comment: v.comment.clone(),
            quote: score.quote().to_owned(),
        });
    }
    let completion_percentage = if critical_failed {
        0
    } else {
        ChecklistResult::percentage_of(total, max)
    };
    ChecklistResult {
        call_id: call.call_id,
        manager_id: call.manager_id,
        checklist_name: Some(checklist.name.clone()).filter(|n| !n.is_empty()),
        total_score: total,
        max_score: max,
        completion_percentage,
        stages,
        timestamp: call.timestamp,
    }
}
