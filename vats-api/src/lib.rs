//! vats-api: filled by its issue.
