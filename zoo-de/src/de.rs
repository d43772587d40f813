//! Differential evolution, DE/rand/1/bin then DE/best/1/bin (Storn & Price, "Differential
//! evolution — a simple and efficient heuristic for global optimization over continuous
//! spaces", J. Global Optimization 11, 1997), in its steady-state form.
//!
//! A population of points; each trial is built for one member, the *target*, in turn: a
//! mutant `a + F·(b − c)` from three other members drawn at random (`a` the best member
//! in the second phase, see [`Base`]), crossed with the
//! target coordinate by coordinate (each coordinate from the mutant with probability CR,
//! one always), and it replaces the target when its value is no worse. The steps come from
//! differences between members, so they shrink as the population gathers in a basin and
//! keep their shape from the landscape, without a model to learn. A trial replaces its
//! target as soon as its value is told (steady state): the ask–tell loop and parallel
//! batches need no generation barrier, and a good point is a donor from the next trial on.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use zoo_core::{ConfigError, Evaluated, Sampler, Space, StateError, ZooRng, check_kept, ranked};

/// The largest population accepted.
const MAX_POPULATION: usize = 1 << 24;

/// Generations DE/best/1 gets at least, at the end of a [`Base::Scheduled`] run: about
/// what it takes to descend the basin the population has found.
const EXPLOIT_GENERATIONS: u64 = 40;

/// The member a trial's mutant starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// A random member (DE/rand/1) for the first half of the run's budget at most, and
    /// only while 40 generations would remain; the best member for
    /// the rest. Explores first, then converges; without a budget (no run), a random
    /// member throughout.
    #[default]
    Scheduled,
    /// A random member (DE/rand/1): the population explores with its own spread; the
    /// global search.
    Random,
    /// The best member (DE/best/1, scipy's default `best1bin`): every trial moves around
    /// the best point, which converges faster and sooner settles in its basin.
    Best,
}

/// Settings of [`DifferentialEvolution`].
///
/// | setting | default | meaning | range |
/// | --- | --- | --- | --- |
/// | `population` | `None` | members; `None`: `min(10·D, max(20, budget / 200))`, at least 5 — about 200 generations where the dimension allows | `5 ..= 2^24` |
/// | `crossover` | `0.9` | probability that a coordinate of a trial comes from the mutant (CR) | `[0, 1]` |
/// | `weight_low`, `weight_high` | `0.5`, `1.0` | the differential weight F is drawn uniformly from this range for every trial (dither) | `0 < low ≤ high ≤ 2` |
/// | `base` | [`Base::Scheduled`] | the member a mutant starts from: a random one (DE/rand/1), the best (DE/best/1), or a random one for at most half the budget and the best after | enum |
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DeConfig {
    /// Members of the population; `None` chooses by dimension and budget.
    pub population: Option<usize>,
    /// Probability that a coordinate comes from the mutant (CR).
    pub crossover: f64,
    /// Lowest differential weight F.
    pub weight_low: f64,
    /// Highest differential weight F.
    pub weight_high: f64,
    /// The member a mutant starts from.
    #[serde(default)]
    pub base: Base,
}

impl Default for DeConfig {
    fn default() -> Self {
        DeConfig {
            population: None,
            crossover: 0.9,
            weight_low: 0.5,
            weight_high: 1.0,
            base: Base::Scheduled,
        }
    }
}

impl DeConfig {
    /// Checks every setting against its range.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(p) = self.population
            && !(5..=MAX_POPULATION).contains(&p)
        {
            return Err(ConfigError::OutOfRange {
                name: "population",
                value: p.to_string(),
                expected: "5 ..= 2^24 (a trial needs its target and three other members)",
            });
        }
        if !(0.0..=1.0).contains(&self.crossover) {
            return Err(ConfigError::OutOfRange {
                name: "crossover",
                value: self.crossover.to_string(),
                expected: "[0, 1]",
            });
        }
        if !(self.weight_low > 0.0 && self.weight_low <= self.weight_high && self.weight_high <= 2.0) {
            return Err(ConfigError::OutOfRange {
                name: "weight_low, weight_high",
                value: format!("{}, {}", self.weight_low, self.weight_high),
                expected: "0 < weight_low <= weight_high <= 2",
            });
        }
        Ok(())
    }

    /// The population for `dimension` coordinates and `budget` evaluations.
    fn population_for(&self, dimension: usize, budget: u64) -> usize {
        self.population.unwrap_or_else(|| {
            let by_budget = usize::try_from(budget / 200).unwrap_or(usize::MAX).max(20);
            dimension
                .saturating_mul(10)
                .min(by_budget)
                .clamp(5, MAX_POPULATION)
        })
    }
}

/// A point handed out and not yet told: a trial and the member it competes with, or
/// (`target` `None`) a uniform point of the initial population.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct HandedOut {
    target: Option<usize>,
    x: Vec<f64>,
}

/// Differential evolution, DE/rand/1/bin with dithered F, steady state (see the module
/// docs). Works on every space: coordinates move as real numbers and are snapped to their
/// kind, so it suits continuous boxes best.
///
/// ```
/// use zoo_core::{Minimize, Space};
/// use zoo_de::{DeConfig, DifferentialEvolution};
///
/// let de = DifferentialEvolution::new(Space::cube(2, -5.0, 5.0)?, DeConfig::default())?;
/// let outcome = Minimize::new(|x: &[f64]| (x[0] - 1.0).powi(2) + (x[1] + 2.0).powi(2), de)
///     .budget(2_000)
///     .seed(1)
///     .run()?;
/// assert!(outcome.best.value < 1e-8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DifferentialEvolution {
    space: Space,
    config: DeConfig,
    /// The population size in use: planned when the run starts.
    size: usize,
    members: Vec<Evaluated<Vec<f64>>>,
    pending: VecDeque<HandedOut>,
    next_target: usize,
    best: Option<Evaluated<Vec<f64>>>,
    /// Points handed out.
    #[serde(default)]
    asked: u64,
    /// With [`Base::Scheduled`], trials start from the best member once this many points
    /// were handed out (set when the run starts).
    #[serde(default)]
    explore_until: Option<u64>,
}

impl DifferentialEvolution {
    /// A sampler over `space`.
    pub fn new(space: Space, config: DeConfig) -> Result<Self, ConfigError> {
        space.check()?;
        config.validate()?;
        let size = config.population_for(space.len(), 0);
        Ok(DifferentialEvolution {
            space,
            config,
            size,
            members: Vec::new(),
            pending: VecDeque::new(),
            next_target: 0,
            best: None,
            asked: 0,
            explore_until: None,
        })
    }

    /// The space searched.
    pub fn space(&self) -> &Space {
        &self.space
    }

    /// The population size in use.
    pub fn population(&self) -> usize {
        self.size
    }

    /// The members evaluated so far (at most [`Self::population`]).
    pub fn members(&self) -> &[Evaluated<Vec<f64>>] {
        &self.members
    }

    /// Points asked and not told are forgotten beyond this many (oldest first): a caller
    /// that never tells cannot make the state grow without end. A forgotten point told
    /// later counts as a point from elsewhere (it replaces the worst member if better).
    fn pending_limit(&self) -> usize {
        self.size.saturating_mul(4).max(1024)
    }

    /// Remembers a point handed out.
    fn hand_out(&mut self, target: Option<usize>, x: &[f64]) {
        if self.pending.len() >= self.pending_limit() {
            self.pending.pop_front();
        }
        self.pending.push_back(HandedOut {
            target,
            x: x.to_vec(),
        });
    }

    /// A point that is not a trial: kept while the population fills, else in place of the
    /// worst member when it is better.
    fn admit(&mut self, x: Vec<f64>, value: f64, room: usize) {
        if self.members.len() < room {
            self.members.push(Evaluated::new(x, value));
        } else if let Some(worst) = self
            .members
            .iter()
            .enumerate()
            .max_by(|(_, a), (_, b)| a.value.total_cmp(&b.value))
            .map(|(i, _)| i)
            && value < self.members[worst].value
        {
            self.members[worst] = Evaluated::new(x, value);
        }
    }

    /// Three distinct members other than `target`.
    fn donors(&self, target: usize, rng: &mut ZooRng) -> [usize; 3] {
        let mut picked = [usize::MAX; 3];
        for k in 0..3 {
            picked[k] = loop {
                let i = rng.index(self.size);
                if i != target && !picked[..k].contains(&i) {
                    break i;
                }
            };
        }
        picked
    }

    fn trial(&mut self, rng: &mut ZooRng) -> Vec<f64> {
        let target = self.next_target;
        self.next_target = (target + 1) % self.size;
        let [random, b, c] = self.donors(target, rng);
        let from_best = match self.config.base {
            Base::Random => false,
            Base::Best => true,
            Base::Scheduled => self.explore_until.is_some_and(|until| self.asked >= until),
        };
        let a = if from_best {
            self.members
                .iter()
                .enumerate()
                .min_by(|(_, p), (_, q)| p.value.total_cmp(&q.value))
                .map_or(random, |(i, _)| i)
        } else {
            random
        };
        let weight = rng.uniform(self.config.weight_low, self.config.weight_high);
        let always = rng.index(self.space.len());
        let mut x = self.members[target].x.clone();
        for (j, dim) in self.space.dims().iter().enumerate() {
            if j != always && !rng.chance(self.config.crossover) {
                continue;
            }
            let base = self.members[a].x[j];
            let mutant = base + weight * (self.members[b].x[j] - self.members[c].x[j]);
            let (lo, hi) = dim.bounds();
            // A coordinate past a bound is drawn between the base and that bound: it keeps
            // the direction of the step, and integer and categorical ends stay reachable.
            x[j] = if mutant < lo {
                dim.sample_within(lo, base, rng)
            } else if mutant > hi {
                dim.sample_within(base, hi, rng)
            } else {
                mutant
            };
        }
        self.space.snap(&mut x);
        self.hand_out(Some(target), &x);
        x
    }
}

impl Sampler for DifferentialEvolution {
    type Solution = Vec<f64>;

    fn start(&mut self, budget: u64) {
        if self.members.is_empty() && self.pending.is_empty() {
            self.size = self.config.population_for(self.space.len(), budget);
            self.next_target = 0;
        }
        let exploit = EXPLOIT_GENERATIONS.saturating_mul(self.size as u64);
        self.explore_until = Some((budget / 2).min(budget.saturating_sub(exploit)));
    }

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        self.asked = self.asked.saturating_add(1);
        if self.members.len() < self.size {
            // The initial population: uniform points of the space.
            let x = self.space.sample(rng);
            self.hand_out(None, &x);
            return Some(x);
        }
        Some(self.trial(rng))
    }

    fn tell(&mut self, x: Vec<f64>, value: f64) {
        let value = ranked(value);
        let pending = self.pending.iter().position(|t| t.x == x);
        // A point of another length or outside the space (told without the run loop's
        // checks) would break the trials built from it.
        if pending.is_none() && !self.space.contains(&x) {
            return;
        }
        if self.best.as_ref().is_none_or(|b| value < b.value) {
            self.best = Some(Evaluated::new(x.clone(), value));
        }
        match pending.and_then(|k| self.pending.remove(k)).map(|h| h.target) {
            Some(Some(target)) => {
                let member = &mut self.members[target];
                // No worse replaces: the population moves across plateaus.
                if value <= member.value {
                    *member = Evaluated::new(x, value);
                }
            }
            Some(None) => self.admit(x, value, self.size),
            // A warm start or a point from elsewhere fills at most half the population:
            // members that all lie on a line (a sweep of one coordinate) or share a label
            // would make every difference, and so every trial, keep to it.
            None => self.admit(x, value, self.size / 2),
        }
    }

    fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
        self.best.as_ref()
    }

    fn check_state(&self) -> Result<(), StateError> {
        self.space.check()?;
        self.config.validate()?;
        StateError::ensure((5..=MAX_POPULATION).contains(&self.size), || {
            format!("population {} outside 5 ..= 2^24", self.size)
        })?;
        StateError::ensure(self.members.len() <= self.size, || {
            format!("{} members for a population of {}", self.members.len(), self.size)
        })?;
        // Trials start once the population is full, from the first member.
        let filling = self.members.len() < self.size;
        StateError::ensure(
            self.next_target < self.size && !(filling && self.next_target > 0),
            || {
                format!(
                    "next target {} for a population of {} with {} members",
                    self.next_target,
                    self.size,
                    self.members.len()
                )
            },
        )?;
        StateError::ensure(self.pending.len() <= self.pending_limit(), || {
            format!(
                "{} points handed out and not told, at most {}",
                self.pending.len(),
                self.pending_limit()
            )
        })?;
        for (i, m) in self.members.iter().enumerate() {
            self.check_point(&m.x, &format!("member {i}"))?;
            StateError::ensure(!m.value.is_nan(), || format!("member {i} has a NaN value"))?;
        }
        for (i, t) in self.pending.iter().enumerate() {
            self.check_point(&t.x, &format!("handed-out point {i}"))?;
            StateError::ensure(t.target.is_none_or(|k| k < self.members.len()), || {
                format!(
                    "handed-out point {i} targets member {:?} of {}",
                    t.target,
                    self.members.len()
                )
            })?;
        }
        check_kept(self, &self.best, "the best solution")
    }

    fn check_point(&self, x: &Vec<f64>, what: &str) -> Result<(), StateError> {
        self.space.check_point(x, || what.to_owned())
    }
}
