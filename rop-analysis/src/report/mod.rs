//! Reports: many scored calls (W1) aggregated over the CRM's org structure (R3 offices, R4
//! managers).
//!
//! [`Report::build`] is a pure function over data; [`Report::render_text`],
//! [`Report::to_json`] and [`Report::render_html`] present the same numbers three ways.
//!
//! Decisions (the vendor documents are silent on reports):
//! - **Duplicates**: webhook delivery is at least once, so results are deduplicated on
//!   (`call_id`, `checklist_name`); the *last* one in input order wins. The number dropped is
//!   reported.
//! - **Passed stage**: `status` `completed`; with no status (the short form of the ROP vendor document) or an unknown
//!   one, `score > 0`.
//! - **Stages** are keyed by (`checklist_name`, `stage_id`, or `stage_name` when there is no id);
//!   the first name seen is shown. A stage left out of a result (N/A) is not counted for that call.
//! - **Weakest stages**: up to three stages with the lowest pass rate below 100 %, ties broken by
//!   more judged calls, then by name.
//! - **Offices**: an office's members are its `managers_ids` and its `leader_ids`. A manager in
//!   several offices is counted in **each** of them, so office call counts may add up to more than
//!   the total. Offices are listed in input order (a repeated `office_id` replaces the earlier one,
//!   as R3's upsert does), including offices without calls.
//! - **Unassigned**: managers with results who are in no office form one last group whose
//!   `office_id` is `null` (title [`UNASSIGNED_TITLE`], «Без офиса»).
//! - **Period**: from the results' `timestamp`s, which `rop-analysis score` fills with the
//!   calls' own time (the transcript's `date`), never the day the report was built; results
//!   without one are counted in [`Report::undated`].
//! - **Drill-down**: [`Report::call_results`] keeps every counted result (stage verdicts,
//!   comments, quotes) for the HTML page's per-call section; it is not part of the JSON form.
//! - **Managers** are listed when they have at least one call: first in the order of the managers
//!   list, then managers unknown to it (named by their id, or [`NO_MANAGER_NAME`] when the
//!   id is empty) sorted by id.

mod html;
mod html_calls;
mod text;

use chrono::{DateTime, Utc};
use rop_api::{
    ChecklistResult, Manager, ManagerId, Office, OfficeId, StageId, StageResult, StageStatus,
};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};

/// How many weakest stages a [`Summary`] names.
pub const WEAKEST_STAGES: usize = 3;

/// The name shown for results whose `manager_id` is empty.
pub const NO_MANAGER_NAME: &str = "(без id менеджера)";

/// The title of the group of managers who belong to no office.
pub const UNASSIGNED_TITLE: &str = "Без офиса";

/// The aggregate of many scored calls: overall, per office and per manager.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// Results counted (after deduplication).
    pub calls: usize,
    /// Results dropped as repeated deliveries of the same (`call_id`, `checklist_name`).
    pub duplicates_dropped: usize,
    /// The earliest result timestamp, when any result has one.
    pub first_timestamp: Option<DateTime<Utc>>,
    /// The latest result timestamp, when any result has one.
    pub last_timestamp: Option<DateTime<Utc>>,
    /// Results without a timestamp (left out of the period).
    pub undated: usize,
    /// All calls together.
    pub overall: Summary,
    /// One entry per office, in input order; the unassigned group (if any) last.
    pub offices: Vec<OfficeReport>,
    /// One entry per manager with at least one call.
    pub managers: Vec<ManagerReport>,
    /// The counted results themselves (after deduplication, in input order), for the per-call
    /// drill-down of the HTML page. Not serialised: the JSON form is the aggregates.
    #[serde(skip)]
    pub call_results: Vec<ChecklistResult>,
}

/// The numbers of one group of calls.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// How many calls (results) the group has.
    pub calls: usize,
    /// Mean `completion_percentage`; `None` without calls.
    pub average_completion: Option<f64>,
    /// Pass rate of every stage judged in the group, in order of first appearance.
    pub stages: Vec<StageStats>,
    /// Up to [`WEAKEST_STAGES`] stages with the lowest pass rate below 100 %.
    pub weakest_stages: Vec<StageStats>,
}

/// How often one stage passed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StageStats {
    /// The checklist the stage belongs to, when the results name it.
    pub checklist_name: Option<String>,
    /// The stage's id, when the results carry it.
    pub stage_id: Option<StageId>,
    /// The stage's name (the first one seen).
    pub stage_name: String,
    /// Calls in which the stage was judged.
    pub judged: usize,
    /// Calls in which it passed.
    pub passed: usize,
    /// `100 × passed / judged`.
    pub pass_rate: f64,
}

/// One office (or the unassigned group) and its numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct OfficeReport {
    /// The office's id; `None` for the unassigned group.
    pub office_id: Option<OfficeId>,
    /// The office's title ([`UNASSIGNED_TITLE`] for the unassigned group).
    pub office_title: String,
    /// Members counted: `managers_ids` then `leader_ids`, without repeats.
    pub members: Vec<ManagerId>,
    /// The numbers of the members' calls.
    pub summary: Summary,
}

impl OfficeReport {
    /// Whether this is the group of managers who belong to no office.
    pub fn is_unassigned(&self) -> bool {
        self.office_id.is_none()
    }
}

/// One manager and their numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ManagerReport {
    /// The manager's id.
    pub manager_id: ManagerId,
    /// «Surname Name Middlename», or the id when the managers list does not know them.
    pub name: String,
    /// Whether the managers list knows them.
    pub known: bool,
    /// Offices they are counted in (empty: the unassigned group).
    pub office_ids: Vec<OfficeId>,
    /// The numbers of their calls.
    pub summary: Summary,
}

impl Report {
    /// Aggregates `results` over `offices` and `managers` (see the module docs for the rules).
    ///
    /// # Example
    ///
    /// ```
    /// use rop_analysis::Report;
    /// use rop_api::{ChecklistResult, Manager, Office};
    ///
    /// let results: Vec<ChecklistResult> = serde_json::from_str(r#"[
    ///   {"call_id":"c1","manager_id":"m1","total_score":1,"max_score":2,"completion_percentage":50,
    ///    "stages":[{"stage_name":"Приветствие","score":1},{"stage_name":"Закрытие","score":-1}]}
    /// ]"#)?;
    /// let offices: Vec<Office> = serde_json::from_str(
    ///     r#"[{"office_title":"Центр","office_id":"o1","managers_ids":["m1"]}]"#)?;
    /// let managers: Vec<Manager> = serde_json::from_str(
    ///     r#"[{"manager_id":"m1","name":"Анна","surname":"Иванова"}]"#)?;
    ///
    /// let report = Report::build(&results, &offices, &managers);
    /// assert_eq!(report.offices[0].summary.average_completion, Some(50.0));
    /// assert_eq!(report.managers[0].name, "Иванова Анна");
    /// assert!(report.render_text().contains("Закрытие"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn build(results: &[ChecklistResult], offices: &[Office], managers: &[Manager]) -> Self {
        let (kept, duplicates_dropped) = dedupe(results);
        let first_timestamp = kept.iter().filter_map(|r| r.timestamp).min();
        let last_timestamp = kept.iter().filter_map(|r| r.timestamp).max();
        let undated = kept.iter().filter(|r| r.timestamp.is_none()).count();

        let mut by_manager: HashMap<&ManagerId, Vec<&ChecklistResult>> = HashMap::new();
        for r in &kept {
            by_manager.entry(&r.manager_id).or_default().push(r);
        }

        let offices = unique_offices(offices);
        let mut office_reports = Vec::with_capacity(offices.len() + 1);
        let mut assigned: HashMap<&ManagerId, Vec<OfficeId>> = HashMap::new();
        for office in &offices {
            let members = members_of(office);
            let mut calls = Vec::new();
            for m in &members {
                assigned
                    .entry(m)
                    .or_default()
                    .push(office.office_id.clone());
                if let Some(rs) = by_manager.get(m) {
                    calls.extend(rs.iter().copied());
                }
            }
            office_reports.push(OfficeReport {
                office_id: Some(office.office_id.clone()),
                office_title: office.office_title.clone(),
                members: members.into_iter().cloned().collect(),
                summary: Summary::of(&calls),
            });
        }

        let ordered = manager_order(&kept, managers);
        let names: HashMap<&ManagerId, &Manager> =
            managers.iter().map(|m| (&m.manager_id, m)).collect();
        let mut unassigned_members = Vec::new();
        let mut unassigned_calls = Vec::new();
        let mut manager_reports = Vec::with_capacity(ordered.len());
        for id in ordered {
            let calls = by_manager.get(id).map(Vec::as_slice).unwrap_or_default();
            let office_ids = assigned.get(id).cloned().unwrap_or_default();
            if office_ids.is_empty() {
                unassigned_members.push(id.clone());
                unassigned_calls.extend(calls.iter().copied());
            }
            let known = names.get(id);
            manager_reports.push(ManagerReport {
                manager_id: id.clone(),
                name: known
                    .map(|m| full_name(m))
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| {
                        if id.as_str().trim().is_empty() {
                            NO_MANAGER_NAME.to_owned()
                        } else {
                            id.to_string()
                        }
                    }),
                known: known.is_some(),
                office_ids,
                summary: Summary::of(calls),
            });
        }
        if !unassigned_members.is_empty() {
            office_reports.push(OfficeReport {
                office_id: None,
                office_title: UNASSIGNED_TITLE.to_owned(),
                members: unassigned_members,
                summary: Summary::of(&unassigned_calls),
            });
        }

        Self {
            calls: kept.len(),
            duplicates_dropped,
            first_timestamp,
            last_timestamp,
            undated,
            overall: Summary::of(&kept),
            offices: office_reports,
            managers: manager_reports,
            call_results: kept.into_iter().cloned().collect(),
        }
    }

    /// The report as JSON (the serde form of these types: field names as documented here,
    /// timestamps RFC 3339, rates as numbers in percent).
    pub fn to_json(&self) -> serde_json::Value {
        // Infallible in practice: every map key is a string and no field has a fallible
        // serializer; `Null` keeps this function total anyway.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The report as plain-text tables for a terminal (in Russian).
    pub fn render_text(&self) -> String {
        text::render(self)
    }

    /// The report as one self-contained HTML page in Russian (inline CSS and SVG charts, no
    /// external resources, no script): offices, managers, stages, and a per-call drill-down
    /// (manager → call → every stage's verdict, percentage, comment and quote) made of
    /// `<details>` elements. Every piece of user text is HTML-escaped.
    pub fn render_html(&self) -> String {
        html::render(self)
    }
}

impl Summary {
    fn of(results: &[&ChecklistResult]) -> Self {
        let calls = results.len();
        let average_completion = (calls > 0).then(|| {
            let sum: f64 = results
                .iter()
                .map(|r| f64::from(r.completion_percentage))
                .sum();
            sum / calls as f64
        });
        let mut stages: Vec<StageStats> = Vec::new();
        let mut index: HashMap<(Option<&str>, &str), usize> = HashMap::new();
        for r in results {
            for s in &r.stages {
                let key = (r.checklist_name.as_deref(), stage_key(s));
                let i = *index.entry(key).or_insert_with(|| {
                    stages.push(StageStats {
                        checklist_name: r.checklist_name.clone(),
                        stage_id: s.stage_id.clone(),
                        stage_name: s.stage_name.clone(),
                        judged: 0,
                        passed: 0,
                        pass_rate: 0.0,
                    });
                    stages.len() - 1
                });
                if let Some(st) = stages.get_mut(i) {
                    st.judged += 1;
                    st.passed += usize::from(passed(s));
                }
            }
        }
        for st in &mut stages {
            st.pass_rate = if st.judged == 0 {
                0.0
            } else {
                100.0 * st.passed as f64 / st.judged as f64
            };
        }
        let mut weak: Vec<&StageStats> = stages.iter().filter(|s| s.passed < s.judged).collect();
        weak.sort_by(|a, b| {
            a.pass_rate
                .total_cmp(&b.pass_rate)
                .then(b.judged.cmp(&a.judged))
                .then_with(|| a.stage_name.cmp(&b.stage_name))
        });
        let weakest_stages = weak.into_iter().take(WEAKEST_STAGES).cloned().collect();
        Self {
            calls,
            average_completion,
            stages,
            weakest_stages,
        }
    }
}

/// Whether a stage passed: `completed`; without a known status, a positive score.
fn passed(s: &StageResult) -> bool {
    match &s.status {
        Some(StageStatus::Completed) => true,
        Some(StageStatus::Failed) => false,
        _ => s.score > 0,
    }
}

fn stage_key(s: &StageResult) -> &str {
    s.stage_id
        .as_ref()
        .map_or(s.stage_name.as_str(), StageId::as_str)
}

/// Keeps the last result of each (`call_id`, `checklist_name`), in input order.
fn dedupe(results: &[ChecklistResult]) -> (Vec<&ChecklistResult>, usize) {
    let mut seen = HashSet::new();
    let mut kept: Vec<&ChecklistResult> = results
        .iter()
        .rev()
        .filter(|r| seen.insert((r.call_id.as_str(), r.checklist_name.as_deref())))
        .collect();
    kept.reverse();
    let dropped = results.len() - kept.len();
    (kept, dropped)
}

/// Offices with a repeated id collapse into the last one sent, at the first one's place.
fn unique_offices(offices: &[Office]) -> Vec<&Office> {
    let mut out: Vec<&Office> = Vec::with_capacity(offices.len());
    let mut index: HashMap<&OfficeId, usize> = HashMap::new();
    for o in offices {
        match index.get(&o.office_id).and_then(|&i| out.get_mut(i)) {
            Some(slot) => *slot = o,
            None => {
                index.insert(&o.office_id, out.len());
                out.push(o);
            }
        }
    }
    out
}

fn members_of(office: &Office) -> Vec<&ManagerId> {
    let mut seen = HashSet::new();
    office
        .managers_ids
        .iter()
        .chain(&office.leader_ids)
        .filter(|m| seen.insert(*m))
        .collect()
}

/// Managers with calls: in the managers list's order, then unknown ones sorted by id.
fn manager_order<'a>(kept: &[&'a ChecklistResult], managers: &'a [Manager]) -> Vec<&'a ManagerId> {
    let with_calls: HashSet<&ManagerId> = kept.iter().map(|r| &r.manager_id).collect();
    let mut listed = HashSet::new();
    let mut out: Vec<&ManagerId> = managers
        .iter()
        .map(|m| &m.manager_id)
        .filter(|id| with_calls.contains(id) && listed.insert(*id))
        .collect();
    let unknown: BTreeSet<&ManagerId> = with_calls
        .into_iter()
        .filter(|id| !listed.contains(id))
        .collect();
    out.extend(unknown);
    out
}

fn full_name(m: &Manager) -> String {
    [
        m.surname.as_str(),
        m.name.as_str(),
        m.middlename.as_deref().unwrap_or(""),
    ]
    .iter()
    .map(|s| s.trim())
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}

/// Formats a percentage with one decimal, or `—` when there is none.
fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}"))
}

#[cfg(test)]
mod tests;
