//! Issue 13's fidelity items on both sides of `vats-api`, built from what live third-party
//! clients send and read: the legacy client against the live PBX's answers (`{"uuid"}`, empty
//! 200, `OK`, `groups`), the notifier's form encoding read back by our own receiver, history
//! records with `type` for `direction`, history filters on the wire, `+7…` normalised.

use crate::common_support::*;
use async_trait::async_trait;
use std::sync::{Arc, Mutex};
use vats_api::legacy::{Client, MakeCallRequest, SubscribeOnCalls};
use vats_api::v1::push::{
    ContactAnswer, ContactRequest, CrmDispatcher, CrmHandler, CrmNotifier, EventPush, HistoryPush,
    PushEncoding,
};
use vats_api::v1::{HistoryFilters, HistoryQuery, HistoryRecord};
use vats_api::{CallStatus, Direction, EventType, HandlerError};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FORM: &str = "application/x-www-form-urlencoded";

fn legacy(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry_policy(fast_retry())
        .build()
        .unwrap()
        .with_token(SEED_PBX_TOKEN)
}

#[tokio::test]
async fn legacy_make_call_reads_the_live_uuid_and_accepts_the_documented_empty_200() {
    let cases = [
        (
            r#"{"uuid":"28187487-edcf-4d23-9f95-c8591fbd9936"}"#,
            Some("28187487-edcf-4d23-9f95-c8591fbd9936"),
        ),
        ("", None),
        ("OK", None),
    ];
    for (answer, expected) in cases {
        let server = MockServer::start().await;
        catch_all(&server).await;
        // What the PHP library sends: cmd, user, phone, clid, token (phone normalised by us).
        Mock::given(method("POST"))
            .and(path("/sys/crm_api.wcgp"))
            .and(header("content-type", FORM))
            .and(body_string(format!(
                "cmd=makeCall&phone=79161234567&user=admin&clid=79007775555&token={SEED_PBX_TOKEN}"
            )))
            .respond_with(ResponseTemplate::new(200).set_body_string(answer))
            .expect(1)
            .mount(&server)
            .await;
        let call = MakeCallRequest {
            phone: "+7 916 123-45-67".into(),
            user: "admin".into(),
            clid: Some("79007775555".into()),
        };
        let id = legacy(&server).make_call(&call).await.unwrap();
        assert_eq!(id.as_ref().map(|i| i.as_str()), expected, "{answer:?}");
    }
}

#[tokio::test]
async fn legacy_groups_and_subscribe_on_calls_read_the_live_answers() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    // The PHP library's own test answer: `ext` a JSON number.
    Mock::given(method("POST"))
        .and(path("/sys/crm_api.wcgp"))
        .and(body_string(format!("cmd=groups&token={SEED_PBX_TOKEN}")))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"[{"id":"sales","realName":"Отдел продаж","ext":701},{"id":"buhgalterija_g1551011445322666863","realName":"Бухгалтерия","ext":705}]"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/sys/crm_api.wcgp"))
        .and(body_string(format!(
            "cmd=subscribeOnCalls&user=user1&status=off&group_id=sales&token={SEED_PBX_TOKEN}"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_string("OK"))
        .expect(1)
        .mount(&server)
        .await;
    let c = legacy(&server);
    let groups = c.groups().await.unwrap();
    assert_eq!(
        groups
            .iter()
            .map(|g| (g.id.as_str(), g.real_name.as_str(), g.ext.as_deref()))
            .collect::<Vec<_>>(),
        vec![
            ("sales", "Отдел продаж", Some("701")),
            (
                "buhgalterija_g1551011445322666863",
                "Бухгалтерия",
                Some("705")
            ),
        ]
    );
    let off = SubscribeOnCalls {
        user: "user1".into(),
        enable: false,
        group_id: Some("sales".into()),
    };
    c.subscribe_on_calls(&off).await.unwrap();
}

#[derive(Default)]
struct Recorder {
    history: Mutex<Vec<HistoryPush>>,
    events: Mutex<Vec<EventPush>>,
}

#[async_trait]
impl CrmHandler for Recorder {
    async fn history(&self, push: HistoryPush) -> Result<(), HandlerError> {
        self.history.lock().unwrap().push(push);
        Ok(())
    }
    async fn event(&self, push: EventPush) -> Result<(), HandlerError> {
        self.events.lock().unwrap().push(push);
        Ok(())
    }
    async fn contact(&self, _: ContactRequest) -> Result<Option<ContactAnswer>, HandlerError> {
        Ok(None)
    }
}

fn seed_history() -> HistoryPush {
    serde_json::from_value(fixture_json("push_history_seed.json")).unwrap()
}

#[tokio::test]
async fn form_encoded_pushes_are_form_fields_and_our_receiver_reads_them_back() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let notifier = CrmNotifier::builder()
        .url(format!("{}/crm_integration.php", server.uri()))
        .crm_token(SEED_CRM_TOKEN)
        .encoding(PushEncoding::Form)
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    let history = seed_history();
    let event = EventPush {
        event_type: EventType::Cancelled,
        phone: "79161234567".into(),
        diversion: None,
        user: "admin".into(),
        group_real_name: None,
        ext: None,
        telnum: None,
        direction: None,
        callid: "B10D0EB124F4E64AF4EA-1511".into(),
    };
    notifier.history(&history).await.unwrap();
    notifier.event(&event).await.unwrap();
    let got = server.received_requests().await.unwrap();
    let recorder = Arc::new(Recorder::default());
    let dispatcher = CrmDispatcher::<Recorder>::new(Arc::clone(&recorder), SEED_CRM_TOKEN);
    for r in &got {
        let ctype = r.headers.get("content-type").unwrap().to_str().unwrap();
        assert_eq!(ctype, FORM);
        // Every key is one the PHP receiver knows (the event here: its test example's keys).
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&r.body).unwrap();
        let names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert!(
            !names
                .iter()
                .any(|n| ["wait", "rating", "direction"].contains(n)),
            "{names:?}"
        );
        let resp = dispatcher.dispatch(post(FORM, r.body.clone())).await;
        assert_eq!(resp.status(), 200);
    }
    assert_eq!(recorder.history.lock().unwrap().as_slice(), &[history]);
    assert_eq!(recorder.events.lock().unwrap().as_slice(), &[event]);
}

#[tokio::test]
async fn history_records_read_type_as_direction_as_go_and_python_clients_name_it() {
    // A record as the live service evidently writes it for the Go bot: `type`, no `direction`.
    let r: HistoryRecord = serde_json::from_str(
        r#"{"uid":"1","type":"out","status":"Busy","client":"79008003396","start":"2022-01-20T08:58:42Z","wait":"5"}"#,
    )
    .unwrap();
    assert_eq!(
        (r.direction.clone(), r.status.clone(), r.wait),
        (Direction::Out, CallStatus::Busy, 5)
    );
    let written = serde_json::to_value(&r).unwrap();
    assert_eq!(
        (written["direction"].as_str(), written["status"].as_str()),
        (Some("out"), Some("busy"))
    );
    // Both names: the first wins, nothing is refused.
    let both: HistoryRecord = serde_json::from_str(
        r#"{"uid":"1","direction":"in","type":"out","status":"success","start":"2022-01-20T08:58:42Z"}"#,
    )
    .unwrap();
    assert_eq!(both.direction, Direction::In);
    // An error still names the exact field.
    let e = serde_json::from_str::<HistoryRecord>(
        r#"{"uid":"1","type":"in","status":"x","start":"never"}"#,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("timestamp") || e.to_string().contains("never"),
        "{e}"
    );
}

#[test]
fn history_filters_go_on_the_wire_as_the_go_client_names_them() {
    let q = HistoryQuery {
        filters: HistoryFilters {
            diversion: Some("79007775555".into()),
            process_missed: Some(true),
            missed_status: Some("3,4".into()),
            ..HistoryFilters::default()
        },
        ..HistoryQuery::default()
    };
    assert_eq!(
        q.pairs(),
        vec![
            ("diversion", "79007775555".to_owned()),
            ("processMissed", "true".to_owned()),
            ("missedStatus", "3,4".to_owned()),
        ]
    );
}
