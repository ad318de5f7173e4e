//! Near-miss 404s on every service: the closest routes and what did not match, in the
//! protocol's envelope and in the journal entry; resource 404s on real routes stay as they are.

use serde_json::Value;

use crate::support::{get_json, http, start};

async fn send(method: reqwest::Method, url: &str, body: &str) -> (u16, Value) {
    let resp = http()
        .request(method, url)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The near-miss report stored with the service's latest request on `path`.
async fn journal_report(base: &str, path: &str) -> Value {
    let j = get_json(&format!("{base}/__admin/requests?path={path}")).await;
    j["items"][0]["near_miss"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pbx_unmatched_path_names_the_closest_routes_in_the_answer_and_the_journal() {
    let m = start().await;
    let (status, body) = send(
        reqwest::Method::GET,
        &format!("{}/crmapi/v1/history", m.pbx_url()),
        "",
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "Not found");
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("no route GET /crmapi/v1/history; closest: GET /crmapi/v1/history/json"),
        "{detail}"
    );
    assert!(detail.contains("GET /crmapi/v1/history/csv"), "{detail}");
    let report = journal_report(&m.pbx_url(), "/crmapi/v1/history").await;
    assert_eq!(report["detail"], detail);
    assert_eq!(report["closest"][0]["route"], "GET /crmapi/v1/history/json");
    assert_eq!(
        report["closest"][0]["mismatch"][0],
        "missing segment \"json\""
    );

    // A wrong method on a near path is named as such.
    let (status, body) = send(
        reqwest::Method::GET,
        &format!("{}/crmapi/v1/makecal", m.pbx_url()),
        "",
    )
    .await;
    assert_eq!(status, 404);
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("POST /crmapi/v1/makecall (method GET (route: POST)"),
        "{detail}"
    );

    // Outside /crmapi and /sys: the legacy endpoint with its missing keys.
    let (status, body) = send(
        reqwest::Method::POST,
        &format!("{}/sys/crm_api.wgcp", m.pbx_url()),
        "cmd=makeCall",
    )
    .await;
    assert_eq!(status, 404);
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("POST /sys/crm_api.wcgp"), "{detail}");
    assert!(
        detail.contains("missing key \"token\"") && !detail.contains("missing key \"cmd\""),
        "{detail}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_404_for_an_unknown_resource_on_a_real_route_is_not_a_near_miss() {
    let m = start().await;
    let resp = http()
        .get(format!("{}/crmapi/v1/users/nobody", m.pbx_url()))
        .header("X-API-KEY", mock_server::DEFAULT_VATS_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let body: Value = resp.json().await.unwrap();
    assert!(
        !body["detail"].as_str().unwrap_or("").contains("no route"),
        "{body}"
    );
    assert!(
        journal_report(&m.pbx_url(), "/crmapi/v1/users/nobody")
            .await
            .is_null()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rop_unmatched_path_keeps_its_envelope_and_names_the_route_and_the_missing_key() {
    let m = start().await;
    let (status, body) = send(
        reqwest::Method::POST,
        &format!("{}/api/v1/call", m.rop_url()),
        "{}",
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], true, "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with("no route POST /api/v1/call; closest: POST /api/v1/calls"),
        "{message}"
    );
    assert!(message.contains("missing key \"apiKey\""), "{message}");
    let report = journal_report(&m.rop_url(), "/api/v1/call").await;
    assert_eq!(report["closest"][0]["route"], "POST /api/v1/calls");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crm_unmatched_path_keeps_its_envelope_and_names_the_route() {
    let m = start().await;
    let (status, body) = send(
        reqwest::Method::GET,
        &format!("{}/analytic", m.crm_url()),
        "",
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["status"], "error");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with("no route GET /analytic; closest: GET /analytics"),
        "{message}"
    );
    let (status, body) = send(
        reqwest::Method::POST,
        &format!("{}/hooks/vats/v2", m.crm_url()),
        "",
    )
    .await;
    assert_eq!(status, 404);
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("closest: POST /hooks/vats/v1"), "{detail}");
    assert!(
        !journal_report(&m.crm_url(), "/hooks/vats/v2")
            .await
            .is_null()
    );
}
