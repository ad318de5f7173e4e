//! The scoring core: transcripts in their three forms, checklists and tables with arbitrary
//! phrases, weights, windows and regexes. Reading may fail; scoring what was read never panics
//! and stays within its bounds.

use crate::inputs;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use rop_analysis::{CallInfo, CompiledChecklist, CompiledTable, Transcript};
use serde_json::{Value, json};

/// Words of sales calls, their inflections, ASR damage and negations.
const RU: &[&str] = &[
    "добрый",
    "день",
    "здравствуйте",
    "меня",
    "зовут",
    "Анна",
    "Олег",
    "квартира",
    "квартиру",
    "двушка",
    "двушку",
    "однушку",
    "комнат",
    "район",
    "бюджет",
    "ипотека",
    "ипотеку",
    "рассрочка",
    "показ",
    "приезжайте",
    "не",
    "нет",
    "not",
    "no",
    "дорого",
    "дороговато",
    "подумать",
    "миллионов",
    "пяти",
    "семи",
    "млн",
    "руб",
    "тыс",
    "5-7",
    "3,5",
    "от",
    "до",
    "этаж",
    "10",
    "завтра",
    "телефон",
    "8",
    "921",
    "555-44-33",
    "+7",
    "ёлка",
    "елка",
    "ЁЁ",
    "—",
    ",",
    ".",
    "!",
    "?",
    "«",
    "»",
    "  ",
    "\t",
    "\u{0301}",
    "e\u{0301}",
    "ǅ",
    "ß",
    "İ",
];

fn phrase() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => vec(select(RU), 1..4).prop_map(|w| w.join(" ")),
        1 => any::<String>(),
        1 => Just(String::new()),
    ]
}

fn speaker() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(&["Менеджер", "Клиент", "manager", "client", "agent", "customer", "operator", "Спикер 1", ""][..]).prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

/// A transcript in one of the three forms, or any text.
pub fn transcript_text() -> impl Strategy<Value = String> {
    let line = (speaker(), phrase(), phrase()).prop_map(|(s, a, b)| format!("{s}: {a} {b}"));
    let plain = vec(line, 0..12).prop_map(|l| l.join("\n"));
    let num = || {
        prop_oneof![
            any::<f64>().prop_map(Value::from),
            (0u32..4000).prop_map(Value::from),
            inputs::word().prop_map(Value::String),
            Just(Value::Null)
        ]
    };
    let utterance = (speaker(), num(), num(), phrase())
        .prop_map(|(s, a, b, t)| json!({"speaker": s, "start": a, "end": b, "text": t}));
    let ours =
        (vec(utterance, 0..10), select(&["ru", "en", "de", ""][..])).prop_map(|(u, lang)| {
            json!({"call_id": "c", "language": lang, "utterances": u}).to_string()
        });
    let segment = (prop::option::of(speaker()), prop::option::of(inputs::word()), num(), num(), phrase())
        .prop_map(|(s, ch, a, b, t)| json!({"speaker": s, "channel": ch, "start": a, "end": b, "text": t}));
    let verbose = vec(segment, 0..10).prop_map(|s| json!({"segments": s}).to_string());
    prop_oneof![3 => plain, 2 => ours, 2 => verbose, 1 => any::<String>(), 1 => inputs::json_value().prop_map(|v| v.to_string())]
}

fn phrases() -> impl Strategy<Value = Value> {
    vec(phrase(), 0..4).prop_map(Value::from)
}

fn rules() -> impl Strategy<Value = Value> {
    let num = || {
        prop_oneof![
            (-5i64..4000).prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            Just(Value::Null),
            inputs::word().prop_map(Value::String)
        ]
    };
    (
        prop::option::of(select(&["manager", "client", "any", "robot"][..])),
        prop::option::of(phrases()),
        prop::option::of(vec(phrases(), 0..3)),
        prop::option::of(phrases()),
        num(),
        num(),
        num(),
    )
        .prop_map(|(sp, any, all, none, from, before, min)| {
            json!({"speaker": sp, "any": any, "all": all, "none": none,
                   "window": {"from_start": from, "before_end": before}, "min_count": min})
        })
}

/// A checklist in docs/formats.md's shape with arbitrary content.
pub fn checklist() -> impl Strategy<Value = String> {
    let weight = prop_oneof![
        (-3i64..5).prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        inputs::word().prop_map(Value::String)
    ];
    let stage = (
        inputs::word(),
        phrase(),
        weight,
        any::<bool>(),
        prop::option::of(rules()),
        prop::option::of(rules()),
        prop::option::of(-10i64..200),
        prop::option::of(phrase()),
    )
        .prop_map(|(id, name, w, critical, rules, applies, thr, prompt)| {
            json!({"id": id, "name": name, "weight": w, "critical": critical, "rules": rules,
                   "applies_when": applies, "pass_threshold": thr, "prompt": prompt})
        });
    let structured = (inputs::word(), select(&["ru", "en", "xx"][..]), prop::option::of(-10i64..200), vec(stage, 0..6))
        .prop_map(|(id, lang, thr, stages)| {
            json!({"id": id, "name": "fuzz", "language": lang, "pass_threshold": thr, "stages": stages}).to_string()
        });
    prop_oneof![5 => structured, 1 => inputs::json_value().prop_map(|v| v.to_string())]
}

/// A table in docs/formats.md's shape with arbitrary fields and patterns.
pub fn table() -> impl Strategy<Value = String> {
    let kind = select(
        &[
            "enum",
            "list",
            "money_range",
            "person_name",
            "phone",
            "date",
            "regex",
            "llm",
            "unknown",
        ][..],
    );
    let pattern = prop_oneof![
        3 => select(&["(?i)этаж\\s+(\\d+)", "(\\d+)", "(", "[", "a{99999999}", "(?P<x>.)", "^$", "\\p{Cyrillic}+", "(a)|(b)"][..]).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    let values =
        vec((phrase(), phrases()), 0..4).prop_map(|kv| Value::Object(kv.into_iter().collect()));
    let field = (inputs::word(), kind, prop::option::of(select(&["manager", "client", "any"][..])), values, prop::option::of(pattern))
        .prop_map(|(key, kind, sp, values, pattern)| json!({"key": key, "kind": kind, "speaker": sp, "values": values, "pattern": pattern}));
    let structured =
        vec(field, 0..8).prop_map(|f| json!({"id": "T", "name": "fuzz", "fields": f}).to_string());
    prop_oneof![5 => structured, 1 => inputs::json_value().prop_map(|v| v.to_string())]
}

const EXAMPLE_CHECKLIST: &str = include_str!("../../data/checklist.json");
const EXAMPLE_TABLE: &str = include_str!("../../data/table.json");

/// The invariants of a W1.
pub fn check_w1(w1: &rop_api::ChecklistResult, t: &Transcript) -> Result<(), TestCaseError> {
    prop_assert!(w1.completion_percentage <= 100, "{w1:?}");
    prop_assert!(w1.total_score <= w1.max_score || w1.max_score < 0, "{w1:?}");
    for s in &w1.stages {
        prop_assert!(s.score == 1 || s.score == -1, "{s:?}");
        prop_assert!(s.percentage.unwrap_or(0) <= 100, "{s:?}");
        prop_assert!(
            s.quote.is_empty()
                || t.utterances
                    .iter()
                    .any(|u| u.text.contains(s.quote.as_str())),
            "quote {:?} is not from the transcript",
            s.quote
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(crate::config())]

    #[test]
    #[ignore = "fuzz: run by .ci/fuzz"]
    fn fuzz_transcripts(text in transcript_text()) {
        let checklist = CompiledChecklist::from_json(EXAMPLE_CHECKLIST).unwrap();
        let table = CompiledTable::from_json(EXAMPLE_TABLE).unwrap();
        if let Ok(t) = Transcript::parse(&text) {
            let w1 = checklist.score_call(&t, CallInfo::new("c", "m"));
            check_w1(&w1, &t)?;
            for (k, v) in table.extract(&t) {
                prop_assert!(!v.is_empty(), "field {k} is present but empty");
            }
        }
    }

    #[test]
    #[ignore = "fuzz: run by .ci/fuzz"]
    fn fuzz_checklists(json in checklist(), text in transcript_text()) {
        if let (Ok(c), Ok(t)) = (CompiledChecklist::from_json(&json), Transcript::parse(&text)) {
            let w1 = c.score_call(&t, CallInfo::new("c", "m"));
            check_w1(&w1, &t)?;
        }
    }

    #[test]
    #[ignore = "fuzz: run by .ci/fuzz"]
    fn fuzz_tables(json in table(), text in transcript_text()) {
        if let (Ok(table), Ok(t)) = (CompiledTable::from_json(&json), Transcript::parse(&text)) {
            // Known finding (regressions.rs): an empty canonical value is answered as `""`.
            let empty_canonical = table.table().fields.iter().any(|f| f.values.contains_key(""));
            prop_assume!(!empty_canonical);
            for (k, v) in table.extract(&t) {
                prop_assert!(!v.is_empty(), "field {k} is present but empty");
            }
        }
    }
}
