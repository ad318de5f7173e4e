//! The ROP vendor document's own example requests — its two `curl` lines, its Python snippet and its PHP class —
//! replayed against the mock ROP with the hosts replaced, expecting the answers the seed
//! documents. Reproduced as Rust requests (always) and, when `curl` is installed, by running the
//! `curl` lines themselves.
//!
//! Replacements: `http://10.28.32.81` → the mock ROP; the recordings' hosts
//! (`https://crm.company.com`, `https://crm.example.com`) → a local server answering every path
//! with an MP3; the vendor document's API key → the mock's key (a published key is not copied into the
//! repository). Everything else — paths, field names, values, body forms — is verbatim.

use crate::target::skip;
use mock_server::{Config, MockServers, RecordingFormat};
use serde_json::{Value, json};
use std::time::Duration;

const KEY: &str = "mock-rop-key";
const QUEUED: &str = "Звонок успешно получен и поставлен в очередь на анализ";
const DUPLICATE: &str = "Звонок с данным call_id уже обработан";

/// The mock ROP configured as the vendor document's examples need it: the vendor document's table id, and R5 without
/// `apiKey` (the Python snippet sends none; docs/protocol.md §6 switch for legacy callers).
async fn mock_rop() -> MockServers {
    let mut config = Config::ephemeral();
    config.rop.ready_without_key = true;
    config.rop.tables = vec![
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/table_tbl_1755863365.json"),
    ];
    MockServers::start(config).await.unwrap()
}

/// A server answering every GET with a short MP3: stands in for the CRM's file storage.
async fn recordings() -> (String, examples::RunningServer) {
    let mp3 = bytes::Bytes::from(RecordingFormat::Mp3.generate(5));
    let app = axum::Router::new().fallback(move || {
        let body = mp3.clone();
        async move { ([(http::header::CONTENT_TYPE, "audio/mpeg")], body) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = examples::RunningServer::spawn(listener, app).unwrap();
    (server.url(""), server)
}

fn replace_hosts(text: &str, rop: &str, files: &str) -> String {
    text.replace("http://10.28.32.81", rop)
        .replace("https://crm.company.com", files)
        .replace("https://crm.example.com", files)
        .replace("LS6gz1bkpG3lZI6uXetEoLtoVtVXYuWO", KEY)
}

async fn json_answer(resp: reqwest::Response) -> (u16, Value) {
    crate::target::answer(resp).await
}

#[tokio::test]
async fn curl_and_python_and_php_examples_get_the_documented_answers() {
    let mocks = mock_rop().await;
    let (files, _storage) = recordings().await;
    let rop = mocks.rop_url();
    let http = reqwest::Client::new();
    let reset = || http.post(format!("{rop}/__admin/reset")).send();

    // curl #1: `--form` fields (multipart/form-data) to `calls/audio-upload`.
    let url = replace_hosts(
        "http://10.28.32.81/api/v1/calls/audio-upload?apiKey=LS6gz1bkpG3lZI6uXetEoLtoVtVXYuWO",
        &rop,
        &files,
    );
    let form = reqwest::multipart::Form::new()
        .text("manager_id", "mgr_001")
        .text("call_id", "call_12345_20250619")
        .text("deal_id", "deal_5678")
        .text("deal_stage_id", "stage_qualification")
        .text(
            "audio_url",
            replace_hosts(
                "https://crm.company.com/files/audio/call_12345.mp3",
                &rop,
                &files,
            ),
        );
    let (status, body) = json_answer(http.post(&url).multipart(form).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": "call_12345_20250619", "error": false, "message": QUEUED})
    );

    // curl #2: "the alternative JSON format" to `calls`, the same call id: on a fresh ROP 200,
    // and sent again the documented 409.
    reset().await.unwrap();
    let url = replace_hosts(
        "http://10.28.32.81/api/v1/calls?apiKey=LS6gz1bkpG3lZI6uXetEoLtoVtVXYuWO",
        &rop,
        &files,
    );
    let raw = replace_hosts(
        r#"{
  "call_id": "call_12345_20250619",
  "audio_url": "https://crm.company.com/files/audio/call_12345.mp3", 
  "duration": 900,
  "manager_id": "mgr_001",
  "deal_id": "deal_5678",
  "deal_stage_id": "stage_qualification"
}"#,
        &rop,
        &files,
    );
    let send = || {
        http.post(&url)
            .header("Content-Type", "application/json")
            .body(raw.clone())
            .send()
    };
    let (status, body) = json_answer(send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["message"], QUEUED);
    let (status, body) = json_answer(send().await.unwrap()).await;
    assert_eq!(
        (status, body),
        (
            409,
            json!({"data": false, "error": true, "message": DUPLICATE})
        )
    );

    // Python: `requests.post(url, json=call_data)`, then `check_table_ready` polling R5
    // without `apiKey`, exactly as the snippet builds its URLs.
    let base = replace_hosts("http://10.28.32.81/api/v1", &rop, &files);
    let call_data = json!({
        "manager_id": "mgr_001",
        "call_id": "call_12345",
        "deal_id": "deal_5678",
        "audio_url": replace_hosts("https://crm.example.com/audio/call_12345.mp3", &rop, &files),
    });
    let url = format!("{base}/calls/audio-upload?apiKey={KEY}");
    let (status, body) = json_answer(http.post(&url).json(&call_data).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": "call_12345", "error": false, "message": QUEUED})
    );
    let ready_url = format!(
        "{base}/tables/call-ready?tab={}&call={}",
        "TBL_1755863365", "call_12345"
    );
    let mut last = Value::Null;
    for _ in 0..300 {
        let (status, body) = json_answer(http.get(&ready_url).send().await.unwrap()).await;
        assert_eq!(status, 200, "{body}");
        last = body;
        if last["ready"] == json!(true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(last["ready"], json!(true), "{last}");
    assert!(last["data"].is_object(), "{last}");
    // The vendor document's R5 example asks for call `8`, which this ROP never saw: 404.
    let (status, _) = json_answer(
        http.get(format!(
            "{base}/tables/call-ready?tab=TBL_1755863365&call=8"
        ))
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 404);

    // PHP: `sendCall` (JSON with an explicit Content-Type) and `updateOffices`.
    let php_call = json!({
        "manager_id": "mgr_001", "call_id": "call_12345_php", "deal_id": "deal_5678",
        "audio_url": replace_hosts("https://crm.example.com/audio/call_12345.mp3", &rop, &files),
    });
    let (status, body) = json_answer(
        http.post(format!("{base}/calls/audio-upload?apiKey={KEY}"))
            .header("Content-Type", "application/json")
            .body(php_call.to_string())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["data"].clone()),
        (200, json!("call_12345_php"))
    );
    let offices = json!({"offices": [
        {"office_title": "Офис продаж Центр", "office_id": "office_001",
         "leader_ids": ["leader_123", "leader_456"], "managers_ids": ["manager_789", "manager_012", "manager_345"]}
    ]});
    let (status, body) = json_answer(
        http.post(format!("{base}/settings/offices-update?apiKey={KEY}"))
            .header("Content-Type", "application/json")
            .body(offices.to_string())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["data"].clone(), body["error"].clone()),
        (200, json!(1), json!(false))
    );
}

/// Runs one of the vendor document's `curl` lines (shell quoting already removed); answers status and body.
fn run_curl(args: &[String]) -> (u16, Value) {
    let out = std::process::Command::new("curl")
        .arg("-s")
        .args(["-w", "\n%{http_code}"])
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
    (
        code.trim().parse().unwrap_or(0),
        serde_json::from_str(body).unwrap_or(Value::Null),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeds_curl_lines_run_verbatim_with_the_host_replaced() {
    if std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_err()
    {
        return skip("curl is not installed");
    }
    let mocks = mock_rop().await;
    let (files, _storage) = recordings().await;
    let rop = mocks.rop_url();
    // The vendor document's two command lines, as the shell hands them to curl.
    let first = [
        "--location",
        "--request",
        "POST",
        "http://10.28.32.81/api/v1/calls/audio-upload?apiKey=LS6gz1bkpG3lZI6uXetEoLtoVtVXYuWO",
        "--form",
        r#"manager_id="mgr_001""#,
        "--form",
        r#"call_id="call_12345_20250619""#,
        "--form",
        r#"deal_id="deal_5678""#,
        "--form",
        r#"deal_stage_id="stage_qualification""#,
        "--form",
        r#"audio_url="https://crm.company.com/files/audio/call_12345.mp3""#,
    ];
    let second = [
        "--location",
        "--request",
        "POST",
        "http://10.28.32.81/api/v1/calls?apiKey=LS6gz1bkpG3lZI6uXetEoLtoVtVXYuWO",
        "--header",
        "Content-Type: application/json",
        "--data-raw",
        "{\n  \"call_id\": \"call_12345_20250619\",\n  \"audio_url\": \"https://crm.company.com/files/audio/call_12345.mp3\", \n  \"duration\": 900,\n  \"manager_id\": \"mgr_001\",\n  \"deal_id\": \"deal_5678\",\n  \"deal_stage_id\": \"stage_qualification\"\n}",
    ];
    let fix = |args: &[&str]| -> Vec<String> {
        args.iter()
            .map(|a| replace_hosts(a, &rop, &files))
            .collect()
    };
    // curl blocks: run it off the runtime's threads.
    let (a, b) = (fix(&first), fix(&second));
    let ((s1, b1), (s2, b2)) = tokio::task::spawn_blocking(move || (run_curl(&a), run_curl(&b)))
        .await
        .unwrap();
    assert_eq!(
        (s1, b1),
        (
            200,
            json!({"data": "call_12345_20250619", "error": false, "message": QUEUED})
        )
    );
    // Both vendor-document lines carry the same call id: the second is the documented duplicate.
    assert_eq!(
        (s2, b2),
        (
            409,
            json!({"data": false, "error": true, "message": DUPLICATE})
        )
    );
}
