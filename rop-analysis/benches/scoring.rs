//! Criterion benchmarks of the scoring core on 45-minute calls (~7,000 words):
//!
//! - `generated`: calls written by the built-in generator (`support/long_call.rs`: a bigram
//!   chain over a varied corpus, random prices, dates and phones, ~8 % ASR-garbled words), scored
//!   against a 10-stage checklist and extracted against a 7-field table; the batch scores 1,000
//!   *different* such calls on all cores;
//! - `ru-dev` (when `RU_DEV_DIR` names a directory laid out like the ru-dev data set): its real
//!   calls concatenated into one long call, against its own checklist and table;
//! - `harper valley` (when `HARPER_VALLEY_DIR` is set): the English calls likewise.
//!
//! `RU_DEV_DIR=… HARPER_VALLEY_DIR=… cargo bench -p rop-analysis --bench scoring -- --measurement-time 3 --warm-up-time 1`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "support/long_call.rs"]
mod long_call;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use long_call::{LONG_CALL_WORDS, REALTY_CHECKLIST, REALTY_TABLE};
use rayon::prelude::*;
use rop_analysis::{CompiledChecklist, CompiledTable, Transcript, Utterance};
use std::hint::black_box;

/// Scores and extracts one call, then scores a batch of 1,000 on all cores.
fn bench_set(
    c: &mut Criterion,
    name: &str,
    checklist: &CompiledChecklist,
    table: &CompiledTable,
    batch: &[Transcript],
) {
    let call = &batch[0];
    let (utterances, words, distinct) = long_call::stats(call);
    eprintln!(
        "{name}: {utterances} utterances, {words} words, {distinct} distinct forms; {} stages, {} fields",
        checklist.checklist().stages.len(),
        table.table().fields.len()
    );
    c.bench_function(&format!("{name}: score 45-min call"), |b| {
        b.iter(|| checklist.score(black_box(call)))
    });
    c.bench_function(&format!("{name}: extract 45-min call"), |b| {
        b.iter(|| table.extract(black_box(call)))
    });
    let mut group = c.benchmark_group(format!("{name} batch"));
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

fn generated_benches(c: &mut Criterion) {
    let checklist = CompiledChecklist::from_json(REALTY_CHECKLIST).unwrap();
    let table = CompiledTable::from_json(REALTY_TABLE).unwrap();
    let batch: Vec<Transcript> = (0..1000)
        .map(|i| long_call::generated(LONG_CALL_WORDS, i))
        .collect();
    bench_set(c, "generated", &checklist, &table, &batch);
}

fn ru_dev_benches(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("RU_DEV_DIR").map(std::path::PathBuf::from) else {
        eprintln!("note: RU_DEV_DIR is not set; skipping the ru-dev benchmarks");
        return;
    };
    let Some((checklist, table, _)) = long_call::from_ru_dev(&dir, LONG_CALL_WORDS, 0) else {
        eprintln!("note: RU_DEV_DIR holds no ru-dev data set; skipping its benchmarks");
        return;
    };
    let checklist = CompiledChecklist::from_json(&checklist).unwrap();
    let table = CompiledTable::from_json(&table).unwrap();
    // Each call of the batch starts at a different call of the set.
    let batch: Vec<Transcript> = (0..1000)
        .filter_map(|i| long_call::from_ru_dev(&dir, LONG_CALL_WORDS, i).map(|x| x.2))
        .collect();
    bench_set(c, "ru-dev", &checklist, &table, &batch);
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
    let dir = std::path::PathBuf::from(std::env::var_os("HARPER_VALLEY_DIR")?);
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
        eprintln!(
            "note: HARPER_VALLEY_DIR is not set (or holds no data set); skipping its benchmarks"
        );
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

criterion_group!(
    scoring,
    generated_benches,
    ru_dev_benches,
    harper_valley_benches
);
criterion_main!(scoring);
