//! Score a transcript from the command line with the `rop-analysis` library: the checklist
//! result (W1) and the table result (W2) that ROP would post, printed as JSON.
//!
//! ```sh
//! cargo run -p examples --example score_transcript
//! cargo run -p examples --example score_transcript -- my_call.json my_checklist.json my_table.json
//! ```
//!
//! Arguments (all optional): a transcript (docs/formats.md JSON, OpenAI `verbose_json`, or plain
//! `Speaker: text` lines), a checklist and a table (docs/formats.md JSON). Without them the example's
//! own files in `examples/data/` are used.

use rop_analysis::{CallInfo, CompiledChecklist, CompiledTable, Transcript};
use std::process::ExitCode;

const DEFAULT_TRANSCRIPT: &str = include_str!("../data/transcript.txt");
const DEFAULT_CHECKLIST: &str = include_str!("../data/checklist.json");
const DEFAULT_TABLE: &str = include_str!("../data/table.json");

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("score_transcript: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Reads the file at `arg`, or returns the built-in text.
fn read(arg: Option<String>, default: &str) -> Result<String, String> {
    match arg {
        Some(path) => std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}")),
        None => Ok(default.to_owned()),
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let transcript = Transcript::parse(&read(args.next(), DEFAULT_TRANSCRIPT)?)?;
    // Compile once (stems, automata); a compiled checklist scores any number of calls.
    let checklist = CompiledChecklist::from_json(&read(args.next(), DEFAULT_CHECKLIST)?)?;
    let table = CompiledTable::from_json(&read(args.next(), DEFAULT_TABLE)?)?;

    // The call's identity goes into the webhook payloads; the timestamp defaults to now.
    let call_id = transcript
        .call_id
        .clone()
        .unwrap_or_else(|| "cli_call".into());
    let w1 = checklist.score_call(&transcript, CallInfo::new(call_id.clone(), "cli_manager"));
    let w2 = table.extract_call(&transcript, Some(call_id), Some(chrono::Utc::now()));

    println!(
        "{}: {} of {} ({}%)",
        w1.checklist_name.as_deref().unwrap_or("checklist"),
        w1.total_score,
        w1.max_score,
        w1.completion_percentage
    );
    for stage in &w1.stages {
        let mark = if stage.score > 0 { "+" } else { "-" };
        println!("  {mark} {} — {}", stage.stage_name, stage.comment);
    }
    println!(
        "\nW1 (checklist result):\n{}",
        serde_json::to_string_pretty(&w1)?
    );
    println!(
        "\nW2 (table result):\n{}",
        serde_json::to_string_pretty(&w2)?
    );
    Ok(())
}
