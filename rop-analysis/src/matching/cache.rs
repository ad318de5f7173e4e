//! What each transcript word matches, kept per thread across the calls scored with one
//! [`PhraseSet`](super::PhraseSet).
//!
//! A word's phrase-word ids depend only on the word and the phrase set, so a word seen in an
//! earlier call (or an adjacent pair written together, for ASR merges) is not stemmed or looked
//! up again. Calls of one office share most of their vocabulary; in a batch of 45-minute calls
//! most words, and most adjacent pairs, were seen before. The cache changes no result.

use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Past this many words and pairs a thread's cache of one phrase set starts afresh (≈ 100 MB at most).
const MAX_WORDS: usize = 1 << 20;
/// Past this many phrase sets used on one thread, every cache of that thread starts afresh.
const MAX_SETS: usize = 8;

static NEXT_SET: AtomicU64 = AtomicU64::new(1);

/// A number no other phrase set (or state of one) in this process has.
pub(super) fn next_set_id() -> u64 {
    NEXT_SET.fetch_add(1, Ordering::Relaxed)
}

/// A word's entry: its number in the cache, the range of its phrase-word ids in
/// [`WordCache::pool`], and whether it may be the first half of a split phrase word.
#[derive(Clone, Copy)]
pub(super) struct Entry {
    pub(super) id: u32,
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) split: bool,
}

/// Transcript word (or two adjacent words written together) → what it matches.
#[derive(Default)]
pub(super) struct WordCache {
    pub(super) entries: HashMap<Box<str>, Entry>,
    /// Two adjacent words (by [`Entry::id`]) → the range of the ids their concatenation matches.
    pub(super) pairs: HashMap<(u32, u32), (u32, u32)>,
    pub(super) pool: Vec<u32>,
}

thread_local! {
    static CACHES: RefCell<HashMap<u64, WordCache>> = RefCell::new(HashMap::default());
}

/// Runs `f` with this thread's cache for phrase set `set` (a fresh one if the cache is in use,
/// which a phrase set never does from inside `f`).
pub(super) fn with_cache<R>(set: u64, f: impl FnOnce(&mut WordCache) -> R) -> R {
    CACHES.with(|caches| match caches.try_borrow_mut() {
        Ok(mut caches) => {
            if caches.len() >= MAX_SETS && !caches.contains_key(&set) {
                caches.clear();
            }
            let cache = caches.entry(set).or_default();
            if cache.entries.len() + cache.pairs.len() > MAX_WORDS {
                *cache = WordCache::default();
            }
            f(cache)
        }
        Err(_) => f(&mut WordCache::default()),
    })
}
