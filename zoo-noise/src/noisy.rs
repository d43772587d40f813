//! `Noisy` — an objective with Gaussian noise, additive or multiplicative, for tests and
//! benchmarks.
//!
//! Every call returns `f(x) + σ·ε` (additive, [`Noisy::new`]) or `f(x)·exp(σ·ε)`
//! (multiplicative, [`Noisy::multiplicative`]: the Gaussian noise model of COCO's noisy
//! BBOB testbed, Hansen et al., INRIA RR-6869, 2009, which keeps the sign of `f`) with
//! `ε ~ N(0, 1)` drawn from the wrapper's own ChaCha8 stream, seeded separately from the
//! run. The noise is therefore reproducible
//! and independent of the optimizer's random choices: changing the optimizer (or its
//! seed) does not change which noise a given call sequence receives. ZOOpt's examples
//! draw the noise from numpy's global generator, the one the optimizer also uses (§13
//! B11 of the ZOOpt specification), so the two interfere.
//!
//! The noise-free value stays available through [`Noisy::noise_free`], which is how the
//! quality of a recommendation is judged on a noisy problem.

use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use zoo_core::{Objective, ZooRng};

use crate::error::NoiseError;

/// How the noise draw `ε ~ N(0, 1)` enters the value `f(x)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoiseModel {
    /// `f(x) + σ·ε`: the same spread everywhere (the default).
    #[default]
    Additive,
    /// `f(x)·exp(σ·ε)`: a spread proportional to `|f(x)|`, vanishing at a zero optimum
    /// (COCO's Gaussian noise model).
    Multiplicative,
}

/// `objective` plus Gaussian noise `N(0, σ²)` from its own seeded stream (or, built
/// with [`Noisy::multiplicative`], times `exp(N(0, σ²))`).
///
/// The stream sits behind a mutex, so a `Noisy` objective is `Sync` and works in
/// parallel runs; there the order of calls, hence which call gets which noise draw,
/// follows the thread schedule. In sequential runs a seed pair (run seed, noise seed)
/// reproduces everything.
///
/// ```
/// use zoo_core::Objective;
/// use zoo_noise::Noisy;
///
/// let sphere = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>();
/// let noisy = Noisy::new(sphere, 0.1, 42)?;
/// let x = [0.5, 0.5];
/// assert_ne!(noisy.evaluate(&x), 0.5); // 0.5 plus a noise draw
/// assert_eq!(noisy.noise_free(&x), 0.5);
/// # Ok::<(), zoo_noise::NoiseError>(())
/// ```
#[derive(Debug, Serialize, Deserialize)]
pub struct Noisy<O> {
    objective: O,
    sigma: f64,
    #[serde(default)]
    model: NoiseModel,
    stream: Mutex<ZooRng>,
}

impl<O> Noisy<O> {
    /// `objective` with noise of standard deviation `sigma` drawn from the stream of
    /// `seed`; fails unless `sigma` is finite and `≥ 0`.
    ///
    /// The noise stream of a seed is not the run's stream of the same seed (the seed is
    /// scrambled first), so `Noisy::new(f, σ, s)` in a run with `.seed(s)` still gets
    /// noise independent of the optimizer's draws.
    pub fn new(objective: O, sigma: f64, seed: u64) -> Result<Self, NoiseError> {
        Self::with_stream(objective, sigma, ZooRng::seed_from(scramble(seed)))
    }

    /// `objective` times `exp(σ·ε)`, `ε ~ N(0, 1)` from the stream of `seed`; fails
    /// unless `sigma` is finite and `≥ 0`.
    ///
    /// ```
    /// use zoo_core::Objective;
    /// use zoo_noise::{NoiseModel, Noisy};
    ///
    /// let noisy = Noisy::multiplicative(|x: &[f64]| x[0] * x[0], 0.5, 42)?;
    /// assert_eq!(noisy.model(), NoiseModel::Multiplicative);
    /// assert!(noisy.evaluate(&[2.0][..]) > 0.0); // the sign of f is kept
    /// assert_eq!(noisy.evaluate(&[0.0][..]), 0.0); // no noise at a zero value
    /// # Ok::<(), zoo_noise::NoiseError>(())
    /// ```
    pub fn multiplicative(objective: O, sigma: f64, seed: u64) -> Result<Self, NoiseError> {
        Self::with_model(
            objective,
            sigma,
            NoiseModel::Multiplicative,
            ZooRng::seed_from(scramble(seed)),
        )
    }

    /// As [`Noisy::new`], continuing a saved noise stream (see [`Noisy::stream`]).
    pub fn with_stream(objective: O, sigma: f64, stream: ZooRng) -> Result<Self, NoiseError> {
        Self::with_model(objective, sigma, NoiseModel::Additive, stream)
    }

    /// Noise of `model` and standard deviation `sigma`, drawn from `stream`.
    pub fn with_model(
        objective: O,
        sigma: f64,
        model: NoiseModel,
        stream: ZooRng,
    ) -> Result<Self, NoiseError> {
        if !(sigma.is_finite() && sigma >= 0.0) {
            return Err(NoiseError::Sigma(sigma));
        }
        Ok(Noisy {
            objective,
            sigma,
            model,
            stream: Mutex::new(stream),
        })
    }

    /// The noise-free objective.
    pub fn objective(&self) -> &O {
        &self.objective
    }

    /// The noise standard deviation σ.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// How the noise enters the value.
    pub fn model(&self) -> NoiseModel {
        self.model
    }

    /// The current state of the noise stream, to checkpoint a run together with its
    /// noise and continue it with [`Noisy::with_stream`].
    pub fn stream(&self) -> ZooRng {
        self.lock().clone()
    }

    /// The value at `x` without noise (does not advance the noise stream).
    pub fn noise_free<V: ?Sized>(&self, x: &V) -> f64
    where
        O: Objective<V>,
    {
        self.objective.evaluate(x)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ZooRng> {
        // The stream is only touched by `normal()`, which cannot panic half-way, so a
        // poisoned lock still guards a consistent state.
        self.stream.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// SplitMix64's finaliser over the seed and a tag: a bijection, so distinct seeds keep
/// distinct streams, none of which is the run's stream for the same seed.
fn scramble(seed: u64) -> u64 {
    // "noisy_zo"
    zoo_core::mix64((seed ^ 0x6e6f_6973_795f_7a6f).wrapping_add(0x9e37_79b9_7f4a_7c15))
}

impl<O: Clone> Clone for Noisy<O> {
    fn clone(&self) -> Self {
        Noisy {
            objective: self.objective.clone(),
            sigma: self.sigma,
            model: self.model,
            stream: Mutex::new(self.stream()),
        }
    }
}

impl<V: ?Sized, O: Objective<V>> Objective<V> for Noisy<O> {
    fn evaluate(&self, x: &V) -> f64 {
        // Evaluate first: a panicking objective then leaves the stream untouched.
        let value = self.objective.evaluate(x);
        let draw = self.lock().normal();
        match self.model {
            NoiseModel::Additive => value + self.sigma * draw,
            NoiseModel::Multiplicative => value * (self.sigma * draw).exp(),
        }
    }
}

/// Lets a run borrow the objective, so that the caller keeps it (to read
/// [`Noisy::stream`] for a checkpoint, or [`Noisy::noise_free`] afterwards).
impl<V: ?Sized, O: Objective<V>> Objective<V> for &Noisy<O> {
    fn evaluate(&self, x: &V) -> f64 {
        (**self).evaluate(x)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    fn constant(_: &[f64]) -> f64 {
        1.0
    }

    #[test]
    fn noise_has_the_requested_spread() {
        let noisy = Noisy::new(constant, 0.1, 3).unwrap();
        let n = 20_000;
        let draws: Vec<f64> = (0..n).map(|_| noisy.evaluate(&[0.0][..]) - 1.0).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let sd = (draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        assert!(mean.abs() < 0.005, "mean {mean}");
        assert!((sd - 0.1).abs() < 0.005, "standard deviation {sd}");
    }

    #[test]
    fn same_seed_gives_same_noise_and_seeds_differ() {
        let draws = |seed| {
            let noisy = Noisy::new(constant, 1.0, seed).unwrap();
            (0..5).map(|_| noisy.evaluate(&[0.0][..])).collect::<Vec<_>>()
        };
        assert_eq!(draws(0), draws(0));
        assert_ne!(draws(0), draws(1));
    }

    #[test]
    fn noise_stream_differs_from_the_run_stream_of_the_same_seed() {
        let noisy = Noisy::new(|_: &[f64]| 0.0, 1.0, 7).unwrap();
        let mut run = ZooRng::seed_from(7);
        assert_ne!(noisy.evaluate(&[0.0][..]), run.normal());
    }

    #[test]
    fn noise_free_value_does_not_advance_the_stream() {
        let a = Noisy::new(constant, 1.0, 8).unwrap();
        let b = Noisy::new(constant, 1.0, 8).unwrap();
        assert_eq!(a.noise_free(&[0.0][..]), 1.0);
        assert_eq!(a.evaluate(&[0.0][..]), b.evaluate(&[0.0][..]));
    }

    #[test]
    fn multiplicative_noise_scales_with_the_value() {
        let noisy = Noisy::multiplicative(|x: &[f64]| x[0], 0.1, 3).unwrap();
        let n = 20_000;
        let logs: Vec<f64> = (0..n).map(|_| (noisy.evaluate(&[5.0][..]) / 5.0).ln()).collect();
        let mean = logs.iter().sum::<f64>() / n as f64;
        let sd = (logs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        assert!(mean.abs() < 0.005, "mean {mean}");
        assert!((sd - 0.1).abs() < 0.005, "standard deviation {sd}");
        assert!(noisy.evaluate(&[-5.0][..]) < 0.0);
        assert_eq!(noisy.evaluate(&[0.0][..]), 0.0);
    }

    #[test]
    fn zero_sigma_is_the_objective_itself() {
        let noisy = Noisy::new(constant, 0.0, 1).unwrap();
        assert_eq!(noisy.evaluate(&[0.0][..]), 1.0);
    }

    #[test]
    fn rejects_negative_or_non_finite_sigma() {
        for sigma in [-0.1, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                Noisy::new(constant, sigma, 0),
                Err(NoiseError::Sigma(_))
            ));
        }
    }

    #[test]
    fn saved_stream_continues_exactly() {
        let a = Noisy::new(constant, 1.0, 4).unwrap();
        a.evaluate(&[0.0][..]);
        let b = Noisy::with_stream(constant, 1.0, a.stream()).unwrap();
        assert_eq!(a.evaluate(&[0.0][..]), b.evaluate(&[0.0][..]));
        let c = a.clone();
        assert_eq!(a.evaluate(&[0.0][..]), c.evaluate(&[0.0][..]));
    }
}
