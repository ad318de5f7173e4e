//! Synchronisation for tests: `requests/wait` (long-poll), `requests/count` (past the journal's
//! bound), and one order, oldest first, in every admin list.

use mock_server::Config;
use rop_api::CallUpload;
use serde_json::{Value, json};

use crate::support::{get_json, http, pbx_client, post_json, rop_client, start, start_with};

/// A client that follows no redirect (like `curl` without `-L`).
fn no_redirect() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(url: &str) -> (u16, Value) {
    let resp = http().get(url).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_returns_the_matching_requests_once_enough_have_arrived() {
    let m = start().await;
    let pbx = pbx_client(&m);
    let later = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        for login in ["admin", "director", "nobody", "user1"] {
            let _ = pbx.get_user(&login.into()).await;
        }
    });
    let (status, body) = get(&format!(
        "{}/__admin/requests/wait?method=GET&path=/users/&status=200&count=3&timeout_ms=20000",
        m.pbx_url()
    ))
    .await;
    later.await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["count"], 3);
    let paths: Vec<_> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        &paths[..3],
        [
            "/crmapi/v1/users/admin",
            "/crmapi/v1/users/director",
            "/crmapi/v1/users/user1"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_that_waits_is_answered_on_the_services_own_port_without_a_redirect() {
    let m = start().await;
    let pbx = pbx_client(&m);
    let later = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        pbx.get_user(&"admin".into()).await.unwrap();
    });
    // A client that follows no redirect (like curl without -L) gets the answer itself.
    let resp = no_redirect()
        .get(format!(
            "{}/__admin/requests/wait?path=/users/admin&timeout_ms=20000",
            m.pbx_url()
        ))
        .send()
        .await
        .unwrap();
    later.await.unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["count"], 1, "{body}");
    // Meanwhile the service went on answering (the wait held only its own connection), and
    // the wait itself is not journaled.
    let count = get_json(&format!("{}/__admin/requests/count", m.pbx_url())).await;
    assert_eq!(count["count"], 1, "{count}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_answers_at_once_when_already_satisfied_and_408_with_what_was_seen_at_the_timeout() {
    let m = start().await;
    pbx_client(&m).get_user(&"admin".into()).await.unwrap();
    // Already satisfied: answered at once.
    let resp = no_redirect()
        .get(format!(
            "{}/__admin/requests/wait?path=/users/admin",
            m.pbx_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    let (status, body) = get(&format!(
        "{}/__admin/requests/wait?path=/users/&count=2&timeout_ms=200",
        m.pbx_url()
    ))
    .await;
    assert_eq!(status, 408, "{body}");
    assert_eq!(body["count"], 1);
    assert_eq!(body["items"].as_array().unwrap().len(), 1);
    assert!(
        body["error"].as_str().unwrap().starts_with("timeout_ms"),
        "{body}"
    );

    let (status, body) = get(&format!(
        "{}/__admin/requests/wait?path=/groups&timeout_ms=0",
        m.pbx_url()
    ))
    .await;
    assert_eq!((status, &body["count"]), (408, &json!(0)), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_on_the_crm_sees_the_pushes_of_a_simulated_call() {
    let m = start().await;
    let (status, _) = post_json(
        &format!("{}/__admin/calls/simulate", m.pbx_url()),
        &json!({}),
    )
    .await;
    assert_eq!(status, 202);
    // INCOMING, contact, ACCEPTED, COMPLETED, history.
    let (status, body) = get(&format!(
        "{}/__admin/requests/wait?method=POST&path=/hooks/vats/v1&count=5&timeout_ms=20000",
        m.crm_url()
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"].as_array().unwrap().len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_wait_and_count_parameters_are_400s_naming_the_parameter() {
    let m = start().await;
    for (query, name) in [
        ("wait?count=0", "count"),
        ("wait?count=many", "count"),
        ("wait?timeout_ms=60001", "timeout_ms"),
        ("wait?status=teapot", "status"),
        ("wait?colour=red", "colour"),
        ("count?count=3", "count"),
        ("count?status=x", "status"),
        ("?colour=red", "colour"),
        ("?limit=all", "limit"),
    ] {
        let (status, body) = get(&format!(
            "{}/__admin/requests{}",
            m.rop_url(),
            query_path(query)
        ))
        .await;
        assert_eq!(status, 400, "{query}: {body}");
        let error = body["error"].as_str().unwrap();
        assert!(error.contains(name), "{query}: {error}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn count_includes_requests_the_bounded_journal_dropped_and_the_listing_says_so() {
    let mut config = Config::ephemeral();
    config.journal_capacity = 4;
    let m = start_with(config).await;
    let pbx = pbx_client(&m);
    for _ in 0..9 {
        pbx.get_user(&"admin".into()).await.unwrap();
    }
    pbx.get_user(&"nobody".into()).await.unwrap_err();
    let count = |q: &str| get_json_owned(format!("{}/__admin/requests/count?{q}", m.pbx_url()));
    assert_eq!(count("").await["count"], 10);
    assert_eq!(
        count("path=/users/admin&method=get&status=200").await["count"],
        9
    );
    assert_eq!(count("status=404").await["count"], 1);
    assert_eq!(count("method=POST").await["count"], 0);
    let listing = get_json(&format!("{}/__admin/requests", m.pbx_url())).await;
    assert_eq!(listing["dropped"], 6);
    let ids: Vec<u64> = listing["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [7, 8, 9, 10]);

    let resp = http()
        .delete(format!("{}/__admin/requests", m.pbx_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let after = count("").await;
    assert_eq!((&after["count"], &after["dropped"]), (&json!(0), &json!(0)));
}

/// `wait?…` → `/wait?…`; `?…` stays.
fn query_path(q: &str) -> String {
    if q.starts_with('?') {
        q.to_owned()
    } else {
        format!("/{q}")
    }
}

async fn get_json_owned(url: String) -> Value {
    get_json(&url).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_admin_list_is_oldest_first() {
    let m = start().await;
    let sim = format!("{}/__admin/calls/simulate", m.pbx_url());
    let (_, first) = post_json(&sim, &json!({"duration": 5})).await;
    let (_, second) = post_json(&sim, &json!({"duration": 6})).await;
    let calls = get_json(&format!("{}/__admin/calls", m.pbx_url())).await;
    assert_eq!(calls["items"][0]["callid"], first["callid"]);
    assert_eq!(calls["items"][1]["callid"], second["callid"]);

    let rop = rop_client(&m);
    let url: url::Url = first["record"].as_str().unwrap().parse().unwrap();
    for id in ["zz-uploaded-first", "aa-uploaded-second"] {
        rop.upload_call(&CallUpload::new(id, "72", url.clone()))
            .await
            .unwrap();
    }
    let calls = get_json(&format!("{}/__admin/calls", m.rop_url())).await;
    assert_eq!(calls["items"][0]["call"]["call_id"], "zz-uploaded-first");
    assert_eq!(calls["items"][1]["call"]["call_id"], "aa-uploaded-second");

    let journal = get_json(&format!("{}/__admin/requests", m.rop_url())).await;
    let ids: Vec<u64> = journal["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_u64().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
}
