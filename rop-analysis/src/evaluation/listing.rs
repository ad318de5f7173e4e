//! What a user acts on: every disagreement with the gold labels, and a text rendering of the
//! figures with per-stage precision and recall.

use super::EvaluationReport;
use serde::Serialize;
use std::fmt::Write as _;

/// What a disagreement is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    /// A checklist stage, by id.
    Stage(String),
    /// A table field, by key.
    Field(String),
}

/// Which transcript of a call produced the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Twin {
    /// The clean transcript (`--transcripts`).
    Clean,
    /// Its ASR-noised twin (`--noisy`).
    Noisy,
}

/// One place where the engine and the gold labels disagree.
///
/// For a stage, `gold` and `verdict` are `completed`, `failed` or `n/a` (the engine left the
/// stage out: N/A or undecided); `comment` and `quote` are the engine's, from W1 (empty when the
/// stage was left out). For a field, `gold` and `verdict` are the values (empty when absent)
/// and `comment`/`quote` are empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// The call's id (from the gold label).
    pub call_id: String,
    /// The stage or field.
    pub subject: Subject,
    /// Clean transcript or ASR twin.
    pub twin: Twin,
    /// What the reviewer decided.
    pub gold: String,
    /// What the engine decided.
    pub verdict: String,
    /// The engine's one-sentence explanation.
    pub comment: String,
    /// The utterance the engine relied on, verbatim.
    pub quote: String,
}

impl EvaluationReport {
    /// The figures as plain text: stage accuracy and kappa overall and per stage with
    /// precision/recall of `completed`, the ASR figures and flip rate, and field exact match.
    ///
    /// ```
    /// let report = rop_analysis::Evaluation::new().report();
    /// assert!(report.render_text().starts_with("stages: accuracy 0.000"));
    /// ```
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let s = &self.stages;
        let _ = writeln!(
            out,
            "stages: accuracy {:.3}, kappa {:.3}, n {}",
            s.accuracy, s.kappa, s.n
        );
        for (id, a) in &s.per_stage {
            let _ = writeln!(
                out,
                "  {id}: accuracy {:.3}, kappa {:.3}, precision {}, recall {}, n {}",
                a.accuracy,
                a.kappa,
                opt(a.precision),
                opt(a.recall),
                a.n
            );
        }
        if let Some(n) = &self.noisy_stages {
            let _ = writeln!(
                out,
                "noisy stages: accuracy {:.3}, kappa {:.3}, n {}",
                n.accuracy, n.kappa, n.n
            );
        }
        if let Some(f) = self.flip_rate {
            let _ = writeln!(out, "flip rate: {f:.3}");
        }
        let f = &self.fields;
        let _ = writeln!(out, "fields: exact match {:.3}, n {}", f.exact_match, f.n);
        for (key, score) in &f.per_field {
            let _ = writeln!(
                out,
                "  {key}: exact match {:.3}, n {}",
                score.exact_match, score.n
            );
        }
        out
    }

    /// Every disagreement, one per line, sorted by call, then clean before ASR, then stage or
    /// field: `d03 stage KM_needs [clean]: gold completed, engine failed — <comment> «<quote>»`.
    ///
    /// ```
    /// assert_eq!(rop_analysis::Evaluation::new().report().render_disagreements(), "");
    /// ```
    pub fn render_disagreements(&self) -> String {
        let mut rows: Vec<&Disagreement> = self.disagreements.iter().collect();
        rows.sort_by(|a, b| {
            (&a.call_id, a.twin, &a.subject).cmp(&(&b.call_id, b.twin, &b.subject))
        });
        let mut out = String::new();
        for d in rows {
            let (kind, id) = match &d.subject {
                Subject::Stage(id) => ("stage", id),
                Subject::Field(key) => ("field", key),
            };
            let twin = match d.twin {
                Twin::Clean => "clean",
                Twin::Noisy => "asr",
            };
            let shown = |v: &str| {
                if v.is_empty() {
                    "(absent)".to_owned()
                } else {
                    v.to_owned()
                }
            };
            let _ = write!(
                out,
                "{} {kind} {id} [{twin}]: gold {}, engine {}",
                d.call_id,
                shown(&d.gold),
                shown(&d.verdict)
            );
            if !d.comment.is_empty() {
                let _ = write!(out, " — {}", d.comment);
            }
            if !d.quote.is_empty() {
                let _ = write!(out, " «{}»", d.quote);
            }
            out.push('\n');
        }
        out
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
}
