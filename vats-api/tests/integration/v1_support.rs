//! Helpers of the `v1_*` test modules.

use serde_json::Value;
use std::time::Duration;
use vats_api::v1::Client;
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

/// The key the tests configure.
pub(crate) const KEY: &str = "k3y-Sup3rS3cret";

/// A `tests/fixtures/` file as text.
pub(crate) fn fixture(name: &str) -> String {
    let p = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// A `tests/fixtures/` file as JSON.
pub(crate) fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// A mock PBX with a loud catch-all, and a client pointed at it.
pub(crate) struct Pbx {
    pub(crate) server: MockServer,
    pub(crate) client: Client,
}

/// Matches the whole query string exactly (`None`: no query at all).
struct QueryIs(Option<String>);

impl Match for QueryIs {
    fn matches(&self, r: &Request) -> bool {
        r.url.query().map(str::to_owned) == self.0
    }
}

/// Matches an empty body.
struct NoBody;

impl Match for NoBody {
    fn matches(&self, r: &Request) -> bool {
        r.body.is_empty()
    }
}

impl Pbx {
    pub(crate) async fn start() -> Self {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(599).set_body_string("unexpected request"))
            .with_priority(u8::MAX)
            .expect(0)
            .named("catch-all: no unexpected requests")
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_url(format!("{}/crmapi/v1", server.uri()))
            .api_key(KEY)
            .retry_policy(
                http_plumbing::RetryPolicy::default()
                    .with_jitter(false)
                    .with_initial_backoff(Duration::from_millis(1)),
            )
            .build()
            .unwrap();
        Self { server, client }
    }

    /// Expects exactly one request: method, path under `/crmapi/v1/`, exact query, the key
    /// header, and the JSON body (or no body).
    pub(crate) async fn expect(
        &self,
        verb: &str,
        sub_path: &str,
        query: Option<&str>,
        body: Option<Value>,
        answer: ResponseTemplate,
    ) {
        let m = Mock::given(method(verb))
            .and(path(format!("/crmapi/v1/{sub_path}")))
            .and(header("X-API-KEY", KEY))
            .and(QueryIs(query.map(str::to_owned)));
        let m = match body {
            Some(v) => m
                .and(body_json(v))
                .and(header("content-type", "application/json")),
            None => m.and(NoBody),
        };
        m.respond_with(answer).expect(1).mount(&self.server).await;
    }

    /// Expects exactly one `GET` of `sub_path` with `query` and answers the JSON fixture.
    pub(crate) async fn expect_get(&self, sub_path: &str, query: Option<&str>, fixture: &str) {
        self.expect("GET", sub_path, query, None, json(fixture_json(fixture)))
            .await;
    }
}

/// A 200 JSON answer.
pub(crate) fn json(v: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(v)
}

/// A 204 answer.
pub(crate) fn no_content() -> ResponseTemplate {
    ResponseTemplate::new(204)
}
