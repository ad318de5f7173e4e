//! The LLM side of scoring (feature `llm`): an OpenAI-compatible chat-completions client
//! ([`LlmClient`]), an [`Evaluator`](crate::Evaluator) that asks it about checklist stages
//! ([`LlmEvaluator`]), the rules and the LLM combined per stage ([`HybridEvaluator`]) and an extractor for
//! table fields of kind `llm` ([`LlmExtractor`]).
//!
//! Answers are JSON constrained by a JSON schema (`response_format: json_schema`, `strict`),
//! asked at temperature 0. Every quote the model returns is checked against the transcript
//! ([`QuoteIndex`]); see [`LlmEvaluator`] for what an invented quote does to a verdict.
//! Tests run offline: wiremock plays the service and answers with recorded chat-completion
//! bodies (`tests/fixtures/llm/`).

mod client;
mod evaluator;
mod extractor;
mod prompt;
mod quote;

pub use client::{DEFAULT_BASE_URL, LlmClient, LlmClientBuilder};
pub use evaluator::{HybridEvaluator, LlmEvaluator};
pub use extractor::{LlmExtractor, LlmField};
pub use quote::{QuoteCheck, QuoteIndex};

#[cfg(test)]
mod test_support;
