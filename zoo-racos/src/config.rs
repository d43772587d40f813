//! Settings shared by RACOS and SRACOS, and ZOOpt's automatic sizing by budget.

use serde::{Deserialize, Serialize};
use zoo_core::{ConfigError, Space};

/// How SRACOS chooses the negative solution that a newly rejected solution replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Replace {
    /// Replace the worst negative, if the newcomer is better (ZOOpt's `WR`, the default).
    #[default]
    Worst,
    /// Replace a uniformly random negative (ZOOpt's `RR`).
    Random,
    /// Replace the negative farthest from the best negative (ZOOpt's `LM`, largest margin).
    Farthest,
}

/// Which positive solution the classifier's box is learned around, and new solutions are
/// sampled from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Centre {
    /// [`Centre::Best`] when the space has a continuous dimension, else
    /// [`Centre::RandomPositive`] (the default): the better rule for each kind of space,
    /// as measured on ZOOpt's problems P1–P4 (see `docs/racos.md`).
    #[default]
    Auto,
    /// The best solution found so far. On ZOOpt's continuous problems P1–P3 this converges
    /// markedly faster than a random positive at the same budgets; on set cover it gets
    /// stuck more often. Not for noisy objectives: there the best value is mostly the
    /// luckiest draw (re-sampling ×10 on ZOOpt's noisy Ackley P5 reaches 3.28 with `Best`
    /// against 1.97 with `RandomPositive`).
    Best,
    /// A uniformly random member of the positive set, as ZOOpt does. Use it with noisy
    /// objectives (the `zoo-noise` wrappers).
    RandomPositive,
}

impl Centre {
    /// The default rule for an objective that is (`noisy`) or is not declared noisy:
    /// [`Centre::RandomPositive`] under noise (the best value is mostly the luckiest
    /// draw), [`Centre::Auto`] otherwise.
    pub fn for_objective(noisy: bool) -> Centre {
        if noisy {
            Centre::RandomPositive
        } else {
            Centre::Auto
        }
    }

    /// The rule used on `space`: `Auto` resolved, others unchanged.
    pub fn resolve(self, space: &Space) -> Centre {
        match self {
            Centre::Auto if space.is_discrete() => Centre::RandomPositive,
            Centre::Auto => Centre::Best,
            other => other,
        }
    }
}

/// Sizes of the training set and its positive part for a budget, as ZOOpt's `auto_set`.
///
/// | budget | train size | positive size | negative size |
/// | --- | --- | --- | --- |
/// | ≤ 50 | 4 | 1 | 3 |
/// | 51 … 100 | 6 | 1 | 5 |
/// | 101 … 1,000 | 12 | 2 | 10 |
/// | > 1,000 | 22 | 2 | 20 |
///
/// Budgets below 3 get the first row (ZOOpt exits the process there); such a run simply
/// spends its budget on random initial samples.
pub fn sizes_for_budget(budget: u64) -> (usize, usize) {
    match budget {
        0..=50 => (4, 1),
        51..=100 => (6, 1),
        101..=1000 => (12, 2),
        _ => (22, 2),
    }
}

/// Number of coordinates re-sampled per new solution, as ZOOpt's `choose_ub`.
///
/// | dimensions | ≤ 10 | ≤ 50 | ≤ 100 | ≤ 1,000 | > 1,000 |
/// | --- | --- | --- | --- | --- | --- |
/// | any continuous dimension | 1 | 1 | 1 | 2 | 3 |
/// | no continuous dimension | 1 | 2 | 3 | 4 | 5 |
///
/// Categorical dimensions count as discrete here (ZOOpt counts them as continuous).
pub fn automatic_uncertain_bits(space: &Space) -> usize {
    let n = space.len();
    let column = match n {
        0..=10 => 0,
        11..=50 => 1,
        51..=100 => 2,
        101..=1000 => 3,
        _ => 4,
    };
    if space.is_discrete() {
        // Index: `column` is 0..=4 by the match above.
        [1, 2, 3, 4, 5][column]
    } else {
        [1, 1, 1, 2, 3][column]
    }
}

/// Largest `max_retries`: a proposal on an exhausted space that cannot say so (a
/// continuous interval of a few floats) costs twice this many draws, so the bound keeps
/// every `ask` finite and short.
pub const MAX_RETRIES: usize = 1_000_000;

/// The settings of RACOS, and the learning settings of SRACOS (see [`SRacosConfig`](crate::SRacosConfig)).
///
/// | name | default | meaning | range |
/// | --- | --- | --- | --- |
/// | `train_size` | by budget ([`sizes_for_budget`]) | solutions kept for learning | `> positive_size` |
/// | `positive_size` | by budget | best solutions the classifier's box must contain | `≥ 1` |
/// | `exploration_rate` | 0.01 | chance that a sample is uniform over the space instead of from the box | `[0, 1]` |
/// | `uncertain_bits` | `None`: [`automatic_uncertain_bits`] | coordinates re-sampled inside the box per new solution | `≥ 1` |
/// | `centre` | [`Centre::Auto`] | the positive solution new samples are drawn around | `Auto`, `Best`, `RandomPositive` (ZOOpt) |
/// | `max_retries` | 100 | classifier draws per proposal before widening to the whole space | `[1, 10^6]` |
/// | `duplicate_tolerance` | `None`: points are compared exactly | continuous coordinates without a precision of their own that fall in the same cell of this width count as equal, so no point of an evaluated cell is proposed again (ZOOpt's global `precision`) | finite, `> 0` |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RacosConfig {
    /// Solutions kept for learning.
    pub train_size: usize,
    /// Best solutions among them.
    pub positive_size: usize,
    /// Chance of a uniform sample from the whole space.
    pub exploration_rate: f64,
    /// Coordinates re-sampled per new solution (`None`: by dimension and kind).
    pub uncertain_bits: Option<usize>,
    /// The positive solution new samples are drawn around.
    pub centre: Centre,
    /// Classifier draws per proposal before widening to the whole space (as many uniform
    /// draws follow before the space counts as exhausted).
    pub max_retries: usize,
    /// Width of the cells in which continuous coordinates count as equal when points are
    /// compared for repeats (`None`: exact comparison).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_tolerance: Option<f64>,
}

impl RacosConfig {
    /// ZOOpt's defaults for `budget`.
    pub fn for_budget(budget: u64) -> Self {
        let (train_size, positive_size) = sizes_for_budget(budget);
        RacosConfig {
            train_size,
            positive_size,
            exploration_rate: 0.01,
            uncertain_bits: None,
            centre: Centre::Auto,
            max_retries: 100,
            duplicate_tolerance: None,
        }
    }

    /// Checks the ranges and resolves the uncertain bits for `space`.
    pub(crate) fn validate(&self, space: &Space) -> Result<usize, ConfigError> {
        let out_of_range = |name, value: String, expected| ConfigError::OutOfRange {
            name,
            value,
            expected,
        };
        if self.positive_size == 0 {
            return Err(out_of_range("positive_size", "0".into(), "at least 1"));
        }
        if self.train_size <= self.positive_size {
            return Err(out_of_range(
                "train_size",
                self.train_size.to_string(),
                "greater than positive_size",
            ));
        }
        if !(0.0..=1.0).contains(&self.exploration_rate) {
            return Err(out_of_range(
                "exploration_rate",
                self.exploration_rate.to_string(),
                "between 0 and 1",
            ));
        }
        if !(1..=MAX_RETRIES).contains(&self.max_retries) {
            return Err(out_of_range(
                "max_retries",
                self.max_retries.to_string(),
                "between 1 and 1000000",
            ));
        }
        if let Some(t) = self.duplicate_tolerance
            && !(t.is_finite() && t > 0.0)
        {
            return Err(out_of_range(
                "duplicate_tolerance",
                t.to_string(),
                "finite and greater than 0",
            ));
        }
        match self.uncertain_bits {
            Some(0) => Err(out_of_range("uncertain_bits", "0".into(), "at least 1")),
            Some(ub) => Ok(ub.min(space.len())),
            None => Ok(automatic_uncertain_bits(space).min(space.len())),
        }
    }
}

/// The settings of SRACOS: its learning settings, the replacement strategy and the noise
/// check of the default centre rule.
///
/// ```
/// use zoo_racos::{Replace, SRacosConfig};
/// let config = SRacosConfig { replace: Replace::Farthest, ..SRacosConfig::for_budget(5_000) };
/// assert_eq!(config.learning.train_size, 22);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SRacosConfig {
    /// Training-set sizes, exploration rate, uncertain bits, retries.
    pub learning: RacosConfig,
    /// Which negative a rejected solution replaces (default [`Replace::Worst`]).
    pub replace: Replace,
    /// With [`Centre::Auto`] on a space with a continuous dimension, re-evaluate the best
    /// initial solution once; if the two values differ, re-evaluate the best positive
    /// while its lead is within the noise and value it at its mean (default `true`; see the
    /// `sracos` module). `false` saves that one evaluation when the objective is known to
    /// be deterministic.
    #[serde(default = "yes")]
    pub noise_check: bool,
}

fn yes() -> bool {
    true
}

impl SRacosConfig {
    /// ZOOpt's defaults for `budget` (see [`sizes_for_budget`]).
    pub fn for_budget(budget: u64) -> Self {
        SRacosConfig {
            learning: RacosConfig::for_budget(budget),
            replace: Replace::Worst,
            noise_check: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizing_follows_zoopt_table() {
        assert_eq!(sizes_for_budget(2), (4, 1));
        assert_eq!(sizes_for_budget(50), (4, 1));
        assert_eq!(sizes_for_budget(100), (6, 1));
        assert_eq!(sizes_for_budget(1000), (12, 2));
        assert_eq!(sizes_for_budget(1001), (22, 2));
    }

    #[test]
    fn uncertain_bits_follow_dimension_and_kind() {
        assert_eq!(automatic_uncertain_bits(&Space::cube(100, 0.0, 1.0).unwrap()), 1);
        assert_eq!(
            automatic_uncertain_bits(&Space::cube(10_000, 0.0, 1.0).unwrap()),
            3
        );
        assert_eq!(automatic_uncertain_bits(&Space::binary(20).unwrap()), 2);
        assert_eq!(automatic_uncertain_bits(&Space::binary(100).unwrap()), 3);
    }

    #[test]
    fn rejects_bad_settings() {
        let space = Space::cube(3, 0.0, 1.0).unwrap();
        let ok = RacosConfig::for_budget(100);
        assert!(ok.validate(&space).is_ok());
        for bad in [
            RacosConfig {
                positive_size: 0,
                ..ok.clone()
            },
            RacosConfig {
                train_size: 1,
                positive_size: 1,
                ..ok.clone()
            },
            RacosConfig {
                exploration_rate: 1.5,
                ..ok.clone()
            },
            RacosConfig {
                exploration_rate: f64::NAN,
                ..ok.clone()
            },
            RacosConfig {
                uncertain_bits: Some(0),
                ..ok.clone()
            },
            RacosConfig {
                max_retries: 0,
                ..ok.clone()
            },
        ] {
            assert!(bad.validate(&space).is_err(), "{bad:?} accepted");
        }
    }
}
