//! Contract tests of issue 13's fidelity items: each request is sent as a real third-party
//! client sends it (method, path, header spelling, body encoding) and each answer is checked
//! for the field that client reads. The clients: a Go report bot (`X-API-Key`,
//! `url.Values` queries, strict `int` decoding), a Python CRM module (`X-API-KEY` and
//! `Content-Type: application/json` on every request, push receiver that reads JSON only) and
//! a PHP library (the legacy `cmd` API through the user's transport — urlencoded or multipart —
//! and a push receiver that reads `$_REQUEST` and throws on any key it does not know).

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{Duration as Span, Utc};
use mock_server::MockServers;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{get_json, http, post_json, start};

const GO_AGENT: &str = "megafon-reports/1.0";

fn compact(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The last 40 days up to an hour ahead, as the Go bot sends `start`/`end`.
fn go_range() -> String {
    let now = Utc::now();
    format!(
        "end={}&start={}",
        compact(now + Span::hours(1)),
        compact(now - Span::days(40))
    )
}

/// A `GET /crmapi/v1/<path_and_query>` as the Go bot sends it (no body, no `Content-Type`).
async fn go_get(m: &MockServers, path_and_query: &str) -> (u16, Value) {
    let resp = http()
        .get(format!("{}/crmapi/v1/{path_and_query}", m.pbx_url()))
        .header("X-API-Key", mock_server::DEFAULT_VATS_KEY)
        .header("User-Agent", GO_AGENT)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// A legacy login; the token for `cmd` requests.
async fn legacy_token(m: &MockServers) -> String {
    let resp = http()
        .post(format!("{}/sys/api_login.wcgp", m.pbx_url()))
        .form(&[
            ("crm_code", "mock"),
            ("login", "mock"),
            ("password", "mock"),
            ("crm_token", mock_server::DEFAULT_CRM_TOKEN),
            ("url", "http://127.0.0.1:9/"),
        ])
        .send()
        .await
        .unwrap();
    let v: Value = resp.json().await.unwrap();
    v["token"].as_str().unwrap().to_owned()
}

/// A legacy `cmd` request the way PHP's curl sends the library's array: urlencoded
/// (`http_build_query`) or multipart (the array itself). Status, `Content-Type`, body.
async fn php_cmd(
    m: &MockServers,
    fields: &[(&str, &str)],
    multipart: bool,
) -> (u16, String, String) {
    let url = format!("{}/sys/crm_api.wcgp", m.pbx_url());
    let req = if multipart {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        http().post(url).multipart(form)
    } else {
        http().post(url).form(fields)
    };
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let ctype = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, ctype, resp.text().await.unwrap())
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn go_client_history_json_status_is_lower_case_and_counts_missed_calls() {
    let m = start().await;
    let (status, records) = go_get(
        &m,
        &format!("history/json?{}&processMissed=true", go_range()),
    )
    .await;
    assert_eq!(status, 200, "{records}");
    let records = records.as_array().unwrap();
    let statuses: BTreeSet<&str> = records
        .iter()
        .filter_map(|r| r["status"].as_str())
        .collect();
    assert!(statuses.contains("missed"), "{statuses:?}");
    assert!(statuses.contains("success"), "{statuses:?}");
    for s in &statuses {
        assert_eq!(
            *s,
            s.to_lowercase(),
            "every status lower case: {statuses:?}"
        );
    }
    for r in records {
        // Go decodes these as `int`: a string or a fraction would fail the whole answer.
        for field in ["wait", "duration", "missedStatus"] {
            assert!(r[field].is_u64(), "{field} of {r}");
        }
        let start = r["start"].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(start).is_ok(),
            "{start}"
        );
    }
    // The CSV form's enum column follows its own example too: `in`, `out`, `missed`.
    let csv = http()
        .get(format!(
            "{}/crmapi/v1/history/csv?{}",
            m.pbx_url(),
            go_range()
        ))
        .header("X-API-Key", mock_server::DEFAULT_VATS_KEY)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let kinds: BTreeSet<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1))
        .collect();
    assert!(
        kinds.is_subset(&BTreeSet::from(["in", "out", "missed"])),
        "{kinds:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn go_client_per_number_report_gets_only_that_numbers_calls() {
    let m = start().await;
    let range = go_range();
    let (_, all) = go_get(&m, &format!("history/json?{range}&processMissed=true")).await;
    let (status, one) = go_get(
        &m,
        &format!("history/json?diversion=79007775555&{range}&processMissed=true"),
    )
    .await;
    assert_eq!(status, 200, "{one}");
    let (all, one) = (all.as_array().unwrap(), one.as_array().unwrap());
    assert!(
        !one.is_empty() && one.len() < all.len(),
        "{} of {}",
        one.len(),
        all.len()
    );
    assert!(one.iter().all(|r| r["diversion"] == "79007775555"));
    // user, client and missedStatus filter too.
    let (_, by_user) = go_get(&m, &format!("history/json?{range}&user=admin")).await;
    let by_user = by_user.as_array().unwrap();
    assert!(!by_user.is_empty() && by_user.iter().all(|r| r["user"] == "admin"));
    let client = all[0]["client"].as_str().unwrap();
    let (_, by_client) = go_get(&m, &format!("history/json?client={client}&{range}")).await;
    assert!(
        by_client
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["client"] == client)
    );
    let (_, sales) = go_get(&m, &format!("history/json?{range}&groups=sales")).await;
    let sales = sales.as_array().unwrap();
    assert!(!sales.is_empty() && sales.iter().all(|r| r["group_name"] == "Отдел продаж"));
    let (_, unanswered) = go_get(&m, &format!("history/json?{range}&missedStatus=3%2C4")).await;
    let unanswered = unanswered.as_array().unwrap();
    assert!(!unanswered.is_empty());
    assert!(unanswered.iter().all(|r| r["status"] != "success"));
    assert!(
        unanswered
            .iter()
            .all(|r| matches!(r["missedStatus"].as_u64(), Some(3 | 4)))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_history_parameters_are_400_naming_them_never_ignored() {
    let m = start().await;
    for (path, name) in [
        (
            "history/json?first_answered=true&period=today",
            "first_answered",
        ),
        ("history/json?dirction=in", "dirction"),
        ("history/csv?telnum=79007775555", "telnum"),
        ("history/inner/json?user=admin", "user"),
        ("history/inner/csv?diversion=1", "diversion"),
        ("history/json?missedStatus=9", "missedStatus"),
    ] {
        let (status, body) = go_get(&m, path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["error"], "Validation error", "{body}");
        let detail = body["detail"].as_str().unwrap();
        assert!(detail.starts_with(name), "{path}: {detail}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_client_history_query_and_bodiless_json_get_are_answered() {
    let m = start().await;
    let now = Utc::now();
    let url = format!(
        "{}/crmapi/v1/history/json?start={}&end={}&type=all&limit=1000",
        m.pbx_url(),
        compact(now - Span::days(7)),
        compact(now + Span::hours(1))
    );
    // The Python client puts `Content-Type: application/json` on a GET without a body.
    let resp = http()
        .get(url)
        .header("X-API-KEY", mock_server::DEFAULT_VATS_KEY)
        .header("Content-Type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let rows: Value = resp.json().await.unwrap();
    assert!(!rows.as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn php_legacy_make_call_answers_exactly_the_uuid_in_both_encodings() {
    let m = start().await;
    let token = legacy_token(&m).await;
    for multipart in [false, true] {
        for phone in ["79161234567", "+79161234567"] {
            let fields = [
                ("cmd", "makeCall"),
                ("user", "admin"),
                ("token", token.as_str()),
                ("phone", phone),
                ("clid", "79007775555"),
            ];
            let (status, ctype, body) = php_cmd(&m, &fields, multipart).await;
            assert_eq!(status, 200, "{body}");
            assert!(ctype.starts_with("application/json"), "{ctype}");
            let v: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(keys(&v), BTreeSet::from(["uuid".to_owned()]), "{body}");
            assert!(!v["uuid"].as_str().unwrap().is_empty());
        }
    }
    let state = get_json(&format!("{}/__admin/state", m.pbx_url())).await;
    let phones: BTreeSet<&str> = state["pbx"]["placed_calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["phone"].as_str())
        .collect();
    assert_eq!(phones, BTreeSet::from(["79161234567"]), "`+7…` normalised");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn php_legacy_groups_and_subscribeoncalls_answer_what_the_library_parses() {
    let m = start().await;
    let token = legacy_token(&m).await;
    for multipart in [false, true] {
        let (status, _, body) = php_cmd(
            &m,
            &[("cmd", "groups"), ("token", token.as_str())],
            multipart,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let groups: Value = serde_json::from_str(&body).unwrap();
        let groups = groups.as_array().unwrap();
        assert!(
            groups
                .iter()
                .any(|g| g["id"] == "sales" && g["realName"] == "Отдел продаж")
        );
        let allowed: BTreeSet<String> = ["id", "realName", "ext"].map(String::from).into();
        assert!(groups.iter().all(|g| keys(g).is_subset(&allowed)), "{body}");
        assert!(
            groups.iter().all(|g| g["ext"].is_u64()),
            "ext a number, as the live PBX: {body}"
        );
    }
    // The PHP library sends the command all lower case.
    let off = [
        ("cmd", "subscribeoncalls"),
        ("user", "user1"),
        ("status", "off"),
        ("group_id", "sales"),
        ("token", token.as_str()),
    ];
    for multipart in [false, true] {
        let (status, _, body) = php_cmd(&m, &off, multipart).await;
        assert_eq!((status, body.as_str()), (200, "OK"));
    }
    let pbx = crate::support::pbx_client(&m);
    let user1 = vats_api::v1::Login::from("user1");
    let sales = vats_api::v1::GroupId::from("sales");
    assert!(!pbx.subscription_state(&user1, Some(&sales)).await.unwrap());
    let on = [
        ("cmd", "subscribeOnCalls"),
        ("user", "user1"),
        ("status", "on"),
        ("token", token.as_str()),
    ];
    assert_eq!(php_cmd(&m, &on, false).await.2, "OK");
    assert!(pbx.subscription_state(&user1, Some(&sales)).await.unwrap());
    let bad = [
        ("cmd", "subscribeoncalls"),
        ("user", "user1"),
        ("status", "maybe"),
        ("token", token.as_str()),
    ];
    let (status, _, body) = php_cmd(&m, &bad, false).await;
    assert_eq!(status, 400, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert!(
        v["error"].is_string() && v["detail"].as_str().unwrap().starts_with("status"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_legacy_client_reads_the_uuid_and_the_new_commands_from_the_mock() {
    let m = start().await;
    let legacy = vats_api::legacy::Client::builder()
        .base_url(format!("{}/", m.pbx_url()))
        .build()
        .unwrap()
        .with_token(legacy_token(&m).await);
    let call: vats_api::legacy::MakeCallRequest =
        serde_json::from_value(json!({"phone": "+7 916 123-45-67", "user": "admin"})).unwrap();
    let id = legacy.make_call(&call).await.unwrap().unwrap();
    let state = get_json(&format!("{}/__admin/state", m.pbx_url())).await;
    assert_eq!(state["pbx"]["placed_calls"][0]["callid"], id.as_str());
    assert_eq!(state["pbx"]["placed_calls"][0]["phone"], "79161234567");
    assert!(
        legacy
            .groups()
            .await
            .unwrap()
            .iter()
            .any(|g| g.id == "sales")
    );
    let sub = vats_api::legacy::SubscribeOnCalls {
        user: "admin".into(),
        enable: false,
        group_id: None,
    };
    legacy.subscribe_on_calls(&sub).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v1_makecall_accepts_plus_seven_and_curl_d_json_and_names_the_fix_for_bad_json() {
    let m = start().await;
    let url = format!("{}/crmapi/v1/makecall", m.pbx_url());
    // The Python client: JSON with Content-Type, a CRM contact's `+7…` number.
    let resp = http()
        .post(&url)
        .header("X-API-KEY", mock_server::DEFAULT_VATS_KEY)
        .json(&json!({"phone": "+79161234567", "user": "admin", "clid": "79007775555"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let answer: Value = resp.json().await.unwrap();
    assert!(answer["callid"].is_string(), "{answer}");
    // curl -d '{"phone":…}': JSON under curl's default form Content-Type.
    let curl = |body: &'static str| {
        http()
            .post(&url)
            .header("X-API-KEY", mock_server::DEFAULT_VATS_KEY)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let ok = curl(r#"{"phone":"79161234567","user":"admin"}"#)
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let bad = curl(r#"{"phone":"79161234567","user":"admin""#)
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let v: Value = bad.json().await.unwrap();
    let detail = v["detail"].as_str().unwrap();
    assert!(
        detail.contains("send Content-Type: application/json"),
        "{detail}"
    );
    assert!(!detail.contains("missing field"), "{detail}");
    let state = get_json(&format!("{}/__admin/state", m.pbx_url())).await;
    let placed = state["pbx"]["placed_calls"].as_array().unwrap();
    assert_eq!(placed.len(), 2);
    assert!(placed.iter().all(|c| c["phone"] == "79161234567"));
}

/// Starts a receiver that answers every push 200 `{}`; the admin config points the PBX at it.
async fn receiver(m: &MockServers, encoding: &str) -> MockServer {
    let crm = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&crm)
        .await;
    let (status, config) = post_json(
        &format!("{}/__admin/config", m.pbx_url()),
        &json!({"crm_url": format!("{}/crm_integration.php", crm.uri()), "push_format": "v1", "push_encoding": encoding}),
    )
    .await;
    assert_eq!(status, 200, "{config}");
    assert_eq!(config["push_encoding"], encoding);
    crm
}

/// The pushes of one simulated answered, rated incoming call, once its `history` arrived.
async fn pushes_of_a_call(m: &MockServers, crm: &MockServer) -> Vec<wiremock::Request> {
    let (status, sim) = post_json(
        &format!("{}/__admin/calls/simulate", m.pbx_url()),
        &json!({"rating": 5}),
    )
    .await;
    assert_eq!(status, 202, "{sim}");
    for _ in 0..500 {
        let got = crm.received_requests().await.unwrap_or_default();
        let done = got
            .iter()
            .any(|r| String::from_utf8_lossy(&r.body).contains("history"));
        if done {
            tokio::time::sleep(Duration::from_millis(200)).await;
            return crm.received_requests().await.unwrap_or_default();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no history push arrived");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_target_gets_form_pushes_with_only_keys_a_strict_php_receiver_accepts() {
    let m = start().await;
    let crm = receiver(&m, "form").await;
    let pushes = pushes_of_a_call(&m, &crm).await;
    let event: BTreeSet<&str> = [
        "cmd",
        "type",
        "phone",
        "diversion",
        "user",
        "groupRealName",
        "ext",
        "telnum",
        "callid",
        "crm_token",
        "z_flag",
        "z-flag",
    ]
    .into();
    let history: BTreeSet<&str> = [
        "cmd",
        "type",
        "phone",
        "diversion",
        "user",
        "groupRealName",
        "ext",
        "telnum",
        "callid",
        "crm_token",
        "start",
        "duration",
        "link",
        "status",
        "z_flag",
        "z-flag",
    ]
    .into();
    let contact: BTreeSet<&str> = ["cmd", "phone", "crm_token", "callid", "z_flag"].into();
    let mut cmds = BTreeSet::new();
    for p in &pushes {
        let ctype = p
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert_eq!(ctype, "application/x-www-form-urlencoded", "{ctype}");
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&p.body).unwrap();
        let names: BTreeSet<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        let cmd = get("cmd").unwrap().to_owned();
        assert_eq!(get("crm_token"), Some(mock_server::DEFAULT_CRM_TOKEN));
        let allowed = match cmd.as_str() {
            "event" => &event,
            "history" => &history,
            "contact" => &contact,
            other => panic!("a PHP receiver throws on cmd={other}"),
        };
        assert!(names.is_subset(allowed), "{cmd}: {names:?}");
        if cmd == "history" {
            assert_eq!(
                get("status"),
                Some("Success"),
                "the push keeps the capitalised form"
            );
        }
        cmds.insert(cmd);
    }
    assert_eq!(
        cmds,
        BTreeSet::from(["contact", "event", "history"].map(String::from))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_target_gets_json_pushes_a_python_receiver_reads() {
    let m = start().await;
    let crm = receiver(&m, "json").await;
    let pushes = pushes_of_a_call(&m, &crm).await;
    let mut saw_history = false;
    for p in &pushes {
        let v: Value = serde_json::from_slice(&p.body).expect("every push is JSON");
        if v["cmd"] == "history" {
            saw_history = true;
            assert!(matches!(v["type"].as_str(), Some("in" | "out")), "{v}");
            let start = v["start"].as_str().unwrap();
            assert!(
                chrono::NaiveDateTime::parse_from_str(start, "%Y%m%dT%H%M%SZ").is_ok(),
                "{start}"
            );
            assert!(v["callid"].is_string() && v["link"].is_string(), "{v}");
        }
        if v["cmd"] == "event" {
            assert!(
                v["direction"].is_string(),
                "JSON events carry direction: {v}"
            );
        }
    }
    assert!(saw_history);
    assert!(
        pushes
            .iter()
            .any(|p| String::from_utf8_lossy(&p.body).contains("\"rating\""))
    );
}
