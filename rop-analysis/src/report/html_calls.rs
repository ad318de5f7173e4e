//! The per-call drill-down of the HTML page: manager → call → every stage's verdict,
//! percentage, comment and quote, as nested `<details>` elements (no script needed).

use super::html::escape;
use super::{Report, passed, pct};
use rop_api::{ChecklistResult, StageResult, StageStatus};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Appends the «Звонки» section (nothing when the report keeps no results).
pub(super) fn render(h: &mut String, report: &Report) {
    if report.call_results.is_empty() {
        return;
    }
    let mut by_manager: HashMap<&str, Vec<&ChecklistResult>> = HashMap::new();
    for r in &report.call_results {
        by_manager.entry(r.manager_id.as_str()).or_default().push(r);
    }
    h.push_str("<h2 id=\"calls\">Звонки по менеджерам</h2>\n");
    h.push_str(
        "<p class=\"muted\">Откройте менеджера, затем звонок: по каждому этапу — вердикт, \
процент, комментарий и цитата из расшифровки.</p>\n",
    );
    for (i, m) in report.managers.iter().enumerate() {
        let Some(calls) = by_manager.get(m.manager_id.as_str()) else {
            continue;
        };
        let _ = writeln!(
            h,
            "<details class=\"manager\" id=\"m{i}\"><summary>{} — {}, средняя полнота {} %</summary>",
            escape(&m.name),
            calls_word(calls.len()),
            pct(m.summary.average_completion)
        );
        let mut calls = calls.clone();
        // Newest first; calls without a date last, in input order.
        calls.sort_by_key(|r| std::cmp::Reverse(r.timestamp));
        for r in calls {
            call(h, r);
        }
        h.push_str("</details>\n");
    }
}

/// «1 звонок», «3 звонка», «5 звонков».
fn calls_word(n: usize) -> String {
    let word = match (n % 10, n % 100) {
        (1, 11) => "звонков",
        (1, _) => "звонок",
        (2..=4, 12..=14) => "звонков",
        (2..=4, _) => "звонка",
        _ => "звонков",
    };
    format!("{n} {word}")
}

fn call(h: &mut String, r: &ChecklistResult) {
    let passed_stages = r.stages.iter().filter(|s| passed(s)).count();
    let when = r.timestamp.map_or_else(
        || "дата неизвестна".to_owned(),
        |t| t.format("%d.%m.%Y %H:%M").to_string(),
    );
    let _ = write!(
        h,
        "<details class=\"call\"><summary>Звонок {} · {when} · полнота {} % · этапов выполнено {} из {}",
        escape(r.call_id.as_str()),
        r.completion_percentage,
        passed_stages,
        r.stages.len()
    );
    if let Some(name) = r.checklist_name.as_deref().filter(|n| !n.is_empty()) {
        let _ = write!(h, " · {}", escape(name));
    }
    h.push_str("</summary>\n");
    if r.stages.is_empty() {
        h.push_str("<p class=\"muted\">Ни один этап не оценён.</p>\n</details>\n");
        return;
    }
    h.push_str(
        "<table>\n<tr><th>Этап</th><th>Вердикт</th><th>%</th><th>Комментарий</th>\
<th>Цитата</th></tr>\n",
    );
    for s in &r.stages {
        stage_row(h, s);
    }
    h.push_str("</table>\n</details>\n");
}

fn stage_row(h: &mut String, s: &StageResult) {
    let ok = passed(s);
    let verdict = match &s.status {
        Some(StageStatus::Other(other)) if !other.is_empty() => escape(other),
        _ if ok => "выполнен".to_owned(),
        _ => "не выполнен".to_owned(),
    };
    let percentage = s
        .percentage
        .map_or_else(|| "—".to_owned(), |p| p.to_string());
    let dash = |t: &str| {
        if t.trim().is_empty() {
            "—".to_owned()
        } else {
            escape(t)
        }
    };
    let _ = writeln!(
        h,
        "<tr class=\"{}\"><td>{}</td><td class=\"v\">{verdict}</td><td class=\"n\">{percentage}</td>\
<td class=\"c\">{}</td><td class=\"q\">{}</td></tr>",
        if ok { "ok" } else { "fail" },
        escape(&s.stage_name),
        dash(&s.comment),
        dash(&s.quote)
    );
}
