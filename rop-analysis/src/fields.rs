//! Built-in field extractors: money, phone numbers, person names, dates. Pure functions over one
//! utterance's text.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;
use std::sync::LazyLock;

// The patterns below are literals checked by the tests; `Regex::new` cannot fail on them.
#[allow(clippy::expect_used)]
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("static pattern")
}

static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| re(r"\d{1,3}(?:[ \u{a0}]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?|\p{L}+|[-–—]"));

/// A unit word of money: the multiplier it stands for.
fn multiplier(word: &str) -> Option<f64> {
    let w = word.trim_end_matches('.');
    if w.starts_with("млрд") || w.starts_with("миллиард") {
        Some(1e9)
    } else if w.starts_with("млн") || w.starts_with("миллион") || w.starts_with("лям")
    {
        Some(1e6)
    } else if w.starts_with("тыс") || w == "тр" || w.starts_with("косар") {
        Some(1e3)
    } else {
        None
    }
}

fn is_currency(word: &str) -> bool {
    word.starts_with("руб") || word == "р" || word == "₽"
}

/// A Russian number word: (value, is a unit below ten / teen / ten / hundred).
fn number_word(w: &str) -> Option<f64> {
    let v = match w {
        "ноль" | "нуля" => 0.0,
        "один" | "одна" | "одно" | "одного" | "одной" | "одну" => 1.0,
        "два" | "две" | "двух" => 2.0,
        "три" | "трех" => 3.0,
        "четыре" | "четырех" => 4.0,
        "пять" | "пяти" => 5.0,
        "шесть" | "шести" => 6.0,
        "семь" | "семи" => 7.0,
        "восемь" | "восьми" => 8.0,
        "девять" | "девяти" => 9.0,
        "десять" | "десяти" => 10.0,
        "одиннадцать" | "одиннадцати" => 11.0,
        "двенадцать" | "двенадцати" => 12.0,
        "тринадцать" | "тринадцати" => 13.0,
        "четырнадцать" | "четырнадцати" => 14.0,
        "пятнадцать" | "пятнадцати" => 15.0,
        "шестнадцать" | "шестнадцати" => 16.0,
        "семнадцать" | "семнадцати" => 17.0,
        "восемнадцать" | "восемнадцати" => 18.0,
        "девятнадцать" | "девятнадцати" => 19.0,
        "двадцать" | "двадцати" => 20.0,
        "тридцать" | "тридцати" => 30.0,
        "сорок" | "сорока" => 40.0,
        "пятьдесят" | "пятидесяти" => 50.0,
        "шестьдесят" | "шестидесяти" => 60.0,
        "семьдесят" | "семидесяти" => 70.0,
        "восемьдесят" | "восьмидесяти" => 80.0,
        "девяносто" | "девяноста" => 90.0,
        "сто" | "ста" => 100.0,
        "двести" | "двухсот" => 200.0,
        "триста" | "трехсот" => 300.0,
        "четыреста" | "четырехсот" => 400.0,
        "пятьсот" | "пятисот" => 500.0,
        "шестьсот" | "шестисот" => 600.0,
        "семьсот" | "семисот" => 700.0,
        "восемьсот" | "восьмисот" => 800.0,
        "девятьсот" | "девятисот" => 900.0,
        "полтора" | "полторы" | "полутора" => 1.5,
        _ => return None,
    };
    Some(v)
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Mult(f64),
    Currency,
    From,
    To,
    Dash,
    Other,
}

fn tokens(text: &str) -> Vec<Tok> {
    let lower = text.to_lowercase().replace('ё', "е");
    let raw: Vec<&str> = TOKEN.find_iter(&lower).map(|m| m.as_str()).collect();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&w) = raw.get(i) {
        i += 1;
        if w.starts_with(|c: char| c.is_ascii_digit()) {
            let digits: String = w
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c == ',' { '.' } else { c })
                .collect();
            out.push(digits.parse().map_or(Tok::Other, Tok::Num));
            continue;
        }
        if let Some(mut v) = number_word(w) {
            // Compound numbers: «двести пятьдесят», «двадцать пять», «два с половиной».
            while let Some(next) = raw.get(i).and_then(|n| number_word(n)) {
                if next < v && v >= 20.0 && (v % 10.0 == 0.0) {
                    v += next;
                    i += 1;
                } else {
                    break;
                }
            }
            if raw.get(i) == Some(&"с") && raw.get(i + 1).is_some_and(|w| w.starts_with("половин"))
            {
                v += 0.5;
                i += 2;
            }
            out.push(Tok::Num(v));
            continue;
        }
        out.push(match w {
            "от" => Tok::From,
            "до" | "по" => Tok::To,
            "-" | "–" | "—" => Tok::Dash,
            _ if multiplier(w).is_some() => Tok::Mult(multiplier(w).unwrap_or(1.0)),
            _ if is_currency(w) => Tok::Currency,
            _ => Tok::Other,
        });
    }
    out
}

/// An amount at `i`: (value before multiplier, multiplier if any, currency seen, next index).
fn amount(t: &[Tok], i: usize) -> Option<(f64, Option<f64>, bool, usize)> {
    let (value, mut j) = match t.get(i)? {
        Tok::Num(v) => (*v, i + 1),
        // «миллион», «ляма» alone.
        Tok::Mult(_) => (1.0, i),
        _ => return None,
    };
    let mult = match t.get(j) {
        Some(Tok::Mult(m)) => {
            j += 1;
            Some(*m)
        }
        _ => None,
    };
    let currency = matches!(t.get(j), Some(Tok::Currency));
    if currency {
        j += 1;
    }
    Some((value, mult, currency, j))
}

/// A money amount or range in canonical form: `"5-7 млн руб"`, `"3.5 млн руб"`,
/// `"до 6 млн руб"`, `"от 5 млн руб"`, `"800 тыс руб"`. Bare numbers (no multiplier and no
/// currency) are not money.
pub(crate) fn money_range(text: &str) -> Option<String> {
    let t = tokens(text);
    let mut i = 0;
    while i < t.len() {
        let from = t.get(i) == Some(&Tok::From);
        let to = t.get(i) == Some(&Tok::To);
        let start = if from || to { i + 1 } else { i };
        let Some((v1, m1, c1, j)) = amount(&t, start) else {
            i += 1;
            continue;
        };
        // A second bound: «до Y» or «- Y».
        let second = match t.get(j) {
            Some(Tok::To | Tok::Dash) if !to => amount(&t, j + 1),
            _ => None,
        };
        match second {
            Some((v2, m2, c2, _)) if m1.or(m2).is_some() || c1 || c2 => {
                let m = m2.or(m1).unwrap_or(1.0);
                let lo = v1 * m1.unwrap_or(m);
                let hi = v2 * m;
                return Some(format_range(Some(lo), Some(hi)));
            }
            _ if m1.is_some() || c1 => {
                let v = v1 * m1.unwrap_or(1.0);
                return Some(if to {
                    format_range(None, Some(v))
                } else if from {
                    format_range(Some(v), None)
                } else {
                    format_range(Some(v), Some(v))
                });
            }
            _ => i = j.max(i + 1),
        }
    }
    None
}

fn scale(v: f64) -> (f64, &'static str) {
    if v >= 1e9 {
        (1e9, "млрд руб")
    } else if v >= 1e6 {
        (1e6, "млн руб")
    } else if v >= 1e3 {
        (1e3, "тыс руб")
    } else {
        (1.0, "руб")
    }
}

fn number(v: f64) -> String {
    let r = (v * 1000.0).round() / 1000.0;
    let s = format!("{r:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn format_range(lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(a), Some(b)) if (a - b).abs() < f64::EPSILON => {
            let (s, unit) = scale(a);
            format!("{} {unit}", number(a / s))
        }
        (Some(a), Some(b)) => {
            let (s, unit) = scale(a.max(b));
            format!("{}-{} {unit}", number(a.min(b) / s), number(a.max(b) / s))
        }
        (Some(a), None) => {
            let (s, unit) = scale(a);
            format!("от {} {unit}", number(a / s))
        }
        (None, Some(b)) => {
            let (s, unit) = scale(b);
            format!("до {} {unit}", number(b / s))
        }
        (None, None) => String::new(),
    }
}

static PHONE: LazyLock<Regex> = LazyLock::new(|| re(r"\+?\d[\d\s()\-‐–]{8,20}\d"));

/// A phone number as 11 digits starting with 7 (Russian numbers: `8…` and 10-digit forms are
/// normalised).
pub(crate) fn phone(text: &str) -> Option<String> {
    PHONE.find_iter(text).find_map(|m| {
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        match digits.len() {
            11 if digits.starts_with('7') || digits.starts_with('8') => {
                Some(format!("7{}", digits.get(1..)?))
            }
            10 => Some(format!("7{digits}")),
            _ => None,
        }
    })
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
/// квартира»).
pub(crate) fn person_name(text: &str) -> Option<String> {
    NAME.captures_iter(text).find_map(|c| {
        let all = c.get(0)?.as_str().to_lowercase();
        let word = c.get(1)?.as_str();
        let strict = !(all.contains("зовут") || all.contains("name"));
        if strict && !word.starts_with(char::is_uppercase) {
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

fn weekday(word: &str) -> Option<Weekday> {
    let w = word.to_lowercase().replace('ё', "е");
    let days = [
        ("понедельник", Weekday::Mon),
        ("вторник", Weekday::Tue),
        ("сред", Weekday::Wed),
        ("четверг", Weekday::Thu),
        ("пятниц", Weekday::Fri),
        ("суббот", Weekday::Sat),
        ("воскресен", Weekday::Sun),
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    days.iter().find(|(p, _)| w.starts_with(p)).map(|(_, d)| *d)
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
        if let (Some(day), Some(mon)) = (day, mon) {
            if let Some(d) = with_year(day, mon, year) {
                return Some(fmt(d));
            }
        }
    }
    for c in MONTH_DATE.captures_iter(text) {
        let day = c.get(1).and_then(|m| m.as_str().parse().ok());
        let mon = c.get(2).and_then(|m| month(m.as_str()));
        if let (Some(day), Some(mon)) = (day, mon) {
            if let Some(d) = with_year(day, mon, None) {
                return Some(fmt(d));
            }
        }
    }
    let call = call_date?;
    let words = crate::text::Words::new(text);
    for w in words.iter() {
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

    #[test]
    fn money_in_words_and_digits_is_written_canonically() {
        assert_eq!(
            money_range("от пяти до семи миллионов").as_deref(),
            Some("5-7 млн руб")
        );
        assert_eq!(
            money_range("бюджет 5-7 млн руб").as_deref(),
            Some("5-7 млн руб")
        );
        assert_eq!(
            money_range("где-то 3,5 млн").as_deref(),
            Some("3.5 млн руб")
        );
        assert_eq!(money_range("до 6 млн").as_deref(), Some("до 6 млн руб"));
        assert_eq!(
            money_range("от 5 миллионов").as_deref(),
            Some("от 5 млн руб")
        );
        assert_eq!(money_range("800 тысяч").as_deref(), Some("800 тыс руб"));
        assert_eq!(
            money_range("ну пять ляма максимум").as_deref(),
            Some("5 млн руб")
        );
        assert_eq!(
            money_range("полтора миллиона").as_deref(),
            Some("1.5 млн руб")
        );
        assert_eq!(
            money_range("двести пятьдесят тысяч рублей").as_deref(),
            Some("250 тыс руб")
        );
        assert_eq!(
            money_range("5 000 000 рублей").as_deref(),
            Some("5 млн руб")
        );
        assert_eq!(
            money_range("два с половиной миллиона").as_deref(),
            Some("2.5 млн руб")
        );
    }

    #[test]
    fn bare_numbers_are_not_money() {
        assert_eq!(money_range("мне 5 лет, этаж 7"), None);
        assert_eq!(money_range("от двух до трех комнат"), None);
        assert_eq!(money_range("в 5 м от метро"), None);
    }

    #[test]
    fn phones_become_eleven_digits_starting_with_seven() {
        assert_eq!(phone("8 (916) 123-45-67").as_deref(), Some("79161234567"));
        assert_eq!(phone("+7 916 123 45 67").as_deref(), Some("79161234567"));
        assert_eq!(phone("9161234567").as_deref(), Some("79161234567"));
        assert_eq!(phone("квартира 12, дом 5"), None);
    }

    #[test]
    fn names_follow_the_introduction_phrases() {
        assert_eq!(
            person_name("Здравствуйте, меня зовут сергей").as_deref(),
            Some("Сергей")
        );
        assert_eq!(person_name("Алло, это Марина?").as_deref(), Some("Марина"));
        assert_eq!(person_name("это квартира в центре"), None);
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
    }
}
