//! Settings of an embedding: how many stages, how low, how wide.

use serde::{Deserialize, Serialize};
use zoo_core::ConfigError;

use crate::error::EmbeddingError;

/// The settings of [`Embedded`](crate::Embedded): a random embedding (one stage) or a
/// sequential random embedding (several stages).
///
/// [`EmbeddingConfig::for_budget`] gives ZOOpt's defaults for its sequential random
/// embedding; [`EmbeddingConfig::single`] the one-stage random embedding.
///
/// | name | default | meaning | range |
/// | --- | --- | --- | --- |
/// | `budget` | given | evaluations the stages share (the run's budget) | `≥ 1` |
/// | `stages` | 5 (`single`: 1) | embeddings run one after the other, each around the best point so far | `≥ 1` |
/// | `low_dimension` | 10 | `d`, coordinates of the low-dimensional point `y` | `1 ..= D` |
/// | `variance` | `None`: `1/d` | variance of each entry of the `D×d` Gaussian matrix `A` | `(0, 1e60]` |
/// | `alpha` | `(-1.0, 1.0)` | range of the weight `α` of the previous stage's point (stages after the first) | finite, `lo ≤ hi` |
/// | `low_bounds` | `(-1.0, 1.0)` | range of every coordinate of `y` | finite, `lo < hi` |
/// | `carry_previous` | `true` | tell each later stage's sampler, free of budget, that `α = 1, y = 0` (the previous point) has the previous point's value | `true`, `false` (ZOOpt) |
///
/// The stages share the budget exactly: each gets `budget / stages` evaluations and the
/// first `budget % stages` get one more ([`EmbeddingConfig::stage_budgets`]). Stages
/// left with no evaluation (a budget below the number of stages) are skipped.
///
/// ```
/// use zoo_highdim::EmbeddingConfig;
/// let config = EmbeddingConfig::for_budget(2_002);
/// assert_eq!(config.stage_budgets(), vec![401, 401, 400, 400, 400]);
/// let rembo = EmbeddingConfig { low_dimension: 4, ..EmbeddingConfig::single(500) };
/// assert_eq!(rembo.stage_budgets(), vec![500]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbeddingConfig {
    /// Evaluations shared by the stages.
    pub budget: u64,
    /// Number of stages (1 is a plain random embedding).
    pub stages: usize,
    /// Low dimension `d`.
    pub low_dimension: usize,
    /// Variance of the entries of `A` (`None`: `1/d`).
    pub variance: Option<f64>,
    /// Range of `α`, the weight of the previous stage's point.
    pub alpha: (f64, f64),
    /// Range of each coordinate of `y`.
    pub low_bounds: (f64, f64),
    /// Whether a later stage starts knowing the previous point's value (at `α = 1,
    /// y = 0`), so that it never ends worse than the stages before it. Used only when
    /// that point lies in the stage's space (`1` in `alpha`, `0` in `low_bounds`).
    pub carry_previous: bool,
}

/// Largest entry variance: its deviation (1e30) times any normal draw stays far inside f32.
const MAX_VARIANCE: f64 = 1e60;

impl EmbeddingConfig {
    /// ZOOpt's sequential random embedding for `budget` evaluations: 5 stages, `d = 10`,
    /// variance `1/d`, `α ∈ [-1, 1]`, `y ∈ [-1, 1]^d`.
    pub fn for_budget(budget: u64) -> Self {
        EmbeddingConfig {
            budget,
            stages: 5,
            low_dimension: 10,
            variance: None,
            alpha: (-1.0, 1.0),
            low_bounds: (-1.0, 1.0),
            carry_previous: true,
        }
    }

    /// A single random embedding (REMBO-style) for `budget` evaluations, other settings
    /// as [`EmbeddingConfig::for_budget`].
    pub fn single(budget: u64) -> Self {
        EmbeddingConfig {
            stages: 1,
            ..EmbeddingConfig::for_budget(budget)
        }
    }

    /// The variance actually used: the setting, or `1/d`.
    pub fn effective_variance(&self) -> f64 {
        self.variance.unwrap_or(1.0 / self.low_dimension.max(1) as f64)
    }

    /// Evaluations of each stage, in order; they sum to `budget`. Stages that would get
    /// none are left out, so the list is never longer than `budget`.
    pub fn stage_budgets(&self) -> Vec<u64> {
        let stages = self.stages.max(1) as u64;
        let share = self.budget / stages;
        let extra = self.budget % stages;
        (0..stages)
            .map(|k| share + u64::from(k < extra))
            .filter(|&b| b > 0)
            .collect()
    }

    /// Checks every setting for an original space of `dim` dimensions.
    pub fn validate(&self, dim: usize) -> Result<(), EmbeddingError> {
        fn out_of_range(
            name: &'static str,
            value: impl std::fmt::Debug,
            expected: &'static str,
        ) -> EmbeddingError {
            EmbeddingError::Config(ConfigError::OutOfRange {
                name,
                value: format!("{value:?}"),
                expected,
            })
        }
        if self.budget == 0 {
            return Err(out_of_range("budget", self.budget, "at least 1"));
        }
        if self.stages == 0 {
            return Err(out_of_range("stages", self.stages, "at least 1"));
        }
        if self.low_dimension == 0 {
            return Err(out_of_range("low_dimension", self.low_dimension, "at least 1"));
        }
        if self.low_dimension > dim {
            return Err(EmbeddingError::LowDimensionTooLarge {
                low: self.low_dimension,
                dim,
            });
        }
        // The matrix is stored in f32: a standard deviation near f32::MAX (3.4e38) would
        // turn entries of several deviations into ∞ and every coordinate into NaN.
        if let Some(v) = self.variance
            && !(v.is_finite() && v > 0.0 && v <= MAX_VARIANCE)
        {
            return Err(out_of_range("variance", v, "positive and at most 1e60"));
        }
        let (lo, hi) = self.alpha;
        if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
            return Err(out_of_range("alpha", self.alpha, "finite bounds with lo <= hi"));
        }
        let (lo, hi) = self.low_bounds;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(out_of_range(
                "low_bounds",
                self.low_bounds,
                "finite bounds with lo < hi",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_budgets_sum_to_budget_with_remainder_first() {
        for budget in [1u64, 4, 5, 6, 7, 2_000, 2_003, 99_999] {
            for stages in 1..=7 {
                let config = EmbeddingConfig {
                    stages,
                    ..EmbeddingConfig::for_budget(budget)
                };
                let split = config.stage_budgets();
                assert_eq!(split.iter().sum::<u64>(), budget, "{budget} over {stages}");
                assert!(split.len() <= stages && split.iter().all(|&b| b > 0));
                assert!(split.windows(2).all(|w| w[0] == w[1] || w[0] == w[1] + 1));
            }
        }
        assert_eq!(EmbeddingConfig::for_budget(2_000).stage_budgets(), vec![400; 5]);
        assert_eq!(EmbeddingConfig::for_budget(3).stage_budgets(), vec![1, 1, 1]);
    }

    #[test]
    fn defaults_follow_zoopt() {
        let c = EmbeddingConfig::for_budget(2_000);
        assert_eq!((c.stages, c.low_dimension), (5, 10));
        assert!((c.effective_variance() - 0.1).abs() < 1e-15);
        assert_eq!(c.alpha, (-1.0, 1.0));
        assert_eq!(EmbeddingConfig::single(10).stages, 1);
    }

    #[test]
    fn rejects_bad_settings() {
        let ok = EmbeddingConfig::for_budget(100);
        assert!(ok.validate(10).is_ok());
        assert!(matches!(
            ok.validate(9),
            Err(EmbeddingError::LowDimensionTooLarge { low: 10, dim: 9 })
        ));
        for bad in [
            EmbeddingConfig {
                budget: 0,
                ..ok.clone()
            },
            EmbeddingConfig {
                stages: 0,
                ..ok.clone()
            },
            EmbeddingConfig {
                low_dimension: 0,
                ..ok.clone()
            },
            EmbeddingConfig {
                variance: Some(0.0),
                ..ok.clone()
            },
            EmbeddingConfig {
                variance: Some(f64::NAN),
                ..ok.clone()
            },
            EmbeddingConfig {
                alpha: (1.0, -1.0),
                ..ok.clone()
            },
            EmbeddingConfig {
                alpha: (f64::NEG_INFINITY, 1.0),
                ..ok.clone()
            },
            EmbeddingConfig {
                low_bounds: (0.0, 0.0),
                ..ok.clone()
            },
        ] {
            assert!(
                matches!(bad.validate(10), Err(EmbeddingError::Config(_))),
                "{bad:?} accepted"
            );
        }
    }
}
