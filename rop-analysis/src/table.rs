//! Analytic tables (FORMATS.md): the model, compiled once, and the extraction of W2's
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

/// An analytic table: the fields extracted from every call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The table's id in ROP (W2's `table_id`).
    pub id: TableId,
    /// The table's name (W2's `table_name`).
    #[serde(default, deserialize_with = "http_plumbing::lenient::string")]
    pub name: String,
    /// The language of the phrases (an extension of FORMATS.md). When absent: `ru` if any
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
pub struct Field {
    /// The key in `extracted_data`.
    #[serde(deserialize_with = "http_plumbing::lenient::string")]
    pub key: String,
    /// How the value is found.
    pub kind: FieldKind,
    /// Whose turns are searched (default: everybody's).
    #[serde(default = "any_speaker")]
    pub speaker: SpeakerFilter,
    /// `enum` / `list`: canonical value → the phrases that mean it.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "values"
    )]
    pub values: BTreeMap<String, Vec<String>>,
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

fn values<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<BTreeMap<String, Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "a phrase or a list of phrases")]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let m = Option::<BTreeMap<String, OneOrMany>>::deserialize(d)?.unwrap_or_default();
    Ok(m.into_iter()
        .map(|(k, v)| match v {
            OneOrMany::One(s) => (k, vec![s]),
            OneOrMany::Many(v) => (k, v),
        })
        .collect())
}

/// A field's kind. Read in any case; unknown kinds are kept (and extract nothing).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// The canonical value whose phrases occur first.
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
            match f.kind {
                FieldKind::Enum | FieldKind::List if f.values.is_empty() => {
                    return Err(Error::invalid(
                        "table",
                        format!("{at}.values"),
                        "an enum or list field needs values",
                    ));
                }
                // An empty canonical value would be extracted as `""`, but a field with nothing
                // found is absent (FORMATS.md): refuse it here.
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
                            first_hit(ids, &found, &call, field.speaker)
                                .map(|at| (at, canon.as_str()))
                        })
                        .collect();
                    hits.sort();
                    (!hits.is_empty())
                        .then(|| hits.iter().map(|(_, c)| *c).collect::<Vec<_>>().join("; "))
                }
                (CompiledField::Values(values), _) => values
                    .iter()
                    .filter_map(|(canon, ids)| {
                        first_hit(ids, &found, &call, field.speaker).map(|at| (at, canon))
                    })
                    .min()
                    .map(|(_, c)| c.clone()),
                (CompiledField::Regex(re), _) => texts().find_map(|t| {
                    re.captures(t)
                        .and_then(|c| c.get(1).or_else(|| c.get(0)))
                        .map(|m| m.as_str().trim().to_owned())
                        .filter(|s| !s.is_empty())
                }),
                (CompiledField::Builtin, FieldKind::MoneyRange) => {
                    texts().find_map(fields::money_range)
                }
                (CompiledField::Builtin, FieldKind::Phone) => texts().find_map(fields::phone),
                (CompiledField::Builtin, FieldKind::PersonName) => {
                    fields::name_of(&call, field.speaker)
                        .or_else(|| texts().find_map(fields::person_name))
                }
                (CompiledField::Builtin, FieldKind::Date) => {
                    texts().find_map(|t| fields::date(t, transcript.date))
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

/// The earliest accepted occurrence of any of `ids`: (utterance, word).
fn first_hit(
    ids: &[PhraseId],
    found: &[Vec<Occurrence>],
    call: &PreparedCall<'_>,
    speaker: SpeakerFilter,
) -> Option<(u32, u32)> {
    ids.iter()
        .filter_map(|id| found.get(*id as usize))
        .filter_map(|occ| {
            occ.iter()
                .find(|o| call.accepts(o.utterance, speaker, None))
        })
        .map(|o| (o.utterance, o.word))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats_table() -> CompiledTable {
        CompiledTable::from_json(
            r#"{"id": "TBL_1755863365", "name": "Анализ конверсии", "fields": [
              {"key": "client_name", "kind": "person_name", "speaker": "client"},
              {"key": "budget_range", "kind": "money_range"},
              {"key": "object_type", "kind": "enum", "values": {"квартира": ["квартира", "однушка", "двушка", "студия"], "дом": ["дом", "коттедж"]}},
              {"key": "objections", "kind": "list", "values": {"дорого": ["дорого", "дороговато"], "нужно подумать": ["подумать"]}},
              {"key": "next_action", "kind": "enum", "values": {"отправить расчет": ["отправлю расчет", "пришлю расчет"]}},
              {"key": "phone", "kind": "phone"},
              {"key": "visit_date", "kind": "date"},
              {"key": "custom_field", "kind": "regex", "pattern": "(?i)этаж\\s+(\\d+)"},
              {"key": "conversion_stage", "kind": "llm", "prompt": "На каком этапе воронки клиент?"}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn extracts_every_field_kind_from_a_russian_call() {
        let call = Transcript::from_json(
            r#"{"call_id": "c1", "date": "2025-09-17", "utterances": [
              {"speaker": "manager", "start": 0, "end": 2, "text": "Добрый день, меня зовут Анна."},
              {"speaker": "client", "start": 2, "end": 5, "text": "Здравствуйте, меня зовут сергей. Ищу двушку, может коттедж."},
              {"speaker": "client", "start": 5, "end": 8, "text": "Бюджет от пяти до семи миллионов, но это дороговато. Хочу этаж 5."},
              {"speaker": "manager", "start": 8, "end": 10, "text": "Пришлю расчет. Приезжайте завтра. Ваш телефон?"},
              {"speaker": "client", "start": 10, "end": 12, "text": "+7 916 123-45-67. Мне нужно подумать."}]}"#,
        )
        .unwrap();
        let data = formats_table().extract(&call);
        assert_eq!(data["client_name"], "Сергей");
        assert_eq!(data["budget_range"], "5-7 млн руб");
        assert_eq!(data["object_type"], "квартира");
        assert_eq!(data["objections"], "дорого; нужно подумать");
        assert_eq!(data["next_action"], "отправить расчет");
        assert_eq!(data["phone"], "79161234567");
        assert_eq!(data["visit_date"], "2025-09-18");
        assert_eq!(data["custom_field"], "5");
        assert!(!data.contains_key("conversion_stage"));
    }

    #[test]
    fn enum_and_list_follow_the_call_order_not_the_alphabet() {
        let table = CompiledTable::from_json(
            r#"{"id": "T", "fields": [
              {"key": "kind", "kind": "enum", "values": {"апартаменты": ["апартаменты"], "дом": ["коттедж"], "квартира": ["двушка"]}},
              {"key": "objections", "kind": "list", "values": {"далеко": ["далеко"], "дорого": ["дорого"], "подумать": ["подумать"]}},
              {"key": "said_by_manager", "kind": "enum", "speaker": "manager", "values": {"да": ["коттедж"]}}]}"#,
        )
        .unwrap();
        let call = Transcript::parse(
            "Клиент: Нужно подумать: двушка или коттедж? Дорого, но не далеко.\n\
             Клиент: Апартаменты не рассматриваю, хотя далеко.",
        )
        .unwrap();
        let data = table.extract(&call);
        assert_eq!(data["kind"], "квартира");
        // «не далеко» is negated; the later «далеко» counts, after «дорого».
        assert_eq!(data["objections"], "подумать; дорого; далеко");
        // The manager said nothing: the field is absent, not "".
        assert!(!data.contains_key("said_by_manager"));
    }

    #[test]
    fn leaves_out_fields_with_nothing_found() {
        let call = Transcript::parse("Менеджер: Добрый день").unwrap();
        assert!(formats_table().extract(&call).is_empty());
    }

    #[test]
    fn extract_call_builds_w2_with_processing_time() {
        let call = Transcript::parse("Клиент: до 6 млн").unwrap();
        let w2 = formats_table().extract_call(&call, Some("c9".into()), None);
        assert_eq!(w2.call_id.as_str(), "c9");
        assert_eq!(w2.table_id.as_str(), "TBL_1755863365");
        assert_eq!(w2.extracted_data["budget_range"], "до 6 млн руб");
        assert!(w2.processing_time.is_some());
    }

    #[test]
    fn rejects_a_bad_regex_naming_the_field() {
        let err = Table::from_json(
            r#"{"id": "T", "fields": [{"key": "x", "kind": "regex", "pattern": "("}]}"#,
        )
        .unwrap_err();
        assert!(
            err.to_string().starts_with("table: `fields[0].pattern`"),
            "{err}"
        );
    }

    #[test]
    fn rejects_an_empty_or_blank_canonical_value_naming_the_field() {
        for (kind, canon) in [("enum", ""), ("list", "  "), ("LIST", "\\t")] {
            let text = format!(
                r#"{{"id": "T", "fields": [{{"key": "ok", "kind": "phone"}},
                   {{"key": "k", "kind": "{kind}", "values": {{"да": ["да"], "{canon}": ["зовут"]}}}}]}}"#
            );
            let err = CompiledTable::from_json(&text).unwrap_err();
            assert!(
                err.to_string().starts_with("table: `fields[1].values`"),
                "{err}"
            );
            assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
        }
    }
}
