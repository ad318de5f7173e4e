//! Options shared by `score`, `extract` and `evaluate`: speaker labels and the LLM path.

use crate::files::CliError;
use futures::StreamExt as _;
use rop_analysis::{
    CompiledChecklist, DEFAULT_BASE_URL, Evaluator as _, HybridEvaluator, LlmClient, LlmEvaluator,
    LlmExtractor, SpeakerLabels, StageVerdict, Strategy, Table, Transcript,
};
use secrecy::SecretString;
use std::collections::BTreeMap;
use std::time::Duration;

/// `--speaker-label LABEL=ROLE`, repeatable.
#[derive(Debug, clap::Args)]
pub(crate) struct SpeakerArgs {
    /// Map a speaker label of your transcripts to `manager` or `client`, e.g.
    /// `--speaker-label Администратор=manager --speaker-label Пациент=client` (repeatable;
    /// adds to the checklist's `speaker_labels` and wins over them).
    #[arg(long = "speaker-label", value_name = "LABEL=ROLE")]
    speaker_label: Vec<String>,
}

impl SpeakerArgs {
    /// The checklist's labels (if any) with the command line's on top.
    pub(crate) fn labels(&self, base: Option<&SpeakerLabels>) -> Result<SpeakerLabels, CliError> {
        let mut labels = base.cloned().unwrap_or_default();
        for pair in &self.speaker_label {
            labels
                .insert_pair(pair)
                .map_err(|e| CliError::Other(format!("--speaker-label {pair:?}: {e}")))?;
        }
        Ok(labels)
    }
}

/// Who judges the stages (and fills `llm` table fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum StrategyArg {
    /// The phrase rules only: no network. Prompt-only stages are left out; `llm` fields absent.
    Rules,
    /// The LLM for every applicable stage with a `prompt`, even one the rules passed (stages
    /// without a prompt keep the rules' verdict) and for `llm` table fields.
    Llm,
    /// The rules first; the LLM for the stages the rules failed or could not judge, and for
    /// `llm` table fields.
    RulesThenLlm,
}

impl StrategyArg {
    fn strategy(self) -> Strategy {
        match self {
            Self::Rules => Strategy::RulesOnly,
            Self::Llm => Strategy::LlmForPrompts,
            Self::RulesThenLlm => Strategy::RulesThenLlm,
        }
    }
}

fn secret(s: &str) -> Result<SecretString, String> {
    Ok(SecretString::from(s.trim().to_owned()))
}

/// `--strategy` and the LLM endpoint.
#[derive(Debug, clap::Args)]
pub(crate) struct LlmArgs {
    /// Who judges the stages: `rules` (default, offline), `llm` or `rules-then-llm`.
    #[arg(long, value_enum, default_value_t = StrategyArg::Rules)]
    strategy: StrategyArg,
    /// Base URL of any OpenAI-compatible chat API, up to `/v1` (llama.cpp, Ollama, vLLM,
    /// LiteLLM, hosted models); requests go to `{URL}/chat/completions`.
    #[arg(long, env = "ROP_LLM_URL", value_name = "URL", default_value = DEFAULT_BASE_URL)]
    llm_url: String,
    /// The model name sent with every request (required with an LLM strategy).
    #[arg(long, env = "ROP_LLM_MODEL", value_name = "NAME")]
    llm_model: Option<String>,
    /// The API key (sent as `Authorization: Bearer`, never printed). Prefer the environment
    /// variable: a command-line argument is visible to other users of the machine.
    #[arg(long, env = "ROP_LLM_API_KEY", value_name = "KEY", hide_env_values = true, value_parser = secret)]
    llm_api_key: Option<SecretString>,
    /// Calls sent to the LLM at the same time.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    llm_concurrency: u16,
    /// Timeout of one LLM request, in seconds (retries on 5xx, 429 and timeouts come on top).
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    llm_timeout: u64,
}

impl LlmArgs {
    /// The LLM side, or `None` under `--strategy rules`.
    pub(crate) fn connect(&self) -> Result<Option<Llm>, CliError> {
        if self.strategy == StrategyArg::Rules {
            return Ok(None);
        }
        let Some(model) = self.llm_model.as_deref().filter(|m| !m.trim().is_empty()) else {
            return Err(CliError::Other(format!(
                "--strategy {}: no model: set --llm-model or ROP_LLM_MODEL (and --llm-url / ROP_LLM_URL for a server other than {DEFAULT_BASE_URL})",
                clap::ValueEnum::to_possible_value(&self.strategy)
                    .map(|v| v.get_name().to_owned())
                    .unwrap_or_default()
            )));
        };
        let mut builder = LlmClient::builder()
            .base_url(self.llm_url.clone())
            .model(model)
            .timeout(Duration::from_secs(self.llm_timeout.max(1)));
        if let Some(key) = &self.llm_api_key {
            builder = builder.api_key(key.clone());
        }
        let client = builder
            .build()
            .map_err(|e| CliError::Other(format!("LLM settings: {e}")))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| CliError::Other(format!("async runtime: {e}")))?;
        Ok(Some(Llm {
            runtime,
            evaluator: HybridEvaluator::new(
                LlmEvaluator::new(client.clone()),
                self.strategy.strategy(),
            ),
            extractor: LlmExtractor::new(client),
            concurrency: usize::from(self.llm_concurrency),
        }))
    }

    /// `rules`, `llm` or `rules-then-llm`, with the model when one is asked.
    pub(crate) fn strategy_name(&self) -> String {
        let name = clap::ValueEnum::to_possible_value(&self.strategy)
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default();
        match (&self.llm_model, self.strategy) {
            (_, StrategyArg::Rules) | (None, _) => name,
            (Some(model), _) => format!("{name} (model {model})"),
        }
    }

    /// Whether stages with only a prompt are left out (no LLM).
    pub(crate) fn rules_only(&self) -> bool {
        self.strategy == StrategyArg::Rules
    }
}

/// A connected LLM: the evaluator, the extractor and the runtime that drives them.
pub(crate) struct Llm {
    runtime: tokio::runtime::Runtime,
    evaluator: HybridEvaluator,
    extractor: LlmExtractor,
    concurrency: usize,
}

impl Llm {
    /// One verdict list per call, in order; `concurrency` calls in flight at once.
    pub(crate) fn evaluate_all(
        &self,
        checklist: &CompiledChecklist,
        calls: &[&Transcript],
    ) -> Vec<rop_analysis::Result<Vec<StageVerdict>>> {
        let bar = crate::progress(calls.len(), 0);
        let out = self.runtime.block_on(
            futures::stream::iter(calls.iter().map(|t| {
                let bar = bar.clone();
                async move {
                    let r = self.evaluator.evaluate(checklist, t).await;
                    if let Some(b) = &bar {
                        b.inc(1);
                    }
                    r
                }
            }))
            .buffered(self.concurrency)
            .collect(),
        );
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        out
    }

    /// The `llm` fields of `table` for each call, in order.
    pub(crate) fn extract_all(
        &self,
        table: &Table,
        calls: &[&Transcript],
    ) -> Vec<rop_analysis::Result<BTreeMap<String, String>>> {
        self.runtime.block_on(
            futures::stream::iter(calls.iter().map(|t| self.extractor.extract_table(table, t)))
                .buffered(self.concurrency)
                .collect(),
        )
    }
}

/// The warning for prompt-only stages under `--strategy rules`, if the checklist has any.
pub(crate) fn prompt_only_warning(checklist: &CompiledChecklist) -> Option<String> {
    let ids: Vec<&str> = checklist
        .checklist()
        .stages
        .iter()
        .filter(|s| s.rules.is_none())
        .map(|s| s.id.as_str())
        .collect();
    (!ids.is_empty()).then(|| {
        format!(
            "{} stage(s) have only a prompt and are left out under --strategy rules: {} \
(use --strategy rules-then-llm with --llm-model)",
            ids.len(),
            ids.join(", ")
        )
    })
}
