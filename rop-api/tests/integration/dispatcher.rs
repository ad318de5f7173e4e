//! The R1–R5 dispatcher: every route with good and bad input, asserting status and body.

use crate::{KEY, fixture, fixture_text, wav};
use bytes::Bytes;
use http::{Request, Response, StatusCode};
use rop_api::{
    CallId, CallReady, CallReadyQuery, CallUpload, Dispatcher, HandlerError, Manager, Office,
    RateLimit, RopHandler, audio,
};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A handler like the mock server's: fetches the audio, checks it, rejects repeated call ids.
#[derive(Default)]
pub(crate) struct Recorder {
    pub(crate) calls: Mutex<Vec<CallUpload>>,
    seen: Mutex<HashSet<CallId>>,
    pub(crate) offices: Mutex<Vec<Office>>,
    pub(crate) managers: Mutex<Vec<Manager>>,
}

#[async_trait::async_trait]
impl RopHandler for Recorder {
    async fn upload_call(&self, call: CallUpload) -> Result<CallId, HandlerError> {
        if !self.seen.lock().unwrap().insert(call.call_id.clone()) {
            return Err(rop_api::duplicate_call());
        }
        let bytes = reqwest::get(call.audio_url.clone())
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| {
                HandlerError::invalid("audio_url", format!("cannot fetch: {}", e.without_url()))
            })?
            .bytes()
            .await
            .map_err(|e| HandlerError::internal(e.to_string()))?;
        audio::check(&bytes)?;
        let id = call.call_id.clone();
        self.calls.lock().unwrap().push(call);
        Ok(id)
    }

    async fn update_offices(&self, offices: Vec<Office>) -> Result<u64, HandlerError> {
        let n = offices.len() as u64;
        self.offices.lock().unwrap().extend(offices);
        Ok(n)
    }

    async fn update_managers(&self, managers: Vec<Manager>) -> Result<u64, HandlerError> {
        let n = managers.len() as u64;
        self.managers.lock().unwrap().extend(managers);
        Ok(n)
    }

    async fn call_ready(&self, q: CallReadyQuery) -> Result<CallReady, HandlerError> {
        match (q.tab.as_str(), q.call.as_str()) {
            ("TBL_1755863365", "8") => Ok(CallReady::Ready(BTreeMap::from([(
                "field1".to_owned(),
                "значение1".to_owned(),
            )]))),
            ("TBL_1755863365", "9") => Ok(CallReady::NotReady),
            _ => Err(HandlerError::not_found("Таблица или звонок не найдены")),
        }
    }
}

/// A file server for `audio_url`s: `/good.wav` (3 s) and `/page.html`.
async fn files() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/good.wav"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(wav(3), "audio/wav"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/page.html"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>hi</html>", "audio/mpeg"))
        .mount(&server)
        .await;
    server
}

pub(crate) fn dispatcher() -> Dispatcher<Recorder> {
    Dispatcher::new(Recorder::default(), KEY)
}

pub(crate) fn post(uri: &str, content_type: &str, body: impl Into<Bytes>) -> Request<Bytes> {
    Request::post(uri)
        .header("content-type", content_type)
        .body(body.into())
        .unwrap()
}

pub(crate) fn post_json(uri: &str, body: &Value) -> Request<Bytes> {
    post(uri, "application/json", body.to_string())
}

pub(crate) fn get(uri: &str) -> Request<Bytes> {
    Request::get(uri).body(Bytes::new()).unwrap()
}

pub(crate) fn body(resp: &Response<Bytes>) -> Value {
    serde_json::from_slice(resp.body()).unwrap()
}

/// The R1 body with `audio_url` pointing at the file server.
fn call_json(files: &MockServer, call_id: &str, file: &str) -> Value {
    let mut v = fixture("r1_request_000.json");
    v["call_id"] = json!(call_id);
    v["audio_url"] = json!(format!("{}/{file}", files.uri()));
    v
}

const R1: &str = "/api/v1/calls/audio-upload?apiKey=test-secret-key-123";
const R2: &str = "/api/v1/calls?apiKey=test-secret-key-123";

fn accepted(call_id: &str) -> Value {
    let mut v = fixture("r1_response_200.json");
    v["data"] = json!(call_id);
    v
}

#[tokio::test]
async fn r1_json_is_accepted_with_the_seed_answer() {
    let files = files().await;
    let d = dispatcher();
    let resp = d
        .dispatch(post_json(R1, &call_json(&files, "call_789456", "good.wav")))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(body(&resp), accepted("call_789456"));
    assert_eq!(
        resp.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let calls = d.handler().calls.lock().unwrap();
    assert_eq!(calls[0].deal_id.as_ref().unwrap().as_str(), "deal_456789");
}

#[tokio::test]
async fn r1_multipart_like_the_seed_curl_is_accepted() {
    let files = files().await;
    let url = format!("{}/good.wav", files.uri());
    let mut form = String::new();
    for (k, v) in [
        ("manager_id", "mgr_001"),
        ("call_id", "call_12345_20250619"),
        ("deal_id", "deal_5678"),
        ("deal_stage_id", "stage_qualification"),
        ("audio_url", url.as_str()),
    ] {
        form +=
            &format!("--BOUNDARY\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n");
    }
    form += "--BOUNDARY--\r\n";
    let d = dispatcher();
    let resp = d
        .dispatch(post(R1, "multipart/form-data; boundary=BOUNDARY", form))
        .await;
    assert_eq!(
        (resp.status(), body(&resp)),
        (StatusCode::OK, accepted("call_12345_20250619"))
    );
}

#[tokio::test]
async fn r1_urlencoded_form_with_numeric_string_duration_is_accepted() {
    let files = files().await;
    let form = format!(
        "manager_id=m1&call_id=c-form&duration=900&audio_url={}",
        url::form_urlencoded::byte_serialize(format!("{}/good.wav", files.uri()).as_bytes())
            .collect::<String>()
    );
    let d = dispatcher();
    let resp = d
        .dispatch(post(R1, "application/x-www-form-urlencoded", form))
        .await;
    assert_eq!(
        (resp.status(), body(&resp)),
        (StatusCode::OK, accepted("c-form"))
    );
    assert_eq!(d.handler().calls.lock().unwrap()[0].duration, Some(900));
}

#[tokio::test]
async fn r2_alternative_json_is_accepted() {
    let files = files().await;
    let mut v = fixture("r2_request_001.json");
    v["audio_url"] = json!(format!("{}/good.wav", files.uri()));
    v["duration"] = json!("900");
    let resp = dispatcher().dispatch(post_json(R2, &v)).await;
    assert_eq!(
        (resp.status(), body(&resp)),
        (StatusCode::OK, accepted("call_12345_20250619"))
    );
}

#[tokio::test]
async fn r3_and_r4_store_and_answer_the_count() {
    let d = dispatcher();
    let resp = d
        .dispatch(post_json(
            "/api/v1/settings/offices-update?apiKey=test-secret-key-123",
            &fixture("r3_request_001.json"),
        ))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        body(&resp),
        json!({"data":2,"error":false,"message":"Структура офисов обновлена"})
    );
    let resp = d
        .dispatch(post_json(
            "/api/v1/settings/managers-update?apiKey=test-secret-key-123",
            &fixture("r4_request_001.json"),
        ))
        .await;
    assert_eq!(
        body(&resp),
        json!({"data":2,"error":false,"message":"Данные менеджеров обновлены"})
    );
    assert_eq!(
        d.handler().offices.lock().unwrap()[1].office_id.as_str(),
        "office_002"
    );
    assert_eq!(d.handler().managers.lock().unwrap()[1].name, "Мария");
}

#[tokio::test]
async fn r5_answers_ready_not_ready_and_404() {
    let d = dispatcher();
    let resp = d
        .dispatch(get(
            "/api/v1/tables/call-ready?tab=TBL_1755863365&call=8&apiKey=test-secret-key-123",
        ))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        body(&resp),
        json!({"ready":true,"data":{"field1":"значение1"}})
    );
    let resp = d
        .dispatch(get(
            "/api/v1/tables/call-ready?tab=TBL_1755863365&call=9&apiKey=test-secret-key-123",
        ))
        .await;
    assert_eq!(body(&resp), fixture("r5_response_not_ready.json"));
    let resp = d
        .dispatch(get(
            "/api/v1/tables/call-ready?tab=nope&call=8&apiKey=test-secret-key-123",
        ))
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        body(&resp),
        json!({"data":false,"error":true,"message":"Таблица или звонок не найдены"})
    );
}

#[tokio::test]
async fn r5_without_key_is_401_unless_legacy_callers_are_allowed() {
    let uri = "/api/v1/tables/call-ready?tab=TBL_1755863365&call=8";
    let resp = dispatcher().dispatch(get(uri)).await;
    assert_eq!(
        (resp.status(), body(&resp)),
        (StatusCode::UNAUTHORIZED, fixture("r1_response_401.json"))
    );
    let d = dispatcher().allow_keyless_call_ready(true);
    assert_eq!(d.dispatch(get(uri)).await.status(), StatusCode::OK);
    let bad = d.dispatch(get(&format!("{uri}&apiKey=wrong"))).await;
    assert_eq!(
        bad.status(),
        StatusCode::UNAUTHORIZED,
        "a key that is sent must be valid"
    );
}

#[tokio::test]
async fn r5_missing_parameter_is_400_naming_it() {
    let resp = dispatcher()
        .dispatch(get(
            "/api/v1/tables/call-ready?tab=TBL_1&apiKey=test-secret-key-123",
        ))
        .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    insta::assert_snapshot!(body(&resp)["message"].as_str().unwrap(), @"Некорректный параметр call: missing field `call`");
}

#[tokio::test]
async fn rejects_wrong_api_key_with_401() {
    let files = files().await;
    let d = dispatcher();
    for uri in [
        "/api/v1/calls/audio-upload?apiKey=wrong",
        "/api/v1/calls/audio-upload",
        "/api/v1/calls/audio-upload?apiKey=test-secret-key-123&apiKey=test-secret-key-123x",
    ] {
        let resp = d
            .dispatch(post_json(uri, &call_json(&files, "c", "good.wav")))
            .await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(body(&resp), fixture("r1_response_401.json"), "{uri}");
    }
    assert!(d.handler().calls.lock().unwrap().is_empty());
}

#[tokio::test]
async fn accepts_any_of_several_configured_keys() {
    let d = dispatcher().with_api_key("second-key");
    let resp = d
        .dispatch(post_json(
            "/api/v1/settings/managers-update?apiKey=second-key",
            &fixture("r4_request_000.json"),
        ))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn rejects_a_missing_field_with_400_naming_it() {
    let files = files().await;
    let mut v = call_json(&files, "c", "good.wav");
    v.as_object_mut().unwrap().remove("call_id");
    let resp = dispatcher().dispatch(post_json(R1, &v)).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    insta::assert_snapshot!(resp_text(&resp), @r#"{"data":false,"error":true,"message":"Некорректный параметр call_id: missing field `call_id`"}"#);
}

#[tokio::test]
async fn rejects_a_wrong_type_with_400_naming_the_field() {
    let files = files().await;
    let mut v = call_json(&files, "c", "good.wav");
    v["duration"] = json!("fifteen minutes");
    let resp = dispatcher().dispatch(post_json(R1, &v)).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    insta::assert_snapshot!(body(&resp)["message"].as_str().unwrap(), @r#"Некорректный параметр duration: invalid value "fifteen minutes": invalid digit found in string"#);
    let mut v = fixture("r3_request_000.json");
    v["offices"][0]["leader_ids"] = json!({"a": 1});
    let resp = dispatcher()
        .dispatch(post_json(
            "/api/v1/settings/offices-update?apiKey=test-secret-key-123",
            &v,
        ))
        .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let msg = body(&resp)["message"].as_str().unwrap().to_owned();
    assert!(
        msg.starts_with("Некорректный параметр offices[0].leader_ids:"),
        "{msg}"
    );
}

#[tokio::test]
async fn rejects_bad_audio_urls_and_long_durations_with_400() {
    let d = dispatcher();
    for (url, duration, expected) in [
        (
            "ftp://crm.example/a.mp3",
            json!(null),
            "Некорректный параметр audio_url: must be an absolute http or https URL",
        ),
        (
            "/files/a.mp3",
            json!(null),
            "Некорректный параметр audio_url: relative URL without a base: \"/files/a.mp3\"",
        ),
        (
            "https://crm.example/a.mp3",
            json!(2701),
            "Некорректный параметр duration: 2701 s is longer than the maximum of 2700 s",
        ),
    ] {
        let v = json!({"manager_id":"m","call_id":"c","audio_url":url,"duration":duration});
        let resp = d.dispatch(post_json(R1, &v)).await;
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{url}");
        assert_eq!(body(&resp)["message"], expected);
    }
}

#[tokio::test]
async fn answers_404_for_an_unknown_path_and_405_for_a_wrong_method() {
    let d = dispatcher();
    let resp = d
        .dispatch(get("/api/v1/calls/upload?apiKey=test-secret-key-123"))
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    insta::assert_snapshot!(resp_text(&resp), @r#"{"data":false,"error":true,"message":"Метод API не найден: /api/v1/calls/upload"}"#);
    let resp = d.dispatch(get(R1)).await;
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(resp.headers()["allow"], "POST");
    insta::assert_snapshot!(resp_text(&resp), @r#"{"data":false,"error":true,"message":"Метод не поддерживается: используйте POST"}"#);
    let resp = d
        .dispatch(post_json(
            "/api/v1/tables/call-ready?apiKey=test-secret-key-123",
            &json!({}),
        ))
        .await;
    assert_eq!(
        (resp.status(), &resp.headers()["allow"]),
        (
            StatusCode::METHOD_NOT_ALLOWED,
            &"GET".parse::<http::HeaderValue>().unwrap()
        )
    );
}

#[tokio::test]
async fn answers_409_for_a_duplicate_call() {
    let files = files().await;
    let d = dispatcher();
    let v = call_json(&files, "dup", "good.wav");
    assert_eq!(d.dispatch(post_json(R1, &v)).await.status(), StatusCode::OK);
    let resp = d.dispatch(post_json(R2, &v)).await;
    assert_eq!(
        (resp.status(), body(&resp)),
        (StatusCode::CONFLICT, fixture("r1_response_409.json"))
    );
}

#[tokio::test]
async fn rejects_a_body_over_the_limit_with_413() {
    let d = dispatcher().with_body_limit(64);
    let v = json!({"manager_id":"m","call_id":"c","audio_url":format!("https://x.example/{}", "a".repeat(100))});
    let resp = d.dispatch(post_json(R1, &v)).await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    insta::assert_snapshot!(resp_text(&resp), @r#"{"data":false,"error":true,"message":"Некорректное тело запроса: request body is larger than 64 bytes"}"#);
}

#[tokio::test]
async fn rejects_malformed_and_unsupported_bodies() {
    let d = dispatcher();
    let resp = d
        .dispatch(post(R1, "application/json", "{\"call_id\": "))
        .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(
        body(&resp)["message"]
            .as_str()
            .unwrap()
            .starts_with("Некорректное тело запроса: body is not valid JSON")
    );
    let resp = d.dispatch(post(R1, "application/xml", "<call/>")).await;
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn rejects_non_audio_bytes_with_the_seed_message() {
    let files = files().await;
    let resp = dispatcher()
        .dispatch(post_json(R1, &call_json(&files, "c", "page.html")))
        .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(body(&resp), fixture("r1_response_400_not_audio.json"));
}

#[tokio::test]
async fn an_unfetchable_audio_url_is_400_naming_the_url_problem() {
    let files = files().await;
    let resp = dispatcher()
        .dispatch(post_json(R1, &call_json(&files, "c", "missing.mp3")))
        .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    insta::assert_snapshot!(body(&resp)["message"].as_str().unwrap(), @"Некорректный параметр audio_url: cannot fetch: HTTP status client error (404 Not Found)");
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let d = dispatcher().with_rate_limit(RateLimit::per_minute(2));
    let uri = "/api/v1/settings/managers-update?apiKey=test-secret-key-123";
    let v = fixture("r4_request_000.json");
    assert_eq!(
        d.dispatch(post_json(uri, &v)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        d.dispatch(post_json(uri, &v)).await.status(),
        StatusCode::OK
    );
    let resp = d.dispatch(post_json(uri, &v)).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let after: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&after), "{after}");
    insta::assert_snapshot!(resp_text(&resp), @r#"{"data":false,"error":true,"message":"Превышен лимит запросов"}"#);
    // A wrong key is 401, not counted against the limit.
    let resp = d
        .dispatch(post_json("/api/v1/settings/managers-update?apiKey=x", &v))
        .await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_rate_limit_is_off_by_default() {
    let d = dispatcher();
    let uri = "/api/v1/settings/managers-update?apiKey=test-secret-key-123";
    for _ in 0..61 {
        assert_eq!(
            d.dispatch(post_json(uri, &fixture("r4_request_000.json")))
                .await
                .status(),
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn handler_internal_errors_are_500_with_a_generic_message() {
    struct Failing;
    #[async_trait::async_trait]
    impl RopHandler for Failing {
        async fn upload_call(&self, _: CallUpload) -> Result<CallId, HandlerError> {
            Err(HandlerError::internal("database password is hunter2"))
        }
    }
    let resp = Dispatcher::new(Failing, KEY)
        .dispatch(post_json(R1, &fixture("r1_request_000.json")))
        .await;
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        body(&resp),
        json!({"data":false,"error":true,"message":"Внутренняя ошибка сервера"})
    );
}

#[tokio::test]
async fn a_custom_prefix_serves_the_routes_there() {
    let d = dispatcher().with_prefix("");
    let resp = d
        .dispatch(post_json(
            "/settings/managers-update/?apiKey=test-secret-key-123",
            &fixture("r4_request_000.json"),
        ))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn works_as_a_tower_service() {
    use tower_service::Service;
    let mut d = dispatcher().into_service();
    let resp = d
        .call(post_json(
            "/api/v1/settings/offices-update?apiKey=test-secret-key-123",
            &fixture("r3_request_000.json"),
        ))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

#[test]
fn the_seed_fixture_matches_the_dispatcher_not_audio_answer() {
    assert_eq!(
        fixture_text("r1_response_400_not_audio.json").trim(),
        r#"{"data":false,"error":true,"message":"Файл не является аудио"}"#
    );
}

fn resp_text(resp: &Response<Bytes>) -> String {
    String::from_utf8(resp.body().to_vec()).unwrap()
}

#[cfg(feature = "axum")]
#[tokio::test]
async fn the_axum_router_serves_the_dispatcher() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = dispatcher().with_body_limit(1024).into_router();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let http = reqwest::Client::new();
    let resp = http
        .post(format!(
            "http://{addr}/api/v1/settings/offices-update?apiKey={KEY}"
        ))
        .json(&fixture("r3_request_001.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let resp = http
        .post(format!(
            "http://{addr}/api/v1/settings/offices-update?apiKey={KEY}"
        ))
        .body(vec![b' '; 4096])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever arrives, the answer is a 4xx envelope, never a panic or a 500.
    #[test]
    fn arbitrary_bodies_get_a_4xx_envelope(
        route in proptest::sample::select(vec![R1, R2,
            "/api/v1/settings/offices-update?apiKey=test-secret-key-123",
            "/api/v1/settings/managers-update?apiKey=test-secret-key-123"]),
        ctype in proptest::sample::select(vec!["application/json", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "text/plain", ""]),
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let resp = rt.block_on(dispatcher().dispatch(post(route, ctype, bytes)));
        proptest::prop_assert!(resp.status().is_client_error(), "{}", resp.status());
        let v: Value = serde_json::from_slice(resp.body()).unwrap();
        proptest::prop_assert_eq!(&v["error"], &json!(true));
    }
}
