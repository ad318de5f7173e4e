//! Every row P1–P40 through the dispatcher in one table: the good request reaches its handler
//! method and gets the row's status; the same request without the key, with a wrong key, and
//! with a method the route does not serve gets the vendor document's status and body.

use crate::v1_seed_pbx::{dispatcher, last_log, request, send};
use crate::v1_support::KEY;
use bytes::Bytes;
use http::Request;
use serde_json::json;

/// (row, method, uri, JSON body, expected status, handler log prefix, the route's `Allow`).
type Row = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    u16,
    &'static str,
    &'static str,
);

const ROWS: &[Row] = &[
    (
        "P1",
        "GET",
        "history/csv?period=today",
        None,
        200,
        "history_csv",
        "GET",
    ),
    (
        "P2",
        "GET",
        "history/json?period=today",
        None,
        200,
        "history_json",
        "GET",
    ),
    (
        "P3",
        "GET",
        "history/inner/csv?type=all",
        None,
        200,
        "inner_history_csv",
        "GET",
    ),
    (
        "P4",
        "GET",
        "history/inner/json?type=success",
        None,
        200,
        "inner_history_json",
        "GET",
    ),
    (
        "P5",
        "POST",
        "makecall",
        Some(r#"{"phone":"79001234567","user":"admin"}"#),
        200,
        "make_call",
        "POST",
    ),
    (
        "P6",
        "GET",
        "users?limit=1",
        None,
        200,
        "list_users",
        "GET, POST",
    ),
    (
        "P7",
        "GET",
        "users/admin",
        None,
        200,
        "",
        "GET, PUT, DELETE",
    ),
    (
        "P8",
        "POST",
        "users",
        Some(r#"{"name":"Иван"}"#),
        200,
        "create_user",
        "GET, POST",
    ),
    (
        "P9",
        "PUT",
        "users/admin",
        Some(r#"{"name":"Пётр"}"#),
        200,
        "",
        "GET, PUT, DELETE",
    ),
    (
        "P10",
        "DELETE",
        "users/admin",
        None,
        204,
        "delete_user",
        "GET, PUT, DELETE",
    ),
    ("P11", "GET", "users/admin/groups", None, 200, "", "GET"),
    (
        "P12",
        "GET",
        "users/admin/subscription?group_id=1",
        None,
        200,
        "subscription_state",
        "GET, POST, DELETE",
    ),
    (
        "P13",
        "POST",
        "users/admin/subscription",
        None,
        204,
        "subscribe",
        "GET, POST, DELETE",
    ),
    (
        "P14",
        "DELETE",
        "users/admin/subscription?group_id=1",
        None,
        204,
        "unsubscribe",
        "GET, POST, DELETE",
    ),
    (
        "P15",
        "GET",
        "users/admin/dnd",
        None,
        200,
        "",
        "GET, POST, DELETE",
    ),
    (
        "P16",
        "POST",
        "users/admin/dnd",
        None,
        204,
        "enable_dnd",
        "GET, POST, DELETE",
    ),
    (
        "P17",
        "DELETE",
        "users/admin/dnd",
        None,
        204,
        "disable_dnd",
        "GET, POST, DELETE",
    ),
    ("P18", "GET", "groups", None, 200, "", "GET, POST"),
    (
        "P19",
        "GET",
        "groups/sales",
        None,
        200,
        "",
        "GET, PUT, DELETE",
    ),
    (
        "P20",
        "POST",
        "groups",
        Some(r#"{"name":"Продажи"}"#),
        200,
        "create_group",
        "GET, POST",
    ),
    (
        "P21",
        "PUT",
        "groups/sales",
        Some(r#"{"name":"Продажи"}"#),
        200,
        "",
        "GET, PUT, DELETE",
    ),
    (
        "P22",
        "DELETE",
        "groups/sales",
        None,
        204,
        "delete_group",
        "GET, PUT, DELETE",
    ),
    (
        "P23",
        "POST",
        "groups/sales/users",
        Some(r#"{"add":["admin"],"position":-1}"#),
        204,
        "change_group_users",
        "POST",
    ),
    ("P24", "GET", "telnums", None, 200, "", "GET"),
    (
        "P25",
        "GET",
        "telnums/79001234567",
        None,
        200,
        "",
        "GET, POST",
    ),
    (
        "P26",
        "POST",
        "telnums/79001234567",
        Some(r#"{"type":"user","user":"admin","greeting":"1"}"#),
        200,
        "set_telnum_route",
        "GET, POST",
    ),
    (
        "P27",
        "POST",
        "telnums/79001234567/enabled",
        None,
        204,
        "enable_telnum",
        "POST, DELETE",
    ),
    (
        "P28",
        "DELETE",
        "telnums/79001234567/enabled",
        None,
        204,
        "disable_telnum",
        "POST, DELETE",
    ),
    ("P29", "GET", "sims", None, 200, "", "GET"),
    (
        "P30",
        "GET",
        "sims/79261234567",
        None,
        200,
        "",
        "GET, DELETE",
    ),
    (
        "P31",
        "POST",
        "sims/79261234567/user/admin",
        None,
        204,
        "assign_sim_to_user",
        "POST",
    ),
    (
        "P32",
        "POST",
        "sims/79261234567/company",
        None,
        204,
        "assign_sim_to_company",
        "POST",
    ),
    (
        "P33",
        "POST",
        "sims/79261234567/disable",
        None,
        204,
        "disable_sim",
        "POST",
    ),
    (
        "P34",
        "DELETE",
        "sims/79261234567",
        None,
        204,
        "delete_sim",
        "GET, DELETE",
    ),
    (
        "P35",
        "GET",
        "blacklist/telnums?with=statistics",
        None,
        200,
        "list_blacklist true",
        "GET, POST, DELETE",
    ),
    (
        "P36",
        "POST",
        "blacklist/telnums",
        Some(r#"{"telnum":"7900800*","comment":"spam"}"#),
        204,
        "add_to_blacklist",
        "GET, POST, DELETE",
    ),
    (
        "P37",
        "DELETE",
        "blacklist/telnums?telnum=79008001234&telnum=7900*",
        None,
        204,
        "remove_from_blacklist",
        "GET, POST, DELETE",
    ),
    (
        "P38",
        "GET",
        "blacklist/block-anonymous",
        None,
        200,
        "",
        "GET, POST, DELETE",
    ),
    (
        "P39",
        "POST",
        "blacklist/block-anonymous",
        None,
        204,
        "",
        "GET, POST, DELETE",
    ),
    (
        "P40",
        "DELETE",
        "blacklist/block-anonymous",
        None,
        204,
        "",
        "GET, POST, DELETE",
    ),
];

fn with_key(method: &str, uri: &str, body: Option<&str>, key: Option<&str>) -> Request<Bytes> {
    let mut b = Request::builder()
        .method(method)
        .uri(format!("/crmapi/v1/{uri}"));
    if let Some(k) = key {
        b = b.header("X-API-KEY", k);
    }
    if body.is_some() {
        b = b.header("content-type", "application/json");
    }
    b.body(Bytes::from(body.unwrap_or_default().to_owned()))
        .unwrap()
}

/// A method the route does not serve.
fn other_method(allow: &str) -> &'static str {
    ["PATCH", "PUT", "DELETE", "POST", "GET"]
        .into_iter()
        .find(|m| !allow.split(", ").any(|a| a == *m))
        .unwrap()
}

#[tokio::test]
async fn every_row_answers_its_status_and_reaches_its_handler() {
    let d = dispatcher();
    for &(row, method, uri, body, status, log, _) in ROWS {
        let ctype = body.map(|_| "application/json");
        let a = send(&d, request(method, uri, ctype, body.unwrap_or_default())).await;
        assert_eq!(a.status, status, "{row} {method} {uri}: {}", a.text);
        if status == 204 {
            assert_eq!(a.text, "", "{row}: 204 has no body");
        } else if uri.contains("/csv") {
            assert!(a.content_type.starts_with("text/csv"), "{row}");
        } else {
            assert!(a.content_type.starts_with("application/json"), "{row}");
            let _: serde_json::Value = a.json();
        }
        if !log.is_empty() {
            assert!(
                last_log(&d).starts_with(log),
                "{row}: handler log {:?} should start with {log:?}",
                last_log(&d)
            );
        }
    }
}

#[tokio::test]
async fn every_row_without_or_with_a_wrong_key_is_401_invalid_token() {
    let d = dispatcher();
    for &(row, method, uri, body, ..) in ROWS {
        for key in [None, Some("wrong"), Some(""), Some(&KEY[1..])] {
            let a = send(&d, with_key(method, uri, body, key)).await;
            assert_eq!(
                (a.status, a.json()),
                (401, json!({"error": "Invalid token"})),
                "{row} {method} {uri} key {key:?}"
            );
        }
    }
    assert!(
        d.handler().log.lock().unwrap().is_empty(),
        "no handler was called"
    );
}

#[tokio::test]
async fn every_row_with_a_method_it_does_not_serve_is_405_with_allow() {
    let d = dispatcher();
    for &(row, _, uri, body, _, _, allow) in ROWS {
        let method = other_method(allow);
        let r = d.dispatch(with_key(method, uri, body, Some(KEY))).await;
        assert_eq!(r.status(), 405, "{row} {method} {uri}");
        assert_eq!(r.headers()["allow"], allow, "{row} {method} {uri}");
        assert_eq!(
            r.body().as_ref(),
            br#"{"error":"Method Not Allowed"}"#,
            "{row}"
        );
    }
    assert!(d.handler().log.lock().unwrap().is_empty());
}
