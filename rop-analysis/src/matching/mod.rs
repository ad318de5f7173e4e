//! Phrase matching, compiled once per checklist or table (docs/formats.md «How a phrase matches»).
//!
//! A [`PhraseSet`] holds every phrase of a checklist: each distinct phrase word is stemmed once
//! (Snowball for the checklist's language) and indexed by stem and by its one-deletion
//! neighbourhood (symmetric-delete, for edit distance 1 on words of five letters or more).
//! Scoring stems each *distinct* transcript word once (a per-thread cache kept across calls,
//! [`cache`]), looks its phrase-word ids up, and walks phrase starts; the checklist is never
//! re-stemmed.
//!
//! Rules, the same for every phrase:
//! - case-insensitive, NFC, `ё` = `е`, punctuation ignored ([`Words`]);
//! - word by word on stems, or (Russian) on lemmas: a transcript word matches a phrase word when
//!   a dictionary reading of each has the same lemma («мало даёте» ~ «мало дают», both
//!   «давать»; [`crate::morphology`]);
//! - or at edit distance 1 (Damerau: a swap of two neighbouring letters is one edit) when both
//!   words have five letters or more, or when both stems have six; not between two dictionary
//!   words of different lexemes («доброго» is no misspelling of «дорого»);
//! - a multi-word phrase tolerates one extra word in all between its words;
//! - an ASR split or merge is tolerated: a phrase word may match two adjacent transcript words
//!   written together (`all right` ~ `alright`), and two phrase words one transcript word;
//! - an occurrence one or two words after a negation (`не`, `нет`, `not`, `no`, and English
//!   `n't` contractions) does not count, unless the phrase itself starts with a negation; the
//!   look-back stops at clause punctuation (`Нет, квартира подходит` is not negated);
//! - an occurrence followed by a negation in its sentence is refused (`negation::refused`),
//!   unless a conjunction or a subordinate clause («…, чтобы не ломалось») comes first.

mod cache;
mod fuzzy;
mod negation;

use crate::text::Words;
use crate::transcript::Language;
use fuzzy::{KeyFilter, Scratch, deletion_hashes, deletion_keys, len_bit, without_char};
use negation::{is_negation, negated, refused};
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Index of a phrase inside its [`PhraseSet`].
pub(crate) type PhraseId = u32;

/// The stemmer of a language (none for unknown languages: words match as written), and
/// whether its words are also looked up in a morphological dictionary (Russian).
pub(crate) struct Stemming(Option<Stemmer>, bool);

impl Stemming {
    pub(crate) fn new(language: &Language) -> Self {
        match language {
            Language::Ru => Self(Some(Stemmer::create(Algorithm::Russian)), true),
            Language::En => Self(Some(Stemmer::create(Algorithm::English)), false),
            Language::Other(_) => Self(None, false),
        }
    }

    /// The lemmas of a word's dictionary readings (none when the language has no dictionary or
    /// the word is not in it).
    pub(crate) fn lemmas(&self, word: &str) -> Vec<Box<str>> {
        if self.1 {
            crate::morphology::lemmas(word)
        } else {
            Vec::new()
        }
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
    /// The lemmas of its dictionary readings; empty when it is not a dictionary word.
    lemmas: Box<[Box<str>]>,
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
    /// Lemma → the phrase words one of whose dictionary readings has it.
    by_lemma: HashMap<Box<str>, Vec<u32>>,
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
    /// Names this set's state in the per-thread word cache ([`cache`]); renewed on every change.
    id: u64,
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
            by_lemma: HashMap::default(),
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
            id: cache::next_set_id(),
        }
    }

    /// Adds a phrase (or finds the identical one) and returns its id; `None` when it has no words.
    pub(crate) fn add(&mut self, phrase: &str) -> Option<PhraseId> {
        self.id = cache::next_set_id();
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
        let lemmas = self.stemming.lemmas(form);
        for lemma in &lemmas {
            let list = self.by_lemma.entry(lemma.clone()).or_default();
            if !list.contains(&id) {
                list.push(id);
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
            lemmas: lemmas.into_boxed_slice(),
            imperative: is_imperative(form),
        });
        self.word_ids.insert(form.into(), id);
        self.starts.push(Vec::new());
        id
    }

    /// Call once all phrases are added: indexes adjacent phrase-word pairs written together
    /// (for ASR merges) and the prefixes of phrase words (for ASR splits).
    pub(crate) fn finish(&mut self) {
        self.id = cache::next_set_id();
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
        let lemmas = if self.by_lemma.is_empty() {
            Vec::new()
        } else {
            self.stemming.lemmas(form)
        };
        if let Some(ids) = self.by_stem.get(&*stem) {
            out.extend_from_slice(ids);
        }
        for lemma in &lemmas {
            for &id in self.by_lemma.get(lemma).map_or(&[][..], Vec::as_slice) {
                if !out.get(start..).is_some_and(|s| s.contains(&id)) {
                    out.push(id);
                }
            }
        }
        let check = |ids: &Vec<u32>, out: &mut Vec<u32>, by_stem: bool| {
            for &id in ids {
                if out.get(start..).is_some_and(|s| s.contains(&id)) {
                    continue;
                }
                let Some(p) = self.words.get(id as usize) else {
                    continue;
                };
                // Edit distance stands for a misheard or misspelt word, which a correctly
                // spelt word of another lexeme is not.
                if crate::morphology::different_lexemes(&lemmas, &p.lemmas) {
                    continue;
                }
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
            if lens & len_bit(chars) != 0
                && let Some(ids) = self.by_deletion.get(form)
            {
                check(ids, out, false);
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
            if lens & len_bit(stem_chars.len()) != 0
                && let Some(ids) = self.by_stem_deletion.get(&*stem)
            {
                check(ids, out, true);
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
        let found: Vec<Vec<Occurrence>> = vec![Vec::new(); self.phrases.len()];
        if self.phrases.is_empty() {
            return found;
        }
        cache::with_cache(self.id, |cache| {
            self.find_all_cached(utterances, cache, found)
        })
    }

    /// [`Self::find_all`] with this thread's word cache.
    fn find_all_cached(
        &self,
        utterances: &[Words],
        cache: &mut cache::WordCache,
        mut found: Vec<Vec<Occurrence>>,
    ) -> Vec<Vec<Occurrence>> {
        let cache::WordCache {
            entries,
            pairs,
            pool,
        } = cache;
        let mut single: Vec<(u32, u32)> = Vec::new();
        let mut merged: Vec<(u32, u32)> = Vec::new();
        let mut ids: Vec<(u32, bool)> = Vec::new();
        let mut candidates: Vec<(PhraseId, usize, usize)> = Vec::new();
        let mut scratch = Scratch::default();
        let mut joined = String::new();
        for (u, words) in (0u32..).zip(utterances) {
            single.clear();
            merged.clear();
            ids.clear();
            for form in words.iter() {
                let e = match entries.get(form) {
                    Some(&e) => e,
                    None => {
                        let s = pool.len();
                        self.lookup(form, pool, &mut scratch);
                        let e = cache::Entry {
                            id: to_u32(entries.len()),
                            start: to_u32(s),
                            end: to_u32(pool.len()),
                            split: self.may_be_split(form),
                        };
                        entries.insert(form.into(), e);
                        e
                    }
                };
                single.push((e.start, e.end));
                ids.push((e.id, e.split));
            }
            for (i, &(a, split)) in ids.iter().enumerate() {
                let mut m = (0, 0);
                if let (true, Some(&(b, _))) = (split, ids.get(i + 1)) {
                    m = *pairs.entry((a, b)).or_insert_with(|| {
                        let s = pool.len();
                        joined.clear();
                        joined.push_str(words.get(i));
                        joined.push_str(words.get(i + 1));
                        self.lookup(&joined, pool, &mut scratch);
                        (to_u32(s), to_u32(pool.len()))
                    });
                }
                merged.push(m);
            }
            let view = View {
                single: &single,
                merged: &merged,
                pool,
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

#[cfg(test)]
mod tests;
