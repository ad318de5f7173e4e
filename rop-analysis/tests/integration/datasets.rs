//! Runs the engine over an evaluation set laid out like `ru-dev` or `harper-valley`
//! (`checklist.json`, `table.json`, `calls/`, `calls_asr/`, `gold/`), found through an
//! environment variable.

use rop_analysis::{
    CallInfo, CompiledChecklist, CompiledTable, Evaluation, EvaluationReport, Gold, Transcript,
};
use std::path::{Path, PathBuf};

/// The directory named by `var`. Tests that call this are `#[ignore]`d with the variable's
/// name, so a plain `cargo test` reports them as ignored; run with `--ignored` and the
/// variable set. An unset or wrong variable fails loudly rather than passing silently.
pub(crate) fn data_dir(var: &str) -> PathBuf {
    let dir = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{var} is not set: point it at the evaluation set"));
    assert!(
        dir.join("checklist.json").is_file(),
        "{var}={} has no checklist.json",
        dir.display()
    );
    dir
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Scores every call (clean and ASR twin) and extracts the table from the clean call.
pub(crate) fn evaluate(dir: &Path) -> EvaluationReport {
    let checklist = CompiledChecklist::from_json(&read(&dir.join("checklist.json"))).unwrap();
    let table = CompiledTable::from_json(&read(&dir.join("table.json"))).unwrap();
    let mut eval = Evaluation::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("calls"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for clean_path in &files {
        let name = clean_path.file_name().unwrap();
        let gold = Gold::from_json_many(&read(&dir.join("gold").join(name)))
            .unwrap()
            .remove(0);
        let clean = Transcript::parse(&read(clean_path)).unwrap();
        let noisy = Transcript::parse(&read(&dir.join("calls_asr").join(name))).unwrap();
        let info = CallInfo::new(gold.call_id.as_str(), "");
        let w_clean = checklist.score_call(&clean, info.clone());
        let w_noisy = checklist.score_call(&noisy, info);
        eval.add_stages(&gold, &w_clean);
        eval.add_noisy(&gold, &w_clean, &w_noisy);
        eval.add_fields(&gold, &table.extract(&clean));
    }
    let report = eval.report();
    println!("{}", report.render_text());
    if std::env::var_os("SHOW_DISAGREEMENTS").is_some() {
        println!("{}", report.render_disagreements());
    }
    report
}
