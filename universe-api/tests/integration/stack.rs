//! The whole stack over loopback: the client against the dispatcher served by axum.

use crate::common::{LOGIN, PASSWORD, TestCrm, dispatcher};
use futures::TryStreamExt;
use universe_api::{Client, Error, LeadRequest, MessageRequest, PageLimits};

async fn serve() -> String {
    let crm = dispatcher(TestCrm::from_fixtures()).with_page_limits(PageLimits {
        default_limit: 2,
        max_limit: 2,
    });
    // Mounted under a prefix of the app's choosing: the client's base URL names the prefix.
    let router = axum::Router::new().nest("/crm", crm.into_router());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}/crm")
}

#[tokio::test]
async fn client_and_dispatcher_agree_over_http() {
    let base = serve().await;
    let crm = Client::builder()
        .base_url(&base)
        .credentials(LOGIN, PASSWORD)
        .build()
        .unwrap();
    assert_eq!(crm.import_scheme().await.unwrap().statuses.len(), 5);
    // The CRM picks page size 2; the stream follows it over 3 pages.
    let orders: Vec<_> = crm
        .export_orders_stream(crate::common::at(0), None)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orders.len(), 5);
    let clients: Vec<_> = crm.export_clients_stream(None).try_collect().await.unwrap();
    assert_eq!(clients.len(), 3);
    let mut lead = LeadRequest::new("Звонок с сайта");
    lead.data.insert("utm".into(), r#"{"a":"b c"}"#.into());
    assert_eq!(
        crm.create_lead(&lead).await.unwrap().order_id.as_str(),
        "803"
    );
    let err = crm
        .add_message(&MessageRequest::new("999", "x"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { status, message, .. } if status.as_u16() == 404 && message == "no deal 999"),
        "{err:?}"
    );

    let wrong = Client::builder()
        .base_url(&base)
        .credentials(LOGIN, "wrong")
        .build()
        .unwrap();
    let err = wrong.import_scheme().await.unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 401);
}
