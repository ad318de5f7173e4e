//! The three timestamp forms of the PBX protocols, read anywhere, each written where documented.
//!
//! | form | example | where it is written |
//! |---|---|---|
//! | compact UTC | `20170703T121110Z` | `history` push `start`; history query `start`/`end` |
//! | RFC 3339 UTC | `2022-01-20T08:58:42Z` | history JSON `start` |
//! | RFC 3339 with offset | `2017-07-07T16:14:08+03:00` | older history CSV answers |
//!
//! [`parse`] reads all three (and, tolerantly, `2017-07-03 12:11:10` and
//! `2017-07-03T12:11:10` as UTC, and Unix seconds), so every reader accepts every form. The
//! serde modules [`compact`], [`rfc3339`] and [`offset`] differ only in how they *write*; each
//! has an `option` sub-module for `Option<DateTime<Utc>>` fields (`null` and `""` read as `None`).
//! Precision is whole seconds: fractions are read and dropped on write.
//!
//! Only years 0000–9999 (in UTC) are read: every form written has a four-digit year, so an
//! instant outside that range (Unix seconds past 253402300799, or `0000-01-01T00:00:00+00:01`)
//! could not be written back in a form that reads again. [`parse`] answers `None` for it and the
//! serde modules fail with an error quoting the value.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use vats_api::timestamp;
//!
//! #[derive(Serialize, Deserialize)]
//! struct Row {
//!     #[serde(with = "timestamp::compact")]
//!     start: chrono::DateTime<chrono::Utc>,
//! }
//!
//! let a: Row = serde_json::from_str(r#"{"start":"2017-07-03T15:11:10+03:00"}"#)?;
//! assert_eq!(serde_json::to_string(&a)?, r#"{"start":"20170703T121110Z"}"#);
//! assert_eq!(timestamp::format_rfc3339(&a.start), "2017-07-03T12:11:10Z");
//! # Ok::<(), serde_json::Error>(())
//! ```

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDateTime, Offset, SecondsFormat, TimeZone, Utc,
};
use serde::{Deserializer, de};

const COMPACT: &str = "%Y%m%dT%H%M%S";

/// Reads a timestamp in any of the forms the PBX writes; `None` if it is none of them or its
/// UTC year is outside 0000–9999 (see the module docs).
///
/// ```
/// use vats_api::timestamp;
/// let a = timestamp::parse("20170703T121110Z");
/// assert!(a.is_some());
/// assert_eq!(a, timestamp::parse("2017-07-03T12:11:10Z"));
/// assert_eq!(a, timestamp::parse("2017-07-03T15:11:10+03:00"));
/// assert_eq!(timestamp::parse("yesterday"), None);
/// assert_eq!(timestamp::parse("253402300800"), None); // 10000-01-01T00:00:00Z
/// ```
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    parse_any(text).filter(|t| (0..=9999).contains(&t.year()))
}

fn parse_any(text: &str) -> Option<DateTime<Utc>> {
    let s = text.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 12 {
        let secs: i64 = s.parse().ok()?;
        return Utc.timestamp_opt(secs, 0).single();
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let naive = s.strip_suffix(['Z', 'z']).unwrap_or(s);
    for fmt in [COMPACT, "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(naive, fmt) {
            return Some(t.and_utc());
        }
    }
    None
}

/// Writes the compact UTC form `20170703T121110Z`.
pub fn format_compact(t: &DateTime<Utc>) -> String {
    format!("{}Z", t.format(COMPACT))
}

/// Writes RFC 3339 in UTC with whole seconds: `2022-01-20T08:58:42Z`.
pub fn format_rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Writes RFC 3339 at the given offset with whole seconds: `2017-07-07T16:14:08+03:00`.
pub fn format_offset(t: &DateTime<Utc>, offset: FixedOffset) -> String {
    t.with_timezone(&offset)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Moscow time, `+03:00`: the offset the older CSV answers carry.
pub fn moscow() -> FixedOffset {
    // 3 hours is well within ±24 h, so `east_opt` always succeeds; UTC is a safe fallback.
    FixedOffset::east_opt(3 * 3600).unwrap_or_else(|| Utc.fix())
}

fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(text) = http_plumbing::lenient::opt_string(d)? else {
        return Ok(None);
    };
    parse(&text).map(Some).ok_or_else(|| {
        de::Error::custom(format_args!(
            "invalid timestamp {text:?}: expected 20170703T121110Z, 2022-01-20T08:58:42Z or \
             2017-07-07T16:14:08+03:00 in years 0000-9999"
        ))
    })
}

fn read_required<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    read(d)?.ok_or_else(|| de::Error::custom("empty timestamp"))
}

macro_rules! with_module {
    ($(#[$meta:meta])* $name:ident, $write:expr) => {
        $(#[$meta])*
        pub mod $name {
            use chrono::{DateTime, Utc};
            use serde::{Deserializer, Serializer};

            /// Writes the timestamp in this module's form.
            pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&$write(t))
            }

            /// Reads a timestamp in any of the three forms (or Unix seconds).
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
                super::read_required(d)
            }

            /// The same for `Option<DateTime<Utc>>`; use with `#[serde(default, with = …)]`.
            pub mod option {
                use chrono::{DateTime, Utc};
                use serde::{Deserializer, Serializer};

                /// Writes `Some` in this module's form and `None` as `null`.
                pub fn serialize<S: Serializer>(
                    t: &Option<DateTime<Utc>>,
                    s: S,
                ) -> Result<S::Ok, S::Error> {
                    match t {
                        Some(t) => super::serialize(t, s),
                        None => s.serialize_none(),
                    }
                }

                /// Reads any of the three forms; `null` and `""` are `None`.
                pub fn deserialize<'de, D: Deserializer<'de>>(
                    d: D,
                ) -> Result<Option<DateTime<Utc>>, D::Error> {
                    super::super::read(d)
                }
            }
        }
    };
}

with_module! {
    /// Serde `with` module writing the compact UTC form `20170703T121110Z`.
    compact, super::format_compact
}

with_module! {
    /// Serde `with` module writing RFC 3339 UTC `2022-01-20T08:58:42Z`.
    rfc3339, super::format_rfc3339
}

with_module! {
    /// Serde `with` module writing RFC 3339 at Moscow time `2017-07-07T16:14:08+03:00`.
    offset, |t| super::format_offset(t, super::moscow())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2017, 7, 3, 12, 11, 10).unwrap()
    }

    #[test]
    fn reads_all_three_forms_and_the_tolerated_ones() {
        for s in [
            "20170703T121110Z",
            "20170703T121110",
            "2017-07-03T12:11:10Z",
            "2017-07-03T15:11:10+03:00",
            "2017-07-03 12:11:10",
            "2017-07-03T12:11:10.000",
            "1499083870",
        ] {
            assert_eq!(parse(s), Some(t0()), "{s}");
        }
        assert_eq!(parse(""), None);
        assert_eq!(parse("2017-13-03T12:11:10Z"), None);
    }

    #[test]
    fn refuses_years_outside_0000_to_9999_so_everything_read_writes_back() {
        for s in [
            "253402300800",
            "253423296000",
            "+100000831T000000Z",
            "0000-01-01T00:00:00+00:01",
            "-0001-12-31T23:59:00Z",
            "-262143-01-01T00:00:00",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
        for s in ["253402300799", "99991231T235959Z", "0000-01-01T00:00:00Z"] {
            let t = parse(s).unwrap();
            assert_eq!(parse(&format_compact(&t)), Some(t), "{s}");
            assert_eq!(parse(&format_rfc3339(&t)), Some(t), "{s}");
        }
    }

    #[test]
    fn writes_each_form() {
        assert_eq!(format_compact(&t0()), "20170703T121110Z");
        assert_eq!(format_rfc3339(&t0()), "2017-07-03T12:11:10Z");
        assert_eq!(format_offset(&t0(), moscow()), "2017-07-03T15:11:10+03:00");
    }

    #[test]
    fn bad_timestamp_error_quotes_the_value() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct R {
            #[serde(with = "compact")]
            start: DateTime<Utc>,
        }
        let e = serde_json::from_str::<R>(r#"{"start":"soon"}"#).unwrap_err();
        assert!(e.to_string().contains("\"soon\""), "{e}");
    }
}
