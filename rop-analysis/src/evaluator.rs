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

/// One stage's verdict, as produced by an evaluator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageVerdict {
    /// The stage this verdict is about.
    pub stage_id: StageId,
    /// `false` when the stage is N/A for this call (its `applies_when` does not hold): the stage
    /// is left out of W1's `stages` and of the totals.
    pub applicable: bool,
    /// Conditions met (rules) — for an LLM verdict, `1` when passed else `0`.
    pub conditions_met: u32,
    /// Conditions checked (rules) — for an LLM verdict, `1`.
    pub conditions_total: u32,
    /// 0–100: W1's `percentage`.
    pub percentage: u32,
    /// Whether the stage passed (W1's `score` 1 / `completed`).
    pub passed: bool,
    /// The utterance supporting the verdict, verbatim; empty when there is none.
    pub quote: String,
    /// One sentence in the checklist's language: what was found and what was missing.
    pub comment: String,
    /// Which evaluator decided.
    pub decided_by: DecidedBy,
}

impl StageVerdict {
    /// The verdict for a stage no evaluator could judge (for example a prompt-only stage under
    /// [`Strategy::RulesOnly`]): it is left out of the stages and of the totals, like N/A.
    pub fn undecided(stage_id: StageId, comment: impl Into<String>) -> Self {
        Self {
            stage_id,
            applicable: false,
            conditions_met: 0,
            conditions_total: 0,
            percentage: 0,
            passed: false,
            quote: String::new(),
            comment: comment.into(),
            decided_by: DecidedBy::Undecided,
        }
    }

    /// Whether the verdict counts in W1 (applicable and decided).
    pub fn counts(&self) -> bool {
        self.applicable && self.decided_by != DecidedBy::Undecided
    }

    /// The verdict as one of its three meaningful states. Match on this rather than on the
    /// flags: a verdict that is undecided has no score whatever `applicable` says, and an N/A
    /// stage has none either.
    ///
    /// ```
    /// use rop_analysis::{Outcome, StageVerdict};
    /// let v = StageVerdict::undecided("S1".into(), "нет правил");
    /// assert_eq!(v.outcome(), Outcome::Undecided);
    /// ```
    pub fn outcome(&self) -> Outcome<'_> {
        if self.decided_by == DecidedBy::Undecided {
            Outcome::Undecided
        } else if !self.applicable {
            Outcome::NotApplicable
        } else {
            Outcome::Scored {
                passed: self.passed,
                percentage: self.percentage.min(100),
                conditions_met: self.conditions_met,
                conditions_total: self.conditions_total,
                quote: &self.quote,
            }
        }
    }
}

/// The three states a [`StageVerdict`] can be in (see [`StageVerdict::outcome`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// The stage does not apply to the call (its `applies_when` does not hold): left out of
    /// W1's `stages` and totals.
    NotApplicable,
    /// No evaluator could judge the stage (a prompt-only stage without an LLM, or the LLM left
    /// it out): left out like N/A.
    Undecided,
    /// The stage was judged and counts in W1.
    Scored {
        /// W1's `completed` (score 1) when true, `failed` (score -1) otherwise.
        passed: bool,
        /// W1's `percentage`, 0–100.
        percentage: u32,
        /// Conditions met (an LLM verdict: 1 when passed, else 0).
        conditions_met: u32,
        /// Conditions checked (an LLM verdict: 1).
        conditions_total: u32,
        /// The supporting utterance, verbatim; empty when there is none.
        quote: &'a str,
    },
}

/// Who produced a [`StageVerdict`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DecidedBy {
    /// The deterministic phrase rules.
    Rules,
    /// The LLM evaluator.
    Llm,
    /// Nobody could decide (no rules and no LLM).
    Undecided,
    /// Another evaluator, by name.
    Other(String),
}

impl fmt::Display for DecidedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Rules => "rules",
            Self::Llm => "llm",
            Self::Undecided => "undecided",
            Self::Other(s) => s,
        })
    }
}

/// How stages are evaluated when both rules and an LLM are available.
///
/// - `RulesOnly`: stages with `rules` are decided by rules; prompt-only stages are undecided
///   (left out of the totals).
/// - `LlmOnly`: every stage with a `prompt` goes to the LLM; stages without a prompt are decided
///   by rules.
/// - `RulesThenLlm` (default): rules first; a stage the rules failed, or that has no rules,
///   goes to the LLM when it has a prompt. N/A (`applies_when`) is always decided by rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Strategy {
    /// Deterministic rules only.
    RulesOnly,
    /// The LLM for every stage with a prompt.
    LlmOnly,
    /// Rules first, the LLM for what rules failed or could not judge.
    #[default]
    RulesThenLlm,
}

impl Strategy {
    /// Whether `stage` should go to the LLM, given the rules' verdict for it.
    pub fn needs_llm(self, stage: &crate::Stage, rules_verdict: &StageVerdict) -> bool {
        let has_prompt = stage
            .prompt
            .as_deref()
            .is_some_and(|p| !p.trim().is_empty());
        if !has_prompt
            || (rules_verdict.decided_by == DecidedBy::Rules && !rules_verdict.applicable)
        {
            return false;
        }
        match self {
            Self::RulesOnly => false,
            Self::LlmOnly => true,
            Self::RulesThenLlm => {
                rules_verdict.decided_by == DecidedBy::Undecided || !rules_verdict.passed
            }
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
/// assert!(verdicts[0].passed);
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
