//! Runtime ECDFs, as COCO draws them: for each algorithm, the fraction of (run, target)
//! pairs whose target was reached within `evaluations / dimension` budget units, against
//! `log10(evaluations / dimension)`.
//!
//! The targets are COCO's 51 precisions `10^2, 10^1.8, …, 10^-8` above the optimal value
//! ([`zoo_bbob::TARGET_PRECISIONS`]). Runs on problems with a known optimal value (every
//! BBOB problem, and user problems that give one) record the evaluation at which each
//! target is first reached, exactly: [`first_hits`] reads every value of the run, not the
//! ~120-point best-so-far curve `curves.json` keeps (whose log-spaced points are 1/20
//! decade apart for a budget of 2,000, coarser than a fifth-of-a-decade target step would
//! need at small budgets).

use zoo_bbob::{FunctionGroup, TARGET_PRECISIONS};

use crate::problem::bbob;
use crate::record::{CurveRecord, Record};

/// The evaluation (counted from 1) at which the best value so far first came within each
/// of the 51 target precisions of `optimum`; `None` for targets never reached. NaN values
/// never reach a target.
pub fn first_hits(values: &[f64], optimum: f64) -> Vec<Option<u64>> {
    let mut hits = vec![None; TARGET_PRECISIONS.len()];
    let mut next = 0;
    let mut best = f64::INFINITY;
    for (i, &v) in values.iter().enumerate() {
        best = best.min(zoo_core::ranked(v));
        while next < TARGET_PRECISIONS.len() && best - optimum <= TARGET_PRECISIONS[next] {
            hits[next] = Some(i as u64 + 1);
            next += 1;
        }
        if next == TARGET_PRECISIONS.len() {
            break;
        }
    }
    hits
}

/// One run's first hits with what the ECDF needs of its record.
#[derive(Debug, Clone, Copy)]
pub struct Runtimes<'a> {
    /// The run.
    pub record: &'a Record,
    /// First hit of each target.
    pub hits: &'a [Option<u64>],
}

impl Runtimes<'_> {
    /// The BBOB function group of the run's problem, if it is a BBOB problem.
    pub fn group(&self) -> Option<FunctionGroup> {
        bbob::function_of(&self.record.problem).and_then(zoo_bbob::function_group)
    }

    /// Fraction of the targets reached by the end of the run.
    pub fn reached(&self) -> f64 {
        self.hits.iter().filter(|h| h.is_some()).count() as f64 / self.hits.len().max(1) as f64
    }
}

/// The runs of `results` that recorded first hits (successful runs on problems with a
/// known optimum), in the order of the records.
pub fn runtimes<'a>(records: &'a [Record], curves: &'a [CurveRecord]) -> Vec<Runtimes<'a>> {
    records
        .iter()
        .zip(curves)
        .filter(|(r, _)| r.error.is_empty())
        .filter_map(|(record, c)| c.hits.as_deref().map(|hits| Runtimes { record, hits }))
        .collect()
}

/// One algorithm's ECDF as a step line: points `(log10(evaluations / dimension), fraction)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Algorithm name.
    pub label: String,
    /// Corners of the step line, from `(x of one evaluation, 0)` to `(x of the largest
    /// budget, final fraction)`.
    pub points: Vec<(f64, f64)>,
    /// Fraction of (run, target) pairs reached at the end.
    pub reached: f64,
}

/// The ECDF of `algo` over `runs` (only its own runs count), or `None` if it has none.
pub fn ecdf(algo: &str, runs: &[Runtimes<'_>]) -> Option<Step> {
    let mine: Vec<&Runtimes<'_>> = runs.iter().filter(|r| r.record.algo == algo).collect();
    if mine.is_empty() {
        return None;
    }
    let total = mine.iter().map(|r| r.hits.len()).sum::<usize>().max(1) as f64;
    let scaled = |e: u64, dim: usize| (e as f64 / dim.max(1) as f64).log10();
    let mut xs: Vec<f64> = mine
        .iter()
        .flat_map(|r| r.hits.iter().flatten().map(|&e| scaled(e, r.record.dim)))
        .collect();
    xs.sort_by(f64::total_cmp);
    let start = mine
        .iter()
        .map(|r| scaled(1, r.record.dim))
        .fold(f64::INFINITY, f64::min);
    let end = mine
        .iter()
        .map(|r| scaled(r.record.budget, r.record.dim))
        .fold(f64::NEG_INFINITY, f64::max);
    let mut points = vec![(start, 0.0)];
    for (i, &x) in xs.iter().enumerate() {
        points.push((x, i as f64 / total));
        points.push((x, (i + 1) as f64 / total));
    }
    let reached = xs.len() as f64 / total;
    points.push((end, reached));
    Some(Step {
        label: algo.to_owned(),
        points,
        reached,
    })
}

/// Short lower-case name of a function group (for file names and tables).
pub fn group_slug(g: FunctionGroup) -> &'static str {
    match g {
        FunctionGroup::Separable => "separable",
        FunctionGroup::Moderate => "moderate",
        FunctionGroup::IllConditioned => "ill-conditioned",
        FunctionGroup::Multimodal => "multimodal",
        FunctionGroup::WeakStructure => "weakly-structured",
    }
}

/// Title of a function group, with its functions.
pub fn group_title(g: FunctionGroup) -> &'static str {
    match g {
        FunctionGroup::Separable => "separable functions (f1–f5)",
        FunctionGroup::Moderate => "low or moderate conditioning (f6–f9)",
        FunctionGroup::IllConditioned => "high conditioning, unimodal (f10–f14)",
        FunctionGroup::Multimodal => "multimodal, adequate global structure (f15–f19)",
        FunctionGroup::WeakStructure => "multimodal, weak global structure (f20–f24)",
    }
}

/// The five groups in COCO's order.
pub const GROUPS: [FunctionGroup; 5] = [
    FunctionGroup::Separable,
    FunctionGroup::Moderate,
    FunctionGroup::IllConditioned,
    FunctionGroup::Multimodal,
    FunctionGroup::WeakStructure,
];

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    fn record(algo: &str, dim: usize, budget: u64) -> Record {
        Record {
            task: String::new(),
            problem: "bbob-f1".into(),
            dim,
            algo: algo.into(),
            seed: 1,
            budget,
            threads: 1,
            evaluations: budget,
            best: 0.0,
            true_best: 0.0,
            wall_s: 0.0,
            overhead_us: 0.0,
            error: String::new(),
        }
    }

    #[test]
    fn first_hits_follow_the_best_so_far() {
        let hits = first_hits(&[1e3, 150.0, 50.0, f64::NAN, 0.5, 1e-9], 0.0);
        assert_eq!(hits.len(), 51);
        assert_eq!(hits[0], Some(3)); // 100: reached by 50 at evaluation 3
        assert_eq!(hits[1], Some(3)); // 63.1
        assert_eq!(hits[2], Some(5)); // 39.8: first below at evaluation 5 (0.5)
        assert_eq!(hits[3], Some(5)); // 25.1: first below at evaluation 5 (0.5)
        assert_eq!(hits[11], Some(5)); // 0.63
        assert_eq!(hits[12], Some(6)); // 0.398
        assert_eq!(hits[50], Some(6)); // 1e-8
        let none = first_hits(&[200.0, f64::NAN], 0.0);
        assert!(none.iter().all(Option::is_none));
        // Measured from the optimum.
        assert_eq!(first_hits(&[105.0], 10.0)[0], Some(1));
    }

    #[test]
    fn ecdf_steps_up_to_the_fraction_reached() {
        let a = record("a", 10, 1_000);
        let mut hits = vec![None; 51];
        hits[0] = Some(10);
        hits[1] = Some(100);
        let runs = [Runtimes {
            record: &a,
            hits: &hits,
        }];
        let step = ecdf("a", &runs).unwrap();
        assert_eq!(step.points[0], (-1.0, 0.0));
        assert_eq!(step.points[1], (0.0, 0.0));
        assert_eq!(step.points[2], (0.0, 1.0 / 51.0));
        assert_eq!(*step.points.last().unwrap(), (2.0, 2.0 / 51.0));
        assert_eq!(step.reached, 2.0 / 51.0);
        assert!(ecdf("b", &runs).is_none());
        assert_eq!(runs[0].group(), Some(FunctionGroup::Separable));
    }
}
