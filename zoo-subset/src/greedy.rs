//! Greedy forward selection — the baseline subset selection is compared against.
//!
//! **Idea.** Start from the empty set; at each of `k` steps, evaluate every set obtained
//! by adding one unchosen item and keep the best. For sparse regression with the mean
//! squared error this is *forward regression* (FR), whose `1 − e^{−γ}` approximation
//! guarantee (γ the submodularity ratio) POSS matches.
//!
//! **References.** A. Das, D. Kempe, *Submodular meets Spectral: Greedy Algorithms for
//! Subset Selection, Sparse Approximation and Dictionary Selection*, ICML 2011; the
//! comparison in C. Qian, Y. Yu, Z.-H. Zhou, *Subset Selection by Pareto Optimization*,
//! NIPS 2015.

use serde::{Deserialize, Serialize};
use zoo_core::{Evaluated, Sampler, StateError, ZooRng, ranked};

use crate::archive;
use crate::error::SubsetError;
use crate::subset::{Subset, check_items};

/// Greedy forward selection of `k` of `n` items, as a [`Sampler`] over [`Subset`].
///
/// | knob | default | meaning | range |
/// | --- | --- | --- | --- |
/// | `n` | required | number of items | `≥ 1` |
/// | `k` | required | items to choose | `1 ≤ k ≤ n` |
/// | budget (set on [`zoo_core::Minimize`]) | [`Greedy::evaluations`]`(n, k) = kn − k(k−1)/2` | the run ends by exhaustion once `k` items are chosen | `≥ 1` |
///
/// Step `t` asks the chosen set plus each unchosen item in increasing order; once all of
/// them are asked and told, the best one (the first on ties) is kept. Under a parallel
/// driver `ask` returns `None` while the last candidates of a step are still being
/// evaluated, which [`zoo_core::Minimize`] treats as "wait". Asking after the last step returns `None`, so a run with a larger budget stops
/// with [`zoo_core::StopReason::Exhausted`]. [`Sampler::best`] is the lowest-loss set of at
/// most `k` items told so far (for a loss that decreases as items are added, such as the
/// regression error, the final greedy set).
///
/// ```
/// use zoo_core::{Minimize, Ledger, StopReason};
/// use zoo_subset::{Greedy, Subset};
///
/// let weight = |i: usize| ((i * 7) % 20) as f64;
/// let loss = |s: &Subset| -s.iter().map(weight).sum::<f64>();
/// let outcome = Minimize::new(loss, Greedy::new(20, 3)?).budget(1_000).run()?;
/// assert_eq!(outcome.best.value, -(19.0 + 18.0 + 17.0));
/// assert_eq!(outcome.evaluations, Greedy::evaluations(20, 3));
/// assert_eq!(outcome.stop, StopReason::Exhausted);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Greedy {
    n: usize,
    k: usize,
    chosen: Subset,
    /// The next item to try adding in the current step.
    cursor: usize,
    /// Candidates of the current step asked but not told yet.
    pending: usize,
    /// The best addition of the current step.
    step_best: Option<Addition>,
    best: Option<Evaluated<Subset>>,
}

/// An item added to the chosen set, and the loss of the result.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Addition {
    item: usize,
    #[serde(with = "zoo_core::float_serde")]
    loss: f64,
}

impl Greedy {
    /// Forward selection of `k` of `n` items.
    pub fn new(n: usize, k: usize) -> Result<Greedy, SubsetError> {
        check_items(n)?;
        if k == 0 || k > n {
            return Err(SubsetError::SizeLimit { k, n });
        }
        Ok(Greedy {
            n,
            k,
            chosen: Subset::empty(n),
            cursor: 0,
            pending: 0,
            step_best: None,
            best: None,
        })
    }

    /// Evaluations a full run takes: `n + (n − 1) + … + (n − k + 1)`.
    pub fn evaluations(n: usize, k: usize) -> u64 {
        let k = k.min(n) as u64;
        k * n as u64 - k * k.saturating_sub(1) / 2
    }

    /// The items chosen by the completed steps.
    pub fn chosen(&self) -> &Subset {
        &self.chosen
    }

    /// `true` once `k` items are chosen.
    pub fn is_done(&self) -> bool {
        self.chosen.count() >= self.k
    }
}

impl Sampler for Greedy {
    type Solution = Subset;

    fn ask(&mut self, _rng: &mut ZooRng) -> Option<Subset> {
        loop {
            if self.is_done() {
                return None;
            }
            while self.cursor < self.n && self.chosen.contains(self.cursor) {
                self.cursor += 1;
            }
            if self.cursor < self.n {
                let mut x = self.chosen.clone();
                x.insert(self.cursor);
                self.cursor += 1;
                self.pending += 1;
                return Some(x);
            }
            // Every candidate of the step was asked. A parallel driver may still be
            // evaluating some: wait for them (`None` now, more points after the tells).
            if self.pending > 0 {
                return None;
            }
            // Keep the best one. None told leaves nothing to build on.
            let Addition { item, .. } = self.step_best.take()?;
            self.chosen.insert(item);
            self.cursor = 0;
        }
    }

    fn tell(&mut self, x: Subset, value: f64) {
        // A subset of another universe cannot be learned from (the run ledger refuses
        // such warm starts with a typed error).
        if x.universe() != self.n {
            return;
        }
        let value = ranked(value);
        if x.count() == self.chosen.count() + 1 && self.chosen.is_subset_of(&x) {
            let added = x.iter().find(|&i| !self.chosen.contains(i));
            if added.is_some_and(|i| i < self.cursor) {
                self.pending = self.pending.saturating_sub(1);
            }
            if let Some(item) = added
                && self.step_best.as_ref().is_none_or(|b| value < b.loss)
            {
                self.step_best = Some(Addition { item, loss: value });
            }
        }
        if x.count() <= self.k && self.best.as_ref().is_none_or(|b| value < b.value) {
            self.best = Some(Evaluated::new(x, value));
        }
    }

    fn best(&self) -> Option<&Evaluated<Subset>> {
        self.best.as_ref()
    }

    fn check_state(&self) -> Result<(), StateError> {
        check_items(self.n).map_err(|e| StateError::inconsistent(e.to_string()))?;
        StateError::ensure((1..=self.n).contains(&self.k), || {
            format!("k = {} outside 1..={}", self.k, self.n)
        })?;
        archive::check_universe(&self.chosen, self.n, "the chosen set")?;
        // At most one pending candidate per item.
        StateError::ensure(
            self.chosen.count() <= self.k && self.cursor <= self.n && self.pending <= self.n,
            || "the chosen set, the cursor or the pending count is out of range".to_owned(),
        )?;
        if let Some(step) = &self.step_best {
            StateError::ensure(step.item < self.n && !step.loss.is_nan(), || {
                "the step's best addition is invalid".to_owned()
            })?;
        }
        zoo_core::check_kept(self, &self.best, "the best solution")
    }

    fn check_point(&self, x: &Subset, what: &str) -> Result<(), StateError> {
        archive::check_universe(x, self.n, what)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use zoo_core::{Ledger, Minimize, StopReason};

    use super::*;

    #[test]
    fn counts_its_evaluations() {
        assert_eq!(Greedy::evaluations(60, 8), 452);
        assert_eq!(Greedy::evaluations(5, 5), 15);
        assert_eq!(Greedy::evaluations(5, 1), 5);
    }

    #[test]
    fn rejects_bad_sizes() {
        assert!(Greedy::new(0, 1).is_err());
        assert!(Greedy::new(4, 0).is_err());
        assert!(Greedy::new(4, 5).is_err());
    }

    #[test]
    fn follows_the_greedy_path_and_is_exhausted() {
        // Loss with an interaction: {0, 1} together are best, but item 2 alone is best.
        let loss = |s: &Subset| {
            let has = |i| s.contains(i);
            let mut v = 10.0;
            if has(2) {
                v -= 3.0;
            }
            if has(0) && has(1) {
                v -= 5.0;
            }
            if has(0) || has(1) {
                v -= 1.0;
            }
            v + 0.01 * s.count() as f64
        };
        let outcome = Minimize::new(loss, Greedy::new(5, 2).unwrap())
            .budget(100)
            .run()
            .unwrap();
        assert_eq!(outcome.stop, StopReason::Exhausted);
        assert_eq!(outcome.evaluations, Greedy::evaluations(5, 2));
        // Greedy takes 2 first, then 0: it misses {0, 1}.
        assert_eq!(outcome.best.x.to_vec(), [0, 2]);
    }

    #[test]
    fn a_short_budget_recommends_the_best_so_far() {
        let loss = |s: &Subset| -(s.iter().sum::<usize>() as f64);
        let outcome = Minimize::new(loss, Greedy::new(10, 3).unwrap())
            .budget(12)
            .run()
            .unwrap();
        assert_eq!(outcome.stop, StopReason::Budget);
        // Step 1 chose item 9; step 2 tried {9, 0} and {9, 1}.
        assert_eq!(outcome.best.x.to_vec(), [1, 9]);
    }

    #[test]
    fn checkpoints_through_json() {
        let loss = |s: &Subset| -(s.iter().map(|i| (i * 13 % 17) as f64).sum::<f64>());
        let whole = Minimize::new(loss, Greedy::new(17, 4).unwrap())
            .budget(1_000)
            .run()
            .unwrap();
        let mut first = Minimize::new(loss, Greedy::new(17, 4).unwrap()).budget(1_000);
        first.advance(20).unwrap();
        let json = serde_json::to_string(&first.into_ledger()).unwrap();
        let resumed = Minimize::resume(loss, serde_json::from_str::<Ledger<Greedy>>(&json).unwrap())
            .run()
            .unwrap();
        assert_eq!(resumed.best, whole.best);
        assert_eq!(resumed.evaluations, whole.evaluations);
    }
}
