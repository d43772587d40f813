//! External optimizers behind a budget-limited tracker.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use zoo_core::ZooRng;

use super::{Job, RunOutput};
use crate::problem::Problem;
use crate::tracker::{Track, Tracker};

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
pub(super) fn external(
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

pub(super) fn finish(track: Track, wall: Duration) -> Result<RunOutput> {
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
pub(super) fn start(problem: &Problem, rng: &mut ZooRng) -> Vec<f64> {
    problem.space.sample(rng)
}
