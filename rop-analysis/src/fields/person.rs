//! Whose name is said in a call: a speaker's own name (a self-introduction, with or without
//! «меня зовут») and the other side's name (the speaker addressing them: «Виктор Сергеевич!»,
//! «Роман?», «Очень приятно, Игорь»).

use super::given_names::{given_name, is_patronymic};
use crate::text::Words;

/// Words right before a name that introduce the speaker («меня зовут Анна», «это Кирилл», «я —
/// Ксения», «с вами говорит Ольга»), or right after it («Андрей меня зовут»).
const CUE_BEFORE: &[&str] = &[
    "зовут",
    "это",
    "я",
    "говорит",
    "беспокоит",
    "is",
    "am",
    "im",
    "name",
];
const CUE_AFTER: &[&str] = &["зовут", "слушает", "here", "speaking"];

/// A name found in one utterance and how it was said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NameMention {
    /// The canonical given name («Пётр»).
    pub(crate) name: String,
    /// Said as the speaker's own: after an introduction cue, or in a sentence of its own in
    /// the speaker's turn («Дмитрий.»), or inside the speaker's first turn («Кедр Моторс,
    /// Ольга, добрый день»).
    pub(crate) own: bool,
    /// Said in a clause of its own or with a `?`/`!` (addressing someone, or a bare answer).
    pub(crate) standalone: bool,
    /// Index of the name's word in the utterance.
    pub(crate) word: usize,
}

/// The given names said in one utterance. `text` is the original (for capitalisation: in a
/// transcript with capitals, a name must be capitalised); `first_turn` is true for the
/// speaker's first utterance of the call.
pub(crate) fn names_in(text: &str, words: &Words, first_turn: bool) -> Vec<NameMention> {
    let cased = text.chars().any(char::is_uppercase);
    let n = words.len();
    let mut out = Vec::new();
    for i in 0..n {
        let w = words.get(i);
        let Some(name) = given_name(w) else { continue };
        if cased {
            let capital = words
                .words
                .get(i)
                .and_then(|wd| text.get(wd.source.0..wd.source.1))
                .and_then(|s| s.chars().next())
                .is_some_and(char::is_uppercase);
            if !capital {
                continue;
            }
        }
        let prev = i.checked_sub(1).map_or("", |p| words.get(p));
        let next = words.get(i + 1);
        let next_is_patronymic = is_patronymic(next);
        let after = if next_is_patronymic {
            words.get(i + 2)
        } else {
            next
        };
        let breaks_before = words.words.get(i).is_some_and(|wd| wd.break_before) || i == 0;
        let end = if next_is_patronymic { i + 2 } else { i + 1 };
        let breaks_after = end >= n || words.words.get(end).is_some_and(|wd| wd.break_before);
        let standalone = cased && breaks_before && breaks_after;
        let joined_after = !breaks_after;
        let cue = CUE_BEFORE.contains(&prev)
            || (joined_after
                && (CUE_AFTER.contains(&after)
                    || (after == "меня" && words.get(end + 1) == "зовут")));
        // The first turn: a name inside it (not opening it, not asked about) is the speaker's
        // own, as in «Алло, Кедр Моторс, Сергей, слушаю».
        let asked = text
            .get(
                words
                    .words
                    .get(end.saturating_sub(1))
                    .map_or(0, |wd| wd.source.1)..,
            )
            .is_some_and(|rest| rest.trim_start().starts_with('?'));
        let in_first_turn = first_turn && i > 0 && !asked;
        out.push(NameMention {
            name,
            own: cue || in_first_turn,
            standalone,
            word: i,
        });
    }
    out
}

/// Whether an utterance is only a name (with a patronymic, or a word or two around it in a
/// lowercase transcript): a bare answer to «как к вам обращаться?».
pub(crate) fn is_bare_name(words: &Words, mention: &NameMention) -> bool {
    words.len() <= 3 && mention.word + 2 >= words.len()
}

/// The name of the person on side `whose` of the call: their self-introduction (with a cue,
/// a bare answer, or inside their first turn), or the other side addressing them by a name
/// that is not the other side's own, whichever comes first.
pub(crate) fn name_of(
    call: &crate::engine::PreparedCall<'_>,
    whose: crate::checklist::SpeakerFilter,
) -> Option<String> {
    use crate::checklist::SpeakerFilter;
    use crate::transcript::Speaker;
    let utterances = &call.transcript.utterances;
    let mut mentions = Vec::new();
    for (k, (u, words)) in utterances.iter().zip(&call.words).enumerate() {
        // Only the manager's opening turn introduces its speaker without a cue.
        for m in names_in(&u.text, words, call.opening == Some(k)) {
            let bare = is_bare_name(words, &m);
            mentions.push((&u.speaker, m, bare));
        }
    }
    let own_of = |side: &Speaker| -> Vec<&str> {
        mentions
            .iter()
            .filter(|(s, m, _)| *s == side && m.own)
            .map(|(_, m, _)| m.name.as_str())
            .collect()
    };
    let (side, other) = match whose {
        SpeakerFilter::Client => (Speaker::Client, Speaker::Manager),
        SpeakerFilter::Manager => (Speaker::Manager, Speaker::Client),
        SpeakerFilter::Any => {
            return mentions
                .iter()
                .find(|(_, m, bare)| m.own || *bare)
                .map(|(_, m, _)| m.name.clone());
        }
    };
    let other_own = own_of(&other);
    mentions
        .iter()
        .find(|(s, m, bare)| {
            (**s == side
                && (m.own || *bare || m.standalone)
                && !other_own.contains(&m.name.as_str()))
                || (**s == other && !m.own && !other_own.contains(&m.name.as_str()))
        })
        .map(|(_, m, _)| m.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str, first: bool) -> Vec<(String, bool, bool)> {
        names_in(text, &Words::new(text), first)
            .into_iter()
            .map(|m| (m.name, m.own, m.standalone))
            .collect()
    }

    #[test]
    fn own_names_follow_cues_or_sit_inside_the_first_turn() {
        assert_eq!(
            names("Алло, Кедр Моторс, Сергей, слушаю.", true),
            [("Сергей".to_owned(), true, true)]
        );
        assert_eq!(
            names("Олег, добрый день! Это Екатерина, автосалон.", true),
            [
                ("Олег".to_owned(), false, true),
                ("Екатерина".to_owned(), true, false)
            ]
        );
        assert_eq!(
            names("Добрый день, Михаил? Меня зовут Екатерина.", true),
            [
                ("Михаил".to_owned(), false, true),
                ("Екатерина".to_owned(), true, false)
            ]
        );
        assert_eq!(
            names("Андрей меня зовут.", false),
            [("Андрей".to_owned(), true, false)]
        );
        assert_eq!(
            names("Очень приятно, Виктор Сергеевич!", false),
            [("Виктор".to_owned(), false, true)]
        );
    }

    #[test]
    fn lowercase_words_in_a_cased_text_are_not_names() {
        assert!(names("Это роман о любви.", false).is_empty());
        assert_eq!(names("это роман", false).len(), 1);
    }
}
