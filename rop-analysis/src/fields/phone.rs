//! Phone numbers written in digits or dictated in words, in groups («девятьсот двадцать шесть,
//! четыреста пятнадцать, тридцать восемь, ноль два») or digit by digit («девять, один, шесть»).

use super::money::number_word;
use crate::text::Words;

/// The digits a run of spoken number words stands for: each compound number («девятьсот
/// двадцать шесть» → `926`, «сто пять» → `105`, «ноль» → `0`) is written out; «два нуля» is
/// `00`, «три семерки» is `777`.
/// Each word comes with whether punctuation stands before it: a compound never crosses it
/// («четыреста, сорок четыре» is `40044`).
fn spoken_digits(words: &[(&str, bool)]) -> String {
    let word = |i: usize| words.get(i).map(|(w, _)| *w);
    let joined = |i: usize| words.get(i).is_some_and(|(_, b)| !*b);
    let mut out = String::new();
    let mut i = 0;
    while let Some(&(w, _)) = words.get(i) {
        i += 1;
        if w.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(w);
            continue;
        }
        let Some(v) = number_word(w) else { continue };
        // «два нуля», «три семерки»: a count of one repeated digit.
        if let Some(rep) = word(i).and_then(repeated_digit)
            && (2.0..=4.0).contains(&v)
        {
            for _ in 0..(v as usize) {
                out.push(rep);
            }
            i += 1;
            continue;
        }
        let mut total = v as u32;
        // Hundreds take a ten or a unit, tens take a unit: «девятьсот двадцать шесть».
        let mut place = place_of(total);
        while let Some(next) = word(i).filter(|_| joined(i)).and_then(number_word) {
            let n = next as u32;
            let np = place_of(n);
            if next.fract() != 0.0
                || np >= place
                || n == 0
                || (place == 2 && !total.is_multiple_of(100))
            {
                break;
            }
            // A teen after hundreds is fine (сто двенадцать); a unit after a teen is not.
            if place == 1 && (10..20).contains(&(total % 100)) {
                break;
            }
            total += n;
            place = np;
            i += 1;
            if place == 0 {
                break;
            }
        }
        if v.fract() != 0.0 {
            continue;
        }
        out.push_str(&total.to_string());
    }
    out
}

/// 2 for hundreds, 1 for tens and teens, 0 for units.
fn place_of(n: u32) -> u8 {
    match n {
        100.. => 2,
        10..=99 => 1,
        _ => 0,
    }
}

/// The digit a plural count word repeats: «нуля» (два нуля), «семерки» (три семерки).
fn repeated_digit(word: &str) -> Option<char> {
    const NAMES: [(&str, char); 10] = [
        ("нул", '0'),
        ("единиц", '1'),
        ("двойк", '2'),
        ("тройк", '3'),
        ("четверк", '4'),
        ("пятерк", '5'),
        ("шестерк", '6'),
        ("семерк", '7'),
        ("восьмерк", '8'),
        ("девятк", '9'),
    ];
    NAMES
        .iter()
        .find(|(stem, _)| {
            word.starts_with(stem) && word.chars().count() <= stem.chars().count() + 2
        })
        .map(|(_, d)| *d)
}

/// Words that may sit inside a dictated number without ending it.
fn is_filler(word: &str) -> bool {
    matches!(word, "плюс" | "и" | "тире" | "дефис" | "plus")
}

/// A phone number said or written in `text`: 11 digits starting with 7. Runs of digits and
/// number words are read as one number when they add up to 10 digits (a Russian number
/// without the country code) or 11 starting with 7 or 8. A leading «восьмерка» said after the
/// number («и восьмерка в начале») is the trunk prefix and changes nothing.
pub(crate) fn phone(text: &str) -> Option<String> {
    let words = Words::new(text);
    let mut runs: Vec<Vec<(&str, bool)>> = Vec::new();
    let mut run: Vec<(&str, bool)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let brk = words.words.get(i).is_some_and(|x| x.break_before);
        let numeric = w.bytes().all(|b| b.is_ascii_digit())
            || number_word(w).is_some()
            || (repeated_digit(w).is_some() && !run.is_empty());
        if numeric || (is_filler(w) && !run.is_empty()) || (w == "плюс" && run.is_empty()) {
            run.push((w, brk));
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    runs.push(run);
    runs.iter().find_map(|r| normalise(&spoken_digits(r)))
}

fn normalise(digits: &str) -> Option<String> {
    match digits.len() {
        11 if digits.starts_with('7') || digits.starts_with('8') => {
            Some(format!("7{}", digits.get(1..)?))
        }
        10 if digits.starts_with(['3', '4', '8', '9']) => Some(format!("7{digits}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_in_digits_become_eleven_digits_starting_with_seven() {
        assert_eq!(phone("8 (916) 123-45-67").as_deref(), Some("79161234567"));
        assert_eq!(phone("+7 916 123 45 67").as_deref(), Some("79161234567"));
        assert_eq!(phone("9161234567").as_deref(), Some("79161234567"));
        assert_eq!(phone("квартира 12, дом 5"), None);
    }

    #[test]
    fn phones_dictated_in_groups_of_number_words_are_read() {
        assert_eq!(
            phone(
                "Восемь девятьсот двадцать шесть, четыреста пятнадцать, тридцать восемь, ноль два."
            )
            .as_deref(),
            Some("79264153802")
        );
        assert_eq!(
            phone("Девятьсот три, пятьсот двенадцать, восемьдесят восемь, сорок семь — это ваш?")
                .as_deref(),
            Some("79035128847")
        );
        assert_eq!(
            phone("Плюс семь, девятьсот пятнадцать, семьсот восемь, шестьдесят, шестьдесят.")
                .as_deref(),
            Some("79157086060")
        );
        assert_eq!(
            phone("Восемь девятьсот один, семь семь семь, двадцать, ноль девять.").as_deref(),
            Some("79017772009")
        );
        assert_eq!(
            phone("Девять, один, шесть, три, ноль, ноль, двенадцать, ноль восемь.").as_deref(),
            Some("79163001208")
        );
        assert_eq!(
            phone("плюс семь девятьсот шестнадцать три-три-три, два нуля, сорок пять").as_deref(),
            Some("79163330045")
        );
        assert_eq!(phone("8 926 415 38 02").as_deref(), Some("79264153802"));
        assert_eq!(
            phone("Девятьсот двадцать один, четыреста, сорок четыре, одиннадцать.").as_deref(),
            Some("79214004411")
        );
        assert_eq!(
            phone("Восемь, девятьсот, ноль пятьдесят, семь семь, ноль семь.").as_deref(),
            Some("79000507707")
        );
    }

    #[test]
    fn a_corrected_start_and_prices_are_not_phones() {
        assert_eq!(
            phone("Восемь девятьсот двадцать... ой, нет. Девятьсот двадцать пять, шестьсот сорок, ноль один, ноль один.")
                .as_deref(),
            Some("79256400101")
        );
        assert_eq!(phone("стоит два восемьсот девяносто девять"), None);
        assert_eq!(phone("миллион шестьсот восемьдесят девять"), None);
    }
}
