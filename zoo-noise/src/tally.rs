//! `Tally` — the running sum of the repeated evaluations of one point.

use serde::{Deserialize, Serialize};

/// How often a point was handed out, how many of its values came back, and their sum.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Tally {
    pub(crate) asked: u64,
    pub(crate) told: u64,
    #[serde(with = "zoo_core::float_serde")]
    pub(crate) sum: f64,
}

impl Tally {
    /// Some values handed out have not come back yet.
    pub(crate) fn awaiting(&self) -> bool {
        self.told < self.asked
    }

    pub(crate) fn record(&mut self, value: f64) {
        self.sum += value;
        self.told += 1;
    }

    /// The mean of the values told so far (NaN before the first).
    pub(crate) fn mean(&self) -> f64 {
        self.sum / self.told as f64
    }
}
