//! `rop-analysis evaluate`: the engine's verdicts (rules, the LLM, or both) against gold labels.

use crate::files::{self, CliError, read_call, read_dir_files};
use crate::options::{LlmArgs, SpeakerArgs};
use crate::{load_checklist, load_table, par_map, warn, warn_all};
use rop_analysis::{CallInfo, CompiledChecklist, Evaluation, Gold, Transcript};
use rop_api::ChecklistResult;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Arguments of `evaluate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
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
    /// Print one JSON object instead of a text summary (it always lists the disagreements).
    #[arg(long)]
    json: bool,
    /// Also list every disagreement with the gold labels (call, stage or field, gold, the
    /// engine's verdict, comment and quote) after the figures.
    #[arg(long)]
    disagreements: bool,
    #[command(flatten)]
    speakers: SpeakerArgs,
    #[command(flatten)]
    llm: LlmArgs,
}

/// One scored call: ids, its W1, its fields, and its noisy twin's W1.
struct Scored {
    id: String,
    stem: String,
    w1: ChecklistResult,
    fields: Option<BTreeMap<String, String>>,
    noisy: Option<ChecklistResult>,
}

/// A transcript read for evaluation, with its noisy twin.
struct Input {
    path: PathBuf,
    id: String,
    call: Transcript,
    twin: Option<Transcript>,
}

fn read_gold(dir: &Path) -> Result<HashMap<String, Gold>, CliError> {
    let mut gold = HashMap::new();
    for path in read_dir_files(dir)? {
        let text = files::read_text(&path)?;
        for mut g in Gold::from_json_many(&text).map_err(|e| CliError::file(&path, e))? {
            if g.call_id.is_empty() {
                g.call_id = files::stem(&path);
            }
            gold.insert(g.call_id.clone(), g);
        }
    }
    Ok(gold)
}

/// Runs `evaluate`.
pub(crate) fn run(args: &Args) -> Result<(), CliError> {
    let checklist = load_checklist(&args.checklist)?;
    let table = args.table.as_deref().map(load_table).transpose()?;
    let labels = args
        .speakers
        .labels(Some(&checklist.checklist().speaker_labels))?;
    let llm = args.llm.connect()?;
    if args.llm.rules_only()
        && let Some(w) = crate::options::prompt_only_warning(&checklist)
    {
        warn(&w);
    }
    let gold = read_gold(&args.gold)?;
    let paths = read_dir_files(&args.transcripts)?;
    let noisy_paths: HashMap<String, PathBuf> = match &args.noisy {
        Some(d) => read_dir_files(d)?
            .into_iter()
            .map(|p| (files::stem(&p), p))
            .collect(),
        None => HashMap::new(),
    };
    let inputs = par_map(&paths, |p| {
        let (call, warning) = read_call(p, &labels)?;
        let id = call
            .call_id
            .as_ref()
            .map_or_else(|| files::stem(p), |c| c.as_str().to_owned());
        let twin_path = noisy_paths
            .get(&id)
            .or_else(|| noisy_paths.get(&files::stem(p)));
        let (twin, twin_warning) = match twin_path {
            Some(np) => {
                let (t, w) = read_call(np, &labels)?;
                (Some(t), w)
            }
            None => (None, None),
        };
        let input = Input {
            path: p.to_owned(),
            id,
            call,
            twin,
        };
        Ok((input, [warning, twin_warning]))
    })?;
    warn_all(inputs.iter().flat_map(|(_, w)| w.iter()));
    let inputs: Vec<Input> = inputs.into_iter().map(|(i, _)| i).collect();

    let scored = match &llm {
        None => inputs
            .iter()
            .map(|i| Scored {
                id: i.id.clone(),
                stem: files::stem(&i.path),
                w1: checklist.score_call(&i.call, CallInfo::new(i.id.as_str(), "")),
                fields: table.as_ref().map(|tb| tb.extract(&i.call)),
                noisy: i
                    .twin
                    .as_ref()
                    .map(|t| checklist.score_call(t, CallInfo::new(i.id.as_str(), ""))),
            })
            .collect(),
        Some(llm) => score_with_llm(llm, &checklist, table.as_ref(), &inputs)?,
    };
    let mut eval = Evaluation::new();
    let mut unmatched = 0usize;
    for s in &scored {
        // Gold is matched by call id, else by the transcript's file name.
        let Some(g) = gold.get(&s.id).or_else(|| gold.get(&s.stem)) else {
            unmatched += 1;
            continue;
        };
        eval.add_stages(g, &s.w1);
        if let Some(f) = &s.fields {
            eval.add_fields(g, f);
        }
        if let Some(n) = &s.noisy {
            eval.add_noisy(g, &s.w1, n);
        }
    }
    if unmatched > 0 {
        warn(&format!(
            "{unmatched} transcript(s) without gold labels were skipped"
        ));
    }
    let without_twin = scored.iter().filter(|s| s.noisy.is_none()).count();
    if args.noisy.is_some() && without_twin > 0 {
        warn(&format!(
            "{without_twin} transcript(s) without a noisy twin are left out of the flip rate"
        ));
    }
    let report = eval.report();
    if args.json {
        let line = crate::to_json(&report)?;
        println!("{line}");
        return Ok(());
    }
    let mut text = format!(
        "calls: {}, strategy: {}\n",
        scored.len(),
        args.llm.strategy_name()
    );
    text.push_str(&report.render_text());
    if args.disagreements {
        text.push_str("\ndisagreements:\n");
        let listing = report.render_disagreements();
        text.push_str(if listing.is_empty() {
            "(none)\n"
        } else {
            &listing
        });
    }
    print!("{text}");
    Ok(())
}

/// Scores every call (and twin) through the LLM evaluator and extractor; calls the LLM failed
/// on are reported and make the command fail.
fn score_with_llm(
    llm: &crate::options::Llm,
    checklist: &CompiledChecklist,
    table: Option<&rop_analysis::CompiledTable>,
    inputs: &[Input],
) -> Result<Vec<Scored>, CliError> {
    let calls: Vec<&Transcript> = inputs.iter().map(|i| &i.call).collect();
    let twins: Vec<&Transcript> = inputs.iter().filter_map(|i| i.twin.as_ref()).collect();
    let verdicts = llm.evaluate_all(checklist, &calls);
    let mut twin_verdicts = llm.evaluate_all(checklist, &twins).into_iter();
    let mut llm_fields = match table {
        Some(tb) => llm.extract_all(tb.table(), &calls),
        None => Vec::new(),
    }
    .into_iter();
    let mut failed = Vec::new();
    let mut scored = Vec::with_capacity(inputs.len());
    for (i, v) in inputs.iter().zip(verdicts) {
        let info = CallInfo::new(i.id.as_str(), "");
        let twin = match i.twin.as_ref().map(|_| twin_verdicts.next()) {
            Some(Some(Ok(tv))) => Some(checklist.result(&tv, info.clone())),
            Some(Some(Err(e))) => {
                failed.push((i.path.clone(), e));
                None
            }
            _ => None,
        };
        let fields = match (table, llm_fields.next()) {
            (Some(tb), Some(Ok(extra))) => {
                let mut f = tb.extract(&i.call);
                f.extend(extra);
                Some(f)
            }
            (Some(_), Some(Err(e))) => {
                failed.push((i.path.clone(), e));
                None
            }
            _ => None,
        };
        match v {
            Ok(v) => scored.push(Scored {
                id: i.id.clone(),
                stem: files::stem(&i.path),
                w1: checklist.result(&v, info),
                fields,
                noisy: twin,
            }),
            Err(e) => failed.push((i.path.clone(), e)),
        }
    }
    crate::llm_failures(&failed, inputs.len())?;
    Ok(scored)
}
