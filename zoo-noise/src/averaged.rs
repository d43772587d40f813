//! `Averaged` — re-sampling as an objective wrapper: each evaluation is the mean of
//! `times` calls of the wrapped objective.
//!
//! Averaging `k` independent noisy values divides the noise variance by `k`, at `k`
//! times the cost. This wrapper does it inside one `evaluate` call, so the run loop
//! counts *one* evaluation per `k` true calls: a run's budget then counts averaged
//! evaluations, and the true cost is `k` times larger. Set the run's budget with
//! [`Averaged::budget_for`] (ZOOpt divides the budget the same way, §7.1) and read the
//! true count with [`Averaged::calls`].
//!
//! For a budget counted in true evaluations, use the sampler wrapper
//! [`Resampling`](crate::Resampling): it asks each point `k` times, so every true call is
//! an evaluation of the run and the budget is exact.
//!
//! Reference: re-sampling (sample averaging) is the classical noise-handling baseline;
//! see e.g. H.-G. Beyer, B. Sendhoff, *Robust optimization — A comprehensive survey*,
//! Computer Methods in Applied Mechanics and Engineering 196(33), 2007.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use zoo_core::Objective;

use crate::error::NoiseError;

/// An objective whose every evaluation averages `times` calls of `objective`.
///
/// ```
/// use zoo_core::{Minimize, RandomSearch, Space};
/// use zoo_noise::{Noisy, Averaged};
///
/// let sphere = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>();
/// let averaged = Averaged::new(Noisy::new(sphere, 0.1, 1)?, 10)?;
/// let budget = averaged.budget_for(2_000); // 200 averaged evaluations
/// let outcome = Minimize::new(&averaged, RandomSearch::new(Space::cube(3, -1.0, 1.0)?))
///     .budget(budget)
///     .run()?;
/// assert_eq!(outcome.evaluations, 200);
/// assert_eq!(averaged.calls(), 2_000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Serialize, Deserialize)]
pub struct Averaged<O> {
    objective: O,
    times: u64,
    calls: AtomicU64,
}

impl<O> Averaged<O> {
    /// Averages `times` calls per evaluation; fails when `times` is 0.
    pub fn new(objective: O, times: u64) -> Result<Self, NoiseError> {
        if times == 0 {
            return Err(NoiseError::Zero { name: "times" });
        }
        Ok(Averaged {
            objective,
            times,
            calls: AtomicU64::new(0),
        })
    }

    /// Calls per evaluation.
    pub fn times(&self) -> u64 {
        self.times
    }

    /// True calls of the wrapped objective so far.
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// The run budget (averaged evaluations) that spends at most `true_budget` calls:
    /// `⌊true_budget / times⌋`.
    pub fn budget_for(&self, true_budget: u64) -> u64 {
        true_budget / self.times
    }

    /// The wrapped objective.
    pub fn objective(&self) -> &O {
        &self.objective
    }
}

impl<V: ?Sized, O: Objective<V>> Objective<V> for Averaged<O> {
    fn evaluate(&self, x: &V) -> f64 {
        let (mut sum, mut running) = (0.0, 0.0);
        for k in 1..=self.times {
            let value = self.objective.evaluate(x);
            sum += value;
            running += (value - running) / k as f64;
            self.calls.fetch_add(1, Ordering::Relaxed);
        }
        let mean = sum / self.times as f64;
        // Values near the largest float whose sum overflows still have a finite mean.
        if mean.is_infinite() && f64::is_finite(running) {
            running
        } else {
            mean
        }
    }
}

impl<V: ?Sized, O: Objective<V>> Objective<V> for &Averaged<O> {
    fn evaluate(&self, x: &V) -> f64 {
        (**self).evaluate(x)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn averages_of_huge_values_stay_finite() {
        let huge = Averaged::new(|_: &[f64]| 1.5e308, 4).unwrap();
        let v = huge.evaluate(&[0.0][..]);
        assert!(v.is_finite() && (v - 1.5e308).abs() <= 1e293, "{v}");
    }
    use std::cell::Cell;

    #[test]
    fn averages_times_calls_and_counts_them() {
        let call = Cell::new(0.0);
        let counting = |_: &[f64]| {
            call.set(call.get() + 1.0);
            call.get()
        };
        let averaged = Averaged::new(counting, 4).unwrap();
        assert_eq!(averaged.evaluate(&[0.0][..]), 2.5); // (1 + 2 + 3 + 4) / 4
        assert_eq!(averaged.calls(), 4);
        assert_eq!(averaged.budget_for(20_000), 5_000);
    }

    #[test]
    fn rejects_zero_times() {
        assert_eq!(
            Averaged::new(|_: &[f64]| 0.0, 0).err(),
            Some(NoiseError::Zero { name: "times" })
        );
    }
}
