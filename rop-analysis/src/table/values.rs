//! The values of an `enum` or `list` field, kept in the order the table writes them, and how an
//! `enum` chooses among several values mentioned in one call.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Canonical value → the phrases that mean it, in the table's order. Read from a JSON object
/// whose values are a phrase or a list of phrases.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Values(Vec<(String, Vec<String>)>);

impl Values {
    /// No values at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number of canonical values.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// (canonical value, phrases) in the table's order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The canonical values in the table's order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The phrases of one canonical value.
    pub fn get(&self, canonical: &str) -> Option<&Vec<String>> {
        self.0.iter().find(|(k, _)| k == canonical).map(|(_, v)| v)
    }

    /// Whether `canonical` is one of the values.
    pub fn contains_key(&self, canonical: &str) -> bool {
        self.get(canonical).is_some()
    }
}

impl FromIterator<(String, Vec<String>)> for Values {
    fn from_iter<I: IntoIterator<Item = (String, Vec<String>)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl Serialize for Values {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Values {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged, expecting = "a phrase or a list of phrases")]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
        struct Ordered;
        impl<'de> Visitor<'de> for Ordered {
            type Value = Values;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object: canonical value → phrases")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Values, E> {
                Ok(Values::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Values, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, OneOrMany>()? {
                    let v = match v {
                        OneOrMany::One(s) => vec![s],
                        OneOrMany::Many(v) => v,
                    };
                    match out.iter_mut().find(|(key, _)| *key == k) {
                        Some((_, phrases)) => *phrases = v,
                        None => out.push((k, v)),
                    }
                }
                Ok(Values(out))
            }
        }
        d.deserialize_any(Ordered)
    }
}

/// How an `enum` field picks one value when the call mentions several.
///
/// Written `"choose": "priority"` (or `first`, `last`, `most`) on the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choose {
    /// The value listed first in `values` among those mentioned: list values from the most to
    /// the least important («тест-драйв» before «перезвонить»). The default.
    #[default]
    Priority,
    /// The value mentioned first in the call.
    First,
    /// The value mentioned last in the call: what the conversation ended with (the model the
    /// client settled on).
    Last,
    /// The value mentioned most often (ties: the one mentioned first).
    Most,
}
