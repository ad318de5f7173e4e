//! `PbxDispatcher` (L1–L3): every route with good and bad input, the vendor document's error bodies.

use crate::common_support::*;
use async_trait::async_trait;
use bytes::Bytes;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use std::sync::{Arc, Mutex};
use vats_api::legacy::{Account, LoginRequest, MakeCallRequest, PbxDispatcher, PbxHandler};
use vats_api::{CallId, HandlerError};

#[derive(Default)]
struct Pbx {
    logins: Mutex<Vec<LoginRequest>>,
    calls: Mutex<Vec<MakeCallRequest>>,
}

#[async_trait]
impl PbxHandler for Pbx {
    async fn login(&self, request: LoginRequest) -> Result<SecretString, HandlerError> {
        let ok = request.login == "admin" && request.password.expose_secret() == "pass";
        self.logins.lock().unwrap().push(request);
        if ok {
            Ok(SEED_PBX_TOKEN.into())
        } else {
            Err(HandlerError::unauthorized("wrong login or password"))
        }
    }
    async fn check_token(&self, token: &SecretString) -> bool {
        http_plumbing::constant_time_eq(token.expose_secret(), SEED_PBX_TOKEN)
    }
    async fn make_call(&self, request: MakeCallRequest) -> Result<CallId, HandlerError> {
        if !request.phone.is_digits() {
            return Err(HandlerError::invalid("phone", "digits only"));
        }
        self.calls.lock().unwrap().push(request);
        Ok(CallId::from("28187487-edcf-4d23-9f95-c8591fbd9936"))
    }
    async fn accounts(&self) -> Result<Vec<Account>, HandlerError> {
        Ok(vec![
            Account {
                name: "test".into(),
                real_name: Some("Тест".into()),
            },
            Account {
                name: "daria".into(),
                real_name: None,
            },
        ])
    }
}

fn dispatcher() -> (PbxDispatcher<Pbx>, Arc<Pbx>) {
    let pbx = Arc::new(Pbx::default());
    (PbxDispatcher::new(Arc::clone(&pbx)), pbx)
}

fn form_to(path: &str, body: &str) -> http::Request<Bytes> {
    http::Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Bytes::from(body.to_owned()))
        .unwrap()
}

const SEED_LOGIN: &str = "login=admin&password=pass&crm_code=mycrm\
    &crm_token=76fsd7tfs-fhjdgfdjsfsk-hfgsdguuuwoeiwey1111&url=https://crm.ru/crm_integration.php";

#[tokio::test]
async fn login_with_the_seed_example_answers_the_token() {
    let (d, pbx) = dispatcher();
    let resp = d.dispatch(form_to("/sys/api_login.wcgp", SEED_LOGIN)).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        json_of(&resp),
        fixture_json("legacy_login_answer_seed.json")
    );
    let got = pbx.logins.lock().unwrap().pop().unwrap();
    assert_eq!(
        (got.crm_code.as_str(), got.url.as_str()),
        ("mycrm", "https://crm.ru/crm_integration.php")
    );
    assert_eq!(got.crm_token.expose_secret(), SEED_CRM_TOKEN);
    assert!(!got.self_map);
}

#[tokio::test]
async fn login_reads_self_map_presence_and_json_bodies() {
    let (d, pbx) = dispatcher();
    let resp = d
        .dispatch(form_to(
            "/sys/api_login.wcgp",
            &format!("{SEED_LOGIN}&self_map="),
        ))
        .await;
    assert_eq!(resp.status(), 200);
    assert!(pbx.logins.lock().unwrap().pop().unwrap().self_map);
    let body = json!({"login": "admin", "password": "pass", "crm_code": "c", "crm_token": "t", "url": "u", "self_map": false});
    let req = http::Request::post("/sys/api_login.wcgp")
        .header("content-type", "application/json")
        .body(Bytes::from(body.to_string()))
        .unwrap();
    assert_eq!(d.dispatch(req).await.status(), 200);
    assert!(!pbx.logins.lock().unwrap().pop().unwrap().self_map);
}

#[tokio::test]
async fn login_with_wrong_password_is_the_seeds_autorization_failed() {
    let (d, _) = dispatcher();
    let resp = d
        .dispatch(form_to(
            "/sys/api_login.wcgp",
            &SEED_LOGIN.replace("password=pass", "password=nope"),
        ))
        .await;
    assert_unauthorized(&resp, "Autorization failed");
}

#[tokio::test]
async fn login_missing_fields_are_400_naming_them() {
    for field in ["crm_code", "login", "password", "crm_token", "url"] {
        let (d, pbx) = dispatcher();
        let body: String = SEED_LOGIN
            .split('&')
            .filter(|kv| !kv.starts_with(&format!("{field}=")))
            .collect::<Vec<_>>()
            .join("&");
        assert_invalid(
            &d.dispatch(form_to("/sys/api_login.wcgp", &body)).await,
            field,
        );
        assert!(pbx.logins.lock().unwrap().is_empty());
    }
}

#[tokio::test]
async fn make_call_with_the_seed_example_answers_200_with_the_uuid() {
    let (d, pbx) = dispatcher();
    let body = format!("cmd=makeCall&phone=79101234567&user=user&token={SEED_PBX_TOKEN}");
    let resp = d.dispatch(form_to("/sys/crm_api.wcgp", &body)).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.body().as_ref(),
        br#"{"uuid":"28187487-edcf-4d23-9f95-c8591fbd9936"}"#
    );
    let call = pbx.calls.lock().unwrap().pop().unwrap();
    assert_eq!(
        (call.phone.as_str(), call.user.as_str()),
        ("79101234567", "user")
    );
}

#[tokio::test]
async fn make_call_bad_input_is_400_naming_the_field() {
    let (d, _) = dispatcher();
    let body = format!("cmd=makecall&user=user&token={SEED_PBX_TOKEN}");
    assert_invalid(
        &d.dispatch(form_to("/sys/crm_api.wcgp", &body)).await,
        "phone",
    );
    let body = format!("cmd=MAKECALL&phone=%2B7abc&user=user&token={SEED_PBX_TOKEN}");
    assert_invalid(
        &d.dispatch(form_to("/sys/crm_api.wcgp", &body)).await,
        "phone",
    );
}

#[tokio::test]
async fn commands_with_a_wrong_or_missing_token_are_401_invalid_token() {
    let (d, pbx) = dispatcher();
    for body in [
        "cmd=makeCall&phone=79101234567&user=user&token=5f317b9f-e86c-41f7-a6fc-c76eb0da0001",
        "cmd=makeCall&phone=79101234567&user=user",
        "cmd=accounts&token=nope",
        "cmd=accounts",
    ] {
        assert_unauthorized(
            &d.dispatch(form_to("/sys/crm_api.wcgp", body)).await,
            "Invalid token",
        );
    }
    assert!(pbx.calls.lock().unwrap().is_empty());
}

#[tokio::test]
async fn accounts_answers_name_and_real_name() {
    let (d, _) = dispatcher();
    let resp = d
        .dispatch(form_to(
            "/sys/crm_api.wcgp",
            &format!("cmd=accounts&token={SEED_PBX_TOKEN}"),
        ))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        json_of(&resp),
        json!([{"name": "test", "realName": "Тест"}, {"name": "daria", "realName": null}])
    );
}

#[tokio::test]
async fn unknown_or_missing_cmd_is_400_naming_cmd() {
    let (d, _) = dispatcher();
    let resp = d
        .dispatch(form_to(
            "/sys/crm_api.wcgp",
            &format!("cmd=hangup&token={SEED_PBX_TOKEN}"),
        ))
        .await;
    assert_invalid(&resp, "cmd");
    let resp = d
        .dispatch(form_to(
            "/sys/crm_api.wcgp",
            &format!("token={SEED_PBX_TOKEN}"),
        ))
        .await;
    assert_invalid(&resp, "cmd");
}

#[tokio::test]
async fn other_paths_are_404_and_other_methods_405() {
    let (d, _) = dispatcher();
    let resp = d.dispatch(form_to("/sys/other.wcgp", "cmd=accounts")).await;
    assert_eq!(resp.status(), 404);
    assert_eq!(
        json_of(&resp),
        json!({"error": "Not found", "detail": "no route /sys/other.wcgp"})
    );
    let req = http::Request::get("/sys/crm_api.wcgp")
        .body(Bytes::new())
        .unwrap();
    let resp = d.dispatch(req).await;
    assert_eq!(resp.status(), 405);
    assert_eq!(json_of(&resp), json!({"error": "Method Not Allowed"}));
}

#[tokio::test]
async fn a_body_that_is_not_form_or_json_is_4xx() {
    let (d, _) = dispatcher();
    let req = http::Request::post("/sys/api_login.wcgp")
        .header("content-type", "application/json")
        .body(Bytes::from_static(b"login=admin"))
        .unwrap();
    assert_invalid(&d.dispatch(req).await, "body");
    let req = http::Request::post("/sys/crm_api.wcgp")
        .header("content-type", "image/png")
        .body(Bytes::from_static(b"\x89PNG"))
        .unwrap();
    assert_eq!(d.dispatch(req).await.status(), 415);
}

#[tokio::test]
async fn default_handler_does_not_implement_login_and_refuses_every_token() {
    struct Nothing;
    impl PbxHandler for Nothing {}
    let d = PbxDispatcher::new(Nothing);
    let resp = d.dispatch(form_to("/sys/api_login.wcgp", SEED_LOGIN)).await;
    assert_eq!(resp.status(), 501);
    assert_eq!(json_of(&resp)["error"], "Not Implemented");
    let body = format!("cmd=accounts&token={SEED_PBX_TOKEN}");
    assert_unauthorized(
        &d.dispatch(form_to("/sys/crm_api.wcgp", &body)).await,
        "Invalid token",
    );
}

#[test]
fn login_request_debug_hides_password_and_crm_token() {
    let req: LoginRequest = serde_json::from_value(json!({
        "crm_code": "c", "login": "admin", "password": "TOPSECRETPW", "crm_token": SEED_CRM_TOKEN, "url": "u"
    }))
    .unwrap();
    let shown = format!("{req:?}");
    assert!(
        !shown.contains("TOPSECRETPW") && !shown.contains(SEED_CRM_TOKEN),
        "{shown}"
    );
}
