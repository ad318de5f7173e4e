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
    /// Login of the employee it is assigned to (`u704`); `None` when it belongs to the company
    /// or nobody (written `""` then, as the PBX does).
    #[serde(
        default,
        serialize_with = "super::history::empty_when_none",
        deserialize_with = "opt_login"
    )]
    pub user: Option<Login>,
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
    /// The SIM is switched off: it neither makes nor takes calls.
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

/// A login that may be absent: `null`, a missing field and `""` are `None`.
fn opt_login<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Login>, D::Error> {
    Ok(http_plumbing::lenient::opt_string(d)?.map(Login::from))
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
        assert_eq!(s.user, None);
        assert_eq!(s.abc_location, "Москва");
    }
}
