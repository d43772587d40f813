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
//! positive cannot hang the learner.

use serde::{Deserialize, Serialize};
use zoo_core::{ConfigError, Evaluated, Sampler, Space, StateError, Trusted, ZooRng};

use crate::config::{Replace, SRacosConfig};
use crate::training::{Training, TrainingSets};

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
}

impl SRacos {
    /// SRACOS over `space`; fails on out-of-range settings.
    pub fn new(space: Space, config: SRacosConfig) -> Result<Self, ConfigError> {
        Ok(SRacos {
            training: Training::new(space, config.learning)?,
            replace: config.replace,
            replace_rng: None,
        })
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
        self.training.propose(rng)
    }

    fn tell(&mut self, x: Vec<f64>, value: f64) {
        if !self.training.accepts(&x) {
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
        self.training.check()
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
