//! Agreement with gold labels (docs/formats.md «Gold labels»): stage accuracy, Cohen's kappa,
//! precision and recall per stage, per-field exact match, the verdict flip rate between clean and
//! ASR-noised transcripts, and the list of every disagreement.

mod listing;

pub use listing::{Disagreement, Subject, Twin};

use crate::error::{Result, decode_json, decode_value};
use rop_api::{ChecklistResult, StageStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One call's gold labels.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Gold {
    /// The call's id (matches the transcript's `call_id`, or its file stem).
    #[serde(default, deserialize_with = "http_plumbing::lenient::string")]
    pub call_id: String,
    /// Stage id → `completed` / `failed`. A stage not listed is not scored. Read tolerantly:
    /// any case, `passed`/`pass`/`true`/`1` for completed, `fail`/`false`/`0`/`-1` for failed;
    /// `null`, `""`, `n/a` leave the stage unscored.
    #[serde(default, deserialize_with = "stage_labels")]
    pub stages: BTreeMap<String, String>,
    /// Field key → expected value (numbers are read as their text; `null` means absent).
    #[serde(default, deserialize_with = "scalar_map")]
    pub fields: BTreeMap<String, String>,
}

/// A JSON scalar of a gold label.
#[derive(Deserialize)]
#[serde(untagged, expecting = "a string, a number, a boolean or null")]
enum Scalar {
    Text(String),
    Bool(bool),
    Number(serde_json::Number),
    Null(()),
}

impl Scalar {
    fn into_text(self) -> Option<String> {
        match self {
            Self::Text(s) => Some(s),
            Self::Bool(b) => Some(b.to_string()),
            Self::Number(n) => Some(n.to_string()),
            Self::Null(()) => None,
        }
    }
}

fn scalar_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<BTreeMap<String, String>, D::Error> {
    let m = Option::<BTreeMap<String, Scalar>>::deserialize(d)?.unwrap_or_default();
    Ok(m.into_iter()
        .filter_map(|(k, v)| v.into_text().map(|v| (k, v)))
        .collect())
}

fn stage_labels<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<BTreeMap<String, String>, D::Error> {
    Ok(scalar_map(d)?
        .into_iter()
        .filter_map(|(k, v)| canonical_status(&v).map(|v| (k, v.to_owned())))
        .collect())
}

/// `completed`, `failed`, or `None` for a label that leaves the stage unscored; any other label
/// becomes `unknown`, which never agrees with a verdict.
fn canonical_status(label: &str) -> Option<&'static str> {
    match normalize_value(label).as_str() {
        "" | "n/a" | "na" | "n a" | "none" | "null" | "-" => None,
        "completed" | "complete" | "passed" | "pass" | "true" | "yes" | "1" | "ok" => {
            Some("completed")
        }
        "failed" | "fail" | "false" | "no" | "0" | "-1" => Some("failed"),
        _ => Some("unknown"),
    }
}

impl Gold {
    /// Reads one gold object or a JSON array of them.
    pub fn from_json_many(text: &str) -> Result<Vec<Self>> {
        let value: serde_json::Value = decode_json("gold", text)?;
        if value.is_array() {
            decode_value("gold", value)
        } else {
            decode_value("gold", value).map(|g| vec![g])
        }
    }
}

/// Accuracy and kappa over a set of (gold, predicted) stage labels.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    /// Share of labels that agree, 0–1.
    pub accuracy: f64,
    /// Cohen's kappa (chance-corrected agreement), −1–1.
    pub kappa: f64,
    /// Number of labels compared.
    pub n: usize,
    /// Of the engine's `completed` verdicts, the share the reviewer also marked `completed`,
    /// 0–1 (`None` when the engine passed nothing). Low: the rules pass what a reviewer fails.
    pub precision: Option<f64>,
    /// Of the reviewer's `completed` labels, the share the engine also passed, 0–1 (`None`
    /// when gold has none). Low: the rules miss wordings a reviewer accepts.
    pub recall: Option<f64>,
}

/// Stage agreement overall and per stage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageAgreement {
    /// Share of labels that agree, 0–1.
    pub accuracy: f64,
    /// Cohen's kappa, −1–1.
    pub kappa: f64,
    /// Number of labels compared.
    pub n: usize,
    /// The same per stage id.
    pub per_stage: BTreeMap<String, Agreement>,
}

/// Field exact match overall and per field.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldAgreement {
    /// Share of fields that match exactly (after normalisation), 0–1.
    pub exact_match: f64,
    /// Number of fields compared.
    pub n: usize,
    /// Per field key: exact match share and count.
    pub per_field: BTreeMap<String, FieldScore>,
}

/// One field's exact match.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldScore {
    /// Share of calls where the value matched, 0–1.
    pub exact_match: f64,
    /// Number of calls compared.
    pub n: usize,
}

/// What `rop-analysis evaluate --json` prints.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvaluationReport {
    /// Stage verdicts against gold.
    pub stages: StageAgreement,
    /// Extracted fields against gold.
    pub fields: FieldAgreement,
    /// Share of stage verdicts that differ between a clean call and its noisy twin; `null`
    /// without noisy transcripts.
    pub flip_rate: Option<f64>,
    /// Stage verdicts of the noisy transcripts against gold, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noisy_stages: Option<StageAgreement>,
    /// Every disagreement with gold, stages and fields, clean and ASR, in the order compared
    /// (see [`EvaluationReport::render_disagreements`] for a sorted text form).
    pub disagreements: Vec<Disagreement>,
}

/// Accumulates comparisons; [`Evaluation::report`] computes the figures.
#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    stage_pairs: Vec<(String, String, String)>,
    noisy_pairs: Vec<(String, String, String)>,
    field_hits: BTreeMap<String, (usize, usize)>,
    flips: (usize, usize),
    disagreements: Vec<Disagreement>,
}

fn stage<'r>(result: &'r ChecklistResult, stage: &str) -> Option<&'r rop_api::StageResult> {
    result
        .stages
        .iter()
        .find(|s| s.stage_id.as_ref().is_some_and(|id| id.as_str() == stage))
}

fn label(result: &ChecklistResult, stage_id: &str) -> String {
    stage(result, stage_id).map_or_else(
        || "n/a".to_owned(),
        |s| match &s.status {
            Some(st) => st.as_str().to_owned(),
            None if s.score > 0 => StageStatus::Completed.as_str().to_owned(),
            None => StageStatus::Failed.as_str().to_owned(),
        },
    )
}

impl Evaluation {
    /// A new, empty evaluation.
    pub fn new() -> Self {
        Self::default()
    }

    /// Compares one call's W1 with its gold stages.
    pub fn add_stages(&mut self, gold: &Gold, predicted: &ChecklistResult) {
        for (stage, expected) in &gold.stages {
            let pair = (stage.clone(), gold_label(expected), label(predicted, stage));
            self.note_stage(gold, predicted, &pair, Twin::Clean);
            self.stage_pairs.push(pair);
        }
    }

    fn note_stage(
        &mut self,
        gold: &Gold,
        predicted: &ChecklistResult,
        (id, expected, verdict): &(String, String, String),
        twin: Twin,
    ) {
        if expected == verdict {
            return;
        }
        let found = stage(predicted, id);
        self.disagreements.push(Disagreement {
            call_id: gold.call_id.clone(),
            subject: Subject::Stage(id.clone()),
            twin,
            gold: expected.clone(),
            verdict: verdict.clone(),
            comment: found.map(|s| s.comment.clone()).unwrap_or_default(),
            quote: found.map(|s| s.quote.clone()).unwrap_or_default(),
        });
    }

    /// Compares a noisy twin's W1 with the gold stages and with the clean call's W1.
    pub fn add_noisy(&mut self, gold: &Gold, clean: &ChecklistResult, noisy: &ChecklistResult) {
        for (stage, expected) in &gold.stages {
            let pair = (stage.clone(), gold_label(expected), label(noisy, stage));
            self.note_stage(gold, noisy, &pair, Twin::Noisy);
            self.noisy_pairs.push(pair);
        }
        let stages = clean
            .stages
            .iter()
            .chain(&noisy.stages)
            .filter_map(|s| s.stage_id.as_ref());
        let mut seen = std::collections::BTreeSet::new();
        for id in stages {
            if seen.insert(id.as_str()) {
                self.flips.1 += 1;
                if label(clean, id.as_str()) != label(noisy, id.as_str()) {
                    self.flips.0 += 1;
                }
            }
        }
    }

    /// Compares one call's extracted fields with its gold fields (values compared after NFC,
    /// lowercasing, `ё`→`е` and trimming). Every key in either is counted, except a field
    /// absent from both: a value extracted where gold has none is a miss, and so is a gold
    /// value not extracted.
    pub fn add_fields(&mut self, gold: &Gold, extracted: &BTreeMap<String, String>) {
        let keys: std::collections::BTreeSet<&String> =
            gold.fields.keys().chain(extracted.keys()).collect();
        for key in keys {
            let g = gold
                .fields
                .get(key)
                .map(|v| normalize_value(v))
                .filter(|v| !v.is_empty());
            let p = extracted
                .get(key)
                .map(|v| normalize_value(v))
                .filter(|v| !v.is_empty());
            if g.is_none() && p.is_none() {
                continue;
            }
            let e = self.field_hits.entry(key.clone()).or_default();
            e.1 += 1;
            if g == p {
                e.0 += 1;
            } else {
                self.disagreements.push(Disagreement {
                    call_id: gold.call_id.clone(),
                    subject: Subject::Field(key.clone()),
                    twin: Twin::Clean,
                    gold: gold.fields.get(key).cloned().unwrap_or_default(),
                    verdict: extracted.get(key).cloned().unwrap_or_default(),
                    comment: String::new(),
                    quote: String::new(),
                });
            }
        }
    }

    /// The figures.
    pub fn report(&self) -> EvaluationReport {
        let (hits, n) = self
            .field_hits
            .values()
            .fold((0, 0), |(h, n), (a, b)| (h + a, n + b));
        EvaluationReport {
            stages: stage_agreement(&self.stage_pairs),
            fields: FieldAgreement {
                exact_match: ratio(hits, n),
                n,
                per_field: self
                    .field_hits
                    .iter()
                    .map(|(k, (h, n))| {
                        (
                            k.clone(),
                            FieldScore {
                                exact_match: ratio(*h, *n),
                                n: *n,
                            },
                        )
                    })
                    .collect(),
            },
            flip_rate: (self.flips.1 > 0).then(|| ratio(self.flips.0, self.flips.1)),
            noisy_stages: (!self.noisy_pairs.is_empty())
                .then(|| stage_agreement(&self.noisy_pairs)),
            disagreements: self.disagreements.clone(),
        }
    }
}

/// A gold stage label as compared with the predicted `completed` / `failed`.
fn gold_label(v: &str) -> String {
    canonical_status(v).unwrap_or("n/a").to_owned()
}

fn normalize_value(v: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    v.nfc()
        .collect::<String>()
        .to_lowercase()
        .replace('ё', "е")
        .trim()
        .to_owned()
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn stage_agreement(pairs: &[(String, String, String)]) -> StageAgreement {
    let all: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(_, g, p)| (g.as_str(), p.as_str()))
        .collect();
    let overall = agreement(&all);
    let mut by_stage: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (s, g, p) in pairs {
        by_stage
            .entry(s.as_str())
            .or_default()
            .push((g.as_str(), p.as_str()));
    }
    StageAgreement {
        accuracy: overall.accuracy,
        kappa: overall.kappa,
        n: overall.n,
        per_stage: by_stage
            .into_iter()
            .map(|(s, v)| (s.to_owned(), agreement(&v)))
            .collect(),
    }
}

/// Accuracy, Cohen's kappa, and precision/recall of `completed` over (gold, predicted) label
/// pairs.
///
/// ```
/// let a = rop_analysis::agreement(&[("completed", "completed"), ("failed", "failed"), ("failed", "completed")]);
/// assert_eq!(a.n, 3);
/// assert!((a.accuracy - 2.0 / 3.0).abs() < 1e-9);
/// assert!((a.kappa - 0.4).abs() < 1e-9);
/// assert_eq!((a.precision, a.recall), (Some(0.5), Some(1.0)));
/// ```
pub fn agreement(pairs: &[(&str, &str)]) -> Agreement {
    let n = pairs.len();
    if n == 0 {
        return Agreement {
            accuracy: 0.0,
            kappa: 0.0,
            n,
            precision: None,
            recall: None,
        };
    }
    let both = pairs
        .iter()
        .filter(|(g, p)| *g == "completed" && *p == "completed")
        .count();
    let passed = pairs.iter().filter(|(_, p)| *p == "completed").count();
    let positive = pairs.iter().filter(|(g, _)| *g == "completed").count();
    let agree = pairs.iter().filter(|(g, p)| g == p).count();
    let po = ratio(agree, n);
    let mut gold: BTreeMap<&str, usize> = BTreeMap::new();
    let mut pred: BTreeMap<&str, usize> = BTreeMap::new();
    for (g, p) in pairs {
        *gold.entry(g).or_default() += 1;
        *pred.entry(p).or_default() += 1;
    }
    let pe: f64 = gold
        .iter()
        .map(|(k, c)| ratio(*c, n) * ratio(pred.get(k).copied().unwrap_or(0), n))
        .sum();
    let kappa = if (1.0 - pe).abs() < 1e-12 {
        if agree == n { 1.0 } else { 0.0 }
    } else {
        (po - pe) / (1.0 - pe)
    };
    Agreement {
        accuracy: po,
        kappa,
        n,
        precision: (passed > 0).then(|| ratio(both, passed)),
        recall: (positive > 0).then(|| ratio(both, positive)),
    }
}

#[cfg(test)]
mod tests;
