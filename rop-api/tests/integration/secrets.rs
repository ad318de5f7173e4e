//! No `Debug`/`Display` of the client, its builder, the dispatcher or any error shows the key.

use crate::{KEY, catch_all, fast_retry};
use rop_api::{CallId, CallUpload, Client, Dispatcher, HandlerError, RopHandler, TableId};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn assert_hidden(what: &str, text: &str) {
    assert!(!text.contains(KEY), "{what} leaks the key: {text}");
}

struct Nop;
#[async_trait::async_trait]
impl RopHandler for Nop {
    async fn upload_call(&self, call: CallUpload) -> Result<CallId, HandlerError> {
        Ok(call.call_id)
    }
}

#[tokio::test]
async fn no_debug_or_display_contains_the_api_key() {
    let builder = Client::builder()
        .base_url("http://127.0.0.1:1")
        .api_key(KEY);
    assert_hidden("builder", &format!("{builder:?}"));
    let client = builder
        .retry_policy(fast_retry().with_max_retries(1))
        .build()
        .unwrap();
    assert_hidden("client", &format!("{client:?}"));
    let dispatcher = Dispatcher::new(Nop, KEY);
    assert_hidden("dispatcher", &format!("{dispatcher:?}"));

    // Connection refused: a transport error whose URL carried the key.
    let call = CallUpload::new("c", "m", "https://x.example/a.mp3".parse().unwrap());
    let e = client.upload_call(&call).await.unwrap_err();
    assert!(matches!(e, rop_api::Error::Transport(_)), "{e:?}");
    assert_hidden("transport error", &format!("{e} {e:?}"));
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        assert_hidden("error source", &format!("{s} {s:?}"));
        source = s.source();
    }

    // Every HTTP error kind, each from its own server (wiremock's scoped mocks do not mix
    // with a priority catch-all), plus a decode error. Each keeps its status and raw body.
    let kinds: [(u16, &str); 8] = [
        (
            400,
            r#"{"data":false,"error":true,"message":"Файл не является аудио"}"#,
        ),
        (
            401,
            r#"{"data":false,"error":true,"message":"apiKey не валиден"}"#,
        ),
        (404, "{}"),
        (
            409,
            r#"{"data":false,"error":true,"message":"Звонок с данным call_id уже обработан"}"#,
        ),
        (429, "{}"),
        (500, "<html>oops</html>"),
        (200, "not json"),
        (200, r#"{"data":false,"error":true,"message":"m"}"#),
    ];
    for (status, body) in kinds {
        let server = MockServer::start().await;
        catch_all(&server).await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .expect(2)
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_url(server.uri())
            .api_key(KEY)
            .retry_policy(rop_api::RetryPolicy::none())
            .build()
            .unwrap();
        let e = client.upload_call(&call).await.unwrap_err();
        assert_hidden("http error", &format!("{e} {e:?}"));
        assert_eq!(e.status().map(|s| s.as_u16()), Some(status), "{e:?}");
        assert_eq!(e.body(), Some(body), "{e:?}");
        let e = client
            .call_ready(&TableId::from("t"), &CallId::from("c"))
            .await
            .unwrap_err();
        assert_hidden("http error", &format!("{e} {e:?}"));
        assert_eq!(e.status().map(|s| s.as_u16()), Some(status), "{e:?}");
    }
    let e = rop_api::Error::from(rop_api::FieldError::new("audio_url", "bad"));
    assert_hidden("invalid error", &format!("{e} {e:?}"));
}

#[test]
fn a_builder_with_a_key_in_the_base_url_does_not_show_it() {
    let b = Client::builder().base_url(format!("http://h/api/v1/?apiKey={KEY}"));
    assert_hidden("builder", &format!("{b:?}"));
    let e = b.api_key("other").build().unwrap_err();
    assert_hidden("config error", &format!("{e} {e:?}"));
}
