//! The R1–R5 dispatcher's refusals: a wrong key on every route, wrong methods, bad settings
//! bodies, and settings sent as form fields — each asserting status and body.

use crate::dispatcher::{body, dispatcher, get, post, post_json};
use crate::fixture;
use http::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn every_route_rejects_a_wrong_or_missing_key_with_the_seed_401() {
    let d = dispatcher();
    let routes: [(&str, &str, Value); 5] = [
        (
            "POST",
            "/api/v1/calls/audio-upload",
            fixture("r1_request_000.json"),
        ),
        ("POST", "/api/v1/calls", fixture("r2_request_001.json")),
        (
            "POST",
            "/api/v1/settings/offices-update",
            fixture("r3_request_001.json"),
        ),
        (
            "POST",
            "/api/v1/settings/managers-update",
            fixture("r4_request_001.json"),
        ),
        (
            "GET",
            "/api/v1/tables/call-ready?tab=TBL_1755863365&call=8",
            json!(null),
        ),
    ];
    for (verb, route, body_json) in routes {
        for key in ["apiKey=wrong", "apiKey=", "apikey=test-secret-key-123", ""] {
            let sep = if route.contains('?') { '&' } else { '?' };
            let uri = format!("{route}{sep}{key}");
            let req = if verb == "GET" {
                get(&uri)
            } else {
                post_json(&uri, &body_json)
            };
            let resp = d.dispatch(req).await;
            assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{verb} {uri}");
            assert_eq!(body(&resp), fixture("r1_response_401.json"), "{verb} {uri}");
        }
    }
    let h = d.handler();
    assert!(h.calls.lock().unwrap().is_empty());
    assert!(h.offices.lock().unwrap().is_empty());
    assert!(h.managers.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_wrong_method_on_call_ready_is_405_with_the_envelope() {
    let resp = dispatcher()
        .dispatch(post_json(
            "/api/v1/tables/call-ready?tab=t&call=c&apiKey=test-secret-key-123",
            &json!({}),
        ))
        .await;
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(resp.headers()["allow"], "GET");
    assert_eq!(
        body(&resp),
        json!({"data":false,"error":true,"message":"Метод не поддерживается: используйте GET"})
    );
}

#[tokio::test]
async fn settings_with_a_missing_or_mistyped_field_are_400_naming_it() {
    let d = dispatcher();
    let offices = "/api/v1/settings/offices-update?apiKey=test-secret-key-123";
    let managers = "/api/v1/settings/managers-update?apiKey=test-secret-key-123";
    let mut no_office_id = fixture("r3_request_001.json");
    no_office_id["offices"][1]
        .as_object_mut()
        .unwrap()
        .remove("office_id");
    let mut no_name = fixture("r4_request_001.json");
    no_name["managers"][0]
        .as_object_mut()
        .unwrap()
        .remove("name");
    let mut empty_id = fixture("r4_request_000.json");
    empty_id["managers"][0]["manager_id"] = json!(" ");
    for (uri, sent, message) in [
        (
            offices,
            json!({}),
            "Некорректный параметр offices: missing field `offices`",
        ),
        (
            offices,
            json!({"offices": "office_001"}),
            "Некорректный параметр offices: not a JSON array: expected value at line 1 column 1",
        ),
        (
            offices,
            no_office_id,
            "Некорректный параметр offices[1].office_id: missing field `office_id`",
        ),
        (
            managers,
            no_name,
            "Некорректный параметр managers[0].name: missing field `name`",
        ),
        (
            managers,
            empty_id,
            "Некорректный параметр managers[0].manager_id: must not be empty",
        ),
    ] {
        let resp = d.dispatch(post_json(uri, &sent)).await;
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{sent}");
        assert_eq!(
            body(&resp),
            json!({"data": false, "error": true, "message": message}),
            "{sent}"
        );
    }
    assert!(d.handler().offices.lock().unwrap().is_empty());
    assert!(d.handler().managers.lock().unwrap().is_empty());
}

#[tokio::test]
async fn settings_sent_as_form_fields_carrying_json_are_accepted() {
    let d = dispatcher();
    let enc = |v: &Value| {
        url::form_urlencoded::byte_serialize(v.to_string().as_bytes()).collect::<String>()
    };
    let offices = fixture("r3_request_001.json")["offices"].clone();
    let resp = d
        .dispatch(post(
            "/api/v1/settings/offices-update?apiKey=test-secret-key-123",
            "application/x-www-form-urlencoded",
            format!("offices={}", enc(&offices)),
        ))
        .await;
    assert_eq!(
        (resp.status(), body(&resp)),
        (
            StatusCode::OK,
            json!({"data":2,"error":false,"message":"Структура офисов обновлена"})
        )
    );
    let mut managers = fixture("r4_request_001.json")["managers"].clone();
    managers[1].as_object_mut().unwrap().remove("name");
    let resp = d
        .dispatch(post(
            "/api/v1/settings/managers-update?apiKey=test-secret-key-123",
            "application/x-www-form-urlencoded",
            format!("managers={}", enc(&managers)),
        ))
        .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        body(&resp)["message"],
        "Некорректный параметр managers: [1]: missing field `name` at line 1 column 194"
    );
    assert_eq!(d.handler().offices.lock().unwrap().len(), 2);
    assert!(d.handler().managers.lock().unwrap().is_empty());
}
