//! The dispatcher with good and bad input for every action, auth, routing and paging rules.

use crate::common::{
    LOGIN, PASSWORD, Seen, TestCrm, basic, body_json, dispatcher, fixture, get, json_fixture,
};
use bytes::Bytes;
use chrono::TimeZone;
use serde_json::json;
use universe_api::{
    CallStatus, Dispatcher, ExportClientsQuery, ExportOrdersQuery, PageLimits, ServerAuth,
};

fn crm() -> Dispatcher<TestCrm> {
    dispatcher(TestCrm::from_fixtures())
}

/// Percent-encodes what `http::Uri` would refuse (non-ASCII, spaces, quotes, braces), as a
/// browser does with the vendor document's printed URLs.
fn as_sent(url: &str) -> String {
    let path_and_query = url.split_once("://").unwrap().1;
    let path_and_query = &path_and_query[path_and_query.find('/').unwrap()..];
    let mut out = String::new();
    for b in path_and_query.bytes() {
        if b.is_ascii_graphic()
            && !matches!(
                b,
                b'"' | b'{' | b'}' | b'|' | b'<' | b'>' | b'\\' | b'^' | b'`'
            )
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn status_and_message(d: &Dispatcher<TestCrm>, uri: &str) -> (u16, String) {
    let resp = d.dispatch(get(uri)).await;
    let body = body_json(&resp);
    assert_eq!(body["status"], "error", "{body}");
    (
        resp.status().as_u16(),
        body["message"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn every_seed_request_is_served() {
    let d = crm();
    let urls: Vec<String> = fixture("seed_requests.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(as_sent)
        .collect();
    assert_eq!(urls.len(), 7);
    let mut bodies = Vec::new();
    for uri in &urls {
        let resp = d.dispatch(get(uri)).await;
        assert_eq!(
            resp.status(),
            200,
            "{uri}: {}",
            String::from_utf8_lossy(resp.body())
        );
        bodies.push(body_json(&resp));
    }
    assert_eq!(bodies[0], json_fixture("import_scheme.json"));
    assert_eq!(
        bodies[1]["clients"],
        json_fixture("export_clients.json")["clients"]
    );
    assert_eq!(
        bodies[1]["pagination"],
        json!({"total_count": 3, "limit": 1000})
    );
    assert_eq!(
        bodies[2]["pagination"],
        json!({"total_count": 5, "limit": 1000})
    );
    assert_eq!(bodies[3], json_fixture("lead_answer.json"));
    assert_eq!(bodies[4], json_fixture("message_answer.json"));
    assert_eq!(bodies[5], json_fixture("task_answer.json"));
    assert_eq!(bodies[6], json_fixture("call_answer.json"));

    let seen = d.handler().seen();
    let Seen::Lead(lead) = &seen[2] else {
        panic!("{seen:?}")
    };
    assert_eq!(lead.title, "JivoSite");
    assert_eq!(lead.name.as_deref(), Some("Анна"));
    assert_eq!(lead.text, None);
    assert_eq!(lead.data["3"], "Неизвестно");
    assert_eq!(
        lead.created_date,
        Some(
            chrono::Utc
                .with_ymd_and_hms(2022, 7, 12, 10, 35, 12)
                .unwrap()
        )
    );
    let Seen::Message(m) = &seen[3] else {
        panic!("{seen:?}")
    };
    assert_eq!(
        (m.lead_id.as_str(), m.title.as_deref(), m.message.as_str()),
        ("803", Some("Заголовок сообщения"), "Текст сообщения")
    );
    let Seen::Task(t) = &seen[4] else {
        panic!("{seen:?}")
    };
    assert_eq!(
        t.deadline,
        Some(
            chrono::Utc
                .with_ymd_and_hms(2023, 1, 1, 11, 11, 11)
                .unwrap()
        )
    );
    let Seen::Call(c) = &seen[5] else {
        panic!("{seen:?}")
    };
    assert_eq!(c.status, Some(CallStatus::Answer));
    assert_eq!((c.duration, c.file_url.as_deref()), (Some(50), None));
    assert_eq!(c.order_id.as_ref().map(|o| o.as_str()), Some("803"));
}

#[tokio::test]
async fn missing_action_means_export() {
    let d = crm();
    let resp = d.dispatch(get("/analytics?date=1657620323&limit=2")).await;
    assert_eq!(resp.status(), 200);
    let body = body_json(&resp);
    assert_eq!(body["pagination"], json!({"total_count": 4, "limit": 2}));
    assert_eq!(body["orders"].as_array().unwrap().len(), 2);
    assert_eq!(body["statuses"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn action_is_case_insensitive() {
    let resp = crm().dispatch(get("/analytics?action=IMPORT_SCHEME")).await;
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn unknown_action_is_400_naming_action() {
    let (status, message) = status_and_message(&crm(), "/analytics?action=delete_everything").await;
    assert_eq!(status, 400);
    assert!(
        message.contains("`action`") && message.contains("delete_everything"),
        "{message}"
    );
}

#[tokio::test]
async fn export_without_limit_uses_the_default_page_size_and_says_so() {
    let d = dispatcher(TestCrm::from_fixtures()).with_page_limits(PageLimits {
        default_limit: 2,
        max_limit: 3,
    });
    let body = body_json(&d.dispatch(get("/analytics?action=export&date=0")).await);
    assert_eq!(body["pagination"], json!({"total_count": 5, "limit": 2}));
    let body = body_json(
        &d.dispatch(get("/analytics?action=export&date=0&limit=50&offset=3"))
            .await,
    );
    assert_eq!(body["pagination"], json!({"total_count": 5, "limit": 3}));
    assert_eq!(body["orders"].as_array().unwrap().len(), 2);
    assert_eq!(
        d.handler().seen(),
        vec![
            Seen::Orders(ExportOrdersQuery {
                since: Some(crate::common::at(0)),
                offset: 0,
                limit: 2
            }),
            Seen::Orders(ExportOrdersQuery {
                since: Some(crate::common::at(0)),
                offset: 3,
                limit: 3
            }),
        ]
    );
}

#[tokio::test]
async fn export_cuts_a_sloppy_handler_answer_to_the_limit() {
    let crm = TestCrm {
        ignore_limit: true,
        ..TestCrm::from_fixtures()
    };
    let d = dispatcher(crm);
    let body = body_json(&d.dispatch(get("/analytics?action=export&limit=2")).await);
    assert_eq!(body["orders"].as_array().unwrap().len(), 2);
    let body = body_json(
        &d.dispatch(get("/analytics?action=export_clients&limit=1"))
            .await,
    );
    assert_eq!(body["clients"].as_array().unwrap().len(), 1);
    assert_eq!(body["pagination"], json!({"total_count": 3, "limit": 1}));
}

#[tokio::test]
async fn export_without_date_exports_everything() {
    let d = crm();
    d.dispatch(get("/analytics?action=export")).await;
    assert_eq!(
        d.handler().seen(),
        vec![Seen::Orders(ExportOrdersQuery {
            since: None,
            offset: 0,
            limit: 1000
        })]
    );
}

#[tokio::test]
async fn export_rejects_bad_paging_and_date_naming_the_parameter() {
    let d = crm();
    for (uri, param) in [
        ("/analytics?action=export&limit=0", "`limit`"),
        ("/analytics?action=export&limit=-5", "`limit`"),
        ("/analytics?action=export&limit=ten", "`limit`"),
        ("/analytics?action=export&offset=-1", "`offset`"),
        ("/analytics?action=export&date=yesterday", "`date`"),
        ("/analytics?action=export_clients&offset=1.5", "`offset`"),
        (
            "/analytics?action=export_clients&limit=1&limit=2",
            "`limit`",
        ),
    ] {
        let (status, message) = status_and_message(&d, uri).await;
        assert_eq!(status, 400, "{uri}");
        assert!(message.contains(param), "{uri}: {message}");
    }
    assert!(d.handler().seen().is_empty());
}

#[tokio::test]
async fn export_clients_passes_resolved_paging() {
    let d = crm();
    let body = body_json(
        &d.dispatch(get("/analytics?action=export_clients&offset=1&limit=1"))
            .await,
    );
    assert_eq!(body["clients"][0]["id"], "8");
    assert_eq!(
        d.handler().seen(),
        vec![Seen::Clients(ExportClientsQuery {
            offset: 1,
            limit: 1
        })]
    );
}

#[tokio::test]
async fn lead_requires_a_title() {
    let (status, message) = status_and_message(&crm(), "/analytics?action=lead&name=x").await;
    assert_eq!(
        (status, message.as_str()),
        (400, "missing parameter `title`")
    );
    let (status, message) = status_and_message(&crm(), "/analytics?action=lead&title=").await;
    assert_eq!(
        (status, message.as_str()),
        (400, "invalid parameter `title`: must not be empty")
    );
}

#[tokio::test]
async fn lead_with_broken_data_json_is_400_naming_data() {
    let (status, message) =
        status_and_message(&crm(), "/analytics?action=lead&title=t&data=%7Bnope").await;
    assert_eq!(status, 400);
    assert!(message.starts_with("invalid parameter `data`"), "{message}");
    let (status, message) =
        status_and_message(&crm(), "/analytics?action=lead&title=t&data=%5B1%5D").await;
    assert_eq!(status, 400);
    assert!(message.contains("`data`"), "{message}");
}

#[tokio::test]
async fn lead_with_bad_created_date_is_400_naming_it() {
    let (status, message) = status_and_message(
        &crm(),
        "/analytics?action=lead&title=t&created_date=someday",
    )
    .await;
    assert_eq!(status, 400);
    assert!(message.contains("`created_date`"), "{message}");
}

#[tokio::test]
async fn message_requires_lead_id_and_text() {
    let (s, m) = status_and_message(&crm(), "/analytics?action=message&message=hi").await;
    assert_eq!((s, m.as_str()), (400, "missing parameter `leadId`"));
    let (s, m) = status_and_message(&crm(), "/analytics?action=message&leadId=803").await;
    assert_eq!((s, m.as_str()), (400, "missing parameter `message`"));
}

#[tokio::test]
async fn message_accepts_lead_id_in_snake_case() {
    let resp = crm()
        .dispatch(get("/analytics?action=message&lead_id=803&message=hi"))
        .await;
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn message_to_an_unknown_deal_gets_the_handlers_404() {
    let (s, m) =
        status_and_message(&crm(), "/analytics?action=message&leadId=999&message=hi").await;
    assert_eq!((s, m.as_str()), (404, "no deal 999"));
}

#[tokio::test]
async fn task_rejects_missing_text_and_bad_deadline() {
    let (s, m) = status_and_message(&crm(), "/analytics?action=task&element_id=803").await;
    assert_eq!((s, m.as_str()), (400, "missing parameter `text`"));
    let (s, m) = status_and_message(
        &crm(),
        "/analytics?action=task&element_id=803&text=x&deadline=31.02.2023",
    )
    .await;
    assert_eq!(s, 400);
    assert!(m.contains("`deadline`"), "{m}");
    let (s, m) = status_and_message(&crm(), "/analytics?action=task&element_id=1&text=x").await;
    assert_eq!(
        (s, m.as_str()),
        (400, "invalid parameter `element_id`: no such deal")
    );
}

#[tokio::test]
async fn call_requires_id_and_a_numeric_duration() {
    let (s, m) = status_and_message(&crm(), "/analytics?action=call&status=BUSY").await;
    assert_eq!((s, m.as_str()), (400, "missing parameter `id`"));
    let (s, m) = status_and_message(&crm(), "/analytics?action=call&id=1&duration=long").await;
    assert_eq!(s, 400);
    assert!(m.starts_with("invalid parameter `duration`"), "{m}");
}

#[tokio::test]
async fn call_keeps_unknown_status_values() {
    let d = crm();
    let resp = d
        .dispatch(get("/analytics?action=call&id=1&status=VOICEMAIL"))
        .await;
    assert_eq!(resp.status(), 200);
    let Seen::Call(c) = &d.handler().seen()[0] else {
        panic!()
    };
    assert_eq!(c.status, Some(CallStatus::Other("VOICEMAIL".into())));
}

#[tokio::test]
async fn handler_internal_error_is_500_without_the_detail() {
    let resp = crm()
        .dispatch(get("/analytics?action=lead&title=boom"))
        .await;
    assert_eq!(resp.status(), 500);
    let body = String::from_utf8_lossy(resp.body()).into_owned();
    assert_eq!(
        body,
        r#"{"status":"error","message":"internal server error"}"#
    );
}

#[tokio::test]
async fn default_handler_methods_answer_501_and_empty() {
    struct Empty;
    #[universe_api::async_trait]
    impl universe_api::UniverseHandler for Empty {}
    let d = Dispatcher::new(Empty, ServerAuth::basic(LOGIN, PASSWORD));
    let resp = d.dispatch(get("/analytics?action=lead&title=x")).await;
    assert_eq!(resp.status(), 501);
    assert_eq!(
        body_json(&resp)["message"],
        "not implemented by this server: action lead"
    );
    let body = body_json(&d.dispatch(get("/analytics?action=export")).await);
    assert_eq!(body["pagination"], json!({"total_count": 0, "limit": 1000}));
    assert_eq!(body["orders"], json!([]));
}

#[tokio::test]
async fn rejects_missing_credentials_with_401() {
    let req = http::Request::get("/analytics?action=import_scheme")
        .body(Bytes::new())
        .unwrap();
    let resp = crm().dispatch(req).await;
    assert_eq!(resp.status(), 401);
    assert!(
        resp.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
    assert_eq!(body_json(&resp)["status"], "error");
}

#[tokio::test]
async fn rejects_wrong_password_and_wrong_login_with_401() {
    for (login, password) in [(LOGIN, "wrong"), ("someone", PASSWORD), (LOGIN, "")] {
        let req = http::Request::get("/analytics?action=import_scheme")
            .header("authorization", basic(login, password))
            .body(Bytes::new())
            .unwrap();
        let resp = crm().dispatch(req).await;
        assert_eq!(resp.status(), 401, "{login}:{password}");
        assert_eq!(
            body_json(&resp),
            json!({"status":"error","message":"authentication required: wrong or missing credentials"}),
            "{login}:{password}"
        );
    }
    let req = http::Request::get("/analytics")
        .header("authorization", "Bearer abc")
        .body(Bytes::new())
        .unwrap();
    assert_eq!(crm().dispatch(req).await.status(), 401);
}

fn token() -> String {
    ServerAuth::basic(LOGIN, PASSWORD).expected_token()
}

#[tokio::test]
async fn token_auth_is_off_by_default() {
    let uri = format!(
        "/analytics?action=import_scheme&user={LOGIN}&token={}",
        token()
    );
    let req = http::Request::get(uri).body(Bytes::new()).unwrap();
    assert_eq!(crm().dispatch(req).await.status(), 401);
}

#[tokio::test]
async fn token_auth_accepts_md5_of_login_and_password_when_enabled() {
    let d = Dispatcher::new(
        TestCrm::from_fixtures(),
        ServerAuth::basic(LOGIN, PASSWORD).with_token_auth(true),
    );
    let good = format!("/analytics?user={LOGIN}&token={}", token().to_uppercase());
    let req = http::Request::get(good).body(Bytes::new()).unwrap();
    let resp = d.dispatch(req).await;
    assert_eq!(
        resp.status(),
        200,
        "{}",
        String::from_utf8_lossy(resp.body())
    );
    for bad in [
        format!("/analytics?user={LOGIN}&token=0123"),
        format!("/analytics?user=other&token={}", token()),
        format!("/analytics?token={}", token()),
    ] {
        let req = http::Request::get(&bad).body(Bytes::new()).unwrap();
        assert_eq!(d.dispatch(req).await.status(), 401, "{bad}");
    }
}

#[test]
fn token_is_md5_hex_of_login_then_password() {
    // md5("analyticspa55-TOPSECRET"), computed independently.
    assert_eq!(token(), "191a4a9c34302ffb28e407f48decc587");
}

#[tokio::test]
async fn other_paths_are_404_unless_any_path_is_set() {
    let (s, _) = status_and_message(&crm(), "/api/v1/calls?action=import_scheme").await;
    assert_eq!(s, 404);
    let ok = crm()
        .dispatch(get("/crm/prefix/analytics/?action=import_scheme"))
        .await;
    assert_eq!(ok.status(), 200);
    let any = crm()
        .with_any_path(true)
        .dispatch(get("/whatever?action=import_scheme"))
        .await;
    assert_eq!(any.status(), 200);
}

#[tokio::test]
async fn other_methods_are_405() {
    let req = http::Request::delete("/analytics?action=import_scheme")
        .header("authorization", basic(LOGIN, PASSWORD))
        .body(Bytes::new())
        .unwrap();
    let resp = crm().dispatch(req).await;
    assert_eq!(resp.status(), 405);
    assert_eq!(resp.headers()["allow"], "GET, POST");
}

#[tokio::test]
async fn post_with_form_body_is_accepted() {
    let d = crm();
    let req = http::Request::post("/analytics?action=message")
        .header("authorization", basic(LOGIN, PASSWORD))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Bytes::from(
            "leadId=803&message=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82",
        ))
        .unwrap();
    let resp = d.dispatch(req).await;
    assert_eq!(resp.status(), 200);
    let Seen::Message(m) = &d.handler().seen()[0] else {
        panic!()
    };
    assert_eq!(m.message, "Привет");
}

#[tokio::test]
async fn post_with_broken_json_body_is_400() {
    let req = http::Request::post("/analytics?action=lead")
        .header("authorization", basic(LOGIN, PASSWORD))
        .header("content-type", "application/json")
        .body(Bytes::from("{nope"))
        .unwrap();
    let resp = crm().dispatch(req).await;
    assert_eq!(resp.status(), 400);
    assert!(
        body_json(&resp)["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid parameter `body`: body is not valid JSON")
    );
}

#[tokio::test]
async fn dispatcher_is_a_tower_service() {
    use tower_service::Service;
    let mut d = crm().into_service();
    std::future::poll_fn(|cx| d.poll_ready(cx)).await.unwrap();
    let resp = d
        .call(get("/analytics?action=import_scheme"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "application/json; charset=utf-8"
    );
}

#[tokio::test]
async fn repeated_action_is_400() {
    let (s, m) = status_and_message(&crm(), "/analytics?action=lead&action=call").await;
    assert_eq!(
        (s, m.as_str()),
        (
            400,
            "invalid parameter `action`: must be given once, as text"
        )
    );
}

#[tokio::test]
async fn error_bodies_are_stable() {
    let d = crm();
    let mut out = Vec::new();
    for uri in [
        "/analytics?action=nope",
        "/analytics?action=export&limit=0",
        "/analytics?action=export&date=tomorrow",
        "/analytics?action=call&id=1&duration=x",
        "/analytics?action=task&element_id=803",
    ] {
        let resp = d.dispatch(get(uri)).await;
        out.push(format!(
            "{} {}",
            resp.status().as_u16(),
            String::from_utf8_lossy(resp.body())
        ));
    }
    insta::assert_snapshot!(out.join("\n"), @r#"
    400 {"status":"error","message":"invalid parameter `action`: unknown action \"nope\"; expected import_scheme, export_clients, export, lead, message, task or call"}
    400 {"status":"error","message":"invalid parameter `limit`: must be at least 1"}
    400 {"status":"error","message":"invalid parameter `date`: expected Unix seconds, got \"tomorrow\""}
    400 {"status":"error","message":"invalid parameter `duration`: invalid value \"x\": invalid digit found in string"}
    400 {"status":"error","message":"missing parameter `text`"}
    "#);
}
