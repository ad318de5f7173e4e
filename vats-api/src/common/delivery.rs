//! [`Delivery`]: what a notifier reports about a push that was accepted.

use http::StatusCode;

/// The delivery report of a push the receiver accepted (a 2xx answer).
///
/// Failures are [`Error`](crate::Error)s instead: a non-2xx answer keeps its status and body, a
/// transport failure says how many attempts were made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// The receiver's answer status (a 2xx).
    pub status: StatusCode,
    /// How many attempts it took (1 when the first one succeeded).
    pub attempts: u32,
}

impl Delivery {
    /// Builds a report.
    pub fn new(status: StatusCode, attempts: u32) -> Self {
        Self { status, attempts }
    }
}
