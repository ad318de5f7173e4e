//! Serde types of `/crmapi/v1`, one file per resource.
//!
//! Readers are tolerant (numbers as strings, enum values in any case, unknown enum values kept as
//! `Other`, missing optional fields, unknown extra fields); writers emit the seed's canonical form.

pub(crate) mod blacklist;
pub(crate) mod calls;
pub(crate) mod groups;
pub(crate) mod history;
pub(crate) mod history_csv;
pub(crate) mod ids;
pub(crate) mod list;
pub(crate) mod period;
pub(crate) mod sims;
pub(crate) mod telnums;
pub(crate) mod users;

use serde::{Deserialize, Deserializer};

/// Declares a wire enum: canonical value per variant, read in any case, unknown values kept.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this crate does not know, kept as it came.
            Other(String),
        }

        impl $name {
            /// The canonical wire form.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(s) => s,
                }
            }

            /// Reads a wire value in any case; unknown values become `Other`.
            pub fn parse(value: &str) -> Self {
                let t = value.trim();
                $(
                    if t.eq_ignore_ascii_case($wire) $(|| t.eq_ignore_ascii_case($alias))* {
                        return Self::$variant;
                    }
                )+
                Self::Other(t.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::parse(value)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::parse(s))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                http_plumbing::lenient::string(d).map(|s| Self::parse(&s))
            }
        }
    };
}
pub(crate) use wire_enum;

/// Declares a string id newtype.
macro_rules! id_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(
            #[serde(deserialize_with = "http_plumbing::lenient::string")] String,
        );

        impl $name {
            /// Wraps a value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }
            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// The value, unwrapped.
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}
pub(crate) use id_newtype;

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    S(String),
    U(u64),
    I(i64),
    F(f64),
    B(bool),
}

fn scalar_text(s: Scalar) -> String {
    match s {
        Scalar::S(s) => s,
        Scalar::U(n) => n.to_string(),
        Scalar::I(n) => n.to_string(),
        Scalar::F(n) => n.to_string(),
        Scalar::B(b) => b.to_string(),
    }
}

/// A text field: strings kept as they are, numbers and booleans as their text, `null` as `""`.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<Scalar>::deserialize(d)?
        .map(scalar_text)
        .unwrap_or_default())
}

/// A boolean field read leniently (`true`, `"1"`, `"yes"`…); `null` and `""` are `false`.
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    http_plumbing::lenient::opt_bool(d).map(Option::unwrap_or_default)
}

/// A number field read leniently (`5` or `"5"`); `null` and `""` are zero.
pub(crate) fn count<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr + Default,
    T::Err: std::fmt::Display,
{
    http_plumbing::lenient::opt_from_str(d).map(Option::unwrap_or_default)
}

/// An optional text field that keeps `""` as `Some("")` (so a peer's `"telnum": ""` and an absent
/// `telnum` both survive a round trip); numbers and booleans become their text.
pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Scalar>::deserialize(d)?.map(scalar_text))
}
