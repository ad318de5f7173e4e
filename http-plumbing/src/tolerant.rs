//! [`tolerant_enum!`](crate::tolerant_enum) and [`same_spelling`]: the one tolerant reader of
//! the workspace's string enums.

/// Lower-cases and drops `_`, `-` and whitespace, so that spellings compare alike.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '_' | '-') && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether two spellings of an enum value match, ignoring letter case, `_`, `-` and whitespace
/// (`not_available`, `NotAvailable` and `NOT-AVAILABLE` are one value).
///
/// ```
/// assert!(http_plumbing::same_spelling("not_available", "NotAvailable"));
/// assert!(!http_plumbing::same_spelling("missed", "busy"));
/// ```
pub fn same_spelling(a: &str, b: &str) -> bool {
    fold(a) == fold(b)
}

/// Declares a string enum that reads tolerantly and writes strictly: one canonical spelling
/// (and optional aliases) per variant, matched with [`same_spelling`] after trimming; a value
/// that matches nothing is kept (trimmed) in `Other(String)`; written in the canonical
/// spelling. The enum gets `KNOWN`, `as_str`, `parse`, `is_other`, `Display`, `FromStr`,
/// `From<&str>`, `From<String>` and serde (read from a string, a number or a boolean through
/// [`lenient::string`](crate::lenient::string)). A macro because each enum is its own named
/// type; the calling crate depends on `serde` and `http_plumbing`.
///
/// ```
/// http_plumbing::tolerant_enum! {
///     /// How a call ended.
///     #[non_exhaustive]
///     Outcome {
///         /// Answered (`ANSWER`; also read `answered`).
///         Answer = "ANSWER" | "ANSWERED",
///         /// Nobody answered (`NOANSWER`).
///         NoAnswer = "NOANSWER",
///     }
/// }
///
/// assert_eq!(Outcome::parse("answered"), Outcome::Answer);
/// assert_eq!(Outcome::parse("no_answer").as_str(), "NOANSWER");
/// assert_eq!(Outcome::parse(" voicemail "), Outcome::Other("voicemail".into()));
/// let o: Outcome = serde_json::from_str("\"Answer\"")?;
/// assert_eq!(serde_json::to_string(&o)?, "\"ANSWER\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[macro_export]
macro_rules! tolerant_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this crate does not know, kept as it arrived.
            Other(String),
        }

        impl $name {
            /// Every known value, in the documented order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The canonical wire spelling (or the kept text of `Other`).
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(s) => s,
                }
            }

            /// Reads a value in any case; unknown text becomes `Other` (trimmed).
            pub fn parse(value: &str) -> Self {
                let t = value.trim();
                $(
                    if $crate::same_spelling(t, $wire) $(|| $crate::same_spelling(t, $alias))* {
                        return Self::$variant;
                    }
                )+
                Self::Other(t.to_owned())
            }

            /// Whether the value is one this crate does not know.
            pub fn is_other(&self) -> bool {
                matches!(self, Self::Other(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::parse(s))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::parse(s)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self::parse(&s)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                http_plumbing::lenient::string(d).map(|s| Self::parse(&s))
            }
        }
    };
}
