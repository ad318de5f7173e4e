//! Speaker labels: a user's own labels mapped to manager and client, and the check that a
//! transcript can be scored at all.

use super::{Speaker, Transcript};
use crate::error::{Error, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// A user's speaker labels mapped to the two roles, e.g. `{"Администратор": "manager",
/// "Пациент": "client"}` (the checklist's `speaker_labels`, the CLI's `--speaker-label`).
///
/// Labels compare case-insensitively after trimming. A role is `manager` or `client` (read in
/// any case, with the aliases of [`Speaker`]); anything else is refused, naming the label.
///
/// ```
/// use rop_analysis::{Speaker, SpeakerLabels, Transcript};
/// let mut labels = SpeakerLabels::default();
/// labels.insert_pair("Администратор=manager")?;
/// labels.insert("пациент", Speaker::Client)?;
/// let mut call = Transcript::parse("Администратор: Клиника «Зубы», добрый день!\nПациент: Здравствуйте")?;
/// call.relabel(&labels);
/// assert_eq!(call.utterances[1].speaker, Speaker::Client);
/// assert!(call.check()?.is_empty()); // no unknown labels left
/// # Ok::<(), rop_analysis::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SpeakerLabels {
    /// Label (as written) → role.
    map: BTreeMap<String, Speaker>,
}

impl SpeakerLabels {
    /// Maps `label` to `role`, which must be [`Speaker::Manager`] or [`Speaker::Client`].
    /// A label given twice keeps the later role.
    pub fn insert(&mut self, label: impl Into<String>, role: Speaker) -> Result<()> {
        let label = label.into();
        let label = label.trim();
        if label.is_empty() {
            return Err(Error::invalid("speaker_labels", "", "a label is empty"));
        }
        if matches!(role, Speaker::Other(_)) {
            return Err(Error::invalid(
                "speaker_labels",
                label,
                format_args!(
                    "unknown role {:?}: expected manager or client",
                    role.as_str()
                ),
            ));
        }
        let lower = label.to_lowercase();
        self.map.retain(|k, _| k.to_lowercase() != lower);
        self.map.insert(label.to_owned(), role);
        Ok(())
    }

    /// Reads `LABEL=ROLE` (the CLI's form, e.g. `Администратор=manager`).
    pub fn insert_pair(&mut self, pair: &str) -> Result<()> {
        let Some((label, role)) = pair.rsplit_once('=') else {
            return Err(Error::invalid(
                "speaker_labels",
                pair,
                "expected LABEL=manager or LABEL=client",
            ));
        };
        self.insert(label, Speaker::from(role))
    }

    /// Adds every mapping of `other` (its roles win).
    pub fn extend(&mut self, other: &Self) {
        for (label, role) in &other.map {
            // Both sides hold only manager/client roles and non-empty labels.
            let _ = self.insert(label.clone(), role.clone());
        }
    }

    /// The role of `label`, if mapped.
    pub fn get(&self, label: &str) -> Option<&Speaker> {
        let label = label.trim().to_lowercase();
        self.map
            .iter()
            .find(|(k, _)| k.to_lowercase() == label)
            .map(|(_, v)| v)
    }

    /// Whether no label is mapped.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The mappings, sorted by label.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Speaker)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl Serialize for SpeakerLabels {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.map.iter().map(|(k, v)| (k, v.as_str())))
    }
}

impl<'de> Deserialize<'de> for SpeakerLabels {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = Option::<BTreeMap<String, String>>::deserialize(d)?.unwrap_or_default();
        let mut out = Self::default();
        for (label, role) in raw {
            out.insert(label.as_str(), Speaker::from(role.as_str()))
                .map_err(|_| {
                    serde::de::Error::custom(format_args!(
                        "label {label:?}: unknown role {role:?}: expected manager or client"
                    ))
                })?;
        }
        Ok(out)
    }
}

/// A speaker label the transcript uses that is neither manager nor client, with how many
/// utterances carry it (a warning of [`Transcript::check`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSpeaker {
    /// The label as written (empty for lines without a label).
    pub label: String,
    /// Utterances with this label.
    pub utterances: usize,
}

impl fmt::Display for UnknownSpeaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.label.is_empty() {
            write!(f, "(no label) ×{}", self.utterances)
        } else {
            write!(f, "{:?} ×{}", self.label, self.utterances)
        }
    }
}

fn list(unknown: &[UnknownSpeaker]) -> String {
    unknown
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Transcript {
    /// Gives mapped labels their role: an utterance whose speaker is an unknown label found in
    /// `labels` becomes the manager's or the client's.
    pub fn relabel(&mut self, labels: &SpeakerLabels) {
        if labels.is_empty() {
            return;
        }
        for u in &mut self.utterances {
            if let Speaker::Other(label) = &u.speaker
                && let Some(role) = labels.get(label)
            {
                u.speaker = role.clone();
            }
        }
    }

    /// Checks that the transcript can be scored and lists the speaker labels that are neither
    /// manager nor client (a warning: their utterances are searched only by `speaker: any`
    /// rules).
    ///
    /// Errors ([`Error::Invalid`], `what` = `transcript`): no utterances; no utterance with
    /// text; no utterance by the manager or the client (every label unknown — the message names
    /// the labels and how to map them).
    pub fn check(&self) -> Result<Vec<UnknownSpeaker>> {
        if self.utterances.is_empty() {
            return Err(Error::invalid(
                "transcript",
                "utterances",
                "no utterances: nothing to score",
            ));
        }
        if self.utterances.iter().all(|u| u.text.trim().is_empty()) {
            return Err(Error::invalid(
                "transcript",
                "utterances[].text",
                "every utterance is empty: nothing to score",
            ));
        }
        let mut unknown: Vec<UnknownSpeaker> = Vec::new();
        let mut known = 0usize;
        for u in &self.utterances {
            match &u.speaker {
                Speaker::Other(label) => match unknown.iter_mut().find(|x| x.label == *label) {
                    Some(x) => x.utterances += 1,
                    None => unknown.push(UnknownSpeaker {
                        label: label.clone(),
                        utterances: 1,
                    }),
                },
                _ => known += 1,
            }
        }
        if known == 0 {
            return Err(Error::invalid(
                "transcript",
                "utterances[].speaker",
                format_args!(
                    "no utterance by the manager or the client; unknown speaker labels: {}. \
Map them with `speaker_labels` in the checklist (`{{\"LABEL\": \"manager\"}}`) or \
`--speaker-label LABEL=manager` / `LABEL=client`",
                    list(&unknown)
                ),
            ));
        }
        Ok(unknown)
    }
}

impl UnknownSpeaker {
    /// The warning for these labels, e.g. `unknown speaker labels "Врач" ×3 (searched only …)`.
    pub fn warning(unknown: &[Self]) -> String {
        format!(
            "unknown speaker labels {} (searched only by `speaker: any` rules; map them with \
`speaker_labels` or --speaker-label LABEL=manager|client)",
            list(unknown)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_recognised_speaker_is_an_error_naming_the_labels() {
        let t = Transcript::parse("Администратор: Добрый день\nПациент: Да\nАдминистратор: Итак")
            .unwrap();
        let err = t.check().unwrap_err().to_string();
        assert!(
            err.starts_with("transcript: `utterances[].speaker`: no utterance by the manager or the client; unknown speaker labels: \"Администратор\" ×2, \"Пациент\" ×1."),
            "{err}"
        );
        assert!(err.contains("--speaker-label LABEL=manager"), "{err}");
    }

    #[test]
    fn some_unknown_labels_are_a_warning_and_mapping_clears_them() {
        let mut t = Transcript::parse("Менеджер: Добрый день\nВрач: Да\nВрач: Нет").unwrap();
        let unknown = t.check().unwrap();
        assert_eq!(
            unknown,
            [UnknownSpeaker {
                label: "Врач".into(),
                utterances: 2
            }]
        );
        assert!(UnknownSpeaker::warning(&unknown).contains("\"Врач\" ×2"));
        let mut labels = SpeakerLabels::default();
        labels.insert_pair("врач = client").unwrap();
        t.relabel(&labels);
        assert!(t.check().unwrap().is_empty());
        assert_eq!(t.utterances[2].speaker, Speaker::Client);
    }

    #[test]
    fn empty_transcripts_and_bad_roles_are_errors() {
        let t = Transcript::default();
        assert!(t.check().unwrap_err().to_string().contains("no utterances"));
        let t =
            Transcript::parse(r#"{"utterances": [{"speaker": "manager", "text": " "}]}"#).unwrap();
        assert!(
            t.check()
                .unwrap_err()
                .to_string()
                .contains("every utterance is empty")
        );
        let mut labels = SpeakerLabels::default();
        let err = labels.insert_pair("Врач=boss").unwrap_err().to_string();
        assert_eq!(
            err,
            "speaker_labels: `Врач`: unknown role \"boss\": expected manager or client"
        );
        assert!(labels.insert_pair("no-equals").is_err());
        let err = serde_json::from_str::<SpeakerLabels>(r#"{"Врач": "any"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("label \"Врач\": unknown role \"any\""),
            "{err}"
        );
    }

    #[test]
    fn labels_round_trip_as_a_json_map() {
        let l: SpeakerLabels =
            serde_json::from_str(r#"{"Администратор": "Manager", "Пациент": "клиент"}"#).unwrap();
        assert_eq!(l.get("администратор"), Some(&Speaker::Manager));
        assert_eq!(
            serde_json::to_string(&l).unwrap(),
            r#"{"Администратор":"manager","Пациент":"client"}"#
        );
    }
}
