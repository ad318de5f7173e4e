//! [`LlmExtractor`]: table fields of kind `llm` filled by the model.

use super::client::LlmClient;
use super::prompt::{self, FieldQuestion};
use crate::checklist::SpeakerFilter;
use crate::error::Result;
use crate::table::{FieldKind, Table};
use crate::transcript::{Language, Transcript};
use serde_json::Value;
use std::collections::BTreeMap;

/// One table field of kind `llm` (docs/formats.md: `{"key", "kind": "llm", "prompt", "speaker"}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LlmField<'a> {
    /// The field's key in W2's `extracted_data`.
    pub key: &'a str,
    /// The question the model answers.
    pub prompt: &'a str,
    /// Whose turns matter (`any` by default in tables).
    pub speaker: SpeakerFilter,
}

impl<'a> LlmField<'a> {
    /// A field searched in everybody's turns.
    pub fn new(key: &'a str, prompt: &'a str) -> Self {
        Self {
            key,
            prompt,
            speaker: SpeakerFilter::Any,
        }
    }

    /// Searches only `speaker`'s turns (a hint to the model).
    #[must_use]
    pub fn speaker(mut self, speaker: SpeakerFilter) -> Self {
        self.speaker = speaker;
        self
    }
}

/// Fills table fields of kind `llm` by asking the model, all fields of a call in one request.
///
/// The answer schema has one `string | null` property per key. Following docs/formats.md, a field the
/// model answers with `null`, an empty or blank string is **absent** from the result (never
/// `""`); values are trimmed. Numbers or booleans (from lenient servers) are kept as their text.
#[derive(Clone, Debug)]
pub struct LlmExtractor {
    client: LlmClient,
}

impl LlmExtractor {
    /// An extractor asking through `client`.
    pub fn new(client: LlmClient) -> Self {
        Self { client }
    }

    /// The `llm` fields of `table` (the others are the deterministic extractor's), in the
    /// table's language (else the transcript's). A field without a `prompt` is asked by its key.
    ///
    /// Merge the result into [`CompiledTable::extract`](crate::CompiledTable::extract)'s map to
    /// get the complete W2 `extracted_data`.
    pub async fn extract_table(
        &self,
        table: &Table,
        transcript: &Transcript,
    ) -> Result<BTreeMap<String, String>> {
        let fields: Vec<LlmField<'_>> = table
            .fields
            .iter()
            .filter(|f| f.kind == FieldKind::Llm)
            .map(|f| {
                let prompt = f.prompt.as_deref().map(str::trim).filter(|p| !p.is_empty());
                LlmField::new(&f.key, prompt.unwrap_or(&f.key)).speaker(f.speaker)
            })
            .collect();
        let language = table.language.as_ref().unwrap_or(&transcript.language);
        self.extract(language, &fields, transcript).await
    }

    /// Key → value for `fields`, from one request; no fields, no request.
    ///
    /// ```no_run
    /// # async fn demo(client: rop_analysis::LlmClient, call: rop_analysis::Transcript) -> rop_analysis::Result<()> {
    /// use rop_analysis::{Language, LlmExtractor, LlmField};
    /// let fields = [LlmField::new("conversion_stage", "На каком этапе воронки клиент?")];
    /// let data = LlmExtractor::new(client).extract(&Language::Ru, &fields, &call).await?;
    /// println!("{:?}", data.get("conversion_stage"));
    /// # Ok(()) }
    /// ```
    pub async fn extract(
        &self,
        language: &Language,
        fields: &[LlmField<'_>],
        transcript: &Transcript,
    ) -> Result<BTreeMap<String, String>> {
        if fields.is_empty() {
            return Ok(BTreeMap::new());
        }
        let questions: Vec<FieldQuestion<'_>> = fields
            .iter()
            .map(|f| FieldQuestion {
                key: f.key,
                prompt: f.prompt,
                speaker: f.speaker,
            })
            .collect();
        let keys: Vec<&str> = fields.iter().map(|f| f.key).collect();
        let lines = prompt::transcript_lines(transcript, language);
        let user = prompt::extract_user(&questions, &lines, language);
        let answer: BTreeMap<String, Value> = self
            .client
            .chat_json(
                prompt::extract_system(language),
                &user,
                "table_fields",
                &prompt::extract_schema(&keys),
            )
            .await?;
        Ok(keys
            .iter()
            .filter_map(|k| {
                let text = match answer.get(*k)? {
                    Value::String(s) => s.trim().to_owned(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => return None,
                };
                (!text.is_empty()).then(|| ((*k).to_owned(), text))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::test_support::{client, completion, fixture, server};
    use wiremock::matchers::{body_partial_json, method, path};
    use wiremock::{Mock, ResponseTemplate};

    fn call() -> Transcript {
        Transcript::parse("Менеджер: Добрый день!\nКлиент: Выбираем между двумя квартирами.")
            .unwrap()
    }

    #[tokio::test]
    async fn fills_answered_fields_and_leaves_null_ones_absent() {
        let server = server().await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .and(body_partial_json(serde_json::json!({
                "temperature": 0,
                "response_format": {"type": "json_schema", "json_schema": {"name": "table_fields", "strict": true,
                    "schema": {"required": ["conversion_stage", "client_mood"],
                               "properties": {"client_mood": {"type": ["string", "null"]}}}}}
            })))
            .respond_with(ResponseTemplate::new(200).set_body_string(fixture("extract_ok.json")))
            .expect(1)
            .mount(&server)
            .await;
        let fields = [
            LlmField::new("conversion_stage", "На каком этапе воронки клиент?"),
            LlmField::new("client_mood", "Настроение клиента").speaker(SpeakerFilter::Client),
        ];
        let data = LlmExtractor::new(client(&server))
            .extract(&Language::Ru, &fields, &call())
            .await
            .unwrap();
        assert_eq!(data.len(), 1);
        assert_eq!(data["conversion_stage"], "Выбор объекта");
        let req = &server.received_requests().await.unwrap()[0];
        let body: Value = serde_json::from_slice(&req.body).unwrap();
        let user = body["messages"][1]["content"].as_str().unwrap();
        assert!(
            user.contains("- client_mood: Настроение клиента (ищи в репликах: клиент)"),
            "{user}"
        );
        assert!(
            user.contains("[1] клиент: Выбираем между двумя квартирами."),
            "{user}"
        );
    }

    #[tokio::test]
    async fn blank_values_are_absent_and_numbers_are_kept_as_text() {
        let server = server().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_string(completion(r#"{"a": "  ", "b": 7, "c": " x "}"#)),
            )
            .mount(&server)
            .await;
        let fields = [
            LlmField::new("a", "?"),
            LlmField::new("b", "?"),
            LlmField::new("c", "?"),
        ];
        let data = LlmExtractor::new(client(&server))
            .extract(&Language::En, &fields, &call())
            .await
            .unwrap();
        assert_eq!(
            data.into_iter().collect::<Vec<_>>(),
            [("b".into(), "7".into()), ("c".into(), "x".into())]
        );
    }

    #[tokio::test]
    async fn extract_table_asks_only_about_llm_fields() {
        let server = server().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_string(fixture("extract_ok.json")))
            .expect(1)
            .mount(&server)
            .await;
        let table = Table::from_json(
            r#"{"id": "TBL_1", "name": "Анализ", "fields": [
                {"key": "phone", "kind": "phone"},
                {"key": "conversion_stage", "kind": "llm", "prompt": "На каком этапе воронки клиент?"},
                {"key": "client_mood", "kind": "llm", "speaker": "client"}]}"#,
        )
        .unwrap();
        let data = LlmExtractor::new(client(&server))
            .extract_table(&table, &call())
            .await
            .unwrap();
        assert_eq!(data.keys().collect::<Vec<_>>(), ["conversion_stage"]);
        let req = &server.received_requests().await.unwrap()[0];
        let body: Value = serde_json::from_slice(&req.body).unwrap();
        let schema = &body["response_format"]["json_schema"]["schema"];
        assert_eq!(
            schema["required"],
            serde_json::json!(["conversion_stage", "client_mood"])
        );
        let user = body["messages"][1]["content"].as_str().unwrap();
        assert!(
            user.contains("- client_mood: client_mood (ищи в репликах: клиент)"),
            "{user}"
        );
    }

    #[tokio::test]
    async fn no_fields_means_no_request() {
        let server = server().await;
        let data = LlmExtractor::new(client(&server))
            .extract(&Language::Ru, &[], &call())
            .await
            .unwrap();
        assert!(data.is_empty());
    }
}
