//! The algorithm registry: each algorithm is one small [`Algo`] entry naming what it
//! accepts and how one run goes.
//!
//! Every run evaluates through a [`Tracker`], which counts calls, times the objective and
//! records every value; external optimizers (argmin, basin) are stopped by it exactly at
//! the budget and restarted from a fresh seeded point if they converge earlier, so every
//! algorithm gets the same number of evaluations. Their searches run in the continuous
//! box of the space; discrete coordinates are rounded before evaluation.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use zoo_core::{Evaluated, Minimize, Parallel, Point, RandomSearch, Sampler, ZooRng, ranked};
use zoo_highdim::{Embedded, EmbeddingConfig};
use zoo_noise::{Resampling, Suppressed, SuppressionConfig, Trigger};
use zoo_racos::{Centre, Racos, RacosConfig, Replace, SRacos, SRacosConfig};
use zoo_subset::{Greedy, Ponss, Poss, SizeLimit, Subset};

use crate::problem::{Problem, Shape};
use crate::tracker::{Track, Tracker};

/// The settings of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// Objective evaluations allowed.
    pub budget: u64,
    /// Seed of the run (optimizer and noise streams).
    pub seed: u64,
    /// Parallel evaluation threads (1 = sequential).
    pub threads: usize,
}

/// What one run produced.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// Objective calls made.
    pub evaluations: u64,
    /// The value the algorithm reports for its recommendation (noisy on noisy problems).
    pub best: f64,
    /// The recommended point.
    pub x: Vec<f64>,
    /// Every value, in call order (+∞ for infeasible subsets).
    pub values: Vec<f64>,
    /// Wall time of the whole run.
    pub wall: Duration,
    /// Part of `wall` spent inside the objective.
    pub in_objective: Duration,
}

/// Which library an algorithm comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// This workspace.
    Zoo,
    /// argmin 0.11.
    Argmin,
    /// basin (CMA-ES, differential evolution).
    Basin,
}

impl Family {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Family::Zoo => "zoo",
            Family::Argmin => "argmin",
            Family::Basin => "basin",
        }
    }
}

/// One registered algorithm.
pub struct Algo {
    /// Name on the command line (lower case).
    pub name: &'static str,
    /// Where it comes from.
    pub family: Family,
    /// One line for `zoo-bench list`.
    pub about: &'static str,
    /// Whether it can evaluate in parallel (`--threads` > 1).
    pub parallel: bool,
    accepts: fn(&Problem) -> std::result::Result<(), &'static str>,
    run: fn(&Problem, &Job) -> Result<RunOutput>,
}

impl std::fmt::Debug for Algo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Algo").field("name", &self.name).finish()
    }
}

impl Algo {
    /// Why the algorithm cannot run `problem`, if it cannot.
    pub fn check(&self, problem: &Problem) -> std::result::Result<(), String> {
        (self.accepts)(problem).map_err(|why| format!("`{}` cannot run `{}`: {why}", self.name, problem.name))
    }

    /// Whether the algorithm can run `problem`.
    pub fn accepts(&self, problem: &Problem) -> bool {
        (self.accepts)(problem).is_ok()
    }

    /// One run.
    pub fn run(&self, problem: &Problem, job: &Job) -> Result<RunOutput> {
        if let Err(why) = self.check(problem) {
            bail!(why);
        }
        if job.budget == 0 {
            bail!("the budget must be at least 1");
        }
        if job.threads == 0 {
            bail!("--threads must be at least 1");
        }
        if job.threads > 1 && !self.parallel {
            bail!("`{}` evaluates sequentially; run it with --threads 1", self.name);
        }
        (self.run)(problem, job)
    }
}

// --- what each algorithm accepts -------------------------------------------------------

fn any(_: &Problem) -> std::result::Result<(), &'static str> {
    Ok(())
}

/// Vector-space optimizers: anything but subset selection (which has its own methods).
fn vectors(p: &Problem) -> std::result::Result<(), &'static str> {
    match p.shape {
        Shape::Subset { .. } => Err("subset selection needs a subset method"),
        _ => Ok(()),
    }
}

/// Subset-selection methods.
fn subsets(p: &Problem) -> std::result::Result<(), &'static str> {
    match p.shape {
        Shape::Subset { .. } => Ok(()),
        _ => Err("it selects subsets; use a subset problem such as sonar-k8"),
    }
}

/// Dense-matrix methods: a simplex or covariance of D² numbers.
fn dense(p: &Problem) -> std::result::Result<(), &'static str> {
    vectors(p)?;
    if p.dim > 1_000 {
        return Err("it stores a D×D matrix; use at most 1,000 coordinates");
    }
    Ok(())
}

// --- zoo runners ---------------------------------------------------------------------

/// Points whose coordinates the tracker (and the problem's function) can read.
pub trait Coordinates: Point + Send {
    /// The coordinates of a point's view.
    fn coordinates(view: &Self::View) -> std::borrow::Cow<'_, [f64]>;
    /// The coordinates of a point.
    fn into_coordinates(self) -> Vec<f64>;
}

impl Coordinates for Vec<f64> {
    fn coordinates(view: &[f64]) -> std::borrow::Cow<'_, [f64]> {
        std::borrow::Cow::Borrowed(view)
    }

    fn into_coordinates(self) -> Vec<f64> {
        self
    }
}

impl Coordinates for Subset {
    fn coordinates(view: &Subset) -> std::borrow::Cow<'_, [f64]> {
        let mut x = vec![0.0; view.universe()];
        for i in view.iter() {
            x[i] = 1.0;
        }
        std::borrow::Cow::Owned(x)
    }

    fn into_coordinates(self) -> Vec<f64> {
        Self::coordinates(&self).into_owned()
    }
}

/// Runs a zoo sampler under the core run loop, which owns the budget and the seed. With
/// `--threads N > 1` the evaluations run on N worker threads in batches of N (the
/// result of a seed does not depend on thread timing).
pub fn zoo_run<S>(problem: &Problem, job: &Job, sampler: S) -> Result<RunOutput>
where
    S: Sampler,
    S::Point: Coordinates,
{
    drive(
        problem,
        job,
        sampler,
        Parallel::Batch { size: job.threads },
        job.budget,
    )
}

/// The core loop with a chosen parallel mode and loop budget (which differs from the
/// evaluation budget when each loop evaluation is an average of several calls).
fn drive<S>(problem: &Problem, job: &Job, sampler: S, mode: Parallel, loop_budget: u64) -> Result<RunOutput>
where
    S: Sampler,
    S::Point: Coordinates,
{
    let instance = problem.instance(job.seed);
    // The run loop stops at the budget itself; the tracker only counts (an overshoot
    // would show in `evaluations` rather than be hidden).
    let mut tracker = Tracker::new(&instance, &problem.space, u64::MAX);
    if let Shape::Subset { k } = problem.shape {
        tracker = tracker.with_size_limit(k);
    }
    let objective = |v: &<S::Point as Point>::View| {
        tracker
            .evaluate(&S::Point::coordinates(v))
            .expect("an unlimited tracker always evaluates")
    };
    let started = Instant::now();
    let run = Minimize::new(objective, sampler)
        .budget(loop_budget)
        .seed(job.seed);
    let outcome = if job.threads > 1 {
        run.threads(job.threads).parallel(mode).run()
    } else {
        run.run()
    };
    let wall = started.elapsed();
    let outcome = outcome.map_err(|e| anyhow::anyhow!("{e}"))?;
    let track = tracker.finish();
    Ok(RunOutput {
        evaluations: track.evaluations,
        best: outcome.best.value,
        x: outcome.best.x.into_coordinates(),
        values: track.values,
        wall,
        in_objective: track.in_objective,
    })
}

fn random(p: &Problem, job: &Job) -> Result<RunOutput> {
    match p.shape {
        Shape::Subset { k } => zoo_run(p, job, RandomSubsets::new(p.dim, k)),
        _ => zoo_run(p, job, RandomSearch::new(p.space.clone())),
    }
}

fn sracos_with(p: &Problem, job: &Job, replace: Replace, mode: Parallel) -> Result<RunOutput> {
    let config = SRacosConfig {
        replace,
        ..SRacosConfig::for_budget(job.budget)
    };
    drive(p, job, SRacos::new(p.space.clone(), config)?, mode, job.budget)
}

fn sracos(p: &Problem, job: &Job) -> Result<RunOutput> {
    sracos_with(p, job, Replace::Worst, Parallel::Batch { size: job.threads })
}

fn sracos_rr(p: &Problem, job: &Job) -> Result<RunOutput> {
    sracos_with(p, job, Replace::Random, Parallel::Batch { size: job.threads })
}

fn sracos_lm(p: &Problem, job: &Job) -> Result<RunOutput> {
    sracos_with(p, job, Replace::Farthest, Parallel::Batch { size: job.threads })
}

/// SRACOS with the sizes ZOOpt's discrete example sets by hand (6 solutions trained on,
/// 1 positive, so 5 negatives) instead of the automatic table.
fn sracos_small(p: &Problem, job: &Job) -> Result<RunOutput> {
    let config = SRacosConfig {
        learning: RacosConfig {
            train_size: 6,
            positive_size: 1,
            ..RacosConfig::for_budget(job.budget)
        },
        ..SRacosConfig::for_budget(job.budget)
    };
    drive(
        p,
        job,
        SRacos::new(p.space.clone(), config)?,
        Parallel::Batch { size: job.threads },
        job.budget,
    )
}

/// ZOOpt's asynchronous parallel SRACOS: every worker busy, each finished evaluation told
/// at once (not reproducible with more than one thread).
fn asracos(p: &Problem, job: &Job) -> Result<RunOutput> {
    sracos_with(p, job, Replace::Worst, Parallel::Async)
}

fn racos(p: &Problem, job: &Job) -> Result<RunOutput> {
    zoo_run(
        p,
        job,
        Racos::new(p.space.clone(), RacosConfig::for_budget(job.budget))?,
    )
}

/// SRACOS as ZOOpt's noisy example configures it: positive set of 5, and (under noise)
/// new solutions drawn around any positive rather than the luckiest best one.
fn noisy_sracos(p: &Problem, budget: u64) -> Result<SRacos> {
    let learning = RacosConfig {
        positive_size: 5,
        centre: Centre::RandomPositive,
        ..RacosConfig::for_budget(budget)
    };
    let config = SRacosConfig {
        learning,
        ..SRacosConfig::for_budget(budget)
    };
    Ok(SRacos::new(p.space.clone(), config)?)
}

/// Re-sampling: every point SRACOS proposes is evaluated 10 times and told the mean; the
/// budget counts the single evaluations.
fn resample(p: &Problem, job: &Job) -> Result<RunOutput> {
    zoo_run(p, job, Resampling::new(noisy_sracos(p, job.budget)?, 10)?)
}

/// Value suppression (SSRACOS) with ZOOpt's example settings: 200 evaluations without
/// improvement trigger re-estimating the positives by 50 evaluations each, blended 0.5.
fn ssracos(p: &Problem, job: &Job) -> Result<RunOutput> {
    let config = SuppressionConfig {
        non_update_allowed: 200,
        resample_times: 50,
        balance_rate: 0.5,
        trigger: Trigger::Best,
        budget: Some(job.budget),
    };
    zoo_run(p, job, Suppressed::new(noisy_sracos(p, job.budget)?, config)?)
}

/// Sequential random embedding with ZOOpt's settings (5 stages, 10 dimensions), SRACOS
/// inside each stage.
fn sre(p: &Problem, job: &Job) -> Result<RunOutput> {
    let sampler = Embedded::new(
        &p.space,
        EmbeddingConfig::for_budget(job.budget),
        |low, budget| SRacos::new(low, SRacosConfig::for_budget(budget)),
    )?;
    zoo_run(p, job, sampler)
}

/// Continuous boxes of more than 10 coordinates (the embedding maps 10 dimensions into
/// intervals).
fn boxes(p: &Problem) -> std::result::Result<(), &'static str> {
    match p.shape {
        Shape::Continuous if p.dim > 10 => Ok(()),
        Shape::Continuous => Err("its 10-dimensional embedding needs more than 10 coordinates"),
        _ => Err("it needs a continuous box"),
    }
}

fn subset_size(p: &Problem) -> usize {
    match p.shape {
        Shape::Subset { k } => k,
        _ => unreachable!("subset runners accept subset problems only"),
    }
}

fn poss(p: &Problem, job: &Job) -> Result<RunOutput> {
    zoo_run(p, job, Poss::new(p.dim, SizeLimit::new(subset_size(p)))?)
}

/// PONSS with ZOOpt's example settings: θ = 0.5, B = k.
fn ponss(p: &Problem, job: &Job) -> Result<RunOutput> {
    let k = subset_size(p);
    zoo_run(p, job, Ponss::new(p.dim, SizeLimit::new(k), 0.5, k)?)
}

/// Greedy forward selection; it stops after its `n + (n−1) + … + (n−k+1)` evaluations
/// when the budget allows more.
fn greedy(p: &Problem, job: &Job) -> Result<RunOutput> {
    zoo_run(p, job, Greedy::new(p.dim, subset_size(p))?)
}

/// Uniformly random subsets of exactly `k` items: random search for subset selection
/// (random points of the binary space almost never have at most `k` items).
#[derive(Debug, Clone)]
pub struct RandomSubsets {
    n: usize,
    k: usize,
    best: Option<Evaluated<Subset>>,
}

impl RandomSubsets {
    /// Random `k`-subsets of `n` items.
    pub fn new(n: usize, k: usize) -> Self {
        RandomSubsets { n, k, best: None }
    }
}

impl Sampler for RandomSubsets {
    type Point = Subset;

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Subset> {
        // A partial Fisher–Yates shuffle picks k distinct items.
        let mut items: Vec<usize> = (0..self.n).collect();
        for i in 0..self.k.min(self.n) {
            let j = i + rng.index(self.n - i);
            items.swap(i, j);
        }
        Subset::from_indices(self.n, items[..self.k.min(self.n)].iter().copied()).ok()
    }

    fn tell(&mut self, x: Subset, value: f64) {
        let value = ranked(value);
        if self.best.as_ref().is_none_or(|b| value < b.value) {
            self.best = Some(Evaluated::new(x, value));
        }
    }

    fn best(&self) -> Option<&Evaluated<Subset>> {
        self.best.as_ref()
    }
}

// --- external optimizers ----------------------------------------------------------------

/// The error an adapted objective returns once the budget is spent; it ends the external
/// optimizer's run.
#[derive(Debug, Clone, Copy)]
pub struct BudgetSpent;

impl std::fmt::Display for BudgetSpent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("evaluation budget spent")
    }
}

impl std::error::Error for BudgetSpent {}

/// Runs an external optimizer through a budget-limited tracker. `restart` is called with
/// the tracker and the run's random stream until the budget is spent (optimizers that
/// converge early are restarted), or until a restart spends nothing.
fn external(
    problem: &Problem,
    job: &Job,
    mut restart: impl FnMut(&Tracker<'_>, &mut ZooRng, u32) -> Result<()>,
) -> Result<RunOutput> {
    let instance = problem.instance(job.seed);
    let tracker = Tracker::new(&instance, &problem.space, job.budget);
    let mut rng = ZooRng::seed_from(job.seed);
    let started = Instant::now();
    let mut round = 0;
    while tracker.remaining() > 0 {
        let before = tracker.remaining();
        restart(&tracker, &mut rng, round)?;
        if tracker.remaining() == before {
            break;
        }
        round += 1;
    }
    let wall = started.elapsed();
    finish(tracker.finish(), wall)
}

fn finish(track: Track, wall: Duration) -> Result<RunOutput> {
    let Some((x, best)) = track.best else {
        bail!("the run ended without evaluating any solution");
    };
    Ok(RunOutput {
        evaluations: track.evaluations,
        best,
        x,
        values: track.values,
        wall,
        in_objective: track.in_objective,
    })
}

/// A uniform random start point in the problem's space.
fn start(problem: &Problem, rng: &mut ZooRng) -> Vec<f64> {
    problem.space.sample(rng)
}

mod argmin_runners {
    use super::*;
    use argmin::core::{CostFunction, Error, Executor};
    use argmin::solver::neldermead::NelderMead;
    use argmin::solver::particleswarm::ParticleSwarm;
    use argmin::solver::simulatedannealing::{Anneal, SATempFunc, SimulatedAnnealing};
    use rand_xoshiro::Xoshiro256PlusPlus;
    use rand_xoshiro::rand_core::SeedableRng;

    /// The objective as argmin sees it.
    pub(super) struct Cost<'t, 'a> {
        pub tracker: &'t Tracker<'a>,
        /// Neighbour steps of simulated annealing.
        pub anneal: Option<AnnealSteps>,
    }

    pub(super) struct AnnealSteps {
        rng: RefCell<ZooRng>,
        lo: Vec<f64>,
        hi: Vec<f64>,
        initial_temperature: f64,
    }

    impl CostFunction for Cost<'_, '_> {
        type Param = Vec<f64>;
        type Output = f64;

        fn cost(&self, x: &Vec<f64>) -> Result<f64, Error> {
            self.tracker.evaluate_snapped(x).ok_or_else(|| BudgetSpent.into())
        }
    }

    impl Anneal for Cost<'_, '_> {
        type Param = Vec<f64>;
        type Output = Vec<f64>;
        type Float = f64;

        /// A Gaussian step on every coordinate, 10 % of its range at the initial
        /// temperature, shrinking with the square root of the temperature; kept in the box.
        fn anneal(&self, x: &Vec<f64>, temperature: f64) -> Result<Vec<f64>, Error> {
            let steps = self.anneal.as_ref().expect("annealing steps set for argmin-sa");
            let scale = 0.1 * (temperature / steps.initial_temperature).sqrt().clamp(1e-4, 1.0);
            let mut rng = steps.rng.borrow_mut();
            Ok(x.iter()
                .zip(steps.lo.iter().zip(&steps.hi))
                .map(|(&v, (&lo, &hi))| (v + scale * (hi - lo) * rng.normal()).clamp(lo, hi))
                .collect())
        }
    }

    /// argmin's Nelder–Mead from a random point, initial simplex edges 10 % of the range.
    pub(super) fn nelder_mead(problem: &Problem, job: &Job) -> Result<RunOutput> {
        let (lo, hi) = problem.bounds();
        external(problem, job, |tracker, rng, _| {
            let x0 = start(problem, rng);
            let mut simplex = vec![x0.clone()];
            for i in 0..x0.len() {
                let step = 0.1 * (hi[i] - lo[i]);
                let mut v = x0.clone();
                v[i] = if v[i] + step <= hi[i] {
                    v[i] + step
                } else {
                    v[i] - step
                };
                simplex.push(v);
            }
            if tracker.remaining() < simplex.len() as u64 {
                // argmin's Nelder–Mead unwraps the cost of its initial simplex, so it cannot
                // be stopped there; a round that cannot afford the simplex evaluates as many
                // of its vertices as the budget allows, which is all it would have done.
                for v in &simplex {
                    if tracker.evaluate_snapped(v).is_none() {
                        break;
                    }
                }
                return Ok(());
            }
            let solver = NelderMead::new(simplex).with_sd_tolerance(1e-12)?;
            let cost = Cost {
                tracker,
                anneal: None,
            };
            let _ = Executor::new(cost, solver)
                .configure(|s| s.max_iters(u64::MAX))
                .run();
            Ok(())
        })
    }

    /// argmin's particle swarm, 40 particles, seeded.
    pub(super) fn particle_swarm(problem: &Problem, job: &Job) -> Result<RunOutput> {
        let (lo, hi) = problem.bounds();
        external(problem, job, |tracker, rng, _| {
            let solver = ParticleSwarm::new((lo.clone(), hi.clone()), 40)
                .with_rng_generator(Xoshiro256PlusPlus::seed_from_u64(rng.next_word()));
            let cost = Cost {
                tracker,
                anneal: None,
            };
            let _ = Executor::new(cost, solver)
                .configure(|s| s.max_iters(u64::MAX))
                .run();
            Ok(())
        })
    }

    /// argmin's simulated annealing with the "fast" schedule `T₀/k`, from a random
    /// point, `T₀` a tenth of the start value's magnitude.
    pub(super) fn simulated_annealing(problem: &Problem, job: &Job) -> Result<RunOutput> {
        let (lo, hi) = problem.bounds();
        external(problem, job, |tracker, rng, _| {
            let x0 = start(problem, rng);
            let Some(f0) = tracker.evaluate_snapped(&x0) else {
                return Ok(());
            };
            let t0 = (0.1 * f0.abs()).max(1e-9);
            let t0 = if t0.is_finite() { t0 } else { 1.0 };
            let solver =
                SimulatedAnnealing::new_with_rng(t0, Xoshiro256PlusPlus::seed_from_u64(rng.next_word()))?
                    .with_temp_func(SATempFunc::TemperatureFast);
            let cost = Cost {
                tracker,
                anneal: Some(AnnealSteps {
                    rng: RefCell::new(rng.fork()),
                    lo: lo.clone(),
                    hi: hi.clone(),
                    initial_temperature: t0,
                }),
            };
            let _ = Executor::new(cost, solver)
                .configure(|s| s.param(x0).cost(f0).max_iters(u64::MAX))
                .run();
            Ok(())
        })
    }
}

mod basin_runners {
    use super::*;
    use basin::{
        BoundedCmaEs, BoxBounds, Constrained, ConstraintSet, CostFunction, De, Executor, PopulationProgress,
    };
    use nalgebra::{DMatrix, DVector};

    /// The objective as basin sees it.
    pub(super) struct Cost<'t, 'a>(pub &'t Tracker<'a>);

    impl CostFunction for Cost<'_, '_> {
        type Param = Vec<f64>;
        type Output = f64;
        type Error = BudgetSpent;

        fn cost(&self, x: &Vec<f64>) -> Result<f64, BudgetSpent> {
            self.0.evaluate_snapped(x).ok_or(BudgetSpent)
        }
    }

    /// CMA-ES runs on nalgebra's vectors: its symmetric eigensolver is far faster than the
    /// pure-Rust Jacobi sweeps of basin's `Vec` backend (about 20× at 100 coordinates).
    pub(super) struct VectorCost<'t, 'a>(pub &'t Tracker<'a>);

    impl CostFunction for VectorCost<'_, '_> {
        type Param = DVector<f64>;
        type Output = f64;
        type Error = BudgetSpent;

        fn cost(&self, x: &DVector<f64>) -> Result<f64, BudgetSpent> {
            self.0.evaluate_snapped(x.as_slice()).ok_or(BudgetSpent)
        }
    }

    /// IPOP-CMA-ES: basin's bounded CMA-ES (adaptive boundary penalty) from a random
    /// point, σ₀ 0.15 of the range (0.05–0.6 tried on Ackley-100: 0.1–0.15 did best); when
    /// the distribution collapses it restarts with
    /// a doubled population.
    pub(super) fn cma_es(problem: &Problem, job: &Job) -> Result<RunOutput> {
        let (lo, hi) = problem.bounds();
        let width = lo
            .iter()
            .zip(&hi)
            .map(|(l, h)| h - l)
            .fold(0.0, f64::max)
            .max(1e-12);
        let n = problem.dim as f64;
        let lambda0 = 4 + (3.0 * n.ln()).floor() as usize;
        external(problem, job, |tracker, rng, round| {
            let x0 = DVector::from_vec(start(problem, rng));
            let bounds = ConstraintSet::new().with_bounds(BoxBounds::new(
                Some(DVector::from_vec(lo.clone())),
                Some(DVector::from_vec(hi.clone())),
            ));
            let lambda = lambda0 << round.min(10);
            let solver = BoundedCmaEs::<DVector<f64>, DMatrix<f64>>::new(rng.next_word(), 0.15 * width)
                .with_lambda(lambda)
                .with_absolute_distribution_size_tolerance(1e-9 * width);
            let _ = Executor::new(
                Constrained::new(VectorCost(tracker), bounds),
                solver,
                PopulationProgress::<DVector<f64>>::from_point(x0),
            )
            .max_iter(u64::MAX)
            .run();
            Ok(())
        })
    }

    /// basin's differential evolution, DE/rand/1/bin with CR 0.9 and F dithered in
    /// [0.5, 1); population `min(10·D, max(20, budget/200))` so that it runs at least
    /// ~200 generations.
    pub(super) fn differential_evolution(problem: &Problem, job: &Job) -> Result<RunOutput> {
        let (lo, hi) = problem.bounds();
        let pop = (10 * problem.dim)
            .min(((job.budget / 200) as usize).max(20))
            .max(5);
        external(problem, job, |tracker, rng, _| {
            let bounds = ConstraintSet::new().with_bounds(BoxBounds::new(Some(lo.clone()), Some(hi.clone())));
            let solver = De::new(rng.next_word())
                .with_pop_size(pop)
                .with_cr(0.9)
                .with_dither(0.5, 1.0);
            let _ = Executor::new(
                Constrained::new(Cost(tracker), bounds),
                solver,
                PopulationProgress::<Vec<f64>>::empty(),
            )
            .max_iter(u64::MAX)
            .run();
            Ok(())
        })
    }
}

/// Every algorithm, in the order `list` prints them.
pub static ALGOS: &[Algo] = &[
    Algo {
        name: "sracos",
        family: Family::Zoo,
        about: "sequential RACOS, worst-replacement (zoo-racos)",
        parallel: true,
        accepts: vectors,
        run: sracos,
    },
    Algo {
        name: "sracos-rr",
        family: Family::Zoo,
        about: "sequential RACOS, random replacement (zoo-racos)",
        parallel: true,
        accepts: vectors,
        run: sracos_rr,
    },
    Algo {
        name: "sracos-lm",
        family: Family::Zoo,
        about: "sequential RACOS, largest-margin replacement (zoo-racos)",
        parallel: true,
        accepts: vectors,
        run: sracos_lm,
    },
    Algo {
        name: "sracos-small",
        family: Family::Zoo,
        about: "sequential RACOS with ZOOpt's discrete-example sizes: train 6, positive 1 (zoo-racos)",
        parallel: true,
        accepts: vectors,
        run: sracos_small,
    },
    Algo {
        name: "asracos",
        family: Family::Zoo,
        about: "asynchronous parallel SRACOS, one evaluation per thread in flight (zoo-racos + zoo-core)",
        parallel: true,
        accepts: vectors,
        run: asracos,
    },
    Algo {
        name: "racos",
        family: Family::Zoo,
        about: "batch RACOS (zoo-racos)",
        parallel: true,
        accepts: vectors,
        run: racos,
    },
    Algo {
        name: "resample",
        family: Family::Zoo,
        about: "SRACOS with each point re-sampled 10 times (zoo-noise Resampling)",
        parallel: true,
        accepts: vectors,
        run: resample,
    },
    Algo {
        name: "ssracos",
        family: Family::Zoo,
        about: "SRACOS with value suppression, 200/50/0.5 (zoo-noise Suppressed)",
        parallel: true,
        accepts: vectors,
        run: ssracos,
    },
    Algo {
        name: "sre",
        family: Family::Zoo,
        about: "sequential random embedding, 5 stages, d = 10, SRACOS inside (zoo-highdim)",
        parallel: true,
        accepts: boxes,
        run: sre,
    },
    Algo {
        name: "poss",
        family: Family::Zoo,
        about: "Pareto optimization for subset selection (zoo-subset)",
        parallel: true,
        accepts: subsets,
        run: poss,
    },
    Algo {
        name: "ponss",
        family: Family::Zoo,
        about: "POSS under noise, theta 0.5, B = k (zoo-subset)",
        parallel: true,
        accepts: subsets,
        run: ponss,
    },
    Algo {
        name: "greedy",
        family: Family::Zoo,
        about: "greedy forward selection (zoo-subset)",
        parallel: true,
        accepts: subsets,
        run: greedy,
    },
    Algo {
        name: "random",
        family: Family::Zoo,
        about: "uniform random search; random k-subsets on subset problems (zoo-core)",
        parallel: true,
        accepts: any,
        run: random,
    },
    Algo {
        name: "argmin-nm",
        family: Family::Argmin,
        about: "argmin Nelder-Mead, restarted from random points",
        parallel: false,
        accepts: dense,
        run: argmin_runners::nelder_mead,
    },
    Algo {
        name: "argmin-pso",
        family: Family::Argmin,
        about: "argmin particle swarm, 40 particles",
        parallel: false,
        accepts: vectors,
        run: argmin_runners::particle_swarm,
    },
    Algo {
        name: "argmin-sa",
        family: Family::Argmin,
        about: "argmin simulated annealing, fast schedule",
        parallel: false,
        accepts: vectors,
        run: argmin_runners::simulated_annealing,
    },
    Algo {
        name: "cmaes",
        family: Family::Basin,
        about: "basin bounded CMA-ES with IPOP restarts",
        parallel: false,
        accepts: dense,
        run: basin_runners::cma_es,
    },
    Algo {
        name: "de",
        family: Family::Basin,
        about: "basin differential evolution, DE/rand/1/bin, dithered F",
        parallel: false,
        accepts: vectors,
        run: basin_runners::differential_evolution,
    },
];

/// The registry entry called `name`.
pub fn find(name: &str) -> Result<&'static Algo> {
    match ALGOS.iter().find(|a| a.name == name) {
        Some(a) => Ok(a),
        None => {
            let names: Vec<&str> = ALGOS.iter().map(|a| a.name).collect();
            bail!(
                "unknown algorithm `{name}`; known algorithms: {}",
                names.join(", ")
            )
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::problem;

    fn job(budget: u64, seed: u64) -> Job {
        Job {
            budget,
            seed,
            threads: 1,
        }
    }

    #[test]
    fn external_adapters_spend_exactly_the_budget() {
        // Budgets below one population, between generations, and across restarts.
        for name in ["argmin-nm", "argmin-pso", "argmin-sa", "cmaes", "de"] {
            let algo = find(name).unwrap();
            for (p, dim) in [("sphere", 3), ("setcover", 20), ("mixed", 6)] {
                let problem = problem::build(p, Some(dim)).unwrap();
                for budget in [1, 2, 41, 1_003] {
                    let out = algo.run(&problem, &job(budget, 7)).unwrap();
                    assert_eq!(out.evaluations, budget, "{name} on {p} with budget {budget}");
                    assert_eq!(out.values.len() as u64, budget);
                    assert!(problem.space.contains(&out.x), "{name} returned {:?}", out.x);
                    assert_eq!(problem.true_value(&out.x), out.best);
                }
            }
        }
    }

    #[test]
    fn nelder_mead_restarts_after_converging() {
        // A 1-D quadratic converges in far fewer than 2,000 evaluations; the rest of the
        // budget goes to restarts rather than being left unspent.
        let problem = problem::build("sphere", Some(1)).unwrap();
        let out = find("argmin-nm").unwrap().run(&problem, &job(2_000, 1)).unwrap();
        assert_eq!(out.evaluations, 2_000);
        assert!(out.best < 1e-10);
    }

    #[test]
    fn same_seed_same_run() {
        let rastrigin = problem::build("rastrigin", Some(12)).unwrap();
        let sonar = problem::build("sonar-k8", None).unwrap();
        for algo in ALGOS {
            let problem = if algo.accepts(&rastrigin) {
                &rastrigin
            } else {
                &sonar
            };
            let a = algo.run(problem, &job(300, 4)).unwrap();
            let b = algo.run(problem, &job(300, 4)).unwrap();
            assert_eq!(a.values, b.values, "{}", algo.name);
        }
    }

    #[test]
    fn baselines_beat_random_search_on_the_sphere() {
        let problem = problem::build("sphere", Some(10)).unwrap();
        let median = |name: &str| {
            let mut v: Vec<f64> = (0..5)
                .map(|s| find(name).unwrap().run(&problem, &job(2_000, s)).unwrap().best)
                .collect();
            v.sort_by(f64::total_cmp);
            v[2]
        };
        let random = median("random");
        for name in ["cmaes", "de", "argmin-pso"] {
            assert!(
                median(name) < 0.1 * random,
                "{name}: {} vs random {random}",
                median(name)
            );
        }
    }

    #[test]
    fn refuses_what_it_cannot_run() {
        let big = problem::build("sre-sphere", Some(2_000)).unwrap();
        assert!(find("cmaes").unwrap().run(&big, &job(10, 0)).is_err());
        assert!(find("argmin-nm").unwrap().check(&big).is_err());
        let small = problem::build("sphere", Some(2)).unwrap();
        let parallel = Job {
            threads: 2,
            ..job(10, 0)
        };
        assert!(find("argmin-sa").unwrap().run(&small, &parallel).is_err());
        assert!(find("random").unwrap().run(&small, &job(0, 0)).is_err());
        assert!(find("nope").is_err());
    }
}
