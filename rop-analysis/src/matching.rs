//! Phrase matching, compiled once per checklist or table (docs/formats.md «How a phrase matches»).
//!
//! A [`PhraseSet`] holds every phrase of a checklist: each distinct phrase word is stemmed once
//! (Snowball for the checklist's language) and indexed by stem and by its one-deletion
//! neighbourhood (symmetric-delete, for edit distance 1 on words of five letters or more).
//! Scoring a call stems each *distinct* transcript word once (a per-call cache), looks its
//! phrase-word ids up, and walks phrase starts; the checklist is never re-stemmed.
//!
//! Rules, the same for every phrase:
//! - case-insensitive, NFC, `ё` = `е`, punctuation ignored ([`Words`]);
//! - word by word on stems, or at edit distance 1 (Damerau: a swap of two neighbouring letters
//!   is one edit) when both words have five letters or more, or when both stems have six;
//! - a multi-word phrase tolerates one extra word in all between its words;
//! - an ASR split or merge is tolerated: a phrase word may match two adjacent transcript words
//!   written together (`all right` ~ `alright`), and two phrase words one transcript word;
//! - an occurrence one or two words after a negation (`не`, `нет`, `not`, `no`, and English
//!   `n't` contractions) does not count, unless the phrase itself starts with a negation; the
//!   look-back stops at clause punctuation (`Нет, квартира подходит` is not negated).

use crate::text::Words;
use crate::transcript::Language;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Index of a phrase inside its [`PhraseSet`].
pub(crate) type PhraseId = u32;

const NEGATIONS: &[&str] = &[
    "не", "нет", "без", "not", "no", "without", "dont", "didnt", "doesnt", "cant", "cannot",
    "wont", "isnt", "wasnt", "havent",
];

fn is_negation(word: &str) -> bool {
    NEGATIONS.contains(&word)
}

/// The stemmer of a language (none for unknown languages: words match as written).
pub(crate) struct Stemming(Option<Stemmer>);

impl Stemming {
    pub(crate) fn new(language: &Language) -> Self {
        Self(match language {
            Language::Ru => Some(Stemmer::create(Algorithm::Russian)),
            Language::En => Some(Stemmer::create(Algorithm::English)),
            Language::Other(_) => None,
        })
    }

    pub(crate) fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        match &self.0 {
            Some(s) => s.stem(word),
            None => std::borrow::Cow::Borrowed(word),
        }
    }
}

impl std::fmt::Debug for Stemming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stemming")
    }
}

#[derive(Debug)]
struct PhraseWord {
    form: Box<str>,
    stem: Box<str>,
    chars: usize,
    /// A Russian imperative («приезжайте»): it matches only imperatives, not the past or
    /// present forms sharing its stem («приезжали» is a question about the past).
    imperative: bool,
}

/// A Russian plural/polite imperative ending: «-йте», «-ите», with «-сь» for reflexives.
fn is_imperative(form: &str) -> bool {
    form.chars().count() >= 6
        && ["йте", "ите", "йтесь", "итесь"]
            .iter()
            .any(|e| form.ends_with(e))
}

#[derive(Debug)]
struct Phrase {
    words: Vec<u32>,
    starts_with_negation: bool,
}

/// Where a phrase occurred: utterance index, first word index, one past the last word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Occurrence {
    pub(crate) utterance: u32,
    pub(crate) word: u32,
    pub(crate) end: u32,
}

/// A compiled set of phrases.
#[derive(Debug)]
pub(crate) struct PhraseSet {
    stemming: Stemming,
    words: Vec<PhraseWord>,
    word_ids: HashMap<Box<str>, u32>,
    by_stem: HashMap<Box<str>, Vec<u32>>,
    by_deletion: HashMap<Box<str>, Vec<u32>>,
    by_stem_deletion: HashMap<Box<str>, Vec<u32>>,
    phrases: Vec<Phrase>,
    phrase_ids: HashMap<Vec<u32>, PhraseId>,
    starts: Vec<Vec<PhraseId>>,
    /// Adjacent phrase-word pairs → the id of the pair written as one word.
    pair_ids: HashMap<(u32, u32), u32>,
    /// The id of a pair written as one word → the pairs it stands for.
    joined_rev: HashMap<u32, Vec<(u32, u32)>>,
    /// Prefixes (two letters or more) of phrase words: a transcript word that is one may be the
    /// first half of a split word.
    prefixes: HashSet<Box<str>>,
    /// Char lengths of the keys in `by_deletion` / `by_stem_deletion` (bit `min(n, 127)`): a
    /// transcript key of a length no phrase key has cannot match, so it is not looked up.
    deletion_lens: u128,
    stem_deletion_lens: u128,
    /// A Bloom filter of every key of `by_deletion` and `by_stem_deletion`: most transcript
    /// keys are in neither, and this answers that without probing the maps.
    key_filter: KeyFilter,
}

/// A Bloom filter of strings (two bits per key in 2^16; no false negatives), keyed by a
/// polynomial hash over the characters so that the hashes of all one-deletion forms of a word
/// come in O(1) each from its prefix hashes ([`deletion_hashes`]), without building the forms.
#[derive(Debug)]
struct KeyFilter(Vec<u64>);

/// The multiplier of [`KeyFilter`]'s polynomial hash (odd, large).
const POLY: u64 = 0x0000_0100_0000_01B3;

/// One character's value in the polynomial hash (never 0).
fn poly_char(c: char) -> u64 {
    u64::from(c) + 1
}

impl KeyFilter {
    const BITS: u64 = 1 << 16;

    fn new() -> Self {
        Self(vec![0; (Self::BITS / 64) as usize])
    }

    /// The polynomial hash of `key`.
    fn hash(key: &str) -> u64 {
        key.chars()
            .fold(0u64, |h, c| h.wrapping_mul(POLY).wrapping_add(poly_char(c)))
    }

    fn bits(hash: u64) -> [u64; 2] {
        let h = hash.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        [(h >> 48) % Self::BITS, (h >> 16) % Self::BITS]
    }

    fn insert(&mut self, key: &str) {
        for b in Self::bits(Self::hash(key)) {
            if let Some(w) = self.0.get_mut((b / 64) as usize) {
                *w |= 1 << (b % 64);
            }
        }
    }

    /// Whether a key with this polynomial hash may have been inserted.
    fn may_contain(&self, hash: u64) -> bool {
        Self::bits(hash).iter().all(|b| {
            self.0
                .get((b / 64) as usize)
                .is_some_and(|w| w & (1 << (b % 64)) != 0)
        })
    }
}

/// Calls `f(i, hash)` with the polynomial hash ([`KeyFilter`]) of `chars` without character
/// `i`, for every `i`, in O(1) each; `prefix` is scratch space.
fn deletion_hashes(chars: &[char], prefix: &mut Vec<u64>, mut f: impl FnMut(usize, u64)) {
    prefix.clear();
    prefix.push(0);
    let mut h = 0u64;
    for &c in chars {
        h = h.wrapping_mul(POLY).wrapping_add(poly_char(c));
        prefix.push(h);
    }
    // Walking from the end: `suffix` = hash of chars[i+1..], `pow` = POLY^(len(chars[i+1..])).
    let (mut suffix, mut pow) = (0u64, 1u64);
    for (i, &c) in chars.iter().enumerate().rev() {
        let before = prefix.get(i).copied().unwrap_or(0);
        f(i, before.wrapping_mul(pow).wrapping_add(suffix));
        suffix = poly_char(c).wrapping_mul(pow).wrapping_add(suffix);
        pow = pow.wrapping_mul(POLY);
    }
}

/// Buffers [`PhraseSet::lookup`] reuses from one word to the next (no allocation per word).
#[derive(Default)]
struct Scratch {
    key: String,
    prefix: Vec<u64>,
    form_chars: Vec<char>,
    stem_chars: Vec<char>,
}

/// `form` without its character number `i`, built in `buf`.
fn without_char<'b>(form: &str, i: usize, buf: &'b mut String) -> &'b str {
    buf.clear();
    for (k, c) in form.chars().enumerate() {
        if k != i {
            buf.push(c);
        }
    }
    buf
}

/// The bit of a key of `chars` characters in a length mask (127 stands for 127 and more).
fn len_bit(chars: usize) -> u128 {
    1u128 << chars.min(127)
}

const FUZZY_MIN_CHARS: usize = 5;
/// Stems this long also match at edit distance 1 (an inflected word with one ASR error:
/// «ипатеку» ~ «ипотека»); shorter stems would confuse `think` with `thank`.
const STEM_FUZZY_MIN_CHARS: usize = 6;

impl PhraseSet {
    pub(crate) fn new(language: &Language) -> Self {
        Self {
            stemming: Stemming::new(language),
            words: Vec::new(),
            word_ids: HashMap::default(),
            by_stem: HashMap::default(),
            by_deletion: HashMap::default(),
            by_stem_deletion: HashMap::default(),
            phrases: Vec::new(),
            phrase_ids: HashMap::default(),
            starts: Vec::new(),
            pair_ids: HashMap::default(),
            joined_rev: HashMap::default(),
            prefixes: HashSet::default(),
            deletion_lens: 0,
            stem_deletion_lens: 0,
            key_filter: KeyFilter::new(),
        }
    }

    /// Adds a phrase (or finds the identical one) and returns its id; `None` when it has no words.
    pub(crate) fn add(&mut self, phrase: &str) -> Option<PhraseId> {
        let w = Words::new(phrase);
        if w.is_empty() {
            return None;
        }
        let ids: Vec<u32> = w.iter().map(|form| self.word_id(form)).collect();
        if let Some(&id) = self.phrase_ids.get(&ids) {
            return Some(id);
        }
        let id = u32::try_from(self.phrases.len()).ok()?;
        let first = *ids.first()?;
        if let Some(s) = self.starts.get_mut(first as usize) {
            s.push(id);
        }
        self.phrases.push(Phrase {
            starts_with_negation: is_negation(w.get(0)),
            words: ids.clone(),
        });
        self.phrase_ids.insert(ids, id);
        Some(id)
    }

    fn word_id(&mut self, form: &str) -> u32 {
        if let Some(&id) = self.word_ids.get(form) {
            return id;
        }
        // More than u32::MAX distinct words cannot come from a checklist that fits in memory.
        let id = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
        let stem: Box<str> = self.stemming.stem(form).into();
        self.by_stem.entry(stem.clone()).or_default().push(id);
        if stem.chars().count() >= STEM_FUZZY_MIN_CHARS {
            for key in deletion_keys(&stem).into_iter().chain([stem.to_string()]) {
                self.stem_deletion_lens |= len_bit(key.chars().count());
                self.key_filter.insert(&key);
                let list = self
                    .by_stem_deletion
                    .entry(key.into_boxed_str())
                    .or_default();
                if !list.contains(&id) {
                    list.push(id);
                }
            }
        }
        let chars = form.chars().count();
        if chars >= FUZZY_MIN_CHARS {
            for key in deletion_keys(form).into_iter().chain([form.to_owned()]) {
                self.deletion_lens |= len_bit(key.chars().count());
                self.key_filter.insert(&key);
                let list = self.by_deletion.entry(key.into_boxed_str()).or_default();
                if !list.contains(&id) {
                    list.push(id);
                }
            }
        }
        self.words.push(PhraseWord {
            form: form.into(),
            stem,
            chars,
            imperative: is_imperative(form),
        });
        self.word_ids.insert(form.into(), id);
        self.starts.push(Vec::new());
        id
    }

    /// Call once all phrases are added: indexes adjacent phrase-word pairs written together
    /// (for ASR merges) and the prefixes of phrase words (for ASR splits).
    pub(crate) fn finish(&mut self) {
        let mut pairs = Vec::new();
        for phrase in &self.phrases {
            for k in 1..phrase.words.len() {
                if let (Some(&a), Some(&b)) = (phrase.words.get(k - 1), phrase.words.get(k)) {
                    pairs.push((a, b));
                }
            }
        }
        for (a, b) in pairs {
            let (Some(fa), Some(fb)) = (self.words.get(a as usize), self.words.get(b as usize))
            else {
                continue;
            };
            let joined = format!("{}{}", fa.form, fb.form);
            let jid = self.word_id(&joined);
            self.pair_ids.insert((a, b), jid);
            let rev = self.joined_rev.entry(jid).or_default();
            if !rev.contains(&(a, b)) {
                rev.push((a, b));
            }
        }
        for w in &self.words {
            for (i, _) in w.form.char_indices().skip(2) {
                if let Some(prefix) = w.form.get(..i) {
                    self.prefixes.insert(prefix.into());
                }
            }
        }
    }

    /// Whether a transcript word may be the first half of a phrase word split in two: it is a
    /// prefix of one, or is one once its last letter is dropped (`all right` ~ `alright`).
    fn may_be_split(&self, form: &str) -> bool {
        self.prefixes.contains(form)
            || form
                .char_indices()
                .last()
                .and_then(|(i, _)| form.get(..i))
                .is_some_and(|p| p.chars().count() >= 2 && self.prefixes.contains(p))
    }

    /// The number of phrases.
    pub(crate) fn len(&self) -> usize {
        self.phrases.len()
    }

    /// The phrase-word ids a transcript word matches.
    fn lookup(&self, form: &str, out: &mut Vec<u32>, scratch: &mut Scratch) {
        let start = out.len();
        let stem = self.stemming.stem(form);
        if let Some(ids) = self.by_stem.get(&*stem) {
            out.extend_from_slice(ids);
        }
        let check = |ids: &Vec<u32>, out: &mut Vec<u32>, by_stem: bool| {
            for &id in ids {
                if out.get(start..).is_some_and(|s| s.contains(&id)) {
                    continue;
                }
                let Some(p) = self.words.get(id as usize) else {
                    continue;
                };
                let ok = if by_stem {
                    strsim::osa_distance(&stem, &p.stem) <= 1
                } else {
                    p.chars >= FUZZY_MIN_CHARS && strsim::osa_distance(form, &p.form) <= 1
                };
                if ok {
                    out.push(id);
                }
            }
        };
        // Keys are the word itself (n chars) and its one-deletion forms (n - 1 chars); only
        // lengths some phrase key has are looked up, and a deletion form is built (and the map
        // probed) only when the Bloom filter, fed its hash, may hold it.
        let Scratch {
            key,
            prefix,
            form_chars,
            stem_chars,
        } = scratch;
        form_chars.clear();
        form_chars.extend(form.chars());
        let chars = form_chars.len();
        if chars >= FUZZY_MIN_CHARS && !self.by_deletion.is_empty() {
            let lens = self.deletion_lens;
            if lens & len_bit(chars - 1) != 0 {
                deletion_hashes(form_chars, prefix, |i, h| {
                    if !self.key_filter.may_contain(h) {
                        return;
                    }
                    if let Some(ids) = self.by_deletion.get(without_char(form, i, key)) {
                        check(ids, out, false);
                    }
                });
            }
            if lens & len_bit(chars) != 0 {
                if let Some(ids) = self.by_deletion.get(form) {
                    check(ids, out, false);
                }
            }
        }
        stem_chars.clear();
        stem_chars.extend(stem.chars());
        if stem_chars.len() >= STEM_FUZZY_MIN_CHARS && !self.by_stem_deletion.is_empty() {
            let lens = self.stem_deletion_lens;
            if lens & len_bit(stem_chars.len() - 1) != 0 {
                deletion_hashes(stem_chars, prefix, |i, h| {
                    if !self.key_filter.may_contain(h) {
                        return;
                    }
                    if let Some(ids) = self.by_stem_deletion.get(without_char(&stem, i, key)) {
                        check(ids, out, true);
                    }
                });
            }
            if lens & len_bit(stem_chars.len()) != 0 {
                if let Some(ids) = self.by_stem_deletion.get(&*stem) {
                    check(ids, out, true);
                }
            }
        }
        if !is_imperative(form) {
            let mut k = start;
            while k < out.len() {
                let imperative = out
                    .get(k)
                    .and_then(|&id| self.words.get(id as usize))
                    .is_some_and(|p| p.imperative);
                if imperative {
                    out.remove(k);
                } else {
                    k += 1;
                }
            }
        }
    }

    /// Every counted (non-negated) occurrence of every phrase in `utterances`, per phrase, in
    /// call order.
    pub(crate) fn find_all(&self, utterances: &[Words]) -> Vec<Vec<Occurrence>> {
        let mut found: Vec<Vec<Occurrence>> = vec![Vec::new(); self.phrases.len()];
        if self.phrases.is_empty() {
            return found;
        }
        // Per-call cache: distinct normalised word → range of phrase-word ids in `pool`.
        let mut cache: HashMap<&str, (u32, u32, bool)> = HashMap::default();
        let mut joined_cache: HashMap<(&str, &str), (u32, u32)> = HashMap::default();
        let mut pool: Vec<u32> = Vec::new();
        let mut single: Vec<(u32, u32)> = Vec::new();
        let mut merged: Vec<(u32, u32)> = Vec::new();
        let mut candidates: Vec<(PhraseId, usize, usize)> = Vec::new();
        let mut scratch = Scratch::default();
        let mut joined = String::new();
        for (u, words) in (0u32..).zip(utterances) {
            single.clear();
            merged.clear();
            for (i, form) in words.iter().enumerate() {
                let (s, e, split) = *cache.entry(form).or_insert_with(|| {
                    let s = pool.len();
                    self.lookup(form, &mut pool, &mut scratch);
                    (to_u32(s), to_u32(pool.len()), self.may_be_split(form))
                });
                single.push((s, e));
                let mut m = (0, 0);
                if split && i + 1 < words.len() {
                    m = *joined_cache
                        .entry((form, words.get(i + 1)))
                        .or_insert_with_key(|(a, b)| {
                            let s = pool.len();
                            joined.clear();
                            joined.push_str(a);
                            joined.push_str(b);
                            self.lookup(&joined, &mut pool, &mut scratch);
                            (to_u32(s), to_u32(pool.len()))
                        });
                }
                merged.push(m);
            }
            let view = View {
                single: &single,
                merged: &merged,
                pool: &pool,
                n: words.len(),
            };
            for i in 0..words.len() {
                candidates.clear();
                for &w in view.single(i) {
                    for &p in self.starts.get(w as usize).map_or(&[][..], Vec::as_slice) {
                        candidates.push((p, 1, i + 1));
                    }
                    for &(a, b) in self.joined_rev.get(&w).map_or(&[][..], Vec::as_slice) {
                        for &p in self.starts.get(a as usize).map_or(&[][..], Vec::as_slice) {
                            if self.phrases.get(p as usize).and_then(|ph| ph.words.get(1))
                                == Some(&b)
                            {
                                candidates.push((p, 2, i + 1));
                            }
                        }
                    }
                }
                for &w in view.merged(i) {
                    for &p in self.starts.get(w as usize).map_or(&[][..], Vec::as_slice) {
                        candidates.push((p, 1, i + 2));
                    }
                }
                for &(p, k, j) in &candidates {
                    let Some(phrase) = self.phrases.get(p as usize) else {
                        continue;
                    };
                    let Some(end) = self.match_rest(phrase, k, j, &view) else {
                        continue;
                    };
                    let Some(list) = found.get_mut(p as usize) else {
                        continue;
                    };
                    let iu = to_u32(i);
                    if list.last().is_some_and(|o| o.utterance == u && o.end > iu) {
                        continue;
                    }
                    if !phrase.starts_with_negation && (negated(words, i) || refused(words, end)) {
                        continue;
                    }
                    list.push(Occurrence {
                        utterance: u,
                        word: iu,
                        end: to_u32(end),
                    });
                }
            }
        }
        found
    }

    /// Matches the phrase's words from index `k`, from transcript word `j`, with at most one
    /// extra word in all; returns one past the last matched transcript word.
    fn match_rest(
        &self,
        phrase: &Phrase,
        mut k: usize,
        mut j: usize,
        view: &View<'_>,
    ) -> Option<usize> {
        let mut gap = 1usize;
        while let Some(&w) = phrase.words.get(k) {
            let pair = phrase
                .words
                .get(k + 1)
                .and_then(|&b| self.pair_ids.get(&(w, b)).copied());
            let at = |t: usize| -> Option<(usize, usize)> {
                if t >= view.n {
                    None
                } else if view.single(t).contains(&w) {
                    Some((t + 1, 1))
                } else if view.merged(t).contains(&w) {
                    Some((t + 2, 1))
                } else if pair.is_some_and(|jid| view.single(t).contains(&jid)) {
                    Some((t + 1, 2))
                } else {
                    None
                }
            };
            let (next, step) = match at(j) {
                Some(x) => x,
                None if gap > 0 => {
                    gap -= 1;
                    at(j + 1)?
                }
                None => return None,
            };
            j = next;
            k += step;
        }
        Some(j)
    }
}

/// The phrase-word ids of one utterance's words.
struct View<'a> {
    single: &'a [(u32, u32)],
    merged: &'a [(u32, u32)],
    pool: &'a [u32],
    n: usize,
}

impl View<'_> {
    fn get(&self, v: &[(u32, u32)], i: usize) -> &[u32] {
        v.get(i)
            .and_then(|&(s, e)| self.pool.get(s as usize..e as usize))
            .unwrap_or(&[])
    }
    fn single(&self, i: usize) -> &[u32] {
        self.get(self.single, i)
    }
    fn merged(&self, i: usize) -> &[u32] {
        self.get(self.merged, i)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Whether word `i` follows a negation within two words, inside the same clause.
fn negated(words: &Words, i: usize) -> bool {
    for back in 1..=4usize {
        let Some(k) = i.checked_sub(back) else {
            return false;
        };
        if words.words.get(k + 1).is_some_and(|w| w.break_before) {
            return false;
        }
        // Two words back any negation counts; further back only a negated modal verb, whose
        // scope is the rest of the clause («не буду вас грузить ценами», «не могу записать»).
        if is_negation(words.get(k)) && (back <= 2 || is_modal(words.get(k + 1))) {
            return true;
        }
    }
    false
}

/// Russian modal and auxiliary verbs that carry a negation over the verb after them.
fn is_modal(word: &str) -> bool {
    matches!(
        word,
        "буду"
            | "будем"
            | "будет"
            | "могу"
            | "можем"
            | "может"
            | "стану"
            | "станем"
            | "хочу"
            | "хотим"
            | "планируем"
            | "собираюсь"
            | "собираемся"
    )
}

/// How many words (of three letters or more) after a phrase a negation still takes it back.
const NEGATION_AFTER: usize = 4;

/// Whether a negation follows the phrase ending before word `end` in the same sentence, within
/// [`NEGATION_AFTER`] words: «в салон пока не приглашаю», «тест-драйв, к сожалению, сейчас не
/// проводим», «про бюджет сейчас не буду спрашивать». A question is not a refusal («тест-драйв
/// не хотите?» offers one).
fn refused(words: &Words, end: usize) -> bool {
    let mut counted = 0;
    for j in end..words.len() {
        let Some(w) = words.words.get(j) else {
            return false;
        };
        if w.sentence_before || counted >= NEGATION_AFTER {
            return false;
        }
        let form = words.get(j);
        if matches!(form, "не" | "нет" | "not") {
            return !question(words, j);
        }
        // A conjunction starts another clause: «дорого, но не далеко».
        if matches!(
            form,
            "но" | "а" | "и" | "или" | "зато" | "однако" | "хотя" | "but" | "and" | "or"
        ) {
            return false;
        }
        if form.chars().count() > 2 {
            counted += 1;
        }
    }
    false
}

/// Whether the sentence around word `i` ends with a question mark.
fn question(words: &Words, i: usize) -> bool {
    for j in i..words.len() {
        if words.words.get(j).is_some_and(|w| w.question_after) {
            return true;
        }
        if words.words.get(j + 1).is_some_and(|w| w.sentence_before) {
            return false;
        }
    }
    false
}

/// Every string obtained by deleting one character.
fn deletion_keys(form: &str) -> Vec<String> {
    let mut keys: Vec<String> = form
        .char_indices()
        .map(|(i, c)| {
            let mut s = String::with_capacity(form.len());
            s.push_str(form.get(..i).unwrap_or(""));
            s.push_str(form.get(i + c.len_utf8()..).unwrap_or(""));
            s
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occurrences(lang: Language, phrase: &str, text: &str) -> usize {
        let mut set = PhraseSet::new(&lang);
        let id = set.add(phrase).unwrap();
        set.finish();
        let found = set.find_all(&[Words::new(text)]);
        found[id as usize].len()
    }

    #[test]
    fn matches_on_stems_case_and_yo() {
        assert_eq!(
            occurrences(Language::Ru, "квартира", "Хочу КВАРТИРУ в центре"),
            1
        );
        assert_eq!(
            occurrences(Language::Ru, "всё понятно", "все понятно, спасибо"),
            1
        );
    }

    #[test]
    fn matches_long_words_at_edit_distance_one_only() {
        assert_eq!(
            occurrences(Language::Ru, "ипотека", "одобрят ли ипатеку"),
            1
        );
        assert_eq!(occurrences(Language::Ru, "квартира", "нужна квортира"), 1);
        assert_eq!(occurrences(Language::Ru, "район", "какой раойн"), 1);
        assert_eq!(occurrences(Language::Ru, "дом", "дым"), 0);
        assert_eq!(occurrences(Language::Ru, "окно", "окна"), 1);
        assert_eq!(occurrences(Language::Ru, "торг", "тарг"), 0);
        assert_eq!(occurrences(Language::Ru, "квартира", "квортыра"), 0);
        assert_eq!(occurrences(Language::En, "thank you", "i think so"), 0);
    }

    #[test]
    fn allows_one_extra_word_inside_a_phrase() {
        assert_eq!(occurrences(Language::Ru, "срок сдачи", "срок у сдачи"), 1);
        assert_eq!(
            occurrences(Language::Ru, "срок сдачи", "срок этой их сдачи"),
            0
        );
        assert_eq!(
            occurrences(
                Language::Ru,
                "когда дом сдается",
                "когда этот дом у сдается"
            ),
            0
        );
    }

    #[test]
    fn ignores_phrases_after_a_negation_in_the_same_clause() {
        assert_eq!(occurrences(Language::Ru, "подходит", "мне не подходит"), 0);
        assert_eq!(
            occurrences(Language::Ru, "подходит", "нет, это подходит"),
            1
        );
        assert_eq!(
            occurrences(Language::Ru, "не подходит", "мне не подходит"),
            1
        );
        assert_eq!(occurrences(Language::En, "sure", "i am not really sure"), 0);
    }

    #[test]
    fn tolerates_asr_splits_and_merges() {
        let mut set = PhraseSet::new(&Language::En);
        set.add("all right");
        set.finish();
        assert_eq!(occurrences(Language::En, "alright", "all right then"), 1);
        assert_eq!(occurrences(Language::En, "all right", "alright then"), 1);
        assert_eq!(occurrences(Language::En, "goodbye", "good bye"), 1);
    }

    #[test]
    fn counts_repeated_occurrences() {
        assert_eq!(
            occurrences(Language::Ru, "спасибо", "спасибо, большое спасибо"),
            2
        );
    }
}

#[cfg(test)]
mod key_filter_tests {
    use super::*;

    #[test]
    fn deletion_hashes_equal_the_hashes_of_the_deletion_forms() {
        for word in ["квартира", "all", "ипотека", "ёлка", "a"] {
            let chars: Vec<char> = word.chars().collect();
            let mut seen = Vec::new();
            deletion_hashes(&chars, &mut Vec::new(), |i, h| seen.push((i, h)));
            assert_eq!(seen.len(), chars.len());
            for (i, h) in seen {
                let mut buf = String::new();
                assert_eq!(
                    h,
                    KeyFilter::hash(without_char(word, i, &mut buf)),
                    "{word} {i}"
                );
            }
        }
    }
}
