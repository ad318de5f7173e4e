//! The checklist model of docs/formats.md: stages with rules for the deterministic evaluator and
//! prompts for the LLM evaluator.
//!
//! Reading is tolerant (numbers as strings, a single phrase where a list is expected, enum
//! values in any case); [`Checklist::from_json`] then validates and names the offending field.

use crate::error::{Error, Result, decode_json};
use crate::transcript::Language;
use rop_api::StageId;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::HashSet;

/// A checklist: the stages a call is scored against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// The checklist's id in ROP.
    #[serde(default, deserialize_with = "http_plumbing::lenient::string")]
    pub id: String,
    /// The checklist's name (W1's `checklist_name`).
    #[serde(default, deserialize_with = "http_plumbing::lenient::string")]
    pub name: String,
    /// The language of the phrases and of the comments (`ru` by default).
    #[serde(default)]
    pub language: Language,
    /// The percentage a stage needs to pass when it sets none itself (default 100).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub pass_threshold: Option<u32>,
    /// Where W1 is POSTed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub webhook_url: Option<String>,
    /// The user's own speaker labels mapped to `manager` / `client`, e.g.
    /// `{"Администратор": "manager", "Пациент": "client"}`: applied to transcripts before scoring
    /// ([`Transcript::relabel`](crate::Transcript::relabel); the CLI does it).
    #[serde(default, skip_serializing_if = "crate::SpeakerLabels::is_empty")]
    pub speaker_labels: crate::SpeakerLabels,
    /// The stages in order.
    #[serde(default)]
    pub stages: Vec<Stage>,
}

/// One stage of a checklist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// The stage's id (W1's `stage_id`).
    pub id: StageId,
    /// The stage's name (W1's `stage_name`).
    #[serde(default, deserialize_with = "http_plumbing::lenient::string")]
    pub name: String,
    /// The stage's weight in the totals (default 1).
    #[serde(default = "one", deserialize_with = "weight")]
    pub weight: u32,
    /// A failed critical stage sets the call's `completion_percentage` to 0.
    #[serde(default, deserialize_with = "http_plumbing::lenient::bool")]
    pub critical: bool,
    /// The instruction for the LLM evaluator.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub prompt: Option<String>,
    /// The percentage this stage needs to pass (overrides the checklist's).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub pass_threshold: Option<u32>,
    /// The rules of the deterministic evaluator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<Rules>,
    /// When present and not met, the stage is N/A: left out of the stages and the totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_when: Option<Rules>,
}

fn one() -> u32 {
    1
}

fn weight<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<u32, D::Error> {
    Ok(http_plumbing::lenient::opt_from_str::<D, u32>(d)?.unwrap_or(1))
}

/// The phrase rules of a stage (or of its `applies_when`).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Whose utterances are searched (default: the manager's).
    #[serde(default)]
    pub speaker: SpeakerFilter,
    /// One condition: met when any of these phrases occurs. A phrase may be a built-in
    /// condition: `{time}`, `{date}`, `{amount}`, `{name}`, `{self_introduction}`, `{phone}`.
    /// Absent means no such condition; an empty list is an error.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "required_phrase_list"
    )]
    pub any: Vec<String>,
    /// One condition per group: met when any phrase of the group occurs.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "phrase_groups"
    )]
    pub all: Vec<Vec<String>>,
    /// Phrases that must not occur: one occurrence sets the stage's percentage to 0.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "phrase_list"
    )]
    pub none: Vec<String>,
    /// Only part of the call is searched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Window>,
    /// A phrase counts only when it occurs at least this many times (default 1).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_from_str"
    )]
    pub min_count: Option<u32>,
}

impl Rules {
    /// The number of conditions: `1` for `any` (when present) plus one per `all` group.
    pub fn conditions(&self) -> usize {
        usize::from(!self.any.is_empty()) + self.all.len()
    }
}

/// A time window of the call.
#[derive(Clone, Copy, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// Only the first N seconds.
    #[serde(default, deserialize_with = "http_plumbing::lenient::opt_from_str")]
    pub from_start: Option<f64>,
    /// Only the last N seconds.
    #[serde(default, deserialize_with = "http_plumbing::lenient::opt_from_str")]
    pub before_end: Option<f64>,
}

/// Whose utterances a rule or a table field searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum SpeakerFilter {
    /// The manager's utterances.
    #[default]
    Manager,
    /// The client's utterances.
    Client,
    /// Everybody's.
    Any,
}

impl SpeakerFilter {
    /// The canonical text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manager => "manager",
            Self::Client => "client",
            Self::Any => "any",
        }
    }

    /// Whether an utterance by `speaker` is searched.
    pub fn accepts(self, speaker: &crate::transcript::Speaker) -> bool {
        use crate::transcript::Speaker;
        match self {
            Self::Any => true,
            Self::Manager => *speaker == Speaker::Manager,
            Self::Client => *speaker == Speaker::Client,
        }
    }
}

impl Serialize for SpeakerFilter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SpeakerFilter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = http_plumbing::lenient::opt_string(d)?.unwrap_or_default();
        match s.trim().to_lowercase().as_str() {
            "manager" | "agent" | "operator" | "менеджер" => Ok(Self::Manager),
            "client" | "customer" | "caller" | "клиент" => Ok(Self::Client),
            "any" | "all" | "both" | "" | "*" => Ok(Self::Any),
            other => Err(serde::de::Error::custom(format_args!(
                "unknown speaker {other:?}: expected manager, client or any"
            ))),
        }
    }
}

/// As [`phrase_list`], but an empty list is an error: it would be a condition nobody can meet.
fn required_phrase_list<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    let list = phrase_list(d)?;
    if list.is_empty() {
        return Err(serde::de::Error::custom(
            "an empty list: add phrases or remove the key",
        ));
    }
    Ok(list)
}

/// A list of phrases: a JSON array, or one phrase as a string.
fn phrase_list<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "a phrase or a list of phrases")]
    enum OneOrMany {
        One(Option<String>),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => s.into_iter().filter(|s| !s.trim().is_empty()).collect(),
        OneOrMany::Many(v) => v,
    })
}

/// Groups of phrases: each group an array, or one phrase as a string.
fn phrase_groups<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "a phrase or a list of phrases")]
    enum Group {
        One(String),
        Many(Vec<String>),
    }
    let groups = Option::<Vec<Group>>::deserialize(d)?.unwrap_or_default();
    if groups.is_empty() {
        return Err(serde::de::Error::custom(
            "an empty list of groups: add groups of phrases or remove the key",
        ));
    }
    Ok(groups
        .into_iter()
        .map(|g| match g {
            Group::One(s) => vec![s],
            Group::Many(v) => v,
        })
        .collect())
}

impl Checklist {
    /// Reads and validates a checklist; errors name the JSON path.
    ///
    /// ```
    /// let c = rop_analysis::Checklist::from_json(r#"{"id": "CL", "name": "Тест",
    ///     "stages": [{"id": "S1", "name": "Приветствие", "rules": {"any": ["добрый день"]}}]}"#)?;
    /// assert_eq!(c.stages[0].weight, 1);
    /// # Ok::<(), rop_analysis::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Self> {
        if crate::error::top_level_keys(text).is_some_and(|(stages, fields)| fields && !stages) {
            return Err(Error::invalid(
                "checklist",
                "fields",
                "this is an analytic table (it has `fields`), not a checklist (`stages`)",
            ));
        }
        let c: Self = decode_json("checklist", text)?;
        c.validate()?;
        Ok(c)
    }

    /// Checks the rules JSON cannot express: unique stage ids, thresholds within 0–100,
    /// non-empty phrases, every stage evaluable (rules or a prompt).
    pub fn validate(&self) -> Result<()> {
        if let Some(t) = self.pass_threshold.filter(|t| *t > 100) {
            return Err(Error::invalid(
                "checklist",
                "pass_threshold",
                format_args!("{t} is above 100"),
            ));
        }
        let mut seen = HashSet::new();
        for (i, stage) in self.stages.iter().enumerate() {
            let at = format!("stages[{i}]");
            if stage.id.as_str().trim().is_empty() {
                return Err(Error::invalid("checklist", format!("{at}.id"), "is empty"));
            }
            if !seen.insert(stage.id.as_str()) {
                return Err(Error::invalid(
                    "checklist",
                    format!("{at}.id"),
                    format_args!("duplicate stage id {:?}", stage.id.as_str()),
                ));
            }
            if let Some(t) = stage.pass_threshold.filter(|t| *t > 100) {
                return Err(Error::invalid(
                    "checklist",
                    format!("{at}.pass_threshold"),
                    format_args!("{t} is above 100"),
                ));
            }
            if stage.rules.is_none() && stage.prompt.as_deref().is_none_or(|p| p.trim().is_empty())
            {
                return Err(Error::invalid(
                    "checklist",
                    format!("{at}.rules"),
                    "a stage needs `rules` or a `prompt`",
                ));
            }
            for (name, rules) in [
                ("rules", &stage.rules),
                ("applies_when", &stage.applies_when),
            ] {
                if let Some(r) = rules {
                    validate_rules(r, &format!("{at}.{name}"))?;
                }
            }
        }
        Ok(())
    }
}

pub(crate) fn validate_rules(r: &Rules, at: &str) -> Result<()> {
    let placeholders = std::iter::once(("any", &r.any))
        .chain(std::iter::once(("none", &r.none)))
        .flat_map(|(k, l)| {
            l.iter()
                .enumerate()
                .map(move |(j, p)| (format!("{k}[{j}]"), p))
        })
        .chain(r.all.iter().enumerate().flat_map(|(g, l)| {
            l.iter()
                .enumerate()
                .map(move |(j, p)| (format!("all[{g}][{j}]"), p))
        }));
    for (path, p) in placeholders {
        if crate::recognisers::Concept::from_placeholder(p) == Some(None) {
            return Err(Error::invalid(
                "checklist",
                format!("{at}.{path}"),
                format_args!(
                    "unknown built-in condition {p:?}: expected one of {}",
                    crate::recognisers::Concept::PLACEHOLDERS
                ),
            ));
        }
    }
    let empty = |p: &String| {
        crate::recognisers::Concept::from_placeholder(p).is_none()
            && crate::text::Words::new(p).is_empty()
    };
    if let Some(j) = r.any.iter().position(empty) {
        return Err(Error::invalid(
            "checklist",
            format!("{at}.any[{j}]"),
            "phrase has no words",
        ));
    }
    if let Some(j) = r.none.iter().position(empty) {
        return Err(Error::invalid(
            "checklist",
            format!("{at}.none[{j}]"),
            "phrase has no words",
        ));
    }
    for (g, group) in r.all.iter().enumerate() {
        if group.is_empty() {
            return Err(Error::invalid(
                "checklist",
                format!("{at}.all[{g}]"),
                "group is empty",
            ));
        }
        if let Some(j) = group.iter().position(empty) {
            return Err(Error::invalid(
                "checklist",
                format!("{at}.all[{g}][{j}]"),
                "phrase has no words",
            ));
        }
    }
    if r.min_count == Some(0) {
        return Err(Error::invalid(
            "checklist",
            format!("{at}.min_count"),
            "must be at least 1",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_formats_example_tolerantly() {
        let c = Checklist::from_json(
            r#"{"id": "CL_001", "name": "Чек-лист", "language": "RU", "pass_threshold": "100",
               "stages": [{"id": "URC_S_1", "name": "Критерии", "weight": "2", "critical": "false",
                 "prompt": "…", "rules": {"speaker": "Manager", "all": [["комнат", "однушка"], "район"],
                 "none": "не знаю", "window": {"from_start": null, "before_end": "60"}}}]}"#,
        )
        .unwrap();
        let s = &c.stages[0];
        assert_eq!(s.weight, 2);
        let r = s.rules.as_ref().unwrap();
        assert_eq!(
            r.all,
            vec![
                vec!["комнат".to_owned(), "однушка".to_owned()],
                vec!["район".to_owned()]
            ]
        );
        assert_eq!(r.none, vec!["не знаю".to_owned()]);
        assert_eq!(r.window.unwrap().before_end, Some(60.0));
        assert_eq!(r.conditions(), 2);
    }

    #[test]
    fn rejects_a_stage_without_rules_or_prompt_naming_it() {
        let err = Checklist::from_json(r#"{"stages": [{"id": "S1", "name": "x"}]}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "checklist: `stages[0].rules`: a stage needs `rules` or a `prompt`"
        );
    }

    #[test]
    fn rejects_a_bad_speaker_with_its_path() {
        let err = Checklist::from_json(
            r#"{"stages": [{"id": "S1", "rules": {"speaker": "boss", "any": ["a"]}}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("stages[0].rules.speaker"), "{err}");
    }

    #[test]
    fn rejects_duplicate_stage_ids() {
        let err = Checklist::from_json(
            r#"{"stages": [{"id": "S1", "prompt": "a"}, {"id": "S1", "prompt": "b"}]}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("stages[1].id"));
    }
}
