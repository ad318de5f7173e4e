//! The client against wiremock: every action with the exact query, auth and error handling.

use crate::common::{ExactQuery, LOGIN, PASSWORD, at, client_for, fixture, strict_server};
use chrono::TimeZone;
use universe_api::{
    CallRequest, CallStatus, Error, LeadRequest, MessageRequest, PageRequest, TaskRequest,
};
use wiremock::matchers::{basic_auth, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn expect(server: &MockServer, query: &str, body: &str) {
    Mock::given(method("GET"))
        .and(path("/analytics"))
        .and(basic_auth(LOGIN, PASSWORD))
        .and(header("accept", "application/json"))
        .and(ExactQuery(query.to_owned()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(body),
        )
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn import_scheme_sends_the_action_and_decodes_the_seed_answer() {
    let server = strict_server().await;
    expect(
        &server,
        "action=import_scheme",
        &fixture("import_scheme.json"),
    )
    .await;
    let scheme = client_for(&server).import_scheme().await.unwrap();
    assert_eq!(scheme.statuses[1].name, "В работе");
}

#[tokio::test]
async fn export_clients_sends_offset_and_limit() {
    let server = strict_server().await;
    expect(
        &server,
        "action=export_clients&limit=1000&offset=0",
        &fixture("export_clients.json"),
    )
    .await;
    let page = client_for(&server)
        .export_clients(PageRequest::new(0, 1000))
        .await
        .unwrap();
    assert_eq!(page.clients.len(), 3);
    assert_eq!(page.pagination.total_count, 3);
}

#[tokio::test]
async fn export_orders_sends_date_as_unix_seconds() {
    let server = strict_server().await;
    expect(
        &server,
        "action=export&date=1657497600&limit=1000&offset=0",
        &fixture("export.json"),
    )
    .await;
    let page = client_for(&server)
        .export_orders(at(1_657_497_600), PageRequest::new(0, 1000))
        .await
        .unwrap();
    assert_eq!(page.orders.len(), 5);
    assert_eq!(page.fields.len(), 5);
}

#[tokio::test]
async fn export_orders_first_page_may_omit_limit() {
    let server = strict_server().await;
    expect(
        &server,
        "action=export&date=1657497600&offset=0",
        &fixture("export.json"),
    )
    .await;
    let page = client_for(&server)
        .export_orders(at(1_657_497_600), PageRequest::first())
        .await
        .unwrap();
    assert_eq!(page.pagination.limit, 1000);
}

#[tokio::test]
async fn create_lead_percent_encodes_cyrillic_json_data_and_the_date() {
    let server = strict_server().await;
    expect(
        &server,
        "action=lead&title=JivoSite&name=%D0%90%D0%BD%D0%BD%D0%B0&phone=88007000000&email=test%40mail.ru&data=%7B%221%22%3A%22https%3A%2F%2Fwww.google.ru%22%2C%222%22%3A%22seo_google_%22%2C%223%22%3A%22%D0%9D%D0%B5%D0%B8%D0%B7%D0%B2%D0%B5%D1%81%D1%82%D0%BD%D0%BE%22%2C%224%22%3A%22%D0%9D%D0%B5%D0%B8%D0%B7%D0%B2%D0%B5%D1%81%D1%82%D0%BD%D0%BE%22%7D&created_date=2022-07-12+10%3A35%3A12&visit=437272&manager_id=72",
        &fixture("lead_answer.json"),
    )
    .await;
    let mut lead = LeadRequest::new("JivoSite");
    lead.name = Some("Анна".into());
    lead.phone = Some("88007000000".into());
    lead.email = Some("test@mail.ru".into());
    for (k, v) in [
        ("1", "https://www.google.ru"),
        ("2", "seo_google_"),
        ("3", "Неизвестно"),
        ("4", "Неизвестно"),
    ] {
        lead.data.insert(k.into(), v.into());
    }
    lead.created_date = Some(
        chrono::Utc
            .with_ymd_and_hms(2022, 7, 12, 10, 35, 12)
            .unwrap(),
    );
    lead.visit = Some("437272".into());
    lead.manager_id = Some("72".into());
    let answer = client_for(&server).create_lead(&lead).await.unwrap();
    assert_eq!(answer.order_id.as_str(), "803");
}

#[tokio::test]
async fn add_message_encodes_spaces_as_plus() {
    let server = strict_server().await;
    expect(
        &server,
        "action=message&leadId=803&title=%D0%97%D0%B0%D0%B3%D0%BE%D0%BB%D0%BE%D0%B2%D0%BE%D0%BA+%D1%81%D0%BE%D0%BE%D0%B1%D1%89%D0%B5%D0%BD%D0%B8%D1%8F&message=%D0%A2%D0%B5%D0%BA%D1%81%D1%82+%D1%81%D0%BE%D0%BE%D0%B1%D1%89%D0%B5%D0%BD%D0%B8%D1%8F",
        &fixture("message_answer.json"),
    )
    .await;
    let mut m = MessageRequest::new("803", "Текст сообщения");
    m.title = Some("Заголовок сообщения".into());
    let answer = client_for(&server).add_message(&m).await.unwrap();
    assert_eq!(answer.message_id.as_str(), "810");
}

#[tokio::test]
async fn add_message_escapes_plus_ampersand_and_percent() {
    let server = strict_server().await;
    expect(
        &server,
        "action=message&leadId=803&message=1%2B1+%3D+2+%26+100%25+%7B%22ok%22%7D",
        &fixture("message_answer.json"),
    )
    .await;
    let m = MessageRequest::new("803", r#"1+1 = 2 & 100% {"ok"}"#);
    client_for(&server).add_message(&m).await.unwrap();
}

#[tokio::test]
async fn add_task_sends_deadline_in_utc_t_form() {
    let server = strict_server().await;
    expect(
        &server,
        "action=task&element_id=803&deadline=2023-01-01T11%3A11%3A11&text=%D0%A2%D0%B5%D0%BA%D1%81%D1%82+%D0%B7%D0%B0%D0%B4%D0%B0%D1%87%D0%B8",
        &fixture("task_answer.json"),
    )
    .await;
    let mut t = TaskRequest::new("803", "Текст задачи");
    // 14:11:11 at +03:00 is 11:11:11 UTC.
    t.deadline = Some(
        chrono::DateTime::parse_from_rfc3339("2023-01-01T14:11:11+03:00")
            .unwrap()
            .to_utc(),
    );
    let answer = client_for(&server).add_task(&t).await.unwrap();
    assert_eq!(answer.task_id.as_str(), "811");
}

#[tokio::test]
async fn add_call_sends_every_field_with_canonical_status() {
    let server = strict_server().await;
    expect(
        &server,
        "action=call&id=1803&callee=78007000000&caller=78007000001&date=2023-01-01T11%3A11%3A11&visit=12345&marker=vk_new_post&status=ANSWER&order_id=803&duration=50&file_url=https%3A%2F%2Fpbx.example%2Frec%2F1803.mp3%3Fa%3D1%26b%3D2",
        &fixture("call_answer.json"),
    )
    .await;
    let call = CallRequest {
        id: "1803".into(),
        callee: Some("78007000000".into()),
        caller: Some("78007000001".into()),
        date: Some(
            chrono::Utc
                .with_ymd_and_hms(2023, 1, 1, 11, 11, 11)
                .unwrap(),
        ),
        visit: Some("12345".into()),
        marker: Some("vk_new_post".into()),
        status: Some(CallStatus::parse("answered")),
        order_id: Some("803".into()),
        duration: Some(50),
        file_url: Some("https://pbx.example/rec/1803.mp3?a=1&b=2".into()),
    };
    let answer = client_for(&server).add_call(&call).await.unwrap();
    assert_eq!(answer.call_id.as_str(), "814");
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .and(path("/crm/v2/analytics"))
        .and(ExactQuery("action=import_scheme".into()))
        .respond_with(ResponseTemplate::new(200).set_body_string(fixture("import_scheme.json")))
        .expect(3)
        .mount(&server)
        .await;
    for base in ["/crm/v2", "/crm/v2/", "/crm/v2/analytics"] {
        let client = universe_api::Client::builder()
            .base_url(format!("{}{base}", server.uri()))
            .credentials(LOGIN, PASSWORD)
            .build()
            .unwrap();
        assert_eq!(client.endpoint().path(), "/crm/v2/analytics", "{base}");
        client.import_scheme().await.unwrap();
    }
}

#[tokio::test]
async fn status_error_with_http_200_is_an_api_error_keeping_message_and_body() {
    let server = strict_server().await;
    let body = r#"{"status":"error","message":"Сделка 999 не найдена"}"#;
    expect(&server, "action=message&leadId=999&message=x", body).await;
    let err = client_for(&server)
        .add_message(&MessageRequest::new("999", "x"))
        .await
        .unwrap_err();
    match &err {
        Error::Api {
            status,
            message,
            body: raw,
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(message, "Сделка 999 не найдена");
            assert_eq!(raw, body);
        }
        other => panic!("expected Api, got {other:?}"),
    }
}

#[tokio::test]
async fn status_error_with_http_400_is_an_api_error() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_string(r#"{"status":"ERROR","message":"bad limit"}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client_for(&server).import_scheme().await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { message, .. } if message == "bad limit"),
        "{err:?}"
    );
    assert_eq!(err.status().unwrap().as_u16(), 400);
}

#[tokio::test]
async fn html_502_keeps_status_and_raw_body_after_retries() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"))
        .expect(4)
        .mount(&server)
        .await;
    let err = client_for(&server).import_scheme().await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { status, body, message } if status.as_u16() == 502 && body == "<html>Bad Gateway</html>" && message == body),
        "{err:?}"
    );
}

#[tokio::test]
async fn unauthorized_is_not_retried() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_string("Unauthorized"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client_for(&server).import_scheme().await.unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 401);
}

#[tokio::test]
async fn decode_failure_names_the_field_and_keeps_the_body() {
    let server = strict_server().await;
    let body =
        r#"{"orders":[{"id":"1","date_create":"1657620091"},{"id":"2","date_create":"soon"}]}"#;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .expect(1)
        .mount(&server)
        .await;
    let err = client_for(&server)
        .export_orders(at(0), PageRequest::new(0, 10))
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            path, body: raw, ..
        } => {
            assert_eq!(path, "orders[1].date_create");
            assert_eq!(raw, body);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn non_json_200_is_a_decode_error_with_the_body() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("OK"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client_for(&server)
        .add_call(&CallRequest::new("1"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { path, body, .. } if path == "." && body == "OK"),
        "{err:?}"
    );
}

#[tokio::test]
async fn answer_without_the_id_is_a_decode_error_naming_it() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"status":"ok"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let err = client_for(&server)
        .create_lead(&LeadRequest::new("t"))
        .await
        .unwrap_err();
    let Error::Decode { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("order_id"), "{message}");
}

#[test]
fn builder_rejects_missing_or_bad_configuration() {
    let e = universe_api::Client::builder()
        .credentials("a", "b")
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Config(_)));
    let e = universe_api::Client::builder()
        .base_url("ftp://x")
        .credentials("a", "b")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("http or https"), "{e}");
    let e = universe_api::Client::builder()
        .base_url("http://crm.example")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("credentials"), "{e}");
}

#[test]
fn credentials_in_the_base_url_are_used_and_removed() {
    let client = universe_api::Client::builder()
        .base_url("https://bob:s%40cret@crm.example/x")
        .build()
        .unwrap();
    assert_eq!(
        client.endpoint().as_str(),
        "https://crm.example/x/analytics"
    );
}

#[tokio::test]
async fn credentials_in_the_base_url_are_percent_decoded_with_plus_kept() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .and(basic_auth("bob@corp", "a+b c"))
        .respond_with(ResponseTemplate::new(200).set_body_string(fixture("import_scheme.json")))
        .expect(1)
        .mount(&server)
        .await;
    let base = server
        .uri()
        .replace("http://", "http://bob%40corp:a+b%20c@");
    let client = universe_api::Client::builder()
        .base_url(base)
        .build()
        .unwrap();
    assert!(!client.endpoint().as_str().contains("bob"));
    client.import_scheme().await.unwrap();
}

#[tokio::test]
async fn retries_5xx_and_429_then_succeeds() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    expect(
        &server,
        "action=import_scheme",
        &fixture("import_scheme.json"),
    )
    .await;
    let scheme = client_for(&server).import_scheme().await.unwrap();
    assert_eq!(scheme.statuses.len(), 5);
}

#[tokio::test]
async fn a_400_error_answer_is_not_retried() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_string(r#"{"status":"error","message":"invalid parameter `limit`"}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client_for(&server)
        .export_clients(PageRequest::new(0, 0))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
}

#[test]
fn base_url_may_be_the_host_root_a_prefix_or_the_full_endpoint() {
    let endpoint = |base: &str| {
        universe_api::Client::builder()
            .base_url(base)
            .credentials("u", "p")
            .build()
            .unwrap()
            .endpoint()
            .to_string()
    };
    assert_eq!(
        endpoint("http://crm.example"),
        "http://crm.example/analytics"
    );
    assert_eq!(
        endpoint("http://crm.example/"),
        "http://crm.example/analytics"
    );
    assert_eq!(
        endpoint("http://crm.example/analytics"),
        "http://crm.example/analytics"
    );
    assert_eq!(
        endpoint("http://crm.example/crm/"),
        "http://crm.example/crm/analytics"
    );
    assert_eq!(
        endpoint("http://crm.example/crm/analytics/"),
        "http://crm.example/crm/analytics"
    );
}
