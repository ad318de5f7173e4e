//! legacy `Client` (L1–L3) against wiremock: exact form bodies, answers, errors, secrets.

use crate::common_support::*;
use secrecy::ExposeSecret;
use vats_api::Error;
use vats_api::legacy::{Account, Client, LoginRequest, MakeCallRequest};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FORM: &str = "application/x-www-form-urlencoded";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

fn seed_login() -> LoginRequest {
    LoginRequest {
        crm_code: "mycrm".into(),
        login: "admin".into(),
        password: "pass".into(),
        crm_token: SEED_CRM_TOKEN.into(),
        url: "https://crm.ru/crm_integration.php".into(),
        redirect_url: None,
        self_map: false,
    }
}

#[tokio::test]
async fn login_posts_the_seed_form_and_answers_the_token_as_a_secret() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .and(path("/sys/api_login.wcgp"))
        .and(header("content-type", FORM))
        .and(body_string(format!(
            "crm_code=mycrm&login=admin&password=pass&crm_token={SEED_CRM_TOKEN}\
             &url=https%3A%2F%2Fcrm.ru%2Fcrm_integration.php"
        )))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(fixture("legacy_login_answer_seed.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let token = client(&server).login(&seed_login()).await.unwrap();
    assert_eq!(token.expose_secret(), SEED_PBX_TOKEN);
    assert!(!format!("{token:?}").contains(SEED_PBX_TOKEN));
}

#[tokio::test]
async fn login_sends_optional_redirect_url_and_self_map() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .and(path("/sys/api_login.wcgp"))
        .and(body_string(format!(
            "crm_code=mycrm&login=admin&password=pass&crm_token={SEED_CRM_TOKEN}\
             &url=https%3A%2F%2Fcrm.ru%2Fcrm_integration.php&redirect_url=https%3A%2F%2Fcrm.ru%2Fdone\
             &self_map=true"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"token":"t-1"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let mut req = seed_login();
    req.redirect_url = Some("https://crm.ru/done".into());
    req.self_map = true;
    assert_eq!(
        client(&server).login(&req).await.unwrap().expose_secret(),
        "t-1"
    );
}

#[tokio::test]
async fn login_failure_keeps_the_seeds_misspelt_error_and_no_password() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .and(path("/sys/api_login.wcgp"))
        .respond_with(
            ResponseTemplate::new(401).set_body_string(r#"{"error":"Autorization failed"}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let mut req = seed_login();
    req.password = "TOPSECRETPW".into();
    let err = client(&server).login(&req).await.unwrap_err();
    match &err {
        Error::Unauthorized { message, .. } => assert_eq!(message, "Autorization failed"),
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    let shown = format!("{err} {err:?} {req:?}");
    assert!(
        !shown.contains("TOPSECRETPW") && !shown.contains(SEED_CRM_TOKEN),
        "{shown}"
    );
}

#[tokio::test]
async fn make_call_posts_the_seed_form_with_the_token() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .and(path("/sys/crm_api.wcgp"))
        .and(header("content-type", FORM))
        .and(body_string(format!(
            "cmd=makeCall&phone=79101234567&user=user&token={SEED_PBX_TOKEN}"
        )))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server).with_token(SEED_PBX_TOKEN);
    c.make_call(&MakeCallRequest {
        phone: "79101234567".into(),
        user: "user".into(),
        clid: None,
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn make_call_with_a_bad_token_is_an_api_error() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .and(path("/sys/crm_api.wcgp"))
        .respond_with(ResponseTemplate::new(401).set_body_string(r#"{"error":"Invalid token"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let c = Client::builder()
        .base_url(server.uri())
        .token("wrong-token")
        .build()
        .unwrap();
    let err = c
        .make_call(&MakeCallRequest {
            phone: "79101234567".into(),
            user: "user".into(),
            clid: None,
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Unauthorized { message, .. } if message == "Invalid token"),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains("wrong-token"));
}

#[tokio::test]
async fn accounts_posts_the_seed_form_and_reads_the_seed_answer() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .and(path("/sys/crm_api.wcgp"))
        .and(body_string(format!("cmd=accounts&token={SEED_PBX_TOKEN}")))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(fixture("legacy_accounts_answer_seed.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = Client::builder()
        .base_url(format!("{}/", server.uri()))
        .token(SEED_PBX_TOKEN)
        .build()
        .unwrap();
    let accounts = c.accounts().await.unwrap();
    let names: Vec<_> = accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["test", "daria", "andy", "mike", "serg"]);
    assert_eq!(
        accounts[0],
        Account {
            name: "test".into(),
            real_name: None
        }
    );
}

#[tokio::test]
async fn accounts_decode_error_names_the_path_and_keeps_the_body() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(r#"[{"name":"a"},{"realName":"b"}]"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server).with_token("t");
    let err = c.accounts().await.unwrap_err();
    match &err {
        Error::Decode { path, body, .. } => {
            assert!(path.starts_with("[1]"), "{path}");
            assert!(body.contains("realName"));
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn commands_without_a_token_fail_before_sending() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let err = client(&server).accounts().await.unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

#[tokio::test]
async fn a_5xx_is_retried_then_reported_with_its_body() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>boom</html>"))
        .expect(2)
        .mount(&server)
        .await;
    let c = Client::builder()
        .base_url(server.uri())
        .token("t")
        .retry_policy(fast_retry().with_max_retries(1))
        .build()
        .unwrap();
    let err = c.accounts().await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { status, body, .. } if status.as_u16() == 500 && body == "<html>boom</html>")
    );
}

#[test]
fn client_debug_hides_the_token_and_builder_validates() {
    let c = Client::builder()
        .base_url("https://domain.example")
        .token(SEED_PBX_TOKEN)
        .build()
        .unwrap();
    let shown = format!("{c:?} {:?}", c.with_token("other-secret"));
    assert!(
        !shown.contains(SEED_PBX_TOKEN) && !shown.contains("other-secret"),
        "{shown}"
    );
    assert!(matches!(Client::builder().build(), Err(Error::Config(_))));
    assert!(matches!(
        Client::builder()
            .base_url("https://d.example")
            .token("")
            .build(),
        Err(Error::Config(_))
    ));
}
