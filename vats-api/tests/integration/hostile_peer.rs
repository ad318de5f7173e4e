//! Every vats-api client and notifier against a peer that redirects to another origin (another
//! port): the key, password and tokens never arrive there; answer bodies are capped.

use crate::common_support::*;
use vats_api::Error;
use vats_api::legacy::{Client as LegacyClient, LegacyCrmNotifier, LoginRequest};
use vats_api::v1::Client;
use vats_api::v1::push::CrmNotifier;
use wiremock::matchers::{any, header_exists, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A peer whose every answer is a 307 to the same path and query on `thief`.
async fn redirecting_to(thief: &MockServer) -> MockServer {
    let origin = MockServer::start().await;
    let target = thief.uri();
    Mock::given(any())
        .respond_with(move |req: &Request| {
            let q = req.url.query().map(|q| format!("?{q}")).unwrap_or_default();
            ResponseTemplate::new(307).insert_header(
                "Location",
                format!("{target}{}{q}", req.url.path()).as_str(),
            )
        })
        .mount(&origin)
        .await;
    origin
}

async fn assert_nothing_arrived(thief: &MockServer) {
    assert_eq!(thief.received_requests().await.unwrap().len(), 0);
}

#[tokio::test]
async fn the_v1_client_never_sends_its_key_through_a_cross_origin_redirect() {
    let thief = MockServer::start().await;
    let origin = redirecting_to(&thief).await;
    let c = Client::builder()
        .base_url(format!("{}/crmapi/v1", origin.uri()))
        .api_key("TOPSECRET")
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    let e = c.block_anonymous_state().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(307));
    assert_nothing_arrived(&thief).await;
}

#[tokio::test]
async fn download_record_follows_a_redirect_to_storage_without_the_key() {
    let storage = MockServer::start().await;
    Mock::given(path("/rec.mp3"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"ID3audio".to_vec()))
        .mount(&storage)
        .await;
    let pbx = MockServer::start().await;
    Mock::given(path("/records/1"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("Location", format!("{}/rec.mp3", storage.uri())),
        )
        .mount(&pbx)
        .await;
    let c = Client::builder()
        .base_url(format!("{}/crmapi/v1", pbx.uri()))
        .api_key("TOPSECRET")
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    let audio = c
        .download_record(&format!("{}/records/1", pbx.uri()))
        .await
        .unwrap();
    assert_eq!(&audio[..], b"ID3audio");
    // The PBX got the key; storage got neither the key nor a Referer.
    let at_pbx = pbx.received_requests().await.unwrap();
    assert!(at_pbx[0].headers.contains_key("x-api-key"));
    let at_storage = storage.received_requests().await.unwrap();
    assert_eq!(at_storage.len(), 1);
    assert!(!at_storage[0].headers.contains_key("x-api-key"));
    assert!(!at_storage[0].headers.contains_key("referer"));
}

#[tokio::test]
async fn download_record_is_capped_by_max_download_body() {
    let pbx = MockServer::start().await;
    Mock::given(header_exists("x-api-key"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0u8; 4096]))
        .mount(&pbx)
        .await;
    let c = Client::builder()
        .base_url(pbx.uri())
        .api_key("k")
        .max_download_body(1000)
        .build()
        .unwrap();
    let e = c
        .download_record(&format!("{}/rec.wav", pbx.uri()))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::BodyTooLarge { limit: 1000, .. }), "{e}");
}

#[tokio::test]
async fn the_v1_client_refuses_an_answer_over_max_response_body() {
    let pbx = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"state": true, "pad": "{}"}}"#,
            "x".repeat(4096)
        )))
        .mount(&pbx)
        .await;
    let c = Client::builder()
        .base_url(pbx.uri())
        .api_key("k")
        .max_response_body(1024)
        .build()
        .unwrap();
    let e = c.block_anonymous_state().await.unwrap_err();
    assert!(matches!(e, Error::BodyTooLarge { limit: 1024, .. }), "{e}");
}

#[tokio::test]
async fn the_legacy_client_never_replays_its_password_to_another_origin() {
    let thief = MockServer::start().await;
    let origin = redirecting_to(&thief).await;
    let c = LegacyClient::builder()
        .base_url(origin.uri())
        .token("TOPSECRET-TOKEN")
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    let login = LoginRequest {
        crm_code: "mycrm".into(),
        login: "admin".into(),
        password: "TOPSECRET".into(),
        crm_token: "TOPSECRET-CRM".into(),
        url: "https://crm.example/crm_integration.php".into(),
        redirect_url: None,
        self_map: false,
    };
    assert!(c.login(&login).await.is_err());
    assert!(c.accounts().await.is_err());
    assert_nothing_arrived(&thief).await;
}

#[tokio::test]
async fn push_notifiers_never_deliver_crm_token_to_another_origin() {
    let thief = MockServer::start().await;
    let origin = redirecting_to(&thief).await;
    let url = format!("{}/crm_integration.php", origin.uri());
    let v1 = CrmNotifier::builder()
        .url(url.as_str())
        .crm_token(SEED_CRM_TOKEN)
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    let event = vats_api::v1::push::EventPush {
        event_type: vats_api::EventType::Incoming,
        phone: "79101234567".into(),
        diversion: None,
        user: "admin".into(),
        group_real_name: None,
        ext: None,
        telnum: None,
        direction: None,
        callid: "c-1".into(),
    };
    assert!(v1.event(&event).await.is_err());
    let legacy = LegacyCrmNotifier::builder()
        .url(url.as_str())
        .crm_token(SEED_CRM_TOKEN)
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    assert!(legacy.users().await.is_err());
    assert_nothing_arrived(&thief).await;
}
