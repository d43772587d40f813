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
use zoo_core::{Minimize, RandomSearch, Sampler, ZooRng};

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
    /// Every value, in call order.
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

/// Dense-matrix methods: a simplex or covariance of D² numbers.
fn dense(p: &Problem) -> std::result::Result<(), &'static str> {
    vectors(p)?;
    if p.dim > 1_000 {
        return Err("it stores a D×D matrix; use at most 1,000 coordinates");
    }
    Ok(())
}

// --- zoo runners ---------------------------------------------------------------------

/// Runs a zoo sampler under the core run loop, which owns the budget and the seed.
pub fn zoo_run<S>(problem: &Problem, job: &Job, sampler: S) -> Result<RunOutput>
where
    S: Sampler<Point = Vec<f64>>,
{
    let instance = problem.instance(job.seed);
    // The run loop stops at the budget itself; the tracker only counts (an overshoot
    // would show in `evaluations` rather than be hidden).
    let tracker = Tracker::new(&instance, &problem.space, u64::MAX);
    let started = Instant::now();
    let outcome = Minimize::new(
        |x: &[f64]| tracker.evaluate(x).expect("unlimited tracker"),
        sampler,
    )
    .budget(job.budget)
    .seed(job.seed)
    .run();
    let wall = started.elapsed();
    let outcome = outcome.map_err(|e| anyhow::anyhow!("{e}"))?;
    let track = tracker.finish();
    Ok(RunOutput {
        evaluations: track.evaluations,
        best: outcome.best.value,
        x: outcome.best.x,
        values: track.values,
        wall,
        in_objective: track.in_objective,
    })
}

fn random(p: &Problem, job: &Job) -> Result<RunOutput> {
    zoo_run(p, job, RandomSearch::new(p.space.clone()))
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
        name: "random",
        family: Family::Zoo,
        about: "uniform random search (zoo-core)",
        parallel: false,
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
        let problem = problem::build("rastrigin", Some(5)).unwrap();
        for algo in ALGOS {
            let a = algo.run(&problem, &job(300, 4)).unwrap();
            let b = algo.run(&problem, &job(300, 4)).unwrap();
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
