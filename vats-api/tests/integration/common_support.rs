//! Helpers shared by the push and legacy test modules.

use bytes::Bytes;
use http::{Request, Response};
use std::time::Duration;
use vats_api::timestamp;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub(crate) const SEED_CRM_TOKEN: &str = "76fsd7tfs-fhjdgfdjsfsk-hfgsdguuuwoeiwey1111";
pub(crate) const SEED_PBX_TOKEN: &str = "5f317b9f-e86c-41f7-a6fc-c76eb0da0000";

/// A fixture from `tests/fixtures/`.
pub(crate) fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A fixture parsed as JSON.
pub(crate) fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// Mounts a lowest-priority catch-all that fails the test (on drop) if anything reaches it.
pub(crate) async fn catch_all(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(599).set_body_string("unexpected request"))
        .with_priority(u8::MAX)
        .expect(0)
        .named("catch-all: no unexpected requests")
        .mount(server)
        .await;
}

/// A retry policy that does not wait.
pub(crate) fn fast_retry() -> http_plumbing::RetryPolicy {
    http_plumbing::RetryPolicy::default()
        .with_jitter(false)
        .with_initial_backoff(Duration::from_millis(1))
}

/// A POST with the given content type and body.
pub(crate) fn post(content_type: &str, body: impl Into<Bytes>) -> Request<Bytes> {
    Request::post("/crm_integration.php")
        .header("content-type", content_type)
        .body(body.into())
        .unwrap()
}

/// A JSON POST.
pub(crate) fn post_json(body: &serde_json::Value) -> Request<Bytes> {
    post("application/json", serde_json::to_vec(body).unwrap())
}

/// A form POST.
pub(crate) fn post_form(body: &str) -> Request<Bytes> {
    post("application/x-www-form-urlencoded", body.to_owned())
}

/// The response body as JSON.
pub(crate) fn json_of(resp: &Response<Bytes>) -> serde_json::Value {
    serde_json::from_slice(resp.body())
        .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(resp.body())))
}

/// Asserts the documented 400 naming `field`.
pub(crate) fn assert_invalid(resp: &Response<Bytes>, field: &str) {
    assert_eq!(resp.status(), 400, "{:?}", resp.body());
    let body = json_of(resp);
    assert_eq!(body["error"], "Invalid parameters");
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.starts_with(&format!("{field}: ")),
        "detail {detail:?} should name {field}"
    );
}

/// Asserts 401 with `{"error": text}`.
pub(crate) fn assert_unauthorized(resp: &Response<Bytes>, text: &str) {
    assert_eq!(resp.status(), 401);
    assert_eq!(json_of(resp), serde_json::json!({ "error": text }));
}

/// 2017-07-03 12:11:10 UTC, the vendor document's `start`.
pub(crate) fn seed_start() -> chrono::DateTime<chrono::Utc> {
    timestamp::parse("20170703T121110Z").unwrap()
}
