//! The CLI's LLM path (`--strategy llm|rules-then-llm`) against wiremock playing an
//! OpenAI-compatible server with recorded answers: verified quotes, invented quotes, malformed
//! and refused answers, HTTP errors, and the key that must never be printed.

use super::{fixture, fixture_text};
use serde_json::{Value, json};
use std::process::{Command, Output};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-cli-TOPSECRET-4242";

fn arg(name: &str) -> String {
    fixture(name).to_string_lossy().into_owned()
}

/// Runs the CLI with the LLM settings in the environment (as a user would), off the async
/// runtime so that the mock server keeps answering.
async fn run(server: &MockServer, args: &[&str]) -> Output {
    let url = format!("{}/v1", server.uri());
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_rop-analysis"))
            .args(&args)
            .env("ROP_LLM_URL", url)
            .env("ROP_LLM_MODEL", "qwen2.5-7b-instruct")
            .env("ROP_LLM_API_KEY", KEY)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn no_key(out: &Output) {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("TOPSECRET"), "{all}");
}

fn stdout_lines(out: &Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    no_key(out);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn failure(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    no_key(out);
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A server answering every chat request with a recorded body (`times` requests expected).
async fn answering(file: &str, status: u16, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(status).set_body_string(fixture_text(file)))
        .expect(times)
        .mount(&server)
        .await;
    server
}

fn score_args(strategy: &str) -> Vec<String> {
    vec![
        "score".into(),
        "--checklist".into(),
        arg("cli_llm/checklist.json"),
        "--strategy".into(),
        strategy.into(),
        arg("cli_llm/call_1.txt"),
    ]
}

async fn score(server: &MockServer, strategy: &str) -> Output {
    let args = score_args(strategy);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(server, &args).await
}

#[tokio::test(flavor = "multi_thread")]
async fn score_with_the_llm_uses_the_env_settings_and_keeps_verified_quotes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(body_partial_json(
            json!({"model": "qwen2.5-7b-instruct", "temperature": 0}),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(fixture_text("llm/evaluate_ok.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let w1 = &stdout_lines(&score(&server, "llm").await)[0];
    let stages = w1["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 3, "{w1}");
    assert_eq!(stages[0]["status"], "completed");
    assert_eq!(
        stages[0]["quote"],
        "Добрый день, компания Сэттл, меня зовут Анна."
    );
    assert_eq!(
        (
            stages[1]["status"].as_str(),
            stages[1]["percentage"].as_i64()
        ),
        (Some("completed"), Some(80))
    );
    assert_eq!(stages[2]["status"], "failed");
    assert_eq!(
        (w1["total_score"].as_i64(), w1["max_score"].as_i64()),
        (Some(2), Some(3))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rules_then_llm_asks_only_about_what_the_rules_did_not_pass() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"response_format": {"json_schema": {"schema": {"properties": {"stages": {"items": {"properties": {"stage_id": {"enum": ["S_NEEDS", "S_CLOSE"]}}}}}}}}})))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(fixture_text("llm/evaluate_ok.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let w1 = &stdout_lines(&score(&server, "rules-then-llm").await)[0];
    // S_GREET passed by the rules (its quote is the rules' utterance), the rest by the model.
    assert_eq!(w1["stages"][0]["comment"], "Найдено: «добрый день».");
    assert_eq!(w1["stages"][1]["percentage"], 80);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invented_quote_fails_the_stage() {
    let server = answering("llm/evaluate_invented_quote.json", 200, 1).await;
    let w1 = &stdout_lines(&score(&server, "llm").await)[0];
    let greet = &w1["stages"][0];
    assert_eq!(greet["status"], "failed", "{w1}");
    assert_eq!(greet["quote"], "");
    assert!(
        greet["comment"]
            .as_str()
            .unwrap()
            .contains("Цитата модели не найдена в расшифровке"),
        "{greet}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_answer_fails_the_call_naming_the_file_and_the_refusal() {
    let server = answering("llm/refusal.json", 200, 1).await;
    let err = failure(&score(&server, "llm").await);
    assert!(err.contains("call_1.txt"), "{err}");
    assert!(err.contains("the model refused: I'm sorry"), "{err}");
    assert!(err.contains("the LLM failed on 1 of 1 call(s)"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_answer_fails_the_call_naming_the_json_path() {
    let server = answering("llm/evaluate_malformed.json", 200, 1).await;
    let err = failure(&score(&server, "llm").await);
    assert!(
        err.contains("LLM answer unusable at `choices[0].message.content.stages[0].passed`"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_http_error_is_reported_without_the_key() {
    let server = answering("llm/error_401.json", 401, 1).await;
    let err = failure(&score(&server, "llm").await);
    assert!(err.contains("LLM service answered HTTP 401"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_llm_strategy_without_a_model_is_refused_and_help_hides_the_key() {
    let out = tokio::task::spawn_blocking(|| {
        Command::new(env!("CARGO_BIN_EXE_rop-analysis"))
            .args(score_args("llm"))
            .env_remove("ROP_LLM_MODEL")
            .env("ROP_LLM_API_KEY", KEY)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let err = failure(&out);
    assert!(err.contains("--llm-model or ROP_LLM_MODEL"), "{err}");
    let help = Command::new(env!("CARGO_BIN_EXE_rop-analysis"))
        .args(["score", "--help"])
        .env("ROP_LLM_API_KEY", KEY)
        .output()
        .unwrap();
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("ROP_LLM_API_KEY"), "{text}");
    no_key(&help);
}

#[tokio::test(flavor = "multi_thread")]
async fn extract_fills_llm_fields_next_to_the_rules_ones() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_partial_json(
            json!({"response_format": {"json_schema": {"name": "table_fields"}}}),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(fixture_text("llm/extract_ok.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        &server,
        &[
            "extract",
            "--table",
            &arg("cli_llm/table.json"),
            "--strategy",
            "rules-then-llm",
            &arg("cli_llm/call_1.txt"),
        ],
    )
    .await;
    let w2 = &stdout_lines(&out)[0];
    assert_eq!(
        w2["extracted_data"],
        json!({"object_type": "квартира", "conversion_stage": "Выбор объекта"})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn evaluate_measures_the_llm_against_gold() {
    let server = MockServer::start().await;
    for (name, file) in [
        ("checklist_verdicts", "llm/evaluate_ok.json"),
        ("table_fields", "llm/extract_ok.json"),
    ] {
        Mock::given(method("POST"))
            .and(body_partial_json(
                json!({"response_format": {"json_schema": {"name": name}}}),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_string(fixture_text(file)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let dir = std::env::temp_dir().join(format!("rop-cli-llm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("cli_llm/call_1.txt"), dir.join("call_1.txt")).unwrap();
    let out = run(
        &server,
        &[
            "evaluate",
            "--checklist",
            &arg("cli_llm/checklist.json"),
            "--table",
            &arg("cli_llm/table.json"),
            "--transcripts",
            dir.to_str().unwrap(),
            "--gold",
            &arg("cli_llm/gold"),
            "--strategy",
            "rules-then-llm",
            "--json",
        ],
    )
    .await;
    std::fs::remove_dir_all(&dir).unwrap();
    let r = &stdout_lines(&out)[0];
    assert_eq!(r["stages"]["n"], 3, "{r}");
    assert_eq!(r["stages"]["accuracy"], 1.0, "{r}");
    assert_eq!(
        r["fields"]["per_field"]["conversion_stage"]["exact_match"], 1.0,
        "{r}"
    );
}
