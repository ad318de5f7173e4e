//! Identifier newtypes. The protocol sends every id as a string; peers sometimes send numbers,
//! which are read as their text.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct $name(#[serde(deserialize_with = "http_plumbing::lenient::string")] String);

        impl $name {
            /// Wraps an id given as text.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id's text, by value.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<u64> for $name {
            fn from(n: u64) -> Self {
                Self(n.to_string())
            }
        }

        // Ordering, equality and hashing are the inner string's, so maps keyed by the id can be
        // looked up with a `&str`.
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// A deal status id (`statuses[].id`, `orders[].status`).
    StatusId
);
id_type!(
    /// An additional deal field id (`fields[].id`, the keys of `orders[].fields`).
    FieldId
);
id_type!(
    /// A manager id (`managers[].id`, `manager_id`).
    ManagerId
);
id_type!(
    /// A CRM client (customer) id (`clients[].id`, `orders[].client_id`).
    ClientId
);
id_type!(
    /// A deal (order, lead) id: `orders[].id`, the `order_id` a `lead` answers, `leadId`,
    /// `element_id`.
    OrderId
);
id_type!(
    /// A comment id, answered by `message`.
    MessageId
);
id_type!(
    /// A task id, answered by `task`.
    TaskId
);
id_type!(
    /// A call id: the external id sent in `call`'s `id`, and the CRM's id it answers.
    CallId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_numbers_as_text_and_write_strings() {
        let id: OrderId = serde_json::from_str("803").unwrap();
        assert_eq!(id.as_str(), "803");
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""803""#);
        let id: OrderId = serde_json::from_str(r#""x-1""#).unwrap();
        assert_eq!(id.to_string(), "x-1");
        assert_eq!(OrderId::from(7u64), OrderId::from("7"));
    }
}
