//! Reading `type` as another name for `direction` in history records (docs/protocol.md §6):
//! a deserializer adapter that renames the key on the fly, so that the derived reader and its
//! exact error paths are kept. The first of `direction` and `type` wins; the other is skipped.

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, Visitor};
use std::fmt;

/// A deserializer that hands its map to the visitor with `type` renamed `direction`.
pub(crate) struct TypeAsDirection<D>(pub(crate) D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for TypeAsDirection<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Renaming(visitor))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct Renaming<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for Renaming<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(RenamedMap {
            inner: map,
            seen_direction: false,
        })
    }
}

struct RenamedMap<A> {
    inner: A,
    seen_direction: bool,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for RenamedMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.inner.next_key::<String>()? else {
                return Ok(None);
            };
            let key = match key.as_str() {
                "direction" | "type" if self.seen_direction => {
                    self.inner.next_value::<IgnoredAny>()?;
                    continue;
                }
                "direction" | "type" => {
                    self.seen_direction = true;
                    "direction".to_owned()
                }
                _ => key,
            };
            return seed.deserialize(key.into_deserializer()).map(Some);
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}
