//! The blacklist (vendor document §11).

use super::text;
use serde::{Deserialize, Serialize, Serializer};

/// A blacklisted number or range (P35).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct BlacklistEntry {
    /// A number (`79998880011`) or a range with `*` (`7900800*`).
    #[serde(deserialize_with = "http_plumbing::lenient::string")]
    pub telnum: String,
    /// Why the number is blocked, as the administrator wrote it (empty when none).
    #[serde(default, deserialize_with = "text")]
    pub comment: String,
    /// Calls blocked this week (with `with=statistics`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub week: Option<u64>,
    /// Calls blocked this year (with `with=statistics`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub year: Option<u64>,
}

/// Numbers or ranges to blacklist with one comment (P36 `POST blacklist/telnums`).
///
/// Written as `{"telnum":"…","comment":"…"}` for one number and with `telnum` as an array for
/// several; read from a string, an array or a comma-separated string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct BlacklistAdd {
    /// Numbers or ranges (at least one).
    #[cfg_attr(
        feature = "openapi",
        schemars(schema_with = "http_plumbing::openapi::string_list")
    )]
    #[serde(
        serialize_with = "one_or_many",
        deserialize_with = "http_plumbing::lenient::string_list"
    )]
    pub telnum: Vec<String>,
    /// Why the numbers are blocked (stored with every number added).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub comment: Option<String>,
}

impl BlacklistAdd {
    /// One number or range with an optional comment.
    pub fn one(telnum: impl Into<String>, comment: Option<String>) -> Self {
        Self {
            telnum: vec![telnum.into()],
            comment,
        }
    }
}

fn one_or_many<S: Serializer>(v: &[String], s: S) -> Result<S::Ok, S::Error> {
    match v {
        [one] => s.serialize_str(one),
        many => many.serialize(s),
    }
}

/// Whether a blacklist pattern is valid: digits, optionally ending in one `*` (a range), at
/// least one digit, no `+`.
pub fn is_valid_blacklist_pattern(pattern: &str) -> bool {
    let digits = pattern.strip_suffix('*').unwrap_or(pattern);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a number falls under a pattern (`7900800*` covers `79008001234`).
pub fn blacklist_matches(pattern: &str, number: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => number.starts_with(prefix),
        None => number == pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_and_matching() {
        assert!(is_valid_blacklist_pattern("7900800*"));
        assert!(is_valid_blacklist_pattern("90080022"));
        assert!(!is_valid_blacklist_pattern("*"));
        assert!(!is_valid_blacklist_pattern("+7900"));
        assert!(!is_valid_blacklist_pattern("79*00"));
        assert!(blacklist_matches("7900800*", "79008001234"));
        assert!(!blacklist_matches("7900800", "79008001234"));
    }

    #[test]
    fn add_writes_one_as_string_and_many_as_array() {
        let one = BlacklistAdd::one("7900", Some("x".into()));
        assert_eq!(
            serde_json::to_string(&one).unwrap(),
            r#"{"telnum":"7900","comment":"x"}"#
        );
        let many = BlacklistAdd {
            telnum: vec!["1".into(), "2*".into()],
            comment: None,
        };
        assert_eq!(
            serde_json::to_string(&many).unwrap(),
            r#"{"telnum":["1","2*"]}"#
        );
        let back: BlacklistAdd = serde_json::from_str(r#"{"telnum":"1,2*"}"#).unwrap();
        assert_eq!(back.telnum, vec!["1", "2*"]);
    }
}
