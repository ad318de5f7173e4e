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

/// A list of objects: a JSON array, or (from a form or multipart body) the array's JSON text;
/// `null` is empty. Arrays are read in place, so a decode error keeps its path
/// (`offices[1].office_id`).
pub(crate) fn json_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    struct ListVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: serde::de::DeserializeOwned> serde::de::Visitor<'de> for ListVisitor<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a sequence or its JSON text")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(item) = seq.next_element()? {
                out.push(item);
            }
            Ok(out)
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Vec<T>, E> {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize::<_, Vec<T>>(&mut de).map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner();
                if path == "." {
                    E::custom(format!("not a JSON array: {inner}"))
                } else {
                    E::custom(format!("{path}: {inner}"))
                }
            })
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
    }

    d.deserialize_any(ListVisitor(std::marker::PhantomData))
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
