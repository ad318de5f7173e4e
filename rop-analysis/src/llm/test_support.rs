//! Shared helpers of the LLM tests: a wiremock "LLM" with a loud catch-all, recorded answers.

use super::LlmClient;
use http_plumbing::RetryPolicy;
use secrecy::SecretString;
use std::time::Duration;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub(crate) const KEY: &str = "sk-test-TOPSECRET-0123456789";

/// A recorded chat-completion body from `tests/fixtures/llm/`.
pub(crate) fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/llm/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A chat-completion body whose content is `content` (JSON text).
pub(crate) fn completion(content: &str) -> String {
    serde_json::json!({
        "id": "chatcmpl-test", "object": "chat.completion", "created": 1_758_119_400,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": null},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}
    })
    .to_string()
}

/// A mock server whose unmatched requests fail the test when the server is dropped.
pub(crate) async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(599).set_body_string("unexpected request"))
        .with_priority(u8::MAX)
        .named("catch-all: unexpected request")
        .expect(0)
        .mount(&server)
        .await;
    server
}

/// A client of `server` with fast, jitter-free retries.
pub(crate) fn client(server: &MockServer) -> LlmClient {
    LlmClient::builder()
        .base_url(format!("{}/v1", server.uri()))
        .model("gpt-4o-mini")
        .api_key(SecretString::from(KEY))
        .retry_policy(
            RetryPolicy::default()
                .with_jitter(false)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap()
}
