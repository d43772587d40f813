//! RACOS — randomized coordinate shrinking, in batches.
//!
//! Each iteration learns boxes from a fixed training set (positive: the best solutions,
//! negative: the rest) and samples as many new solutions as there are negatives. When
//! the batch is complete, the best `train_size` of the old set and the batch form the new
//! training set (elitist truncation).
//!
//! Reference: Y. Yu, H. Qian, Y.-Q. Hu. *Derivative-Free Optimization via
//! Classification.* AAAI 2016, pp. 2286–2292.
//!
//! Differences from ZOOpt's `Racos`: the budget is exact (ZOOpt finishes its last batch
//! and overspends by up to a training set); categorical dimensions are sampled over all
//! their values; proposals have a retry limit (ZOOpt's can loop forever); NaN values are
//! ranked as +∞; until some value is finite, proposals are drawn from the whole space.

use serde::{Deserialize, Serialize};
use zoo_core::{ConfigError, Evaluated, Sampler, Space, StateError, ZooRng};

use crate::config::RacosConfig;
use crate::training::{Training, TrainingSets};

/// Batch RACOS.
///
/// ```
/// use zoo_core::{Minimize, Space};
/// use zoo_racos::{Racos, RacosConfig};
///
/// let space = Space::cube(10, -1.0, 1.0)?;
/// let sphere = |x: &[f64]| x.iter().map(|v| (v - 0.2).powi(2)).sum::<f64>();
/// let outcome = Minimize::new(sphere, Racos::new(space, RacosConfig::for_budget(2_000))?)
///     .budget(2_000)
///     .seed(1)
///     .run()?;
/// assert_eq!(outcome.evaluations, 2_000);
/// assert!(outcome.best.value < 0.1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Racos {
    training: Training,
    /// Solutions of the current batch, told but not yet merged.
    batch: Vec<Evaluated<Vec<f64>>>,
}

impl Racos {
    /// RACOS over `space`; fails on out-of-range settings.
    pub fn new(space: Space, config: RacosConfig) -> Result<Self, ConfigError> {
        Ok(Racos {
            training: Training::new(space, config)?,
            batch: Vec::new(),
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
}

impl Sampler for Racos {
    type Solution = Vec<f64>;

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
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
        self.batch.push(solution);
        if self.batch.len() >= self.training.negative.len().max(1) {
            let mut all = std::mem::take(&mut self.batch);
            all.append(&mut self.training.positive);
            all.append(&mut self.training.negative);
            self.training.form_sets(all);
        }
    }

    fn check_state(&self) -> Result<(), StateError> {
        self.training.check()?;
        StateError::ensure(self.batch.len() < self.training.negative.len().max(1), || {
            format!("{} solutions in the unfinished batch", self.batch.len())
        })?;
        zoo_core::check_kept(self, &self.batch, "batch solution")
    }

    fn check_point(&self, x: &Vec<f64>, what: &str) -> Result<(), StateError> {
        self.training.space.check_point(x, || what.to_owned())
    }

    fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
        let best = self.training.best();
        // A solution of the unfinished batch may already beat the training set.
        self.batch
            .iter()
            .filter(|s| best.is_none_or(|b| s.value < b.value))
            .min_by(|a, b| a.value.total_cmp(&b.value))
            .or(best)
    }
}
