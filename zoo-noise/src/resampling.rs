//! `Resampling` — re-sampling as a sampler wrapper: every point the wrapped sampler
//! proposes is asked `times` times, and the sampler is told the mean of the values.
//!
//! Averaging `k` independent noisy values divides the noise variance by `k`, at `k`
//! times the cost. Doing it as a sampler wrapper rather than inside the objective keeps
//! the budget honest with no help from the run loop: each of the `k` asks is an ordinary
//! evaluation of the run, so a budget of 20,000 is 20,000 true calls of the objective
//! (2,000 averaged points with `k = 10`), never one more. ZOOpt divides the budget by `k`
//! instead and still sizes SRACOS from the undivided budget (§7.1 of the specification);
//! the objective wrapper [`Averaged`](crate::Averaged) works like that.
//!
//! If the budget ends while a point has received fewer than `k` values, that partial
//! mean is never told: the wrapped sampler only ever learns full averages. (A partial
//! mean is recommended only when nothing else is known, i.e. when the budget is smaller
//! than `k`.)
//!
//! Reference: re-sampling (sample averaging) is the classical noise-handling baseline;
//! see e.g. H.-G. Beyer, B. Sendhoff, *Robust optimization — A comprehensive survey*,
//! Computer Methods in Applied Mechanics and Engineering 196(33), 2007.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use zoo_core::{Evaluated, Sampler, StateError, Trusted, ZooRng, ranked};

use crate::error::NoiseError;
use crate::tally::Tally;

/// A point being re-sampled, valued at its running mean.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Open<P> {
    estimate: Evaluated<P>,
    tally: Tally,
}

/// Asks each point of `S` `times` times and tells `S` the mean.
///
/// | name | default | meaning | range |
/// | --- | --- | --- | --- |
/// | `times` | — (ZOOpt's P5 example uses 10) | evaluations averaged per point | `≥ 1` |
///
/// Points told without being asked (warm starts) are passed to the wrapped sampler as
/// they are. Parallel runs work: a point may be handed out to several workers at once,
/// and values may arrive in any order. The wrapper is [`Trusted`] when `S` is, so it
/// composes with [`Suppressed`](crate::Suppressed).
///
/// ```
/// use zoo_core::{Minimize, Space};
/// use zoo_noise::{Noisy, Resampling};
/// use zoo_racos::{SRacos, SRacosConfig};
///
/// let sphere = |x: &[f64]| x.iter().map(|v| (v - 0.2).powi(2)).sum::<f64>();
/// let sampler = Resampling::new(SRacos::new(Space::cube(10, -1.0, 1.0)?, SRacosConfig::for_budget(300))?, 10)?;
/// let outcome = Minimize::new(Noisy::new(sphere, 0.1, 7)?, sampler).budget(3_000).seed(1).run()?;
/// assert_eq!(outcome.evaluations, 3_000); // true evaluations: 300 points, 10 each
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(
    serialize = "S: Serialize, S::Solution: Serialize",
    deserialize = "S: DeserializeOwned, S::Solution: DeserializeOwned"
))]
pub struct Resampling<S: Sampler> {
    inner: S,
    times: u64,
    /// Points still short of `times` values, oldest first (one at a time in
    /// sequential runs).
    open: Vec<Open<S::Solution>>,
}

impl<S: Sampler> Resampling<S>
where
    S::Solution: PartialEq,
{
    /// Wraps `inner`, averaging `times` evaluations per point; fails when `times` is 0.
    pub fn new(inner: S, times: u64) -> Result<Self, NoiseError> {
        if times == 0 {
            return Err(NoiseError::Zero { name: "times" });
        }
        Ok(Resampling {
            inner,
            times,
            open: Vec::new(),
        })
    }

    /// Evaluations averaged per point.
    pub fn times(&self) -> u64 {
        self.times
    }

    /// The wrapped sampler.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// Gives up the wrapper and returns the wrapped sampler.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: Sampler> Sampler for Resampling<S>
where
    S::Solution: PartialEq,
{
    type Solution = S::Solution;

    /// The wrapped sampler hears the number of points it can propose: one per `times`
    /// evaluations.
    fn start(&mut self, budget: u64) {
        self.inner.start(budget / self.times.max(1));
    }

    fn ask(&mut self, rng: &mut ZooRng) -> Option<S::Solution> {
        if let Some(open) = self.open.iter_mut().find(|o| o.tally.asked < self.times) {
            open.tally.asked = open.tally.asked.saturating_add(1);
            return Some(open.estimate.x.clone());
        }
        let x = self.inner.ask(rng)?;
        if self.times > 1 {
            self.open.push(Open {
                estimate: Evaluated::new(x.clone(), f64::INFINITY),
                tally: Tally {
                    asked: 1,
                    ..Tally::default()
                },
            });
        }
        Some(x)
    }

    fn tell(&mut self, x: S::Solution, value: f64) {
        let Some(i) = self
            .open
            .iter()
            .position(|o| o.tally.awaiting() && o.estimate.x == x)
        else {
            // Never asked (a warm start), or `times` is 1: a value like any other.
            self.inner.tell(x, value);
            return;
        };
        // Index: `i` was found by `position` in `self.open` just above.
        let open = &mut self.open[i];
        open.tally.record(ranked(value));
        open.estimate.value = ranked(open.tally.mean());
        if open.tally.told == self.times {
            let open = self.open.remove(i);
            self.inner.tell(open.estimate.x, open.estimate.value);
        }
    }

    fn check_state(&self) -> Result<(), StateError> {
        StateError::ensure(self.times >= 1, || "resampling 0 times".to_owned())?;
        self.inner.check_state()?;
        for (i, open) in self.open.iter().enumerate() {
            open.tally.check(self.times)?;
            StateError::ensure(open.tally.asked >= 1 && open.tally.told < self.times, || {
                format!("open point {i} is not being re-sampled")
            })?;
            self.inner
                .check_point(&open.estimate.x, &format!("open point {i}"))?;
        }
        Ok(())
    }

    fn check_point(&self, x: &S::Solution, what: &str) -> Result<(), StateError> {
        self.inner.check_point(x, what)
    }

    /// The wrapped sampler's recommendation; while it has none (a budget below `times`),
    /// the point with the lowest partial mean.
    fn best(&self) -> Option<&Evaluated<S::Solution>> {
        self.inner.best().or_else(|| {
            self.open
                .iter()
                .filter(|o| o.tally.told > 0)
                .map(|o| &o.estimate)
                .min_by(|a, b| a.value.total_cmp(&b.value))
        })
    }
}

impl<S: Trusted> Trusted for Resampling<S>
where
    S::Solution: PartialEq,
{
    fn trusted(&self) -> &[Evaluated<S::Solution>] {
        self.inner.trusted()
    }

    fn revalue(&mut self, values: &[f64]) {
        self.inner.revalue(values);
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use zoo_core::testing::conformance;
    use zoo_core::{Minimize, RandomSearch, Space};
    use zoo_racos::{SRacos, SRacosConfig};

    /// Records what it is told, proposes fresh points from a counter.
    #[derive(Default)]
    struct Recorder {
        next: f64,
        told: Vec<(Vec<f64>, f64)>,
    }

    impl Sampler for Recorder {
        type Solution = Vec<f64>;
        fn ask(&mut self, _: &mut ZooRng) -> Option<Vec<f64>> {
            self.next += 1.0;
            Some(vec![self.next])
        }
        fn tell(&mut self, x: Vec<f64>, value: f64) {
            self.told.push((x, value));
        }
        fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
            None
        }
    }

    #[test]
    fn asks_each_point_times_times_and_tells_the_mean() {
        let mut sampler = Resampling::new(Recorder::default(), 3).unwrap();
        let mut rng = ZooRng::seed_from(0);
        let asked: Vec<Vec<f64>> = (0..6).map(|_| sampler.ask(&mut rng).unwrap()).collect();
        assert_eq!(
            asked,
            [[1.0], [1.0], [1.0], [2.0], [2.0], [2.0]].map(|a| a.to_vec())
        );
        for (i, x) in asked.into_iter().enumerate() {
            sampler.tell(x, i as f64);
        }
        assert_eq!(sampler.inner().told, vec![(vec![1.0], 1.0), (vec![2.0], 4.0)]);
    }

    #[test]
    fn unsolicited_tells_pass_through_and_partial_means_are_never_told() {
        let mut sampler = Resampling::new(Recorder::default(), 4).unwrap();
        let mut rng = ZooRng::seed_from(0);
        sampler.tell(vec![9.0], 5.0);
        let x = sampler.ask(&mut rng).unwrap();
        assert_eq!(sampler.ask(&mut rng).as_ref(), Some(&x));
        sampler.tell(x.clone(), 1.0);
        sampler.tell(x, 2.0);
        assert_eq!(sampler.inner().told, vec![(vec![9.0], 5.0)]);
        // Nothing else known: the partial mean is the recommendation.
        assert_eq!(sampler.best(), Some(&Evaluated::new(vec![1.0], 1.5)));
    }

    #[test]
    fn budget_counts_true_evaluations_and_is_never_exceeded() {
        let space = Space::cube(5, -1.0, 1.0).unwrap();
        for budget in [1, 9, 10, 11, 1_003] {
            let calls = Cell::new(0u64);
            let objective = |x: &[f64]| {
                calls.set(calls.get() + 1);
                x[0]
            };
            let sampler = Resampling::new(RandomSearch::new(space.clone()), 10).unwrap();
            let outcome = Minimize::new(objective, sampler).budget(budget).run().unwrap();
            assert_eq!(outcome.evaluations, budget);
            assert_eq!(calls.get(), budget);
        }
    }

    #[test]
    fn averaging_reduces_the_noise_of_the_told_values() {
        // With a constant objective the told value is pure noise: its spread must
        // shrink by about √10.
        let mut sampler = Resampling::new(Recorder::default(), 10).unwrap();
        let mut rng = ZooRng::seed_from(1);
        let mut noise = ZooRng::seed_from(2);
        for _ in 0..10_000 {
            let x = sampler.ask(&mut rng).unwrap();
            sampler.tell(x, noise.normal());
        }
        let told: Vec<f64> = sampler.inner().told.iter().map(|t| t.1).collect();
        let sd = (told.iter().map(|v| v * v).sum::<f64>() / told.len() as f64).sqrt();
        assert_eq!(told.len(), 1_000);
        assert!((sd - 1.0 / 10f64.sqrt()).abs() < 0.03, "standard deviation {sd}");
    }

    #[test]
    fn resampling_conforms() {
        conformance::check_all(|space| Ok(Resampling::new(RandomSearch::new(space.clone()), 3).unwrap()));
        conformance::check_all(|space| {
            Ok(Resampling::new(SRacos::new(space.clone(), SRacosConfig::for_budget(300))?, 4).unwrap())
        });
    }

    #[test]
    fn every_reachable_state_restores() {
        conformance::reachable_states_restore(&|space: &zoo_core::Space| {
            Ok(Resampling::new(SRacos::new(space.clone(), SRacosConfig::for_budget(300))?, 4).unwrap())
        });
    }
}
