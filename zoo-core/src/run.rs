//! The sequential driver: a [`Ledger`] plus an objective called in the caller's thread.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use crate::error::RunError;
use crate::ledger::{Callbacks, Ledger, Outcome, Progress, Step, StopReason};
use crate::sampler::{Objective, Sampler, Solution};

/// Minimizes an objective with a sampler: a run [`Ledger`] (budget, seed, stopping
/// rules, history) plus the objective, evaluated in the calling thread.
///
/// ```
/// use zoo_core::{Minimize, RandomSearch, Space, StopReason};
///
/// let space = Space::cube(5, -1.0, 1.0)?;
/// let sphere = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>();
/// let outcome = Minimize::new(sphere, RandomSearch::new(space))
///     .budget(1_000)
///     .seed(7)
///     .run()?;
/// assert_eq!(outcome.evaluations, 1_000);
/// assert_eq!(outcome.stop, StopReason::Budget);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Minimize<'a, O, S: Sampler> {
    pub(crate) objective: O,
    pub(crate) ledger: Ledger<S>,
    pub(crate) callbacks: Callbacks<'a, S::Solution>,
}

impl<'a, O, S> Minimize<'a, O, S>
where
    S: Sampler,
    O: Objective<<S::Solution as Solution>::View>,
{
    /// A run of `sampler` on `objective`. Set a budget before running.
    pub fn new(objective: O, sampler: S) -> Self {
        Self::resume(objective, Ledger::new(sampler))
    }

    /// Continues a saved run (or runs a ledger built by hand). Settings come from the
    /// ledger; closures (stopping criterion, progress observer) are attached again by the
    /// caller.
    pub fn resume(objective: O, ledger: Ledger<S>) -> Self {
        Minimize {
            objective,
            ledger,
            callbacks: Callbacks::none(),
        }
    }

    /// Maximum number of objective evaluations (required, at least 1).
    pub fn budget(mut self, evaluations: u64) -> Self {
        self.ledger = self.ledger.budget(evaluations);
        self
    }

    /// Seed of the random stream (default 0).
    pub fn seed(mut self, seed: u64) -> Self {
        self.ledger = self.ledger.seed(seed);
        self
    }

    /// Stop once a value `≤ target` is observed.
    pub fn target(mut self, target: f64) -> Self {
        self.ledger = self.ledger.target(target);
        self
    }

    /// Stop once `limit` of wall time has passed (checked after every evaluation).
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.ledger = self.ledger.time_limit(limit);
        self
    }

    /// Stop after `evaluations` evaluations in a row without a new best value.
    pub fn patience(mut self, evaluations: u64) -> Self {
        self.ledger = self.ledger.patience(evaluations);
        self
    }

    /// Stop when `criterion` returns `true`; it is called after every evaluation.
    pub fn stop_when(mut self, criterion: impl FnMut(&Progress<'_, S::Solution>) -> bool + 'a) -> Self {
        self.callbacks = self.callbacks.stop_when(criterion);
        self
    }

    /// Calls `observer` every `every` evaluations (and never more often), for progress
    /// reports on long runs.
    pub fn on_progress(mut self, every: u64, observer: impl FnMut(&Progress<'_, S::Solution>) + 'a) -> Self {
        self.callbacks = self.callbacks.on_progress(every, observer);
        self
    }

    /// Points to evaluate first, before the sampler proposes any. They count against
    /// the budget.
    pub fn warm_start(mut self, points: impl IntoIterator<Item = S::Solution>) -> Self {
        self.ledger = self.ledger.warm_start(points);
        self
    }

    /// Solutions whose values are already known: told to the sampler before the first
    /// evaluation, without spending budget.
    pub fn warm_start_evaluated(mut self, solutions: impl IntoIterator<Item = (S::Solution, f64)>) -> Self {
        self.ledger = self.ledger.warm_start_evaluated(solutions);
        self
    }

    /// The run's ledger (the sampler, counts, history), for inspection or checkpointing.
    pub fn ledger(&self) -> &Ledger<S> {
        &self.ledger
    }

    /// Gives up the objective and returns the ledger, for checkpointing.
    pub fn into_ledger(self) -> Ledger<S> {
        self.ledger
    }

    /// Runs until a stopping rule fires; the outcome carries the sampler.
    pub fn run(mut self) -> Result<Outcome<S>, RunError<S::Solution>> {
        self.drive(None)?;
        self.ledger.finish()
    }

    /// Runs until `evaluations` evaluations have been spent in total, or a stopping rule
    /// fires first (then its reason is returned). A paused run continues with
    /// [`Minimize::run`] or another `advance`, or is saved with [`Minimize::into_ledger`].
    pub fn advance(&mut self, evaluations: u64) -> Result<Option<StopReason>, RunError<S::Solution>> {
        self.drive(Some(evaluations))
    }

    fn drive(&mut self, pause_at: Option<u64>) -> Result<Option<StopReason>, RunError<S::Solution>> {
        if self.ledger.settings().budget == 0 {
            return Err(RunError::ZeroBudget);
        }
        self.ledger.ensure_valid()?;
        let ledger = &mut self.ledger;
        let mut stop = ledger.check(&mut self.callbacks);
        let result = loop {
            if stop.is_some() {
                break Ok(stop);
            }
            if pause_at.is_some_and(|n| ledger.evaluations() >= n) {
                break Ok(None);
            }
            let x = match ledger.step() {
                Step::Evaluate(x) => x,
                Step::Stop(reason) => break Ok(Some(reason)),
                // Nothing is in flight in a sequential run: waiting cannot help.
                Step::Wait => break Ok(Some(StopReason::Exhausted)),
            };
            let objective = &self.objective;
            match catch_unwind(AssertUnwindSafe(|| objective.evaluate(x.view()))) {
                // The point the ledger handed out: recorded without checking it again.
                Ok(value) => {
                    ledger.record(x, value, &mut self.callbacks);
                    stop = ledger.check(&mut self.callbacks);
                }
                Err(payload) => {
                    ledger.abandon();
                    break Err(RunError::ObjectivePanicked {
                        message: panic_message(payload.as_ref()),
                        evaluations: ledger.evaluations(),
                        best: ledger.best().cloned(),
                    });
                }
            }
        };
        ledger.pause_clock();
        if matches!(result, Ok(reason) if ledger.nothing_evaluated(reason)) {
            return Err(RunError::NothingEvaluated);
        }
        result
    }
}

/// `f`'s result, or the message of the panic that ended it: the panic boundary of callers
/// that must not unwind (the Python bindings). The state `f` touched may be half-updated
/// after a panic; the caller turns it into an error and does not read that state.
pub fn caught<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| panic_message(payload.as_ref()))
}

/// The text of a panic payload, when it carries one.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caught_turns_a_panic_into_its_message_and_passes_results_through() {
        assert_eq!(caught(|| 7), Ok(7));
        assert_eq!(
            caught(|| -> u8 { panic!("index out of bounds") }),
            Err("index out of bounds".to_owned())
        );
        let n = 3;
        assert_eq!(
            caught(|| -> u8 { panic!("formatted {n}") }),
            Err("formatted 3".to_owned())
        );
    }
}
