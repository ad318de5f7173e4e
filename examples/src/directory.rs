//! [`Directory`]: what the CRM knows about managers, clients and deals, loaded over Universe
//! (U1 `import_scheme`, U2 `export_clients`, U3 `export`), and the two lookups the bridge needs:
//! PBX user → manager, phone → deal.

use futures::TryStreamExt;
use std::collections::BTreeMap;
use universe_api::{Order, OrderId};

/// Managers, clients' phones and deals of the CRM.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Manager id → name (U1).
    pub managers: BTreeMap<String, String>,
    /// Normalised phone → client id (U2).
    pub phones: BTreeMap<String, String>,
    /// Client id → name (U2).
    pub client_names: BTreeMap<String, String>,
    /// The deals (U3), newest first.
    pub orders: Vec<Order>,
    /// PBX login or extension → manager id (configuration).
    pub pbx_logins: BTreeMap<String, String>,
}

impl Directory {
    /// Loads U1, every page of U2 and every page of U3 (all deals since the epoch).
    ///
    /// # Errors
    /// The first Universe error.
    pub async fn load(
        universe: &universe_api::Client,
        pbx_logins: BTreeMap<String, String>,
    ) -> universe_api::Result<Self> {
        let scheme = universe.import_scheme().await?;
        let clients: Vec<_> = universe.export_clients_stream(None).try_collect().await?;
        let mut orders: Vec<Order> = universe
            .export_orders_stream(chrono::DateTime::UNIX_EPOCH, None)
            .try_collect()
            .await?;
        orders.sort_by_key(|o| std::cmp::Reverse(o.date_create));
        Ok(Self {
            managers: scheme
                .managers
                .into_iter()
                .map(|m| (m.id.as_str().to_owned(), m.name))
                .collect(),
            phones: clients
                .iter()
                .filter_map(|c| Some((normalize_phone(c.phone.as_deref()?)?, c.id.to_string())))
                .collect(),
            client_names: clients
                .into_iter()
                .map(|c| (c.id.into_string(), c.name))
                .collect(),
            orders,
            pbx_logins,
        })
    }

    /// The CRM manager id of a PBX user: the configured map (by login, then by extension), or the
    /// user itself when it is a manager id the CRM knows. `None` when the manager is unknown.
    pub fn manager_for(&self, user: &str, ext: Option<&str>) -> Option<String> {
        let mapped = self
            .pbx_logins
            .get(user.trim())
            .or_else(|| ext.and_then(|e| self.pbx_logins.get(e.trim())))
            .cloned()
            .or_else(|| Some(user.trim().to_owned()))?;
        // A mapping to a manager the CRM does not have is no mapping (unless U1 listed none).
        (self.managers.is_empty() || self.managers.contains_key(&mapped)).then_some(mapped)
    }

    /// The deal to attach a call with `phone` to: the newest deal of the client with that phone
    /// (preferring one of `manager`), if any.
    pub fn deal_for(&self, phone: &str, manager: Option<&str>) -> Option<OrderId> {
        let client = self.phones.get(&normalize_phone(phone)?)?;
        let of_client = || {
            self.orders
                .iter()
                .filter(|o| o.client_id.as_ref().is_some_and(|c| c.as_str() == client))
        };
        of_client()
            .find(|o| {
                manager.is_some_and(|m| o.manager_id.as_ref().is_some_and(|id| id.as_str() == m))
            })
            .or_else(|| of_client().next())
            .map(|o| o.id.clone())
    }

    /// V3/L5 `contact`: the client's name and the PBX login of the manager of their newest
    /// deal, for a phone the CRM knows.
    pub fn contact_for(&self, phone: &str) -> Option<(String, Option<String>)> {
        let client = self.phones.get(&normalize_phone(phone)?)?;
        let name = self.client_names.get(client).cloned().unwrap_or_default();
        let manager = self
            .orders
            .iter()
            .find(|o| o.client_id.as_ref().is_some_and(|c| c.as_str() == client))
            .and_then(|o| o.manager_id.as_ref());
        let login = manager.and_then(|m| {
            self.pbx_logins
                .iter()
                .find(|(_, id)| id.as_str() == m.as_str())
                .map(|(login, _)| login.clone())
        });
        Some((name, login))
    }

    /// Remembers a deal created for a new client (after U4), so the next call finds it.
    pub fn add_deal(&mut self, phone: &str, order: Order) {
        if let (Some(p), Some(client)) = (normalize_phone(phone), order.client_id.clone()) {
            self.phones.insert(p, client.into_string());
        }
        self.orders.insert(0, order);
    }
}

/// A Russian phone number as 11 digits starting with `7` (`8 923 410-29-93` → `79234102993`,
/// `9234102993` → `79234102993`); other numbers as their digits. `None` without digits.
pub fn normalize_phone(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        0 => None,
        10 => Some(format!("7{digits}")),
        11 if digits.starts_with('8') => Some(format!("7{}", digits.get(1..).unwrap_or_default())),
        _ => Some(digits),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn directory() -> Directory {
        let order = |id: &str, client: &str, manager: &str, t: i64| Order {
            id: id.into(),
            client_id: Some(client.into()),
            manager_id: Some(manager.into()),
            date_create: chrono::DateTime::from_timestamp(t, 0).unwrap(),
            ..Order::default()
        };
        Directory {
            managers: [("72".to_owned(), "Иванова".to_owned())].into(),
            phones: [("79234102993".to_owned(), "8".to_owned())].into(),
            client_names: [("8".to_owned(), "Иванова Марина".to_owned())].into(),
            orders: vec![order("200", "8", "73", 20), order("199", "8", "72", 10)],
            pbx_logins: [("admin".to_owned(), "72".to_owned())].into(),
        }
    }

    #[test]
    fn phones_are_normalised_to_eleven_digits() {
        assert_eq!(normalize_phone("8 (923) 410-29-93").unwrap(), "79234102993");
        assert_eq!(normalize_phone("+7 923 410 29 93").unwrap(), "79234102993");
        assert_eq!(normalize_phone("9234102993").unwrap(), "79234102993");
        assert_eq!(normalize_phone("701").unwrap(), "701");
        assert_eq!(normalize_phone("—"), None);
    }

    #[test]
    fn maps_pbx_user_to_a_known_manager_only() {
        let d = directory();
        assert_eq!(d.manager_for("admin", None).unwrap(), "72");
        assert_eq!(d.manager_for("72", None).unwrap(), "72");
        assert_eq!(d.manager_for("nobody", None), None);
    }

    #[test]
    fn picks_the_managers_deal_of_the_client_else_the_newest() {
        let d = directory();
        assert_eq!(
            d.deal_for("89234102993", Some("72")).unwrap().as_str(),
            "199"
        );
        assert_eq!(
            d.deal_for("89234102993", Some("74")).unwrap().as_str(),
            "200"
        );
        assert_eq!(d.deal_for("70000000000", None), None);
    }

    #[test]
    fn contact_names_the_client_and_the_responsible_login() {
        let d = directory();
        let (name, login) = d.contact_for("+79234102993").unwrap();
        assert_eq!(name, "Иванова Марина");
        assert_eq!(login, None, "deal 200's manager 73 has no PBX login");
        assert_eq!(d.contact_for("123"), None);
    }
}
