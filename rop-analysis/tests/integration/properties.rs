use super::fixture_text;
use proptest::prelude::*;
use rop_analysis::{CompiledChecklist, Outcome, Speaker, Transcript, Utterance};
use std::sync::LazyLock;

static CHECKLIST: LazyLock<CompiledChecklist> =
    LazyLock::new(|| CompiledChecklist::from_json(&fixture_text("checklist_realty.json")).unwrap());

const VOCAB: &[&str] = &[
    "добрый",
    "день",
    "здравствуйте",
    "меня",
    "зовут",
    // Not a given name: in a transcript with capitals a name must be capitalised, so case
    // matters for the built-in name conditions (see docs/formats.md).
    "анкета",
    "сколько",
    "комнат",
    "район",
    "срок",
    "сдачи",
    "ипотека",
    "кредит",
    "первоначальный",
    "взнос",
    "показ",
    "приезжайте",
    "квартира",
    "двушка",
    "все",
    "еще",
    "хорошо",
    "мои",
    "проблемы",
    "равно",
    "мне",
    "объекте",
    "встретимся",
    "когда",
    "сдается",
    "ёлка",
    "береза",
];

fn utterances() -> impl Strategy<Value = Vec<(bool, Vec<usize>)>> {
    prop::collection::vec(
        (any::<bool>(), prop::collection::vec(0..VOCAB.len(), 1..12)),
        1..12,
    )
}

fn transcript(us: &[(bool, Vec<usize>)], variant: impl Fn(&str, usize) -> String) -> Transcript {
    let mut n = 0usize;
    let utterances = us
        .iter()
        .enumerate()
        .map(|(i, (manager, words))| {
            let text: Vec<String> = words
                .iter()
                .map(|&w| {
                    n += 1;
                    variant(VOCAB[w], n)
                })
                .collect();
            let speaker = if *manager {
                Speaker::Manager
            } else {
                Speaker::Client
            };
            Utterance::new(speaker, text.join(" ")).at(i as f64 * 3.0, i as f64 * 3.0 + 2.5)
        })
        .collect();
    Transcript {
        utterances,
        ..Transcript::default()
    }
}

fn verdicts(t: &Transcript) -> Vec<Outcome> {
    CHECKLIST
        .evaluate(t)
        .into_iter()
        .map(|v| match v.outcome {
            // The quote is the transcript's own text, which the noise changes.
            Outcome::Scored { by, score } => Outcome::Scored {
                by,
                score: score.with_quote(""),
            },
            other => other,
        })
        .collect()
}

proptest! {
    #[test]
    fn transcripts_survive_print_then_parse(us in utterances()) {
        let t = transcript(&us, |w, _| w.to_owned());
        let back = Transcript::from_json(&serde_json::to_string(&t).unwrap()).unwrap();
        prop_assert_eq!(back, t);
    }


    #[test]
    fn scores_stay_within_bounds_and_totals_follow_the_stages(us in utterances()) {
        let t = transcript(&us, |w, _| w.to_owned());
        let w1 = CHECKLIST.score(&t);
        prop_assert!(w1.total_score >= 0 && w1.total_score <= w1.max_score);
        prop_assert!(w1.completion_percentage <= 100);
        let stages = &CHECKLIST.checklist().stages;
        let weight = |id: &str| i64::from(stages.iter().find(|s| s.id.as_str() == id).unwrap().weight);
        let max: i64 = w1.stages.iter().map(|s| weight(s.stage_id.as_ref().unwrap().as_str())).sum();
        let total: i64 = w1.stages.iter().filter(|s| s.score == 1).map(|s| weight(s.stage_id.as_ref().unwrap().as_str())).sum();
        prop_assert_eq!(w1.max_score, max);
        prop_assert_eq!(w1.total_score, total);
        let critical_failed = w1.stages.iter().any(|s| s.score == -1 && stages.iter().any(|st| Some(&st.id) == s.stage_id.as_ref() && st.critical));
        let expected = if critical_failed || max == 0 { 0 } else { ((total as f64) * 100.0 / (max as f64)).round() as u32 };
        prop_assert_eq!(w1.completion_percentage, expected);
        for s in &w1.stages {
            prop_assert!(s.score == 1 || s.score == -1);
            prop_assert!(s.percentage.unwrap() <= 100);
            prop_assert_eq!(s.status.as_ref().unwrap().as_str(), if s.score == 1 { "completed" } else { "failed" });
        }
    }

    // The vocabulary has no negation: by design, clause punctuation ends a negation's reach
    // («Нет, подходит» counts, «нет подходит» does not), the one place punctuation matters.
    #[test]
    fn matching_ignores_case_yo_spaces_and_punctuation(us in utterances(), seed in any::<u64>()) {
        let plain = transcript(&us, |w, _| w.replace('ё', "е"));
        let noisy = transcript(&us, |w, n| {
            let bits = seed.rotate_left((n % 64) as u32);
            let mut s = w.replace('е', if bits & 1 == 1 { "ё" } else { "е" });
            if bits & 2 == 2 { s = s.to_uppercase(); }
            if bits & 4 == 4 { s.push_str("  "); }
            if bits & 8 == 8 { s.push('!'); }
            if bits & 16 == 16 { s = format!("«{s}»"); }
            s
        });
        prop_assert_eq!(verdicts(&plain), verdicts(&noisy));
    }
}
