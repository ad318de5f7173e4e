//! Streams over all pages: 0, 1 and many pages, a last partial page, CRM-chosen page size.

use crate::common::{ExactQuery, at, client_for, strict_server};
use futures::TryStreamExt;
use serde_json::{Value, json};
use universe_api::{Customer, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A strict server that answers each `(query, body)` exactly once.
async fn serve_pages(pages: Vec<(&str, Value)>) -> MockServer {
    let server = strict_server().await;
    for (query, body) in pages {
        Mock::given(method("GET"))
            .and(ExactQuery(query.to_owned()))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    server
}

/// Every client `export_clients_stream(Some(limit))` yields.
async fn all_clients(server: &MockServer, limit: u64) -> Vec<Customer> {
    client_for(server)
        .export_clients_stream(Some(limit))
        .try_collect()
        .await
        .unwrap()
}

fn clients(ids: std::ops::Range<u32>, total: u64, limit: u64) -> Value {
    let list: Vec<_> = ids
        .map(|i| json!({"id": i.to_string(), "name": format!("c{i}")}))
        .collect();
    // Numbers as strings on purpose, as the vendor document sends them.
    json!({"clients": list, "pagination": {"total_count": total.to_string(), "limit": limit.to_string()}})
}

fn orders(ids: std::ops::Range<u32>, total: u64, limit: u64) -> Value {
    let list: Vec<_> = ids
        .map(|i| json!({"id": i.to_string(), "name": "d", "date_create": 1_657_620_091 + i}))
        .collect();
    json!({"statuses": [{"id": "1", "name": "Новая"}], "orders": list,
           "pagination": {"total_count": total, "limit": limit}})
}

#[tokio::test]
async fn empty_selection_is_one_request_and_no_items() {
    let server = serve_pages(vec![(
        "action=export_clients&limit=2&offset=0",
        clients(0..0, 0, 2),
    )])
    .await;
    assert!(all_clients(&server, 2).await.is_empty());
}

#[tokio::test]
async fn single_page_is_one_request() {
    let server = serve_pages(vec![(
        "action=export_clients&limit=10&offset=0",
        clients(0..3, 3, 10),
    )])
    .await;
    let all = all_clients(&server, 10).await;
    let ids: Vec<_> = all.iter().map(|c| c.id.as_str().to_owned()).collect();
    assert_eq!(ids, ["0", "1", "2"]);
}

#[tokio::test]
async fn many_pages_with_a_last_partial_page() {
    let server = serve_pages(vec![
        (
            "action=export_clients&limit=2&offset=0",
            clients(0..2, 5, 2),
        ),
        (
            "action=export_clients&limit=2&offset=2",
            clients(2..4, 5, 2),
        ),
        (
            "action=export_clients&limit=2&offset=4",
            clients(4..5, 5, 2),
        ),
    ])
    .await;
    let all = all_clients(&server, 2).await;
    assert_eq!(all.len(), 5);
    assert_eq!(all[4].name, "c4");
}

#[tokio::test]
async fn exact_multiple_of_the_page_size_stops_without_an_extra_request() {
    let server = serve_pages(vec![
        (
            "action=export_clients&limit=2&offset=0",
            clients(0..2, 4, 2),
        ),
        (
            "action=export_clients&limit=2&offset=2",
            clients(2..4, 4, 2),
        ),
    ])
    .await;
    let pages: Vec<_> = client_for(&server)
        .export_clients_pages(Some(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
}

#[tokio::test]
async fn orders_first_request_without_limit_then_crm_limit_drives_paging() {
    let server = serve_pages(vec![
        ("action=export&date=1657497600&offset=0", orders(0..3, 7, 3)),
        (
            "action=export&date=1657497600&limit=3&offset=3",
            orders(3..6, 7, 3),
        ),
        (
            "action=export&date=1657497600&limit=3&offset=6",
            orders(6..7, 7, 3),
        ),
    ])
    .await;
    let all: Vec<_> = client_for(&server)
        .export_orders_stream(at(1_657_497_600), None)
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = all.iter().map(|o| o.id.as_str().to_owned()).collect();
    assert_eq!(ids, ["0", "1", "2", "3", "4", "5", "6"]);
}

#[tokio::test]
async fn crm_capping_the_limit_is_followed() {
    let server = serve_pages(vec![
        (
            "action=export&date=0&limit=100&offset=0",
            orders(0..2, 3, 2),
        ),
        ("action=export&date=0&limit=2&offset=2", orders(2..3, 3, 2)),
    ])
    .await;
    let pages: Vec<_> = client_for(&server)
        .export_orders_pages(at(0), Some(100))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].statuses[0].name, "Новая");
}

#[tokio::test]
async fn total_count_of_the_first_page_bounds_the_stream() {
    // The CRM's later pages claim more items; the stream stops at the first page's total.
    let server = serve_pages(vec![
        (
            "action=export_clients&limit=2&offset=0",
            clients(0..2, 3, 2),
        ),
        (
            "action=export_clients&limit=2&offset=2",
            clients(2..4, 100, 2),
        ),
    ])
    .await;
    assert_eq!(all_clients(&server, 2).await.len(), 4);
}

#[tokio::test]
async fn an_empty_page_before_total_ends_the_stream() {
    let server = serve_pages(vec![
        (
            "action=export_clients&limit=2&offset=0",
            clients(0..2, 10, 2),
        ),
        (
            "action=export_clients&limit=2&offset=2",
            clients(0..0, 10, 2),
        ),
    ])
    .await;
    assert_eq!(all_clients(&server, 2).await.len(), 2);
}

#[tokio::test]
async fn an_error_mid_stream_is_yielded_and_ends_it() {
    let server = serve_pages(vec![
        (
            "action=export_clients&limit=2&offset=0",
            clients(0..2, 6, 2),
        ),
        (
            "action=export_clients&limit=2&offset=2",
            json!({"status": "error", "message": "db down"}),
        ),
    ])
    .await;
    let results: Vec<_> =
        futures::StreamExt::collect::<Vec<_>>(client_for(&server).export_clients_stream(Some(2)))
            .await;
    assert_eq!(results.len(), 3);
    assert!(matches!(&results[2], Err(Error::Api { message, .. }) if message == "db down"));
}
