//! Fuzz tests with `proptest` (`cargo fuzz` needs a nightly toolchain): every dispatcher and
//! parser of the workspace under arbitrary input. They are `#[ignore]`d — `.ci/fuzz` runs each
//! for a bounded time with many cases:
//!
//! ```sh
//! .ci/fuzz                       # every target, 60 s each
//! FUZZ_SECONDS=600 .ci/fuzz fuzz_history_csv
//! PROPTEST_CASES=100000 cargo test -p examples --test fuzz -- --ignored fuzz_timestamps
//! ```
//!
//! Crashers found this way are kept as ordinary (not ignored) tests in `regressions`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    unreachable_pub
)]

mod dispatchers;
mod inputs;
mod parsers;
mod regressions;
mod rop_time;
mod scoring;
mod services;

use proptest::test_runner::Config;
use std::sync::OnceLock;

/// Cases from `PROPTEST_CASES` (default 256), shrink steps from `PROPTEST_MAX_SHRINK_ITERS`
/// (default 2048), no persistence files (crashers go to `regressions` by hand).
pub fn config() -> Config {
    Config {
        failure_persistence: None,
        max_shrink_iters: std::env::var("PROPTEST_MAX_SHRINK_ITERS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2048),
        ..Config::default()
    }
}

/// One runtime for every async target.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime")
    })
}
