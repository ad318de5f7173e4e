//! W1/W2: the sender against wiremock and the receiving dispatcher.

use crate::{catch_all, fast_retry, fixture};
use bytes::Bytes;
use http::{Request, StatusCode};
use rop_api::{
    ChecklistResult, HandlerError, RetryPolicy, TableResult, WebhookDispatcher, WebhookHandler,
    WebhookSender,
};
use serde_json::{Value, json};
use std::sync::Mutex;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn sender(policy: RetryPolicy) -> WebhookSender {
    WebhookSender::builder()
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn w1() -> ChecklistResult {
    serde_json::from_value(fixture("w1_001.json")).unwrap()
}

#[tokio::test]
async fn sender_posts_the_full_form_json_and_reports_delivery() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .and(path("/hooks/checklist"))
        .and(header("content-type", "application/json"))
        .and(body_json(fixture("w1_001.json")))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/hooks/table"))
        .and(body_json(fixture("w2_001.json")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let s = sender(fast_retry());
    let url = format!("{}/hooks/checklist", server.uri()).parse().unwrap();
    let report = s.send_checklist_result(&url, &w1()).await;
    assert!(report.delivered);
    assert_eq!(
        (report.attempts, report.status, report.error),
        (1, Some(StatusCode::OK), None)
    );
    let w2: TableResult = serde_json::from_value(fixture("w2_001.json")).unwrap();
    let url = format!("{}/hooks/table", server.uri()).parse().unwrap();
    assert!(s.send_table_result(&url, &w2).await.delivered);
}

#[tokio::test]
async fn sender_retries_5xx_and_429_then_delivers() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let report = sender(fast_retry())
        .send_checklist_result(&server.uri().parse().unwrap(), &w1())
        .await;
    assert!(report.delivered);
    assert_eq!(report.attempts, 3);
}

#[tokio::test]
async fn sender_treats_other_4xx_as_permanent() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string("bad payload"))
        .expect(1)
        .mount(&server)
        .await;
    let report = sender(fast_retry())
        .send_checklist_result(&server.uri().parse().unwrap(), &w1())
        .await;
    assert!(!report.delivered);
    assert_eq!(report.attempts, 1);
    assert_eq!(report.status, Some(StatusCode::BAD_REQUEST));
    insta::assert_snapshot!(report.error.unwrap(), @"HTTP 400: bad payload");
}

#[tokio::test]
async fn sender_reports_connection_failures_without_the_url() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/hook?token=hook-secret")
        .parse()
        .unwrap();
    let report = sender(fast_retry().with_max_retries(1))
        .send_checklist_result(&url, &w1())
        .await;
    assert!(!report.delivered);
    assert_eq!((report.attempts, report.status), (2, None));
    let text = format!("{report:?}");
    assert!(!text.contains("hook-secret"), "{text}");
}

#[derive(Default)]
struct Crm {
    checklists: Mutex<Vec<ChecklistResult>>,
    tables: Mutex<Vec<TableResult>>,
}

#[async_trait::async_trait]
impl WebhookHandler for Crm {
    async fn on_checklist_result(&self, r: ChecklistResult) -> Result<(), HandlerError> {
        let mut seen = self.checklists.lock().unwrap();
        if seen
            .iter()
            .any(|c| c.call_id == r.call_id && c.checklist_name == r.checklist_name)
        {
            return Err(rop_api::duplicate_call());
        }
        seen.push(r);
        Ok(())
    }

    async fn on_table_result(&self, r: TableResult) -> Result<(), HandlerError> {
        self.tables.lock().unwrap().push(r);
        Ok(())
    }
}

fn post(uri: &str, body: &Value) -> Request<Bytes> {
    Request::post(uri)
        .header("content-type", "application/json")
        .body(Bytes::from(body.to_string()))
        .unwrap()
}

fn json_body(resp: &http::Response<Bytes>) -> Value {
    serde_json::from_slice(resp.body()).unwrap()
}

#[tokio::test]
async fn receiver_routes_both_seed_forms_by_shape() {
    let d = WebhookDispatcher::new(Crm::default());
    for name in ["w1_000.json", "w1_001.json", "w2_000.json", "w2_001.json"] {
        let resp = d.dispatch(post("/any/path", &fixture(name))).await;
        assert_eq!(resp.status(), StatusCode::OK, "{name}");
        assert_eq!(
            json_body(&resp),
            json!({"data":true,"error":false,"message":"OK"})
        );
    }
    let crm = d.handler();
    assert_eq!(crm.checklists.lock().unwrap().len(), 2);
    let tables = crm.tables.lock().unwrap();
    assert_eq!(tables[1].table_name.as_deref(), Some("Анализ конверсии"));
}

#[tokio::test]
async fn receiver_acknowledges_duplicates_with_200() {
    let d = WebhookDispatcher::new(Crm::default());
    assert_eq!(
        d.dispatch(post("/", &fixture("w1_001.json")))
            .await
            .status(),
        StatusCode::OK
    );
    let resp = d.dispatch(post("/", &fixture("w1_001.json"))).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        json_body(&resp)["message"],
        "Повторная доставка проигнорирована"
    );
    assert_eq!(d.handler().checklists.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn receiver_with_paths_routes_by_path_and_404s_others() {
    let d = WebhookDispatcher::new(Crm::default())
        .with_checklist_path("/hooks/checklist")
        .with_table_path("/hooks/table");
    assert_eq!(
        d.dispatch(post("/hooks/table/", &fixture("w2_000.json")))
            .await
            .status(),
        StatusCode::OK
    );
    let resp = d
        .dispatch(post("/hooks/checklist", &fixture("w2_000.json")))
        .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    insta::assert_snapshot!(json_body(&resp)["message"].as_str().unwrap(), @"Некорректный параметр manager_id: missing field `manager_id`");
    let resp = d
        .dispatch(post("/hooks/other", &fixture("w2_000.json")))
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        json_body(&resp),
        json!({"data":false,"error":true,"message":"Неизвестный webhook: /hooks/other"})
    );
}

#[tokio::test]
async fn receiver_rejects_unknown_shapes_wrong_methods_and_bad_fields() {
    let d = WebhookDispatcher::new(Crm::default());
    let resp = d.dispatch(post("/", &json!({"call_id": "c"}))).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    insta::assert_snapshot!(String::from_utf8_lossy(resp.body()), @r#"{"data":false,"error":true,"message":"Некорректный параметр stages: neither `stages` (checklist result) nor `extracted_data` (table result) is present"}"#);
    let resp = d
        .dispatch(Request::get("/").body(Bytes::new()).unwrap())
        .await;
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        json_body(&resp),
        json!({"data":false,"error":true,"message":"Метод не поддерживается: используйте POST"})
    );
    let mut v = fixture("w1_001.json");
    v["stages"][0]["score"] = json!("passed");
    let resp = d.dispatch(post("/", &v)).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    insta::assert_snapshot!(json_body(&resp)["message"].as_str().unwrap(), @r#"Некорректный параметр stages[0].score: invalid value "passed": invalid digit found in string"#);
}

#[tokio::test]
async fn sender_and_receiver_agree_end_to_end() {
    // The receiving dispatcher behind a wiremock responder: what the sender writes, it reads.
    struct Bridge(WebhookDispatcher<Crm>);
    impl wiremock::Respond for Bridge {
        fn respond(&self, req: &wiremock::Request) -> ResponseTemplate {
            let mut r = Request::post(req.url.path());
            for (k, v) in &req.headers {
                r = r.header(k, v);
            }
            let http_req = r.body(Bytes::from(req.body.clone())).unwrap();
            let d = self.0.clone();
            let resp = std::thread::spawn(move || {
                tokio::runtime::Runtime::new()
                    .unwrap()
                    .block_on(d.dispatch(http_req))
            })
            .join()
            .unwrap();
            ResponseTemplate::new(resp.status().as_u16()).set_body_bytes(resp.body().to_vec())
        }
    }
    let server = MockServer::start().await;
    let d = WebhookDispatcher::new(Crm::default());
    Mock::given(method("POST"))
        .respond_with(Bridge(d.clone()))
        .mount(&server)
        .await;
    let report = sender(fast_retry())
        .send_checklist_result(&server.uri().parse().unwrap(), &w1())
        .await;
    assert!(report.delivered);
    assert_eq!(d.handler().checklists.lock().unwrap()[0], w1());
}
