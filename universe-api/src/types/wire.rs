//! Tolerant decoding helpers shared by the protocol's types.

use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;
use std::collections::BTreeMap;

/// A list that may arrive as `null` (read as empty).
pub(crate) fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Text read leniently (numbers as their text); `null` reads as empty.
pub(crate) fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(http_plumbing::lenient::opt_string(d)?.unwrap_or_default())
}

/// A count read from a number or a numeric string; `null`, `""` and absence read as 0.
pub(crate) fn count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(http_plumbing::lenient::opt_from_str::<D, u64>(d)?.unwrap_or_default())
}

/// An optional id read leniently: `null` and `""` are `None`, numbers are their text.
pub(crate) fn opt_id<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    Ok(http_plumbing::lenient::opt_string(d)?.map(T::from))
}

/// The text of a JSON value: strings as they are, numbers and booleans as their JSON text,
/// objects and arrays as compact JSON; `null` is `None`.
pub(crate) fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

/// Collects an id → value map from an object (`{"1":"x"}`), an array of one-entry objects
/// (`[{"1":"x"},{"2":"y"}]`), an array of `{"id","value"}` pairs, or an empty array (what PHP
/// sends for an empty map). `null` values are dropped.
pub(crate) fn text_map<K>(v: Value) -> Result<BTreeMap<K, String>, String>
where
    K: From<String> + Ord,
{
    let mut out = BTreeMap::new();
    let mut put = |obj: serde_json::Map<String, Value>| {
        let pair = (obj.len() == 2).then(|| (obj.get("id"), obj.get("value")));
        if let Some((Some(id), Some(value))) = pair {
            if let (Some(k), Some(v)) = (value_text(id), value_text(value)) {
                out.insert(K::from(k), v);
            }
            return;
        }
        for (k, v) in obj {
            if let Some(v) = value_text(&v) {
                out.insert(K::from(k), v);
            }
        }
    };
    match v {
        Value::Null => {}
        Value::Object(obj) => put(obj),
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(obj) => put(obj),
                    Value::Null => {}
                    other => return Err(format!("expected an object in the list, found {other}")),
                }
            }
        }
        Value::String(s) if s.trim().is_empty() => {}
        other => return Err(format!("expected an object, found {other}")),
    }
    Ok(out)
}

/// An id → value map read with [`text_map`].
pub(crate) fn fields_map<'de, D, K>(d: D) -> Result<BTreeMap<K, String>, D::Error>
where
    D: Deserializer<'de>,
    K: From<String> + Ord,
{
    let v = Value::deserialize(d)?;
    text_map(v).map_err(de::Error::custom)
}

/// A JSON object that may arrive as a JSON value or serialized into a string (a query
/// parameter): `{"1":"x"}` or `"{\"1\":\"x\"}"`; `""` is empty.
pub(crate) fn json_in_string<'de, D, K>(d: D) -> Result<BTreeMap<K, String>, D::Error>
where
    D: Deserializer<'de>,
    K: From<String> + Ord,
{
    let v = Value::deserialize(d)?;
    let v = match v {
        Value::String(s) if s.trim().is_empty() => Value::Null,
        Value::String(s) => serde_json::from_str::<Value>(&s)
            .map_err(|e| de::Error::custom(format_args!("not valid JSON: {e}")))?,
        other => other,
    };
    match v {
        Value::Object(_) | Value::Null => text_map(v).map_err(de::Error::custom),
        Value::Array(a) if a.is_empty() => Ok(BTreeMap::new()),
        other => Err(de::Error::custom(format_args!(
            "expected a JSON object, found {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_map_reads_every_shape() {
        let want: BTreeMap<String, String> =
            [("1".into(), "a".into()), ("2".into(), "5".into())].into();
        assert_eq!(
            text_map(json!({"1": "a", "2": 5, "3": null})).unwrap(),
            want
        );
        assert_eq!(text_map(json!([{"1": "a"}, {"2": 5}])).unwrap(), want);
        assert_eq!(
            text_map(json!([{"id": "1", "value": "a"}, {"id": 2, "value": 5}])).unwrap(),
            want
        );
        assert!(text_map::<String>(json!([])).unwrap().is_empty());
        assert!(text_map::<String>(json!(3)).is_err());
    }
}
