//! Unit tests of the agreement figures.
use super::*;
use rop_api::StageResult;

fn w1(stages: &[(&str, bool)]) -> ChecklistResult {
    let mut r: ChecklistResult =
        serde_json::from_str(r#"{"call_id": "c", "manager_id": "m", "total_score": 0, "max_score": 0, "completion_percentage": 0, "stages": []}"#)
            .unwrap();
    r.stages = stages
        .iter()
        .map(|(id, passed)| StageResult {
            stage_id: Some((*id).into()),
            stage_name: (*id).to_owned(),
            score: if *passed { 1 } else { -1 },
            percentage: Some(if *passed { 100 } else { 0 }),
            status: Some(if *passed {
                StageStatus::Completed
            } else {
                StageStatus::Failed
            }),
            comment: String::new(),
            quote: String::new(),
        })
        .collect();
    r
}

#[test]
fn kappa_matches_a_hand_computed_two_by_two_table() {
    // 50 calls: 20 both completed, 5 gold completed / predicted failed,
    // 10 gold failed / predicted completed, 15 both failed.
    // po = 35/50 = 0.7; pe = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = (0.7−0.5)/(1−0.5) = 0.4.
    let mut pairs = Vec::new();
    pairs.extend(std::iter::repeat_n(("completed", "completed"), 20));
    pairs.extend(std::iter::repeat_n(("completed", "failed"), 5));
    pairs.extend(std::iter::repeat_n(("failed", "completed"), 10));
    pairs.extend(std::iter::repeat_n(("failed", "failed"), 15));
    let a = agreement(&pairs);
    assert_eq!(a.n, 50);
    assert!((a.accuracy - 0.7).abs() < 1e-12, "{}", a.accuracy);
    assert!((a.kappa - 0.4).abs() < 1e-12, "{}", a.kappa);
}

#[test]
fn kappa_is_one_for_perfect_agreement_on_one_class_and_zero_for_chance() {
    let same = agreement(&[("failed", "failed"), ("failed", "failed")]);
    assert_eq!((same.accuracy, same.kappa), (1.0, 1.0));
    // Predictions independent of gold: po = pe = 0.5.
    let chance = agreement(&[
        ("completed", "completed"),
        ("completed", "failed"),
        ("failed", "completed"),
        ("failed", "failed"),
    ]);
    assert!(chance.kappa.abs() < 1e-12, "{}", chance.kappa);
    assert_eq!(agreement(&[]).n, 0);
}

#[test]
fn gold_reads_one_object_or_an_array_and_tolerant_labels() {
    let one = Gold::from_json_many(
        r#"{"call_id": "c1", "stages": {"A": "Completed ", "B": "FAILED", "C": null, "D": "n/a", "E": true},
            "fields": {"floor": 5, "x": null}}"#,
    )
    .unwrap();
    assert_eq!(one.len(), 1);
    let g = &one[0];
    assert_eq!(g.stages.len(), 3);
    assert_eq!(gold_label(&g.stages["A"]), "completed");
    assert_eq!(gold_label(&g.stages["B"]), "failed");
    assert_eq!(gold_label(&g.stages["E"]), "completed");
    assert_eq!(g.fields.get("floor").map(String::as_str), Some("5"));
    assert!(!g.fields.contains_key("x"));
    let many = Gold::from_json_many(r#"[{"call_id": "a"}, {"call_id": "b"}]"#).unwrap();
    assert_eq!(many.len(), 2);
    let err = Gold::from_json_many(r#"[{"stages": {"A": "failed"}}, {"stages": {"A": ["x"]}}]"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("gold: invalid JSON at `[1].stages.A`"),
        "{err}"
    );
}

#[test]
fn stage_accuracy_counts_only_listed_stages_and_na_as_a_disagreement() {
    let gold = Gold::from_json_many(
        r#"{"call_id": "c", "stages": {"A": "completed", "B": "failed", "C": "completed"}}"#,
    )
    .unwrap()
    .remove(0);
    let mut e = Evaluation::new();
    // D is not in gold: not scored. C is N/A in the output: a disagreement.
    e.add_stages(&gold, &w1(&[("A", true), ("B", false), ("D", true)]));
    let r = e.report();
    assert_eq!(r.stages.n, 3);
    assert!((r.stages.accuracy - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(r.stages.per_stage["C"].accuracy, 0.0);
    assert_eq!(r.flip_rate, None);
}

#[test]
fn field_values_compare_normalised_and_absent_in_both_is_not_counted() {
    let gold = Gold::from_json_many(
        r#"{"call_id": "c", "fields": {"name": "  Ёлкина ", "city": "Москва", "budget": "5-7 млн руб"}}"#,
    )
    .unwrap()
    .remove(0);
    let extracted: BTreeMap<String, String> = [
        // Decomposed «ё» (е + U+0308), other case: equal after NFC, lowercase, ё→е, trim.
        ("name", "Е\u{308}ЛКИНА"),
        ("budget", "5-7 млн руб"),
        ("phone", "79161234567"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let mut e = Evaluation::new();
    e.add_fields(&gold, &extracted);
    e.add_fields(&Gold::default(), &BTreeMap::new());
    let r = e.report().fields;
    // name ✓, budget ✓, city ✗ (not extracted), phone ✗ (extracted, absent from gold);
    // the empty call adds nothing.
    assert_eq!(r.n, 4);
    assert!((r.exact_match - 0.5).abs() < 1e-12);
    assert_eq!(r.per_field["name"].exact_match, 1.0);
    assert_eq!(r.per_field["city"].exact_match, 0.0);
    assert_eq!(r.per_field["phone"].n, 1);
    assert!(!r.per_field.contains_key("visit_date"));
    assert_eq!(normalize_value("Е\u{308}лка"), "елка");
}

#[test]
fn flip_rate_is_the_share_of_stage_verdicts_that_change_between_twins() {
    let gold = Gold::from_json_many(r#"{"call_id": "c", "stages": {"A": "completed"}}"#)
        .unwrap()
        .remove(0);
    let clean = w1(&[("A", true), ("B", true), ("C", false), ("D", true)]);
    // B flips; D is N/A in the twin (a flip too); A and C agree.
    let noisy = w1(&[("A", true), ("B", false), ("C", false)]);
    let mut e = Evaluation::new();
    e.add_stages(&gold, &clean);
    e.add_noisy(&gold, &clean, &noisy);
    let r = e.report();
    assert_eq!(r.flip_rate, Some(0.5));
    let noisy_stages = r.noisy_stages.unwrap();
    assert_eq!((noisy_stages.n, noisy_stages.accuracy), (1, 1.0));
}

#[test]
fn disagreements_list_the_call_the_stage_and_the_engines_comment_and_quote() {
    let gold = Gold::from_json_many(
        r#"{"call_id": "d1", "stages": {"A": "completed", "B": "failed"}, "fields": {"phone": "79161234567"}}"#,
    )
    .unwrap()
    .remove(0);
    let mut predicted = w1(&[("A", false), ("B", false)]);
    predicted.stages[0].comment = "Не найдено: «бюджет».".to_owned();
    predicted.stages[0].quote = "Добрый день".to_owned();
    let mut eval = Evaluation::new();
    eval.add_stages(&gold, &predicted);
    eval.add_fields(&gold, &BTreeMap::new());
    let report = eval.report();
    assert_eq!(report.disagreements.len(), 2);
    assert_eq!(
        report.disagreements[0],
        Disagreement {
            call_id: "d1".to_owned(),
            subject: Subject::Stage("A".to_owned()),
            twin: Twin::Clean,
            gold: "completed".to_owned(),
            verdict: "failed".to_owned(),
            comment: "Не найдено: «бюджет».".to_owned(),
            quote: "Добрый день".to_owned(),
        }
    );
    assert_eq!(
        report.render_disagreements(),
        "d1 stage A [clean]: gold completed, engine failed — Не найдено: «бюджет». «Добрый день»\n\
         d1 field phone [clean]: gold 79161234567, engine (absent)\n"
    );
}

#[test]
fn per_stage_precision_and_recall_count_completed_as_positive() {
    let gold = |s: &str| {
        Gold::from_json_many(&format!(r#"{{"call_id": "c", "stages": {{"A": "{s}"}}}}"#))
            .unwrap()
            .remove(0)
    };
    let mut eval = Evaluation::new();
    eval.add_stages(&gold("completed"), &w1(&[("A", true)]));
    eval.add_stages(&gold("failed"), &w1(&[("A", true)]));
    eval.add_stages(&gold("completed"), &w1(&[("A", false)]));
    let a = &eval.report().stages.per_stage["A"];
    assert_eq!((a.precision, a.recall), (Some(0.5), Some(0.5)));
    let text = eval.report().render_text();
    assert!(
        text.contains("A: accuracy 0.333, kappa -0.500, precision 0.500, recall 0.500, n 3"),
        "{text}"
    );
}
