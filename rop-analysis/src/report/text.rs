//! The terminal form of a [`Report`]: aligned plain-text tables.

use super::{Report, StageStats, Summary, pct};
use std::fmt::Write as _;

/// Column alignment.
#[derive(Clone, Copy)]
enum Align {
    Left,
    Right,
}

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = write!(out, "Звонков: {}", report.calls);
    if report.duplicates_dropped > 0 {
        let _ = write!(
            out,
            " (повторных доставок отброшено: {})",
            report.duplicates_dropped
        );
    }
    if let (Some(a), Some(b)) = (report.first_timestamp, report.last_timestamp) {
        let _ = write!(
            out,
            ", период {} … {}",
            a.format("%Y-%m-%d"),
            b.format("%Y-%m-%d")
        );
        if report.undated > 0 {
            let _ = write!(out, " (без даты: {})", report.undated);
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Средняя полнота: {} %",
        pct(report.overall.average_completion)
    );

    out.push_str("\nОфисы\n");
    let rows: Vec<Vec<String>> = report
        .offices
        .iter()
        .map(|o| {
            let title = if o.is_unassigned() {
                format!("({})", o.office_title)
            } else {
                o.office_title.clone()
            };
            vec![
                title,
                o.members.len().to_string(),
                o.summary.calls.to_string(),
                pct(o.summary.average_completion),
                weakest(&o.summary),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            "Офис",
            "Менеджеров",
            "Звонков",
            "Полнота, %",
            "Слабые этапы (доля выполнения)",
        ],
        &[
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Left,
        ],
        &rows,
    );

    out.push_str("\nМенеджеры\n");
    let rows: Vec<Vec<String>> = report
        .managers
        .iter()
        .map(|m| {
            let offices = if m.office_ids.is_empty() {
                "-".to_owned()
            } else {
                let titles: Vec<&str> = m
                    .office_ids
                    .iter()
                    .map(|id| {
                        report
                            .offices
                            .iter()
                            .find(|o| o.office_id.as_ref() == Some(id))
                            .map_or(id.as_str(), |o| o.office_title.as_str())
                    })
                    .collect();
                titles.join(", ")
            };
            vec![
                m.name.clone(),
                m.manager_id.to_string(),
                offices,
                m.summary.calls.to_string(),
                pct(m.summary.average_completion),
                weakest(&m.summary),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            "Менеджер",
            "Код",
            "Офисы",
            "Звонков",
            "Полнота, %",
            "Слабые этапы (доля выполнения)",
        ],
        &[
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Left,
        ],
        &rows,
    );

    out.push_str("\nЭтапы (все звонки)\n");
    let rows: Vec<Vec<String>> = report
        .overall
        .stages
        .iter()
        .map(|s| {
            vec![
                s.stage_name.clone(),
                s.checklist_name.clone().unwrap_or_default(),
                s.judged.to_string(),
                s.passed.to_string(),
                pct(Some(s.pass_rate)),
            ]
        })
        .collect();
    table(
        &mut out,
        &["Этап", "Чек-лист", "Оценено", "Выполнено", "Доля, %"],
        &[
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
        &rows,
    );
    out
}

/// `Name (40.0%), Other (55.5%)`, or `-`.
fn weakest(s: &Summary) -> String {
    if s.weakest_stages.is_empty() {
        return "-".to_owned();
    }
    s.weakest_stages
        .iter()
        .map(|st: &StageStats| {
            format!(
                "{} ({}%)",
                one_line(&st.stage_name),
                pct(Some(st.pass_rate))
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// User text on one line: control characters (newlines, tabs, escapes) become spaces, so a
/// name cannot break the table or send terminal escape sequences.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn table(out: &mut String, header: &[&str], align: &[Align], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| one_line(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(width(c));
        }
    }
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    line(out, &header, &widths, align);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(out, &rule, &widths, align);
    if rows.is_empty() {
        out.push_str("(нет)\n");
    }
    for r in &rows {
        line(out, r, &widths, align);
    }
}

fn line(out: &mut String, cells: &[String], widths: &[usize], align: &[Align]) {
    let mut s = String::new();
    for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            s.push_str("  ");
        }
        let pad = " ".repeat(w.saturating_sub(width(c)));
        match align.get(i).copied().unwrap_or(Align::Left) {
            Align::Left => {
                s.push_str(c);
                s.push_str(&pad);
            }
            Align::Right => {
                s.push_str(&pad);
                s.push_str(c);
            }
        }
    }
    out.push_str(s.trim_end());
    out.push('\n');
}
