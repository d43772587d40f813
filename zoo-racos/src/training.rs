//! The training set shared by RACOS and SRACOS: random initial solutions, the positive
//! and negative sets, and proposals that are new points.

use serde::{Deserialize, Serialize};
use zoo_core::{ConfigError, Evaluated, Space, ZooRng, ranked};

use crate::classifier::Shrinker;
use crate::config::RacosConfig;

type Solution = Evaluated<Vec<f64>>;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Training {
    pub(crate) space: Space,
    pub(crate) config: RacosConfig,
    pub(crate) uncertain_bits: usize,
    /// Solutions told before the sets are formed.
    initial: Vec<Solution>,
    /// The best `positive_size` solutions, ascending by value.
    pub(crate) positive: Vec<Solution>,
    /// The rest of the training set.
    pub(crate) negative: Vec<Solution>,
    /// Points asked and not yet told: a new proposal must differ from them too.
    pending: Vec<Vec<f64>>,
    /// Scratch memory; always reset between proposals, so it is not part of the state.
    #[serde(skip)]
    shrinker: Shrinker,
}

impl Training {
    pub(crate) fn new(space: Space, config: RacosConfig) -> Result<Self, ConfigError> {
        let uncertain_bits = config.validate(&space)?;
        Ok(Training {
            space,
            config,
            uncertain_bits,
            initial: Vec::new(),
            positive: Vec::new(),
            negative: Vec::new(),
            pending: Vec::new(),
            shrinker: Shrinker::default(),
        })
    }

    /// `true` once the positive and negative sets exist.
    pub(crate) fn is_ready(&self) -> bool {
        !self.positive.is_empty()
    }

    pub(crate) fn best(&self) -> Option<&Solution> {
        if self.is_ready() {
            self.positive.first()
        } else {
            self.initial.iter().min_by(|a, b| a.value.total_cmp(&b.value))
        }
    }

    fn is_known(&self, x: &[f64], also: &[Solution]) -> bool {
        let space = &self.space;
        let same = |s: &Solution| space.same_point(&s.x, x);
        self.positive.iter().any(same)
            || self.negative.iter().any(same)
            || self.initial.iter().any(same)
            || also.iter().any(same)
            || self.pending.iter().any(|p| space.same_point(p, x))
    }

    /// A point that is neither in the training set, nor in `also`, nor pending; `None`
    /// when the space holds no such point or none was found within the retry limits.
    pub(crate) fn propose(&mut self, rng: &mut ZooRng, also: &[Solution]) -> Option<Vec<f64>> {
        let known = self.initial.len() + self.positive.len() + self.negative.len() + also.len() + self.pending.len();
        if self.space.cardinality().is_some_and(|size| size <= known as u128) {
            return None;
        }
        let from_box = self.is_ready();
        for _ in 0..self.config.max_retries {
            let x = if from_box && !rng.chance(self.config.exploration_rate) {
                self.shrinker
                    .propose(&self.space, &self.positive, &self.negative, self.uncertain_bits, rng)
            } else {
                self.space.sample(rng)
            };
            if !self.is_known(&x, also) {
                self.pending.push(x.clone());
                return Some(x);
            }
        }
        // The box holds only known points: widen to the whole space before giving up.
        for _ in 0..self.config.max_retries {
            let x = self.space.sample(rng);
            if !self.is_known(&x, also) {
                self.pending.push(x.clone());
                return Some(x);
            }
        }
        None
    }

    /// Forgets `x` as pending and returns it as an evaluated solution.
    pub(crate) fn receive(&mut self, x: Vec<f64>, value: f64) -> Solution {
        if let Some(i) = self.pending.iter().position(|p| self.space.same_point(p, &x)) {
            self.pending.swap_remove(i);
        }
        Evaluated::new(x, ranked(value))
    }

    /// Collects an initial solution; forms the sets once the training size is reached.
    /// Returns the solution back when the sets already exist.
    pub(crate) fn collect(&mut self, solution: Solution) -> Option<Solution> {
        if self.is_ready() {
            return Some(solution);
        }
        self.initial.push(solution);
        if self.initial.len() >= self.config.train_size {
            let all = std::mem::take(&mut self.initial);
            self.form_sets(all);
        }
        None
    }

    /// Keeps the best `train_size` of `all`: the first `positive_size` are positive.
    pub(crate) fn form_sets(&mut self, mut all: Vec<Solution>) {
        all.sort_by(|a, b| a.value.total_cmp(&b.value));
        all.truncate(self.config.train_size);
        self.negative = all.split_off(self.config.positive_size.min(all.len()));
        self.positive = all;
    }
}
