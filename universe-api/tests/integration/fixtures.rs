//! Every vendor-document example (made valid JSON) decodes, and re-encodes to the canonical form.

use crate::common::{fixture, json_fixture};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::str::FromStr;
use universe_api::{
    CallAdded, CallStatus, ClientsPage, Decimal, LeadCreated, MessageAdded, OrdersPage, Scheme,
    TaskAdded,
};

/// Decodes a fixture, re-encodes it and decodes that again: the value must survive.
fn round_trip<T: DeserializeOwned + Serialize + PartialEq + Debug>(
    name: &str,
) -> (T, serde_json::Value) {
    let value: T = serde_json::from_str(&fixture(name)).unwrap();
    let encoded = serde_json::to_value(&value).unwrap();
    let again: T = serde_json::from_value(encoded.clone()).unwrap();
    assert_eq!(value, again, "{name} does not survive a round trip");
    (value, encoded)
}

#[test]
fn import_scheme_example_round_trips() {
    let (scheme, encoded) = round_trip::<Scheme>("import_scheme.json");
    assert_eq!(scheme.statuses.len(), 5);
    assert_eq!(scheme.fields.last().unwrap().name, "Филиал");
    assert_eq!(scheme.managers[0].id.as_str(), "72");
    // Nothing lost: the canonical form of this example is the example itself.
    assert_eq!(encoded, json_fixture("import_scheme.json"));
}

#[test]
fn export_clients_example_round_trips_with_numeric_pagination() {
    let (page, encoded) = round_trip::<ClientsPage>("export_clients.json");
    assert_eq!(page.clients.len(), 3);
    assert_eq!(page.clients[1].email.as_deref(), Some("88000000000"));
    assert_eq!(
        (page.pagination.total_count, page.pagination.limit),
        (3, 1000)
    );
    assert_eq!(
        encoded["pagination"],
        serde_json::json!({"total_count": 3, "limit": 1000})
    );
    assert_eq!(
        encoded["clients"],
        json_fixture("export_clients.json")["clients"]
    );
}

#[test]
fn export_example_round_trips() {
    let (page, encoded) = round_trip::<OrdersPage>("export.json");
    assert_eq!(page.orders.len(), 5);
    assert_eq!(page.pagination.total_count, 5);
    assert_eq!(page.orders[4].visit.as_deref(), Some("437272"));
    assert_eq!(page.orders[0].date_create.timestamp(), 1_657_620_091);
    assert_eq!(encoded["orders"], json_fixture("export.json")["orders"]);
}

#[test]
fn full_order_reads_tolerant_forms_and_writes_canonical_ones() {
    let (page, encoded) = round_trip::<OrdersPage>("export_full_order.json");
    let order = &page.orders[0];
    assert_eq!(order.id.as_str(), "203");
    assert_eq!(order.price, Some(Decimal::from_str("123.123").unwrap()));
    assert_eq!(
        order.cost.as_ref().unwrap().value,
        Decimal::from_str("100.5").unwrap()
    );
    assert_eq!(order.date_create.to_rfc3339(), "2022-07-12T10:35:00+00:00");
    assert_eq!(order.fields["1"], "https://www.google.ru");
    assert_eq!(order.manager_id.as_ref().unwrap().as_str(), "72");
    assert_eq!(
        encoded["orders"][0],
        serde_json::json!({
            "id": "203",
            "name": "Сделка",
            "date_create": "1657622100",
            "status": "1",
            "price": "123.123",
            "cost": {"value": "100.5", "currency": "RUB"},
            "visit": "437272",
            "client_id": "7",
            "manager_id": "72",
            "fields": {"1": "https://www.google.ru", "2": "seo_google_"}
        })
    );
}

#[test]
fn ok_answers_round_trip_exactly() {
    let (a, e) = round_trip::<LeadCreated>("lead_answer.json");
    assert_eq!(
        (a.order_id.as_str(), e),
        ("803", json_fixture("lead_answer.json"))
    );
    let (a, e) = round_trip::<MessageAdded>("message_answer.json");
    assert_eq!(
        (a.message_id.as_str(), e),
        ("810", json_fixture("message_answer.json"))
    );
    let (a, e) = round_trip::<TaskAdded>("task_answer.json");
    assert_eq!(
        (a.task_id.as_str(), e),
        ("811", json_fixture("task_answer.json"))
    );
    let (a, e) = round_trip::<CallAdded>("call_answer.json");
    assert_eq!(
        (a.call_id.as_str(), e),
        ("814", json_fixture("call_answer.json"))
    );
}

#[test]
fn missing_lists_and_null_read_as_empty() {
    let page: OrdersPage = serde_json::from_str(r#"{"orders":null,"statuses":null}"#).unwrap();
    assert!(page.orders.is_empty() && page.statuses.is_empty());
    assert_eq!(page.pagination.total_count, 0);
}

#[test]
fn call_status_from_the_seed_example_is_answer() {
    assert_eq!(CallStatus::parse("answered"), CallStatus::Answer);
}

#[test]
fn blank_and_null_scalars_read_as_absent() {
    let page: OrdersPage = serde_json::from_str(
        r#"{"pagination":{"total_count":" 3 ","limit":null},
            "orders":[{"id":1,"name":null,"date_create":1657620091,"price":"","cost":{"value":100},
                       "status":"","manager_id":null,"visit":"","fields":{}}]}"#,
    )
    .unwrap();
    assert_eq!((page.pagination.total_count, page.pagination.limit), (3, 0));
    let o = &page.orders[0];
    assert_eq!(o.price, None);
    assert_eq!(o.cost.as_ref().unwrap().value, Decimal::from(100));
    assert_eq!(o.date_create.timestamp(), 1_657_620_091);
    assert_eq!((o.status.as_ref(), o.manager_id.as_ref()), (None, None));
}
