//! Bring your own sampler and problem: a [`Registry`] holds samplers and problems written
//! outside zoo-bench next to the built-in ones, and runs suites over them with the same
//! records, report, plots (and ECDFs, for problems with a known optimum) as
//! `zoo-bench run`.
//!
//! ```no_run
//! use zoo_bench::registry::Registry;
//! use zoo_bench::suite::{Suite, Task};
//! use zoo_core::{RandomSearch, Space};
//!
//! let mut registry = Registry::new();
//! // Any zoo sampler over coordinate vectors, built per run from the space and budget.
//! registry.sampler("my-random", |space: &Space, _budget| RandomSearch::new(space.clone()))?;
//! // Any objective over a space; a known optimum enables the runtime ECDFs.
//! let space = Space::cube(4, -2.0, 2.0)?;
//! registry.problem("shifted", space, |x: &[f64]| x.iter().map(|v| (v - 1.0).powi(2)).sum(), Some(0.0))?;
//! let suite = Suite::new("mine", vec![Task::new("shifted", 4, 1_000, &["my-random", "sracos"])], 1..=5);
//! registry.run_suite(&suite, None, "target/mine".as_ref(), 2, false)?;
//! # Ok::<(), anyhow::Error>(())
//! ```
//!
//! Names must differ from the built-in ones. A registered problem has one dimension (its
//! space's); a task may name it with that dimension or with 0.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use zoo_core::{Sampler, Space};

use crate::problem::{self, Problem, Shape};
use crate::runner::{self, Algo, Job, RunOutput};
use crate::suite::{self, Suite};
use crate::{coco, outdir, record, report};

/// How a registered sampler runs one job.
type RunFn = Arc<dyn Fn(&Problem, &Job) -> Result<RunOutput> + Send + Sync>;

/// A sampler registered by name.
#[derive(Clone)]
pub struct CustomSampler {
    name: String,
    run: RunFn,
}

impl std::fmt::Debug for CustomSampler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomSampler").field("name", &self.name).finish()
    }
}

/// An algorithm a suite names: built in, or registered.
#[derive(Debug, Clone, Copy)]
pub enum AlgoRef<'a> {
    /// One of [`runner::ALGOS`].
    Builtin(&'static Algo),
    /// A sampler of the registry.
    Custom(&'a CustomSampler),
}

impl AlgoRef<'_> {
    /// Its name.
    pub fn name(&self) -> &str {
        match self {
            AlgoRef::Builtin(a) => a.name,
            AlgoRef::Custom(c) => &c.name,
        }
    }

    /// One line about it.
    pub fn about(&self) -> &'static str {
        match self {
            AlgoRef::Builtin(a) => a.about,
            AlgoRef::Custom(_) => "a sampler registered through zoo_bench::registry",
        }
    }

    /// Whether it can run `problem` with `threads` threads per run. Registered samplers
    /// propose coordinate vectors: every problem but subset selection.
    pub fn accepts(&self, problem: &Problem, threads: usize) -> bool {
        match self {
            AlgoRef::Builtin(a) => a.accepts(problem) && (threads == 1 || a.parallel),
            AlgoRef::Custom(_) => !matches!(problem.shape, Shape::Subset { .. }),
        }
    }

    /// One run.
    pub fn run(&self, problem: &Problem, job: &Job) -> Result<RunOutput> {
        match self {
            AlgoRef::Builtin(a) => a.run(problem, job),
            AlgoRef::Custom(c) => {
                if !self.accepts(problem, job.threads) {
                    bail!("`{}` cannot run the subset problem `{}`", c.name, problem.name);
                }
                if job.budget == 0 || job.threads == 0 {
                    bail!("the budget and the threads must be at least 1");
                }
                (c.run)(problem, job)
            }
        }
    }
}

/// Samplers and problems beyond the built-in ones (empty by default: the built-ins alone).
#[derive(Debug, Clone, Default)]
pub struct Registry {
    samplers: Vec<CustomSampler>,
    problems: Vec<Problem>,
}

impl Registry {
    /// A registry of the built-in samplers and problems only.
    pub fn new() -> Registry {
        Registry::default()
    }

    fn taken(&self, name: &str) -> bool {
        runner::find(name).is_ok()
            || problem::find(name).is_ok()
            || self.samplers.iter().any(|s| s.name == name)
            || self.problems.iter().any(|p| p.name == name)
    }

    /// Registers a sampler: `factory(space, budget)` builds the sampler of one run, which
    /// the core run loop drives (budget, seed, parallel batches) as it drives zoo's own.
    pub fn sampler<S, F>(&mut self, name: &str, factory: F) -> Result<&mut Registry>
    where
        S: Sampler<Solution = Vec<f64>>,
        F: Fn(&Space, u64) -> S + Send + Sync + 'static,
    {
        if self.taken(name) {
            bail!("the name `{name}` is taken");
        }
        let run: RunFn =
            Arc::new(move |p: &Problem, job: &Job| runner::zoo_run(p, job, factory(&p.space, job.budget)));
        self.samplers.push(CustomSampler {
            name: name.to_owned(),
            run,
        });
        Ok(self)
    }

    /// Registers a noise-free problem: an objective over `space`, with its optimal value
    /// when known (runs then record when they reach each ECDF target).
    pub fn problem(
        &mut self,
        name: &'static str,
        space: Space,
        objective: impl Fn(&[f64]) -> f64 + Send + Sync + 'static,
        optimum: Option<f64>,
    ) -> Result<&mut Registry> {
        if self.taken(name) {
            bail!("the name `{name}` is taken");
        }
        let mut p = Problem::from_fn(name, space, objective);
        if let Some(o) = optimum {
            p = p.with_optimum(o);
        }
        self.problems.push(p);
        Ok(self)
    }

    /// The problem `name` at `dim` coordinates: a registered one (whose dimension is its
    /// space's; `dim` 0 stands for it), else a built-in one.
    pub fn find_problem(&self, name: &str, dim: usize) -> Result<Problem> {
        match self.problems.iter().find(|p| p.name == name) {
            Some(p) if dim == 0 || dim == p.dim => Ok(p.clone()),
            Some(p) => bail!("problem `{name}` has {} coordinates, not {dim}", p.dim),
            None => problem::build(name, Some(dim)),
        }
    }

    /// The algorithm `name`: a registered sampler, else a built-in algorithm.
    pub fn find_algo(&self, name: &str) -> Result<AlgoRef<'_>> {
        match self.samplers.iter().find(|s| s.name == name) {
            Some(s) => Ok(AlgoRef::Custom(s)),
            None => runner::find(name).map(AlgoRef::Builtin),
        }
    }

    /// Runs `suite` over its seeds, `jobs` runs side by side, and writes into `out` what
    /// `zoo-bench run` writes: `results.csv`, `curves.json`, `env.json`, `report.md`,
    /// `plots/`, COCO data for BBOB runs, and `suite.toml` when `source` (the suite file's
    /// text) is given. `out` is checked first ([`outdir::prepare`]).
    pub fn run_suite(
        &self,
        suite: &Suite,
        source: Option<&str>,
        out: &Path,
        jobs: usize,
        progress: bool,
    ) -> Result<()> {
        outdir::prepare(out, &suite.name)?;
        if let Some(text) = source {
            std::fs::write(out.join("suite.toml"), text)?;
        }
        let mut env = record::Environment::detect(&suite.name, if suite.exclusive { 1 } else { jobs });
        let started = std::time::Instant::now();
        let (results, logs) = suite::run_in(self, suite, jobs, progress)?;
        env.wall_s = started.elapsed().as_secs_f64();
        record::save(out, &results)?;
        env.save(out)?;
        coco::write(&out.join("coco"), &logs, |algo| {
            let about = self.find_algo(algo).map_or("", |a| a.about());
            format!("zoo-bench {algo}: {about}")
        })?;
        // Plots of an earlier run into this directory would outlive the problems they show.
        let plots = out.join("plots");
        if plots.exists() {
            std::fs::remove_dir_all(&plots).with_context(|| format!("removing {}", plots.display()))?;
        }
        report::render(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zoo_core::RandomSearch;

    #[test]
    fn registered_names_resolve_and_may_not_shadow_built_ins() {
        let mut r = Registry::new();
        let space = Space::cube(3, -1.0, 1.0).unwrap();
        r.sampler("mine", |s: &Space, _| RandomSearch::new(s.clone()))
            .unwrap();
        r.problem(
            "bowl",
            space.clone(),
            |x: &[f64]| x.iter().map(|v| v * v).sum(),
            Some(0.0),
        )
        .unwrap();
        assert!(
            r.sampler("sracos", |s: &Space, _| RandomSearch::new(s.clone()))
                .is_err()
        );
        assert!(r.problem("sphere", space, |_: &[f64]| 0.0, None).is_err());
        assert_eq!(r.find_algo("mine").unwrap().name(), "mine");
        assert_eq!(r.find_algo("sracos").unwrap().name(), "sracos");
        assert_eq!(r.find_problem("bowl", 0).unwrap().dim, 3);
        assert!(r.find_problem("bowl", 4).is_err());
        let p = r.find_problem("bowl", 3).unwrap();
        let out = r
            .find_algo("mine")
            .unwrap()
            .run(
                &p,
                &Job {
                    budget: 50,
                    seed: 1,
                    threads: 1,
                },
            )
            .unwrap();
        assert_eq!(out.evaluations, 50);
        assert!(
            r.find_problem("sonar-k8", 60)
                .is_ok_and(|p| !r.find_algo("mine").unwrap().accepts(&p, 1))
        );
    }
}
