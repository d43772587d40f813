//! `Suppressed` — value suppression (SSRACOS): re-estimate the trusted solutions only
//! when the search stops making progress.
//!
//! Under noise, a solution enters the trusted set (SRACOS's positive set) partly because
//! its single evaluation was lucky; such over-optimistic values then block every honest
//! newcomer and the search stalls. Value suppression does nothing about noise while the
//! search progresses. Once `non_update_allowed` values in a row failed to beat the best
//! trusted value (or, as ZOOpt counts, to enter the trusted set), it re-evaluates each
//! trusted solution `resample_times` times and replaces its value by
//! `(1 − balance_rate)·original + balance_rate·mean`, which suppresses the lucky values;
//! the search then continues. Each solution is re-estimated at most once.
//! The recommendation is the re-estimated solution with the lowest re-sampled mean.
//!
//! Reference: H. Wang, H. Qian, Y. Yu. *Noisy Derivative-Free Optimization with Value
//! Suppression.* AAAI 2018, pp. 1447–1454.
//!
//! Differences from ZOOpt's `SSRacos` (§7.2 and §13 of the specification):
//!
//! - it wraps any [`Trusted`] sampler, not one algorithm;
//! - the blend uses the solution's *original* estimate (ZOOpt blends with the last single
//!   re-evaluation, B6);
//! - re-evaluations are ordinary asks of the run, counted against its budget and never
//!   past it; the recommendation is made inside the budget (ZOOpt re-samples the trusted
//!   set once more after the budget, B5). With [`SuppressionConfig::budget`] set, the last
//!   evaluations of the run re-estimate the trusted solutions not yet re-estimated, which
//!   is ZOOpt's final step moved inside the budget;
//! - by default a value counts as "no progress" unless it beats the best trusted value,
//!   as the paper describes (ZOOpt counts values that do not enter the trusted set;
//!   [`Trigger::Trusted`] restores that);
//! - the counter of non-improving values only counts values of new points, not
//!   re-evaluations, and is reset after each re-estimation (as ZOOpt).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use zoo_core::{Evaluated, Sampler, StateError, Trusted, ZooRng, ranked};

use crate::error::NoiseError;
use crate::tally::Tally;

/// The settings of value suppression. The numeric defaults are ZOOpt's.
///
/// | name | default | meaning | range |
/// | --- | --- | --- | --- |
/// | `non_update_allowed` | 500 | values of new points in a row without progress (see `trigger`) before the trusted solutions are re-estimated | `≥ 1` |
/// | `resample_times` | 100 | evaluations averaged to re-estimate one solution | `≥ 1` |
/// | `balance_rate` | 0.5 | weight of the re-sampled mean in the new value: `(1 − b)·original + b·mean` | `[0, 1]` |
/// | `trigger` | [`Trigger::Best`] | which values count as "no progress": those that do not beat the best trusted value (the paper), or those that do not enter the trusted set (ZOOpt) | `Best`, `Trusted` |
/// | `final_round` | `true` | spend the run's last evaluations re-estimating the trusted solutions not yet re-estimated (ZOOpt's final step, moved inside the budget) | `true`, `false` |
///
/// The wrapper learns the run's budget when the run starts ([`Sampler::start`]) and counts
/// the points it hands out against it: rounds start only when they can be paid for in
/// full, and none start once it is spent. Used without a run that tells it the budget,
/// it makes no final round.
///
/// Settings are checked by [`Suppressed::new`]: a zero count gives
/// [`NoiseError::Zero`], a balance rate outside `[0, 1]` (or NaN)
/// [`NoiseError::BalanceRate`].
///
/// ```
/// use zoo_noise::SuppressionConfig;
/// let config = SuppressionConfig { non_update_allowed: 200, resample_times: 50, ..Default::default() };
/// assert_eq!(config.balance_rate, 0.5);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuppressionConfig {
    /// Non-improving values in a row that trigger a re-estimation.
    pub non_update_allowed: u64,
    /// Evaluations per re-estimated solution.
    pub resample_times: u64,
    /// Weight of the re-sampled mean in the blended value.
    pub balance_rate: f64,
    /// Which values count towards `non_update_allowed`.
    pub trigger: Trigger,
    /// Re-estimate the trusted solutions not yet re-estimated with the run's last
    /// evaluations.
    pub final_round: bool,
}

impl Default for SuppressionConfig {
    /// ZOOpt's defaults (500, 100, 0.5), the paper's trigger, the final re-estimation
    /// inside the budget.
    fn default() -> Self {
        SuppressionConfig {
            non_update_allowed: 500,
            resample_times: 100,
            balance_rate: 0.5,
            trigger: Trigger::Best,
            final_round: true,
        }
    }
}

/// Which values of new points count as "no progress" towards a re-estimation.
///
/// Measured on P5 (noisy Ackley-100, `docs/noise.md`), `Best` reaches markedly better
/// solutions than `Trusted` at the same settings: it re-estimates more often, as soon
/// as the best value stalls, while lucky values still trickle into the trusted set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A value counts unless it beats the best trusted value: the best-so-far has not
    /// improved (Wang, Qian & Yu's description). The default.
    #[default]
    Best,
    /// A value counts unless it enters the trusted set, i.e. beats the worst trusted
    /// value (ZOOpt's `SSRacos`).
    Trusted,
}

impl SuppressionConfig {
    fn validate(&self) -> Result<(), NoiseError> {
        if self.non_update_allowed == 0 {
            return Err(NoiseError::Zero {
                name: "non_update_allowed",
            });
        }
        if self.resample_times == 0 {
            return Err(NoiseError::Zero {
                name: "resample_times",
            });
        }
        if !(0.0..=1.0).contains(&self.balance_rate) {
            return Err(NoiseError::BalanceRate(self.balance_rate));
        }
        Ok(())
    }
}

/// A solution whose value was re-estimated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate<P> {
    /// The solution.
    pub x: P,
    /// Its value before the re-estimation (what the wrapped sampler had).
    #[serde(with = "zoo_core::float_serde")]
    pub original: f64,
    /// The mean of its `resample_times` re-evaluations.
    #[serde(with = "zoo_core::float_serde")]
    pub mean: f64,
    /// The value the wrapped sampler received: `(1 − b)·original + b·mean`.
    #[serde(with = "zoo_core::float_serde")]
    pub blended: f64,
}

/// A trusted solution being re-evaluated.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Target<P> {
    x: P,
    #[serde(with = "zoo_core::float_serde")]
    original: f64,
    tally: Tally,
}

/// Value suppression around a sampler with a trusted set.
///
/// Re-evaluations go through `ask` like any other point, so the run loop counts them
/// against the budget; [`Suppressed::reestimation_evaluations`] says how many there
/// were. The recommendation ([`Sampler::best`]) is the re-estimated solution with the
/// lowest re-sampled mean, valued at that mean; before the first re-estimation it is the
/// wrapped sampler's.
///
/// ```
/// use zoo_core::{Minimize, Space};
/// use zoo_noise::{Noisy, Suppressed, SuppressionConfig};
/// use zoo_racos::{SRacos, SRacosConfig};
///
/// let sphere = |x: &[f64]| x.iter().map(|v| (v - 0.2).powi(2)).sum::<f64>();
/// let config = SuppressionConfig { non_update_allowed: 50, resample_times: 20, ..Default::default() };
/// let sampler = Suppressed::new(SRacos::new(Space::cube(10, -1.0, 1.0)?, SRacosConfig::for_budget(3_000))?, config)?;
/// let outcome = Minimize::new(Noisy::new(sphere, 0.1, 7)?, sampler).budget(3_000).seed(1).run()?;
/// let spent_on_estimates = outcome.sampler.reestimation_evaluations();
/// assert_eq!(outcome.evaluations, 3_000);
/// assert!(spent_on_estimates > 0 && spent_on_estimates < 3_000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(
    serialize = "S: Serialize, S::Solution: Serialize",
    deserialize = "S: DeserializeOwned, S::Solution: DeserializeOwned"
))]
pub struct Suppressed<S: Trusted> {
    inner: S,
    config: SuppressionConfig,
    /// Values of new points in a row that did not enter the trusted set.
    non_update: u64,
    /// Points handed out, re-evaluations included.
    asked: u64,
    /// The run's budget, told at its start, when the final round is wanted.
    budget: Option<u64>,
    /// Points handed out to re-estimate trusted solutions.
    reestimation_evaluations: u64,
    /// Re-estimation rounds completed.
    rounds: u64,
    /// The re-estimation in progress, if any.
    round: Vec<Target<S::Solution>>,
    /// Every re-estimated solution, in order of completion (ZOOpt's `possible` list).
    estimates: Vec<Estimate<S::Solution>>,
    /// The estimate with the lowest mean, valued at its mean.
    recommendation: Option<Evaluated<S::Solution>>,
    /// Which repetition of a re-estimate the last `ask` handed out (1-based), if any:
    /// only meaningful between that ask and the next, so not part of the state.
    #[serde(skip)]
    last_repetition: Option<u64>,
}

impl<S: Trusted> Suppressed<S>
where
    S::Solution: PartialEq,
{
    /// Wraps `inner`; fails on out-of-range settings.
    pub fn new(inner: S, config: SuppressionConfig) -> Result<Self, NoiseError> {
        config.validate()?;
        Ok(Suppressed {
            inner,
            config,
            non_update: 0,
            asked: 0,
            budget: None,
            reestimation_evaluations: 0,
            rounds: 0,
            round: Vec::new(),
            estimates: Vec::new(),
            recommendation: None,
            last_repetition: None,
        })
    }

    /// The settings.
    pub fn config(&self) -> &SuppressionConfig {
        &self.config
    }

    /// Evaluations handed out to re-estimate trusted solutions so far (part of the
    /// run's evaluations, not on top of them).
    pub fn reestimation_evaluations(&self) -> u64 {
        self.reestimation_evaluations
    }

    /// Completed re-estimation rounds.
    pub fn rounds(&self) -> u64 {
        self.rounds
    }

    /// Every re-estimated solution, oldest first.
    pub fn estimates(&self) -> &[Estimate<S::Solution>] {
        &self.estimates
    }

    /// Whether the point the last [`Sampler::ask`] returned re-evaluates a trusted
    /// solution, and which of its `resample_times` evaluations it is (from 1). An
    /// evaluator that re-estimates a solution in one go (ZOOpt's custom `resample_func`)
    /// answers the first and repeats that answer for the others.
    pub fn last_repetition(&self) -> Option<u64> {
        self.last_repetition
    }

    /// The wrapped sampler.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// Gives up the wrapper and returns the wrapped sampler.
    pub fn into_inner(self) -> S {
        self.inner
    }

    fn is_estimated(&self, x: &S::Solution) -> bool {
        self.estimates.iter().any(|e| e.x == *x)
    }

    /// Starts re-estimating the trusted solutions not yet re-estimated, best first, as
    /// many as the remaining budget can pay for in full.
    fn start_round(&mut self) {
        let affordable = match self.budget {
            Some(budget) => budget.saturating_sub(self.asked) / self.config.resample_times,
            None => u64::MAX,
        };
        let targets: Vec<Target<S::Solution>> = self
            .inner
            .trusted()
            .iter()
            .filter(|s| !self.is_estimated(&s.x))
            .take(usize::try_from(affordable).unwrap_or(usize::MAX))
            .map(|s| Target {
                x: s.x.clone(),
                original: s.value,
                tally: Tally::default(),
            })
            .collect();
        self.round = targets;
    }

    /// With a known budget: the moment the rest of the budget is exactly what the
    /// trusted solutions not yet re-estimated need (or a multiple of `resample_times`
    /// below it), spend it on them.
    fn final_round_due(&self) -> bool {
        let Some(budget) = self.budget else {
            return false;
        };
        let remaining = budget.saturating_sub(self.asked);
        let times = self.config.resample_times;
        let trusted = self.inner.trusted();
        // Cheap test first: the exact count below needs point comparisons.
        if remaining == 0
            || remaining % times != 0
            || remaining > (trusted.len() as u64).saturating_mul(times)
        {
            return false;
        }
        let pending = trusted.iter().filter(|s| !self.is_estimated(&s.x)).count() as u64;
        pending > 0 && remaining <= pending.saturating_mul(times)
    }

    fn finish_round(&mut self) {
        let b = self.config.balance_rate;
        let mut finished = Vec::with_capacity(self.round.len());
        for target in std::mem::take(&mut self.round) {
            let mean = ranked(target.tally.mean());
            // The paper's blend, with the value the solution had before the round (B6).
            let blended = ranked((1.0 - b) * target.original + b * mean);
            if self.recommendation.as_ref().is_none_or(|r| mean < r.value) {
                self.recommendation = Some(Evaluated::new(target.x.clone(), mean));
            }
            finished.push(Estimate {
                x: target.x,
                original: target.original,
                mean,
                blended,
            });
        }
        // Match by point: in a parallel run the trusted set may have changed meanwhile.
        let values: Vec<f64> = self
            .inner
            .trusted()
            .iter()
            .map(|s| {
                finished
                    .iter()
                    .find(|e| e.x == s.x)
                    .map_or(s.value, |e| e.blended)
            })
            .collect();
        self.inner.revalue(&values);
        self.estimates.extend(finished);
        self.rounds = self.rounds.saturating_add(1);
        self.non_update = 0;
    }
}

impl<S: Trusted> Sampler for Suppressed<S>
where
    S::Solution: PartialEq,
{
    type Solution = S::Solution;

    fn start(&mut self, budget: u64) {
        self.budget = self.config.final_round.then_some(budget);
        self.inner.start(budget);
    }

    fn ask(&mut self, rng: &mut ZooRng) -> Option<S::Solution> {
        if self.round.is_empty() && self.final_round_due() {
            self.start_round();
        }
        let times = self.config.resample_times;
        if let Some(target) = self.round.iter_mut().find(|t| t.tally.asked < times) {
            target.tally.asked = target.tally.asked.saturating_add(1);
            self.last_repetition = Some(target.tally.asked);
            self.asked = self.asked.saturating_add(1);
            self.reestimation_evaluations = self.reestimation_evaluations.saturating_add(1);
            return Some(target.x.clone());
        }
        self.last_repetition = None;
        let x = self.inner.ask(rng)?;
        self.asked = self.asked.saturating_add(1);
        Some(x)
    }

    fn tell(&mut self, x: S::Solution, value: f64) {
        let value = ranked(value);
        if let Some(i) = self.round.iter().position(|t| t.tally.awaiting() && t.x == x) {
            // Index: `i` was found by `position` in `self.round` just above.
            self.round[i].tally.record(value);
            if self
                .round
                .iter()
                .all(|t| t.tally.told == self.config.resample_times)
            {
                self.finish_round();
            }
            return;
        }
        // A new point. Before the trusted set exists there is nothing to improve.
        let trusted = self.inner.trusted();
        let bar = match self.config.trigger {
            Trigger::Best => trusted.first(),
            Trigger::Trusted => trusted.last(),
        };
        let improves = bar.map(|s| value < s.value);
        self.inner.tell(x, value);
        if !self.round.is_empty() {
            // Values still arriving from before the round (parallel runs) do not count.
            return;
        }
        match improves {
            Some(true) => self.non_update = 0,
            Some(false) => {
                self.non_update = self.non_update.saturating_add(1);
                if self.non_update >= self.config.non_update_allowed {
                    self.non_update = 0;
                    self.start_round();
                }
            }
            None => {}
        }
    }

    fn best(&self) -> Option<&Evaluated<S::Solution>> {
        self.recommendation.as_ref().or_else(|| self.inner.best())
    }

    fn check_state(&self) -> Result<(), StateError> {
        self.config
            .validate()
            .map_err(|e| StateError::inconsistent(e.to_string()))?;
        self.inner.check_state()?;
        for (i, target) in self.round.iter().enumerate() {
            target.tally.check(self.config.resample_times)?;
            self.inner
                .check_point(&target.x, &format!("re-estimated point {i}"))?;
        }
        for (i, estimate) in self.estimates.iter().enumerate() {
            self.inner.check_point(&estimate.x, &format!("estimate {i}"))?;
        }
        zoo_core::check_kept(self, &self.recommendation, "the recommendation")
    }

    fn check_point(&self, x: &S::Solution, what: &str) -> Result<(), StateError> {
        self.inner.check_point(x, what)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use zoo_core::testing::conformance;
    use zoo_core::{Minimize, Space};
    use zoo_racos::{SRacos, SRacosConfig};

    /// A trusted set of two solutions that nothing enters, with scripted proposals.
    #[derive(Debug, Clone)]
    struct Fixed {
        trusted: Vec<Evaluated<Vec<f64>>>,
        next: f64,
        revalued: Vec<Vec<f64>>,
    }

    impl Fixed {
        fn new() -> Self {
            Fixed {
                trusted: vec![Evaluated::new(vec![-1.0], 1.0), Evaluated::new(vec![-2.0], 2.0)],
                next: 0.0,
                revalued: Vec::new(),
            }
        }
    }

    impl Sampler for Fixed {
        type Solution = Vec<f64>;
        fn ask(&mut self, _: &mut ZooRng) -> Option<Vec<f64>> {
            self.next += 1.0;
            Some(vec![self.next])
        }
        fn tell(&mut self, _: Vec<f64>, _: f64) {}
        fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
            self.trusted.first()
        }
    }

    impl Trusted for Fixed {
        fn trusted(&self) -> &[Evaluated<Vec<f64>>] {
            &self.trusted
        }
        fn revalue(&mut self, values: &[f64]) {
            self.revalued.push(values.to_vec());
            for (s, &v) in self.trusted.iter_mut().zip(values) {
                s.value = v;
            }
            self.trusted.sort_by(|a, b| a.value.total_cmp(&b.value));
        }
    }

    fn config(non_update_allowed: u64, resample_times: u64, balance_rate: f64) -> SuppressionConfig {
        SuppressionConfig {
            non_update_allowed,
            resample_times,
            balance_rate,
            trigger: Trigger::Trusted,
            final_round: false,
        }
    }

    #[test]
    fn blends_the_original_estimate_with_the_new_mean() {
        let mut s = Suppressed::new(Fixed::new(), config(3, 2, 0.25)).unwrap();
        let mut rng = ZooRng::seed_from(0);
        for _ in 0..3 {
            let x = s.ask(&mut rng).unwrap();
            s.tell(x, 10.0); // worse than the worst trusted value
        }
        // The round re-evaluates both trusted solutions twice each, in trusted order.
        let asked: Vec<Vec<f64>> = (0..4).map(|_| s.ask(&mut rng).unwrap()).collect();
        assert_eq!(asked, [[-1.0], [-1.0], [-2.0], [-2.0]].map(|a| a.to_vec()));
        // Re-evaluations of [-1]: 4 and 6 (mean 5), of [-2]: 0 and 2 (mean 1). The last
        // single value differs from the mean, so ZOOpt's B6 would show here.
        for (x, v) in asked.into_iter().zip([4.0, 6.0, 0.0, 2.0]) {
            s.tell(x, v);
        }
        // 0.75·1 + 0.25·5 = 2 and 0.75·2 + 0.25·1 = 1.75.
        assert_eq!(s.inner().revalued, vec![vec![2.0, 1.75]]);
        assert_eq!(s.inner().trusted[0], Evaluated::new(vec![-2.0], 1.75));
        assert_eq!(s.reestimation_evaluations(), 4);
        assert_eq!(s.rounds(), 1);
        let e = &s.estimates()[0];
        assert_eq!((e.original, e.mean, e.blended), (1.0, 5.0, 2.0));
        // The recommendation is the lowest re-sampled mean, valued at that mean.
        assert_eq!(s.best(), Some(&Evaluated::new(vec![-2.0], 1.0)));
    }

    #[test]
    fn the_last_ask_says_which_repetition_of_a_reestimate_it_is() {
        let mut s = Suppressed::new(Fixed::new(), config(3, 2, 0.5)).unwrap();
        let mut rng = ZooRng::seed_from(0);
        for _ in 0..3 {
            let x = s.ask(&mut rng).unwrap();
            assert_eq!(s.last_repetition(), None);
            s.tell(x, 10.0);
        }
        let mut repetitions = Vec::new();
        for _ in 0..4 {
            let x = s.ask(&mut rng).unwrap();
            repetitions.push(s.last_repetition());
            s.tell(x, 1.0);
        }
        assert_eq!(repetitions, [Some(1), Some(2), Some(1), Some(2)]);
        s.ask(&mut rng).unwrap();
        assert_eq!(s.last_repetition(), None);
    }

    #[test]
    fn improving_values_reset_the_counter() {
        let mut s = Suppressed::new(Fixed::new(), config(3, 1, 0.5)).unwrap();
        let mut rng = ZooRng::seed_from(0);
        for v in [10.0, 10.0, 0.5, 10.0, 10.0] {
            let x = s.ask(&mut rng).unwrap();
            s.tell(x, v);
        }
        assert_eq!(s.ask(&mut rng), Some(vec![6.0]), "no round should have started");
    }

    #[test]
    fn best_trigger_counts_values_that_enter_but_do_not_lead() {
        for (trigger, round) in [(Trigger::Best, true), (Trigger::Trusted, false)] {
            let c = SuppressionConfig {
                trigger,
                ..config(3, 1, 0.5)
            };
            let mut s = Suppressed::new(Fixed::new(), c).unwrap();
            let mut rng = ZooRng::seed_from(0);
            for _ in 0..3 {
                let x = s.ask(&mut rng).unwrap();
                s.tell(x, 1.5); // between the best (1) and the worst (2) trusted value
            }
            let next = s.ask(&mut rng).unwrap();
            assert_eq!(next[0] < 0.0, round, "{trigger:?}");
        }
    }

    #[test]
    fn each_solution_is_re_estimated_once() {
        let mut s = Suppressed::new(Fixed::new(), config(2, 1, 0.5)).unwrap();
        let mut rng = ZooRng::seed_from(0);
        let mut reevaluated = 0;
        for _ in 0..40 {
            let x = s.ask(&mut rng).unwrap();
            if x[0] < 0.0 {
                reevaluated += 1;
            }
            s.tell(x, 10.0);
        }
        assert_eq!(reevaluated, 2);
        assert_eq!(s.reestimation_evaluations(), 2);
        // Later triggers find nothing left to re-estimate and only reset the counter.
        assert_eq!(s.rounds(), 1);
    }

    #[test]
    fn without_estimates_the_inner_recommendation_is_used() {
        let s = Suppressed::new(Fixed::new(), SuppressionConfig::default()).unwrap();
        assert_eq!(s.best(), Some(&Evaluated::new(vec![-1.0], 1.0)));
    }

    #[test]
    fn rejects_bad_settings() {
        let bad = [
            (
                config(0, 1, 0.5),
                NoiseError::Zero {
                    name: "non_update_allowed",
                },
            ),
            (
                config(1, 0, 0.5),
                NoiseError::Zero {
                    name: "resample_times",
                },
            ),
            (config(1, 1, 1.5), NoiseError::BalanceRate(1.5)),
            (config(1, 1, -0.1), NoiseError::BalanceRate(-0.1)),
        ];
        for (c, e) in bad {
            assert_eq!(Suppressed::new(Fixed::new(), c).err(), Some(e));
        }
        assert!(Suppressed::new(Fixed::new(), config(1, 1, f64::NAN)).is_err());
    }

    fn sracos(space: &Space, budget: u64) -> SRacos {
        SRacos::new(space.clone(), SRacosConfig::for_budget(budget)).unwrap()
    }

    #[test]
    fn budget_is_exact_and_the_final_round_fits_inside_it() {
        let space = Space::cube(10, -1.0, 1.0).unwrap();
        for budget in [1, 30, 257, 1_000, 1_999] {
            for final_round in [false, true] {
                let calls = Cell::new(0u64);
                let objective = |x: &[f64]| {
                    calls.set(calls.get() + 1);
                    x.iter().map(|v| v * v).sum::<f64>()
                };
                let c = SuppressionConfig {
                    final_round,
                    ..config(20, 15, 0.5)
                };
                let sampler = Suppressed::new(sracos(&space, budget), c).unwrap();
                let outcome = Minimize::new(objective, sampler)
                    .budget(budget)
                    .seed(3)
                    .run()
                    .unwrap();
                if final_round {
                    // Knowing the budget, every round that started was paid for in full.
                    assert_eq!(
                        outcome.sampler.reestimation_evaluations() % 15,
                        0,
                        "budget {budget}"
                    );
                }
                assert_eq!(outcome.evaluations, budget);
                assert_eq!(calls.get(), budget);
            }
        }
    }

    #[test]
    fn known_budget_ends_with_re_estimating_the_trusted_set() {
        let c = SuppressionConfig {
            final_round: true,
            ..config(1_000, 3, 0.5)
        };
        let mut s = Suppressed::new(Fixed::new(), c).unwrap();
        s.start(20);
        let mut rng = ZooRng::seed_from(0);
        let asked: Vec<f64> = (0..20)
            .map(|i| {
                let x = s.ask(&mut rng).unwrap();
                s.tell(x.clone(), i as f64);
                x[0]
            })
            .collect();
        assert_eq!(asked[..14], (1..=14).map(f64::from).collect::<Vec<_>>());
        assert_eq!(asked[14..], [-1.0, -1.0, -1.0, -2.0, -2.0, -2.0]);
        // Means 15 and 18: the recommendation is made inside the budget.
        assert_eq!(s.best(), Some(&Evaluated::new(vec![-1.0], 15.0)));
        assert_eq!(s.reestimation_evaluations(), 6);
    }

    #[test]
    fn same_seeds_give_the_same_run() {
        let space = Space::cube(20, -1.0, 1.0).unwrap();
        let run = |seed| {
            let noisy = crate::Noisy::new(zoo_core::testing::functions::sphere, 0.1, 5).unwrap();
            let sampler = Suppressed::new(sracos(&space, 2_000), config(30, 10, 0.5)).unwrap();
            let o = Minimize::new(noisy, sampler)
                .budget(2_000)
                .seed(seed)
                .run()
                .unwrap();
            (
                o.best.x,
                o.history.values().iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(run(4), run(4));
        assert_ne!(run(4).1, run(5).1);
    }

    #[test]
    fn suppressed_sracos_conforms() {
        conformance::check_all(|space| {
            Ok(Suppressed::new(sracos(space, 300), SuppressionConfig::default()).unwrap())
        });
        // Small settings so that rounds happen inside the suite's short runs.
        conformance::check_all(|space| {
            let c = SuppressionConfig {
                final_round: true,
                ..config(10, 3, 0.5)
            };
            Ok(Suppressed::new(sracos(space, 300), c).unwrap())
        });
    }

    #[test]
    fn every_reachable_state_restores() {
        conformance::reachable_states_restore(&|space: &Space| {
            let c = SuppressionConfig {
                final_round: true,
                ..config(10, 3, 0.5)
            };
            Ok(Suppressed::new(sracos(space, 300), c).unwrap())
        });
    }
}
