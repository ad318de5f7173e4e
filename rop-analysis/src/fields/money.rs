//! Money amounts and ranges in words or digits, written back canonically (`5-7 млн руб`).

use super::re;
use regex::Regex;
use std::sync::LazyLock;

static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| re(r"\d{1,3}(?:[ \u{a0}]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?|\p{L}+|[-–—]"));

/// A unit word of money: the multiplier it stands for.
pub(crate) fn multiplier(word: &str) -> Option<f64> {
    let w = word.trim_end_matches('.');
    if w.starts_with("млрд") || w.starts_with("миллиард") {
        Some(1e9)
    } else if w.starts_with("млн")
        || w.starts_with("миллион")
        // ASR spellings with one «л» and the colloquial «мильон».
        || w.starts_with("милион")
        || w.starts_with("мильон")
        || w.starts_with("лям")
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

/// The value of a Russian number word in a common case form («двух», «пятисот»), ё folded.
pub(crate) fn number_word(w: &str) -> Option<f64> {
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
/// With `scale` (the unit the call talks in, 1e6 when millions were mentioned), colloquial
/// amounts are read: «два двести» = 2.2 million, «миллион шестьсот» = 1.6 million, «тысяч
/// девятьсот» = 900 thousand, «миллиона два» = 2 million.
fn amount(t: &[Tok], i: usize, scale: Option<f64>) -> Option<(f64, Option<f64>, bool, usize)> {
    let (value, mut j) = match t.get(i)? {
        Tok::Num(v) => (*v, i + 1),
        // «миллион», «ляма» alone.
        Tok::Mult(_) => (1.0, i),
        _ => return None,
    };
    let mut mult = match t.get(j) {
        Some(Tok::Mult(m)) => {
            j += 1;
            Some(*m)
        }
        _ => None,
    };
    let mut value = value;
    // «три миллиона пятьсот тысяч»: a smaller unit right after adds to the amount.
    if let (Some(m), Some(Tok::Num(v2)), Some(Tok::Mult(m2))) = (mult, t.get(j), t.get(j + 1))
        && *m2 < m
    {
        value += v2 * m2 / m;
        j += 2;
    }
    if scale.is_some() {
        match (t.get(i), mult, t.get(j)) {
            // «миллион шестьсот»: thousands after a million.
            (Some(Tok::Mult(m)), _, Some(Tok::Num(v2)))
                if *m >= 1e6 && *v2 >= 100.0 && *v2 < 1000.0 =>
            {
                value = 1.0 + v2 / 1000.0;
                mult = Some(*m);
                j += 1;
            }
            // «миллиона два»: the number after its unit.
            (Some(Tok::Mult(m)), _, Some(Tok::Num(v2))) if *v2 < 10.0 => {
                value = *v2;
                mult = Some(*m);
                j += 1;
            }
            // «тысяч девятьсот».
            (Some(Tok::Mult(m)), _, Some(Tok::Num(v2))) if *m < 1e6 && *v2 < 1000.0 => {
                value = *v2;
                mult = Some(*m);
                j += 1;
            }
            // «два двести», «двух семисот»: a unit then hundreds, in the call's scale.
            (Some(Tok::Num(v1)), None, Some(Tok::Num(v2)))
                if *v1 < 10.0 && *v2 >= 100.0 && *v2 < 1000.0 =>
            {
                value = v1 + v2 / 1000.0;
                j += 1;
            }
            (Some(Tok::Mult(m)), _, _) if mult.is_none() => {
                mult = Some(*m);
                j += 1;
            }
            _ => {}
        }
    }
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
    money_in(text, None)
}

/// Words that make a single amount an upper bound wherever they stand in the utterance
/// («три ляма максимум», «миллион шестьсот — это потолок», «не больше»).
fn says_upper_bound(text: &str) -> bool {
    let w = crate::text::Words::new(text);
    let words: Vec<&str> = w.iter().collect();
    words.iter().enumerate().any(|(i, x)| {
        matches!(
            *x,
            "максимум" | "потолок" | "пределах" | "предел" | "больше"
        ) && (*x != "больше"
            || words.get(i.wrapping_sub(1)) == Some(&"не")
            || words.get(i + 1) == Some(&"не"))
    })
}

/// A money amount in one utterance. With `scale` (the call's unit, see [`amount`]) a bare
/// number is read as money in that unit: the caller knows the utterance answers a question
/// about money.
pub(crate) fn money_in(text: &str, scale: Option<f64>) -> Option<String> {
    let t = tokens(text);
    let upper = says_upper_bound(text);
    let mut i = 0;
    while i < t.len() {
        let from = t.get(i) == Some(&Tok::From);
        let to = t.get(i) == Some(&Tok::To);
        let start = if from || to { i + 1 } else { i };
        let Some((v1, m1, c1, j)) = amount(&t, start, scale) else {
            i += 1;
            continue;
        };
        // A second bound: «до Y» or «- Y».
        let second = match t.get(j) {
            Some(Tok::To | Tok::Dash) if !to => amount(&t, j + 1, scale),
            _ => None,
        };
        // In a call without unit words (scale 0), a number under 100 is millions, hundreds
        // are thousands («восемьсот» = 800 thousand).
        let scaled = |m: Option<f64>, v: f64| {
            m.or(scale.and_then(|s| match s {
                _ if v >= 1000.0 => None,
                s if s > 0.0 => Some(s),
                _ if v < 100.0 => Some(1e6),
                _ => Some(1e3),
            }))
        };
        let (m1, second) = (
            scaled(m1, v1),
            second.map(|(v2, m2, c2, k)| (v2, scaled(m2, v2), c2, k)),
        );
        match second {
            Some((v2, m2, c2, _)) if m1.or(m2).is_some() || c1 || c2 => {
                let m = m2.or(m1).unwrap_or(1.0);
                let lo = v1 * m1.unwrap_or(m);
                let hi = v2 * m;
                return Some(format_range(Some(lo), Some(hi)));
            }
            _ if m1.is_some() || c1 => {
                let v = v1 * m1.unwrap_or(1.0);
                return Some(if to || (upper && !from) {
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
            Some("до 5 млн руб")
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
        assert_eq!(
            money_range("три миллиона пятьсот тысяч").as_deref(),
            Some("3.5 млн руб")
        );
        assert_eq!(
            money_range("от 800 тысяч до 1,2 млн").as_deref(),
            Some("0.8-1.2 млн руб")
        );
    }

    #[test]
    fn bare_numbers_are_not_money() {
        assert_eq!(money_range("мне 5 лет, этаж 7"), None);
        assert_eq!(money_range("от двух до трех комнат"), None);
        assert_eq!(money_range("в 5 м от метро"), None);
    }

    #[test]
    fn money_tolerates_asr_spellings_of_million() {
        assert_eq!(
            money_range("от пяти до семи милионов").as_deref(),
            Some("5-7 млн руб")
        );
    }
}
