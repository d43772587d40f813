//! `Subset`: a set of chosen items out of `n`, stored as a bitset of 64-bit words.
//!
//! The point type of subset selection. Membership tests, flips and the size
//! (`count`, a popcount over `⌈n/64⌉` words) are cheap for tens of thousands of items, and
//! bit-wise mutation draws a geometric gap to the next flipped bit instead of one random
//! number per item, so a mutation costs about two random draws whatever `n` is.

use std::fmt;

use serde::{Deserialize, Serialize};
use zoo_core::{Solution, ZooRng};

use crate::error::SubsetError;

const WORD: usize = 64;

/// A subset of the items `0..n`, as a bitset.
///
/// ```
/// use zoo_subset::Subset;
/// let mut s = Subset::from_indices(100, [3, 70])?;
/// s.flip(5);
/// assert_eq!(s.count(), 3);
/// assert_eq!(s.iter().collect::<Vec<_>>(), [3, 5, 70]);
/// assert!(s.contains(70) && !s.contains(4));
/// # Ok::<(), zoo_subset::SubsetError>(())
/// ```
///
/// It serialises as the number of items and the list of chosen indices
/// (`{"n":100,"items":[3,5,70]}`), which stays short for sparse sets and readable in
/// checkpoints; deserialisation checks the indices.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "Repr", try_from = "Repr")]
pub struct Subset {
    n: usize,
    // Bits at positions ≥ n are always zero, so word-wise equality and popcount are exact.
    words: Vec<u64>,
}

#[derive(Serialize, Deserialize)]
struct Repr {
    n: usize,
    items: Vec<usize>,
}

impl From<Subset> for Repr {
    fn from(s: Subset) -> Repr {
        Repr {
            n: s.n,
            items: s.iter().collect(),
        }
    }
}

impl TryFrom<Repr> for Subset {
    type Error = SubsetError;

    fn try_from(r: Repr) -> Result<Subset, SubsetError> {
        // Checked before the bit set is allocated: a damaged `n` must not abort.
        check_items(r.n)?;
        Subset::from_indices(r.n, r.items)
    }
}

/// The most items a subset selection may have: 2^32, a bit set of 512 MiB.
pub const MAX_ITEMS: usize = 1 << 32;

/// `n` as a number of items of a subset selection: `1..=MAX_ITEMS`.
pub(crate) fn check_items(n: usize) -> Result<(), SubsetError> {
    if n == 0 {
        return Err(SubsetError::NoItems);
    }
    if n > MAX_ITEMS {
        return Err(SubsetError::TooManyItems { n, max: MAX_ITEMS });
    }
    Ok(())
}

impl Subset {
    /// The empty subset of `n` items.
    pub fn empty(n: usize) -> Subset {
        Subset {
            n,
            words: vec![0; n.div_ceil(WORD)],
        }
    }

    /// The subset holding all `n` items.
    pub fn full(n: usize) -> Subset {
        let mut s = Subset {
            n,
            words: vec![u64::MAX; n.div_ceil(WORD)],
        };
        s.clear_tail();
        s
    }

    /// The subset of `n` items holding `indices` (repeats are harmless).
    pub fn from_indices(n: usize, indices: impl IntoIterator<Item = usize>) -> Result<Subset, SubsetError> {
        let mut s = Subset::empty(n);
        for index in indices {
            if index >= n {
                return Err(SubsetError::IndexOutOfRange { index, n });
            }
            s.insert(index);
        }
        Ok(s)
    }

    /// The subset whose item `i` is chosen when `chosen[i]` is `true`.
    pub fn from_bools(chosen: &[bool]) -> Subset {
        let mut s = Subset::empty(chosen.len());
        for (i, _) in chosen.iter().enumerate().filter(|(_, c)| **c) {
            s.insert(i);
        }
        s
    }

    /// The number of items the subset chooses from (`n`).
    #[inline]
    pub fn universe(&self) -> usize {
        self.n
    }

    /// The number of chosen items, `|s|`.
    #[inline]
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// `true` when no item is chosen.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    /// Whether item `i` is chosen.
    ///
    /// # Panics
    /// If `i ≥ n`, like slice indexing.
    #[inline]
    pub fn contains(&self, i: usize) -> bool {
        self.check(i);
        self.words[i / WORD] >> (i % WORD) & 1 == 1
    }

    /// Chooses item `i`; returns `true` if it was not chosen before.
    ///
    /// # Panics
    /// If `i ≥ n`.
    #[inline]
    pub fn insert(&mut self, i: usize) -> bool {
        self.check(i);
        let (w, bit) = (i / WORD, 1u64 << (i % WORD));
        let was = self.words[w] & bit != 0;
        self.words[w] |= bit;
        !was
    }

    /// Drops item `i`; returns `true` if it was chosen.
    ///
    /// # Panics
    /// If `i ≥ n`.
    #[inline]
    pub fn remove(&mut self, i: usize) -> bool {
        self.check(i);
        let (w, bit) = (i / WORD, 1u64 << (i % WORD));
        let was = self.words[w] & bit != 0;
        self.words[w] &= !bit;
        was
    }

    /// Chooses item `i` if it was not chosen, drops it otherwise.
    ///
    /// # Panics
    /// If `i ≥ n`.
    #[inline]
    pub fn flip(&mut self, i: usize) {
        self.check(i);
        self.words[i / WORD] ^= 1u64 << (i % WORD);
    }

    /// The chosen indices in increasing order.
    pub fn iter(&self) -> Indices<'_> {
        Indices {
            words: &self.words,
            word: 0,
            bits: self.words.first().copied().unwrap_or(0),
        }
    }

    /// The chosen indices, in increasing order, collected.
    pub fn to_vec(&self) -> Vec<usize> {
        self.iter().collect()
    }

    /// The bitset's words, item `i` being bit `i % 64` of word `i / 64`.
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// Number of items chosen in both subsets, `|s ∩ t|`.
    ///
    /// # Panics
    /// If the two subsets have different universes.
    pub fn intersection_count(&self, other: &Subset) -> usize {
        self.same_universe(other);
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }

    /// Number of items chosen in exactly one of the subsets (the Hamming distance).
    ///
    /// # Panics
    /// If the two subsets have different universes.
    pub fn hamming(&self, other: &Subset) -> usize {
        self.same_universe(other);
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| (a ^ b).count_ones() as usize)
            .sum()
    }

    /// `true` when every item of `self` is also in `other`.
    ///
    /// # Panics
    /// If the two subsets have different universes.
    pub fn is_subset_of(&self, other: &Subset) -> bool {
        self.same_universe(other);
        self.words.iter().zip(&other.words).all(|(a, b)| a & !b == 0)
    }

    /// A copy with bit-wise mutation applied: every item is flipped independently with
    /// probability `1/n`, and when that flips nothing, one item drawn uniformly is
    /// flipped, so the result always differs from `self`.
    ///
    /// The second rule is ZOOpt's and POSS's implementation choice, not the textbook
    /// operator: it moves the chance of an unchanged copy, `(1 − 1/n)^n ≈ 1/e`, onto
    /// single flips, so no evaluation is wasted on a duplicate of the parent.
    ///
    /// The flipped positions are found by drawing geometric gaps between them, which has
    /// exactly the distribution of `n` independent coin flips but costs about two random
    /// draws per call instead of `n`.
    ///
    /// # Panics
    /// If `n = 0`.
    pub fn mutate(&self, rng: &mut ZooRng) -> Subset {
        let mut child = self.clone();
        child.mutate_in_place(rng);
        child
    }

    /// [`Subset::mutate`] in place.
    ///
    /// # Panics
    /// If `n = 0`.
    pub fn mutate_in_place(&mut self, rng: &mut ZooRng) {
        let n = self.n;
        assert!(n > 0, "cannot mutate a subset of zero items");
        if n == 1 {
            self.flip(0);
            return;
        }
        // With p = 1/n, the number of unflipped items before the next flip is geometric:
        // P(gap = g) = (1-p)^g p, drawn by inversion as ⌊ln U / ln(1-p)⌋.
        let log_keep = (-1.0 / n as f64).ln_1p();
        let mut pos = 0usize;
        let mut flipped = false;
        loop {
            // 1 - unit() lies in (0, 1], so the logarithm is finite and ≤ 0.
            let gap = ((1.0 - rng.unit()).ln() / log_keep).floor();
            if gap >= (n - pos) as f64 {
                break;
            }
            pos += gap as usize;
            self.flip(pos);
            flipped = true;
            pos += 1;
            if pos >= n {
                break;
            }
        }
        if !flipped {
            self.flip(rng.index(n));
        }
    }

    #[inline]
    fn check(&self, i: usize) {
        assert!(i < self.n, "item {i} outside a subset of {} items", self.n);
    }

    fn same_universe(&self, other: &Subset) {
        assert_eq!(
            self.n, other.n,
            "subsets of {} and {} items cannot be compared",
            self.n, other.n
        );
    }

    fn clear_tail(&mut self) {
        let rem = self.n % WORD;
        if rem != 0
            && let Some(last) = self.words.last_mut()
        {
            *last &= (1u64 << rem) - 1;
        }
    }
}

impl Solution for Subset {
    type View = Subset;

    fn view(&self) -> &Subset {
        self
    }
}

impl fmt::Debug for Subset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Subset(n={}, ", self.n)?;
        f.debug_set().entries(self.iter()).finish()?;
        f.write_str(")")
    }
}

impl fmt::Display for Subset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Subset {
    type Item = usize;
    type IntoIter = Indices<'a>;

    fn into_iter(self) -> Indices<'a> {
        self.iter()
    }
}

/// The chosen indices of a [`Subset`], in increasing order.
#[derive(Debug, Clone)]
pub struct Indices<'a> {
    words: &'a [u64],
    word: usize,
    bits: u64,
}

impl Iterator for Indices<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.bits == 0 {
            self.word += 1;
            self.bits = *self.words.get(self.word)?;
        }
        let bit = self.bits.trailing_zeros() as usize;
        // Clear the lowest set bit.
        self.bits &= self.bits - 1;
        Some(self.word * WORD + bit)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn insert_remove_flip_and_count() {
        let mut s = Subset::empty(130);
        assert!(s.is_empty());
        assert!(s.insert(0));
        assert!(!s.insert(0));
        assert!(s.insert(64));
        assert!(s.insert(129));
        s.flip(7);
        s.flip(7);
        s.flip(100);
        assert_eq!(s.count(), 4);
        assert_eq!(s.to_vec(), [0, 64, 100, 129]);
        assert!(s.remove(64));
        assert!(!s.remove(64));
        assert_eq!(s.to_vec(), [0, 100, 129]);
        assert!(!s.is_empty());
    }

    #[test]
    fn full_set_keeps_bits_past_n_clear() {
        for n in [1, 63, 64, 65, 200] {
            let full = Subset::full(n);
            assert_eq!(full.count(), n);
            assert_eq!(full.iter().last(), Some(n - 1));
            let mut built = Subset::empty(n);
            (0..n).for_each(|i| {
                built.insert(i);
            });
            assert_eq!(full, built, "n = {n}");
        }
    }

    #[test]
    fn iterates_across_words_and_empty_words() {
        let idx = [1, 63, 64, 300, 9_999];
        let s = Subset::from_indices(10_000, idx).unwrap();
        assert_eq!(s.iter().collect::<Vec<_>>(), idx);
        assert_eq!(Subset::empty(10_000).iter().count(), 0);
        assert_eq!(Subset::empty(0).iter().count(), 0);
    }

    #[test]
    fn rejects_out_of_range_indices() {
        assert_eq!(
            Subset::from_indices(10, [3, 10]),
            Err(SubsetError::IndexOutOfRange { index: 10, n: 10 })
        );
    }

    #[test]
    #[should_panic(expected = "outside a subset")]
    fn contains_panics_past_the_universe() {
        Subset::empty(64).contains(64);
    }

    #[test]
    fn set_relations() {
        let a = Subset::from_indices(70, [1, 2, 65]).unwrap();
        let b = Subset::from_indices(70, [2, 65, 69]).unwrap();
        assert_eq!(a.intersection_count(&b), 2);
        assert_eq!(a.hamming(&b), 2);
        assert!(Subset::from_indices(70, [2]).unwrap().is_subset_of(&a));
        assert!(!a.is_subset_of(&b));
        assert_eq!(Subset::from_bools(&[true, false, true]).to_vec(), [0, 2]);
    }

    #[test]
    fn serde_round_trip_as_index_list() {
        let s = Subset::from_indices(100, [3, 5, 70]).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"n":100,"items":[3,5,70]}"#);
        let back: Subset = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        assert!(serde_json::from_str::<Subset>(r#"{"n":4,"items":[4]}"#).is_err());
    }

    #[test]
    fn mutation_always_changes_the_set() {
        let mut rng = ZooRng::seed_from(1);
        for n in [1, 2, 5, 60, 1_000] {
            let s = Subset::empty(n);
            for _ in 0..500 {
                assert!(s.mutate(&mut rng).hamming(&s) >= 1, "n = {n}");
            }
        }
    }

    #[test]
    fn mutation_flips_each_bit_with_probability_about_one_over_n() {
        // Per item, P(flip) = 1/n + P(no flip at all)·1/n = (1 + (1-1/n)^n) / n; the
        // number of flips is 1 w.p. ≈ 2/e, 2 w.p. ≈ 1/(2e), mean ≈ 1 + 1/e.
        let n = 50;
        let trials = 40_000;
        let mut rng = ZooRng::seed_from(4);
        let parent = Subset::empty(n);
        let mut per_item = vec![0usize; n];
        let mut sizes = [0usize; 4];
        for _ in 0..trials {
            let child = parent.mutate(&mut rng);
            child.iter().for_each(|i| per_item[i] += 1);
            sizes[child.count().min(3)] += 1;
        }
        let expected = (1.0 + (1.0 - 1.0 / n as f64).powi(n as i32)) / n as f64;
        for (i, &c) in per_item.iter().enumerate() {
            let freq = c as f64 / trials as f64;
            assert!(
                (freq - expected).abs() < 0.25 * expected,
                "item {i}: {freq} vs {expected}"
            );
        }
        assert_eq!(sizes[0], 0);
        let one = sizes[1] as f64 / trials as f64;
        let two = sizes[2] as f64 / trials as f64;
        let e = std::f64::consts::E;
        assert!((one - 2.0 / e).abs() < 0.02, "one flip: {one}");
        assert!((two - 1.0 / (2.0 * e)).abs() < 0.02, "two flips: {two}");
    }

    #[test]
    fn mutation_is_cheap_and_sparse_for_ten_thousand_items() {
        let mut rng = ZooRng::seed_from(2);
        let mut s = Subset::from_indices(10_000, [5, 9_000]).unwrap();
        let mut total = 0;
        for _ in 0..10_000 {
            let child = s.mutate(&mut rng);
            total += child.hamming(&s);
            s = child;
        }
        let mean = total as f64 / 10_000.0;
        assert!(
            (mean - (1.0 + 1.0 / std::f64::consts::E)).abs() < 0.05,
            "mean flips {mean}"
        );
    }

    #[test]
    fn mutation_is_reproducible_for_a_seed() {
        let s = Subset::from_indices(300, [1, 2, 3]).unwrap();
        let run = |seed| {
            let mut rng = ZooRng::seed_from(seed);
            (0..20).map(|_| s.mutate(&mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(run(8), run(8));
        assert_ne!(run(8), run(9));
    }
}
