//! Built-in conditions: recognisers of a clock time, a day, an amount of money, a person's
//! name and a phone number in one utterance. Checklist rules use them as the phrases
//! `{time}`, `{date}`, `{amount}`, `{name}`, `{phone}` (docs/formats.md «Built-in
//! conditions»), and a group of phrases that lists clock-time words («часов», «утра», «в
//! половине»), days («завтра», «в пятницу») or prices («стоит», «цена») also accepts any time,
//! day or amount the recogniser finds («на 10:30», «в три», «послезавтра», «двадцать пятого»,
//! «два триста девяносто девять»).

use crate::fields;
use crate::text::Words;

/// A built-in condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Concept {
    /// A clock time: «в 10:30», «в три», «в половине третьего», «одиннадцать ноль-ноль», «к
    /// десяти утра». Opening hours («с девяти до восьми») are not a time agreed.
    Time,
    /// A day: a weekday, «сегодня», «завтра», «послезавтра», a day of the month («двадцать
    /// пятого»), a date in digits.
    Date,
    /// An amount of money («два миллиона», «800 тысяч рублей»).
    Amount,
    /// A person's given name (the speaker's own or someone addressed).
    Name,
    /// The speaker introducing themselves by name (with or without «меня зовут»).
    SelfIntroduction,
    /// A phone number, in digits or words.
    Phone,
}

impl Concept {
    /// The concept written as a phrase: `{time}`, `{date}`, `{amount}`, `{name}`, `{phone}`.
    pub(crate) fn from_placeholder(phrase: &str) -> Option<Option<Self>> {
        let inner = phrase.trim().strip_prefix('{')?.strip_suffix('}')?;
        Some(match inner.trim().to_lowercase().as_str() {
            "time" => Some(Self::Time),
            "date" | "day" => Some(Self::Date),
            "amount" | "money" => Some(Self::Amount),
            "name" => Some(Self::Name),
            "self_introduction" | "introduction" => Some(Self::SelfIntroduction),
            "phone" => Some(Self::Phone),
            _ => None,
        })
    }

    /// The placeholders a checklist may use, for error messages.
    pub(crate) const PLACEHOLDERS: &'static str =
        "{time}, {date}, {amount}, {name}, {self_introduction}, {phone}";

    /// The concept a group of phrases implies: clock-time words, day words, or an introduction
    /// phrase. Two phrases of a kind are needed for times and days (one could be chance).
    pub(crate) fn implied_by(group: &[String]) -> Option<Self> {
        let words: Vec<Words> = group.iter().map(|p| Words::new(p)).collect();
        let count = |f: fn(&str) -> bool| words.iter().filter(|w| w.iter().any(f)).count();
        if words
            .iter()
            .any(|w| w.iter().any(|x| x == "зовут") || w.normalized.contains("my name"))
        {
            return Some(Self::SelfIntroduction);
        }
        if count(is_time_word) >= 2 {
            return Some(Self::Time);
        }
        if count(is_day_word) >= 2 {
            return Some(Self::Date);
        }
        if count(is_price_word) >= 2 {
            return Some(Self::Amount);
        }
        None
    }

    /// Whether the concept occurs in an utterance. `first_turn`: the call's opening utterance
    /// (where a name introduces its speaker without a cue).
    pub(crate) fn occurs(self, text: &str, words: &Words, first_turn: bool) -> bool {
        match self {
            Self::Time => has_time(words),
            Self::Date => has_day(words),
            Self::Amount => fields::money_range(text).is_some(),
            Self::Phone => fields::phone(text).is_some(),
            Self::Name => !fields::names_in(text, words, first_turn).is_empty(),
            Self::SelfIntroduction => fields::names_in(text, words, first_turn)
                .iter()
                .any(|m| m.own),
        }
    }
}

fn is_time_word(w: &str) -> bool {
    matches!(
        w,
        "часов"
            | "часа"
            | "час"
            | "утра"
            | "вечера"
            | "половине"
            | "ноль"
            | "oclock"
            | "am"
            | "pm"
    )
}

fn is_price_word(w: &str) -> bool {
    matches!(
        w,
        "стоит"
            | "стоимость"
            | "цена"
            | "цену"
            | "обойдется"
            | "price"
            | "cost"
            | "costs"
    )
}

fn is_day_word(w: &str) -> bool {
    matches!(
        w,
        "сегодня" | "завтра" | "послезавтра" | "today" | "tomorrow"
    ) || fields::weekday(w).is_some()
}

/// An hour said as a number: digits 0–24, or a cardinal number word up to 24 in the
/// nominative or genitive («три», «десяти»).
fn hour(w: &str) -> Option<u32> {
    if w.bytes().all(|b| b.is_ascii_digit()) && w.len() <= 2 {
        return w.parse().ok().filter(|h| *h <= 24);
    }
    fields::number_word(w)
        .filter(|v| v.fract() == 0.0 && (1.0..=24.0).contains(v))
        .map(|v| v as u32)
}

fn is_minutes(w: &str) -> bool {
    (w.len() == 2 && w.bytes().all(|b| b.is_ascii_digit()))
        || matches!(
            w,
            "ноль" | "тридцать" | "пятнадцать" | "сорок" | "двадцать" | "десять"
        )
}

/// A clock time in the words of one utterance.
fn has_time(words: &Words) -> bool {
    let n = words.len();
    let get = |i: usize| if i < n { words.get(i) } else { "" };
    let brk = |i: usize| i >= n || words.words.get(i).is_some_and(|w| w.break_before);
    for i in 0..n {
        let w = get(i);
        if w == "половине" || w.starts_with("полпервого") || w.starts_with("полвторого")
        {
            return true;
        }
        if hour(w).is_none() {
            continue;
        }
        let prev = if i == 0 { "" } else { get(i - 1) };
        let next = get(i + 1);
        // «с девяти утра до восьми вечера»: a range of hours is a schedule, not a time.
        if matches!(prev, "с" | "до") {
            continue;
        }
        let digits = w.bytes().all(|b| b.is_ascii_digit());
        // «в 10 30», «десять утра», «к десяти утра»: an hour with minutes or a time word.
        let with_minutes = !brk(i + 1) && is_minutes(next) && (digits || !prev.is_empty());
        let anchored = digits || matches!(prev, "в" | "на" | "к" | "около") || is_time_word(next);
        if (is_time_word(next) || with_minutes) && anchored {
            return true;
        }
        // «в три», «на одиннадцать»: a bare hour after a preposition, ending its clause.
        if matches!(prev, "в" | "на" | "к") && brk(i + 1) {
            return true;
        }
    }
    false
}

/// A day in the words of one utterance.
fn has_day(words: &Words) -> bool {
    let n = words.len();
    (0..n).any(|i| {
        let w = words.get(i);
        let next = words.get(i + 1);
        (is_day_word(w)
            || (fields::day_of_month(w).is_some() && !matches!(next, "года" | "году" | "год")))
            && !fields::in_the_past_or_a_deadline(words, i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(t: &str) -> bool {
        has_time(&Words::new(t))
    }

    #[test]
    fn clock_times_are_recognised_in_words_and_digits() {
        for t in [
            "Ждём вас в четверг в три.",
            "Записал на 10:30",
            "в половине третьего",
            "одиннадцать ноль-ноль",
            "послезавтра к десяти утра",
            "в 11 00",
            "в субботу в одиннадцать",
        ] {
            assert!(time(t), "{t}");
        }
        for t in [
            "с девяти утра до восьми вечера",
            "в трёх комплектациях",
            "в течение дня",
            "два миллиона триста",
        ] {
            assert!(!time(t), "{t}");
        }
    }

    #[test]
    fn days_and_groups_imply_concepts() {
        assert!(has_day(&Words::new("давайте послезавтра")));
        assert!(has_day(&Words::new("двадцать пятого в три")));
        assert!(!has_day(&Words::new("по срокам кредита")));
        let g = |v: &[&str]| {
            Concept::implied_by(&v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
        };
        assert_eq!(g(&["часов", "утра", "в половине"]), Some(Concept::Time));
        assert_eq!(g(&["завтра", "в пятницу"]), Some(Concept::Date));
        assert_eq!(
            g(&["меня зовут", "с вами говорит"]),
            Some(Concept::SelfIntroduction)
        );
        assert_eq!(g(&["бюджет"]), None);
        assert_eq!(g(&["комплектация", "стоит", "цена"]), Some(Concept::Amount));
        assert_eq!(
            Concept::from_placeholder("{time}"),
            Some(Some(Concept::Time))
        );
        assert_eq!(Concept::from_placeholder("{timeofday}"), Some(None));
        assert_eq!(Concept::from_placeholder("time"), None);
    }
}
