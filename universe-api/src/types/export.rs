//! U2 `export_clients` and U3 `export`: clients, deals (orders) and pagination.

use crate::types::ids::{ClientId, FieldId, ManagerId, OrderId, StatusId};
use crate::types::scheme::{Field, Manager, Scheme, Status};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `pagination` object of a page.
///
/// Read from numbers or numeric strings (`"total_count": "3"`); written as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Pagination {
    /// How many items the whole selection has; the same on every page.
    #[serde(default, deserialize_with = "crate::types::wire::count")]
    pub total_count: u64,
    /// The page size the CRM used for this answer (`null` or blank reads as 0: unknown).
    #[serde(default, deserialize_with = "crate::types::wire::count")]
    pub limit: u64,
}

/// Which page to ask for: `offset` items skipped, at most `limit` returned.
///
/// Without `limit` the CRM picks the page size and tells it in `pagination.limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PageRequest {
    /// How many items from the start of the selection to skip.
    pub offset: u64,
    /// How many items to return; `None` lets the CRM decide.
    pub limit: Option<u64>,
}

impl PageRequest {
    /// The first page, of the CRM's size.
    pub fn first() -> Self {
        Self::default()
    }

    /// A page at `offset` of `limit` items.
    pub fn new(offset: u64, limit: u64) -> Self {
        Self {
            offset,
            limit: Some(limit),
        }
    }
}

/// A customer of the sales office as the CRM keeps it: one of U2's `clients[]` (the wire calls
/// customers "clients"; this crate's [`Client`](crate::Client) is the HTTP client).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Customer {
    /// The CRM's id of the customer (`"4711"`; a number on the wire is read as its text).
    pub id: ClientId,
    /// Full name or company name, as the CRM shows it (`Иванов Пётр`); empty when unknown.
    #[serde(default, deserialize_with = "crate::types::wire::text")]
    pub name: String,
    /// The client's phone, as the CRM stores it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub phone: Option<String>,
    /// The client's e-mail, as the CRM stores it (the vendor document's example puts a phone number here:
    /// it is kept as sent, not validated).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub email: Option<String>,
}

/// U2's answer: one page of clients.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ClientsPage {
    /// The clients on this page.
    #[serde(default, deserialize_with = "crate::types::wire::list")]
    pub clients: Vec<Customer>,
    /// The selection's size and the page size. Missing in an answer, it reads as zeros.
    #[serde(default)]
    pub pagination: Pagination,
}

/// A deal's cost price (`orders[].cost`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Cost {
    /// The amount; read from a number or a string, written as a string.
    #[serde(deserialize_with = "http_plumbing::lenient::from_str")]
    pub value: Decimal,
    /// The currency (`"RUB"`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub currency: Option<String>,
}

/// A deal, one of U3's `orders[]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Order {
    /// The CRM's id of the deal (`"803"`); the `leadId` / `element_id` of U5 and U6.
    pub id: OrderId,
    /// The deal's name.
    #[serde(default, deserialize_with = "crate::types::wire::text")]
    pub name: String,
    /// When the deal was created. Written as Unix seconds in a string; read from Unix seconds
    /// (string or number), `YYYY-MM-DD HH:MM[:SS]` (UTC) or RFC 3339.
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "crate::openapi::schemas::unix_time")
    )]
    #[serde(with = "crate::types::time::unix")]
    pub date_create: DateTime<Utc>,
    /// The deal's status id (one of the scheme's `statuses`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::types::wire::opt_id"
    )]
    pub status: Option<StatusId>,
    /// The deal's amount; read from a number or a string, written as a string.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub price: Option<Decimal>,
    /// The deal's cost price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
    /// The (external) visit number stored with the deal.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub visit: Option<String>,
    /// The customer the deal belongs to ([`Customer::id`]).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::types::wire::opt_id"
    )]
    pub client_id: Option<ClientId>,
    /// The responsible manager's id.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::types::wire::opt_id"
    )]
    pub manager_id: Option<ManagerId>,
    /// Additional field values, field id → value. Written as one object; read from an object,
    /// a list of one-entry objects, a list of `{"id","value"}` or an empty list.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "crate::types::wire::fields_map"
    )]
    pub fields: BTreeMap<FieldId, String>,
}

/// U3's answer: the scheme's three lists, the pagination and one page of deals.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct OrdersPage {
    /// Deal statuses (as in U1).
    #[serde(default, deserialize_with = "crate::types::wire::list")]
    pub statuses: Vec<Status>,
    /// Additional deal fields (as in U1).
    #[serde(default, deserialize_with = "crate::types::wire::list")]
    pub fields: Vec<Field>,
    /// Managers (as in U1).
    #[serde(default, deserialize_with = "crate::types::wire::list")]
    pub managers: Vec<Manager>,
    /// The selection's size and the page size. Missing in an answer, it reads as zeros.
    #[serde(default)]
    pub pagination: Pagination,
    /// The deals on this page.
    #[serde(default, deserialize_with = "crate::types::wire::list")]
    pub orders: Vec<Order>,
}

impl OrdersPage {
    /// A page built from a scheme, the page's deals and the selection's total size.
    /// `pagination.limit` is left for the dispatcher to fill with the page size it used.
    pub fn new(scheme: Scheme, orders: Vec<Order>, total_count: u64) -> Self {
        Self {
            statuses: scheme.statuses,
            fields: scheme.fields,
            managers: scheme.managers,
            pagination: Pagination {
                total_count,
                limit: 0,
            },
            orders,
        }
    }

    /// The page's scheme lists, cloned.
    pub fn scheme(&self) -> Scheme {
        Scheme {
            statuses: self.statuses.clone(),
            fields: self.fields.clone(),
            managers: self.managers.clone(),
        }
    }
}

impl ClientsPage {
    /// A page built from its clients and the selection's total size.
    /// `pagination.limit` is left for the dispatcher to fill with the page size it used.
    pub fn new(clients: Vec<Customer>, total_count: u64) -> Self {
        Self {
            clients,
            pagination: Pagination {
                total_count,
                limit: 0,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn money_reads_numbers_and_strings_and_writes_strings() {
        let o: Order = serde_json::from_str(
            r#"{"id":1,"date_create":1657620091,"price":123.123,"cost":{"value":"10.50","currency":"RUB"}}"#,
        )
        .unwrap();
        assert_eq!(o.price, Some(Decimal::from_str("123.123").unwrap()));
        assert_eq!(
            o.cost.as_ref().unwrap().value,
            Decimal::from_str("10.50").unwrap()
        );
        let v = serde_json::to_value(&o).unwrap();
        assert_eq!(v["price"], "123.123");
        assert_eq!(v["cost"]["value"], "10.50");
        assert_eq!(v["date_create"], "1657620091");
    }

    #[test]
    fn date_create_reads_the_text_form() {
        let o: Order =
            serde_json::from_str(r#"{"id":"1","date_create":"2022-07-12 10:01"}"#).unwrap();
        assert_eq!(o.date_create.to_rfc3339(), "2022-07-12T10:01:00+00:00");
    }

    #[test]
    fn bad_price_names_the_value() {
        let e = serde_json::from_str::<Order>(r#"{"id":"1","date_create":"1","price":"lots"}"#)
            .unwrap_err();
        assert!(e.to_string().contains("lots"), "{e}");
    }
}
