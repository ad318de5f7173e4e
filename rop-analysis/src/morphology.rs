//! Russian morphology from a dictionary: which lexemes (lemmas) a word form can belong to.
//!
//! The dictionary is OpenCorpora's (with Wiktionary additions), bundled by the `rumorph` crate
//! (the dictionary is CC BY-SA 4.0; the code MIT). It is loaded and checked once per process,
//! on first use (a few milliseconds), and shared by every thread; a word form is then analysed
//! in about a microsecond. Only forms found in the dictionary count: `rumorph` also guesses
//! unknown words by their ending, but a guess is no evidence that two words are one lexeme.
//!
//! Words come here normalised ([`crate::text::Words`]): lowercase with `ё` written `е`; the
//! dictionary reads `е` for `ё`, and lemmas are given back the same way.

use rumorph::{Dictionary, Source};
use std::sync::LazyLock;

/// The bundled dictionary, or `None` when it cannot be read (then every word is unknown and
/// matching falls back to stems alone).
static DICTIONARY: LazyLock<Option<Dictionary>> = LazyLock::new(|| Dictionary::bundled().ok());

/// The lemmas of every dictionary reading of a normalised Russian word form, deduplicated, `ё`
/// written `е`. Empty when the form is not in the dictionary (a name, a brand, a misheard
/// word): then nothing is known about its lexeme.
pub(crate) fn lemmas(form: &str) -> Vec<Box<str>> {
    let Some(dictionary) = DICTIONARY.as_ref() else {
        return Vec::new();
    };
    let mut out: Vec<Box<str>> = Vec::new();
    for a in dictionary.analyze(form) {
        if a.source != Source::Dictionary {
            continue;
        }
        let lemma: Box<str> = a.lemma.replace('ё', "е").into();
        if !out.contains(&lemma) {
            out.push(lemma);
        }
    }
    out
}

/// Whether a normalised word form is, in some dictionary reading, a past-tense verb in the
/// masculine singular («думал», «был», «звонил»). Word endings alone cannot tell these apart
/// from nouns («стол», «пол»), so only the dictionary's readings count.
pub(crate) fn masculine_past_verb(form: &str) -> bool {
    verb_reading(form, |t| {
        t.feat("Tense") == Some("Past") && t.feat("Gender") == Some("Masc")
    })
}

/// Whether a normalised word form is, in some dictionary reading, a verb in the present or
/// future tense or the imperative («ждем», «приедете», «приезжайте»): a clause built on it is
/// not about the past.
pub(crate) fn non_past_finite_verb(form: &str) -> bool {
    verb_reading(form, |t| {
        matches!(t.feat("Tense"), Some("Pres" | "Fut")) || t.feat("Mood") == Some("Imp")
    })
}

/// Whether some dictionary reading of `form` is a verb whose features satisfy `features`.
fn verb_reading(form: &str, features: impl Fn(rumorph::UdTag<'_>) -> bool) -> bool {
    let Some(dictionary) = DICTIONARY.as_ref() else {
        return false;
    };
    dictionary.analyze(form).iter().any(|a| {
        a.source == Source::Dictionary
            && dictionary
                .ud_tag(a.ud)
                .is_some_and(|t| t.pos() == "VERB" && features(t))
    })
}

/// Whether two words are known to be different words of the language: both are dictionary
/// forms (non-empty `a` and `b`, from [`lemmas`]) and no lemma is shared. A misheard or misspelt
/// word is usually not a dictionary form; a correctly spelt word of another lexeme
/// («доброго» next to «дорого», «вчера» next to «вечера») is not a typo of it.
pub(crate) fn different_lexemes(a: &[Box<str>], b: &[Box<str>]) -> bool {
    !a.is_empty() && !b.is_empty() && !a.iter().any(|x| b.contains(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(form: &str, lemma: &str) -> bool {
        lemmas(form).iter().any(|l| &**l == lemma)
    }

    #[test]
    fn inflected_forms_share_their_lemma() {
        assert!(has("даете", "давать"));
        assert!(has("дают", "давать"));
        assert!(has("посоветуюсь", "посоветоваться"));
        // `ё` comes back as `е`.
        assert!(has("еще", "еще"));
    }

    #[test]
    fn verb_readings_tell_tense_and_gender() {
        assert!(masculine_past_verb("думал"));
        assert!(masculine_past_verb("записал"));
        assert!(!masculine_past_verb("думала"));
        assert!(!masculine_past_verb("стол"));
        assert!(non_past_finite_verb("ждем"));
        assert!(non_past_finite_verb("приезжайте"));
        assert!(!non_past_finite_verb("ждали"));
        assert!(!non_past_finite_verb("салон"));
    }

    #[test]
    fn unknown_words_have_no_lemma() {
        assert!(lemmas("джолионом").is_empty());
        assert!(lemmas("ипатеку").is_empty());
        assert!(!different_lexemes(&lemmas("ипатеку"), &lemmas("ипотеку")));
    }

    #[test]
    fn dictionary_words_of_other_lexemes_are_told_apart() {
        assert!(different_lexemes(&lemmas("доброго"), &lemmas("дорого")));
        assert!(different_lexemes(&lemmas("вчера"), &lemmas("вечера")));
        assert!(!different_lexemes(&lemmas("дорогая"), &lemmas("дорого")));
    }
}
