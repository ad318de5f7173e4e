//! SIM cards (vendor document §10).

use super::ids::{Login, Telnum};
use super::{flag, text};
use serde::{Deserialize, Serialize};

/// A SIM card (P29, P30).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Sim {
    /// The SIM's number.
    pub telnum: Telnum,
    /// Login of the employee it is assigned to (`""` when none).
    #[serde(default, deserialize_with = "text")]
    pub user: String,
    /// That employee's name.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub user_name: Option<String>,
    /// A company-wide number.
    #[serde(default, deserialize_with = "flag")]
    pub company: bool,
    /// A number for automatic notifications.
    #[serde(default, deserialize_with = "flag")]
    pub autocaller: bool,
    /// Switched off.
    #[serde(default, deserialize_with = "flag")]
    pub disabled: bool,
    /// Calls from the CRM (call tracking).
    #[serde(default, deserialize_with = "text")]
    pub calltracking: String,
    /// Additional city number.
    #[serde(default, deserialize_with = "text")]
    pub abc_telnum: String,
    /// Region of the additional number.
    #[serde(default, deserialize_with = "text")]
    pub abc_location: String,
}

impl Sim {
    /// The login it is assigned to, if any.
    pub fn assigned_user(&self) -> Option<Login> {
        (!self.user.is_empty()).then(|| Login::from(self.user.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_seed_sim() {
        let s: Sim = serde_json::from_str(
            r#"{"telnum":"79261238888","user":"","company":true,"autocaller":false,"disabled":false,
            "calltracking":"roistat","abc_telnum":"74872123456","abc_location":"Москва"}"#,
        )
        .unwrap();
        assert!(s.company);
        assert_eq!(s.assigned_user(), None);
        assert_eq!(s.abc_location, "Москва");
    }
}
