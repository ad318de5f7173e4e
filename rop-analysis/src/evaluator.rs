//! The [`Evaluator`] trait: who decides a stage's verdict.
//!
//! Three implementations are interchangeable: [`RulesEvaluator`] (deterministic phrase rules,
//! this crate's core), the LLM evaluator (feature `llm`) and a rules-then-LLM combination built
//! on this trait. The scoring arithmetic ([`checklist_result`](crate::checklist_result)) does not
//! care who produced a verdict.

use crate::engine::CompiledChecklist;
use crate::error::Result;
use crate::transcript::Transcript;
use async_trait::async_trait;
use rop_api::StageId;
use std::fmt;

/// One stage's verdict, as produced by an evaluator: what happened to the stage
/// ([`Outcome`]) and a human-readable comment.
///
/// Only a [`Outcome::Scored`] verdict counts in W1; an N/A or undecided one has no score at
/// all, so "undecided but 80 %" or "N/A but passed" cannot be written down.
///
/// ```
/// use rop_analysis::{DecidedBy, Outcome, Score, StageVerdict};
/// let passed = StageVerdict::scored("S1".into(), DecidedBy::Llm, Score::new(true, 90), "Поздоровался.");
/// assert_eq!(passed.score().map(Score::percentage), Some(90));
/// let unknown = StageVerdict::undecided("S2".into(), "нет правил");
/// assert_eq!((&unknown.outcome, unknown.score()), (&Outcome::Undecided, None));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageVerdict {
    /// The checklist stage this verdict is about (its `id`).
    pub stage_id: StageId,
    /// N/A, undecided, or judged with a [`Score`].
    pub outcome: Outcome,
    /// One sentence in the checklist's language: what was found and what was missing (W1's
    /// `comment` when the stage is scored); may be empty.
    pub comment: String,
}

impl StageVerdict {
    /// A judged stage: it counts in W1 with `score`.
    pub fn scored(
        stage_id: StageId,
        by: DecidedBy,
        score: Score,
        comment: impl Into<String>,
    ) -> Self {
        Self {
            stage_id,
            outcome: Outcome::Scored { by, score },
            comment: comment.into(),
        }
    }

    /// A stage that does not apply to the call (its `applies_when` does not hold): left out of
    /// W1's `stages` and of the totals.
    pub fn not_applicable(stage_id: StageId, by: DecidedBy, comment: impl Into<String>) -> Self {
        Self {
            stage_id,
            outcome: Outcome::NotApplicable { by },
            comment: comment.into(),
        }
    }

    /// The verdict for a stage no evaluator could judge (for example a prompt-only stage under
    /// [`Strategy::RulesOnly`]): it is left out of the stages and of the totals, like N/A.
    pub fn undecided(stage_id: StageId, comment: impl Into<String>) -> Self {
        Self {
            stage_id,
            outcome: Outcome::Undecided,
            comment: comment.into(),
        }
    }

    /// The score, when the stage was judged; `None` for N/A and undecided stages.
    pub fn score(&self) -> Option<&Score> {
        match &self.outcome {
            Outcome::Scored { score, .. } => Some(score),
            Outcome::NotApplicable { .. } | Outcome::Undecided => None,
        }
    }

    /// Who decided (the score or the N/A); `None` when nobody could.
    pub fn decided_by(&self) -> Option<&DecidedBy> {
        match &self.outcome {
            Outcome::Scored { by, .. } | Outcome::NotApplicable { by } => Some(by),
            Outcome::Undecided => None,
        }
    }

    /// Whether the verdict counts in W1 (it is [`Outcome::Scored`]).
    pub fn counts(&self) -> bool {
        self.score().is_some()
    }

    /// Whether the stage was judged and passed; `false` for failed, N/A and undecided stages.
    pub fn passed(&self) -> bool {
        self.score().is_some_and(Score::passed)
    }
}

/// What happened to a stage: the three states a [`StageVerdict`] can be in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The stage does not apply to the call (its `applies_when` does not hold): left out of
    /// W1's `stages` and totals. `by` is who judged the condition (the rules, in this crate).
    NotApplicable {
        /// Who judged the stage not applicable.
        by: DecidedBy,
    },
    /// No evaluator could judge the stage (a prompt-only stage without an LLM, or the LLM left
    /// it out): left out like N/A.
    Undecided,
    /// The stage was judged and counts in W1.
    Scored {
        /// Who judged it.
        by: DecidedBy,
        /// Passed or failed, how much, and the supporting quote.
        score: Score,
    },
}

/// A judged stage's result: passed or failed, its percentage (0–100), the conditions behind it
/// and the supporting quote.
///
/// Built with [`Score::new`] (which clamps the percentage to 100) and refined with
/// [`with_conditions`](Score::with_conditions) and [`with_quote`](Score::with_quote); the
/// fields are private so that a percentage above 100 or more conditions met than checked
/// cannot exist.
///
/// ```
/// use rop_analysis::Score;
/// let s = Score::new(false, 250).with_conditions(5, 3).with_quote("Добрый день");
/// assert_eq!((s.passed(), s.percentage(), s.conditions_met(), s.conditions_total()), (false, 100, 3, 3));
/// assert_eq!(s.quote(), "Добрый день");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Score {
    passed: bool,
    percentage: u32,
    conditions_met: u32,
    conditions_total: u32,
    quote: String,
}

impl Score {
    /// A stage judged as a whole: `passed`, with `percentage` (values above 100 become 100),
    /// one condition checked (met when `passed`), no quote.
    pub fn new(passed: bool, percentage: u32) -> Self {
        Self {
            passed,
            percentage: percentage.min(100),
            conditions_met: u32::from(passed),
            conditions_total: 1,
            quote: String::new(),
        }
    }

    /// The same with `met` of `total` conditions (the rules' condition groups; `met` above
    /// `total` becomes `total`). Does not change `passed` or the percentage.
    #[must_use]
    pub fn with_conditions(mut self, met: u32, total: u32) -> Self {
        self.conditions_met = met.min(total);
        self.conditions_total = total;
        self
    }

    /// The same with the utterance supporting the verdict, verbatim (W1's `quote`).
    #[must_use]
    pub fn with_quote(mut self, quote: impl Into<String>) -> Self {
        self.quote = quote.into();
        self
    }

    /// W1's `completed` (score 1) when true, `failed` (score -1) otherwise.
    pub fn passed(&self) -> bool {
        self.passed
    }

    /// W1's `percentage`, 0–100: the share of the stage that was done.
    pub fn percentage(&self) -> u32 {
        self.percentage
    }

    /// Conditions met, 0..=[`conditions_total`](Self::conditions_total) (an LLM verdict: 1
    /// when passed, else 0).
    pub fn conditions_met(&self) -> u32 {
        self.conditions_met
    }

    /// Conditions checked (the rules' `any` / `all` groups; an LLM verdict: 1; 0 for a stage
    /// with only forbidden phrases).
    pub fn conditions_total(&self) -> u32 {
        self.conditions_total
    }

    /// The utterance supporting the verdict, verbatim; empty when there is none.
    pub fn quote(&self) -> &str {
        &self.quote
    }
}

/// Who produced a decided [`StageVerdict`] (see [`StageVerdict::decided_by`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DecidedBy {
    /// The deterministic phrase rules.
    Rules,
    /// The LLM evaluator.
    Llm,
    /// Another evaluator, by name.
    Other(String),
}

impl fmt::Display for DecidedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Rules => "rules",
            Self::Llm => "llm",
            Self::Other(s) => s,
        })
    }
}

/// How stages are evaluated when both rules and an LLM are available.
///
/// Whatever the strategy, the rules judge N/A (`applies_when`) and a stage without a `prompt`
/// is never sent to the model (it keeps the rules' verdict).
///
/// - `RulesOnly`: stages with `rules` are decided by rules; prompt-only stages are undecided
///   (left out of the totals).
/// - `LlmForPrompts` (the CLI's `--strategy llm`): every applicable stage with a `prompt` goes
///   to the LLM, even when its rules passed; the others keep the rules' verdict. It is not
///   "LLM only": a checklist whose stages have rules but no prompts is judged by the rules.
/// - `RulesThenLlm` (default): rules first; a stage the rules failed, or that has no rules,
///   goes to the LLM when it has a prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Strategy {
    /// Deterministic rules only.
    RulesOnly,
    /// The LLM for every applicable stage with a prompt; the rules for the rest.
    LlmForPrompts,
    /// Rules first, the LLM for what rules failed or could not judge.
    #[default]
    RulesThenLlm,
}

impl Strategy {
    /// Whether `stage` should go to the LLM, given the rules' verdict for it: never for a
    /// stage without a prompt or one the rules found N/A.
    pub fn needs_llm(self, stage: &crate::Stage, rules_verdict: &StageVerdict) -> bool {
        let has_prompt = stage
            .prompt
            .as_deref()
            .is_some_and(|p| !p.trim().is_empty());
        if !has_prompt || matches!(rules_verdict.outcome, Outcome::NotApplicable { .. }) {
            return false;
        }
        match self {
            Self::RulesOnly => false,
            Self::LlmForPrompts => true,
            Self::RulesThenLlm => !rules_verdict.passed(),
        }
    }
}

/// Produces one verdict per stage of a checklist, in the checklist's order.
///
/// Object-safe: use it as `Box<dyn Evaluator>` / `Arc<dyn Evaluator>`.
///
/// ```
/// use rop_analysis::{Checklist, CompiledChecklist, Evaluator, RulesEvaluator, Transcript};
/// # async fn run() -> rop_analysis::Result<()> {
/// let checklist = CompiledChecklist::compile(Checklist::from_json(
///     r#"{"stages": [{"id": "S1", "name": "Приветствие", "rules": {"any": ["добрый день"]}}]}"#,
/// )?)?;
/// let call = Transcript::parse("Менеджер: Добрый день!")?;
/// let evaluator: Box<dyn Evaluator> = Box::new(RulesEvaluator);
/// let verdicts = evaluator.evaluate(&checklist, &call).await?;
/// assert!(verdicts[0].passed());
/// # Ok(()) }
/// ```
#[async_trait]
pub trait Evaluator: Send + Sync {
    /// A short name for logs and errors (`rules`, `llm`, …).
    fn name(&self) -> &str;

    /// One verdict per stage of `checklist`, in order.
    async fn evaluate(
        &self,
        checklist: &CompiledChecklist,
        transcript: &Transcript,
    ) -> Result<Vec<StageVerdict>>;
}

/// The deterministic evaluator: the checklist's phrase rules. Never fails, does no I/O.
#[derive(Clone, Copy, Debug, Default)]
pub struct RulesEvaluator;

#[async_trait]
impl Evaluator for RulesEvaluator {
    fn name(&self) -> &str {
        "rules"
    }

    async fn evaluate(
        &self,
        checklist: &CompiledChecklist,
        transcript: &Transcript,
    ) -> Result<Vec<StageVerdict>> {
        Ok(checklist.evaluate(transcript))
    }
}
