//! The PBX: `/crmapi/v1` (the PBX v1 vendor document, docs/protocol.md §3) and legacy `*.wcgp` (the legacy PBX vendor document, §4).

use crate::target::{Target, answer, skip};
use futures::TryStreamExt;
use serde_json::{Value, json};

fn v1(t: &Target, path: &str) -> String {
    format!("{}/crmapi/v1/{path}", t.pbx.url)
}

/// The vendor document's 401 texts (3.3).
const UNAUTHORIZED: [&str; 3] = ["Invalid token", "CRM disabled", "CRM switched off"];

#[tokio::test]
async fn v1_rejects_wrong_or_missing_key_with_401() {
    let t = Target::from_env().await;
    for key in [Some("wrong-key"), None] {
        let mut req = t.http.get(v1(&t, "users"));
        if let Some(k) = key {
            req = req.header("X-API-KEY", k);
        }
        let (status, body) = answer(req.send().await.unwrap()).await;
        assert_eq!(status, 401, "{body}");
        assert!(
            UNAUTHORIZED.contains(&body["error"].as_str().unwrap_or_default()),
            "{body}"
        );
    }
}

#[tokio::test]
async fn v1_lists_page_with_info_and_the_stream_sees_every_item_once() {
    let t = Target::from_env().await;
    let (status, page) = answer(
        t.http
            .get(v1(&t, "users?start=0&limit=1"))
            .header("X-API-KEY", &t.pbx_key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let items = page["items"].as_array().unwrap();
    assert!(items.len() <= 1, "{page}");
    let info = &page["info"];
    let total = info["total"]
        .as_u64()
        .or_else(|| info["total"].as_str()?.parse().ok())
        .unwrap();
    assert!(
        info.get("start").is_some() && info.get("limit").is_some(),
        "{page}"
    );

    let client = vats_api::v1::Client::builder()
        .base_url(v1(&t, ""))
        .api_key(t.pbx_key.clone())
        .build()
        .unwrap();
    let query = vats_api::v1::ListQuery {
        limit: Some(1),
        ..Default::default()
    };
    let all: Vec<_> = client.users_stream(query).try_collect().await.unwrap();
    assert_eq!(all.len() as u64, total);
    let mut logins: Vec<_> = all.iter().map(|u| u.login.as_str().to_owned()).collect();
    logins.sort();
    logins.dedup();
    assert_eq!(logins.len(), all.len(), "each user once: {logins:?}");
}

#[tokio::test]
async fn v1_answers_validation_not_found_and_method_errors_with_the_seed_bodies() {
    let t = Target::from_env().await;
    let key = t.pbx_key.clone();
    // A phone that is not a number is a 400 `Validation error` (`+7…` is read and normalised,
    // docs/protocol.md §3).
    let (status, body) = answer(
        t.http
            .post(v1(&t, "makecall"))
            .header("X-API-KEY", &key)
            .json(&json!({"phone": "+7 call me", "user": "admin"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"].clone()),
        (400, json!("Validation error")),
        "{body}"
    );
    // An unknown period is a 400 too.
    let (status, body) = answer(
        t.http
            .get(v1(&t, "history/json?period=someday"))
            .header("X-API-KEY", &key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    // An unknown user is a 404.
    let (status, body) = answer(
        t.http
            .get(v1(&t, "users/no-such-user-xyz"))
            .header("X-API-KEY", &key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    // A method the route does not have is a 405 `Method Not Allowed`.
    let (status, body) = answer(
        t.http
            .patch(v1(&t, "users"))
            .header("X-API-KEY", &key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"].clone()),
        (405, json!("Method Not Allowed")),
        "{body}"
    );
}

#[tokio::test]
async fn v1_history_csv_has_the_documented_columns_and_makecall_answers_a_call_id() {
    let t = Target::from_env().await;
    let resp = t
        .http
        .get(v1(&t, "history/csv?period=this_month"))
        .header("X-API-KEY", &t.pbx_key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    let rows = vats_api::v1::parse_history_csv(text.as_bytes()).unwrap();
    if let Some(first) = text.lines().next().filter(|l| l.starts_with("uid")) {
        assert_eq!(
            first.split([',', ';']).collect::<Vec<_>>(),
            vats_api::v1::HISTORY_CSV_COLUMNS.to_vec()
        );
    }
    let _ = rows;
    if !t.may_write(&t.pbx) {
        return skip("makecall on an external PBX needs CONTRACT_WRITE=1");
    }
    let resp = t
        .http
        .post(v1(&t, "makecall"))
        .header("X-API-KEY", &t.pbx_key)
        .json(&json!({"phone": "79101234567", "user": "admin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body = resp.bytes().await.unwrap();
    let call = vats_api::v1::MakeCallAnswer::parse(&body).unwrap();
    assert!(!call.callid.as_str().is_empty());
}

#[tokio::test]
async fn legacy_login_answers_token_and_the_seed_errors() {
    let t = Target::from_env().await;
    let login = format!("{}/sys/api_login.wcgp", t.pbx.url);
    let form = |password: &str| {
        vec![
            ("crm_code", t.pbx_crm_code.clone()),
            ("login", t.pbx_login.clone()),
            ("password", password.to_owned()),
            ("crm_token", t.crm_token.clone()),
            ("url", "https://crm.ru/crm_integration.php".to_owned()),
        ]
    };
    // Wrong password: 401 with the vendor document's own spelling.
    let (status, body) = answer(
        t.http
            .post(&login)
            .form(&form("wrong"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body),
        (401, json!({"error": "Autorization failed"}))
    );
    // Missing fields: 400.
    let (status, body) = answer(
        t.http
            .post(&login)
            .form(&[("login", "x")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"].clone()),
        (400, json!("Invalid parameters"))
    );
    if !t.may_write(&t.pbx) {
        return skip(
            "a legacy login on an external PBX re-registers the CRM URL: CONTRACT_WRITE=1",
        );
    }
    let (status, body) = answer(
        t.http
            .post(&login)
            .form(&form(&t.pbx_password))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().unwrap().to_owned();
    let api = format!("{}/sys/crm_api.wcgp", t.pbx.url);
    // Commands: without a token 401 `Invalid token`; with it, `accounts` lists names.
    let (status, body) = answer(
        t.http
            .post(&api)
            .form(&[("cmd", "accounts")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body), (401, json!({"error": "Invalid token"})));
    let (status, body) = answer(
        t.http
            .post(&api)
            .form(&[("cmd", "accounts"), ("token", token.as_str())])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.as_array()
            .is_some_and(|a| a.iter().all(|x| x["name"].is_string())),
        "{body}"
    );
    let (status, _) = answer(
        t.http
            .post(&api)
            .form(&[
                ("cmd", "makeCall"),
                ("phone", "79101234567"),
                ("user", "admin"),
                ("token", token.as_str()),
            ])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body): (u16, Value) = answer(
        t.http
            .post(&api)
            .form(&[("cmd", "noSuchCommand"), ("token", token.as_str())])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"].clone()),
        (400, json!("Invalid parameters"))
    );
}
