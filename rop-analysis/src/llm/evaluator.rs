//! [`LlmEvaluator`] (the model judges stages) and [`HybridEvaluator`] (the rules and the model,
//! stage by stage, as a [`Strategy`] routes them).

use super::client::LlmClient;
use super::prompt::{self, StageQuestion};
use super::quote::{QuoteCheck, QuoteIndex};
use crate::checklist::Stage;
use crate::engine::CompiledChecklist;
use crate::error::Result;
use crate::evaluator::{
    DecidedBy, Evaluator, Outcome, RulesEvaluator, Score, StageVerdict, Strategy,
};
use crate::transcript::{Language, Transcript};
use async_trait::async_trait;
use serde::Deserialize;
use std::collections::HashMap;

/// Asks an LLM whether each stage was done; checks every quote against the transcript.
///
/// One request per call covers all the stages asked about. A stage's criterion is its `prompt`,
/// or its name when it has none. The model's `passed` decides the verdict; its `percentage`
/// (clamped to 0–100) is reported as W1's `percentage`.
///
/// **Quote check (documented downgrade).** A non-empty quote is looked up in the transcript
/// ([`QuoteIndex::check`]). When it is found, the verdict keeps the quote (the model's text when it
/// occurs verbatim, else the whole utterance). When it is **not** found, the verdict cannot be
/// trusted: a passed stage becomes **failed**, the percentage is **halved** (rounded down), the
/// quote is dropped (left empty) and the comment says that the quote was not found. A failed
/// verdict with an unfound quote stays failed, also halved and with the quote dropped. An empty
/// quote is accepted as is (some stages are about something *not* happening).
///
/// A stage the model left out of its answer gets [`StageVerdict::undecided`].
#[derive(Clone, Debug)]
pub struct LlmEvaluator {
    client: LlmClient,
}

/// One stage as the model answers it.
#[derive(Debug, Deserialize)]
struct StageAnswer {
    #[serde(deserialize_with = "http_plumbing::lenient::string")]
    stage_id: String,
    #[serde(deserialize_with = "http_plumbing::lenient::bool")]
    passed: bool,
    #[serde(default, deserialize_with = "http_plumbing::lenient::opt_from_str")]
    percentage: Option<f64>,
    #[serde(default, deserialize_with = "http_plumbing::lenient::opt_string")]
    quote: Option<String>,
    #[serde(default, deserialize_with = "http_plumbing::lenient::opt_string")]
    comment: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Answer {
    stages: Vec<StageAnswer>,
}

impl LlmEvaluator {
    /// An evaluator asking through `client`.
    pub fn new(client: LlmClient) -> Self {
        Self { client }
    }

    /// The client it asks through.
    pub fn client(&self) -> &LlmClient {
        &self.client
    }

    /// Verdicts for `stages` only (in their order), in one request. No stages: no request.
    pub async fn evaluate_stages(
        &self,
        language: &Language,
        stages: &[&Stage],
        transcript: &Transcript,
    ) -> Result<Vec<StageVerdict>> {
        if stages.is_empty() {
            return Ok(Vec::new());
        }
        let questions: Vec<StageQuestion<'_>> = stages
            .iter()
            .map(|s| StageQuestion {
                id: s.id.as_str(),
                name: &s.name,
                criterion: s
                    .prompt
                    .as_deref()
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .unwrap_or(&s.name),
            })
            .collect();
        let ids: Vec<&str> = questions.iter().map(|q| q.id).collect();
        let lines = prompt::transcript_lines(transcript, language);
        let user = prompt::evaluate_user(&questions, &lines, language);
        let answer: Answer = self
            .client
            .chat_json(
                prompt::evaluate_system(language),
                &user,
                "checklist_verdicts",
                &prompt::evaluate_schema(&ids),
            )
            .await?;

        let mut by_id: HashMap<&str, &StageAnswer> = HashMap::new();
        for a in &answer.stages {
            by_id.entry(a.stage_id.trim()).or_insert(a);
        }
        let index = QuoteIndex::new(transcript);
        Ok(stages
            .iter()
            .map(|s| match by_id.get(s.id.as_str()) {
                Some(a) => verdict(s, a, &index, transcript, language),
                None => StageVerdict::undecided(s.id.clone(), no_answer_comment(language)),
            })
            .collect())
    }
}

fn no_answer_comment(lang: &Language) -> &'static str {
    if matches!(lang, Language::En) {
        "The LLM gave no verdict for this stage."
    } else {
        "Модель не дала оценку этого этапа."
    }
}

fn quote_missing_note(lang: &Language) -> &'static str {
    if matches!(lang, Language::En) {
        "The model's quote was not found in the transcript, so the stage is not counted as passed."
    } else {
        "Цитата модели не найдена в расшифровке, поэтому этап не засчитан."
    }
}

fn verdict(
    stage: &Stage,
    a: &StageAnswer,
    index: &QuoteIndex,
    transcript: &Transcript,
    lang: &Language,
) -> StageVerdict {
    let default = if a.passed { 100.0 } else { 0.0 };
    let p = a
        .percentage
        .filter(|p| p.is_finite())
        .unwrap_or(default)
        .round()
        .clamp(0.0, 100.0);
    // Clamped to 0..=100 just above.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let mut percentage = p as u32;
    let mut passed = a.passed;
    let mut comment = a.comment.clone().unwrap_or_default().trim().to_owned();
    let raw_quote = a.quote.clone().unwrap_or_default();
    let quote = match index.check(&raw_quote) {
        QuoteCheck::Empty => String::new(),
        QuoteCheck::Found(i) => {
            let utterance = transcript.utterances.get(i).map_or("", |u| u.text.as_str());
            let q = raw_quote.trim();
            if utterance.contains(q) {
                q.to_owned()
            } else {
                utterance.to_owned()
            }
        }
        QuoteCheck::NotFound => {
            passed = false;
            percentage /= 2;
            if !comment.is_empty() && !comment.ends_with(['.', '!', '?']) {
                comment.push('.');
            }
            if !comment.is_empty() {
                comment.push(' ');
            }
            comment.push_str(quote_missing_note(lang));
            String::new()
        }
    };
    StageVerdict::scored(
        stage.id.clone(),
        DecidedBy::Llm,
        Score::new(passed, percentage).with_quote(quote),
        comment,
    )
}

#[async_trait]
impl Evaluator for LlmEvaluator {
    fn name(&self) -> &str {
        "llm"
    }

    /// Every stage goes to the model (criterion: its prompt, else its name); `applies_when`
    /// is not judged (use [`HybridEvaluator`] for that).
    async fn evaluate(
        &self,
        checklist: &CompiledChecklist,
        transcript: &Transcript,
    ) -> Result<Vec<StageVerdict>> {
        let c = checklist.checklist();
        let stages: Vec<&Stage> = c.stages.iter().collect();
        self.evaluate_stages(&c.language, &stages, transcript).await
    }
}

/// The rules and the LLM together, stage by stage, as a [`Strategy`] routes them.
///
/// The rules judge every stage first (they are free and decide N/A through `applies_when`);
/// then the stages the strategy sends to the model ([`Strategy::needs_llm`]) are asked about in
/// one request, and the model's verdicts replace the rules' ones. When the model gives no
/// verdict for a stage, the rules' verdict stands.
///
/// - [`Strategy::RulesThenLlm`]: the model is asked only about stages whose rules failed or
///   that have only a `prompt`;
/// - [`Strategy::LlmForPrompts`]: about every applicable stage with a `prompt`, even when its
///   rules passed (a stage without a prompt keeps the rules' verdict);
/// - [`Strategy::RulesOnly`]: never (prompt-only stages stay undecided).
///
/// ```no_run
/// # fn demo(client: rop_analysis::LlmClient) {
/// use rop_analysis::{HybridEvaluator, LlmEvaluator, Strategy};
/// let evaluator = HybridEvaluator::new(LlmEvaluator::new(client), Strategy::RulesThenLlm);
/// assert_eq!(evaluator.strategy(), Strategy::RulesThenLlm);
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct HybridEvaluator {
    llm: LlmEvaluator,
    strategy: Strategy,
}

impl HybridEvaluator {
    /// Rules, then `llm` for the stages `strategy` sends to it.
    pub fn new(llm: LlmEvaluator, strategy: Strategy) -> Self {
        Self { llm, strategy }
    }

    /// The strategy in use.
    pub fn strategy(&self) -> Strategy {
        self.strategy
    }

    /// The LLM evaluator it asks.
    pub fn llm(&self) -> &LlmEvaluator {
        &self.llm
    }
}

#[async_trait]
impl Evaluator for HybridEvaluator {
    /// `rules`, `llm` or `rules-then-llm`, after the strategy.
    fn name(&self) -> &str {
        match self.strategy {
            Strategy::RulesOnly => "rules",
            Strategy::LlmForPrompts => "llm",
            Strategy::RulesThenLlm => "rules-then-llm",
        }
    }

    async fn evaluate(
        &self,
        checklist: &CompiledChecklist,
        transcript: &Transcript,
    ) -> Result<Vec<StageVerdict>> {
        let mut verdicts = RulesEvaluator.evaluate(checklist, transcript).await?;
        let c = checklist.checklist();
        let mut asked: Vec<(usize, &Stage)> = Vec::new();
        for (i, (stage, v)) in c.stages.iter().zip(&verdicts).enumerate() {
            if self.strategy.needs_llm(stage, v) {
                asked.push((i, stage));
            }
        }
        let stages: Vec<&Stage> = asked.iter().map(|(_, s)| *s).collect();
        let answers = self
            .llm
            .evaluate_stages(&c.language, &stages, transcript)
            .await?;
        for ((i, _), answer) in asked.iter().zip(answers) {
            if answer.outcome == Outcome::Undecided {
                continue;
            }
            if let Some(slot) = verdicts.get_mut(*i) {
                *slot = answer;
            }
        }
        Ok(verdicts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::test_support::{client, completion, fixture, server};
    use serde_json::{Value, json};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const CALL: &str = "Менеджер: Добрый день, компания Сэттл, меня зовут Анна.\n\
Клиент: Здравствуйте, ищу квартиру.\n\
Менеджер: Подскажите, сколько комнат вам нужно и в каком районе?\n\
Клиент: Двушка, в Приморском.";

    fn checklist(stages: Value) -> CompiledChecklist {
        CompiledChecklist::from_json(
            &json!({"id": "CL", "name": "Тест", "stages": stages}).to_string(),
        )
        .unwrap()
    }

    fn three_stages() -> CompiledChecklist {
        checklist(json!([
            {"id": "S_GREET", "name": "Приветствие", "rules": {"any": ["добрый день"]},
             "prompt": "Менеджер поздоровался и назвал компанию."},
            {"id": "S_NEEDS", "name": "Потребности", "prompt": "Менеджер уточнил комнаты, район и сроки сдачи.",
             "rules": {"all": [["комнат"], ["район"], ["срок сдачи"]]}},
            {"id": "S_CLOSE", "name": "Следующий шаг", "prompt": "Менеджер договорился о следующем шаге."}
        ]))
    }

    async fn answering(body: String) -> MockServer {
        let server = server().await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(ResponseTemplate::new(200).set_body_string(body))
            .expect(1)
            .mount(&server)
            .await;
        server
    }

    async fn sent_body(server: &MockServer) -> Value {
        let reqs = server.received_requests().await.unwrap();
        serde_json::from_slice(&reqs[0].body).unwrap()
    }

    #[tokio::test]
    async fn asks_about_every_stage_and_keeps_verified_quotes() {
        let server = answering(fixture("evaluate_ok.json")).await;
        let call = Transcript::parse(CALL).unwrap();
        let v = LlmEvaluator::new(client(&server))
            .evaluate(&three_stages(), &call)
            .await
            .unwrap();
        assert_eq!(v.len(), 3);
        let score = |i: usize| v[i].score().unwrap();
        assert!(score(0).passed() && score(0).percentage() == 100);
        assert_eq!(v[0].decided_by(), Some(&DecidedBy::Llm));
        assert_eq!(
            score(0).quote(),
            "Добрый день, компания Сэттл, меня зовут Анна."
        );
        assert_eq!((score(1).passed(), score(1).percentage()), (true, 80));
        assert_eq!(
            v[1].comment,
            "Менеджер уточнил комнаты и район, но не спросил о сроках сдачи."
        );
        assert_eq!(
            (score(2).passed(), score(2).percentage(), score(2).quote()),
            (false, 20, "")
        );
        assert_eq!(
            (score(2).conditions_met(), score(2).conditions_total()),
            (0, 1)
        );

        let body = sent_body(&server).await;
        let schema = &body["response_format"]["json_schema"]["schema"];
        assert_eq!(
            schema["properties"]["stages"]["items"]["properties"]["stage_id"]["enum"],
            json!(["S_GREET", "S_NEEDS", "S_CLOSE"])
        );
        let user = body["messages"][1]["content"].as_str().unwrap();
        assert!(
            user.contains(
                "- stage_id: S_NEEDS\n  название: Потребности\n  критерий: Менеджер уточнил"
            ),
            "{user}"
        );
        assert!(user.contains("[3] клиент: Двушка, в Приморском."), "{user}");
        assert!(
            body["messages"][0]["content"]
                .as_str()
                .unwrap()
                .contains("дословная")
        );
    }

    #[tokio::test]
    async fn an_invented_quote_fails_the_stage_and_halves_its_percentage() {
        let server = answering(fixture("evaluate_invented_quote.json")).await;
        let call = Transcript::parse(CALL).unwrap();
        let v = LlmEvaluator::new(client(&server))
            .evaluate(&three_stages(), &call)
            .await
            .unwrap();
        let score = |i: usize| v[i].score().unwrap();
        // Passed with an invented quote → failed, 90 → 45, quote dropped, comment explains.
        assert_eq!(
            (score(0).passed(), score(0).percentage(), score(0).quote()),
            (false, 45, "")
        );
        assert_eq!(
            v[0].comment,
            "Менеджер поздоровался. Цитата модели не найдена в расшифровке, поэтому этап не засчитан."
        );
        assert_eq!(score(0).conditions_met(), 0);
        // Failed with an invented quote stays failed, 40 → 20.
        assert_eq!(
            (score(1).passed(), score(1).percentage(), score(1).quote()),
            (false, 20, "")
        );
        assert!(
            v[1].comment
                .starts_with("Потребности не выяснены. Цитата модели")
        );
        // A stage the model skipped is undecided.
        assert_eq!(
            (&v[2].outcome, v[2].decided_by()),
            (&Outcome::Undecided, None)
        );
        assert!(!v[2].counts());
    }

    #[tokio::test]
    async fn a_quote_found_up_to_case_and_punctuation_is_replaced_by_the_utterance() {
        let answer = json!({"stages": [{"stage_id": "S_CLOSE", "passed": "true", "percentage": "75.4",
                                        "quote": "менеджер: двушка в приморском", "comment": "Ок"}]});
        let server = answering(completion(&answer.to_string())).await;
        let call = Transcript::parse(CALL).unwrap();
        let c = three_stages();
        let stage = &c.checklist().stages[2];
        let v = LlmEvaluator::new(client(&server))
            .evaluate_stages(&Language::Ru, &[stage], &call)
            .await
            .unwrap();
        let score = v[0].score().unwrap();
        assert_eq!((score.passed(), score.percentage()), (true, 75));
        assert_eq!(score.quote(), "Двушка, в Приморском.");
    }

    #[tokio::test]
    async fn rules_then_llm_asks_only_about_failed_and_prompt_only_stages() {
        let answer = json!({"stages": [
            {"stage_id": "S_NEEDS", "passed": true, "percentage": 70,
             "quote": "Подскажите, сколько комнат вам нужно и в каком районе?", "comment": "Уточнил."},
            {"stage_id": "S_CLOSE", "passed": false, "percentage": 0, "quote": "", "comment": "Нет."}]});
        let server = answering(completion(&answer.to_string())).await;
        let mut stages = three_stages().checklist().stages.clone();
        let na = json!({"id": "S_NA", "name": "Ипотека", "prompt": "Менеджер рассказал об ипотеке.",
                        "applies_when": {"speaker": "client", "any": ["ипотека"]}, "rules": {"any": ["ипотека"]}});
        stages.push(serde_json::from_value(na).unwrap());
        let c = checklist(serde_json::to_value(&stages).unwrap());
        let call = Transcript::parse(CALL).unwrap();

        let e = HybridEvaluator::new(LlmEvaluator::new(client(&server)), Strategy::RulesThenLlm);
        assert_eq!(e.strategy(), Strategy::RulesThenLlm);
        let v = e.evaluate(&c, &call).await.unwrap();
        let by: Vec<Option<&DecidedBy>> = v.iter().map(StageVerdict::decided_by).collect();
        let (rules, llm) = (Some(&DecidedBy::Rules), Some(&DecidedBy::Llm));
        assert_eq!(by, [rules, llm, llm, rules]);
        assert!(v[0].passed() && v[1].passed() && !v[2].passed());
        assert!(v[2].counts());
        assert_eq!(
            v[3].outcome,
            Outcome::NotApplicable {
                by: DecidedBy::Rules
            }
        );

        let body = sent_body(&server).await;
        let ids = &body["response_format"]["json_schema"]["schema"]["properties"]["stages"]["items"]
            ["properties"]["stage_id"]["enum"];
        assert_eq!(*ids, json!(["S_NEEDS", "S_CLOSE"]));
    }

    #[tokio::test]
    async fn an_english_checklist_is_asked_in_english_with_times() {
        let answer = json!({"stages": [{"stage_id": "E1", "passed": true, "percentage": 100,
                                        "quote": "Thanks for calling Harper Valley", "comment": "Greeted."}]});
        let server = answering(completion(&answer.to_string())).await;
        let c = checklist(
            json!([{"id": "E1", "name": "Greeting", "prompt": "The agent greets the caller."}]),
        );
        let mut c_json = serde_json::to_value(c.checklist()).unwrap();
        c_json["language"] = json!("en");
        let c = CompiledChecklist::from_json(&c_json.to_string()).unwrap();
        let call = Transcript::from_json(
            r#"{"language": "en", "utterances": [
                {"speaker": "agent", "start": 61.5, "end": 63, "text": "Thanks for calling Harper Valley!"}]}"#,
        )
        .unwrap();
        let v = LlmEvaluator::new(client(&server))
            .evaluate(&c, &call)
            .await
            .unwrap();
        assert_eq!(
            v[0].score().unwrap().quote(),
            "Thanks for calling Harper Valley"
        );
        let body = sent_body(&server).await;
        let user = body["messages"][1]["content"].as_str().unwrap();
        assert!(
            user.starts_with(
                "Checklist stages:\n- stage_id: E1\n  name: Greeting\n  criterion: The agent"
            ),
            "{user}"
        );
        assert!(
            user.contains("[0] manager (01:01): Thanks for calling Harper Valley!"),
            "{user}"
        );
        assert!(
            body["messages"][0]["content"]
                .as_str()
                .unwrap()
                .starts_with("You are a quality controller")
        );
    }

    #[tokio::test]
    async fn rules_then_llm_sends_nothing_when_rules_pass_everything() {
        let server = server().await; // its catch-all fails the test on any request
        let c = checklist(
            json!([{"id": "S1", "name": "Приветствие", "prompt": "Поздоровался",
                                  "rules": {"any": ["добрый день"]}}]),
        );
        let call = Transcript::parse(CALL).unwrap();
        let v = HybridEvaluator::new(LlmEvaluator::new(client(&server)), Strategy::RulesThenLlm)
            .evaluate(&c, &call)
            .await
            .unwrap();
        assert!(v[0].passed() && v[0].decided_by() == Some(&DecidedBy::Rules));
    }

    #[tokio::test]
    async fn rules_verdict_stands_when_the_model_skips_a_stage() {
        let server = answering(completion(r#"{"stages": []}"#)).await;
        let call = Transcript::parse(CALL).unwrap();
        let v = HybridEvaluator::new(LlmEvaluator::new(client(&server)), Strategy::RulesThenLlm)
            .evaluate(&three_stages(), &call)
            .await
            .unwrap();
        assert_eq!(v[1].decided_by(), Some(&DecidedBy::Rules));
        assert!(v[1].counts() && !v[1].passed());
    }

    #[tokio::test]
    async fn an_llm_failure_is_an_error_not_a_guess() {
        let server = server().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(400).set_body_string(r#"{"error":{"message":"bad schema"}}"#),
            )
            .expect(1)
            .mount(&server)
            .await;
        let call = Transcript::parse(CALL).unwrap();
        let e = HybridEvaluator::new(LlmEvaluator::new(client(&server)), Strategy::RulesThenLlm)
            .evaluate(&three_stages(), &call)
            .await
            .unwrap_err();
        assert!(matches!(e, crate::Error::LlmStatus { status: 400, .. }));
    }
}
