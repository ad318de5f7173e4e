//! Agreement on the real Harper Valley calls (English, real ASR): the engine must not get
//! worse there while it learns Russian sales calls.

use crate::datasets::{data_dir, evaluate};

#[test]
#[ignore = "needs HARPER_VALLEY_DIR: a directory laid out like harper-valley (checklist.json, calls/, calls_asr/, gold/)"]
fn harper_valley_agreement_holds_its_baseline_on_clean_and_asr_calls() {
    let r = evaluate(&data_dir("HARPER_VALLEY_DIR"));
    let noisy = r.noisy_stages.clone().unwrap();
    assert_eq!(r.stages.n, noisy.n);
    assert!(r.stages.n >= 300, "{}", r.stages.n);
    // The figures before the Russian work: 0.642 clean, 0.660 ASR, flips 0.034.
    assert!(r.stages.accuracy >= 0.64, "clean {}", r.stages.accuracy);
    assert!(noisy.accuracy >= 0.65, "ASR {}", noisy.accuracy);
    assert!(r.flip_rate.unwrap() <= 0.05, "flip rate {:?}", r.flip_rate);
    assert!(
        r.fields.exact_match >= 0.7,
        "fields {}",
        r.fields.exact_match
    );
}
