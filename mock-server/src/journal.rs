//! A bounded request journal: a ring of the latest requests, oldest first when listed, with
//! per-(method, path, status) counters that survive the ring's rotation (see [`crate::admin`]).

use std::collections::VecDeque;
use std::sync::Mutex;

use crate::admin::counters::Counters;

use serde::{Deserialize, Serialize};

/// One journal entry.
#[derive(Debug, Clone, Serialize)]
pub struct JournalEntry {
    /// Sequence number, increasing from 1 per service.
    pub id: u64,
    /// When the request arrived (RFC 3339, UTC).
    pub time: chrono::DateTime<chrono::Utc>,
    /// HTTP method, upper case as sent (the nine standard methods are not allocated anew for
    /// every entry).
    pub method: std::borrow::Cow<'static, str>,
    /// Path, without the query.
    pub path: String,
    /// Query string with secrets (`apiKey`, `token`, `crm_token`, `password`, and every
    /// configured key/token/password value) redacted.
    pub query: Option<String>,
    /// Answer status; `0` for a connection reset.
    pub status: u16,
    /// Fault applied, if any (`delay`, `status`, `reset`, `fail_next`).
    pub fault: Option<String>,
    /// Time spent answering, in microseconds (excluding an injected delay).
    pub micros: u64,
    /// Request body size in bytes.
    pub body_len: usize,
    /// The start of the body (lossy UTF-8), at most `journal_body_limit` bytes, cut *after*
    /// the whole body was redacted: values of secret keys (`apiKey`, `token`, `crm_token`,
    /// `password`) and every configured key/token/password value replaced.
    pub body: String,
    /// For a request that matched no route (answered 404): the near-miss report,
    /// `{"detail": "no route GET /crmapi/v1/history; closest: …", "closest": [{"route":
    /// "GET /crmapi/v1/history/json", "mismatch": ["missing segment \"json\""]}, …]}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_miss: Option<serde_json::Value>,
}

/// Filters of `GET /__admin/requests`; an unknown one is refused (400 naming it), never ignored.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JournalFilter {
    /// Only this method (any case).
    pub method: Option<String>,
    /// Only paths containing this text.
    pub path: Option<String>,
    /// Only this status.
    #[serde(deserialize_with = "http_plumbing::lenient::opt_from_str")]
    pub status: Option<u16>,
    /// Only entries with an id greater than this.
    #[serde(deserialize_with = "http_plumbing::lenient::opt_from_str")]
    pub since: Option<u64>,
    /// At most this many entries (default 100): with `since`, the first ones after it (paging
    /// forward); without, the latest ones (a tail). Always listed oldest first.
    #[serde(deserialize_with = "http_plumbing::lenient::opt_from_str")]
    pub limit: Option<usize>,
}

impl JournalFilter {
    /// Whether `e` passes the method, path and status filters (`since` and `limit` aside).
    pub(crate) fn matches(&self, e: &JournalEntry) -> bool {
        self.matches_key(&e.method, &e.path, e.status)
    }

    /// Whether a request of this method, path and status passes the filters.
    pub(crate) fn matches_key(&self, method: &str, path: &str, status: u16) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| method.eq_ignore_ascii_case(m))
            && self.path.as_deref().is_none_or(|p| path.contains(p))
            && self.status.is_none_or(|s| status == s)
    }
}

/// The ring itself.
#[derive(Debug)]
pub(crate) struct Journal {
    capacity: usize,
    inner: Mutex<Inner>,
    /// Woken on every new entry (long-polls of `requests/wait`).
    pub(crate) arrived: tokio::sync::Notify,
}

#[derive(Debug, Default)]
struct Inner {
    next_id: u64,
    total: u64,
    /// Entries rotated out of the ring since start or the last clear.
    dropped: u64,
    counters: Counters,
    entries: VecDeque<JournalEntry>,
}

impl Journal {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            inner: Mutex::new(Inner::default()),
            arrived: tokio::sync::Notify::new(),
        }
    }

    /// Stores an entry, dropping the oldest when full; the id is assigned here.
    pub(crate) fn push(&self, mut entry: JournalEntry) {
        // The entry rotated out is freed after the lock is released.
        let _rotated_out = {
            let mut inner = lock(&self.inner);
            inner.next_id += 1;
            inner.total += 1;
            entry.id = inner.next_id;
            inner.counters.add(&entry.method, &entry.path, entry.status);
            let out = if inner.entries.len() >= self.capacity {
                inner.dropped += 1;
                inner.entries.pop_front()
            } else {
                None
            };
            inner.entries.push_back(entry);
            out
        };
        self.arrived.notify_waiters();
    }

    /// Entries matching the filter, oldest first (see [`JournalFilter::limit`]).
    pub(crate) fn list(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        let inner = lock(&self.inner);
        let limit = filter.limit.unwrap_or(100);
        let picked = inner
            .entries
            .iter()
            .filter(|e| filter.since.is_none_or(|s| e.id > s))
            .filter(|e| filter.matches(e));
        if filter.since.is_some() {
            return picked.take(limit).cloned().collect();
        }
        let mut tail: Vec<JournalEntry> = picked.rev().take(limit).cloned().collect();
        tail.reverse();
        tail
    }

    /// Requests matching the method, path and status filters since start or the last clear,
    /// rotated-out ones included, and whether that count is exact (see [`Counters`]).
    pub(crate) fn count(&self, filter: &JournalFilter) -> (u64, bool) {
        lock(&self.inner).counters.count(filter)
    }

    /// Entries rotated out of the ring since start or the last clear.
    pub(crate) fn dropped(&self) -> u64 {
        lock(&self.inner).dropped
    }

    /// (entries kept, requests seen since start or the last clear).
    pub(crate) fn counts(&self) -> (usize, u64) {
        let inner = lock(&self.inner);
        (inner.entries.len(), inner.total)
    }

    /// The configured bound.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Forgets every entry (ids keep increasing).
    pub(crate) fn clear(&self) {
        let mut inner = lock(&self.inner);
        inner.entries.clear();
        inner.total = 0;
        inner.dropped = 0;
        inner.counters = Counters::default();
    }
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it: the journal and the
/// mocks' states stay usable after a handler bug.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, status: u16) -> JournalEntry {
        JournalEntry {
            id: 0,
            time: chrono::Utc::now(),
            method: "GET".into(),
            path: path.into(),
            query: None,
            status,
            fault: None,
            micros: 1,
            body_len: 0,
            body: String::new(),
            near_miss: None,
        }
    }

    #[test]
    fn keeps_only_the_latest_capacity_entries_oldest_first_and_counts_the_dropped() {
        let j = Journal::new(3);
        for i in 0..10 {
            j.push(entry(&format!("/p{i}"), 200));
        }
        let all = j.list(&JournalFilter::default());
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].path, "/p7");
        assert_eq!(all[2].path, "/p9");
        assert_eq!(j.counts(), (3, 10));
        assert_eq!(j.dropped(), 7);
        let f = JournalFilter {
            path: Some("/p".into()),
            ..JournalFilter::default()
        };
        assert_eq!(j.count(&f), (10, true));
        j.clear();
        assert_eq!((j.dropped(), j.count(&f).0), (0, 0));
    }

    #[test]
    fn limit_is_a_tail_without_since_and_a_page_after_since() {
        let j = Journal::new(10);
        for i in 0..6 {
            j.push(entry(&format!("/p{i}"), 200));
        }
        let tail = JournalFilter {
            limit: Some(2),
            ..JournalFilter::default()
        };
        let got: Vec<_> = j.list(&tail).into_iter().map(|e| e.path).collect();
        assert_eq!(got, ["/p4", "/p5"]);
        let page = JournalFilter {
            limit: Some(2),
            since: Some(1),
            ..JournalFilter::default()
        };
        let got: Vec<_> = j.list(&page).into_iter().map(|e| e.path).collect();
        assert_eq!(got, ["/p1", "/p2"]);
    }

    #[test]
    fn filters_by_method_path_status_and_since() {
        let j = Journal::new(10);
        j.push(entry("/a", 200));
        j.push(entry("/b", 404));
        j.push(entry("/ab", 200));
        let f = JournalFilter {
            path: Some("a".into()),
            status: Some(200),
            method: Some("get".into()),
            since: Some(1),
            limit: None,
        };
        let got = j.list(&f);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].path, "/ab");
    }
}
