//! Transcripts: the three input forms of docs/formats.md, read into one [`Transcript`].
//!
//! - our JSON (`{"call_id", "language", "utterances": [{"speaker", "start", "end", "text"}]}`),
//!   with two optional extensions: `manager_id` and `date` (the call's date, `YYYY-MM-DD` or
//!   RFC 3339, used to resolve «завтра» in tables);
//! - an OpenAI-style `verbose_json` transcription (`segments[]` with `start`, `end`, `text` and a
//!   `speaker` or `channel` key; channel `0` is the manager, any other channel the client);
//! - plain text, one `Speaker: text` line per utterance (no times); a line without a speaker
//!   prefix continues the previous utterance. Extensions: a leading time stamp (`[01:02]`,
//!   `00:01:02`) becomes the utterance's `start`; a bare JSON array is read as the utterances.
//!
//! Reading is tolerant: numbers may arrive as strings, speakers in any case (`agent`/`operator`
//! read as manager, `customer`/`caller` as client), unknown speakers are kept.

use crate::error::{Error, Result, decode_value};
use chrono::{DateTime, NaiveDate, Utc};
use rop_api::{CallId, ManagerId};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

mod speakers;

pub use speakers::{SpeakerLabels, UnknownSpeaker};

/// One call's transcript.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Transcript {
    /// The CRM's call id, when the transcript carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<CallId>,
    /// The manager's id, when the transcript carries it (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_id: Option<ManagerId>,
    /// The call's language (`ru` by default).
    #[serde(default)]
    pub language: Language,
    /// The call's date, when known (resolves relative dates).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_date"
    )]
    pub date: Option<NaiveDate>,
    /// When the call started, when the transcript's `date` is a full RFC 3339 timestamp (filled
    /// by [`Transcript::parse`], [`Transcript::from_json`] and [`Transcript::from_value`]; not
    /// a key of its own). The CLI reports it as W1's `timestamp`, so a report's period is the
    /// calls' own.
    #[serde(skip)]
    pub started_at: Option<DateTime<Utc>>,
    /// The utterances in call order.
    #[serde(default)]
    pub utterances: Vec<Utterance>,
}

/// One speaker turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Utterance {
    /// Who spoke.
    #[serde(default = "default_speaker")]
    pub speaker: Speaker,
    /// Seconds from the call's start, when known.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_seconds"
    )]
    pub start: Option<f64>,
    /// Seconds from the call's start at the turn's end, when known.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_seconds"
    )]
    pub end: Option<f64>,
    /// What was said, verbatim.
    #[serde(default, deserialize_with = "http_plumbing::lenient::string")]
    pub text: String,
}

fn default_speaker() -> Speaker {
    Speaker::Other(String::new())
}

impl Utterance {
    /// An utterance without times.
    pub fn new(speaker: Speaker, text: impl Into<String>) -> Self {
        Self {
            speaker,
            start: None,
            end: None,
            text: text.into(),
        }
    }

    /// The same utterance with times.
    #[must_use]
    pub fn at(mut self, start: f64, end: f64) -> Self {
        self.start = Some(start);
        self.end = Some(end);
        self
    }
}

/// Who spoke an utterance. Read in any case; written lowercase.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Speaker {
    /// The company's side (`manager`; also `agent`, `operator`, `менеджер`).
    Manager,
    /// The customer (`client`; also `customer`, `caller`, `клиент`).
    Client,
    /// Anything else, as received.
    Other(String),
}

impl Speaker {
    /// The canonical text (`manager`, `client` or the unknown value).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Manager => "manager",
            Self::Client => "client",
            Self::Other(s) => s,
        }
    }
}

impl From<&str> for Speaker {
    fn from(s: &str) -> Self {
        match s.trim().to_lowercase().as_str() {
            "manager" | "agent" | "operator" | "менеджер" | "оператор" | "мрк" => {
                Self::Manager
            }
            "client" | "customer" | "caller" | "клиент" | "покупатель" => {
                Self::Client
            }
            _ => Self::Other(s.trim().to_owned()),
        }
    }
}

impl fmt::Display for Speaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Speaker {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Speaker {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = http_plumbing::lenient::string(d)?;
        Ok(Self::from(s.as_str()))
    }
}

/// A transcript's or checklist's language: it picks the Snowball stemmer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// Russian (the default).
    #[default]
    Ru,
    /// English.
    En,
    /// Any other language, as received (matched without stemming).
    Other(String),
}

impl Language {
    /// The canonical code (`ru`, `en` or the unknown value).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
            Self::Other(s) => s,
        }
    }
}

impl From<&str> for Language {
    fn from(s: &str) -> Self {
        let l = s.trim().to_lowercase();
        match l.as_str() {
            "" | "ru" | "rus" | "russian" | "ru-ru" | "ru_ru" | "русский" => Self::Ru,
            "en" | "eng" | "english" | "en-us" | "en_us" | "en-gb" | "en_gb" => Self::En,
            _ => Self::Other(l),
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Language {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = http_plumbing::lenient::opt_string(d)?.unwrap_or_default();
        Ok(Self::from(s.as_str()))
    }
}

/// Seconds: a number, or a number in a string (`"3.5"`, `"3,5"`); `null` or `""` is none.
/// (Read directly: the generic lenient reader formats numbers to text and back.)
fn opt_seconds<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<f64>, D::Error> {
    struct Seconds;
    impl serde::de::Visitor<'_> for Seconds {
        type Value = Option<f64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("seconds as a number or a numeric string")
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Self::Value, E> {
            Ok(Some(v))
        }
        // Seconds of a call are far below 2^53: the conversion is exact.
        #[allow(clippy::cast_precision_loss)]
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        #[allow(clippy::cast_precision_loss)]
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
            Ok(Some(v as f64))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
            let t = v.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.replace(',', ".")
                .parse::<f64>()
                .map(Some)
                .map_err(|e| E::custom(format_args!("invalid value {v:?}: {e}")))
        }
        fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Seconds)
}

fn opt_date<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<NaiveDate>, D::Error> {
    let Some(s) = http_plumbing::lenient::opt_string(d)? else {
        return Ok(None);
    };
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(Some(dt.date_naive()));
    }
    let head = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .map(Some)
        .map_err(|e| serde::de::Error::custom(format_args!("invalid date {s:?}: {e}")))
}

/// A leading time stamp of a plain-text line, `[01:02]`, `[1:02:03.5]` or `00:01:02` followed
/// by a space: its seconds and the rest of the line.
fn leading_time(line: &str) -> (Option<f64>, &str) {
    let (stamp, rest) = if let Some(inner) = line.strip_prefix('[') {
        match inner.split_once(']') {
            Some((stamp, rest)) => (stamp, rest),
            None => return (None, line),
        }
    } else {
        match line.split_once(' ') {
            Some((stamp, rest)) if stamp.matches(':').count() == 2 => (stamp, rest),
            _ => return (None, line),
        }
    };
    let mut seconds = 0.0;
    let parts: Vec<&str> = stamp.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return (None, line);
    }
    for part in parts {
        match part.trim().replace(',', ".").parse::<f64>() {
            Ok(v) if v >= 0.0 => seconds = seconds * 60.0 + v,
            _ => return (None, line),
        }
    }
    (Some(seconds), rest.trim_start())
}

/// Any of the two JSON forms, read in one pass: ours (`utterances`) or an OpenAI-style
/// `verbose_json` (`segments`); other keys are ignored.
#[derive(Deserialize)]
struct RawJson {
    #[serde(default)]
    call_id: Option<CallId>,
    #[serde(default)]
    manager_id: Option<ManagerId>,
    #[serde(default)]
    language: Language,
    #[serde(default, deserialize_with = "http_plumbing::lenient::opt_string")]
    date: Option<String>,
    #[serde(default)]
    utterances: Option<Vec<Utterance>>,
    #[serde(default)]
    segments: Option<Vec<Segment>>,
}

/// The call's date and, when the text has a time, its start: `YYYY-MM-DD` or RFC 3339.
fn call_date(s: Option<&str>) -> Result<(Option<NaiveDate>, Option<DateTime<Utc>>)> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok((None, None));
    };
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok((Some(dt.date_naive()), Some(dt.with_timezone(&Utc))));
    }
    let head = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .map(|d| (Some(d), None))
        .map_err(|e| Error::Decode {
            what: "transcript",
            path: "date".to_owned(),
            message: format!("invalid date {s:?}: {e}"),
        })
}

#[derive(Deserialize)]
struct Segment {
    #[serde(default, deserialize_with = "opt_seconds")]
    start: Option<f64>,
    #[serde(default, deserialize_with = "opt_seconds")]
    end: Option<f64>,
    #[serde(default, deserialize_with = "http_plumbing::lenient::string")]
    text: String,
    #[serde(default)]
    speaker: Option<Speaker>,
    #[serde(default, deserialize_with = "http_plumbing::lenient::opt_string")]
    channel: Option<String>,
}

/// The error for a JSON object that is not a transcript, naming what it looks like.
fn not_a_transcript(obj: &serde_json::Map<String, serde_json::Value>) -> Error {
    let looks_like = if obj.contains_key("stages") && obj.contains_key("completion_percentage") {
        " (it looks like a scored call, W1)"
    } else if obj.contains_key("stages") {
        " (it looks like a checklist)"
    } else if obj.contains_key("fields") {
        " (it looks like an analytic table)"
    } else if obj.contains_key("extracted_data") {
        " (it looks like a table result, W2)"
    } else {
        ""
    };
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).take(6).collect();
    if obj.len() > keys.len() {
        keys.push("…");
    }
    Error::invalid(
        "transcript",
        "utterances",
        format_args!(
            "missing: a transcript needs `utterances` (or `segments`); found keys {}{looks_like}",
            if keys.is_empty() {
                "none".to_owned()
            } else {
                keys.join(", ")
            }
        ),
    )
}

impl Segment {
    /// A segment as an utterance: its `speaker`, else channel `0` is the manager and any other
    /// number the client.
    fn into_utterance(self) -> Utterance {
        let speaker = match (self.speaker, self.channel) {
            (Some(sp), _) => sp,
            (None, Some(ch)) if ch.trim() == "0" => Speaker::Manager,
            (None, Some(ch)) if ch.trim().parse::<u32>().is_ok() => Speaker::Client,
            (None, Some(ch)) => Speaker::from(ch.as_str()),
            (None, None) => default_speaker(),
        };
        Utterance {
            speaker,
            start: self.start,
            end: self.end,
            text: self.text.trim().to_owned(),
        }
    }
}

impl Transcript {
    /// Reads a transcript in any of the three forms: JSON (ours or `verbose_json`) when the text
    /// starts with `{`, plain `Speaker: text` lines otherwise. A bare JSON array is read as the
    /// list of utterances or segments (an extension); text that starts with `[` but is not JSON
    /// (`[00:01] Менеджер: …`) is plain text.
    ///
    /// ```
    /// use rop_analysis::{Speaker, Transcript};
    /// let t = Transcript::parse("Менеджер: Добрый день!\nКлиент: Здравствуйте.")?;
    /// assert_eq!(t.utterances[1].speaker, Speaker::Client);
    /// # Ok::<(), rop_analysis::Error>(())
    /// ```
    ///
    /// An empty (or blank) text is an error, and so is a JSON object with neither `utterances`
    /// nor `segments` (for example a checklist passed by mistake); the error says what the
    /// document looks like. Whether the transcript can be scored (utterances, known speakers)
    /// is [`Transcript::check`]'s job.
    pub fn parse(text: &str) -> Result<Self> {
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if trimmed.is_empty() {
            return Err(Error::invalid(
                "transcript",
                ".",
                "the file is empty: expected JSON with `utterances` or `segments`, or `Speaker: text` lines",
            ));
        }
        if trimmed.starts_with('{') {
            Self::from_json(trimmed)
        } else if let Some(list) = trimmed
            .starts_with('[')
            .then(|| serde_json::from_str::<serde_json::Value>(trimmed).ok())
            .flatten()
            .filter(serde_json::Value::is_array)
        {
            // `Segment` reads both forms: a `speaker` or a `channel` per item.
            Self::from_value(serde_json::json!({ "segments": list }))
        } else {
            Ok(Self::from_plain_text(trimmed))
        }
    }

    /// Reads our JSON form or a `verbose_json` transcription in one pass; errors name the
    /// JSON path. An object with neither `utterances` nor `segments` is refused, naming what it
    /// looks like.
    pub fn from_json(text: &str) -> Result<Self> {
        // The fast decoder first; on failure the path-tracking one names the JSON path.
        let raw: RawJson = match serde_json::from_str(text) {
            Ok(raw) => raw,
            Err(_) => crate::error::decode_json("transcript", text)?,
        };
        Self::from_raw(raw, || {
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text)
                .map(|obj| not_a_transcript(&obj))
                .unwrap_or_else(|e| Error::invalid("transcript", "utterances", e))
        })
    }

    /// As [`Transcript::from_json`], from an already parsed JSON value.
    pub fn from_value(value: serde_json::Value) -> Result<Self> {
        let keys = value.as_object().map(not_a_transcript);
        let raw: RawJson = decode_value("transcript", value)?;
        Self::from_raw(raw, || {
            keys.unwrap_or_else(|| Error::invalid("transcript", "utterances", "missing"))
        })
    }

    fn from_raw(raw: RawJson, not_a_transcript: impl FnOnce() -> Error) -> Result<Self> {
        let (date, started_at) = call_date(raw.date.as_deref())?;
        let utterances = match (raw.utterances, raw.segments) {
            (Some(u), _) => u,
            (None, Some(segments)) => segments.into_iter().map(Segment::into_utterance).collect(),
            (None, None) => return Err(not_a_transcript()),
        };
        Ok(Self {
            call_id: raw.call_id,
            manager_id: raw.manager_id,
            language: raw.language,
            date,
            started_at,
            utterances,
        })
    }

    /// Reads plain text, one `Speaker: text` line per utterance; never fails.
    pub fn from_plain_text(text: &str) -> Self {
        let mut utterances: Vec<Utterance> = Vec::new();
        for line in text.lines() {
            let (start, line) = leading_time(line.trim());
            if line.is_empty() {
                continue;
            }
            let prefix = line.split_once(':').filter(|(who, _)| {
                let who = who.trim();
                !who.is_empty()
                    && who.chars().count() <= 30
                    && !who.chars().any(|c| c.is_ascii_digit())
            });
            match prefix {
                Some((who, said)) => {
                    let mut u = Utterance::new(Speaker::from(who), said.trim());
                    u.start = start;
                    utterances.push(u);
                }
                None => match utterances.last_mut() {
                    Some(last) => {
                        last.text.push(' ');
                        last.text.push_str(line);
                    }
                    None => utterances.push(Utterance::new(default_speaker(), line)),
                },
            }
        }
        let language = if text
            .chars()
            .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
        {
            Language::Ru
        } else if text.chars().any(|c| c.is_ascii_alphabetic()) {
            Language::En
        } else {
            Language::Ru
        };
        Self {
            language,
            utterances,
            ..Self::default()
        }
    }

    /// The call's length in seconds: the latest `end` (or `start`) of any utterance.
    pub fn duration(&self) -> Option<f64> {
        self.utterances
            .iter()
            .filter_map(|u| u.end.or(u.start))
            .fold(None, |acc: Option<f64>, t| {
                Some(acc.map_or(t, |a| a.max(t)))
            })
    }
}

#[cfg(test)]
mod tests;
