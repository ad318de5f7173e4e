//! Serde helpers for the *tolerant reader* rule (docs/protocol.md §6).
//!
//! Real peers send `"duration": "900"` as often as `"duration": 900`, ids as numbers, booleans as
//! `"1"`, and empty strings where a value is absent. Use these with `#[serde(deserialize_with)]`;
//! writers keep emitting the canonical form.
//!
//! ```
//! use serde::Deserialize;
//!
//! #[derive(Deserialize)]
//! struct Call {
//!     #[serde(deserialize_with = "http_plumbing::lenient::string")]
//!     id: String,
//!     #[serde(default, deserialize_with = "http_plumbing::lenient::opt_from_str")]
//!     duration: Option<u32>,
//! }
//!
//! let a: Call = serde_json::from_str(r#"{"id": 42, "duration": "900"}"#)?;
//! assert_eq!((a.id.as_str(), a.duration), ("42", Some(900)));
//! let b: Call = serde_json::from_str(r#"{"id": "x", "duration": ""}"#)?;
//! assert_eq!(b.duration, None);
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::de::{self, Deserializer, Visitor};
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

/// A scalar as it arrived: the text of a string, a number or a boolean.
struct ScalarText;

impl<'de> Visitor<'de> for ScalarText {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a number or a boolean")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ScalarText)
    }
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(ScalarText)
}

/// A required string that may arrive as a string, a number or a boolean.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    scalar(d)?.ok_or_else(|| de::Error::invalid_type(de::Unexpected::Unit, &"a string"))
}

/// An optional string; `null` and `""` are `None`; numbers become their text.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(scalar(d)?.filter(|s| !s.trim().is_empty()))
}

/// A required value parsed with [`FromStr`] from a number or a string (`900` or `"900"`).
pub fn from_str<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: fmt::Display,
{
    let s = scalar(d)?.ok_or_else(|| de::Error::invalid_type(de::Unexpected::Unit, &"a value"))?;
    parse_text(&s)
}

/// An optional value parsed with [`FromStr`]; `null` and `""` are `None`.
pub fn opt_from_str<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: fmt::Display,
{
    match scalar(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => parse_text(&s).map(Some),
    }
}

fn parse_text<T, E>(s: &str) -> Result<T, E>
where
    T: FromStr,
    T::Err: fmt::Display,
    E: de::Error,
{
    let t = s.trim();
    if let Ok(v) = t.parse::<T>() {
        return Ok(v);
    }
    // "900.0" for an integer field: accept a float with no fraction.
    if let Ok(f) = t.parse::<f64>()
        && f.fract() == 0.0
        && f.is_finite()
        && let Ok(v) = format!("{f:.0}").parse::<T>()
    {
        return Ok(v);
    }
    t.parse::<T>()
        .map_err(|e| E::custom(format_args!("invalid value {s:?}: {e}")))
}

/// A boolean from `true`/`false`, `1`/`0`, `"yes"`/`"no"`, `"on"`/`"off"` in any case.
pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let s =
        scalar(d)?.ok_or_else(|| de::Error::invalid_type(de::Unexpected::Unit, &"a boolean"))?;
    parse_bool(&s).ok_or_else(|| de::Error::custom(format_args!("invalid boolean {s:?}")))
}

/// An optional boolean, as [`bool`](fn@bool); `null` and `""` are `None`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match scalar(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => parse_bool(&s)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format_args!("invalid boolean {s:?}"))),
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// A list that may arrive as a JSON array, as one scalar, or as a comma-separated string
/// (form bodies): `["a","b"]`, `"a"`, `"a,b"` all decode; items are read leniently as strings.
pub fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct ListVisitor(PhantomData<()>);
    impl<'de> Visitor<'de> for ListVisitor {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of strings")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<LenientItem>()? {
                if let Some(s) = item.0 {
                    out.push(s);
                }
            }
            Ok(out)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    struct LenientItem(Option<String>);
    impl<'de> de::Deserialize<'de> for LenientItem {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            scalar(d).map(LenientItem)
        }
    }
    d.deserialize_any(ListVisitor(PhantomData))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct T {
        #[serde(deserialize_with = "super::from_str")]
        n: u32,
        #[serde(default, deserialize_with = "super::opt_from_str")]
        o: Option<i64>,
        #[serde(default, deserialize_with = "super::opt_bool")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "super::string_list")]
        l: Vec<String>,
        #[serde(default, deserialize_with = "super::opt_string")]
        s: Option<String>,
    }

    #[test]
    fn numbers_as_strings_and_numbers() {
        let a: T = serde_json::from_str(r#"{"n":"5","o":-3,"b":"1","l":"a, b","s":7}"#).unwrap();
        assert_eq!(a.n, 5);
        assert_eq!(a.o, Some(-3));
        assert_eq!(a.b, Some(true));
        assert_eq!(a.l, vec!["a", "b"]);
        assert_eq!(a.s.as_deref(), Some("7"));
        let b: T = serde_json::from_str(r#"{"n":5.0,"o":null,"l":[1,"x"],"s":""}"#).unwrap();
        assert_eq!((b.n, b.o, b.b, b.s), (5, None, None, None));
        assert_eq!(b.l, vec!["1", "x"]);
    }

    #[test]
    fn bad_number_names_the_value() {
        let e = serde_json::from_str::<T>(r#"{"n":"five"}"#).unwrap_err();
        assert!(e.to_string().contains("\"five\""), "{e}");
    }
}
