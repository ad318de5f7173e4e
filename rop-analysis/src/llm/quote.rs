//! Checking that a quote the model returned really occurs in the transcript.

use crate::text::normalize;
use crate::transcript::Transcript;

/// What a quote check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuoteCheck {
    /// The quote is empty (nothing to check).
    Empty,
    /// The quote occurs in the utterance with this index.
    Found(usize),
    /// The quote occurs nowhere in the transcript.
    NotFound,
}

/// The utterances of one transcript, normalised once for any number of quote checks.
#[derive(Clone, Debug)]
pub struct QuoteIndex {
    /// `" word word … "`: normalised, padded with spaces so matches fall on word boundaries.
    utterances: Vec<String>,
}

impl QuoteIndex {
    /// Normalises the transcript's utterances.
    pub fn new(transcript: &Transcript) -> Self {
        Self {
            utterances: transcript
                .utterances
                .iter()
                .map(|u| format!(" {} ", normalize(&u.text)))
                .collect(),
        }
    }

    /// Looks `quote` up.
    ///
    /// The comparison is on normalised words (NFC, lowercase, `ё` = `е`, punctuation ignored)
    /// and on word boundaries, inside one utterance. A leading `[n]` and a speaker label
    /// (`Менеджер:`, `client:` …) that the model copied from the prompt are ignored. A quote
    /// shortened with an ellipsis (`...` or `…`) matches when its parts occur in that order in
    /// one utterance. Nothing else is forgiven: a paraphrase is not a quote.
    ///
    /// ```
    /// use rop_analysis::{QuoteCheck, QuoteIndex, Transcript};
    /// let t = Transcript::parse("Менеджер: Добрый день, компания Сэттл, меня зовут Анна.")?;
    /// let idx = QuoteIndex::new(&t);
    /// assert_eq!(idx.check("добрый день … меня зовут Анна"), QuoteCheck::Found(0));
    /// assert_eq!(idx.check("Здравствуйте, я Анна"), QuoteCheck::NotFound);
    /// # Ok::<(), rop_analysis::Error>(())
    /// ```
    pub fn check(&self, quote: &str) -> QuoteCheck {
        let quote = strip_label(quote);
        let parts: Vec<String> = quote
            .split("...")
            .flat_map(|p| p.split('…'))
            .map(normalize)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() {
            return QuoteCheck::Empty;
        }
        self.utterances
            .iter()
            .position(|u| parts_in_order(u, &parts))
            .map_or(QuoteCheck::NotFound, QuoteCheck::Found)
    }
}

fn parts_in_order(utterance: &str, parts: &[String]) -> bool {
    let mut from = 0;
    for p in parts {
        let needle = format!(" {p} ");
        match utterance.get(from..).and_then(|rest| rest.find(&needle)) {
            // Continue after the match, keeping its trailing space as the next boundary.
            Some(at) => from += at + needle.len() - 1,
            None => return false,
        }
    }
    true
}

/// Drops a leading `[12]` and a speaker label such as `Менеджер:` from a quote.
fn strip_label(quote: &str) -> &str {
    let mut q = quote
        .trim()
        .trim_matches(|c| matches!(c, '"' | '«' | '»' | '“' | '”'));
    if let Some(rest) = q.strip_prefix('[')
        && let Some(end) = rest.find(']')
    {
        q = rest.get(end + 1..).unwrap_or(rest).trim_start();
    }
    if let Some((label, rest)) = q.split_once(':') {
        const LABELS: [&str; 9] = [
            "manager",
            "client",
            "менеджер",
            "клиент",
            "мрк",
            "оператор",
            "operator",
            "agent",
            "customer",
        ];
        if LABELS.contains(&label.trim().to_lowercase().as_str()) {
            q = rest.trim_start();
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{Speaker, Utterance};

    fn idx(lines: &[&str]) -> QuoteIndex {
        let t = Transcript {
            utterances: lines
                .iter()
                .map(|l| Utterance::new(Speaker::Manager, *l))
                .collect(),
            ..Transcript::default()
        };
        QuoteIndex::new(&t)
    }

    #[test]
    fn finds_quotes_ignoring_case_yo_and_punctuation() {
        let i = idx(&["Здравствуйте.", "Всё верно, ДВУШКА в Приморском районе!"]);
        assert_eq!(i.check("все верно двушка"), QuoteCheck::Found(1));
        assert_eq!(
            i.check("«Двушка в приморском районе»"),
            QuoteCheck::Found(1)
        );
        assert_eq!(i.check("[1] Менеджер: всё верно"), QuoteCheck::Found(1));
    }

    #[test]
    fn rejects_paraphrases_and_partial_words() {
        let i = idx(&["Двушка в Приморском районе"]);
        assert_eq!(i.check("двухкомнатная в Приморском"), QuoteCheck::NotFound);
        assert_eq!(i.check("вушка"), QuoteCheck::NotFound);
        assert_eq!(i.check("районе двушка"), QuoteCheck::NotFound);
    }

    #[test]
    fn ellipsis_parts_must_appear_in_order_in_one_utterance() {
        let i = idx(&["один два три четыре", "пять шесть"]);
        assert_eq!(i.check("один … четыре"), QuoteCheck::Found(0));
        assert_eq!(i.check("четыре ... один"), QuoteCheck::NotFound);
        assert_eq!(i.check("четыре … пять"), QuoteCheck::NotFound);
    }

    #[test]
    fn empty_and_punctuation_only_quotes_are_empty() {
        let i = idx(&["текст"]);
        assert_eq!(i.check(""), QuoteCheck::Empty);
        assert_eq!(i.check(" … "), QuoteCheck::Empty);
    }
}
