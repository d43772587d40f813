//! POSS — Pareto Optimization for Subset Selection.
//!
//! **Idea.** Choosing at most `k` of `n` items to minimize a loss `f` is turned into a
//! bi-objective problem: minimize `f(s)` and maximize the constraint slack `g(s)` (for the
//! size constraint, `k − |s|`, i.e. prefer small sets). POSS keeps an archive of mutually
//! non-dominated subsets, starting from the empty set; each step picks an archive member
//! uniformly, flips each bit with probability `1/n` (at least one), and adds the
//! offspring unless a member dominates it, removing the members it weakly dominates.
//! The recommendation is the feasible member with the lowest loss. Within `2·e·k²·n`
//! steps it is expected to reach the `1 − e^{−γ}` approximation guarantee of greedy
//! forward selection for sparse regression (the paper's analysis), and it escapes the
//! greedy path on real data.
//!
//! **Reference.** C. Qian, Y. Yu, Z.-H. Zhou, *Subset Selection by Pareto Optimization*,
//! Advances in Neural Information Processing Systems 28 (NIPS 2015), pp. 1774–1782.
//!
//! **Differences from ZOOpt's `ParetoOptimization`** (see the crate docs): the budget is
//! exact (ZOOpt spends `1 + ⌈budget⌉`); constraint-excluded subsets (`|s| ≥ 2k`) are
//! re-drawn instead of evaluated; when no feasible subset exists there is no
//! recommendation instead of an infeasible one (ZOOpt bug B18); there is no isolation
//! function.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use zoo_core::{Evaluated, Sampler, StateError, ZooRng, ranked};

use crate::archive::{self, Member};
use crate::constraint::{Constraint, SizeLimit};
use crate::error::SubsetError;
use crate::subset::{Subset, check_items};

/// Offspring the constraint excludes are re-drawn at most this many times (then the last
/// one is proposed and counted as +∞), so a parent that only has excluded neighbours
/// cannot stall `ask`.
pub(crate) const MAX_REDRAWS: usize = 64;

/// The budget POSS's analysis uses for choosing `k` of `n` items: `⌈2·e·k²·n⌉`
/// evaluations (20,877 for sonar, `n = 60`, `k = 8`).
///
/// ```
/// assert_eq!(zoo_subset::default_budget(60, 8), 20_877);
/// ```
pub fn default_budget(n: usize, k: usize) -> u64 {
    let (n, k) = (n as f64, k as f64);
    (2.0 * std::f64::consts::E * k * k * n).ceil() as u64
}

/// Pareto optimization for subset selection, as a [`Sampler`] over [`Subset`].
///
/// | knob | default | meaning | range |
/// | --- | --- | --- | --- |
/// | `n` | required | number of items | `≥ 1` |
/// | `constraint` | required ([`SizeLimit`] is the usual one) | the slack `g(s)`, feasible iff `≥ 0`; excluded subsets are never proposed | `SizeLimit`: `1 ≤ k ≤ n` |
/// | budget (set on [`zoo_core::Minimize`]) | [`Poss::default_budget`]`(n, k)` `= ⌈2ek²n⌉` | objective evaluations, exact | `≥ 1` |
///
/// The first ask is the empty set; afterwards each ask mutates a uniformly chosen archive
/// member. `tell` accepts any subset over `n` items (warm starts included) and never
/// needs the asks to come back in order. [`Sampler::best`] is the feasible member with
/// the lowest loss, or `None` when no feasible subset was told: then
/// [`zoo_core::Minimize::run`] reports [`zoo_core::RunError::NothingEvaluated`], and
/// [`Poss::result`] (on a run driven with `advance`) says why.
///
/// ```
/// use zoo_core::Minimize;
/// use zoo_subset::{Poss, SizeLimit, Subset};
///
/// // Pick 3 of 20 items with the largest total weight.
/// let weight = |i: usize| ((i * 7) % 20) as f64;
/// let loss = |s: &Subset| -s.iter().map(weight).sum::<f64>();
/// let poss = Poss::new(20, SizeLimit::new(3))?;
/// let outcome = Minimize::new(loss, poss)
///     .budget(Poss::default_budget(20, 3))
///     .seed(1)
///     .run()?;
/// assert_eq!(outcome.best.value, -(19.0 + 18.0 + 17.0));
/// assert_eq!(outcome.best.x.count(), 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(serialize = "C: Serialize", deserialize = "C: DeserializeOwned"))]
pub struct Poss<C = SizeLimit> {
    n: usize,
    constraint: C,
    archive: Vec<Member>,
}

impl Poss<SizeLimit> {
    /// The budget of POSS's analysis for choosing `k` of `n`: `⌈2·e·k²·n⌉` evaluations
    /// (same as [`default_budget`]).
    pub fn default_budget(n: usize, k: usize) -> u64 {
        default_budget(n, k)
    }
}

impl<C: Constraint> Poss<C> {
    /// POSS over `n` items under `constraint`.
    pub fn new(n: usize, constraint: C) -> Result<Self, SubsetError> {
        check_items(n)?;
        constraint.check(n)?;
        Ok(Poss {
            n,
            constraint,
            archive: Vec::new(),
        })
    }

    /// The number of items.
    pub fn n(&self) -> usize {
        self.n
    }

    /// The constraint.
    pub fn constraint(&self) -> &C {
        &self.constraint
    }

    /// The archive: mutually non-dominated subsets with their losses and slacks, in the
    /// order they entered.
    pub fn archive(&self) -> &[Member] {
        &self.archive
    }

    /// The best feasible subset, or why there is none.
    pub fn result(&self) -> Result<&Evaluated<Subset>, SubsetError> {
        self.best().ok_or_else(|| SubsetError::NoFeasibleSolution {
            archived: self.archive.len(),
            least_violation: archive::least_violation(&self.archive),
        })
    }
}

impl<C: Constraint> Sampler for Poss<C> {
    type Solution = Subset;

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Subset> {
        if self.archive.is_empty() {
            return Some(Subset::empty(self.n));
        }
        // Index: drawn below the length of the archive, which is not empty here.
        let parent = &self.archive[rng.index(self.archive.len())].point.x;
        Some(offspring(parent, &self.constraint, rng))
    }

    fn tell(&mut self, x: Subset, value: f64) {
        // A subset of another universe cannot be learned from (the run ledger refuses
        // such warm starts with a typed error).
        if x.universe() != self.n {
            return;
        }
        let member = member(x, value, &self.constraint);
        let constraint = &self.constraint;
        archive::insert(&mut self.archive, member, 0.0, |s| constraint.isolation(s));
    }

    fn best(&self) -> Option<&Evaluated<Subset>> {
        archive::best_feasible(&self.archive).map(|(_, m)| &m.point)
    }

    fn check_state(&self) -> Result<(), StateError> {
        check_items(self.n).map_err(|e| StateError::inconsistent(e.to_string()))?;
        self.constraint
            .check(self.n)
            .map_err(|e| StateError::inconsistent(e.to_string()))?;
        archive::check(&self.archive, self.n, "archive member")
    }

    fn check_point(&self, x: &Subset, what: &str) -> Result<(), StateError> {
        archive::check_universe(x, self.n, what)
    }
}

/// A mutation of `parent` that the constraint does not exclude (re-drawn up to
/// [`MAX_REDRAWS`] times).
pub(crate) fn offspring<C: Constraint>(parent: &Subset, constraint: &C, rng: &mut ZooRng) -> Subset {
    let mut child = parent.mutate(rng);
    for _ in 0..MAX_REDRAWS {
        if !constraint.excludes(&child) {
            break;
        }
        child = parent.mutate(rng);
    }
    child
}

/// The archive entry for a told subset: NaN losses and excluded subsets count as +∞, a
/// NaN slack as infeasible.
/// `x` must be a subset of the sampler's `n` items (the samplers ignore other tells).
pub(crate) fn member<C: Constraint>(x: Subset, value: f64, constraint: &C) -> Member {
    let loss = if constraint.excludes(&x) {
        f64::INFINITY
    } else {
        ranked(value)
    };
    let slack = constraint.slack(&x);
    let slack = if slack.is_nan() { f64::NEG_INFINITY } else { slack };
    Member {
        point: Evaluated::new(x, loss),
        slack,
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use std::cell::Cell;

    use zoo_core::{Ledger, Minimize, RunError, StopReason};

    use super::*;
    use crate::constraint::{CostLimit, SlackFn};

    /// Distinct item weights; the loss rewards heavy items with diminishing returns so
    /// that small sets are not trivially optimal.
    fn weighted(s: &Subset) -> f64 {
        let total: f64 = s.iter().map(|i| ((i * 37) % 101) as f64 + 1.0).sum();
        -total.sqrt() * (s.count() as f64).sqrt()
    }

    #[test]
    fn default_budget_is_two_e_k_squared_n() {
        assert_eq!(Poss::default_budget(60, 8), 20_877);
        assert_eq!(default_budget(1_000, 20), 2_174_626);
        assert_eq!(default_budget(1, 1), 6);
    }

    #[test]
    fn rejects_bad_settings() {
        assert_eq!(Poss::new(0, SizeLimit::new(1)).unwrap_err(), SubsetError::NoItems);
        assert_eq!(
            Poss::new(5, SizeLimit::new(6)).unwrap_err(),
            SubsetError::SizeLimit { k: 6, n: 5 }
        );
        assert!(Poss::new(3, CostLimit::new(vec![1.0; 4], 2.0).unwrap()).is_err());
    }

    #[test]
    fn first_ask_is_the_empty_set() {
        let mut poss = Poss::new(10, SizeLimit::new(2)).unwrap();
        let mut rng = ZooRng::seed_from(0);
        assert_eq!(poss.ask(&mut rng), Some(Subset::empty(10)));
        assert!(poss.best().is_none());
    }

    #[test]
    fn stops_exactly_at_budget() {
        let calls = Cell::new(0u64);
        let loss = |s: &Subset| {
            calls.set(calls.get() + 1);
            weighted(s)
        };
        let outcome = Minimize::new(loss, Poss::new(40, SizeLimit::new(4)).unwrap())
            .budget(777)
            .seed(3)
            .run()
            .unwrap();
        assert_eq!(outcome.evaluations, 777);
        assert_eq!(calls.get(), 777);
        assert_eq!(outcome.stop, StopReason::Budget);
    }

    #[test]
    fn never_proposes_excluded_sets_and_keeps_a_front() {
        let k = 3;
        let loss = |s: &Subset| {
            assert!(s.count() < 2 * k, "proposed {s}");
            weighted(s)
        };
        let mut run = Minimize::new(loss, Poss::new(30, SizeLimit::new(k)).unwrap())
            .budget(3_000)
            .seed(1);
        run.advance(3_000).unwrap();
        let archive = run.ledger().sampler().archive();
        // Mutually non-dominated, one member per size at most (equal slack ⇒ the
        // lower loss dominates).
        for a in archive {
            for b in archive {
                assert!(!archive::dominates((a.loss(), a.slack), (b.loss(), b.slack), 0.0));
            }
        }
        let mut sizes: Vec<usize> = archive.iter().map(|m| m.point.x.count()).collect();
        sizes.sort_unstable();
        sizes.dedup();
        assert_eq!(sizes.len(), archive.len());
    }

    #[test]
    fn finds_the_heaviest_items() {
        // With loss −Σw, the optimum for k is the k heaviest items.
        let w = |i: usize| ((i * 7) % 25) as f64;
        let loss = |s: &Subset| -s.iter().map(w).sum::<f64>();
        for seed in 0..5 {
            let outcome = Minimize::new(loss, Poss::new(25, SizeLimit::new(4)).unwrap())
                .budget(Poss::default_budget(25, 4))
                .seed(seed)
                .run()
                .unwrap();
            assert_eq!(outcome.best.value, -(24.0 + 23.0 + 22.0 + 21.0), "seed {seed}");
        }
    }

    #[test]
    fn same_seed_same_run() {
        let run = |seed| {
            Minimize::new(weighted, Poss::new(50, SizeLimit::new(5)).unwrap())
                .budget(1_500)
                .seed(seed)
                .run()
                .unwrap()
        };
        let (a, b, c) = (run(9), run(9), run(10));
        assert_eq!(a.best, b.best);
        assert_eq!(a.history, b.history);
        assert_ne!(a.history, c.history);
    }

    #[test]
    fn resumes_exactly_from_a_json_checkpoint() {
        let build = || {
            Minimize::new(weighted, Poss::new(50, SizeLimit::new(5)).unwrap())
                .budget(2_000)
                .seed(4)
        };
        let whole = build().run().unwrap();
        let mut first = build();
        assert_eq!(first.advance(700).unwrap(), None);
        let json = serde_json::to_string(&first.into_ledger()).unwrap();
        let state: Ledger<Poss> = serde_json::from_str(&json).unwrap();
        let resumed = Minimize::resume(weighted, state).run().unwrap();
        assert_eq!(resumed.best, whole.best);
        assert_eq!(resumed.history, whole.history);
        assert_eq!(resumed.evaluations, 2_000);
    }

    #[test]
    fn no_feasible_subset_gives_no_recommendation() {
        // At least 50 of 10 items: never feasible (ZOOpt returns an infeasible set, B18).
        let impossible = SlackFn(|s: &Subset| s.count() as f64 - 50.0);
        let run = Minimize::new(weighted, Poss::new(10, impossible).unwrap())
            .budget(200)
            .seed(1);
        assert!(matches!(run.run(), Err(RunError::NothingEvaluated)));

        let mut run = Minimize::new(weighted, Poss::new(10, impossible).unwrap())
            .budget(200)
            .seed(1);
        run.advance(200).unwrap();
        let poss = &run.ledger().sampler();
        assert!(poss.best().is_none());
        match poss.result() {
            Err(SubsetError::NoFeasibleSolution {
                archived,
                least_violation,
            }) => {
                assert!(archived >= 1);
                // The full set (10 items) violates least: 50 − 10.
                assert!(least_violation >= 40.0);
            }
            other => panic!("expected no feasible solution, got {other:?}"),
        }
    }

    #[test]
    fn cost_constraint_is_respected() {
        let costs: Vec<f64> = (0..20).map(|i| 1.0 + (i % 4) as f64).collect();
        let limit = CostLimit::new(costs, 6.0).unwrap();
        let outcome = Minimize::new(weighted, Poss::new(20, limit.clone()).unwrap())
            .budget(3_000)
            .seed(2)
            .run()
            .unwrap();
        assert!(limit.cost(&outcome.best.x) <= 6.0);
        assert!(outcome.best.x.count() >= 2);
    }

    #[test]
    fn nan_and_infinite_losses_are_survivable() {
        let loss = |s: &Subset| match s.count() % 3 {
            0 => f64::NAN,
            1 => f64::INFINITY,
            _ => weighted(s),
        };
        let outcome = Minimize::new(loss, Poss::new(15, SizeLimit::new(4)).unwrap())
            .budget(500)
            .seed(0)
            .run()
            .unwrap();
        assert!(outcome.best.value.is_finite());
        assert!(outcome.nan_evaluations > 0);
    }

    #[test]
    fn warm_start_points_enter_the_archive() {
        let start = Subset::from_indices(30, [1, 2]).unwrap();
        let mut run = Minimize::new(weighted, Poss::new(30, SizeLimit::new(3)).unwrap())
            .budget(1)
            .warm_start_evaluated([(start.clone(), -100.0)]);
        run.advance(1).unwrap();
        assert_eq!(run.ledger().sampler().best().unwrap().x, start);
    }
}
