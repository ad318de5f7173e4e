//! universe-api: filled by its issue.
