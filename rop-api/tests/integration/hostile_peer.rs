//! The ROP client and the webhook sender against a peer that redirects to another origin
//! (another port): the key and the payload never arrive there, no `Referer`; bodies are capped.

use crate::{KEY, fast_retry, fixture};
use rop_api::{CallId, ChecklistResult, Client, Error, TableId, WebhookSender};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A peer whose every answer is `status` to the same path and query on `thief`.
async fn redirecting_to(thief: &MockServer, status: u16) -> MockServer {
    let origin = MockServer::start().await;
    let target = thief.uri();
    Mock::given(any())
        .respond_with(move |req: &Request| {
            let q = req.url.query().map(|q| format!("?{q}")).unwrap_or_default();
            ResponseTemplate::new(status).insert_header(
                "Location",
                format!("{target}{}{q}", req.url.path()).as_str(),
            )
        })
        .mount(&origin)
        .await;
    origin
}

#[tokio::test]
async fn the_client_never_follows_a_redirect_to_another_origin_with_its_key() {
    let thief = MockServer::start().await;
    for status in [301, 302, 307, 308] {
        let origin = redirecting_to(&thief, status).await;
        let c = Client::builder()
            .base_url(format!("{}/api/v1", origin.uri()))
            .api_key(KEY)
            .retry_policy(fast_retry())
            .build()
            .unwrap();
        let e = c
            .call_ready(&TableId::from("TBL_1"), &CallId::from("c-1"))
            .await
            .unwrap_err();
        assert_eq!(e.status().map(|s| s.as_u16()), Some(status));
        let seen = origin.received_requests().await.unwrap();
        assert!(seen.iter().all(|r| !r.headers.contains_key("referer")));
    }
    assert!(thief.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_webhook_sender_never_replays_its_body_to_another_origin() {
    let thief = MockServer::start().await;
    let origin = redirecting_to(&thief, 307).await;
    let sender = WebhookSender::builder()
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    let result: ChecklistResult = serde_json::from_value(fixture("w1_001.json")).unwrap();
    let url = format!("{}/hooks/w1", origin.uri()).parse().unwrap();
    let report = sender.send_checklist_result(&url, &result).await;
    assert!(!report.delivered);
    assert_eq!(report.status.map(|s| s.as_u16()), Some(307));
    assert!(thief.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_client_and_the_sender_refuse_an_answer_over_the_cap() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b' '; 8192]))
        .mount(&server)
        .await;
    let c = Client::builder()
        .base_url(format!("{}/api/v1", server.uri()))
        .api_key(KEY)
        .max_response_body(4096)
        .build()
        .unwrap();
    let e = c
        .call_ready(&TableId::from("TBL_1"), &CallId::from("c-1"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::BodyTooLarge { limit: 4096, .. }), "{e}");
    let sender = WebhookSender::builder()
        .max_response_body(4096)
        .build()
        .unwrap();
    let result: ChecklistResult = serde_json::from_value(fixture("w1_001.json")).unwrap();
    let url = format!("{}/hooks/w1", server.uri()).parse().unwrap();
    let report = sender.send_checklist_result(&url, &result).await;
    assert!(!report.delivered);
    assert!(report.error.unwrap().contains("4096-byte limit"));
}

#[tokio::test]
async fn a_query_or_form_field_that_is_not_utf8_is_a_400_naming_it() {
    use crate::dispatcher::{body, dispatcher, get, post};
    let d = dispatcher();
    let resp = d
        .dispatch(get(&format!(
            "/api/v1/tables/call-ready?tab=T1&call=%C3%28&apiKey={KEY}"
        )))
        .await;
    assert_eq!(resp.status().as_u16(), 400);
    assert!(body(&resp).to_string().contains("call"), "{}", body(&resp));
    let resp = d
        .dispatch(post(
            &format!("/api/v1/calls?apiKey={KEY}"),
            "application/x-www-form-urlencoded",
            "call_id=%FF%FE&manager_id=1",
        ))
        .await;
    assert_eq!(resp.status().as_u16(), 400);
    let shown = body(&resp).to_string();
    assert!(
        shown.contains("call_id") && shown.contains("UTF-8"),
        "{shown}"
    );
}
