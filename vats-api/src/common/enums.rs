//! String enums of the PBX protocols: [`Direction`], [`CallStatus`], [`EventType`].
//!
//! Reading ignores letter case and the separators `_`, `-` and spaces (`SUCCESS`, `success`,
//! `not_available` all match); a value that matches nothing is kept as `Other(text)`. Writing
//! emits the vendor document's own spelling.

/// Lower-cases and drops `_`, `-` and whitespace, so that spellings compare alike.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '_' | '-') && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether two spellings match ignoring case, `_`, `-` and whitespace (`not_available` and
/// `NotAvailable`).
pub(crate) fn folded_eq(a: &str, b: &str) -> bool {
    fold(a) == fold(b)
}

/// Declares a wire enum: one canonical spelling (and optional aliases) per variant, read with
/// `$same(input, spelling)` after trimming, unknown values kept trimmed in `Other`; written in
/// the canonical spelling. The crate's one lenient-enum definition (v1 resources and pushes).
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident: $same:path {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this crate does not know, kept as it arrived.
            Other(String),
        }

        impl $name {
            /// Every known value, in the vendor document's order.
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
                    if $same(t, $wire) $(|| $same(t, $alias))* {
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

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
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

wire_enum! {
    /// Which way a call went: `in` (to the PBX's user) or `out` (from them).
    ///
    /// ```
    /// use vats_api::Direction;
    /// assert_eq!(Direction::parse("IN"), Direction::In);
    /// assert_eq!(Direction::Out.to_string(), "out");
    /// ```
    Direction: folded_eq {
        /// An incoming call (`in`).
        In = "in",
        /// An outgoing call (`out`).
        Out = "out",
    }
}

wire_enum! {
    /// The outcome of a call in a `history` push and in history exports.
    ///
    /// The PBX v1 vendor document documents `Success`, `Missed`, …; its own example sends `SUCCESS`, and the
    /// REST history sends lower case (`missed`): all read alike. Writing uses the push's
    /// documented spelling (`Success`); `history/json` records write it in lower case, as that
    /// endpoint's example does ([`HistoryRecord`](crate::v1::HistoryRecord)).
    ///
    /// ```
    /// use vats_api::CallStatus;
    /// assert_eq!(CallStatus::parse("SUCCESS"), CallStatus::Success);
    /// assert_eq!(CallStatus::parse("missed"), CallStatus::Missed);
    /// assert_eq!(CallStatus::parse("Rejected"), CallStatus::Other("Rejected".into()));
    /// assert_eq!(CallStatus::NotAvailable.as_str(), "NotAvailable");
    /// ```
    CallStatus: folded_eq {
        /// The call was answered (`Success`).
        Success = "Success",
        /// Nobody answered (`Missed`).
        Missed = "Missed",
        /// The caller hung up first (`Cancel`).
        Cancel = "Cancel",
        /// The callee was busy (`Busy`, outgoing only).
        Busy = "Busy",
        /// The callee was unreachable (`NotAvailable`, outgoing only).
        NotAvailable = "NotAvailable",
        /// Calls to that destination are forbidden (`NotAllowed`, outgoing only).
        NotAllowed = "NotAllowed",
        /// No such number (`NotFound`, outgoing only).
        NotFound = "NotFound",
    }
}

wire_enum! {
    /// The kind of an `event` push.
    ///
    /// ```
    /// use vats_api::EventType;
    /// assert_eq!(EventType::parse("incoming"), EventType::Incoming);
    /// assert_eq!(EventType::Accepted.as_str(), "ACCEPTED");
    /// ```
    EventType: folded_eq {
        /// A call is ringing at the user (`INCOMING`).
        Incoming = "INCOMING",
        /// The user picked up (`ACCEPTED`).
        Accepted = "ACCEPTED",
        /// The call ended after a conversation (`COMPLETED`).
        Completed = "COMPLETED",
        /// The call was dropped before anyone answered, or someone else answered (`CANCELLED`).
        Cancelled = "CANCELLED",
        /// The user started an outgoing call (`OUTGOING`).
        Outgoing = "OUTGOING",
        /// The call was transferred (`TRANSFERRED`).
        Transferred = "TRANSFERRED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_in_any_case_and_write_canonically() {
        for s in ["SUCCESS", "Success", "success", " success "] {
            assert_eq!(CallStatus::parse(s), CallStatus::Success);
        }
        assert_eq!(CallStatus::parse("not_available"), CallStatus::NotAvailable);
        assert_eq!(CallStatus::parse("NOTFOUND"), CallStatus::NotFound);
        let json = serde_json::to_string(&CallStatus::parse("MISSED")).unwrap();
        assert_eq!(json, "\"Missed\"");
    }

    #[test]
    fn unknown_values_are_kept() {
        let s: CallStatus = serde_json::from_str("\"Voicemail\"").unwrap();
        assert_eq!(s, CallStatus::Other("Voicemail".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"Voicemail\"");
        let e: EventType = serde_json::from_str("\"RINGBACK\"").unwrap();
        assert!(e.is_other());
        let d: Direction = serde_json::from_str("1").unwrap();
        assert_eq!(d, Direction::Other("1".into()));
    }
}
