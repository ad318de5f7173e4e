//! Agreement on the real Harper Valley calls (skipped when the data set is absent).

use rop_analysis::{CallInfo, CompiledChecklist, CompiledTable, Evaluation, Gold, Transcript};
use std::path::{Path, PathBuf};

fn data_dir() -> Option<PathBuf> {
    // `../shared/data/` relative to the workspace root.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/harper-valley");
    if dir.join("checklist.json").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "note: {} is absent; skipping the Harper Valley agreement test",
            dir.display()
        );
        None
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn asr_stage_accuracy_is_within_five_points_of_the_clean_transcripts() {
    let Some(dir) = data_dir() else { return };
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
    let r = eval.report();
    let noisy = r.noisy_stages.unwrap();
    assert_eq!(r.stages.n, noisy.n);
    assert!(r.stages.n >= 300, "{}", r.stages.n);
    assert!(
        (r.stages.accuracy - noisy.accuracy).abs() <= 0.05,
        "clean {} vs ASR {}",
        r.stages.accuracy,
        noisy.accuracy
    );
    assert!(r.flip_rate.unwrap() < 0.10, "flip rate {:?}", r.flip_rate);
    assert!(
        r.fields.exact_match >= 0.7,
        "fields {}",
        r.fields.exact_match
    );
}
