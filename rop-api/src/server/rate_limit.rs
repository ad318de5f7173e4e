//! Per-key request rate limiting (the ROP vendor document: 60 requests per minute).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A sliding-window limit: at most `requests` per `window` for each API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub requests: u32,
    /// The window's length.
    pub window: Duration,
}

impl RateLimit {
    /// `requests` per minute.
    pub fn per_minute(requests: u32) -> Self {
        Self {
            requests,
            window: Duration::from_secs(60),
        }
    }
}

impl Default for RateLimit {
    /// The vendor document's limit: 60 per minute.
    fn default() -> Self {
        Self::per_minute(60)
    }
}

/// The request times of each key inside the current window.
#[derive(Debug)]
pub(crate) struct Limiter {
    limit: RateLimit,
    /// Keyed by the index of the matching configured API key, so no secret is stored twice.
    seen: Mutex<HashMap<usize, VecDeque<Instant>>>,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            seen: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Records a request of `key` at `now`; `Err(retry_after)` when it is over the limit.
    pub(crate) fn check(&self, key: usize, now: Instant) -> Result<(), Duration> {
        // A poisoned lock only means another request panicked mid-update; the data is still usable.
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let times = seen.entry(key).or_default();
        while times
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= self.limit.window)
        {
            times.pop_front();
        }
        if times.len() >= self.limit.requests as usize {
            let oldest = times.front().copied().unwrap_or(now);
            let wait = self
                .limit
                .window
                .saturating_sub(now.saturating_duration_since(oldest));
            return Err(wait);
        }
        times.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_61st_request_in_a_minute_waits_for_the_oldest() {
        let l = Limiter::new(RateLimit::default());
        let t0 = Instant::now();
        for i in 0..60 {
            assert!(l.check(0, t0 + Duration::from_millis(i * 100)).is_ok());
        }
        let wait = l.check(0, t0 + Duration::from_secs(10)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        assert!(l.check(1, t0).is_ok(), "other keys have their own window");
        assert!(l.check(0, t0 + Duration::from_secs(60)).is_ok());
    }
}
