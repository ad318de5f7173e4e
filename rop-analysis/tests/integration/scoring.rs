use super::fixture_text;
use rop_analysis::{CallInfo, CompiledChecklist, Transcript};
use rop_api::StageStatus;

fn checklist(stages: &str) -> CompiledChecklist {
    CompiledChecklist::from_json(&format!(
        r#"{{"id": "CL", "name": "Тест", "stages": [{stages}]}}"#
    ))
    .unwrap()
}

#[test]
fn eighteen_of_twenty_weights_is_ninety_percent() {
    let c = checklist(
        r#"{"id": "A", "name": "Приветствие", "weight": 18, "rules": {"any": ["добрый день"]}},
           {"id": "B", "name": "Показ", "weight": 2, "rules": {"any": ["показ"]}}"#,
    );
    let call = Transcript::parse("Менеджер: Добрый день!").unwrap();
    let w1 = c.score_call(&call, CallInfo::new("c1", "m1"));
    assert_eq!(
        (w1.total_score, w1.max_score, w1.completion_percentage),
        (18, 20, 90)
    );
    assert_eq!(w1.stages[0].score, 1);
    assert_eq!(w1.stages[0].status, Some(StageStatus::Completed));
    assert_eq!(w1.stages[1].score, -1);
    assert_eq!(w1.stages[1].status, Some(StageStatus::Failed));
    assert_eq!(w1.call_id.as_str(), "c1");
    assert_eq!(w1.checklist_name.as_deref(), Some("Тест"));
}

#[test]
fn a_failed_critical_stage_sets_completion_to_zero_but_keeps_totals() {
    let c = checklist(
        r#"{"id": "A", "name": "Приветствие", "weight": 3, "rules": {"any": ["добрый день"]}},
           {"id": "B", "name": "Без грубости", "critical": true, "rules": {"none": ["не мои проблемы"]}}"#,
    );
    let call = Transcript::parse("Менеджер: Добрый день! Это не мои проблемы.").unwrap();
    let w1 = c.score(&call);
    assert_eq!(
        (w1.total_score, w1.max_score, w1.completion_percentage),
        (3, 4, 0)
    );
    assert_eq!(w1.stages[1].percentage, Some(0));
    assert!(
        w1.stages[1].comment.contains("не мои проблемы"),
        "{}",
        w1.stages[1].comment
    );
}

#[test]
fn a_stage_whose_applies_when_fails_is_left_out() {
    let c = checklist(
        r#"{"id": "A", "name": "Приветствие", "rules": {"any": ["добрый день"]}},
           {"id": "M", "name": "Ипотека", "weight": 5, "applies_when": {"speaker": "client", "any": ["ипотека"]},
            "rules": {"any": ["первоначальный взнос"]}}"#,
    );
    let without = c.score(&Transcript::parse("Менеджер: Добрый день!").unwrap());
    assert_eq!(
        (
            without.total_score,
            without.max_score,
            without.completion_percentage
        ),
        (1, 1, 100)
    );
    assert_eq!(without.stages.len(), 1);
    let with =
        c.score(&Transcript::parse("Менеджер: Добрый день!\nКлиент: А ипотека возможна?").unwrap());
    assert_eq!((with.total_score, with.max_score), (1, 6));
    assert_eq!(with.stages.len(), 2);
}

#[test]
fn stage_threshold_overrides_the_checklist_threshold() {
    let c = CompiledChecklist::from_json(
        r#"{"name": "T", "pass_threshold": 100, "stages": [
            {"id": "A", "name": "a", "pass_threshold": 50, "rules": {"all": [["район"], ["комнат"]]}},
            {"id": "B", "name": "b", "rules": {"all": [["район"], ["комнат"]]}}]}"#,
    )
    .unwrap();
    let w1 = c.score(&Transcript::parse("Менеджер: Какой район?").unwrap());
    assert_eq!(w1.stages[0].percentage, Some(50));
    assert_eq!(w1.stages[0].score, 1);
    assert_eq!(w1.stages[1].score, -1);
}

#[test]
fn speaker_window_and_min_count_restrict_what_counts() {
    let c = checklist(
        r#"{"id": "W", "name": "Приветствие в начале", "rules": {"any": ["добрый день"], "window": {"from_start": 10}}},
           {"id": "C", "name": "Клиент сказал спасибо", "rules": {"speaker": "client", "any": ["спасибо"]}},
           {"id": "N", "name": "Дважды имя", "rules": {"any": ["анна"], "min_count": 2}},
           {"id": "E", "name": "Прощание в конце", "rules": {"any": ["до свидания"], "window": {"before_end": 5}}}"#,
    );
    let call = Transcript::from_json(
        r#"{"utterances": [
            {"speaker": "manager", "start": 20, "end": 22, "text": "Добрый день, я Анна"},
            {"speaker": "manager", "start": 22, "end": 24, "text": "Спасибо, Анна слушает"},
            {"speaker": "manager", "start": 24, "end": 26, "text": "До свидания"},
            {"speaker": "client", "start": 26, "end": 40, "text": "Угу"}]}"#,
    )
    .unwrap();
    let w1 = c.score(&call);
    let scores: Vec<i32> = w1.stages.iter().map(|s| s.score).collect();
    assert_eq!(scores, [-1, -1, 1, -1]);
}

#[test]
fn the_formats_fixture_call_scores_with_verbatim_quotes_and_russian_comments() {
    let c = CompiledChecklist::from_json(&fixture_text("checklist_realty.json")).unwrap();
    let call = Transcript::parse(&fixture_text("calls/call_01.json")).unwrap();
    let w1 = c.score(&call);
    assert_eq!(w1.manager_id.as_str(), "m_anna");
    assert_eq!(
        (w1.total_score, w1.max_score, w1.completion_percentage),
        (6, 6, 100)
    );
    assert_eq!(
        w1.stages[0].quote,
        "Добрый день, компания «Сэттл», меня зовут Анна."
    );
    assert_eq!(
        w1.stages[1].comment,
        "Найдено: «комнат», «район», «срок сдачи»."
    );
}

#[test]
fn a_prompt_only_stage_is_left_out_by_the_rules_alone() {
    let c = checklist(
        r#"{"id": "A", "name": "a", "rules": {"any": ["добрый день"]}},
           {"id": "L", "name": "Эмпатия", "prompt": "Менеджер проявил эмпатию."}"#,
    );
    let w1 = c.score(&Transcript::parse("Менеджер: Добрый день").unwrap());
    assert_eq!(w1.stages.len(), 1);
    assert_eq!(w1.max_score, 1);
}

#[test]
fn any_and_all_together_make_one_plus_len_all_conditions() {
    let c = checklist(
        r#"{"id": "S", "name": "Выявление", "rules": {"any": ["добрый день"], "all": [["район"], ["комнат"]]}}"#,
    );
    let only_any = c.score(&Transcript::parse("Менеджер: Добрый день!").unwrap());
    assert_eq!(only_any.stages[0].percentage, Some(33));
    let only_all = c.score(&Transcript::parse("Менеджер: Какой район, сколько комнат?").unwrap());
    assert_eq!(only_all.stages[0].percentage, Some(67));
    assert_eq!(only_all.stages[0].score, -1);
    let every = c.score(&Transcript::parse("Менеджер: Добрый день! Район? Комнат?").unwrap());
    assert_eq!(
        (every.stages[0].percentage, every.stages[0].score),
        (Some(100), 1)
    );
}

#[test]
fn one_forbidden_phrase_zeroes_a_stage_whose_conditions_are_all_met() {
    let c = checklist(
        r#"{"id": "S", "name": "Выявление", "pass_threshold": 0,
            "rules": {"all": [["район"], ["комнат"]], "none": ["мне все равно"]}}"#,
    );
    let w1 = c.score(
        &Transcript::parse("Менеджер: Какой район? Сколько комнат? Мне всё равно.").unwrap(),
    );
    assert_eq!(w1.stages[0].percentage, Some(0));
    // A threshold of 0 still passes at 0 %: `none` sets the percentage, the threshold decides.
    assert_eq!(w1.stages[0].score, 1);
}

#[test]
fn without_any_threshold_a_stage_needs_one_hundred_percent() {
    let c =
        checklist(r#"{"id": "S", "name": "Выявление", "rules": {"all": [["район"], ["комнат"]]}}"#);
    let w1 = c.score(&Transcript::parse("Менеджер: Какой район?").unwrap());
    assert_eq!(
        (w1.stages[0].percentage, w1.stages[0].score),
        (Some(50), -1)
    );
    assert_eq!(w1.stages[0].quote, "Какой район?");
}

#[test]
fn talk_of_the_past_is_no_invitation_unless_the_phrase_has_a_verb_of_its_own() {
    let c = checklist(
        r#"{"id": "I", "name": "Пригласил", "rules": {"speaker": "manager", "any": ["тест-драйв", "ждем вас"]}}"#,
    );
    let verdict = |text: &str| {
        let call = Transcript::from_json(&format!(
            r#"{{"utterances": [{{"speaker": "manager", "start": 0, "end": 5, "text": "{text}"}}]}}"#
        ))
        .unwrap();
        c.score(&call).stages[0].score
    };
    // A past verb with its subject: the test drive happened before the call (-1: not done).
    assert_eq!(verdict("Вы в субботу были у нас на тест-драйве."), -1);
    assert_eq!(verdict("Вы у нас на тест-драйве были, помню."), -1);
    // «ждем» is present tense: the phrase states its own time, whatever verb stands next to it
    // (an ASR transcript has no punctuation between the two).
    assert_eq!(verdict("наталья записал ждем вас"), 1);
    assert_eq!(verdict("Записала вас, ждем вас в субботу."), 1);
}
