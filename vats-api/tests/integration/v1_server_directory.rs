//! The v1 dispatcher, rows P18–P40 and the protocol around them (auth, 404, 405, limits).

use crate::v1_seed_pbx::{call, dispatcher, last_log, request, send};
use crate::v1_support::{KEY, fixture_json};
use bytes::Bytes;
use http::{Request, StatusCode};
use serde_json::json;
use vats_api::HandlerError;
use vats_api::v1::{Dispatcher, VatsHandler};

#[tokio::test]
async fn p18_p19_groups_list_and_get() {
    let d = dispatcher();
    let a = call(&d, "GET", "groups?limit=2", None).await;
    assert_eq!(
        (a.status, a.json()),
        (200, fixture_json("v1_groups_list.json"))
    );
    let a = call(&d, "GET", "groups/sales", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_group.json")));
    assert_eq!(call(&d, "GET", "groups/none", None).await.status, 404);
}

#[tokio::test]
async fn p20_create_group_validates_allowed_values() {
    let d = dispatcher();
    let a = call(
        &d,
        "POST",
        "groups",
        Some(fixture_json("v1_group_create_request.json")),
    )
    .await;
    assert_eq!(
        (a.status, a.json()),
        (200, fixture_json("v1_group_create_answer.json"))
    );
    assert_eq!(last_log(&d), "create_group Отдел поставок Some(Evenly)");
    for (body, field) in [
        (json!({"call_order": "ALL"}), "name"),
        (json!({"name": "X", "call_order": "RANDOM"}), "call_order"),
        (json!({"name": "X", "call_duration": 7}), "call_duration"),
        (json!({"name": "X", "advanced": "dance"}), "advanced"),
        (
            json!({"name": "X", "timeout": {"time": 45}}),
            "timeout.time",
        ),
        (
            json!({"name": "X", "timeout": {"target": "group"}}),
            "timeout.group",
        ),
        (
            json!({"name": "X", "users": [{"calls_enable": true}]}),
            "users[0].login",
        ),
    ] {
        call(&d, "POST", "groups", Some(body.clone()))
            .await
            .assert_invalid(field, &body);
    }
}

#[tokio::test]
async fn p21_p22_update_and_delete_group() {
    let d = dispatcher();
    let a = call(
        &d,
        "PUT",
        "groups/sales",
        Some(json!({"call_order": "waterfall", "call_duration": "20"})),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(
        (
            a.json()["call_order"].clone(),
            a.json()["call_duration"].clone()
        ),
        (json!("WATERFALL"), json!(20))
    );
    let a = call(
        &d,
        "PUT",
        "groups/sales",
        Some(fixture_json("v1_group_update_request.json")),
    )
    .await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_group.json")));
    assert_eq!(
        call(
            &d,
            "PUT",
            "groups/sales",
            Some(json!({"call_duration": 31}))
        )
        .await
        .status,
        400
    );
    assert_eq!(call(&d, "DELETE", "groups/sales", None).await.status, 204);
    assert_eq!(last_log(&d), "delete_group sales");
}

#[tokio::test]
async fn p23_change_group_users_json_and_form() {
    let d = dispatcher();
    let a = call(
        &d,
        "POST",
        "groups/sales/users",
        Some(fixture_json("v1_group_users_request.json")),
    )
    .await;
    assert_eq!(a.status, 204);
    assert_eq!(last_log(&d), "change_group_users sales 5 Some(2)");
    let form = request(
        "POST",
        "groups/sales/users",
        Some("application/x-www-form-urlencoded"),
        "add=a&add=b&position=-1",
    );
    assert_eq!(send(&d, form).await.status, 204);
    assert_eq!(last_log(&d), "change_group_users sales 2 Some(-1)");
    let a = call(
        &d,
        "POST",
        "groups/sales/users",
        Some(json!({"position": "top"})),
    )
    .await;
    assert_eq!(
        (
            a.status,
            a.json()["detail"].as_str().unwrap().starts_with("position")
        ),
        (400, true)
    );
    assert_eq!(
        call(&d, "GET", "groups/sales/users", None).await.status,
        405
    );
}

#[tokio::test]
async fn p24_to_p26_telnums() {
    let d = dispatcher();
    let a = call(&d, "GET", "telnums", None).await;
    assert_eq!(
        (a.status, a.json()),
        (200, fixture_json("v1_telnums_list.json"))
    );
    let a = call(&d, "GET", "telnums/79007775555", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_telnum.json")));
    let a = call(
        &d,
        "POST",
        "telnums/79007775555",
        Some(fixture_json("v1_telnum_route_request.json")),
    )
    .await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_telnum.json")));
    assert_eq!(last_log(&d), "set_telnum_route 79007775555 group None");
}

#[tokio::test]
async fn p26_route_schedule_is_normalized_and_validated() {
    let d = dispatcher();
    let body = json!({"type": "scheduler", "greeting": true, "work": {"subtype": "group", "group": "sales"},
        "other": {"subtype": "user", "user": "admin"}, "schedule": fixture_json("v1_schedule_request.json")});
    let a = call(&d, "POST", "telnums/79007775555", Some(body)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        last_log(&d),
        "set_telnum_route 79007775555 scheduler Some(Some(DaySchedule { start: 0, end: 0, holiday: true }))"
    );
    for (body, field) in [
        (json!({"greeting": true}), "type"),
        (json!({"type": "group"}), "greeting"),
        (json!({"type": "teleport", "greeting": false}), "type"),
        (json!({"type": "user", "greeting": false}), "user"),
        (
            json!({"type": "scheduler", "greeting": false, "work": {"subtype": "user", "user": "a"}}),
            "schedule",
        ),
        (
            json!({"type": "fax", "greeting": false, "schedule": {"monday": {"start": 100, "end": 50}}}),
            "schedule.monday.end",
        ),
    ] {
        call(&d, "POST", "telnums/79007775555", Some(body.clone()))
            .await
            .assert_invalid(field, &body);
    }
}

#[tokio::test]
async fn p27_p28_telnum_enabled() {
    let d = dispatcher();
    assert_eq!(
        call(&d, "POST", "telnums/79007775555/enabled", None)
            .await
            .status,
        204
    );
    assert_eq!(last_log(&d), "enable_telnum 79007775555");
    assert_eq!(
        call(&d, "DELETE", "telnums/79007775555/enabled", None)
            .await
            .status,
        204
    );
    assert_eq!(last_log(&d), "disable_telnum 79007775555");
    assert_eq!(
        call(&d, "GET", "telnums/79007775555/enabled", None)
            .await
            .status,
        405
    );
}

#[tokio::test]
async fn p29_to_p34_sims() {
    let d = dispatcher();
    let a = call(&d, "GET", "sims", None).await;
    assert_eq!(
        (a.status, a.json()),
        (200, fixture_json("v1_sims_list.json"))
    );
    let a = call(&d, "GET", "sims/79261234567", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_sim.json")));
    for (method, uri, log) in [
        (
            "POST",
            "sims/79261234567/user/ivan",
            "assign_sim_to_user 79261234567 ivan",
        ),
        (
            "POST",
            "sims/79261234567/company",
            "assign_sim_to_company 79261234567",
        ),
        (
            "POST",
            "sims/79261234567/disable",
            "disable_sim 79261234567",
        ),
        ("DELETE", "sims/79261234567", "delete_sim 79261234567"),
    ] {
        let a = call(&d, method, uri, None).await;
        assert_eq!((a.status, a.text.as_str()), (204, ""), "{uri}");
        assert_eq!(last_log(&d), log);
    }
    assert_eq!(
        call(&d, "DELETE", "sims/79261234567/company", None)
            .await
            .status,
        405
    );
    assert_eq!(
        call(&d, "POST", "sims/79261234567/user", None).await.status,
        404
    );
}

#[tokio::test]
async fn p35_blacklist_list_with_statistics() {
    let d = dispatcher();
    let a = call(&d, "GET", "blacklist/telnums?with=statistics", None).await;
    assert_eq!(
        (a.status, a.json()),
        (200, fixture_json("v1_blacklist_list.json"))
    );
    assert_eq!(last_log(&d), "list_blacklist true");
    let a = call(&d, "GET", "blacklist/telnums?with=everything", None).await;
    assert_eq!(
        (
            a.status,
            a.json()["detail"].as_str().unwrap().starts_with("with")
        ),
        (400, true)
    );
}

#[tokio::test]
async fn p36_blacklist_add_validates_patterns() {
    let d = dispatcher();
    let a = call(
        &d,
        "POST",
        "blacklist/telnums",
        Some(json!({"telnum": "7900800*", "comment": "Причина"})),
    )
    .await;
    assert_eq!(a.status, 204);
    assert_eq!(
        last_log(&d),
        "add_to_blacklist [\"7900800*\"] Some(\"Причина\")"
    );
    let form = request(
        "POST",
        "blacklist/telnums",
        Some("application/x-www-form-urlencoded"),
        "telnum=79998880011&telnum=1234*",
    );
    assert_eq!(send(&d, form).await.status, 204);
    for body in [
        json!({"comment": "x"}),
        json!({"telnum": "+7900"}),
        json!({"telnum": "79*00"}),
        json!({"telnum": []}),
    ] {
        let a = call(&d, "POST", "blacklist/telnums", Some(body.clone())).await;
        assert_eq!(a.status, 400, "{body}");
        assert!(
            a.json()["detail"].as_str().unwrap().starts_with("telnum"),
            "{}",
            a.text
        );
    }
}

#[tokio::test]
async fn p37_blacklist_remove_takes_repeated_telnum() {
    let d = dispatcher();
    let uri = "blacklist/telnums?telnum=79098889900&telnum=7900800*&telnum=88899988899";
    assert_eq!(call(&d, "DELETE", uri, None).await.status, 204);
    assert_eq!(
        last_log(&d),
        "remove_from_blacklist [\"79098889900\", \"7900800*\", \"88899988899\"]"
    );
    let a = call(&d, "DELETE", "blacklist/telnums", None).await;
    assert_eq!(
        (a.status, a.json()["error"].clone()),
        (400, json!("Validation error"))
    );
}

#[tokio::test]
async fn p38_to_p40_block_anonymous() {
    let d = dispatcher();
    let a = call(&d, "GET", "blacklist/block-anonymous", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_state.json")));
    assert_eq!(
        call(&d, "POST", "blacklist/block-anonymous", None)
            .await
            .status,
        204
    );
    assert_eq!(last_log(&d), "enable_block_anonymous");
    assert_eq!(
        call(&d, "DELETE", "blacklist/block-anonymous", None)
            .await
            .status,
        204
    );
    assert_eq!(last_log(&d), "disable_block_anonymous");
}

#[tokio::test]
async fn rejects_missing_or_wrong_api_key_with_401() {
    let d = dispatcher();
    let no_key = Request::get("/crmapi/v1/users").body(Bytes::new()).unwrap();
    let a = send(&d, no_key).await;
    assert_eq!(
        (a.status, a.json()),
        (401, json!({"error": "Invalid token"}))
    );
    let wrong = Request::get("/crmapi/v1/users")
        .header("X-API-KEY", "nope")
        .body(Bytes::new())
        .unwrap();
    assert_eq!(send(&d, wrong).await.status, 401);
    assert!(d.handler().log.lock().unwrap().is_empty());
}

#[tokio::test]
async fn unknown_paths_get_404_and_wrong_methods_405_with_allow() {
    let d = dispatcher();
    for uri in ["nothing", "users/a/b/c", "history", "blacklist"] {
        let a = call(&d, "GET", uri, None).await;
        assert_eq!(
            (a.status, a.json()),
            (
                404,
                json!({"error": "Not found", "detail": format!("no route /crmapi/v1/{uri}")})
            ),
            "{uri}"
        );
    }
    let outside = Request::get("/other/users")
        .header("X-API-KEY", KEY)
        .body(Bytes::new())
        .unwrap();
    assert_eq!(send(&d, outside).await.status, 404);
    let r = d.dispatch(request("PATCH", "users/admin", None, "")).await;
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.headers()["allow"], "GET, PUT, DELETE");
    assert_eq!(r.body().as_ref(), br#"{"error":"Method Not Allowed"}"#);
    assert_eq!(call(&d, "DELETE", "makecall", None).await.status, 405);
}

#[tokio::test]
async fn handler_defaults_answer_501_and_errors_map_to_the_documented_texts() {
    struct Nothing;
    impl VatsHandler for Nothing {}
    let d = Dispatcher::new(Nothing, KEY);
    let r = d.dispatch(request("GET", "sims", None, "")).await;
    assert_eq!(r.status().as_u16(), 501);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(r.body()).unwrap(),
        json!({"error": "Not Implemented", "detail": "not implemented by this server: P29 GET sims"})
    );

    struct Failing(HandlerError);
    #[vats_api::async_trait]
    impl VatsHandler for Failing {
        async fn get_user(
            &self,
            _login: vats_api::v1::Login,
        ) -> vats_api::v1::HandlerResult<vats_api::v1::User> {
            Err(self.0.clone())
        }
    }
    for (e, status, body) in [
        (
            HandlerError::invalid("phone", "bad"),
            400,
            json!({"error": "Validation error", "detail": "phone: bad"}),
        ),
        (
            HandlerError::conflict("login u1 is taken"),
            409,
            json!({"error": "Conflict", "detail": "login u1 is taken"}),
        ),
    ] {
        let d = Dispatcher::new(Failing(e), KEY);
        let r = d.dispatch(request("GET", "users/u1", None, "")).await;
        let got: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
        assert_eq!((r.status().as_u16(), got), (status, body));
    }
}

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let d = dispatcher().with_body_limit(16);
    let a = call(
        &d,
        "POST",
        "users",
        Some(json!({"name": "a very long name indeed"})),
    )
    .await;
    assert_eq!(
        (a.status, a.json()["error"].clone()),
        (413, json!("Payload Too Large"))
    );
}

#[tokio::test]
async fn serves_under_another_prefix_and_as_a_tower_service() {
    use tower_service::Service;
    let mut d = dispatcher().with_prefix("/").into_service();
    let req = Request::get("/users/admin")
        .header("X-API-KEY", KEY)
        .body(Bytes::new())
        .unwrap();
    let r = d.call(req).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn dispatcher_debug_hides_the_key() {
    let shown = format!("{:?}", dispatcher());
    assert!(
        !shown.contains(KEY) && shown.contains("REDACTED"),
        "{shown}"
    );
}

#[tokio::test]
async fn handler_refusals_get_the_seed_status_and_text() {
    struct Off;
    #[async_trait::async_trait]
    impl VatsHandler for Off {
        async fn block_anonymous_state(&self) -> vats_api::v1::HandlerResult<bool> {
            Err(HandlerError::unauthorized("CRM switched off"))
        }
        async fn dnd_state(
            &self,
            _login: vats_api::v1::Login,
        ) -> vats_api::v1::HandlerResult<bool> {
            Err(HandlerError::unauthorized("CRM disabled"))
        }
        async fn list_sims(
            &self,
            _q: vats_api::v1::ListQuery,
        ) -> vats_api::v1::HandlerResult<vats_api::v1::Page<vats_api::v1::Sim>> {
            Err(HandlerError::internal("database password=hunter2 rejected"))
        }
    }
    let d = Dispatcher::new(Off, KEY);
    let get = |uri: &str| {
        Request::get(format!("/crmapi/v1/{uri}"))
            .header("X-API-KEY", KEY)
            .body(Bytes::new())
            .unwrap()
    };
    let r = d.dispatch(get("blacklist/block-anonymous")).await;
    assert_eq!(
        (r.status().as_u16(), r.body().as_ref()),
        (401, br#"{"error":"CRM switched off"}"#.as_ref())
    );
    let r = d.dispatch(get("users/admin/dnd")).await;
    assert_eq!(
        (r.status().as_u16(), r.body().as_ref()),
        (401, br#"{"error":"CRM disabled"}"#.as_ref())
    );
    // Internal details are never sent.
    let r = d.dispatch(get("sims")).await;
    assert_eq!(
        (r.status().as_u16(), r.body().as_ref()),
        (500, br#"{"error":"Internal error"}"#.as_ref())
    );
}

#[test]
fn the_seeds_schedule_request_normalizes_to_the_seeds_schedule_answer() {
    let request: vats_api::v1::Schedule =
        serde_json::from_value(fixture_json("v1_schedule_request.json")).unwrap();
    let answer: vats_api::v1::Schedule =
        serde_json::from_value(fixture_json("v1_schedule_answer.json")).unwrap();
    assert_eq!(request.normalized(), answer);
    assert_eq!(
        serde_json::to_value(&answer).unwrap(),
        fixture_json("v1_schedule_answer.json")
    );
}
