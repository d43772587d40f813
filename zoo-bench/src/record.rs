//! Run records and the files a suite writes: `results.csv` (one row per run),
//! `curves.json` (every run's best-so-far curve) and `env.json` (versions, CPU, commit).
//!
//! Only the `wall_s` and `overhead_us` columns of `results.csv` and the whole of
//! `env.json` depend on timing or the machine: the same seeds give byte-identical
//! `curves.json` and identical `results.csv` apart from those two columns.

use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::problem::Problem;
use crate::runner::{Job, RunOutput};

/// The one-line JSON answer of `zoo-bench solve` (the CLI contract; field order fixed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolveLine {
    /// Problem name.
    pub problem: String,
    /// Number of coordinates.
    pub dim: usize,
    /// Algorithm name.
    pub algo: String,
    /// Seed of the run.
    pub seed: u64,
    /// Evaluations allowed.
    pub budget: u64,
    /// Evaluations made.
    pub evaluations: u64,
    /// Value of the returned solution as the algorithm saw it.
    #[serde(with = "zoo_core::float_serde")]
    pub best: f64,
    /// Noise-free value of the returned solution (equal to `best` on noise-free problems).
    #[serde(with = "zoo_core::float_serde")]
    pub true_best: f64,
    /// Wall-clock seconds of the run.
    pub wall_s: f64,
}

/// Best-so-far values at a fixed grid of evaluation counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    /// Evaluation counts (ascending, from 1 to the budget).
    pub evals: Vec<u64>,
    /// Best value observed within the first `evals[i]` evaluations (noisy values on noisy
    /// problems).
    #[serde(with = "zoo_core::float_serde::vec")]
    pub best: Vec<f64>,
}

/// The evaluation counts at which curves are sampled for a budget: about 60
/// logarithmically and 60 linearly spaced counts, always including 1 and the budget.
pub fn curve_grid(budget: u64) -> Vec<u64> {
    let budget = budget.max(1);
    let mut grid: Vec<u64> = Vec::new();
    let steps = 60u32;
    for i in 0..=steps {
        let t = f64::from(i) / f64::from(steps);
        grid.push((budget as f64).powf(t).round() as u64);
        grid.push(((budget as f64) * t).round() as u64);
    }
    grid.retain(|&e| e >= 1 && e <= budget);
    grid.sort_unstable();
    grid.dedup();
    grid
}

impl Curve {
    /// The curve of a run's values (NaN ranked as +∞); counts beyond the run's
    /// evaluations repeat its final best.
    pub fn from_values(values: &[f64], budget: u64) -> Curve {
        let mut running = Vec::with_capacity(values.len());
        let mut best = f64::INFINITY;
        for &v in values {
            best = best.min(zoo_core::ranked(v));
            running.push(best);
        }
        let evals = curve_grid(budget);
        let best = evals
            .iter()
            .map(|&e| match running.len() {
                0 => f64::INFINITY,
                n => running[(e as usize).min(n) - 1],
            })
            .collect();
        Curve { evals, best }
    }
}

/// One run of a suite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Label of the suite task (`P1`, …), empty if none.
    pub task: String,
    /// Problem name.
    pub problem: String,
    /// Number of coordinates.
    pub dim: usize,
    /// Algorithm name.
    pub algo: String,
    /// Seed.
    pub seed: u64,
    /// Evaluations allowed.
    pub budget: u64,
    /// Parallel evaluation threads.
    pub threads: usize,
    /// Evaluations made.
    pub evaluations: u64,
    /// Value of the returned solution as the algorithm saw it.
    #[serde(with = "zoo_core::float_serde")]
    pub best: f64,
    /// Noise-free value of the returned solution.
    #[serde(with = "zoo_core::float_serde")]
    pub true_best: f64,
    /// Wall-clock seconds (timing: not reproducible).
    #[serde(with = "zoo_core::float_serde")]
    pub wall_s: f64,
    /// Wall time outside the objective per evaluation, in µs (timing: not reproducible;
    /// NaN for parallel runs, whose objective time overlaps the optimizer's).
    #[serde(with = "zoo_core::float_serde")]
    pub overhead_us: f64,
    /// Why the run failed, empty when it did not.
    pub error: String,
}

impl Record {
    /// The record of a finished run.
    pub fn new(task: &str, problem: &Problem, algo: &str, job: &Job, out: &RunOutput) -> Record {
        let true_best = if problem.is_noisy() {
            problem.true_value(&out.x)
        } else {
            out.best
        };
        let outside = out.wall.saturating_sub(out.in_objective).as_secs_f64();
        Record {
            task: task.to_owned(),
            problem: problem.name.to_owned(),
            dim: problem.dim,
            algo: algo.to_owned(),
            seed: job.seed,
            budget: job.budget,
            threads: job.threads,
            evaluations: out.evaluations,
            best: out.best,
            true_best,
            wall_s: out.wall.as_secs_f64(),
            // With several threads the objective's time overlaps the optimizer's: no
            // meaningful split, so none is reported.
            overhead_us: if job.threads > 1 {
                f64::NAN
            } else {
                1e6 * outside / out.evaluations.max(1) as f64
            },
            error: String::new(),
        }
    }

    /// The record of a run that failed.
    pub fn failed(task: &str, problem: &str, dim: usize, algo: &str, job: &Job, error: String) -> Record {
        Record {
            task: task.to_owned(),
            problem: problem.to_owned(),
            dim,
            algo: algo.to_owned(),
            seed: job.seed,
            budget: job.budget,
            threads: job.threads,
            evaluations: 0,
            best: f64::NAN,
            true_best: f64::NAN,
            wall_s: 0.0,
            overhead_us: 0.0,
            error,
        }
    }

    /// The `solve` line of this run.
    pub fn solve_line(&self) -> SolveLine {
        SolveLine {
            problem: self.problem.clone(),
            dim: self.dim,
            algo: self.algo.clone(),
            seed: self.seed,
            budget: self.budget,
            evaluations: self.evaluations,
            best: self.best,
            true_best: self.true_best,
            wall_s: self.wall_s,
        }
    }
}

/// One run's curve, keyed like its record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurveRecord {
    /// Task label.
    pub task: String,
    /// Problem name.
    pub problem: String,
    /// Number of coordinates.
    pub dim: usize,
    /// Algorithm name.
    pub algo: String,
    /// Seed.
    pub seed: u64,
    /// The curve.
    pub curve: Curve,
    /// On problems with a known optimal value: the evaluation at which each of COCO's 51
    /// ECDF targets was first reached (`null` if never), see [`crate::ecdf`]. Absent
    /// otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hits: Option<Vec<Option<u64>>>,
}

/// Everything a suite run saved; what `report` re-reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// Suite name.
    pub suite: String,
    /// One record per run, in the suite's order.
    pub records: Vec<Record>,
    /// One curve per run, same order.
    pub curves: Vec<CurveRecord>,
}

#[derive(Serialize, Deserialize)]
struct CurvesFile {
    suite: String,
    runs: Vec<CurveRecord>,
}

/// Writes `results.csv` and `curves.json` into `dir`.
pub fn save(dir: &Path, results: &Results) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join("results.csv");
    let mut w = csv::Writer::from_path(&path).with_context(|| format!("writing {}", path.display()))?;
    for r in &results.records {
        w.serialize(CsvRow::from(r))?;
    }
    w.flush()?;
    let curves = CurvesFile {
        suite: results.suite.clone(),
        runs: results.curves.clone(),
    };
    let path = dir.join("curves.json");
    std::fs::write(&path, serde_json::to_string(&curves)? + "\n")
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Reads what [`save`] wrote. Without `curves.json` (curves are large; a results
/// directory may be kept without them) the runs load with no curves, and the suite's name
/// comes from `env.json`.
pub fn load(dir: &Path) -> Result<Results> {
    let path = dir.join("results.csv");
    let mut r = csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
    let records = r
        .deserialize::<CsvRow>()
        .map(|row| row.map(Record::from))
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("parsing {}", path.display()))?;
    let path = dir.join("curves.json");
    let curves = match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => CurvesFile {
            suite: Environment::load(dir).map(|e| e.suite).unwrap_or_default(),
            runs: Vec::new(),
        },
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    Ok(Results {
        suite: curves.suite,
        records,
        curves: curves.runs,
    })
}

/// The CSV form of a record: floats written with Rust's shortest round-trip formatting
/// (`inf`, `NaN` for non-finite values), so equal runs give equal bytes.
#[derive(Serialize, Deserialize)]
struct CsvRow {
    task: String,
    problem: String,
    dim: usize,
    algo: String,
    seed: u64,
    budget: u64,
    threads: usize,
    evaluations: u64,
    best: f64,
    true_best: f64,
    wall_s: f64,
    overhead_us: f64,
    error: String,
}

impl From<&Record> for CsvRow {
    fn from(r: &Record) -> Self {
        CsvRow {
            task: r.task.clone(),
            problem: r.problem.clone(),
            dim: r.dim,
            algo: r.algo.clone(),
            seed: r.seed,
            budget: r.budget,
            threads: r.threads,
            evaluations: r.evaluations,
            best: r.best,
            true_best: r.true_best,
            wall_s: r.wall_s,
            overhead_us: r.overhead_us,
            error: r.error.clone(),
        }
    }
}

impl From<CsvRow> for Record {
    fn from(r: CsvRow) -> Self {
        Record {
            task: r.task,
            problem: r.problem,
            dim: r.dim,
            algo: r.algo,
            seed: r.seed,
            budget: r.budget,
            threads: r.threads,
            evaluations: r.evaluations,
            best: r.best,
            true_best: r.true_best,
            wall_s: r.wall_s,
            overhead_us: r.overhead_us,
            error: r.error,
        }
    }
}

/// Where and with what a suite ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// Suite name.
    pub suite: String,
    /// Version of zoo-bench (= the workspace version).
    pub zoo_version: String,
    /// Versions of the external optimizers and the plotting library, as built.
    pub dependencies: Vec<(String, String)>,
    /// `rustc --version` at run time, if a compiler is on the path.
    pub rustc: String,
    /// Build profile (`release` or `debug`).
    pub profile: String,
    /// CPU model from `/proc/cpuinfo`.
    pub cpu: String,
    /// Logical cores available.
    pub cores: usize,
    /// Worker threads running runs side by side.
    pub jobs: usize,
    /// Operating system and architecture.
    pub os: String,
    /// `git rev-parse HEAD` of the working directory, with `-dirty` if it has changes.
    pub commit: String,
    /// Start time, seconds since the Unix epoch.
    pub started_unix: u64,
    /// Wall-clock seconds of the whole suite.
    pub wall_s: f64,
}

/// Versions of the external libraries, pinned by the workspace manifest (checked against
/// `Cargo.lock` by a test).
pub const DEPENDENCIES: &[(&str, &str)] = &[("argmin", "0.11.0"), ("basin", "3.2.0"), ("plotters", "0.3.7")];

impl Environment {
    /// The environment of this process.
    pub fn detect(suite: &str, jobs: usize) -> Environment {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split(':').nth(1))
                    .map(|m| m.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".to_owned());
        let command = |program: &str, args: &[&str]| {
            std::process::Command::new(program)
                .args(args)
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        };
        // The source tree this binary was built from, wherever it runs.
        let source = env!("CARGO_MANIFEST_DIR");
        let commit = match command("git", &["-C", source, "rev-parse", "HEAD"]) {
            Some(head) => {
                let dirty = command(
                    "git",
                    &["-C", source, "status", "--porcelain", "--untracked-files=no"],
                )
                .is_some_and(|s| !s.is_empty());
                if dirty { format!("{head}-dirty") } else { head }
            }
            None => "unknown".to_owned(),
        };
        Environment {
            suite: suite.to_owned(),
            zoo_version: env!("CARGO_PKG_VERSION").to_owned(),
            dependencies: DEPENDENCIES
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            rustc: command("rustc", &["--version"]).unwrap_or_else(|| "unknown".to_owned()),
            profile: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            }
            .to_owned(),
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            jobs,
            os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            commit,
            started_unix: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            wall_s: 0.0,
        }
    }

    /// Writes `env.json` into `dir`.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join("env.json");
        std::fs::write(&path, serde_json::to_string_pretty(self)? + "\n")
            .with_context(|| format!("writing {}", path.display()))
    }

    /// Reads `env.json` from `dir`, if there is one.
    pub fn load(dir: &Path) -> Option<Environment> {
        serde_json::from_str(&std::fs::read_to_string(dir.join("env.json")).ok()?).ok()
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn grid_spans_the_budget() {
        for budget in [1, 2, 7, 100, 10_000, 20_876] {
            let g = curve_grid(budget);
            assert_eq!(g[0], 1);
            assert_eq!(*g.last().unwrap(), budget);
            assert!(g.windows(2).all(|w| w[0] < w[1]));
            assert!(g.len() <= 122);
        }
    }

    #[test]
    fn curve_is_running_minimum_with_nan_as_infinity() {
        let c = Curve::from_values(&[3.0, f64::NAN, 1.0, 2.0], 6);
        assert_eq!(c.evals, vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(c.best, vec![3.0, 3.0, 1.0, 1.0, 1.0, 1.0]);
    }

    #[test]
    fn pinned_versions_match_the_lock_file() {
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock")).unwrap();
        for (name, version) in DEPENDENCIES {
            let entry = format!("name = \"{name}\"\nversion = \"{version}\"");
            assert!(lock.contains(&entry), "{name} {version} not in Cargo.lock");
        }
    }
}
