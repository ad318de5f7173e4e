//! [`string_id!`](crate::string_id): the one declaration of the workspace's id newtypes.

/// Declares a string id newtype: text on the wire, read leniently (a JSON number is kept as
/// its decimal text, `12345` → `"12345"`), always written as a JSON string.
///
/// The type gets `new`, `as_str`, `into_string`, `Display`, `From<String>`, `From<&str>`,
/// `From<Id> for String`, `AsRef<str>`, `Borrow<str>` (maps keyed by the id can be looked up
/// with a `&str`), `Default`, equality, ordering and hashing of the text. A macro because each
/// id is its own named type; the calling crate depends on `serde` and `http_plumbing`.
///
/// ```
/// http_plumbing::string_id!(
///     /// A deal's id in the CRM (`deal_456789`).
///     DealId
/// );
///
/// let id: DealId = serde_json::from_str("803")?;
/// assert_eq!((id.as_str(), serde_json::to_string(&id)?.as_str()), ("803", r#""803""#));
/// assert_eq!(DealId::from("x").into_string(), "x");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[macro_export]
macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, ::serde::Serialize,
            ::serde::Deserialize,
        )]
        #[cfg_attr(feature = "openapi", derive(::schemars::JsonSchema))]
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

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::convert::From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl ::std::convert::From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}
