//! The adaptive quadratic boundary penalty of [`crate::Boundary::Penalty`].
//!
//! A sample is evaluated at its projection onto the box; the update ranks it by that value
//! plus `(1/n)·Σᵢ γᵢ·(xᵢ − proj(xᵢ))²` and learns the sample as drawn, so the mean may
//! step over a bound and the penalty pulls it back. The weights `γ` start when the mean
//! first leaves the box, at twice a typical change of the value per unit variance (the
//! median over recent generations of the interquartile range of the values divided by
//! the mean coordinate variance); each generation the weight of a coordinate whose mean
//! lies more than `3·max(1, √n/μ_eff)` standard deviations outside grows, and weights
//! above five times that typical change decay.
//!
//! Reference: N. Hansen, A. S. P. Niederberger, L. Guzzella, P. Koumoutsakos. *A Method
//! for Handling Uncertainty in Evolutionary Optimization With an Application to Feedback
//! Control of Combustion.* IEEE Transactions on Evolutionary Computation 13(1), 2009,
//! DOI 10.1109/TEVC.2008.924423 (the box constraint handling of its appendix, which is
//! pycma's `BoundPenalty`).

// Audit (issue #13, clippy::indexing_slicing): every vector here has the genotype's
// length `n`, checked by `check`.
#![allow(clippy::indexing_slicing)]

use serde::{Deserialize, Serialize};

/// Weights are capped here, so that a penalty stays finite whatever the values' scale.
const MAX_WEIGHT: f64 = 1e300;

/// The penalty weights and the history they adapt from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct BoundPenalty {
    #[serde(with = "zoo_core::float_serde::vec")]
    gamma: Vec<f64>,
    /// Recent interquartile ranges of the values per unit variance, newest first.
    #[serde(with = "zoo_core::float_serde::vec")]
    history: Vec<f64>,
    started: bool,
}

/// The position of a coordinate relative to `[0, 1]`, as the distance to the box.
#[inline]
fn outside(x: f64) -> f64 {
    if x < 0.0 {
        -x
    } else if x > 1.0 {
        x - 1.0
    } else {
        0.0
    }
}

impl BoundPenalty {
    pub fn new(n: usize) -> BoundPenalty {
        BoundPenalty {
            gamma: vec![1.0; n],
            history: Vec::new(),
            started: false,
        }
    }

    /// The penalty of genotype `raw`: only its `bounded` coordinates count.
    pub fn of(&self, raw: &[f64], bounded: &[bool]) -> f64 {
        let n = raw.len().max(1) as f64;
        let sum: f64 = raw
            .iter()
            .zip(bounded)
            .zip(&self.gamma)
            .filter(|((x, b), _)| **b && outside(**x) > 0.0)
            .map(|((x, _), g)| {
                let d = outside(*x);
                g * d * d
            })
            .sum();
        sum / n
    }

    /// Adapts the weights after an update, from the generation's unpenalised `values`
    /// and the new distribution's `mean` and coordinate standard deviations `sd`.
    pub fn adapt(&mut self, values: &[f64], mean: &[f64], sd: &[f64], bounded: &[bool], mueff: f64) {
        let n = mean.len();
        if n == 0 || values.is_empty() {
            return;
        }
        let mean_variance = sd.iter().map(|s| s * s).sum::<f64>() / n as f64;
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let l = sorted.len() + 1;
        let spread = (sorted[(3 * l / 4).min(sorted.len() - 1)] - sorted[l / 4]) / mean_variance;
        if spread.is_finite() && spread > 0.0 {
            self.history.insert(0, spread);
        } else if spread == f64::INFINITY
            && let Some(largest) = self.history.iter().copied().reduce(f64::max)
        {
            self.history.insert(0, largest);
        }
        let lambda = values.len();
        self.history.truncate(20 + 3 * n / lambda.max(1));
        if self.history.is_empty() {
            return;
        }
        let mut recent = self.history.clone();
        recent.sort_by(f64::total_cmp);
        let typical = recent[recent.len() / 2];
        // In standard deviations of the coordinate: how far the mean is outside the box.
        let excess = |i: usize| {
            if bounded[i] && sd[i] > 0.0 {
                outside(mean[i]) / sd[i]
            } else {
                0.0
            }
        };
        if !self.started && (0..n).any(|i| excess(i) > 0.0) {
            self.gamma.fill((2.0 * typical).min(MAX_WEIGHT));
            self.started = true;
        }
        if !self.started {
            return;
        }
        let threshold = 3.0 * ((n as f64).sqrt() / mueff).max(1.0);
        let damping = (mueff / 10.0 / n as f64).min(1.0);
        for i in 0..n {
            let beyond = excess(i) - threshold;
            if beyond > 0.0 {
                self.gamma[i] =
                    (self.gamma[i] * ((beyond / 3.0).tanh() / 2.0 * damping).exp()).min(MAX_WEIGHT);
            }
            if self.gamma[i] > 5.0 * typical {
                self.gamma[i] *= (-damping / 3.0).exp();
            }
        }
    }

    /// Whether the state is usable for a genotype of `n` coordinates.
    pub fn check(&self, n: usize) -> Result<(), String> {
        if self.gamma.len() != n {
            return Err(format!(
                "{} penalty weights for {n} coordinates",
                self.gamma.len()
            ));
        }
        if !self
            .gamma
            .iter()
            .chain(&self.history)
            .all(|g| g.is_finite() && *g >= 0.0)
        {
            return Err("a penalty weight or its history is negative or not finite".to_owned());
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn only_held_coordinates_outside_the_box_are_penalised() {
        let p = BoundPenalty::new(3);
        let held = [true, true, false];
        assert_eq!(p.of(&[0.0, 1.0, 0.5], &held), 0.0);
        assert_eq!(p.of(&[0.5, 0.5, 7.0], &held), 0.0);
        // Weights 1, distance 0.5 and 0.25 beyond the bounds, averaged over 3 coordinates.
        let v = p.of(&[-0.5, 1.25, 0.5], &held);
        assert!((v - (0.25 + 0.0625) / 3.0).abs() < 1e-15, "{v}");
    }

    #[test]
    fn weights_start_when_the_mean_leaves_the_box_and_grow_while_it_stays_far() {
        let mut p = BoundPenalty::new(2);
        let held = [true, true];
        let values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let sd = [0.1, 0.1];
        p.adapt(&values, &[0.5, 0.5], &sd, &held, 3.0);
        assert!(!p.started, "a mean inside the box starts nothing");
        p.adapt(&values, &[-0.01, 0.5], &sd, &held, 3.0);
        assert!(p.started);
        let start = p.gamma[0];
        assert!(start > 0.0 && start.is_finite());
        // Far outside (10 standard deviations): the first weight grows, the second does not.
        for _ in 0..10 {
            p.adapt(&values, &[-1.0, 0.5], &sd, &held, 3.0);
        }
        assert!(p.gamma[0] > start, "{} <= {start}", p.gamma[0]);
        assert!(p.gamma[1] <= start);
        p.check(2).unwrap();
    }

    #[test]
    fn weights_stay_finite_whatever_the_scale_of_the_values() {
        let mut p = BoundPenalty::new(2);
        let held = [true, true];
        let values = [0.0, 1e306, 2e306, 3e306, 4e306, 5e306];
        for _ in 0..50 {
            p.adapt(&values, &[-50.0, 0.5], &[0.1, 0.1], &held, 3.0);
        }
        p.check(2).unwrap();
        assert_eq!(p.of(&[0.5, 0.5], &held), 0.0);
        assert!(p.of(&[-1.0, 0.5], &held).is_finite());
    }

    #[test]
    fn damaged_weights_are_refused() {
        let mut p = BoundPenalty::new(2);
        assert!(p.check(3).is_err());
        p.gamma[1] = f64::NAN;
        assert!(p.check(2).is_err());
        p.gamma[1] = -1.0;
        assert!(p.check(2).is_err());
    }
}
