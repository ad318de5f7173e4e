//! The contract suite: the checks of each protocol — vendor-document examples, error codes, auth failures,
//! pagination — against any base URL given in `CONTRACT_*` env vars (see `target.rs`), or
//! against the mock server started in-process when they are unset (which is what CI runs).
//!
//! ```sh
//! cargo test -p examples --test contract                              # against the mock
//! CONTRACT_ROP_URL=https://rop.example CONTRACT_ROP_KEY=… CONTRACT_AUDIO_URL=… \
//!   cargo test -p examples --test contract rop::                      # against your ROP
//! ```

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    unreachable_pub
)]

mod hooks;
mod pbx;
mod rop;
mod rop_vendor_examples;
mod target;
mod universe;
