//! rop-analysis: filled by its issue.
