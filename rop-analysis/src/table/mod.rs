//! Analytic tables (docs/formats.md): the model, compiled once, and the extraction of W2's
//! `extracted_data` from a call.

use crate::checklist::SpeakerFilter;
use crate::engine::PreparedCall;
use crate::error::{Error, Result, decode_json};
use crate::fields;
use crate::matching::{Occurrence, PhraseId, PhraseSet};
use crate::transcript::{Language, Transcript};
use chrono::{DateTime, Utc};
use rop_api::{CallId, TableId, TableResult};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

mod values;

pub use values::{Choose, Values};

/// An analytic table: the fields extracted from every call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The table's id in ROP (W2's `table_id`).
    pub id: TableId,
    /// The table's name (W2's `table_name`).
    #[serde(default, deserialize_with = "http_plumbing::lenient::string")]
    pub name: String,
    /// The language of the phrases. When absent: `ru` if any
    /// phrase has Cyrillic letters, else `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// Where W2 is POSTed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "http_plumbing::lenient::opt_string"
    )]
    pub webhook_url: Option<String>,
    /// The fields in order.
    #[serde(default)]
    pub fields: Vec<Field>,
}

/// One field of a table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The key in `extracted_data`.
    #[serde(deserialize_with = "http_plumbing::lenient::string")]
    pub key: String,
    /// How the value is found.
    pub kind: FieldKind,
    /// Whose turns are searched (default: everybody's).
    #[serde(default = "any_speaker")]
    pub speaker: SpeakerFilter,
    /// `enum` / `list`: canonical value → the phrases that mean it, in the order written
    /// (the order `choose: "priority"` ranks by).
    #[serde(default, skip_serializing_if = "Values::is_empty")]
    pub values: Values,
    /// `enum`: which value wins when the call mentions several (default [`Choose::Priority`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choose: Option<Choose>,
    /// `regex`: the pattern; the first capture group is the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// `llm`: the question for the LLM extractor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
}

fn any_speaker() -> SpeakerFilter {
    SpeakerFilter::Any
}

/// A field's kind. Read in any case; an unknown kind is kept as [`FieldKind::Other`] and
/// refused by [`Table::validate`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// One canonical value; with several mentioned, the one `choose` picks.
    Enum,
    /// Every canonical value found, in order, joined by `"; "`.
    List,
    /// An amount or a range of money, written canonically (`5-7 млн руб`).
    MoneyRange,
    /// The name after «меня зовут», «это», «я —» (or `my name is`, `this is`).
    PersonName,
    /// A phone number, 11 digits starting with 7.
    Phone,
    /// A date, `YYYY-MM-DD`; relative words resolved against the call's date.
    Date,
    /// The first capture group of `pattern`.
    Regex,
    /// Filled only by the LLM extractor.
    Llm,
    /// Any other kind, as received.
    Other(String),
}

impl FieldKind {
    /// The canonical text.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Enum => "enum",
            Self::List => "list",
            Self::MoneyRange => "money_range",
            Self::PersonName => "person_name",
            Self::Phone => "phone",
            Self::Date => "date",
            Self::Regex => "regex",
            Self::Llm => "llm",
            Self::Other(s) => s,
        }
    }
}

impl Serialize for FieldKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FieldKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = http_plumbing::lenient::string(d)?;
        Ok(match s.trim().to_lowercase().replace('-', "_").as_str() {
            "enum" => Self::Enum,
            "list" => Self::List,
            "money_range" | "money" => Self::MoneyRange,
            "person_name" | "name" => Self::PersonName,
            "phone" => Self::Phone,
            "date" => Self::Date,
            "regex" => Self::Regex,
            "llm" => Self::Llm,
            _ => Self::Other(s),
        })
    }
}

impl Table {
    /// Reads and validates a table; errors name the JSON path.
    pub fn from_json(text: &str) -> Result<Self> {
        if crate::error::top_level_keys(text).is_some_and(|(stages, fields)| stages && !fields) {
            return Err(Error::invalid(
                "table",
                "stages",
                "this is a checklist (it has `stages`), not an analytic table (`fields`)",
            ));
        }
        // Decoded from the text, not through `serde_json::Value`: the order of `values` matters.
        let t: Self = decode_json("table", text)?;
        t.validate()?;
        Ok(t)
    }

    /// Checks what JSON cannot: unique keys, non-empty `values` with non-blank canonical values
    /// for enum/list, a valid `pattern` for regex.
    pub fn validate(&self) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        for (i, f) in self.fields.iter().enumerate() {
            let at = format!("fields[{i}]");
            if f.key.trim().is_empty() || !seen.insert(f.key.as_str()) {
                return Err(Error::invalid(
                    "table",
                    format!("{at}.key"),
                    "is empty or repeated",
                ));
            }
            match &f.kind {
                FieldKind::Other(kind) => {
                    return Err(Error::invalid(
                        "table",
                        format!("{at}.kind"),
                        format_args!(
                            "unknown kind {kind:?}: expected enum, list, money_range, person_name, phone, date, regex or llm"
                        ),
                    ));
                }
                FieldKind::Enum | FieldKind::List if f.values.is_empty() => {
                    return Err(Error::invalid(
                        "table",
                        format!("{at}.values"),
                        "an enum or list field needs values",
                    ));
                }
                // An empty canonical value would be extracted as `""`, but a field with nothing
                // found is absent (docs/formats.md): refuse it here.
                FieldKind::Enum | FieldKind::List => {
                    if let Some(canon) = f.values.keys().find(|c| c.trim().is_empty()) {
                        return Err(Error::invalid(
                            "table",
                            format!("{at}.values"),
                            format_args!("canonical value {canon:?} is empty"),
                        ));
                    }
                }
                FieldKind::Regex => {
                    let p = f.pattern.as_deref().unwrap_or("");
                    if let Err(e) = regex::Regex::new(p) {
                        return Err(Error::invalid("table", format!("{at}.pattern"), e));
                    }
                    if p.is_empty() {
                        return Err(Error::invalid(
                            "table",
                            format!("{at}.pattern"),
                            "a regex field needs a pattern",
                        ));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn effective_language(&self) -> Language {
        if let Some(l) = &self.language {
            return l.clone();
        }
        let cyrillic = self
            .fields
            .iter()
            .flat_map(|f| f.values.iter())
            .flat_map(|(k, v)| std::iter::once(k).chain(v))
            .any(|s| {
                s.chars()
                    .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
            });
        if cyrillic || self.fields.iter().all(|f| f.values.is_empty()) {
            Language::Ru
        } else {
            Language::En
        }
    }
}

/// A table compiled once (phrases stemmed, patterns built): extracts from any number of calls.
#[derive(Debug)]
pub struct CompiledTable {
    table: Table,
    phrases: PhraseSet,
    fields: Vec<CompiledField>,
}

#[derive(Debug)]
enum CompiledField {
    Values(Vec<(String, Vec<PhraseId>)>),
    Regex(regex::Regex),
    Builtin,
}

impl CompiledTable {
    /// Validates and compiles a table.
    pub fn compile(table: Table) -> Result<Self> {
        table.validate()?;
        let mut phrases = PhraseSet::new(&table.effective_language());
        let mut fields = Vec::with_capacity(table.fields.len());
        for (i, f) in table.fields.iter().enumerate() {
            fields.push(match f.kind {
                FieldKind::Enum | FieldKind::List => CompiledField::Values(
                    f.values
                        .iter()
                        .map(|(canon, list)| {
                            (
                                canon.clone(),
                                list.iter().filter_map(|p| phrases.add(p)).collect(),
                            )
                        })
                        .collect(),
                ),
                FieldKind::Regex => CompiledField::Regex(
                    regex::Regex::new(f.pattern.as_deref().unwrap_or(""))
                        .map_err(|e| Error::invalid("table", format!("fields[{i}].pattern"), e))?,
                ),
                _ => CompiledField::Builtin,
            });
        }
        phrases.finish();
        Ok(Self {
            table,
            phrases,
            fields,
        })
    }

    /// Reads, validates and compiles a table from JSON.
    pub fn from_json(text: &str) -> Result<Self> {
        Self::compile(Table::from_json(text)?)
    }

    /// The table as written.
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// W2's `extracted_data`: key → value for every field found (absent when nothing was found;
    /// `llm` fields are left to the LLM extractor). Deterministic, no I/O.
    ///
    /// ```
    /// let table = rop_analysis::CompiledTable::from_json(r#"{"id": "T1", "fields": [
    ///     {"key": "budget", "kind": "money_range"}, {"key": "phone", "kind": "phone"}]}"#)?;
    /// let call = rop_analysis::Transcript::parse("Клиент: Бюджет от пяти до семи миллионов, телефон 8 (916) 123-45-67")?;
    /// let data = table.extract(&call);
    /// assert_eq!(data["budget"], "5-7 млн руб");
    /// assert_eq!(data["phone"], "79161234567");
    /// # Ok::<(), rop_analysis::Error>(())
    /// ```
    pub fn extract(&self, transcript: &Transcript) -> BTreeMap<String, String> {
        self.extract_dated(transcript, transcript.date)
    }

    /// As [`extract`](Self::extract), with the call's date given by the caller: for plain-text
    /// transcripts, which have no `date` key, so that «завтра» and «в пятницу» become dates.
    /// `call_date` wins over the transcript's own `date`.
    ///
    /// ```
    /// let table = rop_analysis::CompiledTable::from_json(
    ///     r#"{"id": "T", "fields": [{"key": "visit", "kind": "date"}]}"#)?;
    /// let call = rop_analysis::Transcript::parse("Менеджер: Ждём вас завтра в десять.")?;
    /// assert!(table.extract(&call).is_empty());
    /// let date = chrono::NaiveDate::from_ymd_opt(2026, 10, 6).unwrap();
    /// assert_eq!(table.extract_on(&call, date)["visit"], "2026-10-07");
    /// # Ok::<(), rop_analysis::Error>(())
    /// ```
    pub fn extract_on(
        &self,
        transcript: &Transcript,
        call_date: chrono::NaiveDate,
    ) -> BTreeMap<String, String> {
        self.extract_dated(transcript, Some(call_date))
    }

    fn extract_dated(
        &self,
        transcript: &Transcript,
        call_date: Option<chrono::NaiveDate>,
    ) -> BTreeMap<String, String> {
        let call = PreparedCall::new(transcript);
        let found = self.phrases.find_all(&call.words);
        let mut out = BTreeMap::new();
        for (field, compiled) in self.table.fields.iter().zip(&self.fields) {
            let texts = || {
                transcript
                    .utterances
                    .iter()
                    .filter(|u| field.speaker.accepts(&u.speaker))
                    .map(|u| u.text.as_str())
            };
            let value = match (compiled, &field.kind) {
                (CompiledField::Values(values), FieldKind::List) => {
                    let mut hits: Vec<((u32, u32), &str)> = values
                        .iter()
                        .filter_map(|(canon, ids)| {
                            mentions(ids, &found, &call, field.speaker)
                                .map(|m| m.first)
                                .map(|at| (at, canon.as_str()))
                        })
                        .collect();
                    hits.sort();
                    (!hits.is_empty())
                        .then(|| hits.iter().map(|(_, c)| *c).collect::<Vec<_>>().join("; "))
                }
                (CompiledField::Values(values), _) => {
                    let mentioned = values
                        .iter()
                        .enumerate()
                        .filter_map(|(rank, (canon, ids))| {
                            mentions(ids, &found, &call, field.speaker).map(|m| (rank, canon, m))
                        });
                    let choose = field.choose.unwrap_or_default();
                    let best = match choose {
                        Choose::Priority => mentioned.min_by_key(|(rank, _, _)| *rank),
                        Choose::First => mentioned.min_by_key(|(_, _, m)| m.first),
                        Choose::Last => mentioned.max_by_key(|(_, _, m)| m.last),
                        Choose::Most => {
                            mentioned.max_by_key(|(_, _, m)| (m.count, std::cmp::Reverse(m.first)))
                        }
                    };
                    best.map(|(_, canon, _)| canon.clone())
                }
                (CompiledField::Regex(re), _) => texts().find_map(|t| {
                    re.captures(t)
                        .and_then(|c| c.get(1).or_else(|| c.get(0)))
                        .map(|m| m.as_str().trim().to_owned())
                        .filter(|s| !s.is_empty())
                }),
                (CompiledField::Builtin, FieldKind::MoneyRange) => {
                    fields::stated_amount(&call, field.speaker)
                }
                (CompiledField::Builtin, FieldKind::Phone) => texts().find_map(fields::phone),
                (CompiledField::Builtin, FieldKind::PersonName) => {
                    fields::name_of(&call, field.speaker)
                        .or_else(|| texts().find_map(|t| fields::introduced_name(t, true)))
                }
                (CompiledField::Builtin, FieldKind::Date) => {
                    texts().find_map(|t| fields::date(t, call_date))
                }
                (CompiledField::Builtin, _) => None,
            };
            if let Some(v) = value {
                out.insert(field.key.clone(), v);
            }
        }
        out
    }

    /// Extracts and builds W2, measuring `processing_time`. `call_id` defaults to the
    /// transcript's.
    pub fn extract_call(
        &self,
        transcript: &Transcript,
        call_id: Option<CallId>,
        timestamp: Option<DateTime<Utc>>,
    ) -> TableResult {
        let started = std::time::Instant::now();
        let extracted_data = self.extract(transcript);
        TableResult {
            call_id: call_id
                .or_else(|| transcript.call_id.clone())
                .unwrap_or_default(),
            table_id: self.table.id.clone(),
            table_name: Some(self.table.name.clone()).filter(|n| !n.is_empty()),
            extracted_data,
            processing_time: Some(started.elapsed()),
            timestamp,
        }
    }
}

/// Where and how often a value's phrases occur in a call.
struct Mentions {
    first: (u32, u32),
    last: (u32, u32),
    count: usize,
}

/// The accepted occurrences of any of `ids`: first and last (utterance, word) and how many.
fn mentions(
    ids: &[PhraseId],
    found: &[Vec<Occurrence>],
    call: &PreparedCall<'_>,
    speaker: SpeakerFilter,
) -> Option<Mentions> {
    let mut out: Option<Mentions> = None;
    for o in ids
        .iter()
        .filter_map(|id| found.get(*id as usize))
        .flatten()
        .filter(|o| call.accepts(o.utterance, speaker, None))
        // A field is about what the call agrees, not what happened before it («вы у нас были
        // на тест-драйве», «я думала, он дешевле»).
        .filter(|o| !call.in_the_past(o))
        // «Наличными или кредит?» offers options: the answer chooses, not the question.
        .filter(|o| !call.offers_options(o))
        // «Могу скинуть прайс» — «Не, не надо»: an offer the other side turns down is not
        // what the call agreed.
        .filter(|o| !call.declined(o.utterance))
    {
        let at = (o.utterance, o.word);
        match &mut out {
            None => {
                out = Some(Mentions {
                    first: at,
                    last: at,
                    count: 1,
                });
            }
            Some(m) => {
                m.first = m.first.min(at);
                m.last = m.last.max(at);
                m.count += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
