//! The samplers the Python layer can ask for, composed from a JSON description: SRACOS,
//! RACOS, random search, CMA-ES, TPE, differential evolution or `auto`, optionally wrapped in re-sampling and value suppression, and
//! optionally searched through a sequential random embedding.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde::{Deserialize, Serialize};
use zoo_auto::{Auto, AutoConfig};
use zoo_cmaes::{CmaEs, CmaEsConfig};
use zoo_core::{ConfigError, Evaluated, RandomSearch, Sampler, Space, StateError, Trusted, ZooRng};
use zoo_de::{DeConfig, DifferentialEvolution};
use zoo_highdim::{Embedded, EmbeddingConfig, EmbeddingError};
use zoo_noise::{Resampling, Suppressed, SuppressionConfig, Trigger};
use zoo_racos::{Centre, Racos, RacosConfig, Replace, SRacos, SRacosConfig, TrainingSets};
use zoo_tpe::{Tpe, TpeConfig};

use crate::codec::{DimSpec, build_space};

/// The base algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Algorithm {
    /// Sequential RACOS.
    Sracos,
    /// Batch RACOS.
    Racos,
    /// Uniform random search.
    Random,
    /// CMA-ES with IPOP restarts (zoo-cmaes).
    Cmaes,
    /// The automatic choice (zoo-auto).
    Auto,
    /// The tree-structured Parzen estimator (zoo-tpe), independent densities.
    Tpe,
    /// Differential evolution, DE/rand/1/bin (zoo-de).
    De,
}

/// RACOS-family learning settings; `None` means the automatic choice for the budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LearningSpec {
    /// Training-set size.
    pub train_size: Option<usize>,
    /// Positive-set size.
    pub positive_size: Option<usize>,
    /// Chance of a uniform sample.
    pub exploration_rate: f64,
    /// Coordinates re-sampled per new solution.
    pub uncertain_bits: Option<usize>,
    /// `"auto"`, `"best"` or `"random_positive"`; `None`: the rule for the objective
    /// ([`Centre::for_objective`]: random positive under noise handling, else auto).
    pub centre: Option<Centre>,
    /// `"worst"`, `"random"` or `"farthest"` (SRACOS only).
    pub replace: Replace,
    /// Cell width within which continuous coordinates count as repeats (ZOOpt's
    /// `precision`); `None`: exact comparison.
    #[serde(default)]
    pub duplicate_tolerance: Option<f64>,
}

impl Default for LearningSpec {
    fn default() -> Self {
        LearningSpec {
            train_size: None,
            positive_size: None,
            exploration_rate: 0.01,
            uncertain_bits: None,
            centre: None,
            replace: Replace::Worst,
            duplicate_tolerance: None,
        }
    }
}

/// Value-suppression settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuppressionSpec {
    /// Non-improving values in a row before a re-estimation.
    pub non_update_allowed: u64,
    /// Evaluations per re-estimated solution.
    pub resample_times: u64,
    /// Weight of the re-sampled mean.
    pub balance_rate: f64,
    /// `"best"` (the paper) or `"trusted"` (ZOOpt).
    #[serde(default)]
    pub trigger: Trigger,
}

/// Sequential-random-embedding settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbeddingSpec {
    /// Number of stages.
    pub stages: usize,
    /// Low dimension `d`.
    pub low_dimension: usize,
    /// Variance of the matrix entries (`None`: `1/d`).
    #[serde(default)]
    pub variance: Option<f64>,
    /// Range of `α`.
    pub alpha: (f64, f64),
    /// Range of every low-dimensional coordinate.
    pub low_bounds: (f64, f64),
}

/// Everything needed to build a sampler.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineSpec {
    /// The search space.
    pub space: Vec<DimSpec>,
    /// The base algorithm.
    pub algorithm: Algorithm,
    /// The budget the automatic sizes (training sets, embedding stages) are derived from;
    /// the run's budget itself comes from the run rules.
    pub budget: u64,
    /// Learning settings.
    #[serde(default)]
    pub learning: LearningSpec,
    /// Evaluations averaged per point (re-sampling), if any.
    #[serde(default)]
    pub resampling: Option<u64>,
    /// Value suppression, if any.
    #[serde(default)]
    pub suppression: Option<SuppressionSpec>,
    /// Sequential random embedding, if any.
    #[serde(default)]
    pub embedding: Option<EmbeddingSpec>,
    /// The objective is declared noisy (noise handling without a SRACOS wrapper: `auto`).
    #[serde(default)]
    pub noisy: bool,
}

impl EngineSpec {
    /// Parses the JSON description.
    pub fn parse(json: &str) -> PyResult<Self> {
        serde_json::from_str(json)
            .map_err(|e| PyValueError::new_err(format!("invalid optimizer description: {e}")))
    }

    fn noisy(&self) -> bool {
        self.noisy || self.resampling.is_some() || self.suppression.is_some()
    }

    fn learning(&self, budget: u64) -> Result<RacosConfig, ConfigError> {
        let l = &self.learning;
        let mut config = RacosConfig::for_budget(budget);
        if let Some(t) = l.train_size {
            config.train_size = t;
        }
        if let Some(p) = l.positive_size {
            config.positive_size = p;
        }
        config.exploration_rate = l.exploration_rate;
        config.uncertain_bits = l.uncertain_bits;
        config.duplicate_tolerance = l.duplicate_tolerance;
        config.centre = l.centre.unwrap_or_else(|| Centre::for_objective(self.noisy()));
        Ok(config)
    }

    /// The sampler of one (stage) space with its budget: the base algorithm and the
    /// noise wrappers.
    fn stage(&self, space: Space, budget: u64) -> Result<Engine, StageError> {
        let mut engine = match self.algorithm {
            Algorithm::Sracos => Engine::Sracos(SRacos::new(
                space,
                SRacosConfig {
                    learning: self.learning(budget)?,
                    replace: self.learning.replace,
                    noise_check: true,
                },
            )?),
            Algorithm::Racos => Engine::Racos(Racos::new(space, self.learning(budget)?)?),
            Algorithm::Random => Engine::Random(RandomSearch::new(space)),
            Algorithm::Cmaes => Engine::CmaEs(CmaEs::new(space, CmaEsConfig::default())?),
            Algorithm::Tpe => Engine::Tpe(Box::new(Tpe::new(space, TpeConfig::default())?)),
            Algorithm::De => Engine::De(Box::new(DifferentialEvolution::new(space, DeConfig::default())?)),
            // Auto handles noise itself: no wrappers around it.
            Algorithm::Auto => {
                let config = AutoConfig {
                    noisy: self.noisy(),
                    ..AutoConfig::default()
                };
                return Ok(Engine::Auto(Box::new(Auto::new(space, config)?)));
            }
        };
        if let Some(times) = self.resampling {
            engine = Engine::Resampling(Box::new(Resampling::new(engine, times)?));
        }
        if let Some(s) = &self.suppression {
            if self.algorithm != Algorithm::Sracos {
                return Err(out_of_range(
                    "suppression",
                    "true",
                    "value suppression needs the sequential algorithm (SRACOS)",
                )
                .into());
            }
            let config = SuppressionConfig {
                non_update_allowed: s.non_update_allowed,
                resample_times: s.resample_times,
                balance_rate: s.balance_rate,
                trigger: s.trigger,
                final_round: true,
            };
            engine = Engine::Suppressed(Box::new(Suppressed::new(engine, config)?));
        }
        Ok(engine)
    }

    /// Builds the sampler; invalid settings raise `ValueError`.
    pub fn build(&self) -> PyResult<Engine> {
        let space = build_space(&self.space)?;
        let engine = match &self.embedding {
            None => self.stage(space, self.budget),
            Some(e) => {
                let config = EmbeddingConfig {
                    stages: e.stages,
                    low_dimension: e.low_dimension,
                    variance: e.variance,
                    alpha: e.alpha,
                    low_bounds: e.low_bounds,
                    ..EmbeddingConfig::for_budget(self.budget)
                };
                let embedded = Embedded::new(&space, config, |low, budget| self.stage(low, budget)).map_err(
                    |e| match e {
                        EmbeddingError::Stage { source, .. } => PyValueError::new_err(source.to_string()),
                        other => PyValueError::new_err(other.to_string()),
                    },
                )?;
                return Ok(Engine::Embedded(Box::new(embedded)));
            }
        };
        engine.map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

fn out_of_range(name: &'static str, value: &str, expected: &'static str) -> ConfigError {
    ConfigError::OutOfRange {
        name,
        value: value.to_owned(),
        expected,
    }
}

/// Why the sampler of a (stage) space could not be built.
#[derive(Debug, thiserror::Error)]
enum StageError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Noise(#[from] zoo_noise::NoiseError),
}

/// A sampler over coordinate vectors, any of the compositions the Python layer offers.
/// It serialises with serde, which is how the ask/tell optimizer pickles.
// One engine per optimizer: its size does not matter, boxing the common case would.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Engine {
    /// Sequential RACOS.
    Sracos(SRacos),
    /// Batch RACOS.
    Racos(Racos),
    /// Random search.
    Random(RandomSearch),
    /// Re-sampling around another engine.
    Resampling(Box<Resampling<Engine>>),
    /// Value suppression around another engine.
    Suppressed(Box<Suppressed<Engine>>),
    /// Sequential random embedding searched by per-stage engines.
    Embedded(Box<Embedded<Engine>>),
    /// CMA-ES (IPOP restarts).
    CmaEs(CmaEs),
    /// The automatic choice.
    Auto(Box<Auto>),
    /// The tree-structured Parzen estimator.
    Tpe(Box<Tpe>),
    /// Differential evolution.
    De(Box<DifferentialEvolution>),
}

impl Engine {
    /// Whether this engine searches exactly `space` (a restored state must not search
    /// another space than the one its description, and so its codec, describes).
    pub fn searches(&self, space: &Space) -> bool {
        match self {
            Engine::Sracos(s) => s.space() == space,
            Engine::Racos(s) => s.space() == space,
            Engine::Random(s) => s.space() == space,
            Engine::CmaEs(s) => s.space() == space,
            Engine::Auto(s) => s.space() == space,
            Engine::Tpe(s) => s.space() == space,
            Engine::De(s) => s.space() == space,
            Engine::Resampling(s) => s.inner().searches(space),
            Engine::Suppressed(s) => s.inner().searches(space),
            Engine::Embedded(s) => {
                let bounds = s.original_bounds();
                bounds.len() == space.len()
                    && space.dims().iter().zip(bounds).all(|(d, (lo, hi))| {
                        d.kind()
                            == &zoo_core::Kind::Continuous {
                                lo,
                                hi,
                                decimals: None,
                            }
                    })
            }
        }
    }

    /// SRACOS's or RACOS's positive and negative sets (through the noise wrappers), for
    /// stopping criteria that read them; `None` for the other engines.
    pub fn training_sets(&self) -> Option<TrainingSets<'_>> {
        match self {
            Engine::Sracos(s) => Some(s.training_sets()),
            Engine::Racos(s) => Some(s.training_sets()),
            Engine::Resampling(s) => s.inner().training_sets(),
            Engine::Suppressed(s) => s.inner().training_sets(),
            _ => None,
        }
    }

    /// What `auto` decided so far, as a JSON list (`None` for the other engines).
    pub fn decisions_json(&self) -> Option<String> {
        match self {
            Engine::Auto(s) => serde_json::to_string(s.decisions()).ok(),
            _ => None,
        }
    }

    /// Under value suppression, which repetition of a re-estimate the last ask handed
    /// out (see [`Suppressed::last_repetition`]).
    pub fn last_repetition(&self) -> Option<u64> {
        match self {
            Engine::Suppressed(s) => s.last_repetition(),
            _ => None,
        }
    }

    fn inner(&self) -> &dyn Sampler<Solution = Vec<f64>> {
        match self {
            Engine::Sracos(s) => s,
            Engine::Racos(s) => s,
            Engine::Random(s) => s,
            Engine::CmaEs(s) => s,
            Engine::Auto(s) => s.as_ref(),
            Engine::Tpe(s) => s.as_ref(),
            Engine::De(s) => s.as_ref(),
            Engine::Resampling(s) => s.as_ref(),
            Engine::Suppressed(s) => s.as_ref(),
            Engine::Embedded(s) => s.as_ref(),
        }
    }

    fn inner_mut(&mut self) -> &mut dyn Sampler<Solution = Vec<f64>> {
        match self {
            Engine::Sracos(s) => s,
            Engine::Racos(s) => s,
            Engine::Random(s) => s,
            Engine::CmaEs(s) => s,
            Engine::Auto(s) => s.as_mut(),
            Engine::Tpe(s) => s.as_mut(),
            Engine::De(s) => s.as_mut(),
            Engine::Resampling(s) => s.as_mut(),
            Engine::Suppressed(s) => s.as_mut(),
            Engine::Embedded(s) => s.as_mut(),
        }
    }
}

impl Sampler for Engine {
    type Solution = Vec<f64>;

    fn start(&mut self, budget: u64) {
        self.inner_mut().start(budget);
    }

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        self.inner_mut().ask(rng)
    }

    fn tell(&mut self, x: Vec<f64>, value: f64) {
        self.inner_mut().tell(x, value);
    }

    fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
        self.inner().best()
    }

    fn check_state(&self) -> Result<(), StateError> {
        self.inner().check_state()
    }

    fn check_point(&self, x: &Vec<f64>, what: &str) -> Result<(), StateError> {
        self.inner().check_point(x, what)
    }
}

/// Only SRACOS (possibly re-sampled) has a trusted set; value suppression is refused for
/// the other engines when they are built, so their empty set is never used.
impl Trusted for Engine {
    fn trusted(&self) -> &[Evaluated<Vec<f64>>] {
        match self {
            Engine::Sracos(s) => s.trusted(),
            Engine::Resampling(s) => s.trusted(),
            _ => &[],
        }
    }

    fn revalue(&mut self, values: &[f64]) {
        match self {
            Engine::Sracos(s) => s.revalue(values),
            Engine::Resampling(s) => s.revalue(values),
            _ => {}
        }
    }
}
