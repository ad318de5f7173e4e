//! `rop-analysis`: score transcripts against a checklist, fill analytic tables, evaluate the
//! engine against gold labels, and build reports. Results are JSON lines on standard output;
//! errors name the file (and the JSON path) and exit with status 1.

mod files;
mod report_cmd;

use clap::{Parser, Subcommand};
use files::{CliError, read_dir_files, read_transcript};
use rayon::prelude::*;
use rop_analysis::{CallInfo, CompiledChecklist, CompiledTable, Evaluation, Gold, Transcript};
use rop_api::ManagerId;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Files beyond which a progress bar is drawn on standard error.
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
    /// given (it overrides the transcript's), else the transcript's, else empty.
    Score {
        /// The checklist (JSON, FORMATS.md).
        #[arg(long, value_name = "FILE")]
        checklist: PathBuf,
        /// The manager id to report (overrides the transcript's `manager_id`).
        #[arg(long)]
        manager_id: Option<String>,
        /// Transcripts: our JSON, `verbose_json`, or `Speaker: text` lines.
        #[arg(value_name = "TRANSCRIPT", required = true)]
        transcripts: Vec<PathBuf>,
    },
    /// Fill an analytic table from transcripts: one W2 (JSON) per transcript, one per line.
    Extract {
        /// The table (JSON, FORMATS.md).
        #[arg(long, value_name = "FILE")]
        table: PathBuf,
        /// Transcripts: our JSON, `verbose_json`, or `Speaker: text` lines.
        #[arg(value_name = "TRANSCRIPT", required = true)]
        transcripts: Vec<PathBuf>,
    },
    /// Compare the engine with gold labels: stage accuracy, Cohen's kappa, field exact match,
    /// and (with `--noisy`) the verdict flip rate between clean and ASR transcripts.
    Evaluate {
        /// The checklist (JSON).
        #[arg(long, value_name = "FILE")]
        checklist: PathBuf,
        /// A table whose fields are compared with the gold `fields`.
        #[arg(long, value_name = "FILE")]
        table: Option<PathBuf>,
        /// A directory of transcripts (`*.json`, `*.txt`).
        #[arg(long, value_name = "DIR")]
        transcripts: PathBuf,
        /// A directory of gold labels (one object or an array per file; a label without
        /// `call_id` takes its file's stem). Matched by call id, else by transcript file name.
        #[arg(long, value_name = "DIR")]
        gold: PathBuf,
        /// The same calls with ASR errors (matched by call id or file name).
        #[arg(long, value_name = "DIR")]
        noisy: Option<PathBuf>,
        /// Print one JSON object instead of a text summary.
        #[arg(long)]
        json: bool,
    },
    /// Aggregate scored calls per office and manager.
    Report(report_cmd::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Score {
            checklist,
            manager_id,
            transcripts,
        } => score(&checklist, manager_id.map(ManagerId::from), &transcripts),
        Command::Extract { table, transcripts } => extract(&table, &transcripts),
        Command::Evaluate {
            checklist,
            table,
            transcripts,
            gold,
            noisy,
            json,
        } => evaluate(
            &checklist,
            table.as_deref(),
            &transcripts,
            &gold,
            noisy.as_deref(),
            json,
        ),
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

fn progress(n: usize) -> Option<indicatif::ProgressBar> {
    (n > PROGRESS_THRESHOLD).then(|| indicatif::ProgressBar::new(n as u64))
}

/// Reads and processes files in parallel, keeping their order; the first error wins.
fn par_map<T: Send>(
    paths: &[PathBuf],
    f: impl Fn(&Path) -> Result<T, CliError> + Sync,
) -> Result<Vec<T>, CliError> {
    let bar = progress(paths.len());
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

fn print_lines<T: serde::Serialize>(items: &[T]) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for item in items {
        let line = serde_json::to_string(item).map_err(|e| CliError::Other(e.to_string()))?;
        writeln!(out, "{line}").map_err(|e| CliError::Other(format!("stdout: {e}")))?;
    }
    out.flush()
        .map_err(|e| CliError::Other(format!("stdout: {e}")))
}

fn load_checklist(path: &Path) -> Result<CompiledChecklist, CliError> {
    let text = files::read_text(path)?;
    CompiledChecklist::from_json(&text).map_err(|e| CliError::file(path, e))
}

fn load_table(path: &Path) -> Result<CompiledTable, CliError> {
    let text = files::read_text(path)?;
    CompiledTable::from_json(&text).map_err(|e| CliError::file(path, e))
}

fn call_info(t: &Transcript, manager_id: Option<&ManagerId>) -> CallInfo {
    CallInfo {
        call_id: t.call_id.clone().unwrap_or_default(),
        manager_id: manager_id
            .or(t.manager_id.as_ref())
            .cloned()
            .unwrap_or_default(),
        timestamp: Some(chrono::Utc::now()),
    }
}

fn score(
    checklist: &Path,
    manager_id: Option<ManagerId>,
    transcripts: &[PathBuf],
) -> Result<(), CliError> {
    let checklist = load_checklist(checklist)?;
    let results = par_map(transcripts, |p| {
        let t = read_transcript(p)?;
        Ok(checklist.score_call(&t, call_info(&t, manager_id.as_ref())))
    })?;
    print_lines(&results)
}

fn extract(table: &Path, transcripts: &[PathBuf]) -> Result<(), CliError> {
    let table = load_table(table)?;
    let results = par_map(transcripts, |p| {
        let t = read_transcript(p)?;
        Ok(table.extract_call(&t, None, Some(chrono::Utc::now())))
    })?;
    print_lines(&results)
}

fn evaluate(
    checklist: &Path,
    table: Option<&Path>,
    dir: &Path,
    gold_dir: &Path,
    noisy: Option<&Path>,
    json: bool,
) -> Result<(), CliError> {
    let checklist = load_checklist(checklist)?;
    let table = table.map(load_table).transpose()?;
    let mut gold: HashMap<String, Gold> = HashMap::new();
    for path in read_dir_files(gold_dir)? {
        let text = files::read_text(&path)?;
        for mut g in Gold::from_json_many(&text).map_err(|e| CliError::file(&path, e))? {
            if g.call_id.is_empty() {
                g.call_id = files::stem(&path);
            }
            gold.insert(g.call_id.clone(), g);
        }
    }
    let paths = read_dir_files(dir)?;
    let noisy_paths: HashMap<String, PathBuf> = match noisy {
        Some(d) => read_dir_files(d)?
            .into_iter()
            .map(|p| (files::stem(&p), p))
            .collect(),
        None => HashMap::new(),
    };
    let scored = par_map(&paths, |p| {
        let t = read_transcript(p)?;
        let id = t
            .call_id
            .as_ref()
            .map_or_else(|| files::stem(p), |c| c.as_str().to_owned());
        let info = CallInfo::new(id.as_str(), "");
        let w1 = checklist.score_call(&t, info.clone());
        let fields = table.as_ref().map(|tb| tb.extract(&t));
        let twin = noisy_paths
            .get(&id)
            .or_else(|| noisy_paths.get(&files::stem(p)));
        let noisy_w1 = match twin {
            Some(np) => Some(checklist.score_call(&read_transcript(np)?, info)),
            None => None,
        };
        Ok((id, files::stem(p), w1, fields, noisy_w1))
    })?;
    let mut eval = Evaluation::new();
    let mut unmatched = 0usize;
    for (id, stem, w1, fields, noisy_w1) in &scored {
        // Gold is matched by call id, else by the transcript's file name.
        let Some(g) = gold.get(id).or_else(|| gold.get(stem)) else {
            unmatched += 1;
            continue;
        };
        eval.add_stages(g, w1);
        if let Some(f) = fields {
            eval.add_fields(g, f);
        }
        if let Some(n) = noisy_w1 {
            eval.add_noisy(g, w1, n);
        }
    }
    if unmatched > 0 {
        eprintln!("rop-analysis: {unmatched} transcript(s) without gold labels were skipped");
    }
    let without_twin = scored.iter().filter(|s| s.4.is_none()).count();
    if noisy.is_some() && without_twin > 0 {
        eprintln!(
            "rop-analysis: {without_twin} transcript(s) without a noisy twin are left out of the flip rate"
        );
    }
    let report = eval.report();
    if json {
        return print_lines(&[report]);
    }
    let mut text = format!(
        "calls: {}\nstages: accuracy {:.3}, kappa {:.3}, n {}\n",
        scored.len(),
        report.stages.accuracy,
        report.stages.kappa,
        report.stages.n
    );
    for (stage, a) in &report.stages.per_stage {
        text.push_str(&format!(
            "  {stage}: accuracy {:.3}, kappa {:.3}, n {}\n",
            a.accuracy, a.kappa, a.n
        ));
    }
    if let Some(n) = &report.noisy_stages {
        text.push_str(&format!(
            "noisy stages: accuracy {:.3}, kappa {:.3}, n {}\n",
            n.accuracy, n.kappa, n.n
        ));
    }
    if let Some(f) = report.flip_rate {
        text.push_str(&format!("flip rate: {f:.3}\n"));
    }
    if report.fields.n > 0 {
        text.push_str(&format!(
            "fields: exact match {:.3}, n {}\n",
            report.fields.exact_match, report.fields.n
        ));
        for (key, s) in &report.fields.per_field {
            text.push_str(&format!(
                "  {key}: exact match {:.3}, n {}\n",
                s.exact_match, s.n
            ));
        }
    }
    print!("{text}");
    Ok(())
}
