use rop_analysis::{
    CallInfo, CompiledChecklist, DecidedBy, Evaluator, Outcome, RulesEvaluator, Score,
    StageVerdict, Strategy, Transcript,
};
use std::sync::Arc;

#[tokio::test]
async fn rules_evaluator_works_as_a_trait_object() {
    let c = CompiledChecklist::from_json(
        r#"{"stages": [{"id": "S1", "name": "a", "rules": {"any": ["добрый день"]}},
                       {"id": "S2", "name": "b", "prompt": "Эмпатия"}]}"#,
    )
    .unwrap();
    let evaluator: Arc<dyn Evaluator> = Arc::new(RulesEvaluator);
    let t = Transcript::parse("Менеджер: добрый день").unwrap();
    let v = evaluator.evaluate(&c, &t).await.unwrap();
    assert_eq!(evaluator.name(), "rules");
    assert_eq!(v.len(), 2);
    assert!(v[0].passed() && v[0].decided_by() == Some(&DecidedBy::Rules));
    assert_eq!(v[1].outcome, Outcome::Undecided);
    assert!(!v[1].counts());
}

#[test]
fn strategy_sends_failed_or_unjudged_stages_with_a_prompt_to_the_llm() {
    let c = CompiledChecklist::from_json(
        r#"{"stages": [{"id": "S1", "name": "a", "prompt": "p", "rules": {"any": ["добрый день"]}},
                       {"id": "S2", "name": "b", "prompt": "p"},
                       {"id": "S3", "name": "c", "rules": {"any": ["показ"]}},
                       {"id": "S4", "name": "d", "prompt": "p", "rules": {"any": ["здравствуйте"]}},
                       {"id": "S5", "name": "e", "prompt": "p", "rules": {"any": ["здравствуйте"]},
                        "applies_when": {"any": ["ипотека"]}}]}"#,
    )
    .unwrap();
    let t = Transcript::parse("Менеджер: здравствуйте").unwrap();
    let v: Vec<StageVerdict> = c.evaluate(&t);
    let stages = &c.checklist().stages;
    let needs = |s: Strategy| -> Vec<bool> {
        stages
            .iter()
            .zip(&v)
            .map(|(st, vd)| s.needs_llm(st, vd))
            .collect()
    };
    assert_eq!(needs(Strategy::RulesOnly), [false; 5]);
    assert_eq!(
        needs(Strategy::RulesThenLlm),
        [true, true, false, false, false]
    );
    // A passed stage with a prompt goes to the model too; no prompt or N/A never does.
    assert_eq!(
        needs(Strategy::LlmForPrompts),
        [true, true, false, true, false]
    );
}

#[test]
fn only_a_scored_verdict_carries_a_score_or_counts() {
    let undecided = StageVerdict::undecided("S".into(), "нет правил");
    let na = StageVerdict::not_applicable("S".into(), DecidedBy::Rules, "не относится");
    for v in [&undecided, &na] {
        assert_eq!((v.score(), v.counts(), v.passed()), (None, false, false));
    }
    assert_eq!(undecided.decided_by(), None);
    assert_eq!(na.decided_by(), Some(&DecidedBy::Rules));

    let scored = StageVerdict::scored("S".into(), DecidedBy::Llm, Score::new(true, 80), "ок");
    assert!(scored.counts() && scored.passed());
    assert_eq!(scored.score().map(Score::percentage), Some(80));
}

#[test]
fn a_score_cannot_exceed_one_hundred_percent_or_meet_more_conditions_than_checked() {
    let s = Score::new(true, 140).with_conditions(7, 2);
    assert_eq!(
        (s.percentage(), s.conditions_met(), s.conditions_total()),
        (100, 2, 2)
    );
    // A stage judged as a whole is one condition, met when passed.
    let whole = Score::new(false, 30);
    assert_eq!((whole.conditions_met(), whole.conditions_total()), (0, 1));
}

#[test]
fn w1_counts_scored_stages_only_and_keeps_the_arithmetic() {
    let c = CompiledChecklist::from_json(
        r#"{"name": "CL", "stages": [
            {"id": "A", "name": "a", "weight": 18, "prompt": "p"},
            {"id": "B", "name": "b", "weight": 2, "prompt": "p"},
            {"id": "C", "name": "c", "weight": 5, "prompt": "p"},
            {"id": "D", "name": "d", "weight": 7, "prompt": "p"}]}"#,
    )
    .unwrap();
    let verdicts = [
        StageVerdict::scored(
            "A".into(),
            DecidedBy::Rules,
            Score::new(true, 100).with_quote("Добрый день"),
            "ок",
        ),
        StageVerdict::scored("B".into(), DecidedBy::Llm, Score::new(false, 40), "нет"),
        StageVerdict::not_applicable("C".into(), DecidedBy::Rules, "не относится"),
        StageVerdict::undecided("D".into(), "нет правил"),
    ];
    let w1 = c.result(&verdicts, CallInfo::new("c1", "m1"));
    assert_eq!(
        (w1.total_score, w1.max_score, w1.completion_percentage),
        (18, 20, 90)
    );
    let stages: Vec<_> = w1
        .stages
        .iter()
        .map(|s| {
            (
                s.stage_id.as_ref().map(|id| id.as_str()),
                s.score,
                s.percentage,
                s.quote.as_str(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            (Some("A"), 1, Some(100), "Добрый день"),
            (Some("B"), -1, Some(40), "")
        ]
    );
}
