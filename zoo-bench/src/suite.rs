//! Suites: lists of problems × algorithms × seeds, run side by side with rayon.
//!
//! Algorithms a suite names but that are not registered in this build (their crate is not
//! part of the workspace yet) are left out, and so are pairs an algorithm does not accept.

use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use zoo_bbob::coco::RunLog;

use crate::record::{Curve, CurveRecord, Record, Results};
use crate::runner::{self, Job};
use crate::{coco, ecdf, problem};

/// One problem of a suite, with the algorithms to compare on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Short label (`P1`, …) for anchors; empty if none.
    pub label: &'static str,
    /// Problem name.
    pub problem: &'static str,
    /// Number of coordinates.
    pub dim: usize,
    /// Evaluations per run.
    pub budget: u64,
    /// Parallel evaluation threads per run.
    pub threads: usize,
    /// Algorithm names.
    pub algos: Vec<&'static str>,
}

/// A named benchmark suite.
#[derive(Debug, Clone, PartialEq)]
pub struct Suite {
    /// Name on the command line.
    pub name: &'static str,
    /// One line for `zoo-bench list`.
    pub about: &'static str,
    /// The problems.
    pub tasks: Vec<Task>,
    /// Seeds every task is run with.
    pub seeds: Vec<u64>,
    /// Runs one at a time when set (timings that must not share the cores).
    pub exclusive: bool,
}

/// Every continuous-space algorithm the suites compare, in display order.
const CONTINUOUS: &[&str] = &[
    "sracos",
    "sracos-rr",
    "sracos-lm",
    "racos",
    "cmaes",
    "de",
    "argmin-nm",
    "argmin-pso",
    "argmin-sa",
    "random",
];

fn task(label: &'static str, problem: &'static str, dim: usize, budget: u64, algos: &[&'static str]) -> Task {
    Task {
        label,
        problem,
        dim,
        budget,
        threads: 1,
        algos: algos.to_vec(),
    }
}

/// Names of every suite.
pub const SUITES: &[&str] = &["quick", "zoopt", "noisy", "highdim", "subset", "parallel", "bbob"];

/// The algorithms of the `bbob` suite, in display order (add new ones here).
pub const BBOB_ALGOS: &[&str] = &["sracos", "cmaes", "de", "random"];

/// The dimensions of the `bbob` suite; every run gets 200 · D evaluations.
pub const BBOB_DIMS: &[usize] = &[2, 5, 10, 20];

/// The suite called `name`.
pub fn suite(name: &str) -> Result<Suite> {
    let seeds10: Vec<u64> = (1..=10).collect();
    let s = match name {
        "quick" => Suite {
            name: "quick",
            about: "every algorithm on small instances of every problem kind (seconds in release)",
            tasks: vec![
                task("", "ackley", 50, 5_000, CONTINUOUS),
                task("", "sphere-sr", 30, 5_000, CONTINUOUS),
                task("", "rastrigin-sr", 20, 5_000, CONTINUOUS),
                task("", "griewank-sr", 20, 5_000, CONTINUOUS),
                task("", "rosenbrock-sr", 20, 5_000, CONTINUOUS),
                task(
                    "",
                    "setcover",
                    20,
                    2_000,
                    &["sracos-small", "sracos", "racos", "cmaes", "de", "random"],
                ),
                task(
                    "",
                    "mixed",
                    30,
                    3_000,
                    &["sracos", "racos", "cmaes", "de", "random"],
                ),
                task(
                    "",
                    "noisy-ackley",
                    50,
                    10_000,
                    &["resample", "ssracos", "sracos", "cmaes", "random"],
                ),
                task(
                    "",
                    "sre-sphere",
                    10_000,
                    1_000,
                    &["sre", "sracos", "de", "random"],
                ),
                task("", "sonar-k8", 60, 20_876, &["poss", "ponss", "greedy", "random"]),
            ],
            seeds: seeds10.clone(),
            exclusive: false,
        },
        "zoopt" => Suite {
            name: "zoopt",
            about: "the problems and budgets of ZOOpt's measured anchors (P1–P7), 10 seeds",
            tasks: vec![
                task("P1", "ackley", 100, 10_000, CONTINUOUS),
                task("P2", "sphere", 100, 10_000, CONTINUOUS),
                task("P3", "rastrigin", 20, 5_000, CONTINUOUS),
                task(
                    "P4",
                    "setcover",
                    20,
                    2_000,
                    &["sracos-small", "sracos", "racos", "random"],
                ),
                task(
                    "P5",
                    "noisy-ackley",
                    100,
                    20_000,
                    &["sracos", "resample", "ssracos", "random"],
                ),
                task("P6", "sre-sphere", 10_000, 2_000, &["sre", "sracos", "random"]),
                task("P7", "sonar-k8", 60, 20_876, &["poss", "ponss", "greedy"]),
            ],
            seeds: seeds10.clone(),
            exclusive: false,
        },
        "noisy" => Suite {
            name: "noisy",
            about: "noisy Ackley: noise handling against plain optimizers",
            tasks: vec![task(
                "",
                "noisy-ackley",
                100,
                20_000,
                &["resample", "ssracos", "sracos", "cmaes", "de", "random"],
            )],
            seeds: seeds10.clone(),
            exclusive: false,
        },
        "highdim" => Suite {
            name: "highdim",
            about: "10,000 coordinates of which 10 matter: embeddings against plain optimizers",
            tasks: vec![task(
                "",
                "sre-sphere",
                10_000,
                2_000,
                &["sre", "sracos", "de", "argmin-pso", "random"],
            )],
            seeds: seeds10.clone(),
            exclusive: false,
        },
        "subset" => Suite {
            name: "subset",
            about: "sparse regression on sonar, k = 8: Pareto optimization against greedy",
            tasks: vec![task(
                "",
                "sonar-k8",
                60,
                20_876,
                &["poss", "ponss", "greedy", "random"],
            )],
            seeds: seeds10.clone(),
            exclusive: false,
        },
        "parallel" => Suite {
            name: "parallel",
            about: "Ackley-10 whose calls take 2 ms: sequential against parallel evaluation",
            tasks: vec![
                task("seq", "slow-ackley", 10, 1_000, &["sracos", "random"]),
                Task {
                    threads: 2,
                    ..task("par2", "slow-ackley", 10, 1_000, &["sracos", "asracos", "random"])
                },
            ],
            seeds: (1..=3).collect(),
            exclusive: true,
        },
        "bbob" => Suite {
            name: "bbob",
            about: "COCO's 24 BBOB functions in 2, 5, 10 and 20-D, 200·D evaluations, instances 1–5 (seeds 1–5)",
            tasks: BBOB_DIMS
                .iter()
                .flat_map(|&d| {
                    problem::bbob::PROBLEMS
                        .iter()
                        .map(move |p| task("", p.name, d, 200 * d as u64, BBOB_ALGOS))
                })
                .collect(),
            seeds: (1..=5).collect(),
            exclusive: false,
        },
        other => bail!("unknown suite `{other}`; known suites: {}", SUITES.join(", ")),
    };
    Ok(s)
}

/// Changes a suite for a quick look: budgets scaled by `scale` (at least 1 evaluation)
/// and only the first `seeds` seeds.
pub fn shrink(mut suite: Suite, scale: f64, seeds: Option<usize>) -> Suite {
    for t in &mut suite.tasks {
        t.budget = ((t.budget as f64 * scale).round() as u64).max(1);
    }
    if let Some(n) = seeds {
        suite.seeds.truncate(n.max(1));
    }
    suite
}

/// One run to do.
#[derive(Debug, Clone)]
struct Planned {
    task: usize,
    algo: &'static str,
    seed: u64,
}

/// The runs of a suite that this build can do: registered algorithms on problems they
/// accept, and known problems.
pub fn plan(suite: &Suite) -> Vec<(usize, &'static str)> {
    let mut pairs = Vec::new();
    for (i, t) in suite.tasks.iter().enumerate() {
        let Ok(problem) = problem::build(t.problem, Some(t.dim)) else {
            continue;
        };
        for &name in &t.algos {
            if let Ok(algo) = runner::find(name)
                && algo.accepts(&problem)
                && (t.threads == 1 || algo.parallel)
            {
                pairs.push((i, algo.name));
            }
        }
    }
    pairs
}

/// Runs every planned run of `suite`, `jobs` at a time, with a progress bar on stderr.
pub fn run(suite: &Suite, jobs: usize, progress: bool) -> Result<Results> {
    run_logged(suite, jobs, progress).map(|(results, _)| results)
}

/// [`run`], plus the COCO log of every successful run on a BBOB problem (algorithm name
/// and log, in the order of the records), for [`crate::coco::write`].
pub fn run_logged(suite: &Suite, jobs: usize, progress: bool) -> Result<(Results, Vec<(String, RunLog)>)> {
    let problems = suite
        .tasks
        .iter()
        .map(|t| problem::build(t.problem, Some(t.dim)).ok())
        .collect::<Vec<_>>();
    let runs: Vec<Planned> = plan(suite)
        .into_iter()
        .flat_map(|(task, algo)| suite.seeds.iter().map(move |&seed| Planned { task, algo, seed }))
        .collect();
    if runs.is_empty() {
        bail!("suite `{}` has no runnable algorithm in this build", suite.name);
    }
    let bar = if progress {
        ProgressBar::with_draw_target(Some(runs.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{bar:40}] {pos}/{len} runs, {elapsed_precise} (eta {eta}) {msg}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_prefix(suite.name);
    let jobs = if suite.exclusive { 1 } else { jobs.max(1) };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    type Done = (Record, CurveRecord, Option<RunLog>);
    let done: Vec<Done> = pool.install(|| {
        runs.par_iter()
            .map(|r| {
                let t = &suite.tasks[r.task];
                let job = Job {
                    budget: t.budget,
                    seed: r.seed,
                    threads: t.threads,
                };
                let problem = problems[r.task].as_ref().expect("planned problems build");
                let algo = runner::find(r.algo).expect("planned algorithms exist");
                bar.set_message(format!("{} {}", t.problem, r.algo));
                let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| algo.run(problem, &job)))
                    .unwrap_or_else(|p| {
                        Err(anyhow::anyhow!(
                            "panicked: {}",
                            zoo_core::panic_message(p.as_ref())
                        ))
                    });
                let mut hits = None;
                let mut log = None;
                let pair = match out {
                    Ok(out) => {
                        hits = problem.optimum().map(|opt| ecdf::first_hits(&out.values, opt));
                        log = coco::run_log(problem, r.seed, &out.values).ok().flatten();
                        (
                            Record::new(t.label, problem, algo, &job, &out),
                            Curve::from_values(&out.values, job.budget),
                        )
                    }
                    Err(e) => {
                        bar.suspend(|| {
                            eprintln!("warning: {} on {} seed {}: {e:#}", r.algo, t.problem, r.seed)
                        });
                        (
                            Record::failed(t.label, t.problem, t.dim, r.algo, &job, format!("{e:#}")),
                            Curve::default(),
                        )
                    }
                };
                bar.inc(1);
                let (record, curve) = pair;
                let curve = CurveRecord {
                    task: record.task.clone(),
                    problem: record.problem.clone(),
                    dim: record.dim,
                    algo: record.algo.clone(),
                    seed: record.seed,
                    curve,
                    hits,
                };
                (record, curve, log)
            })
            .collect()
    });
    bar.finish_and_clear();
    let mut records = Vec::with_capacity(done.len());
    let mut curves = Vec::with_capacity(done.len());
    let mut logs = Vec::new();
    for (record, curve, log) in done {
        if let Some(log) = log {
            logs.push((record.algo.clone(), log));
        }
        records.push(record);
        curves.push(curve);
    }
    let results = Results {
        suite: suite.name.to_owned(),
        records,
        curves,
    };
    Ok((results, logs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_suite_builds_and_names_known_problems() {
        for name in SUITES {
            let s = suite(name).unwrap();
            assert!(!s.tasks.is_empty());
            for t in &s.tasks {
                if t.problem != "sonar-k8" {
                    problem::build(t.problem, Some(t.dim)).unwrap();
                }
            }
        }
        assert!(suite("nope").is_err());
    }

    #[test]
    fn quick_suite_covers_every_family() {
        let s = suite("quick").unwrap();
        let planned: Vec<&str> = plan(&s).into_iter().map(|(_, a)| a).collect();
        for family in [runner::Family::Zoo, runner::Family::Argmin, runner::Family::Basin] {
            assert!(
                runner::ALGOS
                    .iter()
                    .any(|a| a.family == family && planned.contains(&a.name)),
                "{family:?}"
            );
        }
        // Every registered algorithm appears in the quick suite, but the asynchronous
        // parallel mode, which has its own suite.
        for a in runner::ALGOS.iter().filter(|a| a.name != "asracos") {
            assert!(planned.contains(&a.name), "{} missing from quick", a.name);
        }
        let parallel = plan(&suite("parallel").unwrap());
        assert!(parallel.iter().any(|(_, a)| *a == "asracos"));
    }
}
