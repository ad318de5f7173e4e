//! `CrmNotifier` (V1–V4) against wiremock: the exact request, answers, errors, retries, secrets.

use crate::common_support::*;
use serde_json::json;
use vats_api::v1::push::{
    ContactAnswer, ContactRequest, CrmNotifier, EventPush, HistoryPush, RatingPush,
};
use vats_api::{CallStatus, Direction, Error, EventType};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn notifier(server: &MockServer) -> CrmNotifier {
    CrmNotifier::builder()
        .url(format!("{}/crm_integration.php", server.uri()))
        .crm_token(SEED_CRM_TOKEN)
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

fn seed_history() -> HistoryPush {
    HistoryPush {
        direction: Direction::Out,
        user: "admin".into(),
        ext: None,
        group_real_name: None,
        telnum: None,
        phone: "79101234567".into(),
        diversion: None,
        start: seed_start(),
        duration: 124,
        callid: "B10D0EB124F4E64AF4EA-1511".into(),
        link: Some("https://link/file.mp3".into()),
        rating: None,
        status: CallStatus::Success,
    }
}

async fn expect_post(server: &MockServer, body: serde_json::Value, answer: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/crm_integration.php"))
        .and(header("content-type", "application/json"))
        .and(body_json(body))
        .respond_with(answer)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn history_sends_the_seed_body_with_canonical_status() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let mut expected = fixture_json("push_history_seed.json");
    expected["status"] = json!("Success"); // strict writer: the documented spelling
    expect_post(&server, expected, ResponseTemplate::new(200)).await;
    notifier(&server)
        .await
        .history(&seed_history())
        .await
        .unwrap();
}

#[tokio::test]
async fn history_writes_every_optional_field() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let body = json!({
        "cmd": "history", "type": "in", "user": "daria", "ext": "701", "groupRealName": "Продажи",
        "telnum": "74950000000", "phone": "79101234567", "diversion": "74957654321",
        "start": "20170703T121110Z", "duration": 0, "callid": "c-1", "link": "https://r/1.mp3",
        "rating": 5, "status": "Missed", "crm_token": SEED_CRM_TOKEN
    });
    expect_post(&server, body, ResponseTemplate::new(200)).await;
    let push = HistoryPush {
        direction: Direction::In,
        user: "daria".into(),
        ext: Some("701".into()),
        group_real_name: Some("Продажи".into()),
        telnum: Some("74950000000".into()),
        phone: "79101234567".into(),
        diversion: Some("74957654321".into()),
        start: seed_start(),
        duration: 0,
        callid: "c-1".into(),
        link: Some("https://r/1.mp3".into()),
        rating: Some(5),
        status: CallStatus::parse("missed"),
    };
    notifier(&server).await.history(&push).await.unwrap();
}

#[tokio::test]
async fn event_sends_the_seed_body_plus_direction() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let mut expected = fixture_json("push_event_seed.json");
    expected["direction"] = json!("in");
    expect_post(&server, expected, ResponseTemplate::new(200)).await;
    let push = EventPush {
        event_type: EventType::Incoming,
        phone: "79101234567".into(),
        diversion: Some("74957654321".into()),
        user: "admin".into(),
        group_real_name: None,
        ext: None,
        telnum: None,
        direction: Some(Direction::In),
        callid: "B10D0EB124F4E64AF4EA-1511".into(),
    };
    notifier(&server).await.event(&push).await.unwrap();
}

fn seed_contact() -> ContactRequest {
    ContactRequest {
        phone: "79101234567".into(),
        diversion: Some("74957654321".into()),
        callid: "B10D0EB124F4E64AF4EA-1511".into(),
    }
}

#[tokio::test]
async fn contact_sends_the_seed_body_and_reads_the_seed_answer() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let answer =
        ResponseTemplate::new(200).set_body_string(fixture("push_contact_answer_seed.json"));
    expect_post(&server, fixture_json("push_contact_seed.json"), answer).await;
    let got = notifier(&server)
        .await
        .contact(&seed_contact())
        .await
        .unwrap();
    assert_eq!(
        got,
        Some(ContactAnswer {
            contact_name: Some("Менеджер ЗАО Рога и копыта".into()),
            responsible: Some("admin".into()),
        })
    );
}

#[tokio::test]
async fn contact_reads_empty_object_as_unknown() {
    for body in ["{}", "[]", ""] {
        let server = MockServer::start().await;
        catch_all(&server).await;
        let answer = ResponseTemplate::new(200).set_body_string(body);
        expect_post(&server, fixture_json("push_contact_seed.json"), answer).await;
        assert_eq!(
            notifier(&server)
                .await
                .contact(&seed_contact())
                .await
                .unwrap(),
            None,
            "{body:?}"
        );
    }
}

#[tokio::test]
async fn rating_sends_the_seed_body_and_returns_the_json_answer() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let answer = ResponseTemplate::new(200).set_body_string("{}");
    expect_post(&server, fixture_json("push_rating_seed.json"), answer).await;
    let push = RatingPush {
        phone: "79101234567".into(),
        rating: 4,
        user: "user".into(),
        ext: Some("701".into()),
        callid: "B10D0EB124F4E64AF4EA-1511".into(),
    };
    assert_eq!(
        notifier(&server).await.rating(&push).await.unwrap(),
        json!({})
    );
}

#[tokio::test]
async fn invalid_token_answer_is_an_api_error_with_status_and_body() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let answer = ResponseTemplate::new(401).set_body_string(r#"{"error":"Invalid token"}"#);
    Mock::given(method("POST"))
        .respond_with(answer)
        .expect(1)
        .mount(&server)
        .await;
    let err = notifier(&server)
        .await
        .history(&seed_history())
        .await
        .unwrap_err();
    match &err {
        Error::Unauthorized { message, body } => {
            assert_eq!(message, "Invalid token");
            assert_eq!(body, r#"{"error":"Invalid token"}"#);
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert!(!format!("{err} {err:?}").contains(SEED_CRM_TOKEN));
}

#[tokio::test]
async fn retries_5xx_and_keeps_an_html_body_when_retries_run_out() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .expect(4)
        .mount(&server)
        .await;
    let err = notifier(&server)
        .await
        .event(&EventPush {
            event_type: EventType::Completed,
            phone: "79101234567".into(),
            diversion: None,
            user: "admin".into(),
            group_real_name: None,
            ext: None,
            telnum: None,
            direction: None,
            callid: "c".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(err.body(), Some("<html>bad gateway</html>"));
}

#[tokio::test]
async fn retries_a_503_then_succeeds() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let report = notifier(&server)
        .await
        .history(&seed_history())
        .await
        .unwrap();
    assert_eq!((report.status.as_u16(), report.attempts), (200, 2));
}

#[tokio::test]
async fn contact_answer_that_is_not_json_is_a_decode_error_keeping_the_body() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>oops</html>"))
        .expect(1)
        .mount(&server)
        .await;
    let err = notifier(&server)
        .await
        .contact(&seed_contact())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.body(), Some("<html>oops</html>"));
}

#[test]
fn builder_requires_url_and_token_and_never_shows_the_token() {
    let err = CrmNotifier::builder().crm_token("t").build().unwrap_err();
    assert!(err.to_string().contains("url"), "{err}");
    let err = CrmNotifier::builder()
        .url("https://crm.example/")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("crm_token"), "{err}");
    let err = CrmNotifier::builder()
        .url("ftp://crm.example/")
        .crm_token("t")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)));

    let builder = CrmNotifier::builder()
        .url("https://crm.example/")
        .crm_token(SEED_CRM_TOKEN);
    assert!(!format!("{builder:?}").contains(SEED_CRM_TOKEN));
    let n = builder.build().unwrap();
    let shown = format!("{n:?}");
    assert!(!shown.contains(SEED_CRM_TOKEN), "{shown}");
    assert!(shown.contains("crm.example"), "{shown}");
}

#[tokio::test]
async fn connection_errors_do_not_show_the_token() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let n = CrmNotifier::builder()
        .url(format!("http://127.0.0.1:{port}/crm"))
        .crm_token(SEED_CRM_TOKEN)
        .retry_policy(fast_retry().with_max_retries(1))
        .build()
        .unwrap();
    let err = n.history(&seed_history()).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains(SEED_CRM_TOKEN));
}
