//! `CrmDispatcher` (V1–V4): every route with good and bad input, status and body asserted.

use crate::common_support::*;
use async_trait::async_trait;
use bytes::Bytes;
use serde_json::json;
use std::sync::{Arc, Mutex};
use tower_service::Service;
use vats_api::v1::push::{
    ContactAnswer, ContactRequest, CrmDispatcher, CrmHandler, EventPush, HistoryPush, RatingPush,
};
use vats_api::{CallStatus, Direction, EventType, HandlerError};

#[derive(Default)]
struct Recorder {
    history: Mutex<Vec<HistoryPush>>,
    events: Mutex<Vec<EventPush>>,
    contacts: Mutex<Vec<ContactRequest>>,
    ratings: Mutex<Vec<RatingPush>>,
}

#[async_trait]
impl CrmHandler for Recorder {
    async fn history(&self, push: HistoryPush) -> Result<(), HandlerError> {
        if push.user == "nobody" {
            return Err(HandlerError::invalid("user", "unknown user"));
        }
        if push.user == "down" {
            return Err(HandlerError::unavailable("database is down"));
        }
        self.history.lock().unwrap().push(push);
        Ok(())
    }
    async fn event(&self, push: EventPush) -> Result<(), HandlerError> {
        self.events.lock().unwrap().push(push);
        Ok(())
    }
    async fn contact(
        &self,
        request: ContactRequest,
    ) -> Result<Option<ContactAnswer>, HandlerError> {
        let known = request.phone.as_str() == "79101234567";
        self.contacts.lock().unwrap().push(request);
        Ok(known.then(|| ContactAnswer {
            contact_name: Some("Менеджер ЗАО Рога и копыта".into()),
            responsible: Some("admin".into()),
        }))
    }
    async fn rating(&self, push: RatingPush) -> Result<(), HandlerError> {
        self.ratings.lock().unwrap().push(push);
        Ok(())
    }
}

fn dispatcher() -> (CrmDispatcher<Recorder>, Arc<Recorder>) {
    let rec = Arc::new(Recorder::default());
    let d = CrmDispatcher::new(Arc::clone(&rec), SEED_CRM_TOKEN);
    (d, rec)
}

fn seed(name: &str) -> serde_json::Value {
    fixture_json(name)
}

#[tokio::test]
async fn accepts_the_seed_history_without_diversion_and_answers_200_empty() {
    let (d, rec) = dispatcher();
    let resp = d.dispatch(post_json(&seed("push_history_seed.json"))).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.body().is_empty());
    let got = rec.history.lock().unwrap().pop().unwrap();
    assert_eq!(got.status, CallStatus::Success);
    assert_eq!(got.direction, Direction::Out);
    assert_eq!(got.diversion, None);
    assert_eq!(got.start, seed_start());
    assert_eq!(got.duration, 124);
    assert_eq!(got.link.as_deref(), Some("https://link/file.mp3"));
    assert_eq!(got.callid.as_str(), "B10D0EB124F4E64AF4EA-1511");
}

#[tokio::test]
async fn history_reads_numbers_as_strings_any_status_case_and_all_timestamp_forms() {
    let cases = [
        ("success", "20170703T121110Z", CallStatus::Success),
        ("Missed", "2017-07-03T12:11:10Z", CallStatus::Missed),
        (
            "NOTAVAILABLE",
            "2017-07-03T15:11:10+03:00",
            CallStatus::NotAvailable,
        ),
        (
            "Voicemail",
            "20170703T121110Z",
            CallStatus::Other("Voicemail".into()),
        ),
    ];
    for (status, start, want) in cases {
        let (d, rec) = dispatcher();
        let mut body = seed("push_history_seed.json");
        body["status"] = json!(status);
        body["start"] = json!(start);
        body["duration"] = json!("124");
        body["rating"] = json!("5");
        body["phone"] = json!(79101234567u64);
        let resp = d.dispatch(post_json(&body)).await;
        assert_eq!(resp.status(), 200, "{status} {start}: {:?}", resp.body());
        let got = rec.history.lock().unwrap().pop().unwrap();
        assert_eq!(
            (got.status, got.start, got.duration, got.rating),
            (want, seed_start(), 124, Some(5))
        );
        assert_eq!(got.phone.as_str(), "79101234567");
    }
}

#[tokio::test]
async fn history_arrives_as_form_and_as_payload_json() {
    let (d, rec) = dispatcher();
    let form = format!(
        "cmd=history&type=in&status=SUCCESS&phone=79101234567&user=admin&start=20170703T121110Z\
         &duration=124&callid=c-1&diversion=74957654321&crm_token={SEED_CRM_TOKEN}"
    );
    assert_eq!(d.dispatch(post_form(&form)).await.status(), 200);
    let payload = serde_json::to_string(&seed("push_history_seed.json")).unwrap();
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("payload", &payload)
        .finish();
    assert_eq!(d.dispatch(post_form(&form)).await.status(), 200);
    let got = rec.history.lock().unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(
        got[0].diversion.as_ref().map(|p| p.as_str()),
        Some("74957654321")
    );
    assert_eq!(got[1].callid.as_str(), "B10D0EB124F4E64AF4EA-1511");
}

#[tokio::test]
async fn payload_with_token_outside_the_json_is_accepted() {
    let (d, rec) = dispatcher();
    let mut inner = seed("push_event_seed.json");
    inner.as_object_mut().unwrap().remove("crm_token");
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("payload", &inner.to_string())
        .append_pair("crm_token", SEED_CRM_TOKEN)
        .finish();
    assert_eq!(d.dispatch(post_form(&form)).await.status(), 200);
    assert_eq!(rec.events.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn payload_that_is_not_json_is_a_400_naming_payload() {
    let (d, _) = dispatcher();
    let resp = d.dispatch(post_form("payload=%7Bnope")).await;
    assert_invalid(&resp, "payload");
}

#[tokio::test]
async fn history_missing_required_fields_are_400_naming_them() {
    for field in [
        "type", "user", "phone", "start", "duration", "callid", "status",
    ] {
        let (d, rec) = dispatcher();
        let mut body = seed("push_history_seed.json");
        body.as_object_mut().unwrap().remove(field);
        let resp = d.dispatch(post_json(&body)).await;
        assert_invalid(&resp, field);
        assert!(rec.history.lock().unwrap().is_empty());
    }
}

#[tokio::test]
async fn history_bad_values_are_400_naming_the_field() {
    let (d, _) = dispatcher();
    let mut body = seed("push_history_seed.json");
    body["start"] = json!("yesterday");
    assert_invalid(&d.dispatch(post_json(&body)).await, "start");
    let mut body = seed("push_history_seed.json");
    body["duration"] = json!("long");
    let resp = d.dispatch(post_json(&body)).await;
    assert_invalid(&resp, "duration");
    assert!(
        json_of(&resp)["detail"]
            .as_str()
            .unwrap()
            .contains("\"long\"")
    );
}

#[tokio::test]
async fn event_seed_example_is_accepted_without_direction() {
    let (d, rec) = dispatcher();
    let resp = d.dispatch(post_json(&seed("push_event_seed.json"))).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.body().is_empty());
    let got = rec.events.lock().unwrap().pop().unwrap();
    assert_eq!(got.event_type, EventType::Incoming);
    assert_eq!(got.direction, None);
    assert_eq!(got.diversion.unwrap().as_str(), "74957654321");
}

#[tokio::test]
async fn event_types_in_any_case_and_unknown_ones_are_kept() {
    for (sent, want) in [
        ("accepted", EventType::Accepted),
        ("Transferred", EventType::Transferred),
        ("HOLD", EventType::Other("HOLD".into())),
    ] {
        let (d, rec) = dispatcher();
        let mut body = seed("push_event_seed.json");
        body["type"] = json!(sent);
        body["direction"] = json!("OUT");
        assert_eq!(d.dispatch(post_json(&body)).await.status(), 200);
        let got = rec.events.lock().unwrap().pop().unwrap();
        assert_eq!(
            (got.event_type, got.direction),
            (want, Some(Direction::Out))
        );
    }
}

#[tokio::test]
async fn event_missing_phone_is_400() {
    let (d, _) = dispatcher();
    let mut body = seed("push_event_seed.json");
    body.as_object_mut().unwrap().remove("phone");
    assert_invalid(&d.dispatch(post_json(&body)).await, "phone");
}

#[tokio::test]
async fn contact_seed_example_gets_the_seed_answer() {
    let (d, rec) = dispatcher();
    let resp = d.dispatch(post_json(&seed("push_contact_seed.json"))).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    assert_eq!(json_of(&resp), seed("push_contact_answer_seed.json"));
    assert_eq!(rec.contacts.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn contact_for_an_unknown_number_is_an_empty_object() {
    let (d, _) = dispatcher();
    let mut body = seed("push_contact_seed.json");
    body["phone"] = json!("70000000000");
    let resp = d.dispatch(post_json(&body)).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.body().as_ref(), b"{}");
}

#[tokio::test]
async fn contact_missing_callid_is_400() {
    let (d, _) = dispatcher();
    let resp = d
        .dispatch(post_form(&format!(
            "cmd=contact&phone=79101234567&crm_token={SEED_CRM_TOKEN}"
        )))
        .await;
    assert_invalid(&resp, "callid");
}

#[tokio::test]
async fn rating_seed_example_answers_200_json() {
    let (d, rec) = dispatcher();
    let resp = d.dispatch(post_json(&seed("push_rating_seed.json"))).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(json_of(&resp), json!({}));
    let got = rec.ratings.lock().unwrap().pop().unwrap();
    assert_eq!((got.rating, got.ext.as_deref()), (4, Some("701")));
}

#[tokio::test]
async fn rating_as_a_string_is_read_and_a_bad_rating_is_400() {
    let (d, rec) = dispatcher();
    let mut body = seed("push_rating_seed.json");
    body["rating"] = json!("5");
    assert_eq!(d.dispatch(post_json(&body)).await.status(), 200);
    assert_eq!(rec.ratings.lock().unwrap().pop().unwrap().rating, 5);
    body["rating"] = json!("five");
    assert_invalid(&d.dispatch(post_json(&body)).await, "rating");
}

#[tokio::test]
async fn wrong_or_missing_token_is_401_invalid_token() {
    let (d, rec) = dispatcher();
    for name in [
        "push_history_seed.json",
        "push_event_seed.json",
        "push_contact_seed.json",
        "push_rating_seed.json",
    ] {
        let mut body = seed(name);
        body["crm_token"] = json!("76fsd7tfs-fhjdgfdjsfsk-hfgsdguuuwoeiwey1112");
        assert_unauthorized(&d.dispatch(post_json(&body)).await, "Invalid token");
        body.as_object_mut().unwrap().remove("crm_token");
        assert_unauthorized(&d.dispatch(post_json(&body)).await, "Invalid token");
    }
    assert!(rec.history.lock().unwrap().is_empty());
    assert!(rec.contacts.lock().unwrap().is_empty());
}

#[tokio::test]
async fn unknown_or_missing_cmd_is_400_naming_cmd() {
    let (d, _) = dispatcher();
    let mut body = seed("push_rating_seed.json");
    body["cmd"] = json!("hangup");
    let resp = d.dispatch(post_json(&body)).await;
    assert_invalid(&resp, "cmd");
    assert!(
        json_of(&resp)["detail"]
            .as_str()
            .unwrap()
            .contains("hangup")
    );
    body.as_object_mut().unwrap().remove("cmd");
    assert_invalid(&d.dispatch(post_json(&body)).await, "cmd");
}

#[tokio::test]
async fn cmd_is_matched_in_any_case() {
    let (d, rec) = dispatcher();
    let mut body = seed("push_rating_seed.json");
    body["cmd"] = json!("RATING");
    assert_eq!(d.dispatch(post_json(&body)).await.status(), 200);
    assert_eq!(rec.ratings.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_body_that_is_not_json_or_form_is_a_4xx_not_a_500() {
    let (d, _) = dispatcher();
    let resp = d
        .dispatch(post("application/json", "{\"cmd\": \"history\","))
        .await;
    assert_invalid(&resp, "body");
    let resp = d.dispatch(post("application/json", "[1,2,3]")).await;
    assert_invalid(&resp, "body");
    let resp = d.dispatch(post("application/xml", "<history/>")).await;
    assert_eq!(resp.status(), 415);
    assert_eq!(json_of(&resp)["error"], "Invalid parameters");
    let resp = d
        .dispatch(post("application/octet-stream", vec![0xffu8, 0xfe, 0x00]))
        .await;
    assert_eq!(resp.status(), 415);
    // Garbage sent as text: no token, so 401 — never a 500 or a panic.
    let resp = d.dispatch(post("text/plain", "\u{1F4A9} hello")).await;
    assert_unauthorized(&resp, "Invalid token");
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let rec = Recorder::default();
    let d = CrmDispatcher::new(rec, SEED_CRM_TOKEN).with_body_limit(64);
    let resp = d.dispatch(post_json(&seed("push_history_seed.json"))).await;
    assert_eq!(resp.status(), 413);
}

#[tokio::test]
async fn only_post_is_allowed() {
    let (d, _) = dispatcher();
    let req = http::Request::get("/crm_integration.php")
        .body(Bytes::new())
        .unwrap();
    let resp = d.dispatch(req).await;
    assert_eq!(resp.status(), 405);
    assert_eq!(json_of(&resp), json!({"error": "Method Not Allowed"}));
}

#[tokio::test]
async fn handler_errors_map_to_documented_answers_without_internal_text() {
    let (d, _) = dispatcher();
    let mut body = seed("push_history_seed.json");
    body["user"] = json!("nobody");
    let resp = d.dispatch(post_json(&body)).await;
    assert_eq!(
        json_of(&resp),
        json!({"error": "Invalid parameters", "detail": "user: unknown user"})
    );
    body["user"] = json!("down");
    let resp = d.dispatch(post_json(&body)).await;
    assert_eq!(resp.status(), 503);
    assert!(!String::from_utf8_lossy(resp.body()).contains("database"));
}

#[tokio::test]
async fn multipart_bodies_are_accepted() {
    let (d, rec) = dispatcher();
    let mut mp = String::new();
    for (k, v) in [
        ("cmd", "contact"),
        ("phone", "79101234567"),
        ("callid", "c"),
        ("crm_token", SEED_CRM_TOKEN),
    ] {
        mp.push_str(&format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    mp.push_str("--XyZ--\r\n");
    let resp = d
        .dispatch(post("multipart/form-data; boundary=XyZ", mp))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(rec.contacts.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn works_as_a_tower_service_and_defaults_accept_everything() {
    struct Defaults;
    impl CrmHandler for Defaults {}
    let mut svc = CrmDispatcher::new(Defaults, SEED_CRM_TOKEN).into_service();
    let resp = svc
        .call(post_json(&seed("push_contact_seed.json")))
        .await
        .unwrap();
    assert_eq!(resp.body().as_ref(), b"{}");
    let resp = svc
        .call(post_json(&seed("push_history_seed.json")))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

#[test]
fn dispatcher_debug_hides_the_token() {
    let (d, _) = dispatcher();
    assert!(!format!("{d:?}").contains(SEED_CRM_TOKEN));
    let e = HandlerError::invalid("phone", "bad");
    assert_eq!(e.to_string(), "phone: bad");
}

#[tokio::test]
async fn error_details_are_pinned() {
    let (d, _) = dispatcher();
    let detail =
        |resp: http::Response<Bytes>| json_of(&resp)["detail"].as_str().unwrap().to_owned();
    let mut body = seed("push_history_seed.json");
    body.as_object_mut().unwrap().remove("phone");
    insta::assert_snapshot!(detail(d.dispatch(post_json(&body)).await), @"phone: missing field `phone`");
    let mut body = seed("push_history_seed.json");
    body["start"] = json!("yesterday");
    insta::assert_snapshot!(
        detail(d.dispatch(post_json(&body)).await),
        @r#"start: invalid timestamp "yesterday": expected 20170703T121110Z, 2022-01-20T08:58:42Z or 2017-07-07T16:14:08+03:00 in years 0000-9999"#
    );
    let mut body = seed("push_history_seed.json");
    body["duration"] = json!("long");
    insta::assert_snapshot!(
        detail(d.dispatch(post_json(&body)).await),
        @r#"duration: invalid value "long": invalid digit found in string"#
    );
    let mut body = seed("push_history_seed.json");
    body["cmd"] = json!("hangup");
    insta::assert_snapshot!(
        detail(d.dispatch(post_json(&body)).await),
        @r#"cmd: unknown command "hangup": expected history, event, contact or rating"#
    );
    insta::assert_snapshot!(
        detail(d.dispatch(post("application/json", "{")).await),
        @"body: body is not valid JSON: EOF while parsing an object at line 1 column 1"
    );
}
