//! The HTML form of a [`Report`]: one self-contained page with inline CSS and SVG bar charts.
//!
//! Every piece of text that comes from the data (names, titles, ids, stage names) goes through
//! [`escape`]; nothing else is interpolated.

use super::{Report, Summary, pct};
use std::fmt::Write as _;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:.5em 0 1.5em}\
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}\
td.n{text-align:right;font-variant-numeric:tabular-nums}\
th{background:#f3f3f3}details{margin:.3em 0}svg{display:block;margin:.5em 0 1.5em}\
.muted{color:#777}\
details.manager>summary{font-weight:bold;cursor:pointer}details.call{margin-left:1.2em}\
details.call>summary{cursor:pointer}tr.ok td.v{color:#2e7d32}tr.fail td.v{color:#c62828}\
td.q{font-style:italic;max-width:32em}td.c{max-width:28em}";

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn render(report: &Report) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<title>Отчёт по звонкам</title>\n<style>");
    h.push_str(STYLE);
    h.push_str("</style>\n</head>\n<body>\n<h1>Отчёт по звонкам</h1>\n<p>");
    let _ = write!(h, "Звонков: <b>{}</b>", report.calls);
    if report.duplicates_dropped > 0 {
        let _ = write!(
            h,
            " (повторных доставок отброшено: {})",
            report.duplicates_dropped
        );
    }
    match (report.first_timestamp, report.last_timestamp) {
        (Some(a), Some(b)) => {
            let _ = write!(
                h,
                ", период звонков: <b>{} — {}</b>",
                a.format("%d.%m.%Y"),
                b.format("%d.%m.%Y")
            );
            if report.undated > 0 {
                let _ = write!(h, " (без даты: {})", report.undated);
            }
        }
        _ if report.calls > 0 => h.push_str(", период звонков неизвестен (в результатах нет дат)"),
        _ => {}
    }
    let _ = writeln!(
        h,
        ". Средняя полнота: <b>{} %</b>.</p>",
        pct(report.overall.average_completion)
    );
    if !report.call_results.is_empty() {
        h.push_str(
            "<p><a href=\"#calls\">Звонки по менеджерам</a>: вердикт, комментарий и цитата \
каждого этапа.</p>\n",
        );
    }

    h.push_str("<h2>Офисы</h2>\n");
    let bars: Vec<(String, f64)> = report
        .offices
        .iter()
        .filter_map(|o| {
            o.summary
                .average_completion
                .map(|v| (o.office_title.clone(), v))
        })
        .collect();
    bar_chart(&mut h, "Средняя полнота по офисам, %", &bars);
    h.push_str(
        "<table>\n<tr><th>Офис</th><th>Код</th><th>Менеджеров</th><th>Звонков</th>\
<th>Средняя полнота, %</th><th>Слабые этапы</th></tr>\n",
    );
    for o in &report.offices {
        let id = o.office_id.as_ref().map_or("—", |i| i.as_str());
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
<td class=\"n\">{}</td><td>{}</td></tr>",
            escape(&o.office_title),
            escape(id),
            o.members.len(),
            o.summary.calls,
            pct(o.summary.average_completion),
            weakest(&o.summary)
        );
    }
    h.push_str("</table>\n");
    for o in &report.offices {
        details(&mut h, &o.office_title, &o.summary);
    }

    h.push_str("<h2>Менеджеры</h2>\n");
    let bars: Vec<(String, f64)> = report
        .managers
        .iter()
        .filter_map(|m| m.summary.average_completion.map(|v| (m.name.clone(), v)))
        .collect();
    bar_chart(&mut h, "Средняя полнота по менеджерам, %", &bars);
    h.push_str(
        "<table>\n<tr><th>Менеджер</th><th>Код</th><th>Офисы</th><th>Звонков</th>\
<th>Средняя полнота, %</th><th>Слабые этапы</th></tr>\n",
    );
    for (i, m) in report.managers.iter().enumerate() {
        let offices: Vec<&str> = m.office_ids.iter().map(|o| o.as_str()).collect();
        let offices = if offices.is_empty() {
            "—".to_owned()
        } else {
            offices.join(", ")
        };
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#m{i}\">{}</a></td><td>{}</td><td>{}</td><td class=\"n\">{}</td>\
<td class=\"n\">{}</td><td>{}</td></tr>",
            escape(&m.name),
            escape(m.manager_id.as_str()),
            escape(&offices),
            m.summary.calls,
            pct(m.summary.average_completion),
            weakest(&m.summary)
        );
    }
    h.push_str("</table>\n");
    for m in &report.managers {
        details(&mut h, &m.name, &m.summary);
    }

    h.push_str("<h2>Этапы</h2>\n");
    let bars: Vec<(String, f64)> = report
        .overall
        .stages
        .iter()
        .map(|s| (s.stage_name.clone(), s.pass_rate))
        .collect();
    bar_chart(&mut h, "Доля выполнения этапов, %", &bars);
    stage_table(&mut h, &report.overall);
    super::html_calls::render(&mut h, report);
    h.push_str("</body>\n</html>\n");
    h
}

fn weakest(s: &Summary) -> String {
    if s.weakest_stages.is_empty() {
        return "—".to_owned();
    }
    s.weakest_stages
        .iter()
        .map(|st| format!("{} ({} %)", escape(&st.stage_name), pct(Some(st.pass_rate))))
        .collect::<Vec<_>>()
        .join("; ")
}

fn details(h: &mut String, title: &str, s: &Summary) {
    if s.stages.is_empty() {
        return;
    }
    let _ = writeln!(h, "<details><summary>{}: этапы</summary>", escape(title));
    stage_table(h, s);
    h.push_str("</details>\n");
}

fn stage_table(h: &mut String, s: &Summary) {
    h.push_str(
        "<table>\n<tr><th>Этап</th><th>Чек-лист</th><th>Оценено</th><th>Выполнено</th>\
<th>Доля, %</th></tr>\n",
    );
    for st in &s.stages {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
<td class=\"n\">{}</td></tr>",
            escape(&st.stage_name),
            escape(st.checklist_name.as_deref().unwrap_or("")),
            st.judged,
            st.passed,
            pct(Some(st.pass_rate))
        );
    }
    h.push_str("</table>\n");
}

/// A horizontal bar chart of percentages (0–100) as inline SVG.
fn bar_chart(h: &mut String, title: &str, bars: &[(String, f64)]) {
    const ROW: usize = 22;
    const LABEL_W: usize = 260;
    const BAR_W: f64 = 400.0;
    if bars.is_empty() {
        let _ = writeln!(h, "<p class=\"muted\">{}: нет данных</p>", escape(title));
        return;
    }
    let height = 28 + ROW * bars.len();
    let width = LABEL_W + 460;
    let _ = writeln!(
        h,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        t = escape(title)
    );
    let _ = writeln!(
        h,
        "<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let v = if value.is_finite() {
            value.clamp(0.0, 100.0)
        } else {
            0.0
        };
        let y = 28 + ROW * i;
        let colour = if v >= 80.0 {
            "#4caf50"
        } else if v >= 50.0 {
            "#ffb300"
        } else {
            "#e53935"
        };
        let _ = writeln!(
            h,
            "<text x=\"{lx}\" y=\"{ty}\" font-size=\"12\" text-anchor=\"end\">{label}</text>\
<rect x=\"{LABEL_W}\" y=\"{y}\" width=\"{bw:.1}\" height=\"{bh}\" fill=\"{colour}\"/>\
<text x=\"{vx:.1}\" y=\"{ty}\" font-size=\"12\">{val}</text>",
            lx = LABEL_W - 6,
            ty = y + 14,
            label = escape(&shorten(label, 40)),
            bw = v / 100.0 * BAR_W,
            bh = ROW - 6,
            vx = LABEL_W as f64 + v / 100.0 * BAR_W + 4.0,
            val = pct(Some(v)),
        );
    }
    h.push_str("</svg>\n");
}

/// At most `max` characters, with `…` when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
