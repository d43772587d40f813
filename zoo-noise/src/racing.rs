//! `Racing` — adaptive re-sampling: each proposed point is evaluated again only while it
//! could still enter the wrapped sampler's trusted set.
//!
//! Fixed re-sampling ([`Resampling`](crate::Resampling)) spends `k` evaluations on every
//! point, although most points a sampler proposes are clearly worse than its best ones
//! after a single value. `Racing` evaluates a new point once, then again while the lower
//! confidence bound of its mean, `mean − z·σ/√n`, is below the entry bar — the worst value
//! of the wrapped sampler's trusted set (SRACOS's positive set) — and it has fewer than
//! `max_times` values. The wrapped sampler is told the mean. σ is the noise standard
//! deviation, estimated from the points evaluated more than once with more weight on the
//! recent ones (under multiplicative noise it shrinks as the values do); until two such
//! points exist every point gets `max_times` evaluations.
//!
//! A point that will not make it so costs one evaluation instead of `k`; a point that may
//! enter gets the full `max_times` and a mean as trustworthy as fixed re-sampling's. This
//! is racing (Maron & Moore, *Hoeffding races*, NIPS 1993) against one opponent, the entry
//! bar, in the spirit of the adaptive re-sampling of Cantú-Paz (*Adaptive sampling for
//! noisy problems*, GECCO 2004).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use zoo_core::{Evaluated, Sampler, StateError, Trusted, ZooRng, ranked};

use crate::error::NoiseError;
use crate::tally::Tally;

/// Confidence multiplier of the lower bound (one-sided, about 98 %).
const Z: f64 = 2.0;

/// Weight of each new point's variance in the noise variance, once ten points have one.
const VARIANCE_WEIGHT: f64 = 0.1;

/// A point being raced, valued at its running mean.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Open<P> {
    estimate: Evaluated<P>,
    tally: Tally,
    /// Sum of squared values, for the point's own variance.
    #[serde(with = "zoo_core::float_serde")]
    squares: f64,
}

/// Re-evaluates each point of `S` only while it could enter `S`'s trusted set.
///
/// | name | default | meaning | range |
/// | --- | --- | --- | --- |
/// | `max_times` | — (10 matches ZOOpt's re-sampling example) | most evaluations averaged per point | `≥ 1` |
///
/// Sequential use only: the next point is proposed once the current one is decided
/// (parallel workers get the current point again).
///
/// ```
/// use zoo_core::{Minimize, Space};
/// use zoo_noise::{Noisy, Racing};
/// use zoo_racos::{SRacos, SRacosConfig};
///
/// let sphere = |x: &[f64]| x.iter().map(|v| (v - 0.2).powi(2)).sum::<f64>();
/// let sampler = Racing::new(SRacos::new(Space::cube(10, -1.0, 1.0)?, SRacosConfig::for_budget(3_000))?, 10)?;
/// let outcome = Minimize::new(Noisy::new(sphere, 0.1, 7)?, sampler).budget(3_000).seed(1).run()?;
/// assert_eq!(outcome.evaluations, 3_000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(
    serialize = "S: Serialize, S::Solution: Serialize",
    deserialize = "S: DeserializeOwned, S::Solution: DeserializeOwned"
))]
pub struct Racing<S: Trusted> {
    inner: S,
    max_times: u64,
    open: Option<Open<S::Solution>>,
    /// The noise variance: the sample variances of the points evaluated more than once,
    /// averaged with more weight on recent ones (multiplicative noise shrinks as the values
    /// do), and their number.
    #[serde(with = "zoo_core::float_serde")]
    variance: f64,
    variances: u64,
}

impl<S: Trusted> Racing<S>
where
    S::Solution: PartialEq,
{
    /// Wraps `inner`, averaging at most `max_times` evaluations per point; fails when
    /// `max_times` is 0.
    pub fn new(inner: S, max_times: u64) -> Result<Self, NoiseError> {
        if max_times == 0 {
            return Err(NoiseError::Zero { name: "max_times" });
        }
        Ok(Racing {
            inner,
            max_times,
            open: None,
            variance: 0.0,
            variances: 0,
        })
    }

    /// The wrapped sampler.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// The estimated noise standard deviation, once two points were evaluated more than once.
    pub fn noise_sd(&self) -> Option<f64> {
        (self.variances >= 2).then(|| self.variance.sqrt())
    }

    /// Whether the open point is decided: it has `max_times` values, or its lower
    /// confidence bound clears the entry bar.
    fn decided(&self, open: &Open<S::Solution>) -> bool {
        let n = open.tally.told;
        if n >= self.max_times {
            return true;
        }
        let (Some(sd), Some(bar)) = (self.noise_sd(), self.inner.trusted().last()) else {
            return false;
        };
        let mean = open.estimate.value;
        mean - Z * sd / (n as f64).sqrt() >= bar.value
    }

    fn close(&mut self) {
        let Some(open) = self.open.take() else { return };
        let n = open.tally.told as f64;
        if n >= 2.0 {
            let mean = open.tally.mean();
            let variance = (open.squares - n * mean * mean) / (n - 1.0);
            if variance.is_finite() {
                // A running mean over the first points, then exponential forgetting.
                let weight = (1.0 / (self.variances + 1) as f64).max(VARIANCE_WEIGHT);
                self.variance += weight * (variance.max(0.0) - self.variance);
                self.variances += 1;
            }
        }
        self.inner.tell(open.estimate.x, open.estimate.value);
    }
}

impl<S: Trusted> Sampler for Racing<S>
where
    S::Solution: PartialEq,
{
    type Solution = S::Solution;

    fn start(&mut self, budget: u64) {
        self.inner.start(budget);
    }

    fn ask(&mut self, rng: &mut ZooRng) -> Option<S::Solution> {
        if let Some(open) = self.open.as_mut() {
            open.tally.asked = open.tally.asked.saturating_add(1);
            return Some(open.estimate.x.clone());
        }
        let x = self.inner.ask(rng)?;
        self.open = Some(Open {
            estimate: Evaluated::new(x.clone(), f64::INFINITY),
            tally: Tally {
                asked: 1,
                ..Tally::default()
            },
            squares: 0.0,
        });
        Some(x)
    }

    fn tell(&mut self, x: S::Solution, value: f64) {
        let Some(open) = self.open.as_mut().filter(|o| o.estimate.x == x) else {
            // Never asked (a warm start): a value like any other.
            self.inner.tell(x, value);
            return;
        };
        let value = ranked(value);
        open.tally.record(value);
        open.squares += value * value;
        open.estimate.value = ranked(open.tally.mean());
        let decided = self.open.as_ref().is_some_and(|o| self.decided(o));
        if decided {
            self.close();
        }
    }

    fn check_state(&self) -> Result<(), StateError> {
        StateError::ensure(self.max_times >= 1, || "racing up to 0 times".to_owned())?;
        StateError::ensure(
            self.variance >= 0.0 && self.variance.is_finite() || self.variances == 0,
            || "the noise variance is out of range".to_owned(),
        )?;
        self.inner.check_state()?;
        if let Some(open) = &self.open {
            open.tally.check(self.max_times.max(open.tally.asked))?;
            StateError::ensure(open.tally.told < self.max_times, || {
                "the open point is already decided".to_owned()
            })?;
            self.inner.check_point(&open.estimate.x, "the open point")?;
        }
        Ok(())
    }

    fn check_point(&self, x: &S::Solution, what: &str) -> Result<(), StateError> {
        self.inner.check_point(x, what)
    }

    /// The wrapped sampler's recommendation; before it has one, the open point's mean.
    fn best(&self) -> Option<&Evaluated<S::Solution>> {
        self.inner.best().or_else(|| {
            self.open
                .as_ref()
                .filter(|o| o.tally.told > 0)
                .map(|o| &o.estimate)
        })
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use zoo_core::testing::conformance;
    use zoo_core::{Minimize, Space};
    use zoo_racos::{SRacos, SRacosConfig};

    use crate::{Noisy, Resampling};

    fn sphere(x: &[f64]) -> f64 {
        x.iter().map(|v| (v - 0.2).powi(2)).sum()
    }

    /// SRACOS as under declared noise: five positives, drawn around any of them.
    fn sracos(budget: u64) -> SRacos {
        let mut config = SRacosConfig::for_budget(budget);
        config.learning.positive_size = 5;
        config.learning.centre = zoo_racos::Centre::RandomPositive;
        SRacos::new(Space::cube(10, -1.0, 1.0).unwrap(), config).unwrap()
    }

    #[test]
    fn bad_points_get_one_evaluation_and_good_ones_the_full_count() {
        let mut sampler = Racing::new(sracos(3_000), 10).unwrap();
        let noisy = Noisy::new(sphere, 0.1, 3).unwrap();
        let mut rng = ZooRng::seed_from(1);
        let mut counts: Vec<(Vec<f64>, u64)> = Vec::new();
        for _ in 0..3_000 {
            let x = sampler.ask(&mut rng).unwrap();
            match counts.last_mut() {
                Some((last, n)) if *last == x => *n += 1,
                _ => counts.push((x.clone(), 1)),
            }
            let v = zoo_core::Objective::evaluate(&noisy, &x[..]);
            sampler.tell(x, v);
        }
        assert!(counts.iter().all(|(_, n)| (1..=10).contains(n)));
        let singles = counts.iter().filter(|(_, n)| *n == 1).count();
        let full = counts.iter().filter(|(_, n)| *n == 10).count();
        assert!(
            singles > counts.len() / 2,
            "{singles} of {} points decided at once",
            counts.len()
        );
        assert!(
            full > 22,
            "the initial points and the contenders get every evaluation: {full}"
        );
        let sd = sampler.noise_sd().unwrap();
        assert!((sd - 0.1).abs() < 0.02, "estimated noise sd {sd}");
    }

    #[test]
    fn racing_beats_fixed_resampling_on_a_noisy_sphere() {
        fn true_value<S: Sampler<Solution = Vec<f64>>>(sampler: S, seed: u64) -> f64 {
            let noisy = Noisy::new(sphere, 0.1, seed).unwrap();
            let outcome = Minimize::new(&noisy, sampler)
                .budget(3_000)
                .seed(seed)
                .run()
                .unwrap();
            sphere(&outcome.best.x)
        }
        let run = |seed: u64, racing: bool| {
            if racing {
                true_value(Racing::new(sracos(300), 10).unwrap(), seed)
            } else {
                true_value(Resampling::new(sracos(300), 10).unwrap(), seed)
            }
        };
        let wins = (1..=9).filter(|&s| run(s, true) < run(s, false)).count();
        assert!(wins >= 7, "racing better on {wins} of 9 seeds");
    }

    #[test]
    fn racing_conforms() {
        conformance::check_all(|space| {
            Ok(Racing::new(SRacos::new(space.clone(), SRacosConfig::for_budget(300))?, 4).unwrap())
        });
    }

    #[test]
    fn every_reachable_state_restores() {
        conformance::reachable_states_restore(&|space: &zoo_core::Space| {
            Ok(Racing::new(SRacos::new(space.clone(), SRacosConfig::for_budget(300))?, 4).unwrap())
        });
    }
}
