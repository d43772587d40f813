//! The training set shared by RACOS and SRACOS: random initial solutions, the positive
//! and negative sets, and proposals that are new points.

use serde::{Deserialize, Serialize};
use zoo_core::{ConfigError, Evaluated, Kind, Space, StateError, ZooRng, ranked};

use crate::classifier::Shrinker;
use crate::config::RacosConfig;

type Solution = Evaluated<Vec<f64>>;

/// Draws from one learned box before a new, wider one is learned.
const RELEARN_EVERY: usize = 10;

/// A set of fingerprints as an increasing sequence.
fn sorted<S: serde::Serializer>(
    set: &std::collections::HashSet<u64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut prints: Vec<u64> = set.iter().copied().collect();
    prints.sort_unstable();
    prints.serialize(serializer)
}

/// Largest space whose points are listed to find the last unseen ones (a listing reads
/// every point once, and happens only when random draws keep landing on known points).
const LIST_UP_TO: u128 = 1 << 20;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Training {
    pub(crate) space: Space,
    pub(crate) config: RacosConfig,
    pub(crate) uncertain_bits: usize,
    /// Solutions told before the sets are formed.
    initial: Vec<Solution>,
    /// The best `positive_size` solutions, ascending by value.
    pub(crate) positive: Vec<Solution>,
    /// The rest of the training set.
    pub(crate) negative: Vec<Solution>,
    /// Points asked and not yet told, with their fingerprints: a new proposal must differ
    /// from them too.
    pending: Vec<(u64, Vec<f64>)>,
    /// Fingerprints of every point told, so that no point is proposed twice (ZOOpt only
    /// avoids the current training set, and re-evaluates the same points many times on
    /// small discrete spaces). Eight bytes per evaluation. Written in increasing order, so
    /// that one state always serialises to the same bytes.
    #[serde(serialize_with = "sorted")]
    seen: std::collections::HashSet<u64>,
    /// Scratch memory; always reset between proposals, so it is not part of the state.
    #[serde(skip)]
    shrinker: Shrinker,
}

impl Training {
    pub(crate) fn new(space: Space, mut config: RacosConfig) -> Result<Self, ConfigError> {
        let uncertain_bits = config.validate(&space)?;
        config.centre = config.centre.resolve(&space);
        Ok(Training {
            space,
            config,
            uncertain_bits,
            initial: Vec::new(),
            positive: Vec::new(),
            negative: Vec::new(),
            pending: Vec::new(),
            seen: Default::default(),
            shrinker: Shrinker::default(),
        })
    }

    /// Checks a deserialised training set against the constructor's rules and the
    /// invariants `propose`, `receive` and `collect` keep.
    pub(crate) fn check(&self) -> Result<(), StateError> {
        self.space.check()?;
        self.config.validate(&self.space)?;
        let n = self.space.len();
        StateError::ensure((1..=n).contains(&self.uncertain_bits), || {
            format!("{} uncertain bits for {n} dimensions", self.uncertain_bits)
        })?;
        let config = &self.config;
        if self.is_ready() {
            StateError::ensure(
                self.initial.is_empty()
                    && self.positive.len() <= config.positive_size
                    && self.positive.len() + self.negative.len() <= config.train_size,
                || "the positive and negative sets exceed their sizes".to_owned(),
            )?;
        } else {
            StateError::ensure(
                self.negative.is_empty() && self.initial.len() < config.train_size,
                || "the initial solutions exceed the training size".to_owned(),
            )?;
        }
        StateError::ensure(self.positive.is_sorted_by(|a, b| a.value <= b.value), || {
            "the positive set is not sorted by value".to_owned()
        })?;
        for (what, set) in [
            ("initial solution", &self.initial),
            ("positive solution", &self.positive),
            ("negative solution", &self.negative),
        ] {
            for (i, e) in set.iter().enumerate() {
                self.space.check_point(&e.x, || format!("{what} {i}"))?;
                StateError::ensure(!e.value.is_nan(), || format!("{what} {i} has a NaN value"))?;
            }
        }
        for (i, (print, x)) in self.pending.iter().enumerate() {
            self.space.check_point(x, || format!("pending point {i}"))?;
            StateError::ensure(*print == self.fingerprint(x), || {
                format!("pending point {i} has a wrong fingerprint")
            })?;
        }
        Ok(())
    }

    /// Whether `x` can be learned from: a point of the space's length without NaN (a
    /// direct `tell` of anything else is ignored rather than left to break the
    /// classifier; the run ledger refuses such warm starts with a typed error).
    pub(crate) fn accepts(&self, x: &[f64]) -> bool {
        x.len() == self.space.len() && !x.iter().any(|v| v.is_nan())
    }

    /// The positive and negative sets; before they exist, no positives and the initial
    /// solutions told so far.
    pub(crate) fn sets(&self) -> TrainingSets<'_> {
        if self.is_ready() {
            (&self.positive, &self.negative)
        } else {
            (&[], &self.initial)
        }
    }

    /// `true` once the positive and negative sets exist.
    pub(crate) fn is_ready(&self) -> bool {
        !self.positive.is_empty()
    }

    pub(crate) fn best(&self) -> Option<&Solution> {
        if self.is_ready() {
            self.positive.first()
        } else {
            self.initial.iter().min_by(|a, b| a.value.total_cmp(&b.value))
        }
    }

    /// The fingerprint repeats are detected with: of the exact point, or of its cells
    /// under a duplicate tolerance.
    fn fingerprint(&self, x: &[f64]) -> u64 {
        let Some(width) = self.config.duplicate_tolerance else {
            return fingerprint(x);
        };
        let cells: Vec<f64> = x
            .iter()
            .zip(self.space.dims())
            .map(|(&v, d)| {
                if matches!(d.kind(), Kind::Continuous { decimals: None, .. }) {
                    (v / width).floor()
                } else {
                    v
                }
            })
            .collect();
        fingerprint(&cells)
    }

    fn is_known(&self, print: u64) -> bool {
        self.seen.contains(&print) || self.pending.iter().any(|(p, _)| *p == print)
    }

    /// A point never told nor pending; `None` when the space holds no such point or none
    /// was found within the retry limits.
    pub(crate) fn propose(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        let known = self.seen.len() + self.pending.len();
        if self.space.cardinality().is_some_and(|size| size <= known as u128) {
            return None;
        }
        // Until some value is finite, a box learnt from infinite values (an infeasible
        // region, an overflow) would keep the search where every value is infinite: draw
        // from the whole space instead.
        let from_box = self.is_ready() && self.positive.first().is_some_and(|p| p.value < f64::INFINITY);
        let mut centre = None;
        let mut found = None;
        for attempt in 0..self.config.max_retries {
            let x = if from_box && !rng.chance(self.config.exploration_rate) {
                // One box serves several draws; a fresh one is learned when draws keep
                // landing on known points.
                if attempt % RELEARN_EVERY == 0 {
                    self.shrinker.reset(&self.space);
                    centre = None;
                }
                let at = *centre.get_or_insert_with(|| {
                    self.shrinker.learn_box(
                        &self.space,
                        &self.positive,
                        &self.negative,
                        self.config.centre,
                        rng,
                    )
                });
                // Each new box re-samples one more coordinate: when the neighbourhood of
                // the centre is used up, the search widens gradually instead of stalling.
                let bits = self.uncertain_bits + attempt / RELEARN_EVERY;
                // Index: `learn_box` returns a position of the non-empty positive set.
                self.shrinker.draw(&self.space, &self.positive[at].x, bits, rng)
            } else {
                self.space.sample(rng)
            };
            let print = self.fingerprint(&x);
            if !self.is_known(print) {
                found = Some((print, x));
                break;
            }
        }
        self.shrinker.reset(&self.space);
        if let Some((print, x)) = found {
            self.pending.push((print, x.clone()));
            return Some(x);
        }
        // The box holds only known points: widen to the whole space before giving up.
        for _ in 0..self.config.max_retries {
            let x = self.space.sample(rng);
            let print = self.fingerprint(&x);
            if !self.is_known(print) {
                self.pending.push((print, x.clone()));
                return Some(x);
            }
        }
        // Random draws miss the last unseen points of a small space (one in 125 is missed
        // by 100 draws 45 % of the time): list the space, so that only a space without
        // an unseen point ends the run as exhausted.
        let x = self.unseen_by_listing(rng)?;
        let print = self.fingerprint(&x);
        self.pending.push((print, x.clone()));
        Some(x)
    }

    /// A uniform choice among the points never told nor pending, by listing every point
    /// of a space of at most [`LIST_UP_TO`] points; `None` when there is none or the
    /// space is larger.
    fn unseen_by_listing(&self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        let size = self.space.cardinality().filter(|&size| size <= LIST_UP_TO)?;
        let dims = self.space.dims();
        let radices: Vec<u128> = dims.iter().map(|d| d.cardinality()).collect::<Option<_>>()?;
        let mut chosen = None;
        let mut unseen = 0u64;
        for index in 0..size {
            let mut rest = index;
            let x: Vec<f64> = dims
                .iter()
                .zip(&radices)
                .map(|(d, &radix)| {
                    let k = rest % radix;
                    rest /= radix;
                    d.value_at(k)
                })
                .collect::<Option<_>>()?;
            if !self.is_known(self.fingerprint(&x)) {
                // Reservoir sampling: each unseen point is kept with probability 1/seen-so-far.
                unseen += 1;
                if rng.below(unseen) == 0 {
                    chosen = Some(x);
                }
            }
        }
        chosen
    }

    /// Whether `x` was proposed and not yet told.
    pub(crate) fn is_pending(&self, x: &[f64]) -> bool {
        self.pending.iter().any(|(_, p)| p == x)
    }

    /// Forgets `x` as pending and returns it as an evaluated solution.
    pub(crate) fn receive(&mut self, x: Vec<f64>, value: f64) -> Solution {
        // A told point is usually the one asked: reuse its fingerprint.
        let print = match self.pending.iter().position(|(_, p)| *p == x) {
            Some(i) => self.pending.swap_remove(i).0,
            None => self.fingerprint(&x),
        };
        self.seen.insert(print);
        Evaluated::new(x, ranked(value))
    }

    /// Collects an initial solution; forms the sets once the training size is reached.
    /// Returns the solution back when the sets already exist.
    pub(crate) fn collect(&mut self, solution: Solution) -> Option<Solution> {
        if self.is_ready() {
            return Some(solution);
        }
        self.initial.push(solution);
        if self.initial.len() >= self.config.train_size {
            let all = std::mem::take(&mut self.initial);
            self.form_sets(all);
        }
        None
    }

    /// Keeps the best `train_size` of `all`: the first `positive_size` are positive.
    pub(crate) fn form_sets(&mut self, mut all: Vec<Solution>) {
        all.sort_by(|a, b| a.value.total_cmp(&b.value));
        all.truncate(self.config.train_size);
        self.negative = all.split_off(self.config.positive_size.min(all.len()));
        self.positive = all;
    }
}

/// The positive and the negative set of a training set, borrowed.
pub type TrainingSets<'a> = (&'a [Evaluated<Vec<f64>>], &'a [Evaluated<Vec<f64>>]);

/// A 64-bit fingerprint of a point's exact coordinates. Points are snapped to their
/// dimension's precision before they are proposed, so equal points have equal bits. Each
/// coordinate goes through the SplitMix64 finaliser with its index, and the results are
/// summed; a collision only makes a new point look known, which costs one more draw.
fn fingerprint(x: &[f64]) -> u64 {
    let mut h: u64 = 0;
    for (k, v) in x.iter().enumerate() {
        // +0.0 and -0.0 are the same coordinate.
        let bits = if *v == 0.0 { 0 } else { v.to_bits() };
        h = h.wrapping_add(zoo_core::mix64(
            bits.wrapping_add((k as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
        ));
    }
    h
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn fingerprints_of_small_grids_do_not_collide() {
        let mut seen = std::collections::HashSet::new();
        for a in -20..=20 {
            for b in -20..=20 {
                for c in 0..4 {
                    assert!(seen.insert(fingerprint(&[f64::from(a), f64::from(b), f64::from(c)])));
                }
            }
        }
        assert_eq!(fingerprint(&[0.0, 1.0]), fingerprint(&[-0.0, 1.0]));
    }
}
