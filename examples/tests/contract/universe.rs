//! Universe U1–U7 (the Universe vendor document, docs/protocol.md §2): scheme, paging, auth, errors, writes.

use crate::target::{Target, answer, skip};
use futures::TryStreamExt;
use serde_json::Value;

fn analytics(t: &Target) -> String {
    if t.crm.url.ends_with("/analytics") {
        t.crm.url.clone()
    } else {
        format!("{}/analytics", t.crm.url)
    }
}

async fn get(t: &Target, query: &[(&str, &str)]) -> (u16, Value) {
    let req = t
        .http
        .get(analytics(t))
        .basic_auth(&t.crm_login, Some(&t.crm_password))
        .query(query);
    answer(req.send().await.unwrap()).await
}

/// Paging checks and writes to one shared (external) CRM must not interleave: a deal created
/// between two pages rightly changes `total_count`.
static CRM_STATE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn client(t: &Target) -> universe_api::Client {
    universe_api::Client::builder()
        .base_url(t.crm.url.clone())
        .credentials(t.crm_login.clone(), t.crm_password.clone())
        .build()
        .unwrap()
}

#[tokio::test]
async fn rejects_missing_or_wrong_credentials_with_401() {
    let t = Target::from_env().await;
    let url = analytics(&t);
    let none = t.http.get(&url).query(&[("action", "import_scheme")]);
    let wrong = t
        .http
        .get(&url)
        .basic_auth(&t.crm_login, Some("wrong-password"))
        .query(&[("action", "import_scheme")]);
    for req in [none, wrong] {
        let (status, body) = answer(req.send().await.unwrap()).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["status"], "error", "{body}");
    }
}

#[tokio::test]
async fn import_scheme_lists_statuses_fields_and_managers() {
    let t = Target::from_env().await;
    let (status, body) = get(&t, &[("action", "import_scheme")]).await;
    assert_eq!(status, 200, "{body}");
    for list in ["statuses", "fields", "managers"] {
        let items = body[list]
            .as_array()
            .unwrap_or_else(|| panic!("{list}: {body}"));
        assert!(
            items
                .iter()
                .all(|i| i.get("id").is_some() && i["name"].is_string()),
            "{body}"
        );
    }
}

#[tokio::test]
async fn unknown_action_and_bad_parameters_are_400_status_error() {
    let t = Target::from_env().await;
    for query in [
        vec![("action", "no_such_action")],
        vec![("action", "export_clients"), ("limit", "0")],
        vec![("action", "export_clients"), ("offset", "minus one")],
        vec![("action", "message"), ("message", "no lead id")],
    ] {
        let (status, body) = get(&t, &query).await;
        assert_eq!(status, 400, "{query:?}: {body}");
        assert_eq!(body["status"], "error", "{body}");
        assert!(body["message"].is_string(), "{body}");
    }
}

#[tokio::test]
async fn clients_and_orders_page_by_offset_and_limit_until_total_count() {
    let _serial = CRM_STATE.lock().await;
    let t = Target::from_env().await;
    let (status, page) = get(
        &t,
        &[
            ("action", "export_clients"),
            ("offset", "0"),
            ("limit", "2"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(page["clients"].as_array().unwrap().len() <= 2);
    let total = &page["pagination"]["total_count"];
    let total = total
        .as_u64()
        .or_else(|| total.as_str()?.parse().ok())
        .unwrap();
    let all: Vec<_> = client(&t)
        .export_clients_stream(Some(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len() as u64, total);

    // Orders: `date` is Unix seconds; a missing `action` is `export`; `total_count` is the same on
    // every page.
    let (status, first) = get(
        &t,
        &[
            ("action", "export"),
            ("date", "0"),
            ("offset", "0"),
            ("limit", "2"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{first}");
    assert!(
        first["orders"].is_array() && first["statuses"].is_array(),
        "{first}"
    );
    let (status, implicit) = get(&t, &[("date", "0"), ("offset", "0"), ("limit", "2")]).await;
    assert_eq!(status, 200, "{implicit}");
    assert_eq!(implicit["pagination"], first["pagination"]);
    let (_, second) = get(
        &t,
        &[
            ("action", "export"),
            ("date", "0"),
            ("offset", "2"),
            ("limit", "2"),
        ],
    )
    .await;
    assert_eq!(
        second["pagination"]["total_count"],
        first["pagination"]["total_count"]
    );
    let since = chrono::DateTime::UNIX_EPOCH;
    let orders: Vec<_> = client(&t)
        .export_orders_stream(since, Some(2))
        .try_collect()
        .await
        .unwrap();
    let total = &first["pagination"]["total_count"];
    let total = total
        .as_u64()
        .or_else(|| total.as_str()?.parse().ok())
        .unwrap();
    assert_eq!(orders.len() as u64, total);
}

#[tokio::test]
async fn writes_answer_status_ok_with_the_new_ids() {
    let _serial = CRM_STATE.lock().await;
    let t = Target::from_env().await;
    if !t.may_write(&t.crm) {
        return skip("U4–U7 on an external CRM need CONTRACT_WRITE=1");
    }
    // The Universe vendor document's own example parameters (the query string as the vendor document prints it).
    let (status, lead) = get(
        &t,
        &[
            ("action", "lead"),
            ("title", "JivoSite"),
            ("text", "Здравствуйте"),
            ("name", "Анна"),
            ("phone", "79260000000"),
            ("email", "anna@example.com"),
            ("data", r#"{"1":"seo"}"#),
            ("created_date", "2022-07-12 10:35:12"),
            ("visit", "437272"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{lead}");
    assert_eq!(lead["status"], "ok", "{lead}");
    let order = lead["order_id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| lead["order_id"].to_string());
    let checks: [(&str, Vec<(&str, &str)>); 3] = [
        (
            "message_id",
            vec![
                ("action", "message"),
                ("leadId", &order),
                ("title", "Оценка"),
                ("message", "90%"),
            ],
        ),
        (
            "task_id",
            vec![
                ("action", "task"),
                ("element_id", &order),
                ("deadline", "2025-09-18T10:00:00"),
                ("text", "Перезвонить"),
            ],
        ),
        (
            "call_id",
            vec![
                ("action", "call"),
                ("id", "1803"),
                ("callee", "79260000000"),
                ("caller", "701"),
                ("date", "2025-09-17T14:30:00"),
                ("status", "answered"),
                ("order_id", &order),
                ("duration", "124"),
                ("file_url", "https://pbx.example/rec.mp3"),
            ],
        ),
    ];
    for (id_key, query) in checks {
        let (status, body) = get(&t, &query).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "ok", "{body}");
        assert!(!body[id_key].is_null(), "{id_key}: {body}");
    }
}
