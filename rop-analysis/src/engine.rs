//! The rule evaluator: a checklist compiled once ([`CompiledChecklist`]) scores any number of
//! calls, synchronously, without I/O and deterministically.

pub(crate) use crate::call::PreparedCall;
use crate::checklist::{Checklist, Rules, SpeakerFilter, Window};
use crate::error::Result;
use crate::evaluator::{DecidedBy, Score, StageVerdict};
use crate::matching::{Occurrence, PhraseId, PhraseSet};
use crate::recognisers::Concept;
use crate::scoring::{CallInfo, checklist_result};
use crate::text::Words;
use crate::transcript::{Language, Transcript};
use rop_api::ChecklistResult;

/// A checklist with its phrases compiled (stems, fuzzy index): build once, score many calls.
///
/// `Send + Sync`: share it in an `Arc` across threads and tasks.
#[derive(Debug)]
pub struct CompiledChecklist {
    checklist: Checklist,
    phrases: PhraseSet,
    stages: Vec<CompiledStage>,
}

#[derive(Debug)]
struct CompiledStage {
    rules: Option<CompiledRules>,
    applies_when: Option<CompiledRules>,
}

/// One condition: phrases, and built-in concepts (`{time}`, or implied by the phrases).
#[derive(Debug, Default)]
struct Condition {
    phrases: Vec<(PhraseId, String)>,
    /// (concept, the text shown in comments).
    concepts: Vec<(Concept, String)>,
    /// Per phrase (same index): the phrase without its question and function words («какую
    /// модель» → «модель», «новый или» → «новый»), which a client's statement of the fact
    /// contains; `None` when nothing is left or nothing was dropped.
    statements: Vec<Option<PhraseId>>,
}

/// Question and function words: a client volunteering a fact does not say them.
const QUESTION_WORDS: &[&str] = &[
    "или",
    "ли",
    "и",
    "а",
    "в",
    "на",
    "с",
    "по",
    "к",
    "о",
    "за",
    "у",
    "какой",
    "какая",
    "какую",
    "какие",
    "каким",
    "какого",
    "какое",
    "когда",
    "сколько",
    "как",
    "где",
    "куда",
    "насколько",
    "что",
    "вы",
    "вас",
    "вам",
    "ваш",
    "or",
    "what",
    "which",
    "when",
    "how",
    "the",
    "a",
    "do",
    "you",
    "your",
];

fn is_question_word(word: &str) -> bool {
    QUESTION_WORDS.contains(&word)
}

/// `phrase` without its question and function words, when that leaves something else.
fn statement_of(phrase: &str) -> Option<String> {
    let words = Words::new(phrase);
    let kept: Vec<&str> = words.iter().filter(|w| !is_question_word(w)).collect();
    (!kept.is_empty() && kept.len() < words.len()).then(|| kept.join(" "))
}

impl Condition {
    fn is_empty(&self) -> bool {
        self.phrases.is_empty() && self.concepts.is_empty()
    }
}

#[derive(Debug)]
pub(crate) struct CompiledRules {
    speaker: SpeakerFilter,
    any: Condition,
    all: Vec<Condition>,
    none: Condition,
    window: Option<Window>,
    min_count: usize,
}

/// What met a condition: a phrase (its index in the condition) or a concept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hit {
    Phrase(usize),
    Concept(usize),
}

/// What a rule set found in one call.
struct RuleOutcome {
    /// Per condition: what met it and the utterance of its first counted occurrence.
    met: Vec<Option<(Hit, u32)>>,
    /// A forbidden phrase found, with its utterance.
    forbidden: Option<(Hit, u32)>,
}

impl RuleOutcome {
    fn holds(&self) -> bool {
        self.forbidden.is_none() && self.met.iter().all(Option::is_some)
    }
}

impl CompiledRules {
    fn compile(rules: &Rules, phrases: &mut PhraseSet) -> Self {
        let mut add = |list: &[String], imply: bool| -> Condition {
            let mut c = Condition::default();
            for p in list {
                match Concept::from_placeholder(p) {
                    Some(Some(concept)) => c.concepts.push((concept, p.clone())),
                    // Refused by validation; never reached for a validated checklist.
                    Some(None) => {}
                    None => {
                        if let Some(id) = phrases.add(p) {
                            c.phrases.push((id, p.clone()));
                            c.statements
                                .push(statement_of(p).and_then(|st| phrases.add(&st)));
                        }
                    }
                }
            }
            if imply
                && let Some(concept) = Concept::implied_by(list)
                && !c.concepts.iter().any(|(k, _)| *k == concept)
            {
                c.concepts
                    .push((concept, concept_label(concept).to_owned()));
            }
            c
        };
        Self {
            speaker: rules.speaker,
            any: add(&rules.any, true),
            all: rules.all.iter().map(|g| add(g, true)).collect(),
            none: add(&rules.none, false),
            window: rules.window,
            min_count: usize::try_from(rules.min_count.unwrap_or(1).max(1)).unwrap_or(1),
        }
    }

    fn conditions(&self) -> impl Iterator<Item = &Condition> {
        (!self.any.is_empty())
            .then_some(&self.any)
            .into_iter()
            .chain(self.all.iter())
    }

    /// The first phrase of `group` that occurs at least `min_count` times in accepted
    /// utterances: (index in the group, utterance of its first occurrence), earliest first.
    fn find(
        &self,
        group: &Condition,
        call: &PreparedCall<'_>,
        found: &[Vec<Occurrence>],
        volunteered: bool,
    ) -> Option<(Hit, u32)> {
        let mut best: Option<(Hit, u32)> = None;
        for (k, (concept, _)) in group.concepts.iter().enumerate() {
            let first = (0..call.words.len()).find(|&u| {
                let u32u = u32::try_from(u).unwrap_or(u32::MAX);
                call.accepts(u32u, self.speaker, self.window.as_ref())
                    && call.transcript.utterances.get(u).is_some_and(|utt| {
                        call.words
                            .get(u)
                            .is_some_and(|w| concept.occurs(&utt.text, w, call.opening == Some(u)))
                    })
            });
            if let Some(u) = first {
                let u = u32::try_from(u).unwrap_or(u32::MAX);
                if best.is_none_or(|(_, b)| u < b) {
                    best = Some((Hit::Concept(k), u));
                }
            }
        }
        for (k, (id, _)) in group.phrases.iter().enumerate() {
            let Some(occ) = found.get(*id as usize) else {
                continue;
            };
            let mut accepted = occ.iter().filter(|o| {
                (call.accepts(o.utterance, self.speaker, self.window.as_ref())
                    || (volunteered && call.taken_in(o.utterance)))
                    && !(self.all.is_empty()
                        && self.speaker == SpeakerFilter::Manager
                        && call.in_the_past(o))
                    && !group.concepts.iter().any(|(c, _)| call.outside(*c, o))
            });
            let first = accepted.next().map(|o| o.utterance);
            let first = match first {
                Some(u) if 1 + accepted.count() >= self.min_count => Some(u),
                Some(_) => continue,
                // The client stating the fact the phrase asks about.
                None if volunteered => group
                    .statements
                    .get(k)
                    .copied()
                    .flatten()
                    .and_then(|st| found.get(st as usize))
                    .and_then(|occ| {
                        occ.iter()
                            .find(|o| call.taken_in(o.utterance))
                            .map(|o| o.utterance)
                    }),
                None => None,
            };
            let Some(first) = first else { continue };
            if best.is_none_or(|(_, u)| first < u) {
                best = Some((Hit::Phrase(k), first));
            }
        }
        best
    }

    fn outcome(&self, call: &PreparedCall<'_>, found: &[Vec<Occurrence>]) -> RuleOutcome {
        // An information stage (the manager finds out several facts: `all` groups, no time
        // window) also counts a fact the client volunteers and the manager takes in.
        let volunteered =
            self.speaker == SpeakerFilter::Manager && self.window.is_none() && self.all.len() >= 2;
        RuleOutcome {
            met: self
                .any_condition()
                .map(|g| self.find(g, call, found, false))
                .chain(
                    self.all
                        .iter()
                        .map(|g| self.find(g, call, found, volunteered)),
                )
                .collect(),
            forbidden: self.find(&self.none, call, found, false),
        }
    }

    fn any_condition(&self) -> impl Iterator<Item = &Condition> {
        (!self.any.is_empty()).then_some(&self.any).into_iter()
    }
}

impl CompiledChecklist {
    /// Validates and compiles a checklist: every phrase is normalised and stemmed once.
    pub fn compile(checklist: Checklist) -> Result<Self> {
        checklist.validate()?;
        let mut phrases = PhraseSet::new(&checklist.language);
        let stages = checklist
            .stages
            .iter()
            .map(|s| CompiledStage {
                rules: s
                    .rules
                    .as_ref()
                    .map(|r| CompiledRules::compile(r, &mut phrases)),
                applies_when: s
                    .applies_when
                    .as_ref()
                    .map(|r| CompiledRules::compile(r, &mut phrases)),
            })
            .collect();
        phrases.finish();
        Ok(Self {
            checklist,
            phrases,
            stages,
        })
    }

    /// Reads, validates and compiles a checklist from JSON.
    pub fn from_json(text: &str) -> Result<Self> {
        Self::compile(Checklist::from_json(text)?)
    }

    /// The checklist as written.
    pub fn checklist(&self) -> &Checklist {
        &self.checklist
    }

    /// The number of distinct phrases compiled.
    pub fn phrase_count(&self) -> usize {
        self.phrases.len()
    }

    /// The rules' verdict for every stage, in order. A stage without rules is undecided
    /// (left for the LLM); a stage whose `applies_when` does not hold is N/A.
    pub fn evaluate(&self, transcript: &Transcript) -> Vec<StageVerdict> {
        let call = PreparedCall::new(transcript);
        let found = self.phrases.find_all(&call.words);
        self.checklist
            .stages
            .iter()
            .zip(&self.stages)
            .map(|(stage, compiled)| {
                let id = stage.id.clone();
                if let Some(cond) = &compiled.applies_when
                    && !cond.outcome(&call, &found).holds()
                {
                    return StageVerdict::not_applicable(
                        id,
                        DecidedBy::Rules,
                        na_comment(&self.checklist.language),
                    );
                }
                let Some(rules) = &compiled.rules else {
                    return StageVerdict::undecided(
                        id,
                        undecided_comment(&self.checklist.language),
                    );
                };
                let outcome = rules.outcome(&call, &found);
                let total = outcome.met.len();
                let met = outcome.met.iter().filter(|m| m.is_some()).count();
                let percentage = if outcome.forbidden.is_some() {
                    0
                } else if total == 0 {
                    100
                } else {
                    // 0..=100 by construction.
                    u32::try_from((met * 200 + total) / (total * 2)).unwrap_or(100)
                };
                let threshold = stage
                    .pass_threshold
                    .or(self.checklist.pass_threshold)
                    .unwrap_or(100);
                let quote_utt = outcome
                    .met
                    .iter()
                    .flatten()
                    .next()
                    .map(|&(_, u)| u)
                    .or(outcome.forbidden.map(|(_, u)| u));
                let quote = quote_utt
                    .and_then(|u| transcript.utterances.get(u as usize))
                    .map(|u| u.text.clone())
                    .unwrap_or_default();
                let score = Score::new(percentage >= threshold, percentage)
                    .with_conditions(
                        u32::try_from(met).unwrap_or(u32::MAX),
                        u32::try_from(total).unwrap_or(u32::MAX),
                    )
                    .with_quote(quote);
                StageVerdict::scored(
                    id,
                    DecidedBy::Rules,
                    score,
                    comment(&self.checklist.language, rules, &outcome),
                )
            })
            .collect()
    }

    /// Scores a call with the rules alone and builds W1. `call_id` and `manager_id` come from
    /// the transcript (empty when it has none); no timestamp (use [`score_call`](Self::score_call)).
    ///
    /// ```
    /// let checklist = rop_analysis::CompiledChecklist::from_json(r#"{"name": "Звонок",
    ///     "stages": [{"id": "S1", "name": "Приветствие", "rules": {"any": ["добрый день"]}}]}"#)?;
    /// let call = rop_analysis::Transcript::parse("Менеджер: Добрый день!\nКлиент: Здравствуйте")?;
    /// assert_eq!(checklist.score(&call).completion_percentage, 100);
    /// # Ok::<(), rop_analysis::Error>(())
    /// ```
    pub fn score(&self, transcript: &Transcript) -> ChecklistResult {
        let call = CallInfo {
            call_id: transcript.call_id.clone().unwrap_or_default(),
            manager_id: transcript.manager_id.clone().unwrap_or_default(),
            timestamp: None,
        };
        self.score_call(transcript, call)
    }

    /// Scores a call with the rules alone and builds W1 with the given ids and timestamp.
    pub fn score_call(&self, transcript: &Transcript, call: CallInfo) -> ChecklistResult {
        checklist_result(&self.checklist, &self.evaluate(transcript), call)
    }

    /// Builds W1 from verdicts produced by any evaluator.
    pub fn result(&self, verdicts: &[StageVerdict], call: CallInfo) -> ChecklistResult {
        checklist_result(&self.checklist, verdicts, call)
    }
}

/// The text a comment shows for what met a condition.
fn hit_text(group: &Condition, hit: Hit) -> Option<&str> {
    match hit {
        Hit::Phrase(k) => group.phrases.get(k).map(|(_, p)| p.as_str()),
        Hit::Concept(k) => group.concepts.get(k).map(|(_, p)| p.as_str()),
    }
}

/// How an implied concept is named in comments.
fn concept_label(concept: Concept) -> &'static str {
    match concept {
        Concept::Time => "{time}",
        Concept::Date => "{date}",
        Concept::Amount => "{amount}",
        Concept::Name => "{name}",
        Concept::SelfIntroduction => "{self_introduction}",
        Concept::Phone => "{phone}",
    }
}

fn na_comment(lang: &Language) -> String {
    match lang {
        Language::Ru => "Этап неприменим к звонку.".to_owned(),
        _ => "The stage does not apply to this call.".to_owned(),
    }
}

fn undecided_comment(lang: &Language) -> String {
    match lang {
        Language::Ru => "У этапа нет правил: нужна оценка LLM.".to_owned(),
        _ => "The stage has no rules: it needs the LLM evaluator.".to_owned(),
    }
}

/// One sentence naming what was found and what was missing.
fn comment(lang: &Language, rules: &CompiledRules, outcome: &RuleOutcome) -> String {
    let ru = *lang == Language::Ru;
    let q = |s: &str| {
        if ru {
            format!("«{s}»")
        } else {
            format!("\"{s}\"")
        }
    };
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (group, met) in rules.conditions().zip(&outcome.met) {
        match met {
            Some((hit, _)) => found.extend(hit_text(group, *hit).map(q)),
            // Name the phrases a user wrote; a concept only when the group is nothing else.
            None => missing.push(
                group
                    .phrases
                    .iter()
                    .map(|(_, p)| p)
                    .chain(
                        group
                            .concepts
                            .iter()
                            .filter(|_| group.phrases.is_empty())
                            .map(|(_, p)| p),
                    )
                    .take(3)
                    .map(|p| q(p))
                    .collect::<Vec<_>>()
                    .join(" / "),
            ),
        }
    }
    let mut parts = Vec::new();
    if !found.is_empty() {
        parts.push(format!(
            "{}{}",
            if ru { "найдено: " } else { "found: " },
            found.join(", ")
        ));
    }
    if !missing.is_empty() {
        parts.push(format!(
            "{}{}",
            if ru {
                "не найдено: "
            } else {
                "missing: "
            },
            missing.join(", ")
        ));
    }
    if let Some((hit, _)) = outcome.forbidden
        && let Some(p) = hit_text(&rules.none, hit)
    {
        parts.push(format!(
            "{}{}",
            if ru {
                "запрещенная фраза: "
            } else {
                "forbidden phrase: "
            },
            q(p)
        ));
    }
    if parts.is_empty() {
        parts.push(if ru {
            "нарушений не найдено".to_owned()
        } else {
            "nothing forbidden found".to_owned()
        });
    }
    let mut s = parts.join("; ");
    if let Some(first) = s.get(..1).map(str::to_uppercase) {
        s.replace_range(..1, &first);
    } else if let Some(c) = s.chars().next() {
        let upper: String = c.to_uppercase().collect();
        s.replace_range(..c.len_utf8(), &upper);
    }
    s.push('.');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_checklists_and_tables_can_be_shared_across_threads() {
        fn shared<T: Send + Sync + 'static>() {}
        shared::<CompiledChecklist>();
        shared::<crate::CompiledTable>();
    }

    #[test]
    fn a_stage_with_only_forbidden_phrases_is_full_when_none_occurs() {
        let c = CompiledChecklist::from_json(
            r#"{"stages": [{"id": "S", "name": "Без грубости", "rules": {"none": ["мне все равно"]}}]}"#,
        )
        .unwrap();
        let v = c.evaluate(&Transcript::parse("Менеджер: Конечно, помогу").unwrap());
        let score = v[0].score().unwrap();
        assert_eq!((score.percentage(), score.passed()), (100, true));
        assert_eq!(v[0].comment, "Нарушений не найдено.");
    }

    #[test]
    fn english_checklists_comment_in_english() {
        let c = CompiledChecklist::from_json(
            r#"{"language": "en", "stages": [{"id": "S", "name": "Greeting", "rules": {"all": [["hello"], ["my name is"]]}}]}"#,
        )
        .unwrap();
        let v = c.evaluate(&Transcript::parse("Agent: Hello there!").unwrap());
        let score = v[0].score().unwrap();
        assert_eq!(score.percentage(), 50);
        assert_eq!(v[0].comment, "Found: \"hello\"; missing: \"my name is\".");
        assert_eq!(score.quote(), "Hello there!");
    }
}
