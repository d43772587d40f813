//! A problem served to an optimizer in another process (`zoo-bench serve`), so that
//! optimizers zoo-bench cannot link — pycma, nevergrad, optuna, ZOOpt, driven from Python —
//! evaluate exactly zoo-bench's function, under zoo-bench's evaluation counter, and leave
//! the same record and curve as a built-in run (`zoo-bench import` adds them to a
//! results directory).
//!
//! The protocol is line-based text on standard input and output:
//!
//! 1. zoo-bench writes one JSON line describing the problem ([`Header`]). A subset
//!    problem is served as 0/1 coordinates (1: the item is chosen) with `max_size` `k`:
//!    a point of more than `k` items is answered with its value, as zoo's own samplers
//!    see it, and recorded as +∞ (infeasible), as in a built-in run.
//! 2. The client sends `eval x₁ … xₙ`; zoo-bench answers with the value (`inf`, `NaN`
//!    possible), or with `error: …` — the point is not counted — when the budget is spent,
//!    the point has the wrong length, is not numeric or lies outside the space.
//! 3. The client ends with `done WALL_S OBJECTIVE_S x₁ … xₙ`: the run's wall time, the part
//!    of it the client spent waiting for values, and its recommendation. zoo-bench answers
//!    with one JSON line `{"record": …, "curve": …}` ([`Served`]) and exits.

use std::collections::HashSet;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::ecdf;
use crate::problem::{Problem, Shape};
use crate::record::{self, Curve, CurveRecord, Record};
use crate::runner::{Job, RunOutput};
use crate::tracker::Tracker;
use zoo_core::Kind;

/// What a client learns of the problem before its first point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Problem name.
    pub problem: String,
    /// Number of coordinates.
    pub dim: usize,
    /// Seed of the run (the problem's instance and noise stream).
    pub seed: u64,
    /// Evaluations allowed.
    pub budget: u64,
    /// Lower bound of every coordinate.
    pub lower: Vec<f64>,
    /// Upper bound of every coordinate.
    pub upper: Vec<f64>,
    /// Whether each coordinate takes only integer values (labels are integer indices).
    pub integer: Vec<bool>,
    /// The number of values of each label coordinate of three values or more: its values
    /// are the integers from `lower` to `upper`, in no meaningful order, so a client may
    /// search them as categories. `None` on other coordinates (on two values an order
    /// misleads no one).
    #[serde(default)]
    pub labels: Vec<Option<usize>>,
    /// Whether the values are noisy (the record then scores the noise-free value of the
    /// recommendation).
    pub noisy: bool,
    /// The optimal value, when known.
    pub optimum: Option<f64>,
    /// On subset problems, the most items a feasible point may choose (coordinates are
    /// then 0/1); absent otherwise.
    #[serde(default)]
    pub max_size: Option<usize>,
}

/// The outcome of a served run, as `import` reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Served {
    /// The run's record.
    pub record: Record,
    /// Its curve (and ECDF first hits on problems with a known optimum).
    pub curve: CurveRecord,
}

/// The description of `problem` for a run with `job`.
pub fn header(problem: &Problem, job: &Job) -> Header {
    let (lower, upper) = problem.bounds();
    Header {
        problem: problem.name.to_owned(),
        dim: problem.dim,
        seed: job.seed,
        budget: job.budget,
        lower,
        upper,
        integer: problem.space.dims().iter().map(|d| !d.is_continuous()).collect(),
        labels: problem
            .space
            .dims()
            .iter()
            .map(|d| match d.kind() {
                Kind::Categorical { values } => Some(values.len()),
                Kind::Integer { ordered: false, .. } => d.cardinality().map(|n| n as usize),
                _ => None,
            })
            .map(|n| n.filter(|&n| n >= 3))
            .collect(),
        noisy: problem.is_noisy(),
        optimum: problem.optimum(),
        max_size: max_size(problem),
    }
}

fn max_size(problem: &Problem) -> Option<usize> {
    match problem.shape {
        Shape::Subset { k } => Some(k),
        _ => None,
    }
}

/// Serves `problem` for one run named `algo`: the header, then values for points until
/// the client's `done`. Errors in a request are answered, not fatal; a closed input
/// before `done` is an error.
pub fn serve(
    problem: &Problem,
    task: &str,
    algo: &str,
    job: &Job,
    input: impl BufRead,
    mut output: impl Write,
) -> Result<Served> {
    writeln!(output, "{}", serde_json::to_string(&header(problem, job))?)?;
    output.flush()?;
    let instance = problem.instance(job.seed);
    // The same counter and size rule as a built-in run's.
    let mut tracker = Tracker::new(&instance, &problem.space, job.budget);
    if let Some(k) = max_size(problem) {
        tracker = tracker.with_size_limit(k);
    }
    for line in input.lines() {
        let line = line.context("reading a request")?;
        let mut words = line.split_ascii_whitespace();
        match words.next() {
            Some("eval") => {
                let answer = match point(problem, words) {
                    Err(e) => format!("error: {e}"),
                    Ok(x) => match tracker.evaluate(&x) {
                        Some(value) => format!("{value:?}"),
                        None => format!("error: the budget of {} evaluations is spent", job.budget),
                    },
                };
                writeln!(output, "{answer}")?;
                output.flush()?;
            }
            Some("done") => {
                let mut seconds = || -> Result<f64> {
                    let word = words.next().context("done: expected WALL_S OBJECTIVE_S x…")?;
                    let s: f64 = word.parse().with_context(|| format!("done: bad time {word:?}"))?;
                    if !(s.is_finite() && s >= 0.0) {
                        bail!("done: a time must be finite and non-negative, got {s}");
                    }
                    Ok(s)
                };
                let (wall, waiting) = (seconds()?, seconds()?);
                let x = point(problem, words).map_err(|e| anyhow::anyhow!("done: {e}"))?;
                let values = tracker.finish().values;
                let served = finish(problem, &instance, task, algo, job, values, x, wall, waiting);
                writeln!(output, "{}", serde_json::to_string(&served)?)?;
                output.flush()?;
                return Ok(served);
            }
            _ => {
                writeln!(
                    output,
                    "error: expected `eval x…` or `done WALL_S OBJECTIVE_S x…`"
                )?;
                output.flush()?;
            }
        }
    }
    bail!("the client closed the connection before `done`")
}

/// Adds the served runs in `files` (JSON lines of [`Served`]) to the results saved in
/// `dir`; fails, changing nothing, on a malformed line or on a run `dir` already holds (same
/// task, problem, dimension, budget, algorithm and seed). Returns the number of runs added.
pub fn import(dir: &Path, files: &[PathBuf]) -> Result<usize> {
    let mut results = record::load(dir)?;
    // A suite may run one problem at several budgets: the budget tells those runs apart.
    let key = |r: &Record| {
        (
            r.task.clone(),
            r.problem.clone(),
            r.dim,
            r.budget,
            r.algo.clone(),
            r.seed,
        )
    };
    let mut held: HashSet<_> = results.records.iter().map(key).collect();
    let mut added = 0;
    for file in files {
        let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let served: Served = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not a served run", file.display(), i + 1))?;
            if !held.insert(key(&served.record)) {
                bail!(
                    "{}:{}: {} on {}-{} at {} evaluations, seed {}, is already in {}",
                    file.display(),
                    i + 1,
                    served.record.algo,
                    served.record.problem,
                    served.record.dim,
                    served.record.budget,
                    served.record.seed,
                    dir.display()
                );
            }
            results.records.push(served.record);
            results.curves.push(served.curve);
            added += 1;
        }
    }
    record::save(dir, &results)?;
    Ok(added)
}

/// A point of the problem's space from the words of a request.
fn point<'a>(problem: &Problem, words: impl Iterator<Item = &'a str>) -> Result<Vec<f64>, String> {
    let x = words
        .map(|w| w.parse::<f64>().map_err(|_| format!("{w:?} is not a number")))
        .collect::<Result<Vec<f64>, String>>()?;
    if x.len() != problem.dim {
        return Err(format!("expected {} coordinates, got {}", problem.dim, x.len()));
    }
    if !problem.space.contains(&x) {
        return Err("the point lies outside the space".into());
    }
    Ok(x)
}

#[allow(clippy::too_many_arguments)]
fn finish(
    problem: &Problem,
    instance: &crate::problem::Instance,
    task: &str,
    algo: &str,
    job: &Job,
    values: Vec<f64>,
    x: Vec<f64>,
    wall: f64,
    waiting: f64,
) -> Served {
    // The recommendation is scored without noise and without counting it: it need not
    // be a point the client evaluated.
    let true_value = if problem.is_noisy() {
        problem.true_value(&x)
    } else {
        instance.evaluate(&x)
    };
    let oversized = max_size(problem).is_some_and(|k| crate::tracker::items(&x) > k);
    let true_value = if oversized { f64::INFINITY } else { true_value };
    let out = RunOutput {
        evaluations: values.len() as u64,
        best: values
            .iter()
            .copied()
            .map(zoo_core::ranked)
            .fold(f64::INFINITY, f64::min),
        x,
        values,
        wall: std::time::Duration::from_secs_f64(wall),
        in_objective: std::time::Duration::from_secs_f64(waiting.min(wall)),
    };
    let mut record = Record::new(task, problem, algo, job, &out);
    record.true_best = true_value;
    let curve = CurveRecord {
        task: task.to_owned(),
        problem: record.problem.clone(),
        dim: record.dim,
        algo: algo.to_owned(),
        seed: job.seed,
        curve: Curve::from_values(&out.values, job.budget),
        hits: problem.optimum().map(|opt| ecdf::first_hits(&out.values, opt)),
    };
    Served { record, curve }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::problem;

    /// One sequential run of seed 1.
    fn job(budget: u64) -> Job {
        Job {
            budget,
            seed: 1,
            threads: 1,
        }
    }

    fn run(requests: &str, budget: u64) -> (Result<Served>, Vec<String>) {
        let p = problem::build("sphere", Some(3)).unwrap();
        let job = job(budget);
        let mut out = Vec::new();
        let served = serve(&p, "", "client", &job, requests.as_bytes(), &mut out);
        (
            served,
            String::from_utf8(out)
                .unwrap()
                .lines()
                .map(str::to_owned)
                .collect(),
        )
    }

    #[test]
    fn counts_every_evaluation_and_refuses_beyond_the_budget() {
        let (served, lines) = run(
            "eval 0.2 0.2 0.2\neval 0 0 0\neval 1 1 1\ndone 0.5 0.1 0.2 0.2 0.2\n",
            2,
        );
        let header: Header = serde_json::from_str(&lines[0]).unwrap();
        assert_eq!(
            (header.dim, header.budget, header.lower[0], header.upper[0]),
            (3, 2, -1.0, 1.0)
        );
        assert_eq!(lines[1], "0.0");
        assert!((lines[2].parse::<f64>().unwrap() - 0.12).abs() < 1e-12);
        assert!(lines[3].starts_with("error: the budget"), "{}", lines[3]);
        let served = served.unwrap();
        assert_eq!(served.record.evaluations, 2);
        assert_eq!(served.record.true_best, 0.0);
        assert_eq!(served.record.algo, "client");
        assert!((served.record.overhead_us - 1e6 * 0.4 / 2.0).abs() < 1e-6);
        assert_eq!(served.curve.curve.best.last(), Some(&0.0));
    }

    #[test]
    fn bad_requests_are_answered_and_not_counted() {
        let (served, lines) = run("eval 1 2\neval a b c\neval 5 0 0\nhello\ndone 1 0 0 0 0\n", 5);
        for line in &lines[1..5] {
            assert!(line.starts_with("error: "), "{line}");
        }
        assert_eq!(served.unwrap().record.evaluations, 0);
    }

    #[test]
    fn import_adds_served_runs_once() {
        let dir = std::env::temp_dir().join(format!("zoo-bench-import-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        record::save(&dir, &record::Results::default()).unwrap();
        let served = run("eval 0 0 0\ndone 1 0.5 0.2 0.2 0.2\n", 3).0.unwrap();
        let file = dir.join("served.jsonl");
        std::fs::write(&file, serde_json::to_string(&served).unwrap() + "\n").unwrap();
        assert_eq!(import(&dir, std::slice::from_ref(&file)).unwrap(), 1);
        let results = record::load(&dir).unwrap();
        assert_eq!(results.records, [served.record]);
        assert_eq!(results.curves, [served.curve]);
        assert!(
            import(&dir, std::slice::from_ref(&file)).is_err(),
            "the same run twice"
        );
        assert_eq!(record::load(&dir).unwrap().records.len(), 1);
        // The same problem and seed at another budget is another run.
        let longer = run("eval 0 0 0\ndone 1 0.5 0.2 0.2 0.2\n", 4).0.unwrap();
        std::fs::write(&file, serde_json::to_string(&longer).unwrap() + "\n").unwrap();
        assert_eq!(import(&dir, &[file]).unwrap(), 1);
        assert_eq!(record::load(&dir).unwrap().records.len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn subsets_are_served_as_bits_and_oversized_ones_recorded_infeasible() {
        let p = problem::build("sonar-k8", None).unwrap();
        let job = job(3);
        let bits = |items: &[usize]| {
            let mut x = vec!["0"; 60];
            for &i in items {
                x[i] = "1";
            }
            x.join(" ")
        };
        let (small, large) = (bits(&[0, 3, 7]), bits(&(0..12).collect::<Vec<_>>()));
        let requests = format!("eval {small}\neval {large}\ndone 1 0.5 {large}\n");
        let mut out = Vec::new();
        let served = serve(&p, "P7", "client", &job, requests.as_bytes(), &mut out).unwrap();
        let lines: Vec<String> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        let header: Header = serde_json::from_str(&lines[0]).unwrap();
        assert_eq!((header.dim, header.max_size), (60, Some(8)));
        let (feasible, oversized): (f64, f64) = (lines[1].parse().unwrap(), lines[2].parse().unwrap());
        assert!(feasible.is_finite() && oversized.is_finite() && oversized < feasible);
        // The client saw the oversized subset's value; the run records it as infeasible.
        assert_eq!(served.record.best, feasible);
        assert_eq!(served.curve.curve.best.last(), Some(&feasible));
        assert_eq!(
            served.record.true_best,
            f64::INFINITY,
            "an oversized recommendation"
        );
    }

    /// Labels are described as such (a client may search them as categories), integers
    /// as integers; a header without `labels` still reads.
    #[test]
    fn the_header_tells_labels_from_integers() {
        let p = problem::build("tuning", None).unwrap();
        let job = job(3);
        let h = header(&p, &job);
        assert_eq!(h.integer, [false, false, false, false, true, true, true, true]);
        assert_eq!(h.labels, [None, None, None, None, None, None, Some(4), Some(4)]);
        let bits = header(&problem::build("setcover", None).unwrap(), &job);
        assert!(bits.integer.iter().all(|&i| i) && bits.labels.iter().all(Option::is_none));
        let mut json: serde_json::Value = serde_json::to_value(&h).unwrap();
        json.as_object_mut().unwrap().remove("labels");
        let old: Header = serde_json::from_value(json).unwrap();
        assert!(old.labels.is_empty());
    }

    #[test]
    fn a_client_that_leaves_without_done_is_an_error() {
        assert!(run("eval 0 0 0\n", 5).0.is_err());
        assert!(run("done nan 0 0 0 0\n", 5).0.is_err());
    }
}
