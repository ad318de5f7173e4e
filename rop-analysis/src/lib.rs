//! The scoring core of «Цифровой РОП»: transcripts, phrase matching, checklist scoring,
//! table extraction, evaluation against gold labels, and the `rop-analysis` CLI.
//!
//! A [`Checklist`] or [`Table`] is compiled once ([`CompiledChecklist`], [`CompiledTable`]:
//! phrases normalised, stemmed and indexed for edit distance 1) and then scores any number of
//! [`Transcript`]s synchronously, deterministically and without I/O; both are `Send + Sync`.
//! The rules are one [`Evaluator`] among others (the LLM with feature `llm`); whoever produced
//! the [`StageVerdict`]s, [`checklist_result`] applies the W1 arithmetic of docs/protocol.md §1.
//!
//! ```
//! use rop_analysis::{CallInfo, CompiledChecklist, Transcript};
//!
//! let checklist = CompiledChecklist::from_json(r#"{
//!   "id": "CL_001", "name": "Первичный звонок", "language": "ru",
//!   "stages": [
//!     {"id": "S1", "name": "Приветствие", "rules": {"any": ["добрый день", "здравствуйте"]}},
//!     {"id": "S2", "name": "Критерии поиска", "weight": 2,
//!      "rules": {"all": [["комнат", "однушка", "двушка"], ["район"]]}}
//!   ]}"#)?;
//! let call = Transcript::parse(
//!     "Менеджер: Добрый день, агентство «Сэттл»!\n\
//!      Клиент: Ищу двушку.\n\
//!      Менеджер: Какую квартиру ищете — сколько комнат?",
//! )?;
//! let w1 = checklist.score_call(&call, CallInfo::new("call_1", "m_7"));
//! assert_eq!((w1.total_score, w1.max_score), (1, 3));
//! assert_eq!(w1.completion_percentage, 33);
//! assert_eq!(w1.stages[0].quote, "Добрый день, агентство «Сэттл»!");
//! assert_eq!(w1.stages[1].percentage, Some(50));
//! # Ok::<(), rop_analysis::Error>(())
//! ```

mod call;
mod checklist;
mod engine;
mod error;
mod evaluation;
mod evaluator;
mod fields;
#[cfg(feature = "llm")]
mod llm;
mod matching;
mod morphology;
mod recognisers;
mod report;
mod scoring;
mod table;
mod text;
mod transcript;

pub use checklist::{Checklist, Rules, SpeakerFilter, Stage, Window};
pub use engine::CompiledChecklist;
pub use error::{Error, Result};
pub use evaluation::{
    Agreement, Evaluation, EvaluationReport, FieldAgreement, FieldScore, Gold, StageAgreement,
    agreement,
};
pub use evaluation::{Disagreement, Subject, Twin};
pub use evaluator::{DecidedBy, Evaluator, Outcome, RulesEvaluator, Score, StageVerdict, Strategy};
#[cfg(feature = "llm")]
pub use llm::{
    DEFAULT_BASE_URL, HybridEvaluator, LlmClient, LlmClientBuilder, LlmEvaluator, LlmExtractor,
    LlmField, QuoteCheck, QuoteIndex,
};
pub use report::{
    ManagerReport, NO_MANAGER_NAME, OfficeReport, Report, StageStats, Summary, UNASSIGNED_TITLE,
    WEAKEST_STAGES,
};
pub use scoring::{CallInfo, checklist_result};
pub use table::{Choose, CompiledTable, Field, FieldKind, Table, Values};
pub use text::{Word, Words, normalize};
pub use transcript::{Language, Speaker, SpeakerLabels, Transcript, UnknownSpeaker, Utterance};
