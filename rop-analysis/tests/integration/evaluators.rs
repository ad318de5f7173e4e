use rop_analysis::{
    CompiledChecklist, DecidedBy, Evaluator, RulesEvaluator, StageVerdict, Strategy, Transcript,
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
    assert!(v[0].passed && v[0].decided_by == DecidedBy::Rules);
    assert_eq!(v[1].decided_by, DecidedBy::Undecided);
    assert!(!v[1].counts());
}

#[test]
fn strategy_sends_failed_or_unjudged_stages_with_a_prompt_to_the_llm() {
    let c = CompiledChecklist::from_json(
        r#"{"stages": [{"id": "S1", "name": "a", "prompt": "p", "rules": {"any": ["добрый день"]}},
                       {"id": "S2", "name": "b", "prompt": "p"},
                       {"id": "S3", "name": "c", "rules": {"any": ["показ"]}}]}"#,
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
    assert_eq!(needs(Strategy::RulesOnly), [false, false, false]);
    assert_eq!(needs(Strategy::RulesThenLlm), [true, true, false]);
    assert_eq!(needs(Strategy::LlmOnly), [true, true, false]);
}
