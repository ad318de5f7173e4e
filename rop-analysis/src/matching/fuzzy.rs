//! The fuzzy index's helpers: a Bloom filter of deletion keys and the O(1) hashes of a word's
//! one-deletion forms (symmetric-delete lookups for edit distance 1).

/// A Bloom filter of strings (two bits per key in 2^16; no false negatives), keyed by a
/// polynomial hash over the characters so that the hashes of all one-deletion forms of a word
/// come in O(1) each from its prefix hashes ([`deletion_hashes`]), without building the forms.
#[derive(Debug)]
pub(super) struct KeyFilter(Vec<u64>);

/// The multiplier of [`KeyFilter`]'s polynomial hash (odd, large).
const POLY: u64 = 0x0000_0100_0000_01B3;

/// One character's value in the polynomial hash (never 0).
fn poly_char(c: char) -> u64 {
    u64::from(c) + 1
}

impl KeyFilter {
    const BITS: u64 = 1 << 16;

    pub(super) fn new() -> Self {
        Self(vec![0; (Self::BITS / 64) as usize])
    }

    /// The polynomial hash of `key`.
    pub(super) fn hash(key: &str) -> u64 {
        key.chars()
            .fold(0u64, |h, c| h.wrapping_mul(POLY).wrapping_add(poly_char(c)))
    }

    fn bits(hash: u64) -> [u64; 2] {
        let h = hash.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        [(h >> 48) % Self::BITS, (h >> 16) % Self::BITS]
    }

    pub(super) fn insert(&mut self, key: &str) {
        for b in Self::bits(Self::hash(key)) {
            if let Some(w) = self.0.get_mut((b / 64) as usize) {
                *w |= 1 << (b % 64);
            }
        }
    }

    /// Whether a key with this polynomial hash may have been inserted.
    pub(super) fn may_contain(&self, hash: u64) -> bool {
        Self::bits(hash).iter().all(|b| {
            self.0
                .get((b / 64) as usize)
                .is_some_and(|w| w & (1 << (b % 64)) != 0)
        })
    }
}

/// Calls `f(i, hash)` with the polynomial hash ([`KeyFilter`]) of `chars` without character
/// `i`, for every `i`, in O(1) each; `prefix` is scratch space.
pub(super) fn deletion_hashes(
    chars: &[char],
    prefix: &mut Vec<u64>,
    mut f: impl FnMut(usize, u64),
) {
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

/// Buffers [`super::PhraseSet::lookup`] reuses from one word to the next (no allocation per word).
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) key: String,
    pub(super) prefix: Vec<u64>,
    pub(super) form_chars: Vec<char>,
    pub(super) stem_chars: Vec<char>,
}

/// `form` without its character number `i`, built in `buf`.
pub(super) fn without_char<'b>(form: &str, i: usize, buf: &'b mut String) -> &'b str {
    buf.clear();
    for (k, c) in form.chars().enumerate() {
        if k != i {
            buf.push(c);
        }
    }
    buf
}

/// The bit of a key of `chars` characters in a length mask (127 stands for 127 and more).
pub(super) fn len_bit(chars: usize) -> u128 {
    1u128 << chars.min(127)
}

/// Every string obtained by deleting one character.
pub(super) fn deletion_keys(form: &str) -> Vec<String> {
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
