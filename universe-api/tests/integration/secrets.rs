//! The password never shows in `Debug` or `Display` of clients, builders, errors or auth config.

use crate::common::{LOGIN, PASSWORD, TestCrm, client_for, dispatcher, strict_server};
use universe_api::{Client, MessageRequest, ServerAuth};
use wiremock::matchers::method;
use wiremock::{Mock, ResponseTemplate};

fn assert_hidden(what: &str, text: &str) {
    assert!(
        !text.contains(PASSWORD),
        "{what} leaks the password: {text}"
    );
    assert!(
        !text.contains("TOPSECRET"),
        "{what} leaks the password: {text}"
    );
}

#[tokio::test]
async fn client_builder_and_dispatcher_do_not_show_the_password() {
    let server = strict_server().await;
    let client = client_for(&server);
    assert_hidden("Client", &format!("{client:?}"));
    let builder = Client::builder()
        .base_url(server.uri())
        .credentials(LOGIN, PASSWORD);
    assert_hidden("ClientBuilder", &format!("{builder:?}"));
    let auth = ServerAuth::basic(LOGIN, PASSWORD).with_token_auth(true);
    assert_hidden("ServerAuth", &format!("{auth:?}"));
    let d = dispatcher(TestCrm::default());
    assert_hidden("Dispatcher", &format!("{d:?}"));
}

#[tokio::test]
async fn errors_do_not_show_the_password() {
    let server = strict_server().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(r#"{"status":"error","message":"nope"}"#),
        )
        .mount(&server)
        .await;
    let err = client_for(&server)
        .add_message(&MessageRequest::new("1", "x"))
        .await
        .unwrap_err();
    assert_hidden("Api error", &format!("{err} {err:?}"));
}

#[tokio::test]
async fn transport_errors_do_not_show_the_password_or_url_credentials() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .base_url(format!("http://{LOGIN}:{PASSWORD}@127.0.0.1:{port}/crm"))
        .retry_policy(universe_api::RetryPolicy::none())
        .build()
        .unwrap();
    assert_hidden("Client with URL credentials", &format!("{client:?}"));
    let err = client.import_scheme().await.unwrap_err();
    assert!(matches!(err, universe_api::Error::Transport(_)), "{err:?}");
    assert_hidden("Transport error", &format!("{err} {err:?}"));
}

#[test]
fn config_errors_do_not_show_url_credentials() {
    let err = Client::builder()
        .base_url(format!("gopher://{LOGIN}:{PASSWORD}@crm.example"))
        .build()
        .unwrap_err();
    assert_hidden("Config error", &format!("{err} {err:?}"));
    let err = Client::builder()
        .base_url(format!("not a url {LOGIN}:{PASSWORD}@crm.example"))
        .build()
        .unwrap_err();
    assert_hidden("Config error", &format!("{err} {err:?}"));
}

#[tokio::test]
async fn handler_internal_detail_is_not_sent() {
    let d = dispatcher(TestCrm::default());
    let resp = d
        .dispatch(crate::common::get("/analytics?action=lead&title=boom"))
        .await;
    assert_hidden("500 body", &String::from_utf8_lossy(resp.body()));
}

#[tokio::test]
async fn no_error_kind_shows_the_password_or_the_token() {
    let token = ServerAuth::basic(LOGIN, PASSWORD).expected_token();
    for (status, body) in [
        (401, "Unauthorized"),
        (404, "<html>not found</html>"),
        (500, r#"{"status":"error","message":"boom"}"#),
        (502, "<html>Bad Gateway</html>"),
        (200, "not json"),
        (200, r#"{"status":"ok"}"#),
    ] {
        let server = strict_server().await;
        let client = Client::builder()
            .base_url(server.uri())
            .credentials(LOGIN, PASSWORD)
            .retry_policy(universe_api::RetryPolicy::none())
            .build()
            .unwrap();
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .expect(1)
            .mount(&server)
            .await;
        let err = client
            .create_lead(&universe_api::LeadRequest::new("t"))
            .await
            .unwrap_err();
        let text = format!("{err} {err:?}");
        assert_hidden("error", &text);
        assert!(!text.contains(&token), "error leaks the token: {text}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.body(), Some(body), "the raw body is kept");
    }
}
