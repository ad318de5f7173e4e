//! Built-in field extractors: money, phone numbers, person names, dates. Pure functions over one
//! utterance's text.

mod budget;
mod given_names;
mod money;
mod person;
mod phone;

pub(crate) use budget::stated_amount;
pub(crate) use money::{money_range, number_word};
pub(crate) use person::{name_of, names_in};
pub(crate) use phone::phone;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;
use std::sync::LazyLock;

// The patterns below are literals checked by the tests; `Regex::new` cannot fail on them.
#[allow(clippy::expect_used)]
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static pattern")
}

static NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:меня\s+зовут|my\s+name\s+is|(?:^|[\s,.!?])(?:это|this\s+is|я\s*[—–-]|i\s+am|i'm))\s+(\p{L}+)",
    )
});

const NOT_NAMES: &[&str] = &[
    "компания",
    "агентство",
    "менеджер",
    "отдел",
    "очень",
    "не",
    "так",
    "я",
    "вы",
    "мы",
    "все",
    "что",
    "как",
    "company",
    "the",
    "a",
    "calling",
    "not",
    "so",
    "very",
    "just",
    "harper",
];

/// The name after «меня зовут», «это», «я —» (or `my name is`, `this is`, `I am`), capitalised.
/// After «это»/`this is`/«я —» the word must be capitalised in the text (a name, not «это
/// квартира»), unless a greeting comes right before: ASR writes everything in lowercase
/// («здравствуйте это марина»).
#[cfg(test)]
pub(crate) fn person_name(text: &str) -> Option<String> {
    introduced_name(text, false)
}

/// As [`person_name`]; with `named_only`, only after «меня зовут» / `my name is` (the cues that
/// cannot precede a common noun).
pub(crate) fn introduced_name(text: &str, named_only: bool) -> Option<String> {
    NAME.captures_iter(text).find_map(|c| {
        let whole = c.get(0)?;
        let all = whole.as_str().to_lowercase();
        let word = c.get(1)?.as_str();
        let strict = !(all.contains("зовут") || all.contains("name"));
        if strict && named_only {
            return None;
        }
        if strict
            && !word.starts_with(char::is_uppercase)
            && !ends_with_greeting(text.get(..whole.start()).unwrap_or(""))
        {
            return None;
        }
        let lower = word.to_lowercase();
        if NOT_NAMES.contains(&lower.as_str()) || lower.chars().count() < 2 {
            return None;
        }
        let mut chars = lower.chars();
        let first = chars.next()?;
        Some(first.to_uppercase().chain(chars).collect())
    })
}

/// Whether `text` ends with a greeting («здравствуйте», «добрый день», «алло», `hello`, …).
fn ends_with_greeting(text: &str) -> bool {
    let words = crate::text::Words::new(text);
    let n = words.len();
    let Some(last) = n.checked_sub(1).map(|i| words.get(i)) else {
        return false;
    };
    let before = n.checked_sub(2).map_or("", |i| words.get(i));
    matches!(
        last,
        "здравствуйте"
            | "здрасте"
            | "здравствуй"
            | "алло"
            | "привет"
            | "hello"
            | "hi"
    ) || (before == "добрый" && matches!(last, "день" | "вечер"))
        || (before == "доброе" && last == "утро")
        || (before == "good" && matches!(last, "morning" | "afternoon" | "evening"))
}

/// Whether the day named by word `i` is not a day to come: a deadline («до пятницы», «с
/// понедельника») or the past («Вы в среду оставляли заявку», «вы звонили в понедельник»: a
/// personal pronoun and a past-tense verb in the same clause).
pub(crate) fn in_the_past_or_a_deadline(words: &crate::text::Words, i: usize) -> bool {
    let prev = i.checked_sub(1).map_or("", |p| words.get(p));
    if matches!(prev, "до" | "с" | "по" | "until" | "since" | "last") {
        return true;
    }
    past_clause(words, i)
}

/// Whether the clause around word `i` is about the past: a past-tense verb (a word of six
/// letters or more ending in «-ли»/«-ла», «был», or a masculine past form the dictionary
/// knows: «думал», «звонил») within four words, and a subject pronoun («я», «вы», «мы», «он»,
/// «она», «они») within four words of the word or of that verb. «Записал вас» has no subject
/// pronoun: a manager's «записал» is usually done in the call. A past verb followed by an
/// infinitive states an intention now («я с женой хотел посоветоваться», «хотела узнать») and
/// does not count.
pub(crate) fn past_clause(words: &crate::text::Words, i: usize) -> bool {
    // Spans end at a sentence end, and at four words either side (a transcript without
    // punctuation has no sentence boundaries): «Я думал, тысяч на двести дешевле будет» is one
    // thought, its subject five words before the price.
    const REACH: usize = 4;
    let span = |at: usize| {
        let start = (at.saturating_sub(REACH)..=at)
            .rev()
            .find(|&k| words.words.get(k).is_some_and(|w| w.sentence_before))
            .unwrap_or(at.saturating_sub(REACH));
        let end = (at + 1..words.len().min(at + 1 + REACH))
            .find(|&k| words.words.get(k).is_some_and(|w| w.sentence_before))
            .unwrap_or(words.len().min(at + 1 + REACH));
        start..end
    };
    let pronoun = |mut r: std::ops::Range<usize>| {
        r.any(|p| matches!(words.get(p), "вы" | "я" | "мы" | "он" | "она" | "они"))
    };
    let clause = span(i);
    // «вчера», «на прошлой неделе» place the clause in the past on their own.
    let marker = clause.clone().any(|k| {
        matches!(
            words.get(k),
            "вчера" | "позавчера" | "прошлой" | "прошлый" | "прошлом" | "yesterday"
        )
    });
    marker
        || clause.clone().any(|k| {
            past_verb(words.get(k))
                && !(words.words.get(k + 1).is_some_and(|n| !n.sentence_before)
                    && infinitive(words.get(k + 1)))
                && (pronoun(clause.clone()) || pronoun(span(k)))
        })
}

/// Whether a normalised word is a past-tense verb: «был», a word of six letters or more ending
/// in «-ли»/«-ла» («приезжали», «звонила»), or a masculine past form of five letters or more
/// that the dictionary knows («думал»; endings alone would take «стол» for a verb).
fn past_verb(w: &str) -> bool {
    let letters = w.chars().count();
    matches!(w, "был" | "была" | "были" | "было")
        || (letters >= 6 && (w.ends_with("ли") || w.ends_with("ла")))
        || (letters >= 5 && w.ends_with('л') && crate::morphology::masculine_past_verb(w))
}

/// Whether a normalised word looks like a Russian infinitive («узнать», «посоветоваться»,
/// «пойти»).
fn infinitive(word: &str) -> bool {
    word.chars().count() >= 4
        && (word.ends_with("ть") || word.ends_with("ться") || word.ends_with("ти"))
}

/// A day of the month said as an ordinal in the genitive («пятого», «двадцать пятого» ends in
/// «пятого») or as digits with «-го» («25-го» is split into `25` and `го`).
pub(crate) fn day_of_month(word: &str) -> Option<u32> {
    const ORDINALS: [(&str, u32); 13] = [
        ("первого", 1),
        ("второго", 2),
        ("третьего", 3),
        ("четвертого", 4),
        ("пятого", 5),
        ("шестого", 6),
        ("седьмого", 7),
        ("восьмого", 8),
        ("девятого", 9),
        ("десятого", 10),
        ("двадцатого", 20),
        ("тридцатого", 30),
        ("одиннадцатого", 11),
    ];
    let teens = [
        ("двенадцатого", 12),
        ("тринадцатого", 13),
        ("четырнадцатого", 14),
        ("пятнадцатого", 15),
        ("шестнадцатого", 16),
        ("семнадцатого", 17),
        ("восемнадцатого", 18),
        ("девятнадцатого", 19),
    ];
    ORDINALS
        .iter()
        .chain(teens.iter())
        .find(|(w, _)| *w == word)
        .map(|(_, d)| *d)
}

static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{4})-(\d{2})-(\d{2})\b"));
static DOT_DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(\d{1,2})[./](\d{2})(?:[./](\d{2,4}))?\b"));
static MONTH_DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(\d{1,2})(?:-?го|-?e|th|st|nd|rd)?\s+(\p{L}+)"));

fn month(word: &str) -> Option<u32> {
    const RU: [&str; 12] = [
        "январ",
        "феврал",
        "март",
        "апрел",
        "ма",
        "июн",
        "июл",
        "август",
        "сентябр",
        "октябр",
        "ноябр",
        "декабр",
    ];
    const EN: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = word.to_lowercase();
    if w == "мая" || w == "май" {
        return Some(5);
    }
    (1u32..)
        .zip(RU.iter().zip(EN.iter()))
        .find(|(_, (ru, en))| {
            (ru.len() > 4 && w.starts_with(**ru))
                || w == **en
                || (w.len() >= 3 && en.starts_with(&w) && w.len() >= 3 && w != "mar" && w != "may")
        })
        .map(|(m, _)| m)
}

/// A weekday named by one of its word forms (not by a prefix: «средства», «Пятницкое шоссе»
/// and «Воскресенск» are not dates).
pub(crate) fn weekday(word: &str) -> Option<Weekday> {
    let w = word.to_lowercase().replace('ё', "е");
    let stem_and_endings: [(&str, &[&str], Weekday); 7] = [
        ("понедельник", &["", "а", "у", "ом", "е"], Weekday::Mon),
        ("вторник", &["", "а", "у", "ом", "е"], Weekday::Tue),
        ("сред", &["а", "у", "ы", "е", "ой"], Weekday::Wed),
        ("четверг", &["", "а", "у", "ом", "е"], Weekday::Thu),
        ("пятниц", &["а", "у", "ы", "е", "ей"], Weekday::Fri),
        ("суббот", &["а", "у", "ы", "е", "ой"], Weekday::Sat),
        ("воскресень", &["е", "я", "ю", "ем"], Weekday::Sun),
    ];
    for (stem, endings, day) in stem_and_endings {
        if w.strip_prefix(stem)
            .is_some_and(|rest| endings.contains(&rest))
        {
            return Some(day);
        }
    }
    let english = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    english
        .iter()
        .find(|(d, _)| w == *d || w.strip_suffix('s') == Some(d))
        .map(|(_, d)| *d)
}

/// A date as `YYYY-MM-DD`: ISO, `DD.MM[.YYYY]`, «15 сентября», or relative words («сегодня»,
/// «завтра», «послезавтра», a weekday) resolved against the call's date. Without the call's
/// date, only dates with a year are returned.
pub(crate) fn date(text: &str, call_date: Option<NaiveDate>) -> Option<String> {
    let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    if let Some(c) = ISO_DATE.captures(text) {
        let d = NaiveDate::from_ymd_opt(
            c.get(1)?.as_str().parse().ok()?,
            c.get(2)?.as_str().parse().ok()?,
            c.get(3)?.as_str().parse().ok()?,
        );
        if let Some(d) = d {
            return Some(fmt(d));
        }
    }
    let with_year = |day: u32, month: u32, year: Option<i32>| -> Option<NaiveDate> {
        match (year, call_date) {
            (Some(y), _) => NaiveDate::from_ymd_opt(if y < 100 { 2000 + y } else { y }, month, day),
            (None, Some(c)) => {
                let d = NaiveDate::from_ymd_opt(c.year(), month, day)?;
                if d < c {
                    NaiveDate::from_ymd_opt(c.year() + 1, month, day)
                } else {
                    Some(d)
                }
            }
            (None, None) => None,
        }
    };
    for c in DOT_DATE.captures_iter(text) {
        let day = c.get(1).and_then(|m| m.as_str().parse().ok());
        let mon = c.get(2).and_then(|m| m.as_str().parse().ok());
        let year = c.get(3).and_then(|m| m.as_str().parse().ok());
        if let (Some(day), Some(mon)) = (day, mon)
            && let Some(d) = with_year(day, mon, year)
        {
            return Some(fmt(d));
        }
    }
    for c in MONTH_DATE.captures_iter(text) {
        let day = c.get(1).and_then(|m| m.as_str().parse().ok());
        let mon = c.get(2).and_then(|m| month(m.as_str()));
        if let (Some(day), Some(mon)) = (day, mon)
            && let Some(d) = with_year(day, mon, None)
        {
            return Some(fmt(d));
        }
    }
    let call = call_date?;
    let words = crate::text::Words::new(text);
    let all: Vec<&str> = words.iter().collect();
    for (i, w) in all.iter().enumerate() {
        // «двадцать пятого»: a day of this month, or of the next once it has passed.
        if let Some(day) = day_of_month(w) {
            let tens = match i.checked_sub(1).and_then(|p| all.get(p)) {
                Some(&"двадцать") => 20,
                Some(&"тридцать") => 30,
                _ => 0,
            };
            let next = all.get(i + 1).copied().unwrap_or("");
            let prev = i
                .checked_sub(1)
                .and_then(|p| all.get(p))
                .copied()
                .unwrap_or("");
            let month_named = month(next);
            // A booking names the day («на двадцать пятое», «двадцать пятого в три»,
            // «пятого числа»); «до двадцатого» is a deadline, «восемнадцатого года» a year.
            let booked = matches!(prev, "на" | "к" | "двадцать" | "тридцать")
                || month_named.is_some()
                || next == "числа";
            if booked && !matches!(next, "года" | "году" | "год") {
                let day = day + if day < 10 { tens } else { 0 };
                let this =
                    NaiveDate::from_ymd_opt(call.year(), month_named.unwrap_or(call.month()), day);
                let date = match this {
                    Some(d) if d >= call => Some(d),
                    _ => {
                        let (y, m) = if call.month() == 12 {
                            (call.year() + 1, 1)
                        } else {
                            (call.year(), call.month() + 1)
                        };
                        NaiveDate::from_ymd_opt(y, month_named.unwrap_or(m), day)
                    }
                };
                if let Some(d) = date {
                    return Some(fmt(d));
                }
            }
        }
    }
    for (i, w) in all.iter().copied().enumerate() {
        if in_the_past_or_a_deadline(&words, i) {
            continue;
        }
        let offset = match w {
            "сегодня" | "today" => Some(0),
            "завтра" | "tomorrow" => Some(1),
            "послезавтра" => Some(2),
            _ => None,
        };
        if let Some(days) = offset {
            return Some(fmt(call + Duration::days(days)));
        }
        if let Some(day) = weekday(w) {
            let ahead = (i64::from(day.num_days_from_monday())
                - i64::from(call.weekday().num_days_from_monday())
                + 7)
                % 7;
            let ahead = if ahead == 0 { 7 } else { ahead };
            return Some(fmt(call + Duration::days(ahead)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the clause around the first occurrence of `word` in `text` is about the past.
    fn past_at(text: &str, word: &str) -> bool {
        let words = crate::text::Words::new(text);
        let i = (0..words.len()).find(|&i| words.get(i) == word).unwrap();
        past_clause(&words, i)
    }

    #[test]
    fn the_past_is_told_by_either_gender_of_the_verb() {
        assert!(past_at("Я думала, он дешевле.", "дешевле"));
        // A masculine past form is known from the dictionary; its subject may stand more than
        // four words from the phrase as long as it is next to the verb.
        assert!(past_at(
            "Я думал, тысяч на двести дешевле будет.",
            "дешевле"
        ));
        assert!(past_at(
            "Вы к нам в салон уже приезжали когда-нибудь?",
            "салон"
        ));
        // «стол» ends like a masculine past verb but is a noun.
        assert!(!past_at("Я вижу стол, он дешевле.", "дешевле"));
        // The sentence ends before the verb.
        assert!(!past_at("Это дешевле. Я думал.", "дешевле"));
    }

    #[test]
    fn a_past_verb_before_an_infinitive_is_an_intention_now() {
        assert!(!past_at(
            "Я с женой хотел посоветоваться.",
            "посоветоваться"
        ));
        assert!(!past_at("Я хотела узнать про кредит.", "кредит"));
        assert!(past_at("Я хотела кредит, но передумала.", "кредит"));
    }

    #[test]
    fn names_follow_the_introduction_phrases() {
        assert_eq!(
            person_name("Здравствуйте, меня зовут сергей").as_deref(),
            Some("Сергей")
        );
        assert_eq!(person_name("Алло, это Марина?").as_deref(), Some("Марина"));
        assert_eq!(person_name("это квартира в центре"), None);
        // ASR lowercase: accepted right after a greeting only.
        assert_eq!(
            person_name("здравствуйте это марина ищу студию").as_deref(),
            Some("Марина")
        );
        assert_eq!(
            person_name("добрый день, это олег").as_deref(),
            Some("Олег")
        );
        assert_eq!(person_name("да это квартира ищу"), None);
        assert_eq!(person_name("hello this is harper valley bank"), None);
        assert_eq!(
            person_name("my name is patricia brown").as_deref(),
            Some("Patricia")
        );
    }

    #[test]
    fn dates_resolve_relative_words_against_the_call_date() {
        let call = NaiveDate::from_ymd_opt(2025, 9, 17);
        assert_eq!(
            date("приезжайте завтра", call).as_deref(),
            Some("2025-09-18")
        );
        assert_eq!(date("приезжайте завтра", None), None);
        assert_eq!(date("послезавтра", call).as_deref(), Some("2025-09-19"));
        assert_eq!(date("в пятницу", call).as_deref(), Some("2025-09-19"));
        assert_eq!(
            date("давайте 25 сентября", call).as_deref(),
            Some("2025-09-25")
        );
        assert_eq!(
            date("20.10.2025 в 15:00", None).as_deref(),
            Some("2025-10-20")
        );
        assert_eq!(date("2025-10-01", None).as_deref(), Some("2025-10-01"));
        assert_eq!(date("20.10", call).as_deref(), Some("2025-10-20"));
        assert_eq!(date("бюджет 3.5 млн", call), None);
        assert_eq!(date("в среду", call).as_deref(), Some("2025-09-24"));
    }

    #[test]
    fn words_that_merely_start_like_a_weekday_are_not_dates() {
        let call = NaiveDate::from_ymd_opt(2025, 9, 17);
        assert_eq!(date("есть собственные средства", call), None);
        assert_eq!(date("среди новостроек, средний этаж", call), None);
        assert_eq!(date("на Пятницком шоссе, это Воскресенск", call), None);
        assert_eq!(date("в воскресенье", call).as_deref(), Some("2025-09-21"));
        assert_eq!(date("on Monday", call).as_deref(), Some("2025-09-22"));
    }

    #[test]
    fn names_follow_a_dash_introduction_and_reject_common_words() {
        assert_eq!(
            person_name("Я — Ольга, звоню по объявлению").as_deref(),
            Some("Ольга")
        );
        assert_eq!(
            person_name("Добрый день, я - Игорь").as_deref(),
            Some("Игорь")
        );
        assert_eq!(person_name("Это Компания «Сэттл»"), None);
    }
}
