//! The Universe client against a peer that redirects to another origin (another port): neither
//! the Basic login nor the request body arrive there; answers are capped.

use crate::common::{LOGIN, PASSWORD};
use universe_api::{Client, Error, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[tokio::test]
async fn the_client_never_follows_a_redirect_to_another_origin() {
    let thief = MockServer::start().await;
    let origin = MockServer::start().await;
    let target = thief.uri();
    Mock::given(any())
        .respond_with(move |req: &Request| {
            ResponseTemplate::new(307)
                .insert_header("Location", format!("{target}{}", req.url.path()).as_str())
        })
        .mount(&origin)
        .await;
    let c = Client::builder()
        .base_url(origin.uri())
        .credentials(LOGIN, PASSWORD)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let e = c.import_scheme().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(307));
    assert!(thief.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_answer_over_max_response_body_is_refused() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b' '; 8192]))
        .mount(&server)
        .await;
    let c = Client::builder()
        .base_url(server.uri())
        .credentials(LOGIN, PASSWORD)
        .max_response_body(2048)
        .build()
        .unwrap();
    let e = c.import_scheme().await.unwrap_err();
    assert!(matches!(e, Error::BodyTooLarge { limit: 2048, .. }), "{e}");
}

#[tokio::test]
async fn a_query_field_that_is_not_utf8_is_a_400_naming_it() {
    let d = universe_api::Dispatcher::new(
        crate::common::TestCrm::from_fixtures(),
        universe_api::ServerAuth::basic(LOGIN, PASSWORD),
    );
    let resp = d
        .dispatch(crate::common::get(
            "/analytics?action=call&call_id=%FF%FE&phone=79001234567",
        ))
        .await;
    assert_eq!(resp.status().as_u16(), 400);
    let text = String::from_utf8_lossy(resp.body()).into_owned();
    assert!(text.contains("call_id"), "{text}");
    assert!(!text.contains('\u{fffd}'), "{text}");
}
