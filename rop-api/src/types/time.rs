//! Wire forms of time: timestamps and `HH:MM:SS` durations.
//!
//! Timestamps are written as RFC 3339 UTC (`2025-09-17T14:30:00Z`) and read from RFC 3339 (any
//! offset), Unix seconds as a number or a string (the older ROP vendor document: "all timestamps are Unix"), or
//! `YYYY-MM-DD HH:MM:SS` taken as UTC. Only instants in the years 0000–9999 (UTC) are accepted,
//! in every form, so that whatever is read can be written as RFC 3339 and read back.

use chrono::{DateTime, Datelike, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serializer};
use serde_json::Value;
use std::time::Duration;

/// Parses a timestamp as the readers of this crate accept it (see the module docs).
///
/// Returns `None` for text that is none of the accepted forms, or whose instant falls outside
/// the years 0000–9999 in UTC (RFC 3339 cannot express those).
pub(crate) fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    parse_any(text).filter(|ts| (0..=9999).contains(&ts.year()))
}

fn parse_any(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Ok(secs) = t.parse::<i64>() {
        return Utc.timestamp_opt(secs, 0).single();
    }
    if let Ok(f) = t.parse::<f64>() {
        return unix_float(f);
    }
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, fmt) {
            return Some(n.and_utc());
        }
    }
    None
}

fn unix_float(f: f64) -> Option<DateTime<Utc>> {
    if !f.is_finite() {
        return None;
    }
    let secs = f.floor();
    if secs < i64::MIN as f64 || secs > i64::MAX as f64 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let nanos = ((f - secs) * 1e9) as u32; // in [0, 1e9): fraction of a second
    #[allow(clippy::cast_possible_truncation)]
    Utc.timestamp_opt(secs as i64, nanos).single()
}

/// Formats a timestamp the way writers of this crate emit it: RFC 3339, UTC, `Z`.
pub(crate) fn format_timestamp(ts: &DateTime<Utc>) -> String {
    ts.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Parses a duration as `HH:MM:SS`, `MM:SS`, or a number of seconds.
pub(crate) fn parse_hms(text: &str) -> Option<Duration> {
    let t = text.trim();
    if let Ok(secs) = t.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let parts: Vec<&str> = t.split(':').collect();
    let nums: Option<Vec<u64>> = parts.iter().map(|p| p.trim().parse::<u64>().ok()).collect();
    let nums = nums?;
    let secs = match nums.as_slice() {
        [h, m, s] => h
            .checked_mul(3600)?
            .checked_add(m.checked_mul(60)?)?
            .checked_add(*s)?,
        [m, s] => m.checked_mul(60)?.checked_add(*s)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

/// Formats a duration as `HH:MM:SS` (whole seconds; hours may exceed 99).
pub(crate) fn format_hms(d: &Duration) -> String {
    let s = d.as_secs();
    format!("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

/// An optional scalar field as text: `None` for absent, `null` or blank; numbers as their text;
/// anything else is an error saying it `expected` something.
fn scalar_text<'de, D: Deserializer<'de>>(
    d: D,
    expected: &str,
) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(de::Error::custom(format_args!(
            "expected {expected}, got {other}"
        ))),
    }
}

/// Serde helpers for `Option<DateTime<Utc>>` fields.
pub(crate) mod opt_timestamp {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        v: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(ts) => s.serialize_str(&format_timestamp(ts)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        let Some(text) = scalar_text::<D>(d, "a timestamp (RFC 3339 or Unix seconds)")? else {
            return Ok(None);
        };
        parse_timestamp(&text).map(Some).ok_or_else(|| {
            de::Error::custom(format_args!(
                "invalid timestamp {text:?}: expected RFC 3339 or Unix seconds in the years 0000–9999"
            ))
        })
    }
}

/// Serde helpers for `Option<Duration>` fields written as `HH:MM:SS`.
pub(crate) mod opt_hms {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(v: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&format_hms(d)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Duration>, D::Error> {
        let Some(text) = scalar_text::<D>(d, "a duration \"HH:MM:SS\"")? else {
            return Ok(None);
        };
        parse_hms(&text).map(Some).ok_or_else(|| {
            de::Error::custom(format_args!(
                "invalid duration {text:?}: expected \"HH:MM:SS\""
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_rfc3339_and_unix_and_write_utc_z() {
        let a = parse_timestamp("2025-09-17T17:30:00+03:00").unwrap();
        let b = parse_timestamp("1758119400").unwrap();
        let c = parse_timestamp("2025-09-17 14:30:00").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(format_timestamp(&a), "2025-09-17T14:30:00Z");
        assert_eq!(
            parse_timestamp("1758119400.5")
                .unwrap()
                .timestamp_subsec_millis(),
            500
        );
        assert!(parse_timestamp("yesterday").is_none());
    }

    #[test]
    fn timestamps_outside_years_0_to_9999_are_refused() {
        for text in [
            "0000-01-01T00:00:00+00:01",
            "253423296000",
            "253423296000.5",
            "-62167219201",
            "10000-01-01 00:00:00",
        ] {
            assert_eq!(parse_timestamp(text), None, "{text}");
        }
        for text in [
            "0000-01-01T00:00:00Z",
            "-62167219200",
            "9999-12-31T23:59:59Z",
            "253402300799",
        ] {
            let ts = parse_timestamp(text).unwrap();
            assert_eq!(parse_timestamp(&format_timestamp(&ts)), Some(ts), "{text}");
        }
    }

    #[test]
    fn out_of_range_timestamp_field_error_says_so() {
        #[derive(Deserialize, Debug)]
        struct T {
            #[serde(default, with = "opt_timestamp")]
            #[allow(dead_code)]
            at: Option<DateTime<Utc>>,
        }
        let err = serde_json::from_str::<T>(r#"{"at":253423296000}"#).unwrap_err();
        assert!(err.to_string().contains("0000–9999"), "{err}");
    }

    #[test]
    fn hms_round_trips() {
        assert_eq!(parse_hms("00:02:35"), Some(Duration::from_secs(155)));
        assert_eq!(parse_hms("02:35"), Some(Duration::from_secs(155)));
        assert_eq!(parse_hms("155"), Some(Duration::from_secs(155)));
        assert_eq!(parse_hms("1:x:3"), None);
        assert_eq!(format_hms(&Duration::from_secs(155)), "00:02:35");
        assert_eq!(format_hms(&Duration::from_secs(360_000)), "100:00:00");
    }

    proptest::proptest! {
        #[test]
        fn hms_and_timestamps_round_trip(secs in 0u64..10_000_000, unix in 0i64..4_102_444_800) {
            let d = Duration::from_secs(secs);
            proptest::prop_assert_eq!(parse_hms(&format_hms(&d)), Some(d));
            let ts = Utc.timestamp_opt(unix, 0).single().unwrap();
            proptest::prop_assert_eq!(parse_timestamp(&format_timestamp(&ts)), Some(ts));
            proptest::prop_assert_eq!(parse_timestamp(&unix.to_string()), Some(ts));
        }
    }
}
