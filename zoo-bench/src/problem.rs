//! The benchmark problems: ZOOpt's examples, classic test functions, and shifted and
//! rotated variants whose optimum sits neither at the centre of the box nor on its axes.
//!
//! Every problem is a search [`Space`] and an objective over `&[f64]`. Noisy problems
//! also give the noise-free value of a point ([`Problem::true_value`]), which the records
//! report as `true_best`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};
use zoo_core::testing::functions::{self, ZOOPT_BIAS};
use zoo_core::{Dimension, Objective, Space, ZooRng};
use zoo_noise::{NoiseModel, Noisy};
use zoo_subset::Subset;

pub mod bbob;
mod classic;
mod labels;
mod tuning;
mod wrapped;

/// A noise-free objective, shared by the runs of a problem.
pub type Function = Arc<dyn Fn(&[f64]) -> f64 + Send + Sync>;

/// The objective of a subset problem over subsets themselves.
pub type SubsetFunction = Arc<dyn Fn(&Subset) -> f64 + Send + Sync>;

/// The objective of one run of a problem whose instance depends on the run's seed (BBOB).
pub type SeededFunction = Arc<dyn Fn(u64) -> Function + Send + Sync>;

/// What kind of space a problem lives in; decides which algorithms accept it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Every coordinate continuous in a box.
    Continuous,
    /// Some or all coordinates discrete (integers, categories, bits).
    Discrete,
    /// Choosing `k` of `n` columns (subset selection); also a binary space.
    Subset {
        /// The size the selection must not exceed.
        k: usize,
    },
}

/// One benchmark problem at one dimension.
#[derive(Clone)]
pub struct Problem {
    /// Registry name (`ackley`, `sphere-sr`, …).
    pub name: &'static str,
    /// Number of coordinates.
    pub dim: usize,
    /// The search space.
    pub space: Space,
    /// Kind of space.
    pub shape: Shape,
    function: Function,
    /// Subset problems evaluate subsets directly (the same values as `function`).
    subset_function: Option<SubsetFunction>,
    noise: Option<(NoiseModel, f64)>,
    delay: Option<Duration>,
    /// The function of a run, when it depends on the seed (else `function`).
    per_seed: Option<SeededFunction>,
    /// The optimal value, when known.
    optimum: Option<f64>,
}

impl std::fmt::Debug for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Problem")
            .field("name", &self.name)
            .field("dim", &self.dim)
            .field("shape", &self.shape)
            .field("noise", &self.noise)
            .finish()
    }
}

/// One run's objective: the problem's function, plus its own seeded noise stream when
/// the problem is noisy, plus the artificial delay of slow problems.
pub struct Instance {
    function: Function,
    subset_function: Option<SubsetFunction>,
    /// The noise has its own stream (not the optimizer's), so one seed fixes both and
    /// neither perturbs the other.
    noise: Option<Noisy<Shared>>,
    delay: Option<Duration>,
}

impl Instance {
    /// The value of a subset: through the subset function of a subset problem, else
    /// through the coordinates (1 for a chosen item); noise and delay as in
    /// [`Instance::evaluate`].
    pub fn evaluate_subset(&self, s: &Subset) -> f64 {
        match (&self.subset_function, &self.noise, self.delay) {
            (Some(f), None, None) => f(s),
            _ => {
                let mut x = vec![0.0; s.universe()];
                for i in s.iter() {
                    x[i] = 1.0;
                }
                self.evaluate(&x)
            }
        }
    }
}

/// A problem's function as an objective.
struct Shared(Function);

impl Objective<[f64]> for Shared {
    fn evaluate(&self, x: &[f64]) -> f64 {
        (self.0)(x)
    }
}

impl Instance {
    /// The (possibly noisy) value of `x`: what the optimizer sees.
    pub fn evaluate(&self, x: &[f64]) -> f64 {
        if let Some(d) = self.delay {
            std::thread::sleep(d);
        }
        match &self.noise {
            None => (self.function)(x),
            Some(noisy) => noisy.evaluate(x),
        }
    }
}

impl Problem {
    /// A noise-free problem from any space and function (for benchmarks of optimizer
    /// overhead and for experiments outside the registry).
    pub fn from_fn(
        name: &'static str,
        space: Space,
        function: impl Fn(&[f64]) -> f64 + Send + Sync + 'static,
    ) -> Problem {
        let shape = if space.dims().iter().all(Dimension::is_continuous) {
            Shape::Continuous
        } else {
            Shape::Discrete
        };
        Problem {
            name,
            dim: space.len(),
            space,
            shape,
            function: Arc::new(function),
            subset_function: None,
            noise: None,
            delay: None,
            per_seed: None,
            optimum: None,
        }
    }

    /// The objective of one run, its noise stream (if any) seeded from `seed`.
    pub fn instance(&self, seed: u64) -> Instance {
        let function = match &self.per_seed {
            Some(per_seed) => per_seed(seed),
            None => Arc::clone(&self.function),
        };
        Instance {
            function,
            subset_function: self.subset_function.clone(),
            noise: self.noise.and_then(|(model, sd)| {
                Noisy::with_model(
                    Shared(Arc::clone(&self.function)),
                    sd,
                    model,
                    ZooRng::seed_from(seed ^ NOISE_STREAM),
                )
                .ok()
            }),
            delay: self.delay,
        }
    }

    /// The noise-free value of `x` (no delay, never counted as an evaluation). On problems
    /// whose instance depends on the seed (BBOB), the value on the instance of seed 1.
    pub fn true_value(&self, x: &[f64]) -> f64 {
        (self.function)(x)
    }

    /// The optimal value, when it is known (0 for the BBOB problems, which report
    /// `f − f_opt`); runs on such problems record when they reach each ECDF target.
    pub fn optimum(&self) -> Option<f64> {
        self.optimum
    }

    /// The same problem with a known optimal value.
    pub fn with_optimum(mut self, optimum: f64) -> Problem {
        self.optimum = Some(optimum);
        self
    }

    /// The BBOB function number (1..=24) of a `bbob-fN` problem.
    pub fn bbob_function(&self) -> Option<usize> {
        bbob::function_of(self.name)
    }

    /// Whether the optimizer sees noisy values.
    pub fn is_noisy(&self) -> bool {
        self.noise.is_some()
    }

    /// Lower and upper bound of every coordinate (categories as index ranges).
    pub fn bounds(&self) -> (Vec<f64>, Vec<f64>) {
        self.space.dims().iter().map(Dimension::bounds).unzip()
    }

    /// Whether every coordinate is continuous.
    pub fn is_continuous(&self) -> bool {
        self.shape == Shape::Continuous
    }
}

/// Mixed into the run seed to give the noise its own stream.
const NOISE_STREAM: u64 = 0x6e6f_6973_6520_7631;
/// Seed of the shifts and rotations of the `-sr` variants: fixed, so every run and every
/// machine sees the same instance.
const TRANSFORM_SEED: u64 = 20_160_212;

/// A named family of problems, buildable at a dimension.
pub struct ProblemInfo {
    /// Registry name.
    pub name: &'static str,
    /// One line for `zoo-bench list`.
    pub about: &'static str,
    /// Dimension used when none is given.
    pub default_dim: usize,
    /// Dimension the problem is restricted to, if any.
    pub fixed_dim: Option<usize>,
    /// Largest dimension accepted.
    pub max_dim: usize,
    build: fn(&'static str, usize) -> Result<Problem>,
}

impl std::fmt::Debug for ProblemInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProblemInfo").field("name", &self.name).finish()
    }
}

impl ProblemInfo {
    /// The problem at `dim` coordinates.
    pub fn build(&self, dim: usize) -> Result<Problem> {
        if let Some(fixed) = self.fixed_dim
            && dim != fixed
        {
            bail!(
                "problem `{}` has exactly {fixed} coordinates, not {dim}",
                self.name
            );
        }
        // The upper bound only: a problem with a larger least dimension (BBOB's 2)
        // says so itself.
        if dim == 0 {
            bail!("problem `{}` needs at least one coordinate", self.name);
        }
        if dim > self.max_dim {
            bail!(
                "problem `{}` takes at most {} coordinates, not {dim}",
                self.name,
                self.max_dim
            );
        }
        (self.build)(self.name, dim)
    }
}

fn plain(name: &'static str, dim: usize, lo: f64, hi: f64, f: fn(&[f64]) -> f64) -> Result<Problem> {
    Ok(Problem {
        name,
        dim,
        space: Space::cube(dim, lo, hi)?,
        shape: Shape::Continuous,
        function: Arc::new(f),
        subset_function: None,
        noise: None,
        delay: None,
        per_seed: None,
        optimum: None,
    })
}

/// `f(R·(x − s))` with `R` a random rotation and `s` chosen so that the minimizer `x*`
/// lies at a random point of the inner 80 % of the box.
fn shifted_rotated(
    name: &'static str,
    dim: usize,
    lo: f64,
    hi: f64,
    f: fn(&[f64]) -> f64,
    minimizer: f64,
) -> Result<Problem> {
    let mut rng = ZooRng::seed_from(TRANSFORM_SEED ^ (dim as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let rotation = random_rotation(dim, &mut rng);
    let margin = 0.1 * (hi - lo);
    let optimum: Vec<f64> = (0..dim).map(|_| rng.uniform(lo + margin, hi - margin)).collect();
    // x* = s + Rᵀ z*, so s = x* − Rᵀ z* with z* = (m, …, m) the base minimizer.
    let shift: Vec<f64> = (0..dim)
        .map(|j| optimum[j] - (0..dim).map(|i| rotation[i * dim + j] * minimizer).sum::<f64>())
        .collect();
    Ok(Problem {
        name,
        dim,
        space: Space::cube(dim, lo, hi)?,
        shape: Shape::Continuous,
        function: Arc::new(move |x: &[f64]| functions::transformed(f, &shift, &rotation, x)),
        subset_function: None,
        noise: None,
        delay: None,
        per_seed: None,
        optimum: None,
    })
}

pub use zoo_core::testing::functions::random_rotation;

/// ZOOpt's `sphere_mixed`: `Σ xᵢ²` over even coordinates continuous in `[0, 1]` and odd
/// coordinates unordered integers in `[0, 100]`.
fn mixed(name: &'static str, dim: usize) -> Result<Problem> {
    let dims = (0..dim).map(|i| {
        if i % 2 == 0 {
            Dimension::continuous(0.0, 1.0)
        } else {
            Dimension::unordered(0, 100)
        }
    });
    Ok(Problem {
        name,
        dim,
        space: Space::new(dims.collect::<Result<Vec<_>, _>>()?)?,
        shape: Shape::Discrete,
        function: Arc::new(|x: &[f64]| x.iter().map(|v| v * v).sum()),
        subset_function: None,
        noise: None,
        delay: None,
        per_seed: None,
        optimum: None,
    })
}

/// ZOOpt's sequential-random-embedding sphere: only the first 10 coordinates matter much,
/// `Σ_{i<10} (xᵢ−0.2)² + Σ_{i≥10} (xᵢ−0.2)² / D`.
fn sre_sphere(name: &'static str, dim: usize) -> Result<Problem> {
    let head = dim.min(10);
    let d = dim as f64;
    Ok(Problem {
        name,
        dim,
        space: Space::cube(dim, -1.0, 1.0)?,
        shape: Shape::Continuous,
        function: Arc::new(move |x: &[f64]| {
            functions::sphere(&x[..head]) + functions::sphere(&x[head..]) / d
        }),
        subset_function: None,
        noise: None,
        delay: None,
        per_seed: None,
        optimum: None,
    })
}

fn setcover(name: &'static str, dim: usize) -> Result<Problem> {
    Ok(Problem {
        name,
        dim,
        space: Space::binary(dim)?,
        shape: Shape::Discrete,
        function: Arc::new(functions::set_cover),
        subset_function: None,
        noise: None,
        delay: None,
        per_seed: None,
        optimum: None,
    })
}

/// ZOOpt's sparse regression on sonar: choose `k = 8` of the 60 standardised columns to
/// minimise the least-squares error of the standardised target (+∞ for the empty set and
/// for 16 or more columns, as in ZOOpt). A coordinate equal to 1 chooses its column.
fn sonar(name: &'static str, dim: usize) -> Result<Problem> {
    let k = 8;
    let regression = Arc::new(zoo_subset::SparseRegression::new(&zoo_subset::sonar(), k)?);
    let on_subsets = Arc::clone(&regression);
    Ok(Problem {
        name,
        dim,
        space: Space::binary(dim)?,
        shape: Shape::Subset { k },
        function: Arc::new(move |x: &[f64]| {
            let chosen: Vec<bool> = x.iter().map(|&v| v > 0.5).collect();
            regression.loss(&Subset::from_bools(&chosen))
        }),
        subset_function: Some(Arc::new(move |s: &Subset| on_subsets.loss(s))),
        noise: None,
        delay: None,
        per_seed: None,
        optimum: None,
    })
}

fn noisy_ackley(name: &'static str, dim: usize) -> Result<Problem> {
    let mut p = plain(name, dim, -1.0, 1.0, functions::ackley)?;
    p.noise = Some((NoiseModel::Additive, 0.1));
    Ok(p)
}

/// The base functions of the noisy family, each shifted and rotated as its `-sr` problem.
#[derive(Clone, Copy)]
enum Base {
    Sphere,
    Ackley,
    Rastrigin,
    Griewank,
    Rosenbrock,
    Ellipsoid,
}

fn base_sr(base: Base, name: &'static str, dim: usize) -> Result<Problem> {
    match base {
        Base::Sphere => shifted_rotated(name, dim, -1.0, 1.0, functions::sphere, ZOOPT_BIAS),
        Base::Ackley => shifted_rotated(name, dim, -1.0, 1.0, functions::ackley, ZOOPT_BIAS),
        Base::Rastrigin => shifted_rotated(name, dim, -5.12, 5.12, functions::rastrigin, 0.0),
        Base::Griewank => shifted_rotated(name, dim, -600.0, 600.0, functions::griewank, 0.0),
        Base::Rosenbrock => shifted_rotated(name, dim, -2.048, 2.048, functions::rosenbrock, 1.0),
        Base::Ellipsoid => shifted_rotated(name, dim, -5.0, 5.0, functions::ellipsoid, 0.0),
    }
}

/// `base` under noise of `model` at `level`: additive noise has standard deviation `level`
/// times the problem's [`value_spread`], so a level means the same on every function;
/// multiplicative noise multiplies by `exp(level·ε)`, relative by construction.
fn with_noise(base: Result<Problem>, model: NoiseModel, level: f64) -> Result<Problem> {
    let mut p = base?;
    let sd = match model {
        NoiseModel::Additive => level * value_spread(&p),
        NoiseModel::Multiplicative => level,
    };
    p.noise = Some((model, sd));
    Ok(p)
}

/// Seed of the points that measure a problem's value spread.
const SPREAD_SEED: u64 = 0x7370_7265_6164;

/// The standard deviation of the problem's values at 1,000 uniform points of its box (a
/// fixed sample): the scale additive noise levels are relative to.
fn value_spread(p: &Problem) -> f64 {
    let mut rng = ZooRng::seed_from(SPREAD_SEED);
    let (lower, upper) = p.bounds();
    let n = 1_000;
    let values: Vec<f64> = (0..n)
        .map(|_| {
            let x: Vec<f64> = lower
                .iter()
                .zip(&upper)
                .map(|(&lo, &hi)| rng.uniform(lo, hi))
                .collect();
            p.true_value(&x)
        })
        .collect();
    let mean = values.iter().sum::<f64>() / n as f64;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
}

/// One problem of the noisy family (`NOISY_PROBLEMS`).
macro_rules! noisy {
    ($name:literal, $base:ident, $model:ident, $level:literal) => {
        ProblemInfo {
            name: $name,
            about: concat!(
                "noisy family: the -sr function plus ",
                stringify!($model),
                " Gaussian noise at level ",
                stringify!($level),
                " (scored noise-free)"
            ),
            default_dim: 10,
            fixed_dim: None,
            max_dim: 1_000,
            build: |n, d| with_noise(base_sr(Base::$base, n, d), NoiseModel::$model, $level),
        }
    };
}

/// The noisy family: six shifted-rotated functions under additive noise (`-add`, level
/// × the function's value spread) and multiplicative noise (`-mul`, `f·exp(level·ε)`) at
/// levels 0.01, 0.1 and 1.
pub static NOISY_PROBLEMS: &[ProblemInfo] = &[
    noisy!("sphere-sr-add0.01", Sphere, Additive, 0.01),
    noisy!("sphere-sr-add0.1", Sphere, Additive, 0.1),
    noisy!("sphere-sr-add1", Sphere, Additive, 1.0),
    noisy!("sphere-sr-mul0.01", Sphere, Multiplicative, 0.01),
    noisy!("sphere-sr-mul0.1", Sphere, Multiplicative, 0.1),
    noisy!("sphere-sr-mul1", Sphere, Multiplicative, 1.0),
    noisy!("ackley-sr-add0.01", Ackley, Additive, 0.01),
    noisy!("ackley-sr-add0.1", Ackley, Additive, 0.1),
    noisy!("ackley-sr-add1", Ackley, Additive, 1.0),
    noisy!("ackley-sr-mul0.01", Ackley, Multiplicative, 0.01),
    noisy!("ackley-sr-mul0.1", Ackley, Multiplicative, 0.1),
    noisy!("ackley-sr-mul1", Ackley, Multiplicative, 1.0),
    noisy!("rastrigin-sr-add0.01", Rastrigin, Additive, 0.01),
    noisy!("rastrigin-sr-add0.1", Rastrigin, Additive, 0.1),
    noisy!("rastrigin-sr-add1", Rastrigin, Additive, 1.0),
    noisy!("rastrigin-sr-mul0.01", Rastrigin, Multiplicative, 0.01),
    noisy!("rastrigin-sr-mul0.1", Rastrigin, Multiplicative, 0.1),
    noisy!("rastrigin-sr-mul1", Rastrigin, Multiplicative, 1.0),
    noisy!("griewank-sr-add0.01", Griewank, Additive, 0.01),
    noisy!("griewank-sr-add0.1", Griewank, Additive, 0.1),
    noisy!("griewank-sr-add1", Griewank, Additive, 1.0),
    noisy!("griewank-sr-mul0.01", Griewank, Multiplicative, 0.01),
    noisy!("griewank-sr-mul0.1", Griewank, Multiplicative, 0.1),
    noisy!("griewank-sr-mul1", Griewank, Multiplicative, 1.0),
    noisy!("rosenbrock-sr-add0.01", Rosenbrock, Additive, 0.01),
    noisy!("rosenbrock-sr-add0.1", Rosenbrock, Additive, 0.1),
    noisy!("rosenbrock-sr-add1", Rosenbrock, Additive, 1.0),
    noisy!("rosenbrock-sr-mul0.01", Rosenbrock, Multiplicative, 0.01),
    noisy!("rosenbrock-sr-mul0.1", Rosenbrock, Multiplicative, 0.1),
    noisy!("rosenbrock-sr-mul1", Rosenbrock, Multiplicative, 1.0),
    noisy!("ellipsoid-sr-add0.01", Ellipsoid, Additive, 0.01),
    noisy!("ellipsoid-sr-add0.1", Ellipsoid, Additive, 0.1),
    noisy!("ellipsoid-sr-add1", Ellipsoid, Additive, 1.0),
    noisy!("ellipsoid-sr-mul0.01", Ellipsoid, Multiplicative, 0.01),
    noisy!("ellipsoid-sr-mul0.1", Ellipsoid, Multiplicative, 0.1),
    noisy!("ellipsoid-sr-mul1", Ellipsoid, Multiplicative, 1.0),
];

fn slow_ackley(name: &'static str, dim: usize) -> Result<Problem> {
    let mut p = plain(name, dim, -1.0, 1.0, functions::ackley)?;
    p.delay = Some(Duration::from_millis(2));
    Ok(p)
}

/// Every problem, in the order `list` prints them.
pub static PROBLEMS: &[ProblemInfo] = &[
    ProblemInfo {
        name: "sphere",
        about: "Σ(x−0.2)², [-1,1]^D (ZOOpt's sphere)",
        default_dim: 100,
        fixed_dim: None,
        max_dim: 100_000,
        build: |n, d| plain(n, d, -1.0, 1.0, functions::sphere),
    },
    ProblemInfo {
        name: "ackley",
        about: "Ackley with bias 0.2, [-1,1]^D (ZOOpt's ackley)",
        default_dim: 100,
        fixed_dim: None,
        max_dim: 100_000,
        build: |n, d| plain(n, d, -1.0, 1.0, functions::ackley),
    },
    ProblemInfo {
        name: "rastrigin",
        about: "Rastrigin, [-5.12,5.12]^D",
        default_dim: 20,
        fixed_dim: None,
        max_dim: 100_000,
        build: |n, d| plain(n, d, -5.12, 5.12, functions::rastrigin),
    },
    ProblemInfo {
        name: "griewank",
        about: "Griewank, [-600,600]^D",
        default_dim: 20,
        fixed_dim: None,
        max_dim: 100_000,
        build: |n, d| plain(n, d, -600.0, 600.0, functions::griewank),
    },
    ProblemInfo {
        name: "rosenbrock",
        about: "Rosenbrock, [-2.048,2.048]^D",
        default_dim: 20,
        fixed_dim: None,
        max_dim: 100_000,
        build: |n, d| plain(n, d, -2.048, 2.048, functions::rosenbrock),
    },
    ProblemInfo {
        name: "setcover",
        about: "ZOOpt's weighted set cover, 20 binary coordinates",
        default_dim: 20,
        fixed_dim: Some(20),
        max_dim: 20,
        build: setcover,
    },
    ProblemInfo {
        name: "mixed",
        about: "Σx², even coords continuous [0,1], odd coords unordered integers [0,100] (ZOOpt's mixed)",
        default_dim: 100,
        fixed_dim: None,
        max_dim: 100_000,
        build: mixed,
    },
    ProblemInfo {
        name: "noisy-ackley",
        about: "ackley + N(0, 0.1²) noise per call; true_best is noise-free",
        default_dim: 100,
        fixed_dim: None,
        max_dim: 100_000,
        build: noisy_ackley,
    },
    ProblemInfo {
        name: "sre-sphere",
        about: "Σ_{i<10}(x−0.2)² + Σ_{i≥10}(x−0.2)²/D, [-1,1]^D (ZOOpt's SRE example)",
        default_dim: 10_000,
        fixed_dim: None,
        max_dim: 1_000_000,
        build: sre_sphere,
    },
    ProblemInfo {
        name: "sonar-k8",
        about: "sparse regression on sonar (208×60), choose k = 8 columns (ZOOpt's POSS example)",
        default_dim: 60,
        fixed_dim: Some(60),
        max_dim: 60,
        build: sonar,
    },
    ProblemInfo {
        name: "slow-ackley",
        about: "ackley whose every call sleeps 2 ms (parallel evaluation)",
        default_dim: 10,
        fixed_dim: None,
        max_dim: 100_000,
        build: slow_ackley,
    },
    ProblemInfo {
        name: "sphere-sr",
        about: "sphere shifted and rotated (optimum off-centre, off-axis)",
        default_dim: 100,
        fixed_dim: None,
        max_dim: 1_000,
        build: |n, d| shifted_rotated(n, d, -1.0, 1.0, functions::sphere, ZOOPT_BIAS),
    },
    ProblemInfo {
        name: "ackley-sr",
        about: "ackley shifted and rotated",
        default_dim: 100,
        fixed_dim: None,
        max_dim: 1_000,
        build: |n, d| shifted_rotated(n, d, -1.0, 1.0, functions::ackley, ZOOPT_BIAS),
    },
    ProblemInfo {
        name: "rastrigin-sr",
        about: "rastrigin shifted and rotated",
        default_dim: 20,
        fixed_dim: None,
        max_dim: 1_000,
        build: |n, d| shifted_rotated(n, d, -5.12, 5.12, functions::rastrigin, 0.0),
    },
    ProblemInfo {
        name: "griewank-sr",
        about: "griewank shifted and rotated",
        default_dim: 20,
        fixed_dim: None,
        max_dim: 1_000,
        build: |n, d| shifted_rotated(n, d, -600.0, 600.0, functions::griewank, 0.0),
    },
    ProblemInfo {
        name: "rosenbrock-sr",
        about: "rosenbrock shifted and rotated",
        default_dim: 20,
        fixed_dim: None,
        max_dim: 1_000,
        build: |n, d| shifted_rotated(n, d, -2.048, 2.048, functions::rosenbrock, 1.0),
    },
    ProblemInfo {
        name: "ellipsoid-sr",
        about: "ellipsoid with condition 1e6, shifted and rotated, in [-5, 5]",
        default_dim: 30,
        fixed_dim: None,
        max_dim: 1_000,
        build: |n, d| shifted_rotated(n, d, -5.0, 5.0, functions::ellipsoid, 0.0),
    },
];

/// Every registered problem: [`PROBLEMS`], the bits and labels (`leadingones`,
/// `label-ring`, `colouring`), the noisy family ([`NOISY_PROBLEMS`]), the 24 BBOB
/// functions, the classic family (`classic-levy` …), moved by every seed, then both seen
/// through an increasing transformation of their values (`log-bbob-f1`, `root-bbob-f1` …).
pub fn all() -> impl Iterator<Item = &'static ProblemInfo> {
    PROBLEMS
        .iter()
        .chain(labels::PROBLEMS)
        .chain(tuning::PROBLEMS)
        .chain(NOISY_PROBLEMS)
        .chain(bbob::PROBLEMS)
        .chain(classic::PROBLEMS)
        .chain(wrapped::BBOB_PROBLEMS)
        .chain(wrapped::CLASSIC_PROBLEMS)
}

/// The registry entry called `name`.
pub fn find(name: &str) -> Result<&'static ProblemInfo> {
    match all().find(|p| p.name == name) {
        Some(p) => Ok(p),
        None => {
            let names: Vec<&str> = all().map(|p| p.name).collect();
            bail!("unknown problem `{name}`; known problems: {}", names.join(", "))
        }
    }
}

/// The problem called `name` at `dim` coordinates (its default dimension when `None`).
pub fn build(name: &str, dim: Option<usize>) -> Result<Problem> {
    let info = find(name)?;
    info.build(dim.unwrap_or(info.default_dim))
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn shifted_rotated_optimum_is_inside_and_off_centre() {
        for (name, lo, hi) in [("sphere-sr", -1.0, 1.0), ("rastrigin-sr", -5.12, 5.12)] {
            let p = build(name, Some(12)).unwrap();
            // Recover the optimum: it is where the value is zero; check it against a
            // fresh copy of the construction.
            let mut rng = ZooRng::seed_from(TRANSFORM_SEED ^ 12u64.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let _ = random_rotation(12, &mut rng);
            let margin = 0.1 * (hi - lo);
            let optimum: Vec<f64> = (0..12).map(|_| rng.uniform(lo + margin, hi - margin)).collect();
            assert!(
                p.true_value(&optimum).abs() < 1e-9,
                "{name}: {}",
                p.true_value(&optimum)
            );
            let centre = vec![0.5 * (lo + hi); 12];
            assert!(p.true_value(&centre) > 1e-3);
            assert!(p.space.contains(&optimum));
        }
    }

    #[test]
    fn noisy_family_is_its_base_function_plus_scaled_noise() {
        let base = build("rastrigin-sr", Some(10)).unwrap();
        for (name, model) in [
            ("rastrigin-sr-add0.1", NoiseModel::Additive),
            ("rastrigin-sr-mul0.1", NoiseModel::Multiplicative),
        ] {
            let p = build(name, None).unwrap();
            assert_eq!(p.dim, 10);
            assert!(p.is_noisy());
            let x = vec![1.0; 10];
            assert_eq!(p.true_value(&x), base.true_value(&x), "{name}: the base function");
            let (got, sd) = p.noise.unwrap();
            assert_eq!(got, model);
            let expected = match model {
                NoiseModel::Additive => 0.1 * value_spread(&base),
                NoiseModel::Multiplicative => 0.1,
            };
            assert_eq!(sd, expected, "{name}");
            let seen = p.instance(1).evaluate(&x);
            assert_ne!(seen, base.true_value(&x), "{name}: the run sees noise");
        }
        // Rastrigin-10's values over the box spread by tens, not by units or thousands.
        let spread = value_spread(&base);
        assert!((10.0..100.0).contains(&spread), "{spread}");
        assert_eq!(NOISY_PROBLEMS.len(), 36);
    }

    #[test]
    fn rotation_is_orthogonal() {
        let n = 7;
        let r = random_rotation(n, &mut ZooRng::seed_from(3));
        for a in 0..n {
            for b in 0..n {
                let dot: f64 = (0..n).map(|j| r[a * n + j] * r[b * n + j]).sum();
                let want = if a == b { 1.0 } else { 0.0 };
                assert!((dot - want).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn noise_stream_is_seeded_and_true_value_is_noise_free() {
        let p = build("noisy-ackley", Some(5)).unwrap();
        let x = [0.2; 5];
        let a: Vec<f64> = (0..3).map(|_| p.instance(4).evaluate(&x)).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let one = p.instance(4);
        assert_ne!(one.evaluate(&x), one.evaluate(&x));
        assert!(p.true_value(&x).abs() < 1e-12);
    }

    #[test]
    fn fixed_and_bounded_dimensions_are_enforced() {
        assert!(build("setcover", Some(21)).is_err());
        assert!(build("setcover", None).is_ok());
        assert!(build("sphere-sr", Some(2_000)).is_err());
        assert!(build("sphere", Some(0)).is_err());
        assert!(build("nope", None).is_err());
    }

    #[test]
    fn mixed_and_sre_sphere_follow_zoopt() {
        let p = build("mixed", Some(4)).unwrap();
        assert_eq!(p.true_value(&[0.5, 3.0, 0.0, 1.0]), 0.25 + 9.0 + 1.0);
        assert!(!p.space.dims()[1].is_ordered());
        let s = build("sre-sphere", Some(1_000)).unwrap();
        let mut x = vec![0.2; 1_000];
        assert!(s.true_value(&x).abs() < 1e-12);
        x[500] = 1.2;
        assert!((s.true_value(&x) - 1.0 / 1_000.0).abs() < 1e-12);
    }
}
