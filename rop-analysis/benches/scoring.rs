//! Criterion benchmarks of the scoring core: one 45-minute call (~600 utterances, ~7,000
//! words) scored against a 10-stage checklist and extracted against a 7-field table, and a
//! batch of calls scored on all cores. A second pair of benchmarks builds the long call from the
//! real Harper Valley data set (`../shared/data/harper-valley`, skipped when absent): its calls
//! concatenated, turns of one speaker merged, up to ~7,000 words, scored against the data set's
//! checklist grown to 10 stages and extracted against a 7-field English table.
//!
//! `cargo bench -p rop-analysis --bench scoring -- --measurement-time 3 --warm-up-time 1`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use rop_analysis::{CompiledChecklist, CompiledTable, Speaker, Transcript, Utterance};
use std::hint::black_box;

const CHECKLIST: &str = r#"{
  "id": "CL_BENCH", "name": "Первичный звонок (бенчмарк)", "language": "ru", "pass_threshold": 100,
  "stages": [
    {"id": "S1", "name": "Приветствие", "rules": {"any": ["добрый день", "здравствуйте", "доброе утро"], "window": {"from_start": 60}}},
    {"id": "S2", "name": "Представился", "rules": {"any": ["меня зовут", "агентство недвижимости"]}},
    {"id": "S3", "name": "Критерии поиска", "rules": {"all": [["комнат", "однушка", "двушка", "трешка"], ["район"], ["срок сдачи", "когда сдается"]]}},
    {"id": "S4", "name": "Бюджет", "rules": {"any": ["бюджет", "какую сумму", "рассчитываете"]}},
    {"id": "S5", "name": "Ипотека", "rules": {"any": ["ипотека", "первоначальный взнос", "одобрение банка"]}},
    {"id": "S6", "name": "Презентация объекта", "weight": 2, "rules": {"all": [["планировка"], ["инфраструктура", "школа", "детский сад"]]}},
    {"id": "S7", "name": "Отработка возражений", "rules": {"any": ["понимаю ваши сомнения", "давайте посчитаем"], "none": ["это не мои проблемы"]}},
    {"id": "S8", "name": "Назначение показа", "critical": true, "rules": {"any": ["показ", "приезжайте", "встретимся на объекте"]}},
    {"id": "S9", "name": "Контакты", "rules": {"any": ["ваш телефон", "запишу номер", "отправлю в вотсап"], "min_count": 1}},
    {"id": "S10", "name": "Прощание", "rules": {"any": ["до свидания", "всего доброго", "хорошего дня"], "window": {"before_end": 120}}}
  ]}"#;

const TABLE: &str = r#"{
  "id": "TBL_BENCH", "name": "Анализ конверсии",
  "fields": [
    {"key": "client_name", "kind": "person_name", "speaker": "client"},
    {"key": "budget_range", "kind": "money_range"},
    {"key": "object_type", "kind": "enum", "values": {"квартира": ["квартира", "однушка", "двушка", "студия"], "дом": ["дом", "коттедж"]}},
    {"key": "objections", "kind": "list", "values": {"дорого": ["дорого", "дороговато"], "нужно подумать": ["подумать"], "далеко": ["далеко от метро"]}},
    {"key": "phone", "kind": "phone"},
    {"key": "visit_date", "kind": "date"},
    {"key": "floor", "kind": "regex", "pattern": "(?i)этаж\\s+(\\d+)"}
  ]}"#;

const MANAGER: &[&str] = &[
    "Расскажите, пожалуйста, какой район вы рассматриваете и сколько комнат нужно",
    "У нас есть отличная двушка с продуманной планировкой, рядом школа и детский сад",
    "Понимаю ваши сомнения, давайте посчитаем платеж по ипотеке с первоначальным взносом",
    "Дом сдается в четвертом квартале, срок сдачи уже согласован с застройщиком",
    "Квартира на седьмом этаже, окна выходят во двор, инфраструктура района развита",
    "Могу отправить вам расчет и подборку похожих вариантов в мессенджер сегодня вечером",
    "Если удобно, приезжайте на показ, я покажу и квартиру, и двор, и парковку",
];
const CLIENT: &[&str] = &[
    "Нам нужна квартира побольше, сейчас живем в однушке и уже тесно",
    "Бюджет у нас от пяти до семи миллионов, может чуть больше если ипотека",
    "Честно говоря, дороговато выходит, нужно подумать с женой",
    "А далеко от метро? Нам важно, чтобы ребенок мог ходить в школу пешком",
    "Да, понятно, а какие там соседи и есть ли парковка во дворе",
];

/// A 45-minute call: ~600 utterances, ~7,000 words.
fn long_call() -> Transcript {
    let mut utterances = vec![
        Utterance::new(
            Speaker::Manager,
            "Добрый день! Меня зовут Анна, агентство недвижимости «Сэттл».",
        )
        .at(0.0, 4.0),
        Utterance::new(
            Speaker::Client,
            "Здравствуйте, меня зовут Сергей, я по объявлению.",
        )
        .at(4.0, 8.0),
    ];
    let mut t = 8.0;
    for i in 0..596 {
        let (speaker, text) = if i % 2 == 0 {
            (Speaker::Manager, MANAGER[i / 2 % MANAGER.len()])
        } else {
            (Speaker::Client, CLIENT[i / 2 % CLIENT.len()])
        };
        utterances.push(Utterance::new(speaker, text).at(t, t + 4.4));
        t += 4.5;
    }
    utterances.push(
        Utterance::new(
            Speaker::Client,
            "Запишите мой телефон: +7 916 123-45-67, этаж 7 подходит.",
        )
        .at(t, t + 4.0),
    );
    utterances.push(
        Utterance::new(
            Speaker::Manager,
            "Спасибо! Тогда завтра показ. Всего доброго, хорошего дня!",
        )
        .at(t + 4.0, t + 8.0),
    );
    Transcript {
        call_id: Some("bench_call".into()),
        date: chrono::NaiveDate::from_ymd_opt(2025, 9, 17),
        utterances,
        ..Transcript::default()
    }
}

fn benches(c: &mut Criterion) {
    let checklist = CompiledChecklist::from_json(CHECKLIST).unwrap();
    let table = CompiledTable::from_json(TABLE).unwrap();
    let call = long_call();
    let words: usize = call
        .utterances
        .iter()
        .map(|u| u.text.split_whitespace().count())
        .sum();
    eprintln!(
        "bench call: {} utterances, {words} words",
        call.utterances.len()
    );

    c.bench_function("score 45-min call, 10 stages", |b| {
        b.iter(|| checklist.score(black_box(&call)))
    });
    c.bench_function("extract 45-min call, 7 fields", |b| {
        b.iter(|| table.extract(black_box(&call)))
    });

    let batch: Vec<Transcript> = (0..1000)
        .map(|i| {
            let mut t = call.clone();
            t.call_id = Some(format!("call_{i}").into());
            t
        })
        .collect();
    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Elements(batch.len() as u64));
    group.sample_size(10);
    group.bench_function("score 1000 calls, all cores (rayon)", |b| {
        b.iter(|| {
            batch
                .par_iter()
                .map(|t| checklist.score(t))
                .collect::<Vec<_>>()
        })
    });
    group.finish();
}

/// Five more English stages for the data set's five-stage checklist.
const HV_EXTRA_STAGES: &str = r#"[
  {"id": "X_greeting", "name": "Greeting", "rules": {"any": ["hello", "good morning", "good afternoon"], "window": {"from_start": 60}}},
  {"id": "X_name", "name": "Agent gives their name", "rules": {"any": ["my name is", "this is"]}},
  {"id": "X_help", "name": "Offers help", "rules": {"all": [["how can i help", "how may i help", "what can i do"], ["today"]]}},
  {"id": "X_verify", "name": "Verifies identity", "weight": 2, "rules": {"any": ["account number", "date of birth", "pin number", "social security"], "none": ["i don't care"]}},
  {"id": "X_more", "name": "Asks if anything else", "critical": true, "rules": {"any": ["anything else", "something else", "any other questions"], "min_count": 1}}
]"#;

const HV_EXTRA_FIELDS: &str = r#"[
  {"key": "client_name", "kind": "person_name", "speaker": "client"},
  {"key": "products", "kind": "list", "values": {"card": ["card", "debit card", "credit card"], "checks": ["checks", "checkbook"], "account": ["savings", "checking account"]}},
  {"key": "phone", "kind": "phone"},
  {"key": "visit_date", "kind": "date"},
  {"key": "amount", "kind": "regex", "pattern": "(\\d+) dollars"},
  {"key": "channel", "kind": "enum", "values": {"branch": ["branch", "in person"], "online": ["online", "website", "app"], "phone": ["phone", "call"]}}
]"#;

/// The Harper Valley checklist (10 stages), table (7 fields) and a ~7,000-word call built from
/// the data set's calls; `None` when the data set is absent.
fn harper_valley() -> Option<(CompiledChecklist, CompiledTable, Transcript)> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/harper-valley");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let mut checklist: serde_json::Value = serde_json::from_str(&read("checklist.json")?).ok()?;
    let extra: Vec<serde_json::Value> = serde_json::from_str(HV_EXTRA_STAGES).unwrap();
    checklist["stages"].as_array_mut()?.extend(extra);
    let mut table: serde_json::Value = serde_json::from_str(&read("table.json")?).ok()?;
    let extra: Vec<serde_json::Value> = serde_json::from_str(HV_EXTRA_FIELDS).unwrap();
    table["fields"].as_array_mut()?.extend(extra);
    let mut files: Vec<_> = std::fs::read_dir(dir.join("calls"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut utterances: Vec<Utterance> = Vec::new();
    let (mut words, mut offset) = (0usize, 0.0f64);
    'calls: for f in files {
        let call = Transcript::parse(&std::fs::read_to_string(f).ok()?).ok()?;
        let end = call.duration().unwrap_or(0.0);
        for u in call.utterances {
            words += u.text.split_whitespace().count();
            let (start, stop) = (
                u.start.unwrap_or(0.0) + offset,
                u.end.unwrap_or(0.0) + offset,
            );
            match utterances.last_mut() {
                Some(last) if last.speaker == u.speaker => {
                    last.text.push(' ');
                    last.text.push_str(&u.text);
                    last.end = Some(stop);
                }
                _ => utterances.push(Utterance::new(u.speaker, u.text).at(start, stop)),
            }
            if words >= 7_000 {
                break 'calls;
            }
        }
        offset += end + 1.0;
    }
    let call = Transcript {
        call_id: Some("harper_valley_long".into()),
        language: rop_analysis::Language::En,
        utterances,
        ..Transcript::default()
    };
    Some((
        CompiledChecklist::from_json(&checklist.to_string()).unwrap(),
        CompiledTable::from_json(&table.to_string()).unwrap(),
        call,
    ))
}

fn harper_valley_benches(c: &mut Criterion) {
    let Some((checklist, table, call)) = harper_valley() else {
        eprintln!("note: the Harper Valley data set is absent; skipping its benchmarks");
        return;
    };
    let words: usize = call
        .utterances
        .iter()
        .map(|u| u.text.split_whitespace().count())
        .sum();
    eprintln!(
        "Harper Valley call: {} utterances, {words} words; {} stages, {} fields",
        call.utterances.len(),
        checklist.checklist().stages.len(),
        table.table().fields.len()
    );
    c.bench_function("harper valley: score ~7,000-word call, 10 stages", |b| {
        b.iter(|| checklist.score(black_box(&call)))
    });
    c.bench_function("harper valley: extract ~7,000-word call, 7 fields", |b| {
        b.iter(|| table.extract(black_box(&call)))
    });
    let batch: Vec<Transcript> = (0..1000).map(|_| call.clone()).collect();
    let mut group = c.benchmark_group("harper valley batch");
    group.throughput(Throughput::Elements(batch.len() as u64));
    group.sample_size(10);
    group.bench_function("score 1000 calls, all cores (rayon)", |b| {
        b.iter(|| {
            batch
                .par_iter()
                .map(|t| checklist.score(t))
                .collect::<Vec<_>>()
        })
    });
    group.finish();
}

criterion_group!(scoring, benches, harper_valley_benches);
criterion_main!(scoring);
