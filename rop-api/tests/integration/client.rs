//! The client against wiremock: exact requests, answers, retries and error kinds.

use crate::{KEY, catch_all, fast_retry, fixture, fixture_text};
use rop_api::{
    CallId, CallReady, CallUpload, Client, Error, Manager, ManagersUpdate, Office, OfficesUpdate,
    RetryPolicy, TableId, UploadFormat,
};
use std::time::Duration;
use wiremock::matchers::{body_json, body_string, header, method, path, query_param};
use wiremock::{Match, Mock, MockBuilder, MockServer, Request, ResponseTemplate};

/// The request's whole query string, exactly (order and encoding included: no extra parameter
/// may slip in).
struct ExactQuery(String);

impl Match for ExactQuery {
    fn matches(&self, request: &Request) -> bool {
        request.url.query() == Some(self.0.as_str())
    }
}

/// `?apiKey=<KEY>` and nothing else.
fn key_only() -> ExactQuery {
    ExactQuery(format!("apiKey={KEY}"))
}

async fn setup() -> (MockServer, Client) {
    setup_with(fast_retry()).await
}

/// A server with the catch-all mounted, and a client of it retrying per `policy`.
async fn setup_with(policy: RetryPolicy) -> (MockServer, Client) {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .retry_policy(policy)
        .build()
        .unwrap();
    (server, client)
}

/// A mock of R1 `POST /api/v1/calls/audio-upload`, to be completed and mounted.
fn upload_mock() -> MockBuilder {
    Mock::given(method("POST")).and(path("/api/v1/calls/audio-upload"))
}

fn seed_call() -> CallUpload {
    serde_json::from_value(fixture("r1_request_001_form.json")).unwrap()
}

fn ok_upload() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_raw(fixture_text("r1_response_200.json"), "application/json")
}

#[tokio::test]
async fn upload_call_posts_json_with_the_key_in_the_query() {
    let (server, client) = setup().await;
    upload_mock()
        .and(key_only())
        .and(header("content-type", "application/json"))
        .and(header(
            "user-agent",
            concat!("rop-api/", env!("CARGO_PKG_VERSION")),
        ))
        .and(body_json(fixture("r1_request_001_form.json")))
        .respond_with(ok_upload())
        .expect(1)
        .mount(&server)
        .await;
    let accepted = client.upload_call(&seed_call()).await.unwrap();
    assert_eq!(accepted.call_id.as_str(), "call_12345_20250619");
    assert_eq!(
        accepted.message,
        "Звонок успешно получен и поставлен в очередь на анализ"
    );
}

#[tokio::test]
async fn upload_call_can_send_multipart_like_the_seed_curl() {
    let (server, client) = setup().await;
    upload_mock()
        .and(key_only())
        .and(|req: &Request| {
            let ct = req.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
            let body = String::from_utf8_lossy(&req.body);
            ct.starts_with("multipart/form-data; boundary=")
                && body.contains("name=\"manager_id\"\r\n\r\nmgr_001\r\n")
                && body.contains("name=\"call_id\"\r\n\r\ncall_12345_20250619\r\n")
                && body.contains("name=\"deal_id\"\r\n\r\ndeal_5678\r\n")
                && body.contains("name=\"deal_stage_id\"\r\n\r\nstage_qualification\r\n")
                && body.contains(
                    "name=\"audio_url\"\r\n\r\nhttps://crm.company.com/files/audio/call_12345.mp3\r\n",
                )
                && !body.contains("duration")
        })
        .respond_with(ok_upload())
        .expect(1)
        .mount(&server)
        .await;
    let accepted = client
        .upload_call_as(&seed_call(), UploadFormat::Multipart)
        .await
        .unwrap();
    assert_eq!(accepted.call_id.as_str(), "call_12345_20250619");
}

#[tokio::test]
async fn upload_call_can_send_a_urlencoded_form() {
    let (server, client) = setup().await;
    upload_mock()
        .and(key_only())
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "manager_id=mgr_001&call_id=call_12345_20250619&deal_id=deal_5678&deal_stage_id=stage_qualification&audio_url=https%3A%2F%2Fcrm.company.com%2Ffiles%2Faudio%2Fcall_12345.mp3",
        ))
        .respond_with(ok_upload())
        .expect(1)
        .mount(&server)
        .await;
    client
        .upload_call_as(&seed_call(), UploadFormat::Form)
        .await
        .unwrap();
}

#[tokio::test]
async fn submit_call_posts_the_alternative_json_to_calls() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/calls"))
        .and(key_only())
        .and(header("content-type", "application/json"))
        .and(body_json(fixture("r2_request_001.json")))
        .respond_with(ok_upload())
        .expect(1)
        .mount(&server)
        .await;
    let call: CallUpload = serde_json::from_value(fixture("r2_request_001.json")).unwrap();
    let accepted = client.submit_call(&call).await.unwrap();
    assert_eq!(accepted.call_id, CallId::from("call_12345_20250619"));
}

#[tokio::test]
async fn update_offices_and_managers_post_the_seed_bodies_and_read_the_count() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/settings/offices-update"))
        .and(key_only())
        .and(header("content-type", "application/json"))
        .and(body_json(fixture("r3_request_001.json")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"data":2,"error":false,"message":"ok"}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/settings/managers-update"))
        .and(key_only())
        .and(header("content-type", "application/json"))
        .and(body_json(fixture("r4_request_001.json")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"data":"2","error":"false","message":"ok"}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let offices: OfficesUpdate = serde_json::from_value(fixture("r3_request_001.json")).unwrap();
    let managers: ManagersUpdate = serde_json::from_value(fixture("r4_request_001.json")).unwrap();
    let offices: Vec<Office> = offices.offices;
    let managers: Vec<Manager> = managers.managers;
    assert_eq!(client.update_offices(&offices).await.unwrap(), 2);
    assert_eq!(client.update_managers(&managers).await.unwrap(), 2);
}

#[tokio::test]
async fn call_ready_gets_tab_call_and_key_and_tells_ready_from_not_ready() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tables/call-ready"))
        .and(ExactQuery(format!(
            "tab=TBL_1755863365&call=8&apiKey={KEY}"
        )))
        .and(|req: &Request| req.body.is_empty() && !req.headers.contains_key("content-type"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            fixture_text("r5_response_ready_001.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tables/call-ready"))
        .and(query_param("call", "9"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"ready":false}"#))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tables/call-ready"))
        .and(query_param("call", "404"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_string(r#"{"data":false,"error":true,"message":"Звонок не найден"}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let tab = TableId::from("TBL_1755863365");
    let ready = client.call_ready(&tab, &CallId::from("8")).await.unwrap();
    assert_eq!(ready.data().unwrap()["custom_field"], "результат анализа");
    let not = client.call_ready(&tab, &CallId::from("9")).await.unwrap();
    assert_eq!(not, CallReady::NotReady);
    let e = client
        .call_ready(&tab, &CallId::from("404"))
        .await
        .unwrap_err();
    insta::assert_snapshot!(e, @"request failed (HTTP 404): Звонок не найден");
}

#[tokio::test]
async fn retries_5xx_then_succeeds() {
    let (server, client) = setup().await;
    upload_mock()
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>busy</html>"))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    upload_mock()
        .respond_with(ok_upload())
        .expect(1)
        .mount(&server)
        .await;
    client.upload_call(&seed_call()).await.unwrap();
}

#[tokio::test]
async fn does_not_retry_400_401_or_409_and_keeps_status_and_body() {
    let (server, client) = setup().await;
    for (call, status, fixture_name) in [
        ("c400", 400, "r1_response_400_not_audio.json"),
        ("c401", 401, "r1_response_401.json"),
        ("c409", 409, "r1_response_409.json"),
    ] {
        upload_mock()
            .and(body_json(serde_json::json!({
                "manager_id": "m", "call_id": call, "audio_url": "https://x.example/a.mp3"
            })))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_raw(fixture_text(fixture_name), "application/json"),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let call = |id: &str| CallUpload::new(id, "m", "https://x.example/a.mp3".parse().unwrap());
    let e400 = client.upload_call(&call("c400")).await.unwrap_err();
    let e401 = client.upload_call(&call("c401")).await.unwrap_err();
    let e409 = client.upload_call(&call("c409")).await.unwrap_err();
    insta::assert_snapshot!(e400, @"request failed (HTTP 400): Файл не является аудио");
    insta::assert_snapshot!(e401, @"credentials rejected (HTTP 401): apiKey не валиден");
    insta::assert_snapshot!(e409, @"conflict (HTTP 409): Звонок с данным call_id уже обработан");
    assert!(e409.is_conflict());
    assert_eq!(
        e409.body(),
        Some(fixture_text("r1_response_409.json").as_str())
    );
    assert_eq!(e400.status().map(|s| s.as_u16()), Some(400));
}

#[tokio::test]
async fn honours_retry_after_on_429() {
    // The backoff alone would wait an hour; `Retry-After: 0` makes the retry immediate.
    let (server, client) = setup_with(
        RetryPolicy::default()
            .with_jitter(false)
            .with_initial_backoff(Duration::from_secs(3600))
            .with_max_backoff(Duration::from_secs(3600)),
    )
    .await;
    upload_mock()
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    upload_mock()
        .respond_with(ok_upload())
        .expect(1)
        .mount(&server)
        .await;
    let call = seed_call();
    let guard = tokio::time::timeout(Duration::from_secs(60), client.upload_call(&call));
    guard.await.expect("Retry-After was not honoured").unwrap();
}

#[tokio::test]
async fn a_429_after_the_retries_is_rate_limited_with_its_retry_after() {
    let (server, client) = setup_with(RetryPolicy::none()).await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "7")
                .set_body_string(
                    r#"{"data":false,"error":true,"message":"Превышен лимит запросов"}"#,
                ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let e = client.upload_call(&seed_call()).await.unwrap_err();
    assert!(
        matches!(e, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(7))
    );
    insta::assert_snapshot!(e, @"rate limited (HTTP 429), retry after 7 s: Превышен лимит запросов");
}

#[tokio::test]
async fn an_html_5xx_keeps_status_and_raw_body() {
    let (server, client) = setup_with(fast_retry().with_max_retries(1)).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"))
        .expect(2)
        .mount(&server)
        .await;
    let e = client.upload_call(&seed_call()).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(e.body(), Some("<html>Bad Gateway</html>"));
    insta::assert_snapshot!(e, @"request failed (HTTP 502): <html>Bad Gateway</html>");
}

#[tokio::test]
async fn a_malformed_success_answer_is_a_decode_error_with_the_path_and_body() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"ready":"maybe"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let e = client
        .call_ready(&TableId::from("t"), &CallId::from("c"))
        .await
        .unwrap_err();
    insta::assert_snapshot!(e, @r#"cannot decode the answer (HTTP 200) at `ready`: invalid boolean "maybe" at line 1 column 17"#);
    assert_eq!(e.body(), Some(r#"{"ready":"maybe"}"#));
}

#[tokio::test]
async fn an_invalid_call_is_rejected_before_sending() {
    let (_server, client) = setup().await;
    let mut call = seed_call();
    call.audio_url = "ftp://crm.example/a.mp3".parse().unwrap();
    let e = client.upload_call(&call).await.unwrap_err();
    insta::assert_snapshot!(e, @"invalid request: audio_url: must be an absolute http or https URL");
    let call = seed_call().with_duration(2701);
    let e = client.submit_call(&call).await.unwrap_err();
    insta::assert_snapshot!(e, @"invalid request: duration: 2701 s is longer than the maximum of 2700 s");
}

#[tokio::test]
async fn call_ready_percent_encodes_ids_and_keeps_the_key_last() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tables/call-ready"))
        .and(ExactQuery(format!(
            "tab=%D0%A2%D0%B0%D0%B1%D0%BB%D0%B8%D1%86%D0%B0+1&call=a%26b%3Dc%2Bd&apiKey={KEY}"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"ready":false}"#))
        .expect(1)
        .mount(&server)
        .await;
    let ready = client
        .call_ready(&TableId::from("Таблица 1"), &CallId::from("a&b=c+d"))
        .await
        .unwrap();
    assert_eq!(ready, CallReady::NotReady);
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_is_kept() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .and(path("/rop/api/v1/settings/managers-update"))
        .and(key_only())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"data":1,"error":false,"message":"ok"}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/rop/api/v1", server.uri()))
        .api_key(KEY)
        .build()
        .unwrap();
    let m: ManagersUpdate = serde_json::from_value(fixture("r4_request_000.json")).unwrap();
    assert_eq!(client.update_managers(&m.managers).await.unwrap(), 1);
}

#[tokio::test]
async fn an_error_envelope_with_http_200_is_an_api_error() {
    let (server, client) = setup().await;
    upload_mock()
        .respond_with(
            ResponseTemplate::new(200).set_body_string(
                r#"{"data":false,"error":true,"message":"Файл не является аудио"}"#,
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let e = client.upload_call(&seed_call()).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(200));
    insta::assert_snapshot!(e, @"request failed (HTTP 200): Файл не является аудио");
}

#[tokio::test]
async fn settings_answers_with_data_true_count_everything_sent() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/settings/offices-update"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"data":true,"error":false,"message":"ok"}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let offices: OfficesUpdate = serde_json::from_value(fixture("r3_request_001.json")).unwrap();
    assert_eq!(client.update_offices(&offices.offices).await.unwrap(), 2);
}

#[test]
fn base_url_may_be_the_host_root_or_the_full_api_root() {
    let base = |url: &str| {
        Client::builder()
            .base_url(url)
            .api_key("k")
            .build()
            .unwrap()
            .base_url()
            .to_string()
    };
    assert_eq!(base("http://rop.example"), "http://rop.example/api/v1/");
    assert_eq!(base("http://rop.example/"), "http://rop.example/api/v1/");
    assert_eq!(
        base("http://rop.example/api/v1"),
        "http://rop.example/api/v1/"
    );
    assert_eq!(
        base("http://rop.example/rop/api/v1/"),
        "http://rop.example/rop/api/v1/"
    );
}
