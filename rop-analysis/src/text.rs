//! Text normalisation: NFC, lowercase, `ё`→`е`, punctuation dropped; words keep byte offsets
//! into the original text so that quotes stay verbatim.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// One word of a text, normalised, with its place in the original.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    /// Byte range of the normalised word in [`Words::normalized`].
    pub norm: (usize, usize),
    /// Byte range of the word in the original text.
    pub source: (usize, usize),
    /// Clause punctuation (`. , ! ? ; : …` or a dash) stands between this word and the previous one.
    pub break_before: bool,
    /// A sentence end (`. ! ? …`, or a colon opening a statement) stands between this word
    /// and the previous one.
    pub sentence_before: bool,
    /// A `?` follows this word (before the next word).
    pub question_after: bool,
}

/// The words of a text. All normalised words live in one buffer (no allocation per word).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Words {
    /// The normalised words, separated by single spaces.
    pub normalized: String,
    /// The words in order.
    pub words: Vec<Word>,
}

impl Words {
    /// Splits `text` into normalised words.
    ///
    /// ```
    /// use rop_analysis::Words;
    /// let w = Words::new("Ёлка, КВАРТИРУ!");
    /// assert_eq!(w.iter().collect::<Vec<_>>(), ["елка", "квартиру"]);
    /// ```
    pub fn new(text: &str) -> Self {
        let mut out = Self {
            normalized: String::with_capacity(text.len()),
            words: Vec::with_capacity(text.len() / 5 + 1),
        };
        out.push_text(text);
        out
    }

    /// Appends the words of `text` (offsets are into `text`).
    pub(crate) fn push_text(&mut self, text: &str) {
        let mut pending_break = false;
        let mut pending_sentence = false;
        let mut word_start: Option<usize> = None;
        let mut last_end = 0usize;
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            let apostrophe_inside = is_apostrophe(c)
                && word_start.is_some()
                && iter.peek().is_some_and(|&(_, n)| n.is_alphabetic());
            if is_word_char(c) || apostrophe_inside {
                if word_start.is_none() {
                    word_start = Some(i);
                }
                last_end = i + c.len_utf8();
                continue;
            }
            if let Some(s) = word_start.take() {
                self.push_word(text, s, last_end, pending_break, pending_sentence);
                pending_break = false;
                pending_sentence = false;
            }
            if is_clause_break(c) {
                pending_break = true;
            }
            if matches!(c, '.' | '!' | '?' | '…' | ':') {
                pending_sentence = true;
            }
            if c == '?'
                && let Some(w) = self.words.last_mut()
            {
                w.question_after = true;
            }
        }
        if let Some(s) = word_start {
            self.push_word(text, s, text.len(), pending_break, pending_sentence);
        }
    }

    fn push_word(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        break_before: bool,
        sentence_before: bool,
    ) {
        let Some(slice) = text.get(start..end) else {
            return;
        };
        if !self.normalized.is_empty() {
            self.normalized.push(' ');
        }
        let n0 = self.normalized.len();
        normalize_word_into(slice, &mut self.normalized);
        let n1 = self.normalized.len();
        if n1 == n0 {
            return;
        }
        self.words.push(Word {
            norm: (n0, n1),
            source: (start, end),
            break_before,
            sentence_before,
            question_after: false,
        });
    }

    /// The normalised text of word `i` (empty when out of range).
    pub fn get(&self, i: usize) -> &str {
        self.words
            .get(i)
            .and_then(|w| self.normalized.get(w.norm.0..w.norm.1))
            .unwrap_or("")
    }

    /// The number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// No words at all.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The normalised words in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.words.len()).map(move |i| self.get(i))
    }
}

/// Normalises a text: NFC, lowercase, `ё`→`е`, punctuation dropped, words separated by single spaces.
///
/// ```
/// assert_eq!(rop_analysis::normalize("  Всё  ОК, спасибо!"), "все ок спасибо");
/// ```
pub fn normalize(text: &str) -> String {
    Words::new(text).normalized
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '`')
}

fn is_word_char(c: char) -> bool {
    // Fast paths for ASCII and Cyrillic (the whole block: letters and combining marks).
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if ('\u{0400}'..='\u{04FF}').contains(&c) {
        return !matches!(c, '\u{0482}');
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Basic Cyrillic letters (`Ѐ`–`ҁ`): NFC leaves them alone and their lowercase is arithmetic.
fn is_basic_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{0481}').contains(&c)
}

fn lower_basic_cyrillic(c: char) -> char {
    let u = u32::from(c);
    let l = match u {
        0x0401 => 0x0435, // Ё → е (ё folds to е)
        0x0451 => 0x0435, // ё → е
        0x0400..=0x040F => u + 0x50,
        0x0410..=0x042F => u + 0x20,
        0x0460..=0x0481 if u % 2 == 0 => u + 1,
        _ => u,
    };
    char::from_u32(l).unwrap_or(c)
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | '!' | '?' | ';' | ':' | '…' | '—' | '–' | '(' | ')' | '"' | '«' | '»'
    )
}

/// Appends the normalised form of one word (no spaces inside) to `out`.
fn normalize_word_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        for b in word.bytes() {
            if b.is_ascii_alphanumeric() {
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
        return;
    }
    // ASCII and basic Cyrillic in one pass; any other letter starts the word over on the
    // Unicode path.
    let start = out.len();
    let mut basic = true;
    for c in word.chars() {
        match c {
            'a'..='z' | '0'..='9' | 'а'..='я' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            c if c.is_ascii() => {}
            c if is_basic_cyrillic(c) => out.push(lower_basic_cyrillic(c)),
            _ => {
                basic = false;
                break;
            }
        }
    }
    if basic {
        return;
    }
    out.truncate(start);
    for c in word.nfc() {
        if is_apostrophe(c) {
            continue;
        }
        for l in c.to_lowercase() {
            out.push(if l == 'ё' { 'е' } else { l });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_byte_offsets_into_the_original() {
        let text = "Добрый день, компания «Сэттл»!";
        let w = Words::new(text);
        assert_eq!(w.len(), 4);
        let (s, e) = w.words[3].source;
        assert_eq!(&text[s..e], "Сэттл");
        assert_eq!(w.get(3), "сэттл");
        assert!(w.words[2].break_before);
        assert!(!w.words[1].break_before);
    }

    #[test]
    fn composes_decomposed_yo_and_folds_it() {
        // «е» + combining diaeresis, then NFC → «ё» → «е».
        assert_eq!(normalize("Е\u{308}лка"), "елка");
    }

    #[test]
    fn fast_cyrillic_path_agrees_with_the_unicode_tables() {
        for u in 0x0400..=0x0481u32 {
            let c = char::from_u32(u).unwrap();
            let mut slow: String = c.to_lowercase().collect();
            if slow == "ё" {
                slow = "е".to_owned();
            }
            assert_eq!(lower_basic_cyrillic(c).to_string(), slow, "U+{u:04X}");
        }
    }

    #[test]
    fn drops_apostrophes_inside_words_only() {
        assert_eq!(
            normalize("I'll see you'll 'quoted'"),
            "ill see youll quoted"
        );
    }
}
