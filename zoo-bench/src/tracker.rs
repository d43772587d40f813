//! The objective wrapper every runner evaluates through: it counts calls, stops external
//! optimizers exactly at the budget, keeps every value (for the best-so-far curve) and the
//! best point, and times the objective separately from the optimizer.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use zoo_core::{Space, ranked};
use zoo_subset::Subset;

use crate::problem::Instance;

/// What a finished run's tracker saw.
#[derive(Debug, Clone, Default)]
pub struct Track {
    /// Objective calls made.
    pub evaluations: u64,
    /// Every value returned, in call order (+∞ for points over a size limit).
    pub values: Vec<f64>,
    /// The best point evaluated and its value (NaN ranked as +∞).
    pub best: Option<(Vec<f64>, f64)>,
    /// Wall time spent inside the objective.
    pub in_objective: Duration,
}

/// The items a point of a subset problem chooses: its non-zero coordinates.
pub fn items(x: &[f64]) -> usize {
    x.iter().filter(|&&v| v != 0.0).count()
}

/// Counts and records the evaluations of one run.
pub struct Tracker<'a> {
    instance: &'a Instance,
    space: &'a Space,
    budget: u64,
    size_limit: Option<usize>,
    track: Mutex<Track>,
}

impl<'a> Tracker<'a> {
    /// A tracker allowing `budget` evaluations of `instance` over `space`.
    pub fn new(instance: &'a Instance, space: &'a Space, budget: u64) -> Self {
        Tracker {
            instance,
            space,
            budget,
            size_limit: None,
            track: Mutex::new(Track {
                values: Vec::with_capacity(budget.min(1 << 20) as usize),
                ..Track::default()
            }),
        }
    }

    /// For subset selection: points with more than `k` non-zero coordinates are
    /// infeasible, so they are recorded as +∞ (the optimizer still sees their value).
    pub fn with_size_limit(mut self, k: usize) -> Self {
        self.size_limit = Some(k);
        self
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Track> {
        self.track.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Evaluations left before the budget is spent.
    pub fn remaining(&self) -> u64 {
        self.budget.saturating_sub(self.lock().evaluations)
    }

    /// One counted evaluation of `x` as given, or `None` once the budget is spent (the
    /// call is then not made). Used by the zoo runners, whose loop already stops at the
    /// budget, and by the external adapters.
    pub fn evaluate(&self, x: &[f64]) -> Option<f64> {
        self.counted(items(x), || self.instance.evaluate(x), || x.to_vec())
    }

    /// One counted evaluation of a subset, evaluated as a subset by subset problems
    /// (no conversion to coordinates unless it becomes the best point).
    pub fn evaluate_subset(&self, s: &Subset) -> Option<f64> {
        self.counted(
            s.count(),
            || self.instance.evaluate_subset(s),
            || {
                let mut x = vec![0.0; s.universe()];
                for i in s.iter() {
                    x[i] = 1.0;
                }
                x
            },
        )
    }

    /// Reserves one evaluation, runs it, and records its value (+∞ over the size limit,
    /// judged by `items`) and, when it is the best so far, the point `coordinates` gives.
    fn counted(
        &self,
        items: usize,
        evaluate: impl FnOnce() -> f64,
        coordinates: impl FnOnce() -> Vec<f64>,
    ) -> Option<f64> {
        {
            // Reserve the evaluation first, so parallel callers can never overshoot.
            let mut t = self.lock();
            if t.evaluations >= self.budget {
                return None;
            }
            t.evaluations += 1;
        }
        let started = Instant::now();
        let value = evaluate();
        let spent = started.elapsed();
        let feasible = self.size_limit.is_none_or(|k| items <= k);
        let recorded = if feasible { value } else { f64::INFINITY };
        let mut t = self.lock();
        t.in_objective += spent;
        t.values.push(recorded);
        let ranked = ranked(recorded);
        if t.best.as_ref().is_none_or(|(_, b)| ranked < *b) {
            t.best = Some((coordinates(), ranked));
        }
        Some(value)
    }

    /// For optimizers that search a continuous box: moves `x` onto the space (clamped to
    /// the bounds, rounded on integer and categorical coordinates) and evaluates it there.
    pub fn evaluate_snapped(&self, x: &[f64]) -> Option<f64> {
        let mut y = x.to_vec();
        for v in &mut y {
            if v.is_nan() {
                // A NaN coordinate has no nearest point; the lower bound is as good as any.
                *v = f64::NEG_INFINITY;
            }
        }
        self.space.snap(&mut y);
        self.evaluate(&y)
    }

    /// What was seen.
    pub fn finish(self) -> Track {
        self.track.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::problem;

    #[test]
    fn stops_exactly_at_budget_and_keeps_best() {
        let p = problem::build("sphere", Some(3)).unwrap();
        let inst = p.instance(0);
        let t = Tracker::new(&inst, &p.space, 3);
        assert!(t.evaluate(&[1.0, 1.0, 1.0]).is_some());
        assert!(t.evaluate(&[0.2, 0.2, 0.2]).is_some());
        assert!(t.evaluate_snapped(&[5.0, 0.2, 0.2]).is_some());
        assert_eq!(t.remaining(), 0);
        assert!(t.evaluate(&[0.0; 3]).is_none());
        let track = t.finish();
        assert_eq!(track.evaluations, 3);
        assert_eq!(track.values.len(), 3);
        assert_eq!(track.best.unwrap().1, 0.0);
        // The snapped point was clamped to the box: (1 − 0.2)² = 0.64.
        assert!((track.values[2] - 0.64).abs() < 1e-12);
    }

    #[test]
    fn records_points_over_the_size_limit_as_infinite() {
        let p = problem::build("setcover", None).unwrap();
        let inst = p.instance(0);
        let t = Tracker::new(&inst, &p.space, 10).with_size_limit(2);
        let mut x = vec![0.0; 20];
        x[..3].fill(1.0);
        let seen = t.evaluate(&x).unwrap();
        assert!(seen.is_finite());
        x[2] = 0.0;
        t.evaluate(&x).unwrap();
        let track = t.finish();
        assert_eq!(track.values[0], f64::INFINITY);
        assert!(track.values[1].is_finite());
        assert_eq!(track.best.unwrap().0, x);
    }
}
