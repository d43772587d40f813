//! Random search: uniform samples from the whole space.
//!
//! The reference sampler: every other algorithm should beat it. It remembers only its
//! best solution, so it never runs out of points; repeated points are possible in small
//! discrete spaces.

use serde::{Deserialize, Serialize};

use crate::error::StateError;
use crate::rng::ZooRng;
use crate::sampler::{Evaluated, Sampler, check_kept, ranked};
use crate::space::Space;

/// Uniform random sampling over a [`Space`].
///
/// ```
/// use zoo_core::{Minimize, RandomSearch, Space};
/// let outcome = Minimize::new(|x: &[f64]| x[0].abs(), RandomSearch::new(Space::cube(1, -1.0, 1.0)?))
///     .budget(200)
///     .run()?;
/// assert!(outcome.best.value < 0.1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RandomSearch {
    space: Space,
    best: Option<Evaluated<Vec<f64>>>,
}

impl RandomSearch {
    /// Random search over `space`.
    pub fn new(space: Space) -> Self {
        RandomSearch { space, best: None }
    }

    /// The space sampled.
    pub fn space(&self) -> &Space {
        &self.space
    }
}

impl Sampler for RandomSearch {
    type Solution = Vec<f64>;

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        Some(self.space.sample(rng))
    }

    fn tell(&mut self, x: Vec<f64>, value: f64) {
        let value = ranked(value);
        if self.best.as_ref().is_none_or(|b| value < b.value) {
            self.best = Some(Evaluated::new(x, value));
        }
    }

    fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
        self.best.as_ref()
    }

    fn check_state(&self) -> Result<(), StateError> {
        self.space.check()?;
        check_kept(self, &self.best, "the best solution")
    }

    fn check_point(&self, x: &Vec<f64>, what: &str) -> Result<(), StateError> {
        self.space.check_point(x, || what.to_owned())
    }
}

#[cfg(all(test, feature = "testing"))]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::testing::conformance;

    #[test]
    fn random_search_conforms() {
        conformance::check_all(|space| Ok(RandomSearch::new(space.clone())));
        conformance::reachable_states_restore(&|space: &crate::Space| Ok(RandomSearch::new(space.clone())));
    }
}
