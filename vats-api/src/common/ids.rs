//! Id-like newtypes: [`Phone`] and [`CallId`].

use http_plumbing::lenient;

/// Declares a string id newtype (`#[serde(transparent)]`, read leniently from strings or
/// numbers): `as_str`, the named unwrapping method, `Display`, `From<String>`, `From<&str>`,
/// `AsRef<str>`, and optionally a `new` constructor. The crate's one id definition.
macro_rules! string_newtype {
    ($(#[$meta:meta])* $name:ident, unwrap: $into:ident $(, new: $new:ident)?) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        #[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct $name(#[serde(deserialize_with = "http_plumbing::lenient::string")] String);

        impl $name {
            $(
                /// Wraps a value.
                pub fn $new(value: impl Into<String>) -> Self {
                    Self(value.into())
                }
            )?

            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The value as an owned `String`.
            pub fn $into(self) -> String {
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

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

pub(crate) use string_newtype;

string_newtype! {
    /// A telephone number as the PBX writes it: digits, country code first, no `+`
    /// (`79101234567`).
    ///
    /// Reading is tolerant: a JSON number (`79101234567`) is read as its digits, and the text is
    /// kept exactly as sent (no data loss) — use [`Phone::digits`] for the bare digits and
    /// [`Phone::is_digits`] to validate where the protocol demands digits only (e.g. `makecall`,
    /// where a leading `+` is a 400).
    ///
    /// ```
    /// use vats_api::Phone;
    ///
    /// let p: Phone = serde_json::from_str("79101234567")?;
    /// assert_eq!(p.as_str(), "79101234567");
    /// assert!(p.is_digits());
    /// assert_eq!(Phone::from("+7 (910) 123-45-67").digits(), "79101234567");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    Phone, unwrap: into_string
}

impl Phone {
    /// Only the ASCII digits of the number (`+7 (910) 123-45-67` → `79101234567`).
    pub fn digits(&self) -> String {
        self.0.chars().filter(char::is_ascii_digit).collect()
    }

    /// Whether the number is non-empty and digits only (the canonical wire form).
    pub fn is_digits(&self) -> bool {
        !self.0.is_empty() && self.0.bytes().all(|b| b.is_ascii_digit())
    }
}

string_newtype! {
    /// The PBX's unique id of a call (`B10D0EB124F4E64AF4EA-1511`); the same for all legs of
    /// one call. Read from a string or a number.
    CallId, unwrap: into_string
}

/// An optional phone: `null`, absent and `""` are `None`; numbers are read as digits.
pub(crate) fn opt_phone<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Phone>, D::Error> {
    Ok(lenient::opt_string(d)?.map(Phone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_reads_numbers_and_strings() {
        let p: Phone = serde_json::from_str("79101234567").unwrap();
        assert_eq!(p, Phone::from("79101234567"));
        let p: Phone = serde_json::from_str("\"79101234567\"").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"79101234567\"");
        assert!(!Phone::from("+79101234567").is_digits());
        assert!(!Phone::from("").is_digits());
    }

    #[test]
    fn call_id_is_transparent() {
        let c: CallId = serde_json::from_str("1511").unwrap();
        assert_eq!(c.as_str(), "1511");
        assert_eq!(c.to_string(), "1511");
        assert_eq!(
            serde_json::to_string(&CallId::from("x-1")).unwrap(),
            "\"x-1\""
        );
    }
}
