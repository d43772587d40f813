//! SRACOS — sequential randomized coordinate shrinking.
//!
//! RACOS learns a box that separates the best solutions found so far (positive) from the
//! others (negative) and samples inside it (see the classifier module). The sequential
//! version updates its training set after *every* evaluation: a new solution that beats
//! the worst positive takes its place, and the solution that falls out of the positive
//! set may replace a negative, chosen by a [`Replace`] strategy. The model therefore
//! improves with each evaluation instead of each batch.
//!
//! Reference: Y.-Q. Hu, H. Qian, Y. Yu. *Sequential Classification-Based Optimization for
//! Direct Policy Search.* AAAI 2017, pp. 2029–2035.
//!
//! Differences from ZOOpt's `SRacos`: categorical dimensions are sampled over all their
//! values; NaN values are ranked as +∞; the retry limit applies per proposal (ZOOpt counts
//! failures over the whole run); a proposal that finds no new point in the learned box
//! widens to the whole space before reporting exhaustion; a negative identical to the
//! positive cannot hang the learner; until some value is finite, proposals are drawn from
//! the whole space (a box learnt around infinite values would stay among them).
//!
//! Noise check of the default centre rule: with [`Centre::Auto`] on a space with a
//! continuous dimension, SRACOS draws around the best solution, which is right for
//! deterministic objectives and wrong for noisy ones as it stands (the best value is then
//! mostly the luckiest draw, and the search locks onto it). So once the training sets are
//! formed, the best initial solution is evaluated a second time — one evaluation of the
//! budget. If the two values differ (beyond a relative 1e-9, the scale of floating-point
//! non-reproducibility) the objective is noisy, and from then on the best positive is
//! evaluated again while its lead over the runner-up is within the noise and valued at the
//! mean of its evaluations (the `trust` module): SRACOS still draws around the best, but a
//! best it can trust. Otherwise nothing changes: the check's evaluation is not learned
//! from and draws no random number, so a deterministic run proposes the same points as
//! without it, one evaluation later.

use serde::{Deserialize, Serialize};
use zoo_core::{ConfigError, Evaluated, Sampler, Space, StateError, Trusted, ZooRng};

use crate::config::{Centre, Replace, SRacosConfig};
use crate::training::{Training, TrainingSets};
use crate::trust::Trust;

/// Sequential RACOS.
///
/// ```
/// use zoo_core::{Minimize, Space};
/// use zoo_racos::{SRacos, SRacosConfig};
///
/// let space = Space::cube(10, -1.0, 1.0)?;
/// let sphere = |x: &[f64]| x.iter().map(|v| (v - 0.2).powi(2)).sum::<f64>();
/// let outcome = Minimize::new(sphere, SRacos::new(space, SRacosConfig::for_budget(2_000))?)
///     .budget(2_000)
///     .seed(1)
///     .run()?;
/// assert!(outcome.best.value < 0.05);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SRacos {
    training: Training,
    replace: Replace,
    /// Stream for random replacement, forked from the run's stream at the first ask
    /// (`tell` receives no generator).
    replace_rng: Option<ZooRng>,
    /// The noise check of [`Centre::Auto`] (see the module documentation).
    #[serde(default)]
    probe: NoiseProbe,
    /// Re-evaluation of the best positive, once the noise check found noise.
    #[serde(default)]
    trust: Option<Trust>,
}

/// Where the noise check of [`Centre::Auto`] stands.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
enum NoiseProbe {
    /// No check: the centre rule was chosen explicitly, or the space is discrete.
    #[default]
    Off,
    /// The check is due once the training sets are formed; the best point the run
    /// evaluated so far (a warm start's value came from elsewhere and is not checked).
    Due(Option<Evaluated<Vec<f64>>>),
    /// The best initial solution was asked again; its first value.
    Asked(Evaluated<Vec<f64>>),
    /// The second value came back: whether it differed.
    Done {
        /// The objective returned two values for one point.
        noisy: bool,
    },
}

/// Two values of one point that differ by more than this (relative) come from a noisy
/// objective; smaller differences are floating-point non-reproducibility.
const SAME_VALUE: f64 = 1e-9;

fn differ(a: f64, b: f64) -> bool {
    if !(a.is_finite() && b.is_finite()) {
        return a.total_cmp(&b).is_ne();
    }
    (a - b).abs() > SAME_VALUE * a.abs().max(b.abs())
}

impl SRacos {
    /// SRACOS over `space`; fails on out-of-range settings.
    pub fn new(space: Space, config: SRacosConfig) -> Result<Self, ConfigError> {
        let chosen = config.learning.centre;
        let training = Training::new(space, config.learning)?;
        let probe = if config.noise_check && chosen == Centre::Auto && training.config.centre == Centre::Best
        {
            NoiseProbe::Due(None)
        } else {
            NoiseProbe::Off
        };
        Ok(SRacos {
            training,
            replace: config.replace,
            replace_rng: None,
            probe,
            trust: None,
        })
    }

    /// What the noise check of [`Centre::Auto`] found: `Some(true)` when a re-evaluated
    /// point returned a different value (SRACOS then re-evaluates its best positive while
    /// its lead is uncertain),
    /// `Some(false)` when it returned the same, `None` before the check or without one.
    pub fn noise_detected(&self) -> Option<bool> {
        match self.probe {
            NoiseProbe::Done { noisy } => Some(noisy),
            _ => None,
        }
    }

    /// The centre rule in use (`Auto` resolved by the space).
    pub fn centre(&self) -> Centre {
        self.training.config.centre
    }

    /// Answers the noise check's re-evaluation; `false` when `x` is not its point.
    fn answer_probe(&mut self, x: &[f64], value: f64) -> bool {
        let NoiseProbe::Asked(first) = &self.probe else {
            return false;
        };
        if first.x != x {
            return false;
        }
        let second = zoo_core::ranked(value);
        let noisy = differ(first.value, second);
        if noisy {
            self.trust = Some(Trust::new(first, second, &mut self.training.positive));
        }
        self.probe = NoiseProbe::Done { noisy };
        true
    }

    /// Evaluations spent on re-evaluating points (the noise check's and, under noise, the
    /// best positive's).
    pub fn reevaluations(&self) -> u64 {
        let check = u64::from(matches!(self.probe, NoiseProbe::Done { .. }));
        check + self.trust.as_ref().map_or(0, Trust::reevaluations)
    }

    /// The space searched.
    pub fn space(&self) -> &Space {
        &self.training.space
    }

    /// The training data: the positive set (best first) and the negative set. Before the
    /// sets are formed (the first `train_size` values), no positives and the solutions
    /// told so far. What ZOOpt's stopping criteria read as `get_positive_data()` and
    /// `get_negative_data()`.
    pub fn training_sets(&self) -> TrainingSets<'_> {
        self.training.sets()
    }

    /// The uncertain bits in use (resolved from the space when set to automatic).
    pub fn uncertain_bits(&self) -> usize {
        self.training.uncertain_bits
    }

    /// The negative set (empty until the initial samples are in).
    pub fn negative(&self) -> &[Evaluated<Vec<f64>>] {
        &self.training.negative
    }

    fn replace_negative(&mut self, rejected: Evaluated<Vec<f64>>) {
        let negative = &mut self.training.negative;
        if negative.is_empty() {
            return;
        }
        let replace_rng = &mut self.replace_rng;
        match self.replace {
            Replace::Worst => {
                let (worst, _) =
                    negative
                        .iter()
                        .enumerate()
                        .fold((0, f64::NEG_INFINITY), |(wi, wv), (i, s)| {
                            if s.value > wv { (i, s.value) } else { (wi, wv) }
                        });
                // Index: `worst` is a position of the non-empty `negative` (checked above).
                if negative[worst].value > rejected.value {
                    negative[worst] = rejected;
                }
            }
            Replace::Random => {
                let rng = replace_rng.get_or_insert_with(|| ZooRng::seed_from(0));
                let i = rng.index(negative.len());
                // Index: drawn below `negative.len()`.
                negative[i] = rejected;
            }
            Replace::Farthest => {
                let best = negative
                    .iter()
                    .min_by(|a, b| a.value.total_cmp(&b.value))
                    .map(|s| s.x.clone())
                    .unwrap_or_default();
                let distance = |x: &[f64]| x.iter().zip(&best).map(|(a, b)| (a - b) * (a - b)).sum::<f64>();
                let (far, _) = negative.iter().enumerate().fold((0, 0.0), |(fi, fd), (i, s)| {
                    let d = distance(&s.x);
                    if d > fd { (i, d) } else { (fi, fd) }
                });
                // Index: `far` is a position of `negative`.
                negative[far] = rejected;
            }
        }
    }
}

impl Sampler for SRacos {
    type Solution = Vec<f64>;

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        if self.replace == Replace::Random && self.replace_rng.is_none() {
            self.replace_rng = Some(rng.fork());
        }
        if self.training.is_ready()
            && matches!(self.probe, NoiseProbe::Due(Some(_)))
            && let NoiseProbe::Due(Some(best)) = std::mem::take(&mut self.probe)
        {
            let again = best.x.clone();
            self.probe = NoiseProbe::Asked(best);
            return Some(again);
        }
        if let Some(trust) = self.trust.as_mut() {
            let runner_up = self
                .training
                .negative
                .iter()
                .min_by(|a, b| a.value.total_cmp(&b.value));
            if let Some(again) = trust.next(&self.training.positive, runner_up) {
                return Some(again);
            }
        }
        self.training.propose(rng)
    }

    fn tell(&mut self, x: Vec<f64>, value: f64) {
        if !self.training.accepts(&x) || self.answer_probe(&x, value) {
            return;
        }
        if let NoiseProbe::Due(best) = &mut self.probe
            && self.training.is_pending(&x)
        {
            let value = zoo_core::ranked(value);
            if best.as_ref().is_none_or(|b| value < b.value) {
                *best = Some(Evaluated::new(x.clone(), value));
            }
        }
        if let Some(trust) = self.trust.as_mut()
            && trust.receive(&x, zoo_core::ranked(value), &mut self.training.positive)
        {
            return;
        }
        let solution = self.training.receive(x, value);
        let Some(solution) = self.training.collect(solution) else {
            return;
        };
        let positive = &mut self.training.positive;
        let rejected = if positive.last().is_some_and(|worst| solution.value < worst.value) {
            let at = positive.partition_point(|p| p.value <= solution.value);
            positive.insert(at, solution);
            match positive.pop() {
                Some(worst) => worst,
                None => return, // unreachable: one was just inserted
            }
        } else {
            solution
        };
        self.replace_negative(rejected);
    }

    fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
        self.training.best()
    }

    fn check_state(&self) -> Result<(), StateError> {
        self.training.check()?;
        if let NoiseProbe::Asked(first) = &self.probe {
            self.training
                .space
                .check_point(&first.x, || "the re-evaluated point".to_owned())?;
        }
        if let Some(trust) = &self.trust {
            trust.check(self.training.positive.len())?;
        }
        Ok(())
    }

    fn check_point(&self, x: &Vec<f64>, what: &str) -> Result<(), StateError> {
        self.training.space.check_point(x, || what.to_owned())
    }
}

impl Trusted for SRacos {
    fn trusted(&self) -> &[Evaluated<Vec<f64>>] {
        &self.training.positive
    }

    fn revalue(&mut self, values: &[f64]) {
        let positive = &mut self.training.positive;
        for (s, &v) in positive.iter_mut().zip(values) {
            s.value = zoo_core::ranked(v);
        }
        positive.sort_by(|a, b| a.value.total_cmp(&b.value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sphere(x: &[f64]) -> f64 {
        x.iter().map(|v| (v - 0.2).powi(2)).sum()
    }

    fn run(sampler: SRacos, noise: f64) -> SRacos {
        let mut stream = ZooRng::seed_from(99);
        let mut objective = move |x: &[f64]| sphere(x) + noise * stream.normal();
        let mut sampler = sampler;
        let mut rng = ZooRng::seed_from(1);
        for _ in 0..200 {
            let Some(x) = sampler.ask(&mut rng) else { break };
            let value = objective(&x);
            sampler.tell(x, value);
        }
        sampler
    }

    fn sracos(centre: Centre) -> SRacos {
        let mut config = SRacosConfig::for_budget(200);
        config.learning.centre = centre;
        SRacos::new(Space::cube(5, -1.0, 1.0).unwrap(), config).unwrap()
    }

    /// A feasible ball of radius 6 in the 10-D box `[-5, 5]` (1.5 % of its volume), every
    /// other point infinite: boxes learnt around infinite values kept SRACOS among them
    /// (6 of 10 seeds without a finite value after 1,000 evaluations); uniform draws until a
    /// value is finite find the ball on every seed.
    #[test]
    fn until_a_value_is_finite_the_whole_space_is_searched() {
        let space = Space::cube(10, -5.0, 5.0).unwrap();
        let ball = |x: &[f64]| {
            if x.iter().map(|v| v * v).sum::<f64>() <= 36.0 {
                x.iter().map(|v| (v - 1.0).powi(2)).sum()
            } else {
                f64::INFINITY
            }
        };
        for seed in 1..=10 {
            let sampler = SRacos::new(space.clone(), SRacosConfig::for_budget(1000)).unwrap();
            let outcome = zoo_core::Minimize::new(ball, sampler)
                .budget(1000)
                .seed(seed)
                .run()
                .unwrap();
            assert!(outcome.best.value < 5.0, "seed {seed}: {}", outcome.best.value);
        }
    }

    #[test]
    fn auto_centre_checks_for_noise_once() {
        let quiet = run(sracos(Centre::Auto), 0.0);
        assert_eq!(quiet.noise_detected(), Some(false));
        assert_eq!(quiet.centre(), Centre::Best);
        let noisy = run(sracos(Centre::Auto), 0.1);
        assert_eq!(noisy.noise_detected(), Some(true));
        assert_eq!(noisy.centre(), Centre::Best);
        assert!(noisy.reevaluations() > 1, "the best positive is evaluated again");
        assert!(noisy.reevaluations() <= 1 + 40, "at most a fifth of the asks");
        noisy.check_state().expect("a state a noisy run reaches resumes");
        let mut damaged = serde_json::to_value(&noisy).unwrap();
        damaged["trust"]["variance"] = serde_json::json!(-1.0);
        let damaged: SRacos = serde_json::from_value(damaged).unwrap();
        assert!(
            damaged.check_state().is_err(),
            "a negative noise variance is refused"
        );
        assert_eq!(quiet.reevaluations(), 1, "the check alone");
        // An explicit rule is kept, and so is the best-centre rule without the check.
        let chosen = run(sracos(Centre::Best), 0.1);
        assert_eq!(chosen.noise_detected(), None);
        assert_eq!(chosen.centre(), Centre::Best);
        let mut config = SRacosConfig::for_budget(200);
        config.noise_check = false;
        let unchecked = run(
            SRacos::new(Space::cube(5, -1.0, 1.0).unwrap(), config).unwrap(),
            0.1,
        );
        assert_eq!(unchecked.noise_detected(), None);
        assert_eq!(unchecked.centre(), Centre::Best);
    }

    #[test]
    fn the_check_costs_one_evaluation_and_changes_nothing_else() {
        let points = |centre: Centre, n: usize| {
            let mut sampler = sracos(centre);
            let mut rng = ZooRng::seed_from(3);
            let mut asked = Vec::new();
            for _ in 0..n {
                let x = sampler.ask(&mut rng).unwrap();
                sampler.tell(x.clone(), sphere(&x));
                asked.push(x);
            }
            asked
        };
        let checked = points(Centre::Auto, 100);
        let plain = points(Centre::Best, 99);
        let train = SRacosConfig::for_budget(200).learning.train_size;
        // The re-evaluated point is the best initial one, asked right after the initial
        // ones; every other point is the one SRACOS proposes without the check.
        assert_eq!(checked[..train], plain[..train]);
        assert_eq!(checked[train + 1..], plain[train..]);
        let best = plain[..train]
            .iter()
            .min_by(|a, b| sphere(a).total_cmp(&sphere(b)))
            .unwrap();
        assert_eq!(&checked[train], best);
    }
}
