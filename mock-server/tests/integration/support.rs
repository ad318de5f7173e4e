//! Starting the services on free ports, and small admin helpers.

use std::time::Duration;

use mock_server::{Config, MockServers};
use serde_json::Value;

pub(crate) async fn start() -> MockServers {
    start_with(Config::ephemeral()).await
}

pub(crate) async fn start_with(config: Config) -> MockServers {
    MockServers::start(config).await.expect("services start")
}

pub(crate) fn http() -> reqwest::Client {
    reqwest::Client::new()
}

pub(crate) async fn get_json(url: &str) -> Value {
    let resp = http().get(url).send().await.unwrap();
    assert!(resp.status().is_success(), "GET {url}: {}", resp.status());
    resp.json().await.unwrap()
}

pub(crate) async fn post_json(url: &str, body: &Value) -> (u16, Value) {
    let resp = http().post(url).json(body).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Polls `url` until `done` holds for its JSON (at most ~10 s of 20 ms steps); the last value.
pub(crate) async fn wait_for(url: &str, done: impl Fn(&Value) -> bool) -> Value {
    let mut last = Value::Null;
    for _ in 0..500 {
        last = get_json(url).await;
        if done(&last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("condition never held for {url}; last answer: {last}");
}

pub(crate) fn rop_client(m: &MockServers) -> rop_api::Client {
    rop_api::Client::builder()
        .base_url(m.rop_api_url())
        .api_key(mock_server::DEFAULT_ROP_KEY)
        .retry_policy(http_plumbing::RetryPolicy::none())
        .build()
        .unwrap()
}

pub(crate) fn pbx_client(m: &MockServers) -> vats_api::v1::Client {
    vats_api::v1::Client::builder()
        .base_url(m.pbx_api_url())
        .api_key(mock_server::DEFAULT_VATS_KEY)
        .retry_policy(http_plumbing::RetryPolicy::none())
        .build()
        .unwrap()
}

pub(crate) fn crm_client(m: &MockServers) -> universe_api::Client {
    universe_api::Client::builder()
        .base_url(m.crm_url())
        .credentials(
            mock_server::DEFAULT_LOGIN,
            mock_server::DEFAULT_PASSWORD.to_owned(),
        )
        .retry_policy(http_plumbing::RetryPolicy::none())
        .build()
        .unwrap()
}
