//! Fault injection: delays, forced statuses, connection resets, "fail the next N".

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::journal::lock;

/// One fault rule, as posted to `POST /__admin/faults`.
///
/// A rule without `path` applies to every (non-admin) request; `path` is an exact path, or a
/// prefix when it ends with `*`. The first rule that matches a request applies. A rule with
/// `times` is removed after it applied that many times ("fail the next N").
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct FaultRule {
    /// Set by the server: the id to `DELETE /__admin/faults/{id}`.
    pub id: u64,
    /// Exact path, or a prefix ending with `*`; none: every path.
    pub path: Option<String>,
    /// Only this method (any case); none: every method.
    pub method: Option<String>,
    /// Fixed delay before answering, in milliseconds.
    pub delay_ms: Option<u64>,
    /// With `delay_ms`: a random delay between `delay_ms` and this, in milliseconds.
    pub delay_max_ms: Option<u64>,
    /// Answer with this status instead of the real answer.
    pub status: Option<u16>,
    /// Body of the forced status (default `{"error":"injected fault"}`).
    pub body: Option<String>,
    /// Close the connection without an answer.
    pub reset: bool,
    /// Apply this many times, then remove the rule; none: until cleared.
    pub times: Option<u64>,
}

impl FaultRule {
    fn matches(&self, method: &str, path: &str) -> bool {
        let path_ok = match self.path.as_deref() {
            None => true,
            Some(p) => match p.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => path == p,
            },
        };
        path_ok
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
    }

    /// Validates a posted rule: a status must be a valid HTTP status, the delay range ordered.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if let Some(s) = self.status
            && !(200..=599).contains(&s)
        {
            return Err(format!("status: {s} is not a final HTTP status (200-599)"));
        }
        if let (Some(min), Some(max)) = (self.delay_ms, self.delay_max_ms)
            && max < min
        {
            return Err("delay_max_ms: smaller than delay_ms".into());
        }
        if self.delay_max_ms.is_some() && self.delay_ms.is_none() {
            return Err("delay_max_ms: needs delay_ms".into());
        }
        if self.delay_ms.unwrap_or(0) > 600_000 {
            return Err("delay_ms: at most 600000".into());
        }
        if self.times == Some(0) {
            return Err("times: must be at least 1".into());
        }
        Ok(())
    }
}

/// What a matching rule asks for, decided once per request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Applied {
    pub(crate) delay: Option<Duration>,
    pub(crate) status: Option<u16>,
    pub(crate) body: Option<String>,
    pub(crate) reset: bool,
}

impl Applied {
    /// A short label for the journal.
    pub(crate) fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = self.delay {
            parts.push(format!("delay {}ms", d.as_millis()));
        }
        if let Some(s) = self.status {
            parts.push(format!("status {s}"));
        }
        if self.reset {
            parts.push("reset".to_owned());
        }
        parts.join(", ")
    }
}

/// The rule table of one service.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    inner: Mutex<FaultState>,
}

#[derive(Debug, Default)]
struct FaultState {
    next_id: u64,
    rules: Vec<FaultRule>,
}

impl Faults {
    pub(crate) fn add(&self, mut rule: FaultRule) -> FaultRule {
        let mut st = lock(&self.inner);
        st.next_id += 1;
        rule.id = st.next_id;
        st.rules.push(rule.clone());
        rule
    }

    pub(crate) fn list(&self) -> Vec<FaultRule> {
        lock(&self.inner).rules.clone()
    }

    pub(crate) fn remove(&self, id: u64) -> bool {
        let mut st = lock(&self.inner);
        let before = st.rules.len();
        st.rules.retain(|r| r.id != id);
        st.rules.len() != before
    }

    pub(crate) fn clear(&self) {
        lock(&self.inner).rules.clear();
    }

    /// Whether the first rule matching the request is a connection reset; if so, it is consumed.
    pub(crate) fn take_reset(&self, method: &str, path: &str) -> bool {
        let mut st = lock(&self.inner);
        match st.rules.iter().position(|r| r.matches(method, path)) {
            Some(i) if st.rules.get(i).is_some_and(|r| r.reset) => {
                consume(&mut st.rules, i);
                true
            }
            _ => false,
        }
    }

    /// The first matching rule that is not a reset, consumed once; none when no rule matches.
    pub(crate) fn take(&self, method: &str, path: &str) -> Option<Applied> {
        let mut st = lock(&self.inner);
        let i = st.rules.iter().position(|r| r.matches(method, path))?;
        let rule = st.rules.get(i)?.clone();
        if rule.reset {
            // A reset is decided by `take_reset`; never answer a reset rule with a status.
            return None;
        }
        consume(&mut st.rules, i);
        let delay = rule.delay_ms.map(|min| {
            let ms = match rule.delay_max_ms {
                Some(max) if max > min => fastrand::u64(min..=max),
                _ => min,
            };
            Duration::from_millis(ms)
        });
        Some(Applied {
            delay,
            status: rule.status,
            body: rule.body,
            reset: false,
        })
    }
}

fn consume(rules: &mut Vec<FaultRule>, i: usize) {
    let remove = match rules.get_mut(i) {
        Some(rule) => match rule.times.as_mut() {
            Some(n) => {
                *n = n.saturating_sub(1);
                *n == 0
            }
            None => false,
        },
        None => false,
    };
    if remove {
        rules.remove(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_next_n_applies_n_times_then_disappears() {
        let f = Faults::default();
        f.add(FaultRule {
            path: Some("/x".into()),
            status: Some(503),
            times: Some(2),
            ..FaultRule::default()
        });
        assert_eq!(f.take("GET", "/x").and_then(|a| a.status), Some(503));
        assert!(f.take("GET", "/y").is_none());
        assert_eq!(f.take("GET", "/x").and_then(|a| a.status), Some(503));
        assert!(f.take("GET", "/x").is_none());
        assert!(f.list().is_empty());
    }

    #[test]
    fn prefix_and_method_filters_apply() {
        let f = Faults::default();
        f.add(FaultRule {
            path: Some("/crmapi/v1/*".into()),
            method: Some("post".into()),
            reset: true,
            ..FaultRule::default()
        });
        assert!(!f.take_reset("GET", "/crmapi/v1/users"));
        assert!(f.take_reset("POST", "/crmapi/v1/users"));
        assert!(f.take("POST", "/crmapi/v1/users").is_none());
    }

    #[test]
    fn random_delay_stays_in_range() {
        let f = Faults::default();
        f.add(FaultRule {
            delay_ms: Some(5),
            delay_max_ms: Some(9),
            ..FaultRule::default()
        });
        for _ in 0..50 {
            let d = f.take("GET", "/any").and_then(|a| a.delay).unwrap();
            assert!((5..=9).contains(&d.as_millis()));
        }
    }

    #[test]
    fn validate_rejects_bad_rules_naming_the_field() {
        let bad = FaultRule {
            status: Some(42),
            ..FaultRule::default()
        };
        assert!(bad.validate().unwrap_err().starts_with("status"));
        let bad = FaultRule {
            delay_ms: Some(10),
            delay_max_ms: Some(5),
            ..FaultRule::default()
        };
        assert!(bad.validate().unwrap_err().starts_with("delay_max_ms"));
    }
}
