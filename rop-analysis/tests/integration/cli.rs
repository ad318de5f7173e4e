use super::fixture;
use serde_json::Value;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rop-analysis"))
        .args(args)
        .output()
        .unwrap()
}

fn lines(out: &Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn path(name: &str) -> String {
    fixture(name).to_string_lossy().into_owned()
}

#[test]
fn score_prints_one_w1_per_transcript_with_ids() {
    let out = run(&[
        "score",
        "--checklist",
        &path("checklist_realty.json"),
        &path("calls/call_01.json"),
        &path("calls/call_02.txt"),
    ]);
    let w1 = lines(&out);
    assert_eq!(w1.len(), 2);
    assert_eq!(w1[0]["call_id"], "call_01");
    assert_eq!(w1[0]["manager_id"], "m_anna");
    assert_eq!(w1[0]["completion_percentage"], 100);
    assert_eq!(w1[0]["checklist_name"], "Первичный звонок (новостройки)");
    assert!(w1[0]["timestamp"].as_str().unwrap().ends_with('Z'));
    // A plain-text transcript takes its file's stem as call id; the critical stage failed.
    assert_eq!(w1[1]["call_id"], "call_02");
    assert_eq!(w1[1]["completion_percentage"], 0);
    assert_eq!(w1[1]["stages"][2]["status"], "failed");
}

#[test]
fn score_manager_id_option_overrides_the_transcript() {
    let out = run(&[
        "score",
        "--checklist",
        &path("checklist_realty.json"),
        "--manager-id",
        "m_42",
        &path("calls/call_01.json"),
    ]);
    assert_eq!(lines(&out)[0]["manager_id"], "m_42");
}

#[test]
fn extract_prints_one_w2_per_transcript() {
    let out = run(&[
        "extract",
        "--table",
        &path("table_realty.json"),
        &path("calls/call_01.json"),
        &path("calls/call_02.txt"),
    ]);
    let w2 = lines(&out);
    assert_eq!(w2[0]["table_id"], "TBL_REALTY");
    let data = &w2[0]["extracted_data"];
    assert_eq!(data["client_name"], "Сергей");
    assert_eq!(data["budget_range"], "5-7 млн руб");
    assert_eq!(data["phone"], "79161234567");
    assert_eq!(data["visit_date"], "2025-09-18");
    assert_eq!(data["floor"], "5");
    assert_eq!(data["objections"], "дорого");
    assert!(data.get("conversion_stage").is_none());
    assert!(
        w2[0]["processing_time"]
            .as_str()
            .unwrap()
            .starts_with("00:00:0")
    );
    assert_eq!(w2[1]["extracted_data"]["budget_range"], "до 6 млн руб");
    assert_eq!(w2[1]["extracted_data"]["client_name"], "Марина");
}

#[test]
fn evaluate_prints_accuracy_kappa_fields_and_flip_rate_as_json() {
    let out = run(&[
        "evaluate",
        "--checklist",
        &path("checklist_realty.json"),
        "--table",
        &path("table_realty.json"),
        "--transcripts",
        &path("calls"),
        "--gold",
        &path("gold"),
        "--noisy",
        &path("calls_asr"),
        "--json",
    ]);
    let r = &lines(&out)[0];
    // The documented shape: these keys, with these types.
    for key in ["accuracy", "kappa", "n"] {
        assert!(r["stages"][key].is_number(), "stages.{key}: {r}");
    }
    assert!(r["stages"]["per_stage"].is_object(), "{r}");
    for key in ["exact_match", "n"] {
        assert!(r["fields"][key].is_number(), "fields.{key}: {r}");
    }
    assert!(r["fields"]["per_field"].is_object(), "{r}");
    assert!(r["flip_rate"].is_number(), "{r}");
    assert_eq!(r["stages"]["n"], 9);
    assert_eq!(r["stages"]["accuracy"], 1.0);
    assert_eq!(r["stages"]["kappa"], 1.0);
    assert_eq!(r["stages"]["per_stage"]["S_GREET"]["n"], 2);
    assert_eq!(r["fields"]["per_field"]["budget_range"]["exact_match"], 1.0);
    // Every gold field of both calls (7 + 4), all extracted exactly.
    assert_eq!(r["fields"]["n"], 11, "{r}");
    assert_eq!(r["fields"]["exact_match"], 1.0, "{r}");
    assert_eq!(r["fields"]["per_field"]["client_name"]["n"], 2, "{r}");
    let flip = r["flip_rate"].as_f64().unwrap();
    assert!((0.0..=0.2).contains(&flip), "{flip}");
}

#[test]
fn errors_name_the_file_and_the_json_path() {
    let dir = std::env::temp_dir().join(format!("rop-analysis-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad_checklist.json");
    std::fs::write(
        &bad,
        r#"{"stages": [{"id": "S1", "rules": {"any": ["a"], "min_count": "many"}}]}"#,
    )
    .unwrap();
    let out = run(&[
        "score",
        "--checklist",
        bad.to_str().unwrap(),
        &path("calls/call_01.json"),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad_checklist.json"), "{err}");
    assert!(err.contains("stages[0].rules.min_count"), "{err}");
    let bad_call = dir.join("bad_call.json");
    std::fs::write(
        &bad_call,
        r#"{"utterances": [{"speaker": "manager", "start": "soon", "text": "x"}]}"#,
    )
    .unwrap();
    let out = run(&[
        "score",
        "--checklist",
        &path("checklist_realty.json"),
        bad_call.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad_call.json"), "{err}");
    assert!(err.contains("utterances[0].start"), "{err}");
    let missing = run(&[
        "score",
        "--checklist",
        &path("checklist_realty.json"),
        "/nonexistent/call.json",
    ]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/call.json"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn evaluate_without_noisy_prints_a_null_flip_rate_and_a_text_summary() {
    let args = [
        "evaluate",
        "--checklist",
        &path("checklist_realty.json"),
        "--transcripts",
        &path("calls"),
        "--gold",
        &path("gold"),
    ];
    let mut json = args.to_vec();
    json.push("--json");
    let r = &lines(&run(&json))[0];
    assert!(r["flip_rate"].is_null(), "{r}");
    assert_eq!(r["fields"]["n"], 0, "{r}");
    assert!(r.get("noisy_stages").is_none(), "{r}");
    let text = run(&args);
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("stages: accuracy 1.000, kappa 1.000, n 9"),
        "{text}"
    );
    assert!(text.starts_with("calls: 2, strategy: rules\n"), "{text}");
    assert!(
        text.contains("S_GREET: accuracy 1.000, kappa 1.000, precision 1.000, recall 1.000"),
        "{text}"
    );
}

#[test]
fn evaluate_lists_disagreements_with_the_engines_comment_and_quote() {
    let dir = std::env::temp_dir().join(format!("rop-analysis-disagree-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // The reviewer says the greeting failed; the engine finds it.
    std::fs::write(
        dir.join("call_01.json"),
        r#"{"call_id": "call_01", "stages": {"S_GREET": "failed"}}"#,
    )
    .unwrap();
    let args = [
        "evaluate",
        "--checklist",
        &path("checklist_realty.json"),
        "--transcripts",
        &path("calls"),
        "--gold",
        dir.to_str().unwrap(),
    ];
    let mut listed = args.to_vec();
    listed.push("--disagreements");
    let out = run(&listed);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let listing = text.split("\ndisagreements:\n").nth(1).unwrap();
    assert!(
        listing.starts_with("call_01 stage S_GREET [clean]: gold failed, engine completed — "),
        "{text}"
    );
    assert!(
        listing.contains("«Добрый день, компания «Сэттл», меня зовут Анна.»"),
        "{text}"
    );
    let mut json = args.to_vec();
    json.push("--json");
    let r = &lines(&run(&json))[0];
    assert_eq!(r["disagreements"][0]["subject"]["id"], "S_GREET", "{r}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn score_reads_verbose_json_and_plain_text_with_speaker_aliases() {
    let dir = std::env::temp_dir().join(format!("rop-analysis-forms-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let checklist = dir.join("checklist.json");
    std::fs::write(
        &checklist,
        r#"{"name": "Формы", "stages": [
            {"id": "M", "name": "Менеджер поздоровался", "rules": {"any": ["добрый день"]}},
            {"id": "C", "name": "Клиент назвал квартиру", "rules": {"speaker": "client", "any": ["квартира"]}},
            {"id": "X", "name": "Менеджер не говорил о квартире", "rules": {"none": ["квартира"]}}]}"#,
    )
    .unwrap();
    let files = [
        (
            "speakers.json",
            r#"{"segments": [{"start": 0, "end": 2, "text": " Добрый день!", "speaker": "Operator"},
                             {"start": 2, "end": 4, "text": "Ищу квартиру", "speaker": "CUSTOMER"}]}"#,
        ),
        (
            "channels.json",
            r#"{"segments": [{"start": "0", "end": 2, "text": "Добрый день!", "channel": 0},
                             {"start": 2, "end": 4, "text": "Ищу квартиру", "channel": 1}]}"#,
        ),
        (
            "ours.json",
            r#"{"utterances": [{"speaker": "agent", "start": 0, "end": 2, "text": "Добрый день!"},
                               {"speaker": "customer", "start": 2, "end": 4, "text": "Ищу квартиру"}]}"#,
        ),
        (
            "plain.txt",
            "Operator: Добрый день!\nCustomer: Ищу квартиру\n",
        ),
    ];
    let mut args = vec![
        "score".to_owned(),
        "--checklist".to_owned(),
        checklist.to_string_lossy().into_owned(),
    ];
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        args.push(p.to_string_lossy().into_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let w1 = lines(&run(&args));
    assert_eq!(w1.len(), 4);
    for (r, id) in w1.iter().zip(["speakers", "channels", "ours", "plain"]) {
        assert_eq!(r["call_id"], id);
        let scores: Vec<i64> = r["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["score"].as_i64().unwrap())
            .collect();
        // Manager greeted; the client (not the manager) said «квартиру».
        assert_eq!(scores, [1, 1, 1], "{id}: {r}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn evaluate_matches_gold_without_call_id_by_file_name() {
    let dir = std::env::temp_dir().join(format!("rop-analysis-gold-{}", std::process::id()));
    let (calls, gold) = (dir.join("calls"), dir.join("gold"));
    std::fs::create_dir_all(&calls).unwrap();
    std::fs::create_dir_all(&gold).unwrap();
    std::fs::write(
        calls.join("c1.json"),
        r#"{"call_id": "CRM-1", "utterances": [{"speaker": "manager", "text": "Добрый день! Приезжайте на показ."}]}"#,
    )
    .unwrap();
    std::fs::write(
        gold.join("c1.json"),
        r#"{"stages": {"S_VISIT": "Completed", "S_GREET": "failed", "S_MORTGAGE": null}}"#,
    )
    .unwrap();
    let out = run(&[
        "evaluate",
        "--checklist",
        &path("checklist_realty.json"),
        "--transcripts",
        calls.to_str().unwrap(),
        "--gold",
        gold.to_str().unwrap(),
        "--json",
    ]);
    let r = &lines(&out)[0];
    // S_GREET fails (no «меня зовут»), S_VISIT passes; S_MORTGAGE (null) is not scored.
    assert_eq!(r["stages"]["n"], 2, "{r}");
    assert_eq!(r["stages"]["accuracy"], 1.0, "{r}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn extract_gives_the_same_fields_for_the_asr_twins() {
    let data = |dir: &str| -> Vec<Value> {
        lines(&run(&[
            "extract",
            "--table",
            &path("table_realty.json"),
            &path(&format!("{dir}/call_01.json")),
            &path(&format!("{dir}/call_02.txt")),
        ]))
        .into_iter()
        .map(|w2| w2["extracted_data"].clone())
        .collect()
    };
    // Lowercase «это марина» after a greeting, «милионов» with one «л», «8 916 123 45 67».
    assert_eq!(data("calls"), data("calls_asr"));
}
