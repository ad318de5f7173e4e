//! The v1 dispatcher, rows P1–P17: every route with good and bad input, status and body asserted.

use crate::v1_seed_pbx::{call, dispatcher, last_log, request, send};
use crate::v1_support::fixture_json;
use serde_json::json;
use vats_api::v1::parse_history_csv;

#[tokio::test]
async fn p1_history_csv_answers_csv_with_header() {
    let d = dispatcher();
    let a = call(
        &d,
        "GET",
        "history/csv?period=yesterday&type=MISSED&limit=%2210%22",
        None,
    )
    .await;
    assert_eq!(a.status, 400, "{}", a.text); // limit with quotes is not a number
    let a = call(
        &d,
        "GET",
        "history/csv?period=yesterday&type=MISSED&limit=10",
        None,
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.content_type, "text/csv; charset=utf-8");
    assert!(
        a.text
            .starts_with("uid,type,client,account,via,start,wait,duration,record,rating\n")
    );
    assert!(
        a.text
            .contains("1755936870,in,79008003396,admin,79001112233,2017-07-07T13:14:08Z,5,23,")
    );
    assert_eq!(last_log(&d), "history_csv Some(Missed) Some(10) PT86400S");
    assert_eq!(parse_history_csv(a.text.as_bytes()).unwrap().len(), 2);
}

#[tokio::test]
async fn p2_history_json_answers_the_seed_records_with_lower_case_status_and_resolves_start_end() {
    let d = dispatcher();
    let a = call(
        &d,
        "GET",
        "history/json?start=20220120T000000Z&end=20220121T000000Z",
        None,
    )
    .await;
    assert_eq!(a.status, 200);
    // Exactly the vendor document's example of this endpoint: `status` in lower case.
    assert_eq!(a.json(), fixture_json("v1_history.json"));
    assert_eq!(
        last_log(&d),
        "history_json None 2022-01-20 00:00:00 UTC 2022-01-21 00:00:00 UTC"
    );
}

#[tokio::test]
async fn history_end_at_the_first_representable_day_is_answered_not_panicked() {
    let d = dispatcher();
    let a = call(&d, "GET", "history/json?end=00000101T000000Z", None).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let a = call(&d, "GET", "history/json?end=99991231T235959Z", None).await;
    assert_eq!(a.status, 200, "{}", a.text);
}

#[tokio::test]
async fn p1_p2_reject_bad_period_type_and_times_naming_the_field() {
    let d = dispatcher();
    for (uri, field) in [
        ("history/json?period=fortnight", "period"),
        ("history/json?type=sideways", "type"),
        ("history/csv?start=yesterday", "start"),
        ("history/csv?start=253423296000", "start"),
        ("history/json?end=-262143-01-01T00:00:00", "end"),
        ("history/json?end=0000-01-01T00:00:00%2B00:01", "end"),
        (
            "history/json?start=20220121T000000Z&end=20220120T000000Z",
            "start",
        ),
        ("history/inner/json?type=missed", "type"),
        ("history/inner/csv?limit=many", "limit"),
    ] {
        call(&d, "GET", uri, None).await.assert_invalid(field, &uri);
    }
}

#[tokio::test]
async fn p3_inner_history_csv_round_trips_the_seed_example() {
    let d = dispatcher();
    let a = call(&d, "GET", "history/inner/csv?type=NoAnswer", None).await;
    assert_eq!(a.status, 200);
    assert!(
        a.text
            .starts_with("uid,status,from,to,start,wait,duration,record\n1910575453,out,")
    );
    assert_eq!(last_log(&d), "inner_history_csv Some(NoAnswer)");
}

#[tokio::test]
async fn p4_inner_history_json() {
    let d = dispatcher();
    let a = call(&d, "GET", "history/inner/json?period=today", None).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), fixture_json("v1_history_inner.json"));
}

#[tokio::test]
async fn p5_makecall_accepts_json_form_and_multipart() {
    let d = dispatcher();
    let a = call(
        &d,
        "POST",
        "makecall",
        Some(fixture_json("v1_makecall_request.json")),
    )
    .await;
    assert_eq!(
        (a.status, a.json()),
        (200, json!({"callid": "B10D0EB124F4E64AF4EA-1511"}))
    );
    assert_eq!(last_log(&d), "make_call 79101234567 admin None");

    let form = request(
        "POST",
        "makecall",
        Some("application/x-www-form-urlencoded"),
        "phone=79101234567&user=701&clid=74950001122",
    );
    assert_eq!(send(&d, form).await.status, 200);
    assert_eq!(
        last_log(&d),
        "make_call 79101234567 701 Some(\"74950001122\")"
    );

    let mp = "--B\r\nContent-Disposition: form-data; name=\"phone\"\r\n\r\n79101234567\r\n--B\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nadmin\r\n--B--\r\n";
    let a = send(
        &d,
        request(
            "POST",
            "makecall",
            Some("multipart/form-data; boundary=B"),
            mp,
        ),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text);
}

#[tokio::test]
async fn p5_makecall_rejects_bad_phones_missing_fields_and_non_json_bodies() {
    let d = dispatcher();
    let cases = [
        (
            Some("application/json"),
            r#"{"phone":"+7 abc","user":"admin"}"#,
            "phone",
        ),
        (Some("application/json"), r#"{"phone":79101234567}"#, "user"),
        (Some("application/json"), r#"{"user":"admin"}"#, "phone"),
        (Some("application/json"), "{not json", "body"),
        (Some("application/json"), "[1,2]", "body"),
        (None, "", "phone"),
    ];
    for (ctype, body, field) in cases {
        send(&d, request("POST", "makecall", ctype, body))
            .await
            .assert_invalid(field, &body);
    }
    let xml = send(
        &d,
        request("POST", "makecall", Some("application/xml"), "<call/>"),
    )
    .await;
    assert_eq!(xml.status, 415, "{}", xml.text);
    assert_eq!(xml.json()["error"], "Unsupported Media Type");
}

#[tokio::test]
async fn p6_list_users_reads_paging_numbers_as_given() {
    let d = dispatcher();
    let a = call(&d, "GET", "users?search=adm&start=0&limit=3", None).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), fixture_json("v1_users_list.json"));
    assert_eq!(last_log(&d), "list_users Some(\"adm\") Some(0) Some(3)");
    let a = call(&d, "GET", "users?start=first", None).await;
    assert_eq!(
        (
            a.status,
            a.json()["detail"].as_str().unwrap().starts_with("start")
        ),
        (400, true)
    );
}

#[tokio::test]
async fn p7_get_user_and_404() {
    let d = dispatcher();
    let a = call(&d, "GET", "users/admin", None).await;
    assert_eq!((a.status, a.json()), (200, fixture_json("v1_user.json")));
    let a = call(&d, "GET", "users/ghost", None).await;
    assert_eq!(
        (a.status, a.json()),
        (404, json!({"error": "Not found", "detail": "user ghost"}))
    );
}

#[tokio::test]
async fn p8_create_user_validates_and_answers_the_seed_example() {
    let d = dispatcher();
    let a = call(
        &d,
        "POST",
        "users",
        Some(fixture_json("v1_user_create_request.json")),
    )
    .await;
    assert_eq!(
        (a.status, a.json()),
        (200, fixture_json("v1_user_create_answer.json"))
    );
    for (body, field) in [
        (json!({"mobile": "7900"}), "name"),
        (json!({"name": "A", "role": "god"}), "role"),
        (
            json!({"name": "A", "mobile": "7900", "mobile_redirect": {"enabled": true, "delay": 7}}),
            "mobile_redirect.delay",
        ),
        (
            json!({"name": "A", "mobile_redirect": {"enabled": true}}),
            "mobile",
        ),
        (
            json!({"name": "A", "mobile_redirect": {"enabled": "perhaps"}}),
            "mobile_redirect.enabled",
        ),
    ] {
        call(&d, "POST", "users", Some(body.clone()))
            .await
            .assert_invalid(field, &body);
    }
}

#[tokio::test]
async fn p9_update_user_applies_the_seed_request() {
    let d = dispatcher();
    let a = call(
        &d,
        "PUT",
        "users/u704",
        Some(fixture_json("v1_user_update_request.json")),
    )
    .await;
    assert_eq!(
        (a.status, a.json()),
        (200, fixture_json("v1_user_update_answer.json"))
    );
    let a = call(
        &d,
        "PUT",
        "users/u704",
        Some(json!({"role": "ADMIN", "ext": 709})),
    )
    .await;
    assert_eq!(
        (a.json()["role"].clone(), a.json()["ext"].clone()),
        (json!("admin"), json!("709"))
    );
    let a = call(&d, "PUT", "users/ghost", Some(json!({}))).await;
    assert_eq!(a.status, 404);
    let a = call(&d, "PUT", "users/u704", Some(json!({"role": "root"}))).await;
    assert_eq!(a.status, 400);
}

#[tokio::test]
async fn p10_delete_user_answers_204() {
    let d = dispatcher();
    let a = call(&d, "DELETE", "users/u704", None).await;
    assert_eq!((a.status, a.text.as_str()), (204, ""));
    assert_eq!(last_log(&d), "delete_user u704");
    assert_eq!(call(&d, "DELETE", "users/ghost", None).await.status, 404);
}

#[tokio::test]
async fn path_parameters_keep_characters_a_query_string_would_split_on() {
    let d = dispatcher();
    for (path, login) in [
        ("users/a&b", "a&b"),
        ("users/a%26b", "a&b"),
        ("users/a=b;c+d", "a=b;c+d"),
        ("users/%D0%B8%D0%B2%D0%B0%D0%BD", "иван"),
        ("users/a%2Fb", "a/b"),
        ("users/100%", "100%"),
    ] {
        let a = call(&d, "DELETE", path, None).await;
        assert_eq!(a.status, 204, "{path}: {}", a.text);
        assert_eq!(last_log(&d), format!("delete_user {login}"), "{path}");
    }
}

#[tokio::test]
async fn p11_user_groups() {
    let d = dispatcher();
    let a = call(&d, "GET", "users/admin/groups", None).await;
    assert_eq!(
        (a.status, a.json()),
        (
            200,
            json!([{"id": "sales", "name": "Отдел продаж", "ext": "700"}])
        )
    );
    assert_eq!(
        call(&d, "GET", "users/ghost/groups", None).await.status,
        404
    );
}

#[tokio::test]
async fn p12_to_p14_subscription_with_and_without_group() {
    let d = dispatcher();
    let a = call(&d, "GET", "users/admin/subscription?group_id=sales", None).await;
    assert_eq!((a.status, a.json()), (200, json!({"state": true})));
    assert_eq!(
        last_log(&d),
        "subscription_state admin Some(GroupId(\"sales\"))"
    );
    assert_eq!(
        call(&d, "POST", "users/admin/subscription", None)
            .await
            .status,
        204
    );
    assert_eq!(last_log(&d), "subscribe admin None");
    assert_eq!(
        call(
            &d,
            "DELETE",
            "users/admin/subscription?group_id=sales",
            None
        )
        .await
        .status,
        204
    );
    assert_eq!(last_log(&d), "unsubscribe admin Some(GroupId(\"sales\"))");
    assert_eq!(
        call(&d, "PUT", "users/admin/subscription", None)
            .await
            .status,
        405
    );
}

#[tokio::test]
async fn p15_to_p17_dnd() {
    let d = dispatcher();
    let a = call(&d, "GET", "users/701/dnd", None).await;
    assert_eq!((a.status, a.json()), (200, json!({"state": false})));
    assert_eq!(call(&d, "GET", "users/ghost/dnd", None).await.status, 404);
    assert_eq!(call(&d, "POST", "users/701/dnd", None).await.status, 204);
    assert_eq!(last_log(&d), "enable_dnd 701");
    assert_eq!(call(&d, "DELETE", "users/701/dnd", None).await.status, 204);
    assert_eq!(last_log(&d), "disable_dnd 701");
}
