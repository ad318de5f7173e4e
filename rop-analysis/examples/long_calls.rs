//! Writes N different 45-minute calls (~7,000 words each) for measuring the CLI's throughput:
//! `OUT/checklist.json`, `OUT/table.json` and `OUT/calls/call_NNNNN.json`.
//!
//! With `RU_DEV_DIR` set, the calls are the data set's real calls concatenated (each file
//! starting at a different call) with its checklist and table; otherwise the benchmarks'
//! built-in generator writes them (a different seed per file).
//!
//! ```text
//! cargo run --release -p rop-analysis --example long_calls -- /tmp/long 2000
//! cargo build --release -p rop-analysis
//! hyperfine 'target/release/rop-analysis score --checklist /tmp/long/checklist.json /tmp/long/calls/*.json > /tmp/long/w1.jsonl'
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/long_call.rs"]
mod long_call;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(out), Some(n)) = (args.next(), args.next().and_then(|n| n.parse::<u64>().ok()))
    else {
        eprintln!("usage: long_calls OUT_DIR N   (RU_DEV_DIR: use the data set's calls)");
        return ExitCode::FAILURE;
    };
    let out = PathBuf::from(out);
    let calls = out.join("calls");
    if let Err(e) = std::fs::create_dir_all(&calls) {
        eprintln!("{}: {e}", calls.display());
        return ExitCode::FAILURE;
    }
    let ru_dev = std::env::var_os("RU_DEV_DIR").map(PathBuf::from);
    let (checklist, table) = match &ru_dev {
        Some(dir) => match long_call::from_ru_dev(dir, long_call::LONG_CALL_WORDS, 0) {
            Some((c, t, _)) => (c, t),
            None => {
                eprintln!("RU_DEV_DIR={}: no ru-dev data set there", dir.display());
                return ExitCode::FAILURE;
            }
        },
        None => (
            long_call::REALTY_CHECKLIST.to_owned(),
            long_call::REALTY_TABLE.to_owned(),
        ),
    };
    std::fs::write(out.join("checklist.json"), checklist).unwrap();
    std::fs::write(out.join("table.json"), table).unwrap();
    let (mut words, mut bytes) = (0usize, 0usize);
    for i in 0..n {
        let mut call = match &ru_dev {
            Some(dir) => {
                long_call::from_ru_dev(dir, long_call::LONG_CALL_WORDS, i as usize)
                    .unwrap()
                    .2
            }
            None => long_call::generated(long_call::LONG_CALL_WORDS, i),
        };
        call.call_id = Some(format!("call_{i:05}").into());
        words += long_call::stats(&call).1;
        let json = serde_json::to_string(&call).unwrap();
        bytes += json.len();
        std::fs::write(calls.join(format!("call_{i:05}.json")), json).unwrap();
    }
    eprintln!(
        "{n} calls, {} words and {} KiB each on average, in {}",
        words / n.max(1) as usize,
        bytes / n.max(1) as usize / 1024,
        calls.display()
    );
    ExitCode::SUCCESS
}
