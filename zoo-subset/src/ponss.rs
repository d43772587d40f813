//! PONSS — Pareto Optimization for Noisy Subset Selection.
//!
//! **Idea.** POSS (see [`crate::Poss`]) trusts every loss it is told, so under noise a
//! lucky evaluation evicts better subsets from the archive for good. PONSS makes the
//! archive tolerant: a newcomer must beat an archive member by more than a threshold θ
//! to dominate it (θ-domination), so up to `B` near-equal subsets of the same size (the
//! same constraint slack) can coexist. When a size group reaches `B + 1` members it is
//! taken out of the archive and thinned by `B` rounds of fresh re-evaluation: two members
//! drawn at random are evaluated again, the better goes back to the archive and the other
//! stays in the group; the member left over is dropped.
//!
//! **Reference.** C. Qian, J.-C. Shi, Y. Yu, K. Tang, Z.-H. Zhou, *Subset Selection under
//! Noise*, Advances in Neural Information Processing Systems 30 (NIPS 2017),
//! pp. 3560–3570.
//!
//! **Ask/tell.** Re-evaluations are ordinary asks: the two subsets of a round are proposed
//! by `ask`, evaluated by the run loop like any other point, counted in its budget, and
//! never asked past it. A run that stops in the middle of a round still recommends from
//! every subset it holds (archive, group and the pair in flight). Ties in a round go to
//! either subset with probability ½, as in the paper (ZOOpt keeps the second).
//!
//! **Differences from ZOOpt's `PONSS`.** The archive update tests each member against
//! the newcomer (ZOOpt compared every member with the archive's last entry, bug B4, so
//! its archive either collapsed to the newcomer or kept everything); the budget is exact;
//! constraint-excluded subsets are re-drawn instead of evaluated; no recommendation when
//! nothing feasible was found (B18).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use zoo_core::{ConfigError, Evaluated, Sampler, StateError, ZooRng, ranked};

use crate::archive::{self, Member};
use crate::constraint::{Constraint, SizeLimit};
use crate::error::SubsetError;
use crate::poss::{MAX_REDRAWS, member, offspring};
use crate::subset::{Subset, check_items};

/// Pareto optimization for noisy subset selection, as a [`Sampler`] over [`Subset`].
///
/// | knob | default | meaning | range |
/// | --- | --- | --- | --- |
/// | `n` | required | number of items | `≥ 1` |
/// | `constraint` | required ([`SizeLimit`]) | the slack `g(s)`, feasible iff `≥ 0`; members with equal slack form a re-evaluation group | `SizeLimit`: `1 ≤ k ≤ n` |
/// | `theta` (θ) | required (ZOOpt's example: 0.5) | a newcomer θ-dominates a member when its loss is lower by more than θ (at equal slack); about the noise's spread | finite, `≥ 0`; 0 gives POSS's archive |
/// | `b` (B) | required (the paper and ZOOpt use `k`) | members kept per slack value; a group of `B + 1` triggers `B` re-evaluation rounds (`2B` evaluations) | `≥ 1` |
/// | budget (set on [`zoo_core::Minimize`]) | [`crate::default_budget`]`(n, k)` | objective evaluations including re-evaluations, exact | `≥ 1` |
///
/// ```
/// use zoo_core::Minimize;
/// use zoo_subset::{Ponss, SizeLimit, Subset, default_budget};
///
/// let weight = |i: usize| ((i * 7) % 20) as f64;
/// let loss = |s: &Subset| -s.iter().map(weight).sum::<f64>();
/// let ponss = Ponss::new(20, SizeLimit::new(3), 0.5, 3)?;
/// let outcome = Minimize::new(loss, ponss).budget(default_budget(20, 3)).seed(1).run()?;
/// assert_eq!(outcome.best.value, -(19.0 + 18.0 + 17.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(serialize = "C: Serialize", deserialize = "C: DeserializeOwned"))]
pub struct Ponss<C = SizeLimit> {
    n: usize,
    constraint: C,
    theta: f64,
    b: usize,
    archive: Vec<Member>,
    phase: Option<Phase>,
}

/// A size group being thinned by re-evaluation.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Phase {
    rounds_left: usize,
    /// The group members not in the current pair (the paper's `Q`).
    waiting: Vec<Member>,
    pair: Option<Pair>,
}

/// The two members of a round, with their fresh values once told.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Pair {
    slots: [Slot; 2],
    ties_to_first: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Slot {
    member: Member,
    asked: bool,
    #[serde(with = "zoo_core::float_serde::option")]
    fresh: Option<f64>,
}

impl<C: Constraint> Ponss<C> {
    /// PONSS over `n` items under `constraint`, with threshold `theta` and group size `b`.
    pub fn new(n: usize, constraint: C, theta: f64, b: usize) -> Result<Self, SubsetError> {
        check_items(n)?;
        constraint.check(n)?;
        if !(theta.is_finite() && theta >= 0.0) {
            return Err(ConfigError::OutOfRange {
                name: "theta",
                value: theta.to_string(),
                expected: "finite and ≥ 0",
            }
            .into());
        }
        if b == 0 {
            return Err(ConfigError::OutOfRange {
                name: "b",
                value: b.to_string(),
                expected: "≥ 1",
            }
            .into());
        }
        Ok(Ponss {
            n,
            constraint,
            theta,
            b,
            archive: Vec::new(),
            phase: None,
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

    /// θ.
    pub fn theta(&self) -> f64 {
        self.theta
    }

    /// B.
    pub fn b(&self) -> usize {
        self.b
    }

    /// The archive (the paper's `P`), without a group being re-evaluated.
    pub fn archive(&self) -> &[Member] {
        &self.archive
    }

    /// `true` while a group is being thinned by re-evaluation: the next asks are
    /// re-evaluations.
    pub fn is_reevaluating(&self) -> bool {
        self.phase.is_some()
    }

    /// Every subset held: the archive, then a group under re-evaluation and its pair in
    /// flight (with the values known before the re-evaluation).
    pub fn members(&self) -> impl Iterator<Item = &Member> {
        let phase = self.phase.iter();
        self.archive.iter().chain(phase.flat_map(|p| {
            p.waiting.iter().chain(
                p.pair
                    .iter()
                    .flat_map(|pair| pair.slots.iter().map(|s| &s.member)),
            )
        }))
    }

    /// The best feasible subset, or why there is none.
    pub fn result(&self) -> Result<&Evaluated<Subset>, SubsetError> {
        self.best().ok_or_else(|| SubsetError::NoFeasibleSolution {
            archived: self.members().count(),
            least_violation: archive::least_violation(self.members()),
        })
    }

    /// The next subset to re-evaluate, drawing a new pair when a round starts.
    fn reevaluation(&mut self, rng: &mut ZooRng) -> Option<Subset> {
        let phase = self.phase.as_mut()?;
        if phase.pair.is_none() {
            let len = phase.waiting.len();
            debug_assert!(len >= 2 && phase.rounds_left > 0, "a finished phase was kept");
            let i = rng.index(len);
            let mut j = rng.index(len - 1);
            if j >= i {
                j += 1;
            }
            // Remove the later position first so the earlier one stays valid.
            let (a, b) = if i > j {
                let a = phase.waiting.swap_remove(i);
                (a, phase.waiting.swap_remove(j))
            } else {
                let b = phase.waiting.swap_remove(j);
                (phase.waiting.swap_remove(i), b)
            };
            let slot = |member| Slot {
                member,
                asked: false,
                fresh: None,
            };
            phase.pair = Some(Pair {
                slots: [slot(a), slot(b)],
                ties_to_first: rng.chance(0.5),
            });
        }
        let pair = phase.pair.as_mut()?;
        // Both asked and not yet told happens only with a driver that asks ahead; it then
        // gets ordinary offspring until the values arrive.
        let slot = pair.slots.iter_mut().find(|s| !s.asked)?;
        slot.asked = true;
        Some(slot.member.point.x.clone())
    }

    /// Records a re-evaluation if `x` is an asked member of the pair in flight.
    fn take_reevaluation(&mut self, x: &Subset, value: f64) -> bool {
        let Some(pair) = self.phase.as_mut().and_then(|p| p.pair.as_mut()) else {
            return false;
        };
        let Some(slot) = pair
            .slots
            .iter_mut()
            .find(|s| s.asked && s.fresh.is_none() && s.member.point.x == *x)
        else {
            return false;
        };
        slot.fresh = Some(if self.constraint.excludes(x) {
            f64::INFINITY
        } else {
            ranked(value)
        });
        if pair.slots.iter().all(|s| s.fresh.is_some()) {
            self.finish_round();
        }
        true
    }

    /// Both values of the round are in: the better member returns to the archive, the
    /// other to the group.
    fn finish_round(&mut self) {
        let Some(phase) = self.phase.as_mut() else { return };
        let Some(pair) = phase.pair.take() else { return };
        let ties_to_first = pair.ties_to_first;
        let [a, b] = pair.slots.map(|s| {
            let mut m = s.member;
            m.point.value = s.fresh.unwrap_or(m.point.value);
            m
        });
        let first_wins = match a.loss().total_cmp(&b.loss()) {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Equal => ties_to_first,
            std::cmp::Ordering::Greater => false,
        };
        let (winner, loser) = if first_wins { (a, b) } else { (b, a) };
        self.archive.push(winner);
        phase.waiting.push(loser);
        phase.rounds_left -= 1;
        if phase.rounds_left == 0 || phase.waiting.len() < 2 {
            // The member(s) left in the group are dropped.
            self.phase = None;
        }
    }

    /// Starts thinning the group of `slack` once it holds more than `b` members.
    fn check_group(&mut self, slack: f64) {
        let same = |m: &Member| m.slack.to_bits() == slack.to_bits();
        if self.phase.is_some() || self.archive.iter().filter(|m| same(m)).count() <= self.b {
            return;
        }
        let (waiting, kept): (Vec<Member>, Vec<Member>) = self.archive.drain(..).partition(same);
        self.archive = kept;
        self.phase = Some(Phase {
            rounds_left: self.b,
            waiting,
            pair: None,
        });
    }
}

impl<C: Constraint> Sampler for Ponss<C> {
    type Solution = Subset;

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Subset> {
        if let Some(x) = self.reevaluation(rng) {
            return Some(x);
        }
        // While a whole archive is under re-evaluation, parents come from the group.
        let pool = match (&self.archive, &self.phase) {
            (a, _) if !a.is_empty() => a.as_slice(),
            (_, Some(p)) if !p.waiting.is_empty() => p.waiting.as_slice(),
            _ => return Some(Subset::empty(self.n)),
        };
        // Index: drawn below the length of the pool, which is not empty here.
        let parent = &pool[rng.index(pool.len())].point.x;
        let mut child = offspring(parent, &self.constraint, rng);
        for _ in 0..MAX_REDRAWS {
            if !self.members().any(|m| m.point.x == child) {
                break;
            }
            child = offspring(parent, &self.constraint, rng);
        }
        Some(child)
    }

    fn tell(&mut self, x: Subset, value: f64) {
        // A subset of another universe cannot be learned from (the run ledger refuses
        // such warm starts with a typed error).
        if x.universe() != self.n {
            return;
        }
        if self.take_reevaluation(&x, value) {
            return;
        }
        if self.members().any(|m| m.point.x == x) {
            return;
        }
        let member = member(x, value, &self.constraint);
        let slack = member.slack;
        let constraint = &self.constraint;
        if archive::insert(&mut self.archive, member, self.theta, |s| constraint.isolation(s)) {
            self.check_group(slack);
        }
    }

    fn best(&self) -> Option<&Evaluated<Subset>> {
        archive::best_feasible(self.members()).map(|(_, m)| &m.point)
    }

    fn check_state(&self) -> Result<(), StateError> {
        let invalid = |e: SubsetError| StateError::inconsistent(e.to_string());
        check_items(self.n).map_err(invalid)?;
        self.constraint.check(self.n).map_err(invalid)?;
        StateError::ensure(self.theta.is_finite() && self.theta >= 0.0 && self.b >= 1, || {
            format!("theta = {} or b = {} out of range", self.theta, self.b)
        })?;
        archive::check(&self.archive, self.n, "archive member")?;
        if let Some(phase) = &self.phase {
            archive::check(&phase.waiting, self.n, "group member")?;
            match &phase.pair {
                // The next round draws two distinct members of the group.
                None => StateError::ensure(phase.waiting.len() >= 2 && phase.rounds_left > 0, || {
                    "a re-evaluation phase without two members or rounds left".to_owned()
                })?,
                Some(pair) => {
                    let members: Vec<Member> = pair.slots.iter().map(|s| s.member.clone()).collect();
                    archive::check(&members, self.n, "paired member")?;
                    StateError::ensure(
                        pair.slots.iter().all(|s| s.fresh.is_none_or(|v| !v.is_nan())),
                        || "a re-evaluated value is NaN".to_owned(),
                    )?;
                }
            }
        }
        Ok(())
    }

    fn check_point(&self, x: &Subset, what: &str) -> Result<(), StateError> {
        archive::check_universe(x, self.n, what)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use std::cell::{Cell, RefCell};

    use zoo_core::{Ledger, Minimize, StopReason};

    use super::*;

    fn weighted(s: &Subset) -> f64 {
        let total: f64 = s.iter().map(|i| ((i * 37) % 101) as f64 + 1.0).sum();
        -total.sqrt() * (s.count() as f64).sqrt()
    }

    fn sets(members: &[Member]) -> Vec<Vec<usize>> {
        members.iter().map(|m| m.point.x.to_vec()).collect()
    }

    #[test]
    fn rejects_bad_theta_and_b() {
        assert!(matches!(
            Ponss::new(10, SizeLimit::new(2), -0.1, 2),
            Err(SubsetError::Config(ConfigError::OutOfRange { name: "theta", .. }))
        ));
        assert!(Ponss::new(10, SizeLimit::new(2), f64::NAN, 2).is_err());
        assert!(matches!(
            Ponss::new(10, SizeLimit::new(2), 0.5, 0),
            Err(SubsetError::Config(ConfigError::OutOfRange { name: "b", .. }))
        ));
        assert!(Ponss::new(10, SizeLimit::new(11), 0.5, 2).is_err());
    }

    #[test]
    fn a_full_group_is_reevaluated_through_asks() {
        // B = 2, θ large: singletons never θ-dominate each other, so the third singleton
        // fills the group and the next asks are re-evaluations of group members.
        let n = 10;
        let mut ponss = Ponss::new(n, SizeLimit::new(3), 10.0, 2).unwrap();
        let mut rng = ZooRng::seed_from(5);
        ponss.tell(Subset::empty(n), f64::INFINITY);
        for (i, v) in [(1, 0.9), (2, 0.5), (3, 0.7)] {
            ponss.tell(Subset::from_indices(n, [i]).unwrap(), v);
        }
        assert!(ponss.is_reevaluating());
        assert_eq!(sets(ponss.archive()), vec![Vec::<usize>::new()]);
        // Re-evaluation values: item 1 → 0.1 (now the best), 2 → 0.6, 3 → 0.8.
        let fresh = |s: &Subset| match s.to_vec()[..] {
            [1] => 0.1,
            [2] => 0.6,
            [3] => 0.8,
            _ => panic!("asked {s} during re-evaluation"),
        };
        let mut asked = Vec::new();
        while ponss.is_reevaluating() {
            let x = ponss.ask(&mut rng).unwrap();
            assert_eq!(x.count(), 1);
            asked.push(x.to_vec()[0]);
            let v = fresh(&x);
            ponss.tell(x, v);
        }
        // B = 2 rounds of two evaluations each.
        assert_eq!(asked.len(), 4);
        // Two winners went back to the archive, the loser of the last round was dropped.
        let mut back = sets(ponss.archive());
        back.sort();
        assert_eq!(back.len(), 3);
        assert!(
            back.contains(&vec![1]),
            "the re-evaluated best must survive: {back:?}"
        );
        assert_eq!(ponss.best().unwrap().value, 0.1);
    }

    #[test]
    fn reevaluations_count_against_the_budget_and_never_pass_it() {
        let calls = Cell::new(0u64);
        let repeats = RefCell::new(std::collections::HashSet::new());
        let seen = RefCell::new(std::collections::HashSet::new());
        let loss = |s: &Subset| {
            calls.set(calls.get() + 1);
            if !seen.borrow_mut().insert(s.clone()) {
                repeats.borrow_mut().insert(s.clone());
            }
            weighted(s)
        };
        for budget in [1, 2, 57, 1_001] {
            calls.set(0);
            let outcome = Minimize::new(loss, Ponss::new(30, SizeLimit::new(4), 100.0, 2).unwrap())
                .budget(budget)
                .seed(7)
                .run()
                .unwrap();
            assert_eq!(outcome.evaluations, budget);
            assert_eq!(calls.get(), budget);
            assert_eq!(outcome.stop, StopReason::Budget);
        }
        // With θ = 100 every size group fills up, so some subsets were evaluated twice.
        assert!(!repeats.borrow().is_empty());
    }

    #[test]
    fn stopping_mid_round_still_recommends_from_every_member() {
        let n = 12;
        let mut ponss = Ponss::new(n, SizeLimit::new(2), 10.0, 1).unwrap();
        let mut rng = ZooRng::seed_from(1);
        ponss.tell(Subset::empty(n), f64::INFINITY);
        ponss.tell(Subset::from_indices(n, [4]).unwrap(), 0.2);
        ponss.tell(Subset::from_indices(n, [5]).unwrap(), 0.3);
        assert!(ponss.is_reevaluating());
        let x = ponss.ask(&mut rng).unwrap();
        ponss.tell(x, 0.25);
        // Stopped here: one of the pair is re-evaluated, the other not.
        assert!(ponss.best().unwrap().value <= 0.3);
        assert_eq!(ponss.members().count(), 3);
        let json = serde_json::to_string(&ponss).unwrap();
        let back: Ponss = serde_json::from_str(&json).unwrap();
        assert_eq!(back.members().count(), 3);
        assert!(back.is_reevaluating());
    }

    #[test]
    fn theta_zero_keeps_one_subset_per_size_and_never_reevaluates() {
        // With θ = 0 two same-size subsets never coexist (the lower loss dominates, an
        // equal one replaces), so no group fills up: POSS's archive.
        let mut run = Minimize::new(weighted, Ponss::new(40, SizeLimit::new(4), 0.0, 1).unwrap())
            .budget(2_000)
            .seed(3);
        for step in 1..=2_000 {
            run.advance(step).unwrap();
            let ponss = &run.ledger().sampler();
            assert!(!ponss.is_reevaluating());
            let mut sizes: Vec<usize> = ponss.archive().iter().map(|m| m.point.x.count()).collect();
            sizes.sort_unstable();
            sizes.dedup();
            assert_eq!(sizes.len(), ponss.archive().len());
        }
        let poss = Minimize::new(weighted, crate::Poss::new(40, SizeLimit::new(4)).unwrap())
            .budget(2_000)
            .seed(3)
            .run()
            .unwrap();
        let ponss = run.run().unwrap();
        assert!((ponss.best.value - poss.best.value).abs() < 1.0);
    }

    #[test]
    fn finds_good_sets_under_noise() {
        // Additive noise N(0, 0.5²) on a loss whose optimum is the 4 heaviest items.
        let w = |i: usize| ((i * 7) % 25) as f64;
        let noise = RefCell::new(ZooRng::seed_from(99));
        let loss = |s: &Subset| -s.iter().map(w).sum::<f64>() + 0.5 * noise.borrow_mut().normal();
        let mut truths = Vec::new();
        for seed in 0..5 {
            let outcome = Minimize::new(loss, Ponss::new(25, SizeLimit::new(4), 1.0, 4).unwrap())
                .budget(crate::default_budget(25, 4))
                .seed(seed)
                .run()
                .unwrap();
            truths.push(-outcome.best.x.iter().map(w).sum::<f64>());
        }
        truths.sort_by(f64::total_cmp);
        // Optimum −90; the median run gets within 3 of it.
        assert!(truths[2] <= -87.0, "true losses {truths:?}");
    }

    #[test]
    fn resumes_exactly_from_a_json_checkpoint() {
        let build = || {
            Minimize::new(weighted, Ponss::new(30, SizeLimit::new(4), 50.0, 3).unwrap())
                .budget(1_500)
                .seed(11)
        };
        let whole = build().run().unwrap();
        for pause in [3, 500, 1_111] {
            let mut first = build();
            first.advance(pause).unwrap();
            let json = serde_json::to_string(&first.into_ledger()).unwrap();
            let resumed = Minimize::resume(weighted, serde_json::from_str::<Ledger<Ponss>>(&json).unwrap())
                .run()
                .unwrap();
            assert_eq!(resumed.best, whole.best, "pause at {pause}");
            assert_eq!(resumed.history, whole.history, "pause at {pause}");
        }
    }
}
