//! Newtypes for the identifiers of the protocol.
//!
//! Every id is text on the wire. Readers also accept a number (`"manager_id": 12345`) and keep
//! its decimal text; writers always emit a JSON string.

use std::fmt;

macro_rules! id_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct $name(
            #[serde(deserialize_with = "http_plumbing::lenient::string")] String,
        );

        impl $name {
            /// Wraps an id.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id's text, consuming the id.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_newtype!(
    /// A call's id in the CRM (`call_id`, R5's `call`), e.g. `call_789456`.
    CallId
);
id_newtype!(
    /// A manager's id in the CRM (`manager_id`, office member lists).
    ManagerId
);
id_newtype!(
    /// A deal's id in the CRM (`deal_id`).
    DealId
);
id_newtype!(
    /// A deal stage's id in the CRM (`deal_stage_id`).
    DealStageId
);
id_newtype!(
    /// An analytics table's id in ROP (`table_id`, R5's `tab`), e.g. `TBL_1755863365`.
    TableId
);
id_newtype!(
    /// An office's id in the CRM (`office_id`).
    OfficeId
);
id_newtype!(
    /// A checklist stage's id in ROP (`stage_id`), e.g. `URC_S_1755863272`.
    StageId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_strings_and_numbers_and_write_strings() {
        let a: CallId = serde_json::from_str("\"call_1\"").unwrap();
        let b: ManagerId = serde_json::from_str("12345").unwrap();
        assert_eq!(a.as_str(), "call_1");
        assert_eq!(b.to_string(), "12345");
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"12345\"");
        assert_eq!(CallId::from("x"), CallId::new(String::from("x")));
        assert_eq!(String::from(TableId::from("t")), "t");
    }
}
