//! `rop-analysis report` run as a process on small fixtures.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/report")
        .join(name)
}

fn report(extra: &[&str], scored: &PathBuf) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rop-analysis"))
        .arg("report")
        .arg("--offices")
        .arg(fixture("offices.json"))
        .arg("--managers")
        .arg(fixture("managers.json"))
        .args(extra)
        .arg(scored)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn report_prints_a_table_per_office_and_manager() {
    let out = stdout(&report(&[], &fixture("scored.jsonl")));
    assert!(
        out.starts_with(
            "Звонков: 5 (повторных доставок отброшено: 1), период 2025-09-15 … 2025-09-17\n"
        ),
        "{out}"
    );
    assert!(out.contains("Средняя полнота: 60.0 %"), "{out}");
    let centre = out.lines().find(|l| l.starts_with("Москва-Центр")).unwrap();
    assert!(centre.contains(" 66.7 "), "{centre}");
    assert!(out.lines().any(|l| l.starts_with("(Без офиса)")), "{out}");
    assert!(out.contains("Иванова Анна Сергеевна"), "{out}");
    assert!(out.contains("Закрытие на встречу (33.3%)"), "{out}");
}

#[test]
fn report_json_has_the_same_numbers() {
    let out = stdout(&report(&["--json"], &fixture("scored.jsonl")));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["calls"], 5);
    assert_eq!(v["duplicates_dropped"], 1);
    assert_eq!(v["overall"]["average_completion"], 60.0);
    assert_eq!(v["offices"][1]["office_id"], "2");
    assert_eq!(v["offices"][1]["summary"]["average_completion"], 33.5);
    assert_eq!(v["offices"][2]["office_id"], serde_json::Value::Null);
    assert_eq!(v["offices"][2]["members"], serde_json::json!(["m_9"]));
}

#[test]
fn report_writes_an_escaped_html_page() {
    let dir = std::env::temp_dir().join(format!("rop-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("report.html");
    let out = report(
        &["--html", page.to_str().unwrap()],
        &fixture("scored.jsonl"),
    );
    assert!(stdout(&out).contains("Звонков: 5"));
    let html = std::fs::read_to_string(&page).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Санкт-Петербург &lt;СПб&gt;"));
    assert!(!html.contains("<СПб>"));
    assert!(html.contains("<svg "));
    // The period is the calls' own, and every call opens to its stages.
    assert!(
        html.contains("период звонков: <b>15.09.2025 — 17.09.2025</b>"),
        "{html}"
    );
    assert_eq!(html.matches("<details class=\"call\">").count(), 5);
    assert!(html.contains("<td class=\"v\">не выполнен</td>"));
    assert!(!html.contains("unassigned"));
}

#[test]
fn scored_calls_carry_their_own_date_into_the_report() {
    let dir = std::env::temp_dir().join(format!("rop-report-period-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scored = Command::new(env!("CARGO_BIN_EXE_rop-analysis"))
        .arg("score")
        .arg("--checklist")
        .arg(super::fixture("checklist_realty.json"))
        .arg(super::fixture("calls/call_01.json"))
        .output()
        .unwrap();
    assert!(scored.status.success(), "{scored:?}");
    let jsonl = dir.join("scored.jsonl");
    std::fs::write(&jsonl, &scored.stdout).unwrap();
    let page = dir.join("report.html");
    let out = report(&["--html", page.to_str().unwrap()], &jsonl);
    // call_01.json is dated 2025-09-17: that is the period, whatever day the CLI runs.
    assert!(stdout(&out).contains("период 2025-09-17 … 2025-09-17"));
    let html = std::fs::read_to_string(&page).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(html.contains("Звонок call_01 · 17.09.2025 00:00"), "{html}");
    assert!(
        html.contains("Добрый день, компания «Сэттл», меня зовут Анна."),
        "{html}"
    );
}

#[test]
fn report_names_the_file_line_and_path_of_a_bad_result() {
    let dir = std::env::temp_dir().join(format!("rop-report-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"call_id\":\"c1\",\"manager_id\":\"m\",\"stages\":[]}\n\n{\"call_id\":\"c2\",\"manager_id\":\"m\",\"stages\":[{\"stage_name\":\"A\",\"score\":\"x\"}]}\n",
    )
    .unwrap();
    let out = report(&[], &bad);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.jsonl:3: invalid JSON at `stages[0].score`"),
        "{err}"
    );
}

#[test]
fn report_names_a_missing_offices_file() {
    let out = Command::new(env!("CARGO_BIN_EXE_rop-analysis"))
        .args([
            "report",
            "--offices",
            "/nonexistent/offices.json",
            "--managers",
        ])
        .arg(fixture("managers.json"))
        .arg(fixture("scored.jsonl"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/offices.json"));
}
