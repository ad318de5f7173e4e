//! The protocol's date and time forms, read tolerantly and written exactly.
//!
//! | where | written as | also read |
//! |---|---|---|
//! | `orders[].date_create`, `export`'s `date` | Unix seconds (`"1657620091"`) | a number; `YYYY-MM-DD HH:MM[:SS]`; RFC 3339 |
//! | `lead`'s `created_date` | `YYYY-MM-DD HH:MM:SS` | `T` instead of the space; RFC 3339; Unix seconds |
//! | `task`'s `deadline`, `call`'s `date` | `YYYY-MM-DDTHH:MM:SS` (UTC) | a space instead of `T`; RFC 3339; Unix seconds |
//!
//! An offset whose `+` arrived unencoded (and so decoded as a space, `…11:11:11 03:00`) is
//! read as the `+` it was. Times without an offset are UTC (the vendor document says so for `deadline` and `date`; `created_date`
//! and the `date_create` text form are read the same way).
//!
//! Every written form carries whole seconds, so readers keep whole seconds too: a fraction of a
//! second is dropped and a leap second (`23:59:60`) is read as `23:59:59`. Whatever is read is
//! thus written and read back as the same instant.

use chrono::{DateTime, NaiveDateTime, TimeZone, Timelike, Utc};
use serde::de::{self, Deserializer};
use serde::ser::Serializer;

/// `YYYY-MM-DD HH:MM:SS`, the form of `lead`'s `created_date`.
pub(crate) const SPACE_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// `YYYY-MM-DDTHH:MM:SS`, the form of `task`'s `deadline` and `call`'s `date`.
pub(crate) const T_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// Parses any of the protocol's date-time forms (see the module docs); `None` if none fits.
///
/// The result is whole seconds: a fraction is dropped and a leap second becomes `:59`.
pub(crate) fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    // chrono keeps a leap second as a nanosecond count past 1e9; zero drops it with the fraction.
    parse_any(text).and_then(|dt| dt.with_nanosecond(0))
}

fn parse_any(text: &str) -> Option<DateTime<Utc>> {
    let s = text.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(dt) = parse_unix(s) {
        return Some(dt);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    // A trailing `Z` without the rest of RFC 3339 (`2023-01-01 11:11:11Z`).
    let s = s.strip_suffix(['Z', 'z']).unwrap_or(s);
    const NAIVE: [&str; 6] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
    ];
    let naive = NAIVE
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|n| Utc.from_utc_datetime(&n));
    naive.or_else(|| plus_lost_to_space(s))
}

/// `2023-01-01T14:11:11 03:00`: an offset whose `+` was sent unencoded and decoded as a space.
fn plus_lost_to_space(s: &str) -> Option<DateTime<Utc>> {
    let (head, offset) = s.rsplit_once(' ')?;
    let looks_like_offset = offset.len() == 5
        && offset.as_bytes().get(2) == Some(&b':')
        && offset.bytes().filter(u8::is_ascii_digit).count() == 4;
    if !looks_like_offset || !head.contains(':') {
        return None;
    }
    DateTime::parse_from_rfc3339(&format!("{head}+{offset}"))
        .or_else(|_| DateTime::parse_from_str(&format!("{head}+{offset}"), "%Y-%m-%d %H:%M:%S%:z"))
        .ok()
        .map(|dt| dt.with_timezone(&Utc))
}

/// Unix seconds as an integer or as a float with no fraction (`"1657620091"`, `"1657620091.0"`).
fn parse_unix(s: &str) -> Option<DateTime<Utc>> {
    if !s
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        return None;
    }
    let secs = match s.parse::<i64>() {
        Ok(n) => n,
        Err(_) => {
            let f = s.parse::<f64>().ok()?;
            if !f.is_finite() || f.fract() != 0.0 || f.abs() > 1e15 {
                return None;
            }
            // Checked above: a whole number well inside i64's range.
            #[allow(clippy::cast_possible_truncation)]
            let n = f as i64;
            n
        }
    };
    DateTime::from_timestamp(secs, 0)
}

/// Unix seconds as text, the canonical form of `date_create` and `export`'s `date`.
pub(crate) fn unix_text(dt: &DateTime<Utc>) -> String {
    dt.timestamp().to_string()
}

/// A date-time as the text of a scalar (string or number), parsed with [`parse_datetime`].
fn scalar_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let text: Option<String> = http_plumbing::lenient::opt_string(d)?;
    match text {
        None => Ok(None),
        Some(t) => parse_datetime(&t).map(Some).ok_or_else(|| {
            de::Error::custom(format_args!(
                "invalid date {t:?}: expected Unix seconds, YYYY-MM-DD HH:MM:SS, YYYY-MM-DDTHH:MM:SS or RFC 3339"
            ))
        }),
    }
}

/// Serde for a required date-time written as Unix seconds in a string.
pub(crate) mod unix {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(dt: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&unix_text(dt))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        scalar_datetime(d)?.ok_or_else(|| de::Error::custom("a date is required"))
    }
}

/// Serde for an optional date-time written as `YYYY-MM-DD HH:MM:SS`.
pub(crate) mod opt_space {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        dt: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match dt {
            Some(dt) => s.collect_str(&dt.format(SPACE_FORMAT)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        scalar_datetime(d)
    }
}

/// Serde for an optional date-time written as `YYYY-MM-DDTHH:MM:SS` (UTC).
pub(crate) mod opt_t {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        dt: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match dt {
            Some(dt) => s.collect_str(&dt.format(T_FORMAT)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        scalar_datetime(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    #[test]
    fn reads_every_documented_form() {
        let t = at(2023, 1, 1, 11, 11, 11);
        assert_eq!(parse_datetime("2023-01-01T11:11:11"), Some(t));
        assert_eq!(parse_datetime("2023-01-01 11:11:11"), Some(t));
        assert_eq!(parse_datetime("2023-01-01T11:11:11Z"), Some(t));
        assert_eq!(parse_datetime("2023-01-01T14:11:11+03:00"), Some(t));
        assert_eq!(parse_datetime(&t.timestamp().to_string()), Some(t));
        assert_eq!(
            parse_datetime("2023-01-01 11:11"),
            Some(at(2023, 1, 1, 11, 11, 0))
        );
        assert_eq!(
            parse_datetime("1657620091.0"),
            DateTime::from_timestamp(1_657_620_091, 0)
        );
    }

    #[test]
    fn reads_a_leap_second_as_second_59_and_drops_fractions() {
        let t = at(2016, 12, 31, 23, 59, 59);
        for text in [
            "2016-12-31T23:59:60Z",
            "2016-12-31 23:59:60",
            "2016-12-31T23:59:60.5",
            "2017-01-01T02:59:60+03:00",
            "2016-12-31T23:59:59.999Z",
        ] {
            let dt = parse_datetime(text).unwrap();
            assert_eq!(dt, t, "{text}");
            assert_eq!(parse_datetime(&unix_text(&dt)), Some(dt), "{text}");
            let space = dt.format(SPACE_FORMAT).to_string();
            assert_eq!(parse_datetime(&space), Some(dt), "{text}");
        }
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(parse_datetime("yesterday"), None);
        assert_eq!(parse_datetime(""), None);
        assert_eq!(parse_datetime("2023-13-01 11:11:11"), None);
        assert_eq!(parse_datetime("1.5"), None);
    }
}
