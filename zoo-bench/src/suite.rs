//! Suites: lists of problems × algorithms × seeds, run side by side with rayon.
//!
//! Algorithms a suite names but that are not registered in this build (their crate is not
//! part of the workspace yet) are left out, and so are pairs an algorithm does not accept.

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use zoo_bbob::coco::RunLog;

use crate::record::{Curve, CurveRecord, Record, Results};
use crate::registry::Registry;
use crate::runner::Job;
use crate::{coco, ecdf, suite_file};

/// One problem of a suite, with the algorithms to compare on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Short label (`P1`, …) for anchors; empty if none.
    pub label: String,
    /// Problem name.
    pub problem: String,
    /// Number of coordinates.
    pub dim: usize,
    /// Evaluations per run.
    pub budget: u64,
    /// Parallel evaluation threads per run.
    pub threads: usize,
    /// Algorithm names.
    pub algos: Vec<String>,
}

impl Task {
    /// A task without label, one thread per run.
    pub fn new(problem: &str, dim: usize, budget: u64, algos: &[&str]) -> Task {
        Task {
            label: String::new(),
            problem: problem.to_owned(),
            dim,
            budget,
            threads: 1,
            algos: algos.iter().map(|a| (*a).to_owned()).collect(),
        }
    }
}

/// A named benchmark suite.
#[derive(Debug, Clone, PartialEq)]
pub struct Suite {
    /// Name on the command line.
    pub name: String,
    /// One line for `zoo-bench list`.
    pub about: String,
    /// The problems.
    pub tasks: Vec<Task>,
    /// Seeds every task is run with.
    pub seeds: Vec<u64>,
    /// Runs one at a time when set (timings that must not share the cores).
    pub exclusive: bool,
}

impl Suite {
    /// A suite of `tasks`, each run with every seed of `seeds`, runs side by side.
    pub fn new(name: &str, tasks: Vec<Task>, seeds: impl IntoIterator<Item = u64>) -> Suite {
        Suite {
            name: name.to_owned(),
            about: String::new(),
            tasks,
            seeds: seeds.into_iter().collect(),
            exclusive: false,
        }
    }
}

/// The built-in suites: the files `zoo-bench/suites/NAME.toml`, compiled in (the one
/// source of the suites; the format is described in [`crate::suite_file`]).
pub const BUILT_IN: &[(&str, &str)] = &[
    ("quick", include_str!("../suites/quick.toml")),
    ("zoopt", include_str!("../suites/zoopt.toml")),
    ("noisy", include_str!("../suites/noisy.toml")),
    ("noisy-holdout", include_str!("../suites/noisy-holdout.toml")),
    ("highdim", include_str!("../suites/highdim.toml")),
    ("subset", include_str!("../suites/subset.toml")),
    ("parallel", include_str!("../suites/parallel.toml")),
    ("bbob", include_str!("../suites/bbob.toml")),
    ("bbob-long", include_str!("../suites/bbob-long.toml")),
    ("bbob-finish", include_str!("../suites/bbob-finish.toml")),
    ("bbob-low", include_str!("../suites/bbob-low.toml")),
    ("classic", include_str!("../suites/classic.toml")),
    ("wrapped", include_str!("../suites/wrapped.toml")),
    ("peers", include_str!("../suites/peers.toml")),
    ("peers-noisy", include_str!("../suites/peers-noisy.toml")),
    ("peers-highdim", include_str!("../suites/peers-highdim.toml")),
    ("peers-subset", include_str!("../suites/peers-subset.toml")),
    ("peers-tuning", include_str!("../suites/peers-tuning.toml")),
    ("peers-classic", include_str!("../suites/peers-classic.toml")),
];

/// Names of every built-in suite.
pub const SUITES: &[&str] = &[
    "quick",
    "zoopt",
    "noisy",
    "noisy-holdout",
    "highdim",
    "subset",
    "parallel",
    "bbob",
    "bbob-long",
    "bbob-finish",
    "bbob-low",
    "classic",
    "wrapped",
    "peers",
    "peers-noisy",
    "peers-highdim",
    "peers-subset",
    "peers-tuning",
    "peers-classic",
];

/// The text of the built-in suite file called `name`.
pub fn suite_text(name: &str) -> Result<&'static str> {
    match BUILT_IN.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => Ok(text),
        None => bail!("unknown suite `{name}`; known suites: {}", SUITES.join(", ")),
    }
}

/// The built-in suite called `name`.
pub fn suite(name: &str) -> Result<Suite> {
    let s = suite_file::parse(suite_text(name)?).with_context(|| format!("built-in suite `{name}`"))?;
    if s.name != name {
        bail!("built-in suite file `{name}` names itself `{}`", s.name);
    }
    Ok(s)
}

/// Checks that every problem and algorithm a suite names is registered and that each
/// problem takes its dimension (for suite files; the built-in suites may name algorithms
/// of crates not in this build).
pub fn check(suite: &Suite) -> Result<()> {
    check_in(&Registry::new(), suite)
}

/// [`check`] against a registry with samplers and problems of one's own.
pub fn check_in(registry: &Registry, suite: &Suite) -> Result<()> {
    for t in &suite.tasks {
        registry
            .find_problem(&t.problem, t.dim)
            .with_context(|| format!("suite `{}`", suite.name))?;
        for a in &t.algos {
            registry
                .find_algo(a)
                .with_context(|| format!("suite `{}`", suite.name))?;
        }
    }
    Ok(())
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
    algo: String,
    seed: u64,
}

/// The runs of a suite that this build can do: registered algorithms on problems they
/// accept, and known problems.
pub fn plan(suite: &Suite) -> Vec<(usize, String)> {
    plan_in(&Registry::new(), suite)
}

/// [`plan`] against a registry with samplers and problems of one's own.
pub fn plan_in(registry: &Registry, suite: &Suite) -> Vec<(usize, String)> {
    let mut pairs = Vec::new();
    for (i, t) in suite.tasks.iter().enumerate() {
        let Ok(problem) = registry.find_problem(&t.problem, t.dim) else {
            continue;
        };
        for name in &t.algos {
            if let Ok(algo) = registry.find_algo(name)
                && algo.accepts(&problem, t.threads)
            {
                pairs.push((i, algo.name().to_owned()));
            }
        }
    }
    pairs
}

/// Runs every planned run of `suite`, `jobs` at a time, with a progress bar on stderr.
pub fn run(suite: &Suite, jobs: usize, progress: bool) -> Result<Results> {
    run_in(&Registry::new(), suite, jobs, progress).map(|(results, _)| results)
}

/// Runs every planned run of `suite` with the samplers and problems of `registry`, and
/// returns the results and the COCO log of every successful run on a BBOB problem
/// (algorithm name and log, in the order of the records), for [`crate::coco::write`].
pub fn run_in(
    registry: &Registry,
    suite: &Suite,
    jobs: usize,
    progress: bool,
) -> Result<(Results, Vec<(String, RunLog)>)> {
    let problems = suite
        .tasks
        .iter()
        .map(|t| registry.find_problem(&t.problem, t.dim).ok())
        .collect::<Vec<_>>();
    let runs: Vec<Planned> = plan_in(registry, suite)
        .into_iter()
        .flat_map(|(task, algo)| {
            suite.seeds.iter().map(move |&seed| Planned {
                task,
                algo: algo.clone(),
                seed,
            })
        })
        .collect();
    if runs.is_empty() {
        bail!(
            "suite `{}` has no run this build can do: no algorithm listed takes its problems' spaces and thread counts",
            suite.name
        );
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
    bar.set_prefix(suite.name.clone());
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
                let algo = registry.find_algo(&r.algo).expect("planned algorithms exist");
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
                            Record::new(&t.label, problem, algo.name(), &job, &out),
                            Curve::from_values(&out.values, job.budget),
                        )
                    }
                    Err(e) => {
                        bar.suspend(|| {
                            eprintln!("warning: {} on {} seed {}: {e:#}", r.algo, t.problem, r.seed)
                        });
                        (
                            Record::failed(&t.label, &t.problem, t.dim, &r.algo, &job, format!("{e:#}")),
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
        suite: suite.name.clone(),
        records,
        curves,
    };
    Ok((results, logs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{problem, runner};

    #[test]
    fn every_suite_builds_and_names_known_problems() {
        for name in SUITES {
            let s = suite(name).unwrap();
            assert!(!s.tasks.is_empty());
            for t in &s.tasks {
                if t.problem != "sonar-k8" {
                    problem::build(&t.problem, Some(t.dim)).unwrap();
                }
            }
        }
        assert!(suite("nope").is_err());
    }

    #[test]
    fn every_suite_file_is_a_built_in_suite_of_its_own_name() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/suites");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .map(|p| p.file_stem().unwrap().to_str().unwrap().to_owned())
            .collect();
        files.sort();
        let mut names: Vec<String> = SUITES.iter().map(|s| (*s).to_owned()).collect();
        names.sort();
        assert_eq!(files, names);
        for name in SUITES {
            let text = std::fs::read_to_string(format!("{dir}/{name}.toml")).unwrap();
            assert_eq!(text, suite_text(name).unwrap());
            let s = suite(name).unwrap();
            assert_eq!(s.name, *name);
            check(&s).unwrap();
        }
        // A few facts the published figures rest on.
        let zoopt = suite("zoopt").unwrap();
        let labels: Vec<&str> = zoopt.tasks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]);
        assert_eq!(suite("quick").unwrap().tasks.len(), 11);
        let bbob = suite("bbob").unwrap();
        assert_eq!(bbob.tasks.len(), 96);
        assert!(bbob.tasks.iter().all(|t| t.budget == 200 * t.dim as u64));
        assert_eq!(bbob.seeds, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn quick_suite_covers_every_family() {
        let s = suite("quick").unwrap();
        let planned: Vec<String> = plan(&s).into_iter().map(|(_, a)| a).collect();
        let planned: Vec<&str> = planned.iter().map(String::as_str).collect();
        for family in [runner::Family::Zoo, runner::Family::Argmin, runner::Family::Basin] {
            assert!(
                runner::ALGOS
                    .iter()
                    .any(|a| a.family == family && planned.contains(&a.name)),
                "{family:?}"
            );
        }
        // Every registered algorithm appears in the quick suite, but the asynchronous
        // parallel mode, CMA-ES with its elitist finish (for 50 and more coordinates), TPE
        // (for small budgets: its asks cost more as the points told grow) and differential
        // evolution (for low dimensions and large budgets), which have their own suites.
        let own_suite = [
            ("asracos", "parallel"),
            ("zoo-cmaes-finish", "bbob-finish"),
            ("tpe", "peers-tuning"),
            ("zoo-de", "bbob-low"),
            ("zoo-de-rand", "bbob-low"),
            ("zoo-de-best", "bbob-low"),
        ];
        for a in runner::ALGOS
            .iter()
            .filter(|a| own_suite.iter().all(|(name, _)| *name != a.name))
        {
            assert!(planned.contains(&a.name), "{} missing from quick", a.name);
        }
        for (name, suite_name) in own_suite {
            let planned = plan(&suite(suite_name).unwrap());
            assert!(
                planned.iter().any(|(_, a)| a == name),
                "{name} missing from {suite_name}"
            );
        }
    }
}
