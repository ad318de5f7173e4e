//! Admin features every service shares beyond the basics of [`crate::host`]: request counters
//! that outlive the journal's ring, the `requests/wait` long-poll and `requests/count`, and the
//! QA dashboard at `/__admin/`.

pub(crate) mod counters;
pub(crate) mod dashboard;
pub(crate) mod openapi;
pub(crate) mod wait;
