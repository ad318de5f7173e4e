//! Request counters per (method, path, status) that outlive the journal's ring.

use std::collections::HashMap;

use crate::journal::JournalFilter;

/// Distinct paths counted separately at most; requests to later new paths are counted under
/// [`OTHER_PATHS`], and a `path` filter then makes the count a lower bound.
const MAX_PATHS: usize = 10_000;

/// The path under which requests past [`MAX_PATHS`] distinct paths are counted.
const OTHER_PATHS: &str = "\u{2026}";

/// How many requests of each (method, path, status) arrived since start or the last clear.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    /// Path → (method, status, count); looked up by `&str`, so counting a known path allocates
    /// nothing. Hashed with foldhash (randomly seeded per process, several times faster than
    /// SipHash on short keys; the number of keys is capped by [`MAX_PATHS`] anyway).
    by_path: HashMap<String, Vec<(String, u16, u64)>, foldhash::fast::RandomState>,
}

impl Counters {
    /// Counts one request.
    pub(crate) fn add(&mut self, method: &str, path: &str, status: u16) {
        // One lookup for a known path (every request but a path's first).
        let slots = if let Some(slots) = self.by_path.get_mut(path) {
            slots
        } else {
            let key = if self.by_path.len() < MAX_PATHS {
                path
            } else {
                OTHER_PATHS
            };
            self.by_path.entry(key.to_owned()).or_default()
        };
        match slots
            .iter_mut()
            .find(|(m, s, _)| *s == status && m == method)
        {
            Some((_, _, n)) => *n += 1,
            None => slots.push((method.to_owned(), status, 1)),
        }
    }

    /// The requests matching `filter` (method, path substring, status), and whether the count is
    /// exact: it is not when a `path` filter meets requests counted without their path.
    pub(crate) fn count(&self, filter: &JournalFilter) -> (u64, bool) {
        let any_path = JournalFilter {
            path: None,
            ..filter.clone()
        };
        let mut exact = true;
        let mut n = 0;
        for (path, slots) in &self.by_path {
            for (method, status, count) in slots {
                if path == OTHER_PATHS && filter.path.is_some() {
                    exact &= !any_path.matches_key(method, path, *status);
                } else if filter.matches_key(method, path, *status) {
                    n += count;
                }
            }
        }
        (n, exact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_method_path_substring_and_status() {
        let mut c = Counters::default();
        c.add("GET", "/crmapi/v1/users/admin", 200);
        c.add("GET", "/crmapi/v1/users/admin", 200);
        c.add("POST", "/crmapi/v1/makecall", 200);
        c.add("GET", "/crmapi/v1/users/nobody", 404);
        let f = |m: Option<&str>, p: Option<&str>, s: Option<u16>| JournalFilter {
            method: m.map(Into::into),
            path: p.map(Into::into),
            status: s,
            ..JournalFilter::default()
        };
        assert_eq!(c.count(&f(None, None, None)), (4, true));
        assert_eq!(c.count(&f(Some("get"), Some("/users/"), None)), (3, true));
        assert_eq!(c.count(&f(None, None, Some(404))), (1, true));
        assert_eq!(c.count(&f(Some("DELETE"), None, None)), (0, true));
    }

    #[test]
    fn past_the_key_bound_counts_stay_whole_but_path_counts_say_inexact() {
        let mut c = Counters::default();
        for i in 0..MAX_PATHS + 5 {
            c.add("GET", &format!("/p/{i}"), 200);
        }
        let all = JournalFilter::default();
        assert_eq!(c.count(&all), (u64::try_from(MAX_PATHS).unwrap() + 5, true));
        let by_path = JournalFilter {
            path: Some("/p/".into()),
            ..JournalFilter::default()
        };
        let (n, exact) = c.count(&by_path);
        assert_eq!(n, u64::try_from(MAX_PATHS).unwrap());
        assert!(!exact);
    }
}
