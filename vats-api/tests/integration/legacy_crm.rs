//! Legacy pushes L4–L7: `LegacyCrmNotifier` against wiremock, `LegacyCrmDispatcher` routes.

use crate::common_support::*;
use async_trait::async_trait;
use serde_json::json;
use std::sync::{Arc, Mutex};
use vats_api::legacy::{
    ContactAnswer, ContactRequest, CrmUser, EventPush, HistoryPush, LegacyCrmDispatcher,
    LegacyCrmHandler, LegacyCrmNotifier,
};
use vats_api::{Direction, Error, EventType, HandlerError};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FORM: &str = "application/x-www-form-urlencoded";
const LINKS: &str = "https://records.secure.itoolabs.net/cmios.zvonly.ru/7jhjfy4-dsfjjs8-fds87/file.mp3|https://records.s";

fn notifier(server: &MockServer) -> LegacyCrmNotifier {
    LegacyCrmNotifier::builder()
        .url(format!("{}/crm_integration.php", server.uri()))
        .crm_token(SEED_CRM_TOKEN)
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

async fn expect_form(server: &MockServer, body: String, answer: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/crm_integration.php"))
        .and(header("content-type", FORM))
        .and(body_string(body))
        .respond_with(answer)
        .expect(1)
        .mount(server)
        .await;
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

// ---- notifier (PBX side) ----

#[tokio::test]
async fn users_sends_cmd_users_and_reads_the_seed_answer() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let answer =
        ResponseTemplate::new(200).set_body_string(fixture("legacy_users_answer_seed.json"));
    expect_form(
        &server,
        format!("cmd=users&crm_token={SEED_CRM_TOKEN}"),
        answer,
    )
    .await;
    let users = notifier(&server).users().await.unwrap();
    let ids: Vec<_> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["krg", "petrov"]);
}

#[tokio::test]
async fn contact_sends_the_seed_form_and_reads_a_numeric_responsible() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let answer =
        ResponseTemplate::new(200).set_body_string(fixture("legacy_contact_answer_seed.json"));
    expect_form(
        &server,
        format!("cmd=contact&phone=79101234567&callid=B10D0EB124F4E64AF4EA-1511&crm_token={SEED_CRM_TOKEN}"),
        answer,
    )
    .await;
    let req = ContactRequest {
        phone: "79101234567".into(),
        callid: "B10D0EB124F4E64AF4EA-1511".into(),
    };
    let got = notifier(&server).contact(&req).await.unwrap().unwrap();
    assert_eq!(got.responsible.as_deref(), Some("23"));
}

#[tokio::test]
async fn contact_empty_object_is_unknown() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let answer = ResponseTemplate::new(200).set_body_string("{}");
    expect_form(
        &server,
        format!("cmd=contact&phone=7&callid=c&crm_token={SEED_CRM_TOKEN}"),
        answer,
    )
    .await;
    let req = ContactRequest {
        phone: "7".into(),
        callid: "c".into(),
    };
    assert_eq!(notifier(&server).contact(&req).await.unwrap(), None);
}

#[tokio::test]
async fn event_sends_the_seed_form() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    expect_form(
        &server,
        format!("cmd=event&type=INCOMING&phone=79101234567&user=user&callid=B10D0EB124F4E64AF4EA-1511&crm_token={SEED_CRM_TOKEN}"),
        ResponseTemplate::new(200),
    )
    .await;
    let push = EventPush {
        event_type: EventType::Incoming,
        phone: "79101234567".into(),
        diversion: None,
        user: "user".into(),
        callid: "B10D0EB124F4E64AF4EA-1511".into(),
    };
    notifier(&server).event(&push).await.unwrap();
}

#[tokio::test]
async fn history_sends_the_seed_form_with_links_joined_by_pipe() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    expect_form(
        &server,
        format!(
            "cmd=history&type=in&user=user&phone=79101234567&diversion=74957654321&duration=124\
             &callid=c-1&link={}&crm_token={SEED_CRM_TOKEN}",
            enc(LINKS)
        ),
        ResponseTemplate::new(200),
    )
    .await;
    let push = HistoryPush {
        direction: Direction::In,
        user: "user".into(),
        phone: "79101234567".into(),
        diversion: Some("74957654321".into()),
        duration: 124,
        callid: "c-1".into(),
        links: LINKS.split('|').map(str::to_owned).collect(),
    };
    notifier(&server).history(&push).await.unwrap();
}

#[tokio::test]
async fn invalid_token_answer_is_an_api_error_without_the_token() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_string(r#"{"error":"Invalid token"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let err = notifier(&server).users().await.unwrap_err();
    assert!(matches!(&err, Error::Unauthorized { message, .. } if message == "Invalid token"));
    assert!(!format!("{err} {err:?} {:?}", notifier(&server)).contains(SEED_CRM_TOKEN));
}

// ---- dispatcher (CRM side) ----

#[derive(Default)]
struct Crm {
    events: Mutex<Vec<EventPush>>,
    history: Mutex<Vec<HistoryPush>>,
    contacts: Mutex<Vec<ContactRequest>>,
}

#[async_trait]
impl LegacyCrmHandler for Crm {
    async fn users(&self) -> Result<Vec<CrmUser>, HandlerError> {
        Ok(vec![CrmUser {
            id: "krg".into(),
            name: Some("Крюков Р. Г.".into()),
        }])
    }
    async fn contact(
        &self,
        request: ContactRequest,
    ) -> Result<Option<ContactAnswer>, HandlerError> {
        let known = request.phone.as_str() == "79101234567";
        self.contacts.lock().unwrap().push(request);
        Ok(known.then(|| ContactAnswer {
            contact_name: Some("Рога и копыта".into()),
            responsible: Some("23".into()),
        }))
    }
    async fn event(&self, push: EventPush) -> Result<(), HandlerError> {
        self.events.lock().unwrap().push(push);
        Ok(())
    }
    async fn history(&self, push: HistoryPush) -> Result<(), HandlerError> {
        self.history.lock().unwrap().push(push);
        Ok(())
    }
}

fn dispatcher() -> (LegacyCrmDispatcher<Crm>, Arc<Crm>) {
    let crm = Arc::new(Crm::default());
    (
        LegacyCrmDispatcher::new(Arc::clone(&crm), SEED_CRM_TOKEN),
        crm,
    )
}

#[tokio::test]
async fn users_answers_for_cmd_user_and_cmd_users() {
    let (d, _) = dispatcher();
    for cmd in ["user", "users", "USERS"] {
        let resp = d
            .dispatch(post_form(&format!("cmd={cmd}&crm_token={SEED_CRM_TOKEN}")))
            .await;
        assert_eq!(resp.status(), 200, "{cmd}");
        assert_eq!(
            json_of(&resp),
            json!({"users": [{"id": "krg", "name": "Крюков Р. Г."}]})
        );
    }
}

#[tokio::test]
async fn contact_seed_example_is_answered_and_unknown_is_empty_object() {
    let (d, crm) = dispatcher();
    let body = format!(
        "cmd=contact&phone=79101234567&crm_token={SEED_CRM_TOKEN}&callid=B10D0EB124F4E64AF4EA-1511"
    );
    let resp = d.dispatch(post_form(&body)).await;
    assert_eq!(
        json_of(&resp),
        json!({"contact_name": "Рога и копыта", "responsible": "23"})
    );
    let resp = d
        .dispatch(post_form(&body.replace("79101234567", "70000000000")))
        .await;
    assert_eq!(
        (resp.status().as_u16(), resp.body().as_ref()),
        (200, b"{}".as_ref())
    );
    assert_eq!(crm.contacts.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn event_seed_example_in_each_type_and_case() {
    let (d, crm) = dispatcher();
    for (t, want) in [
        ("INCOMING", EventType::Incoming),
        ("completed", EventType::Completed),
        ("Accepted", EventType::Accepted),
        ("CANCELLED", EventType::Cancelled),
        ("RINGING", EventType::Other("RINGING".into())),
    ] {
        let body = format!(
            "cmd=event&type={t}&phone=79101234567&user=user&crm_token={SEED_CRM_TOKEN}&callid=B10D0EB124F4E64AF4EA-1511"
        );
        let resp = d.dispatch(post_form(&body)).await;
        assert_eq!(resp.status(), 200);
        assert!(resp.body().is_empty());
        assert_eq!(crm.events.lock().unwrap().pop().unwrap().event_type, want);
    }
}

#[tokio::test]
async fn history_splits_links_and_the_first_is_the_recording() {
    let (d, crm) = dispatcher();
    let body = format!(
        "cmd=history&type=OUT&phone=79101234567&user=user&duration=124&callid=c-1&link={}&crm_token={SEED_CRM_TOKEN}",
        enc(LINKS)
    );
    let resp = d.dispatch(post_form(&body)).await;
    assert_eq!(resp.status(), 200);
    let got = crm.history.lock().unwrap().pop().unwrap();
    assert_eq!(got.links.len(), 2);
    assert_eq!(
        got.recording(),
        Some("https://records.secure.itoolabs.net/cmios.zvonly.ru/7jhjfy4-dsfjjs8-fds87/file.mp3")
    );
    assert_eq!((got.direction, got.duration), (Direction::Out, 124));
}

#[tokio::test]
async fn history_without_link_and_as_json_with_numbers() {
    let (d, crm) = dispatcher();
    let body = json!({"cmd": "history", "type": "in", "phone": 79101234567u64, "user": "u", "duration": "9", "callid": 15, "crm_token": SEED_CRM_TOKEN});
    assert_eq!(d.dispatch(post_json(&body)).await.status(), 200);
    let got = crm.history.lock().unwrap().pop().unwrap();
    assert!(got.links.is_empty());
    assert_eq!(
        (got.phone.as_str(), got.callid.as_str(), got.duration),
        ("79101234567", "15", 9)
    );
}

#[tokio::test]
async fn missing_required_fields_are_400_naming_them() {
    let (d, _) = dispatcher();
    let full = format!(
        "cmd=history&type=in&phone=79101234567&user=user&duration=124&callid=c-1&crm_token={SEED_CRM_TOKEN}"
    );
    for field in ["type", "phone", "user", "duration", "callid"] {
        let body: String = full
            .split('&')
            .filter(|kv| !kv.starts_with(&format!("{field}=")))
            .collect::<Vec<_>>()
            .join("&");
        assert_invalid(&d.dispatch(post_form(&body)).await, field);
    }
    assert_invalid(
        &d.dispatch(post_form(&format!(
            "cmd=event&type=INCOMING&user=u&callid=c&crm_token={SEED_CRM_TOKEN}"
        )))
        .await,
        "phone",
    );
    assert_invalid(
        &d.dispatch(post_form(&format!(
            "cmd=contact&phone=7&crm_token={SEED_CRM_TOKEN}"
        )))
        .await,
        "callid",
    );
}

#[tokio::test]
async fn wrong_token_unknown_cmd_and_garbage_bodies() {
    let (d, crm) = dispatcher();
    assert_unauthorized(
        &d.dispatch(post_form("cmd=users&crm_token=wrong")).await,
        "Invalid token",
    );
    assert_unauthorized(&d.dispatch(post_form("cmd=users")).await, "Invalid token");
    assert_invalid(
        &d.dispatch(post_form(&format!("cmd=dance&crm_token={SEED_CRM_TOKEN}")))
            .await,
        "cmd",
    );
    assert_invalid(
        &d.dispatch(post_form(&format!("crm_token={SEED_CRM_TOKEN}")))
            .await,
        "cmd",
    );
    assert_invalid(
        &d.dispatch(post("application/json", "not json at all"))
            .await,
        "body",
    );
    assert_eq!(d.dispatch(post("text/csv", "a,b")).await.status(), 415);
    assert!(crm.history.lock().unwrap().is_empty());
    assert!(!format!("{d:?}").contains(SEED_CRM_TOKEN));
}

#[tokio::test]
async fn notifier_and_dispatcher_agree_end_to_end() {
    // The notifier's exact bytes, captured by wiremock, are accepted by the dispatcher.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let push = HistoryPush {
        direction: Direction::Out,
        user: "user".into(),
        phone: "79101234567".into(),
        diversion: None,
        duration: 3,
        callid: "c".into(),
        links: vec!["https://r/1.mp3".into(), "https://r/2.mp3".into()],
    };
    notifier(&server).history(&push).await.unwrap();
    let sent = server.received_requests().await.unwrap().pop().unwrap();
    let (d, crm) = dispatcher();
    let resp = d
        .dispatch(post_form(std::str::from_utf8(&sent.body).unwrap()))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(crm.history.lock().unwrap().pop().unwrap(), push);
}
