//! Filtering and paging of list operations (vendor document §3.2).

use serde::de::value::SeqAccessDeserializer;
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// The query of one page of a list: `search`, `start`, `limit` (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ListQuery {
    /// A substring searched in several fields.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub search: Option<String>,
    /// Position of the first item (0-based).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub start: Option<u64>,
    /// How many items to return.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub limit: Option<u64>,
}

impl ListQuery {
    /// An empty query (the server's defaults).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `search`: only items whose name, login or number contain this text.
    #[must_use]
    pub fn search(mut self, search: impl Into<String>) -> Self {
        self.search = Some(search.into());
        self
    }

    /// Sets `start`: how many items to skip (0-based offset).
    #[must_use]
    pub fn start(mut self, start: u64) -> Self {
        self.start = Some(start);
        self
    }

    /// Sets `limit`: at most this many items per page.
    #[must_use]
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The query as `(name, value)` pairs, in the order `search`, `start`, `limit`.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(s) = &self.search {
            out.push(("search", s.clone()));
        }
        if let Some(s) = self.start {
            out.push(("start", s.to_string()));
        }
        if let Some(l) = self.limit {
            out.push(("limit", l.to_string()));
        }
        out
    }
}

/// The `info` of a list answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ListInfo {
    /// The search string the server applied.
    #[serde(default, deserialize_with = "super::text")]
    pub search: String,
    /// How many items match in total.
    #[serde(default, deserialize_with = "super::count")]
    pub total: u64,
    /// Position of this page's first item.
    #[serde(default, deserialize_with = "super::count")]
    pub start: u64,
    /// The page size the server applied.
    #[serde(default, deserialize_with = "super::count")]
    pub limit: u64,
    /// Position of the next page at this limit; absent on the last page.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub next: Option<u64>,
}

impl ListInfo {
    /// The `start` of the page after this one, if there is one: `next` when the server sent it,
    /// else `start + returned` while that is below `total`. Never a position at or before `start`
    /// (a server that repeats a page cannot make a stream loop forever).
    pub fn next_start(&self, returned: usize) -> Option<u64> {
        if returned == 0 {
            return None;
        }
        match self.next {
            // A `next` the server sent is trusted while it advances (and is inside `total`, when
            // the server sent a total at all).
            Some(n) => (n > self.start && (self.total == 0 || n < self.total)).then_some(n),
            None => {
                let after = self.start.saturating_add(returned as u64);
                (after < self.total).then_some(after)
            }
        }
    }

    /// The `info` a server sends for a page of `total` matching items cut at `start`/`limit`.
    pub fn for_page(query: &ListQuery, total: u64, default_limit: u64) -> Self {
        let start = query.start.unwrap_or(0);
        let limit = query.limit.unwrap_or(default_limit);
        let end = start.saturating_add(limit);
        Self {
            search: query.search.clone().unwrap_or_default(),
            total,
            start,
            limit,
            next: (end < total).then_some(end),
        }
    }
}

/// One page of a list: `{"items":[...],"info":{...}}`.
///
/// Reading also accepts a bare JSON array (some answers in the vendor document are printed that way); its
/// `info` then says the array is the whole list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Where this page sits in the list.
    pub info: ListInfo,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A hand-written visitor (not `#[serde(untagged)]`) so that a decode error keeps its
        // path (`items[2].start`).
        struct PageVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for PageVisitor<T> {
            type Value = Page<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(r#"{"items":[...],"info":{...}} or a JSON array"#)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                let items = Vec::<T>::deserialize(SeqAccessDeserializer::new(seq))?;
                let info = whole(items.len());
                Ok(Page { items, info })
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut items = None;
                let mut info = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "items" => {
                            items = Some(map.next_value::<Option<Vec<T>>>()?.unwrap_or_default())
                        }
                        "info" => info = map.next_value::<Option<ListInfo>>()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                // An object without `items` is not a list (an error body answered with 200,
                // say): refuse it rather than read it as an empty page and lose it.
                let items = items.ok_or_else(|| serde::de::Error::missing_field("items"))?;
                let info = info.unwrap_or_else(|| whole(items.len()));
                Ok(Page { items, info })
            }
        }

        d.deserialize_any(PageVisitor(std::marker::PhantomData))
    }
}

impl<T> Page<T> {
    /// Cuts one page out of all matching items by `query.start`/`query.limit` (what a server
    /// does after filtering by `search`); `default_limit` applies when `limit` is absent.
    pub fn paginate(all: Vec<T>, query: &ListQuery, default_limit: u64) -> Self {
        let info = ListInfo::for_page(query, all.len() as u64, default_limit);
        let skip = usize::try_from(info.start).unwrap_or(usize::MAX);
        let take = usize::try_from(info.limit).unwrap_or(usize::MAX);
        let items = all.into_iter().skip(skip).take(take).collect();
        Self { items, info }
    }
}

fn whole(n: usize) -> ListInfo {
    ListInfo {
        total: n as u64,
        limit: n as u64,
        ..ListInfo::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_as_strings_and_missing_next() {
        let p: Page<String> = serde_json::from_str(
            r#"{"items":["a","b"],"info":{"search":"","start":"0","limit":"2","total":"3"}}"#,
        )
        .unwrap();
        assert_eq!(p.info.total, 3);
        assert_eq!(p.info.next, None);
        assert_eq!(p.info.next_start(2), Some(2));
        let p: Page<String> = serde_json::from_str(r#"["a"]"#).unwrap();
        assert_eq!(
            (p.items.len(), p.info.total, p.info.next_start(1)),
            (1, 1, None)
        );
    }

    #[test]
    fn an_object_without_items_is_an_error_not_an_empty_page() {
        let e =
            serde_json::from_str::<Page<String>>(r#"{"error":"Validation error"}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `items`"), "{e}");
        let p: Page<String> = serde_json::from_str(r#"{"items":null}"#).unwrap();
        assert!(p.items.is_empty());
    }

    #[test]
    fn next_start_never_goes_backwards() {
        let info = ListInfo {
            total: 10,
            start: 4,
            limit: 2,
            next: Some(4),
            ..ListInfo::default()
        };
        assert_eq!(info.next_start(2), None);
        let info = ListInfo {
            total: 10,
            start: 4,
            limit: 2,
            next: Some(6),
            ..ListInfo::default()
        };
        assert_eq!(info.next_start(2), Some(6));
        assert_eq!(info.next_start(0), None);
        let no_total = ListInfo {
            start: 0,
            next: Some(50),
            ..ListInfo::default()
        };
        assert_eq!(no_total.next_start(50), Some(50));
    }

    #[test]
    fn for_page_sets_next_until_the_end() {
        let q = ListQuery::new().start(2).limit(2);
        assert_eq!(ListInfo::for_page(&q, 5, 50).next, Some(4));
        let q = ListQuery::new().start(4).limit(2);
        assert_eq!(ListInfo::for_page(&q, 5, 50).next, None);
        assert_eq!(ListQuery::new().search("a").limit(1).pairs().len(), 2);
        let p = Page::paginate(vec![1, 2, 3, 4, 5], &ListQuery::new().start(3).limit(5), 50);
        assert_eq!((p.items, p.info.next), (vec![4, 5], None));
    }
}
