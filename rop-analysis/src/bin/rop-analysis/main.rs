//! `rop-analysis`: score transcripts against a checklist, fill analytic tables, evaluate the
//! engine against gold labels, and build reports. Results are JSON lines on standard output;
//! errors name the file (and the JSON path) and exit with status 1; warnings go to standard
//! error.

mod evaluate_cmd;
mod files;
mod options;
mod report_cmd;

use clap::{Parser, Subcommand};
use files::{CliError, read_call};
use options::{LlmArgs, SpeakerArgs};
use rayon::prelude::*;
use rop_analysis::{CallInfo, CompiledChecklist, CompiledTable, FieldKind, Transcript};
use rop_api::ManagerId;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The process allocates and frees many small strings per call (words, JSON); mimalloc does
/// that faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Files beyond which a progress bar is drawn on standard error (rules path).
const PROGRESS_THRESHOLD: usize = 300;

#[derive(Debug, Parser)]
#[command(
    name = "rop-analysis",
    version,
    about = "Scoring core of «Цифровой РОП»: score, extract, evaluate, report"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score transcripts against a checklist: one W1 (JSON) per transcript, one per line.
    ///
    /// `call_id` is the transcript's, else the file's stem. `manager_id` is `--manager-id` when
    /// given (it overrides the transcript's), else the transcript's, else empty. `timestamp`
    /// is the call's time (the transcript's `date`), absent when the transcript has none.
    Score(ScoreArgs),
    /// Fill an analytic table from transcripts: one W2 (JSON) per transcript, one per line.
    Extract(ExtractArgs),
    /// Compare the engine (rules, the LLM or both) with gold labels: stage accuracy, Cohen's
    /// kappa, field exact match, and (with `--noisy`) the verdict flip rate between clean and
    /// ASR transcripts.
    Evaluate(evaluate_cmd::Args),
    /// Aggregate scored calls per office and manager.
    Report(report_cmd::Args),
}

#[derive(Debug, clap::Args)]
struct ScoreArgs {
    /// The checklist (JSON, docs/formats.md).
    #[arg(long, value_name = "FILE")]
    checklist: PathBuf,
    /// The manager id to report (overrides the transcript's `manager_id`).
    #[arg(long)]
    manager_id: Option<String>,
    #[command(flatten)]
    speakers: SpeakerArgs,
    #[command(flatten)]
    llm: LlmArgs,
    /// Transcripts: our JSON, `verbose_json`, or `Speaker: text` lines.
    #[arg(value_name = "TRANSCRIPT", required = true)]
    transcripts: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct ExtractArgs {
    /// The table (JSON, docs/formats.md).
    #[arg(long, value_name = "FILE")]
    table: PathBuf,
    #[command(flatten)]
    speakers: SpeakerArgs,
    #[command(flatten)]
    llm: LlmArgs,
    /// Transcripts: our JSON, `verbose_json`, or `Speaker: text` lines.
    #[arg(value_name = "TRANSCRIPT", required = true)]
    transcripts: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Score(args) => score(&args),
        Command::Extract(args) => extract(&args),
        Command::Evaluate(args) => evaluate_cmd::run(&args),
        Command::Report(args) => report_cmd::run(args).map_err(|e| CliError::Other(e.to_string())),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rop-analysis: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A progress bar on standard error for more than `threshold` items (drawn only on a terminal).
pub(crate) fn progress(n: usize, threshold: usize) -> Option<indicatif::ProgressBar> {
    (n > threshold).then(|| indicatif::ProgressBar::new(n as u64))
}

/// Processes files in parallel, keeping their order; the first error wins.
pub(crate) fn par_map<T: Send>(
    paths: &[PathBuf],
    f: impl Fn(&Path) -> Result<T, CliError> + Sync,
) -> Result<Vec<T>, CliError> {
    let bar = progress(paths.len(), PROGRESS_THRESHOLD);
    let out = paths
        .par_iter()
        .map(|p| {
            let r = f(p);
            if let Some(b) = &bar {
                b.inc(1);
            }
            r
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    out
}

/// Prints warnings (in input order) to standard error.
pub(crate) fn warn_all<'a>(warnings: impl IntoIterator<Item = &'a Option<String>>) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for w in warnings.into_iter().flatten() {
        let _ = writeln!(err, "rop-analysis: {w}");
    }
}

pub(crate) fn warn(message: &str) {
    eprintln!("rop-analysis: warning: {message}");
}

/// Writes already serialised JSON lines to standard output.
fn print_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    for line in lines {
        out.write_all(line.as_bytes())
            .and_then(|()| out.write_all(b"\n"))
            .map_err(|e| CliError::Other(format!("stdout: {e}")))?;
    }
    out.flush()
        .map_err(|e| CliError::Other(format!("stdout: {e}")))
}

pub(crate) fn to_json<T: serde::Serialize>(item: &T) -> Result<String, CliError> {
    serde_json::to_string(item).map_err(|e| CliError::Other(e.to_string()))
}

pub(crate) fn load_checklist(path: &Path) -> Result<CompiledChecklist, CliError> {
    let text = files::read_text(path)?;
    CompiledChecklist::from_json(&text).map_err(|e| CliError::file(path, e))
}

pub(crate) fn load_table(path: &Path) -> Result<CompiledTable, CliError> {
    let text = files::read_text(path)?;
    CompiledTable::from_json(&text).map_err(|e| CliError::file(path, e))
}

/// The call's time: its start when the transcript's `date` has a time, else that day's
/// midnight UTC, else none.
pub(crate) fn call_time(t: &Transcript) -> Option<chrono::DateTime<chrono::Utc>> {
    t.started_at.or_else(|| {
        t.date
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc())
    })
}

fn call_info(t: &Transcript, manager_id: Option<&ManagerId>) -> CallInfo {
    CallInfo {
        call_id: t.call_id.clone().unwrap_or_default(),
        manager_id: manager_id
            .or(t.manager_id.as_ref())
            .cloned()
            .unwrap_or_default(),
        timestamp: call_time(t),
    }
}

/// Reports calls the LLM failed on; `Err` when there were any.
pub(crate) fn llm_failures(
    failed: &[(PathBuf, rop_analysis::Error)],
    total: usize,
) -> Result<(), CliError> {
    for (path, e) in failed {
        eprintln!("rop-analysis: {}: {e}", path.display());
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::Other(format!(
            "the LLM failed on {} of {total} call(s); their results are not printed",
            failed.len()
        )))
    }
}

fn score(args: &ScoreArgs) -> Result<(), CliError> {
    let checklist = load_checklist(&args.checklist)?;
    let labels = args
        .speakers
        .labels(Some(&checklist.checklist().speaker_labels))?;
    let manager_id = args.manager_id.clone().map(ManagerId::from);
    let llm = args.llm.connect()?;
    if args.llm.rules_only()
        && let Some(w) = options::prompt_only_warning(&checklist)
    {
        warn(&w);
    }
    let Some(llm) = llm else {
        let results = par_map(&args.transcripts, |p| {
            let (t, warning) = read_call(p, &labels)?;
            let w1 = checklist.score_call(&t, call_info(&t, manager_id.as_ref()));
            Ok((to_json(&w1)?, warning))
        })?;
        warn_all(results.iter().map(|r| &r.1));
        return print_lines(results.iter().map(|r| r.0.as_str()));
    };
    let calls = par_map(&args.transcripts, |p| read_call(p, &labels))?;
    warn_all(calls.iter().map(|c| &c.1));
    let refs: Vec<&Transcript> = calls.iter().map(|c| &c.0).collect();
    let verdicts = llm.evaluate_all(&checklist, &refs);
    let mut lines = Vec::with_capacity(calls.len());
    let mut failed = Vec::new();
    for ((path, (t, _)), v) in args.transcripts.iter().zip(&calls).zip(verdicts) {
        match v {
            Ok(v) => lines.push(to_json(
                &checklist.result(&v, call_info(t, manager_id.as_ref())),
            )?),
            Err(e) => failed.push((path.clone(), e)),
        }
    }
    print_lines(lines.iter().map(String::as_str))?;
    llm_failures(&failed, calls.len())
}

fn extract(args: &ExtractArgs) -> Result<(), CliError> {
    let table = load_table(&args.table)?;
    let labels = args.speakers.labels(None)?;
    let llm = args.llm.connect()?;
    let llm_fields: Vec<&str> = table
        .table()
        .fields
        .iter()
        .filter(|f| f.kind == FieldKind::Llm)
        .map(|f| f.key.as_str())
        .collect();
    if llm.is_none() && !llm_fields.is_empty() {
        warn(&format!(
            "field(s) of kind llm are left absent under --strategy rules: {} \
(use --strategy rules-then-llm with --llm-model)",
            llm_fields.join(", ")
        ));
    }
    let Some(llm) = llm.filter(|_| !llm_fields.is_empty()) else {
        let results = par_map(&args.transcripts, |p| {
            let (t, warning) = read_call(p, &labels)?;
            let w2 = table.extract_call(&t, None, call_time(&t));
            Ok((to_json(&w2)?, warning))
        })?;
        warn_all(results.iter().map(|r| &r.1));
        return print_lines(results.iter().map(|r| r.0.as_str()));
    };
    let calls = par_map(&args.transcripts, |p| read_call(p, &labels))?;
    warn_all(calls.iter().map(|c| &c.1));
    let refs: Vec<&Transcript> = calls.iter().map(|c| &c.0).collect();
    let started = std::time::Instant::now();
    let answers = llm.extract_all(table.table(), &refs);
    // Requests run concurrently: each call is charged its share of the wall time.
    let share = started.elapsed() / u32::try_from(calls.len().max(1)).unwrap_or(u32::MAX);
    let mut lines = Vec::with_capacity(calls.len());
    let mut failed = Vec::new();
    for ((path, (t, _)), answer) in args.transcripts.iter().zip(&calls).zip(answers) {
        match answer {
            Ok(data) => {
                let mut w2 = table.extract_call(t, None, call_time(t));
                w2.extracted_data.extend(data);
                w2.processing_time = w2.processing_time.map(|d| d + share);
                lines.push(to_json(&w2)?);
            }
            Err(e) => failed.push((path.clone(), e)),
        }
    }
    print_lines(lines.iter().map(String::as_str))?;
    llm_failures(&failed, calls.len())
}
