//! The v1 client: recordings, errors, retries, configuration and secrets.

use crate::v1_support::{KEY, Pbx, json};
use serde_json::json;
use vats_api::Error;
use vats_api::v1::{HistoryQuery, ListQuery, Login, NewUser};
use wiremock::ResponseTemplate;

#[tokio::test]
async fn download_record_sends_the_key_only_to_the_pbx_origin() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "GET",
        "records/1.mp3",
        None,
        None,
        ResponseTemplate::new(200).set_body_bytes(b"ID3".to_vec()),
    )
    .await;
    let url = format!("{}/crmapi/v1/records/1.mp3", pbx.server.uri());
    assert_eq!(
        pbx.client.download_record(&url).await.unwrap().as_ref(),
        b"ID3"
    );

    let other = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::header_exists("X-API-KEY"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&other)
        .await;
    wiremock::Mock::given(wiremock::matchers::path("/r.mp3"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"RIFF".to_vec()))
        .expect(1)
        .mount(&other)
        .await;
    let url = format!("{}/r.mp3", other.uri());
    assert_eq!(
        pbx.client.download_record(&url).await.unwrap().as_ref(),
        b"RIFF"
    );
}

#[tokio::test]
async fn documented_errors_keep_status_text_and_body() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "GET",
        "users/ghost",
        None,
        None,
        ResponseTemplate::new(401).set_body_json(json!({"error": "Invalid token"})),
    )
    .await;
    let e = pbx
        .client
        .get_user(&Login::from("ghost"))
        .await
        .unwrap_err();
    match &e {
        Error::Unauthorized { message, body } => {
            assert_eq!(message, "Invalid token");
            assert_eq!(body, r#"{"error":"Invalid token"}"#);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn html_error_pages_surface_as_http_errors_with_the_page() {
    let pbx = Pbx::start().await;
    Pbx::expect(
        &pbx,
        "GET",
        "sims",
        None,
        None,
        ResponseTemplate::new(404).set_body_string("<html>nope</html>"),
    )
    .await;
    let e = pbx.client.list_sims(&ListQuery::new()).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(e.body(), Some("<html>nope</html>"));
}

#[tokio::test]
async fn decode_errors_name_the_field_and_keep_the_body() {
    let pbx = Pbx::start().await;
    let body =
        json!({"items": [{"uid": "1", "direction": "in", "status": "success", "start": "soon"}]});
    pbx.expect("GET", "history/json", None, None, json(body))
        .await;
    let e = pbx
        .client
        .history_json(&HistoryQuery::new())
        .await
        .unwrap_err();
    match &e {
        Error::Decode { path, body, .. } => {
            assert_eq!(path, "items[0].start");
            assert!(body.contains("soon"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn retries_5xx_then_succeeds() {
    let pbx = Pbx::start().await;
    wiremock::Mock::given(wiremock::matchers::path(
        "/crmapi/v1/blacklist/block-anonymous",
    ))
    .respond_with(ResponseTemplate::new(503))
    .up_to_n_times(1)
    .with_priority(1)
    .expect(1)
    .mount(&pbx.server)
    .await;
    pbx.expect(
        "GET",
        "blacklist/block-anonymous",
        None,
        None,
        json(json!({"state": false})),
    )
    .await;
    assert!(!pbx.client.block_anonymous_state().await.unwrap());
}

#[tokio::test]
async fn secrets_never_show_in_debug_display_or_errors() {
    let pbx = Pbx::start().await;
    pbx.expect(
        "GET",
        "users",
        None,
        None,
        ResponseTemplate::new(400).set_body_json(json!({"error": "Validation error"})),
    )
    .await;
    let e = pbx.client.list_users(&ListQuery::new()).await.unwrap_err();
    let builder = vats_api::v1::Client::builder()
        .api_key(KEY)
        .base_url("http://x");
    let dead = vats_api::v1::Client::builder()
        .base_url("http://127.0.0.1:9/crmapi/v1")
        .api_key(KEY)
        .retry_policy(http_plumbing::RetryPolicy::none())
        .build()
        .unwrap();
    let transport = dead.get_user(&Login::from("x")).await.unwrap_err();
    let pw = vats_api::v1::Password::new(KEY);
    let user = NewUser {
        password: Some(pw.clone()),
        ..NewUser::new("a")
    };
    let shown = format!(
        "{:?} {:?} {e} {e:?} {transport} {transport:?} {pw:?} {user:?}",
        pbx.client, builder
    );
    assert!(!shown.contains(KEY), "{shown}");
    // …while the wire form still carries the password.
    assert!(serde_json::to_string(&user).unwrap().contains(KEY));
}

#[tokio::test]
async fn builder_validates_its_configuration() {
    let no_key = vats_api::v1::Client::builder()
        .base_url("https://pbx.example/crmapi/v1")
        .build();
    assert!(matches!(no_key, Err(Error::Config(_))));
    let bad_url = vats_api::v1::Client::builder()
        .base_url("not a url")
        .api_key("k")
        .build();
    assert!(matches!(bad_url, Err(Error::Config(_))));
    let ok = vats_api::v1::Client::builder()
        .domain("pbx.example")
        .api_key("k")
        .build()
        .unwrap();
    assert_eq!(ok.base_url().as_str(), "https://pbx.example/crmapi/v1/");
}

#[tokio::test]
async fn path_ids_that_would_address_another_resource_are_refused_before_sending() {
    // The catch-all of `Pbx` fails the test if any request goes out.
    let pbx = Pbx::start().await;
    for id in ["", ".", ".."] {
        let e = pbx.client.delete_user(&Login::from(id)).await.unwrap_err();
        assert!(
            matches!(e, Error::InvalidInput(ref f) if f.field == "path"),
            "{id:?}: {e}"
        );
        let e = pbx
            .client
            .enable_telnum(&vats_api::v1::Telnum::from(id))
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidInput(_)), "{id:?}: {e}");
        let e = pbx
            .client
            .delete_group(&vats_api::v1::GroupId::from(id))
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidInput(_)), "{id:?}: {e}");
    }
}
