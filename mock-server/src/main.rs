//! mock-server: filled by its issue.
fn main() {}
