//! Private serde helpers for tolerant reading.

use serde::de::{Deserialize, Deserializer};
use serde_json::Value;
use std::collections::BTreeMap;

/// A scalar as text; `null`/absent is the empty string; arrays and objects become JSON text.
pub(crate) fn text_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(value_text(
        Option::<Value>::deserialize(d)?.unwrap_or(Value::Null),
    ))
}

/// A `{string → string}` object whose values may arrive as numbers, booleans, `null` (kept as
/// `""`) or nested JSON (kept as its compact text), so no field is lost.
pub(crate) fn string_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    let map = Option::<BTreeMap<String, Value>>::deserialize(d)?.unwrap_or_default();
    Ok(map.into_iter().map(|(k, v)| (k, value_text(v))).collect())
}

fn value_text(v: Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s,
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// A list of ids: a JSON array (items as strings or numbers), one scalar, or a comma-separated
/// string (form bodies); `null` is empty.
pub(crate) fn id_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    Ok(http_plumbing::lenient::string_list(d)?
        .into_iter()
        .map(T::from)
        .collect())
}
