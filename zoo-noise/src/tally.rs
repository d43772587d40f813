//! `Tally` — the running sum of the repeated evaluations of one point.

use serde::{Deserialize, Serialize};

/// How often a point was handed out, how many of its values came back, and their sum.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Tally {
    pub(crate) asked: u64,
    pub(crate) told: u64,
    #[serde(with = "zoo_core::float_serde")]
    pub(crate) sum: f64,
    /// The running mean, used when the sum of finite values overflows.
    #[serde(default, with = "zoo_core::float_serde")]
    pub(crate) running: f64,
}

impl Tally {
    /// Some values handed out have not come back yet.
    pub(crate) fn awaiting(&self) -> bool {
        self.told < self.asked
    }

    /// Checks a deserialised tally of a point re-evaluated `times` times.
    pub(crate) fn check(&self, times: u64) -> Result<(), zoo_core::StateError> {
        zoo_core::StateError::ensure(
            self.told <= self.asked && self.asked <= times && !self.sum.is_nan() && !self.running.is_nan(),
            || {
                format!(
                    "a tally of {} asked, {} told for {times} times",
                    self.asked, self.told
                )
            },
        )
    }

    pub(crate) fn record(&mut self, value: f64) {
        self.sum += value;
        self.told = self.told.saturating_add(1);
        self.running += (value - self.running) / self.told as f64;
    }

    /// The mean of the values told so far (NaN before the first). Values near the
    /// largest float whose sum overflows still average to a finite mean.
    pub(crate) fn mean(&self) -> f64 {
        let mean = self.sum / self.told as f64;
        if mean.is_infinite() && self.running.is_finite() {
            self.running
        } else {
            mean
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn means_of_huge_values_do_not_overflow() {
        let mut tally = Tally::default();
        for _ in 0..3 {
            tally.record(1.5e308);
        }
        assert!((tally.mean() - 1.5e308).abs() <= 1e293);
        let mut plain = Tally::default();
        for v in [1.0, 2.0, 4.0] {
            plain.record(v);
        }
        assert_eq!(plain.mean().to_bits(), (7.0f64 / 3.0).to_bits());
        let mut infinite = Tally::default();
        infinite.record(f64::INFINITY);
        infinite.record(1.0);
        assert!(infinite.mean().is_infinite() && infinite.mean() > 0.0);
    }
}
