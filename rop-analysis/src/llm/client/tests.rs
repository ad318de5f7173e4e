//! Tests of the chat-completions client against a wiremock LLM.

use super::*;
use crate::llm::test_support::{KEY, client, completion, fixture, server};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

fn schema() -> Value {
    json!({"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"],
           "additionalProperties": false})
}

#[tokio::test]
async fn sends_model_temperature_zero_json_schema_and_bearer_key() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(json!({
            "model": "gpt-4o-mini",
            "temperature": 0,
            "messages": [{"role": "system", "content": "sys"}, {"role": "user", "content": "usr"}],
            "response_format": {"type": "json_schema",
                                "json_schema": {"name": "check", "strict": true, "schema": schema()}},
        })))
        .respond_with(ResponseTemplate::new(200).set_body_string(completion(r#"{"ok": true}"#)))
        .expect(1)
        .mount(&server)
        .await;
    let v: Value = client(&server)
        .chat_json("sys", "usr", "check", &schema())
        .await
        .unwrap();
    assert_eq!(v, json!({"ok": true}));
}

#[tokio::test]
async fn retries_5xx_then_parses_the_answer() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>overloaded</html>"))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_string(completion(r#"{"ok": false}"#)))
        .expect(1)
        .mount(&server)
        .await;
    let v: Value = client(&server)
        .chat_json("s", "u", "check", &schema())
        .await
        .unwrap();
    assert_eq!(v["ok"], false);
}

#[tokio::test]
async fn keeps_status_and_raw_body_of_a_4xx_without_retrying() {
    let server = server().await;
    let body = fixture("error_401.json");
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(401).set_body_string(body.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let e = client(&server)
        .chat_json::<Value>("s", "u", "check", &schema())
        .await
        .unwrap_err();
    match &e {
        Error::LlmStatus { status, body: b } => {
            assert_eq!((*status, b.as_str()), (401, body.as_str()))
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        e.to_string()
            .starts_with("LLM service answered HTTP 401: {")
    );
}

#[tokio::test]
async fn content_that_does_not_fit_the_type_names_the_path_and_keeps_the_body() {
    let server = server().await;
    let body = completion(r#"{"ok": "maybe"}"#);
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body.clone()))
        .mount(&server)
        .await;
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Ok_ {
        ok: bool,
    }
    let e = client(&server)
        .chat_json::<Ok_>("s", "u", "check", &schema())
        .await
        .unwrap_err();
    match e {
        Error::LlmAnswer { path, body: b, .. } => {
            assert_eq!(path, "choices[0].message.content.ok");
            assert_eq!(b, body);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn a_refusal_is_an_answer_error() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(fixture("refusal.json")))
        .mount(&server)
        .await;
    let e = client(&server)
        .chat_json::<Value>("s", "u", "check", &schema())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::LlmAnswer { path, .. } if path == "choices[0].message.refusal"),
        "{e}"
    );
    assert!(e.to_string().contains("the model refused"));
}

#[tokio::test]
async fn an_html_error_page_with_200_is_an_answer_error_not_a_panic() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>proxy</html>"))
        .mount(&server)
        .await;
    let e = client(&server)
        .chat_json::<Value>("s", "u", "check", &schema())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::LlmAnswer { path, body, .. } if path == "." && body == "<html>proxy</html>")
    );
}

#[test]
fn code_fences_around_json_are_removed() {
    assert_eq!(strip_code_fence("```json\n{\"a\":1}\n```"), "{\"a\":1}");
    assert_eq!(strip_code_fence(" {\"a\":1} "), "{\"a\":1}");
}

#[test]
fn build_rejects_missing_model_and_bad_base_url_naming_the_field() {
    let e = LlmClient::builder().build().unwrap_err();
    insta::assert_snapshot!(e, @"LLM client: `model`: is required");
    let e = LlmClient::builder()
        .model("m")
        .base_url("ftp://x/v1")
        .build()
        .unwrap_err();
    insta::assert_snapshot!(e, @"LLM client: `base_url`: must be an absolute http(s) URL");
    let e = LlmClient::builder()
        .model("m")
        .base_url("not a url")
        .build()
        .unwrap_err();
    insta::assert_snapshot!(e, @"LLM client: `base_url`: relative URL without a base");
}

#[test]
fn endpoint_is_base_url_plus_chat_completions() {
    let c = LlmClient::builder()
        .model("m")
        .base_url("http://h:1/v1")
        .build()
        .unwrap();
    assert_eq!(c.endpoint(), "http://h:1/v1/chat/completions");
    let c = LlmClient::builder()
        .model("m")
        .base_url("http://h:1/openai/v1/")
        .build()
        .unwrap();
    assert_eq!(c.endpoint(), "http://h:1/openai/v1/chat/completions");
    assert_eq!(
        LlmClient::builder().model("m").build().unwrap().endpoint(),
        "https://api.openai.com/v1/chat/completions"
    );
}

#[tokio::test]
async fn the_key_never_appears_in_debug_display_or_errors() {
    let builder = LlmClient::builder()
        .model("m")
        .api_key(SecretString::from(KEY));
    let mut seen = format!("{builder:?}");
    let c = builder.base_url("http://127.0.0.1:9/v1").build().unwrap();
    seen.push_str(&format!("{c:?}"));
    // A transport error (nothing listens on the port).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = LlmClient::builder()
        .model("m")
        .api_key(SecretString::from(KEY))
        .base_url(format!("http://127.0.0.1:{port}/v1"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let e = c
        .chat_json::<Value>("s", "u", "n", &json!({}))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::LlmTransport(_)));
    seen.push_str(&format!("{e} {e:?}"));
    // A status error.
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let c = client(&server);
    let e = c
        .clone()
        .chat_json::<Value>("s", "u", "n", &json!({}))
        .await
        .unwrap_err();
    seen.push_str(&format!("{e} {e:?} {c:?}"));
    let evaluator = crate::llm::LlmEvaluator::new(c.clone());
    let both = crate::llm::HybridEvaluator::new(evaluator.clone(), crate::Strategy::RulesThenLlm);
    let extractor = crate::llm::LlmExtractor::new(c.clone());
    seen.push_str(&format!("{evaluator:?} {both:?} {extractor:?}"));
    // A key that cannot be a header value is rejected without echoing it.
    let e = LlmClient::builder()
        .model("m")
        .api_key(SecretString::from("bad\nTOPSECRET"))
        .build()
        .unwrap_err();
    seen.push_str(&format!("{e} {e:?}"));
    assert!(!seen.contains("TOPSECRET"), "{seen}");
    assert!(seen.contains("REDACTED"));
}

#[test]
fn error_messages_show_a_preview_of_the_body_and_keep_it_whole() {
    let e = Error::LlmStatus {
        status: 502,
        body: "<html>bad gateway</html>".to_owned(),
    };
    insta::assert_snapshot!(e, @"LLM service answered HTTP 502: <html>bad gateway</html>");
    let long = "x".repeat(1000);
    let e = Error::LlmStatus {
        status: 500,
        body: long.clone(),
    };
    assert_eq!(
        e.to_string().chars().count(),
        "LLM service answered HTTP 500: ".len() + 301
    );
    assert!(matches!(e, Error::LlmStatus { body, .. } if body == long));
    let e = Error::LlmAnswer {
        path: "choices[0].message.content.stages[0].passed".to_owned(),
        message: "invalid type: string \"yes\", expected a boolean".to_owned(),
        body: String::new(),
    };
    insta::assert_snapshot!(e, @r#"LLM answer unusable at `choices[0].message.content.stages[0].passed`: invalid type: string "yes", expected a boolean"#);
}
