//! The algorithm registry: each algorithm is one small [`Algo`] entry naming what it
//! accepts and how one run goes.
//!
//! Every run evaluates through a [`Tracker`](crate::tracker::Tracker), which counts calls,
//! times the objective and records every value; external optimizers (argmin, basin) are
//! stopped by it exactly at the budget and restarted from a fresh seeded point if they
//! converge earlier, so every algorithm gets the same number of evaluations. Their
//! searches run in the continuous box of the space; discrete coordinates are rounded
//! before evaluation.
//!
//! | file | holds |
//! | --- | --- |
//! | `mod.rs` | the run settings and output, the [`Algo`] entry, what each algorithm accepts |
//! | `registry.rs` | [`ALGOS`], every registered algorithm, and [`find`] |
//! | `zoo.rs` | the workspace's samplers under the core run loop |
//! | `external.rs` | the budget-limited adapter of external optimizers |
//! | `argmin_runners.rs`, `basin_runners.rs` | the argmin and basin runners |

use std::time::Duration;

use anyhow::{Result, bail};

use crate::problem::{Problem, Shape};

mod argmin_runners;
mod basin_runners;
mod external;
mod registry;
mod zoo;

pub use external::BudgetSpent;
pub use registry::{ALGOS, find};
pub use zoo::{Coordinates, RandomSubsets, zoo_run};

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
