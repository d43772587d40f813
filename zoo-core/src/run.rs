//! The run loop: budget, seed, stopping rules, warm start, history, checkpoints.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::RunError;
use crate::rng::ZooRng;
use crate::sampler::{Evaluated, Objective, Point, Sampler, ranked};

/// Every value a run's objective returned, in evaluation order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    #[serde(with = "crate::float_serde::vec")]
    values: Vec<f64>,
}

impl History {
    /// The raw values, NaN included, in evaluation order.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Number of recorded evaluations.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// `true` before the first evaluation.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The running minimum after each evaluation (NaN counts as +∞).
    pub fn best_so_far(&self) -> Vec<f64> {
        let mut best = f64::INFINITY;
        self.values
            .iter()
            .map(|&v| {
                best = best.min(ranked(v));
                best
            })
            .collect()
    }

    /// Appends one value.
    pub fn push(&mut self, value: f64) {
        self.values.push(value);
    }
}

/// Why a run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum StopReason {
    /// The evaluation budget is spent.
    Budget,
    /// A value at or below the target was found.
    Target,
    /// The time limit passed.
    TimeLimit,
    /// The best value did not improve for the configured number of evaluations.
    Patience,
    /// The user's stopping criterion returned `true`.
    Criterion,
    /// The sampler could not propose a new point (a small discrete space is exhausted).
    Exhausted,
}

/// The result of a finished run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(serialize = "P: Serialize", deserialize = "P: DeserializeOwned"))]
pub struct Outcome<P> {
    /// The sampler's recommendation (for plain samplers, the best evaluated solution).
    pub best: Evaluated<P>,
    /// Objective evaluations spent.
    pub evaluations: u64,
    /// Evaluations that returned NaN (ranked as +∞).
    pub nan_evaluations: u64,
    /// Why the run stopped.
    pub stop: StopReason,
    /// Every value, in evaluation order.
    pub history: History,
    /// Wall time spent in the run, over all its resumed parts.
    pub elapsed: Duration,
}

/// What a stopping criterion or progress observer sees of a running run.
#[derive(Debug)]
#[non_exhaustive]
pub struct Progress<'r, P> {
    /// Evaluations spent so far.
    pub evaluations: u64,
    /// The evaluation budget.
    pub budget: u64,
    /// The sampler's current recommendation.
    pub best: Option<&'r Evaluated<P>>,
    /// The lowest value observed so far (+∞ before any).
    pub best_value: f64,
    /// Evaluations since the best observed value last improved.
    pub since_improvement: u64,
    /// Wall time spent so far.
    pub elapsed: Duration,
    /// Every value so far.
    pub history: &'r History,
}

/// The stopping rules and seed of a run. Serialised with the run's state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Maximum number of objective evaluations; never exceeded.
    pub budget: u64,
    /// Seed of the run's random stream (every value, 0 included, is honoured).
    pub seed: u64,
    /// Stop once a value at or below this is observed.
    #[serde(with = "crate::float_serde::option")]
    pub target: Option<f64>,
    /// Stop once this much wall time has passed.
    pub time_limit: Option<Duration>,
    /// Stop after this many evaluations without improvement of the best value.
    pub patience: Option<u64>,
}

/// Everything a run needs to continue exactly where it stopped: the sampler, the random
/// stream, the counters, the history and the pending warm-start points. It serialises
/// with serde; [`Minimize::resume`] continues it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(
    serialize = "S: Serialize, S::Point: Serialize",
    deserialize = "S: DeserializeOwned, S::Point: DeserializeOwned"
))]
pub struct RunState<S: Sampler> {
    /// The algorithm's own state.
    pub sampler: S,
    /// Stopping rules and seed.
    pub settings: Settings,
    pub(crate) rng: Option<ZooRng>,
    pub(crate) evaluations: u64,
    nan_evaluations: u64,
    history: History,
    #[serde(with = "crate::float_serde")]
    best_value: f64,
    since_improvement: u64,
    pub(crate) warm_unevaluated: VecDeque<S::Point>,
    pub(crate) warm_evaluated: Vec<Evaluated<S::Point>>,
    pub(crate) elapsed: Duration,
}

impl<S: Sampler> RunState<S> {
    /// Objective evaluations spent so far.
    pub fn evaluations(&self) -> u64 {
        self.evaluations
    }

    /// Every value so far.
    pub fn history(&self) -> &History {
        &self.history
    }
}

type Criterion<'a, P> = Box<dyn FnMut(&Progress<'_, P>) -> bool + 'a>;
type Observer<'a, P> = Box<dyn FnMut(&Progress<'_, P>) + 'a>;

/// Minimizes an objective with a sampler: the loop that owns the budget, the seed and
/// the stopping rules.
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
    pub(crate) state: RunState<S>,
    pub(crate) criterion: Option<Criterion<'a, S::Point>>,
    pub(crate) observer: Option<(u64, Observer<'a, S::Point>)>,
}

impl<'a, O, S> Minimize<'a, O, S>
where
    S: Sampler,
    O: Objective<<S::Point as Point>::View>,
{
    /// A run of `sampler` on `objective`. Set a budget before running.
    pub fn new(objective: O, sampler: S) -> Self {
        Minimize {
            objective,
            state: RunState {
                sampler,
                settings: Settings::default(),
                rng: None,
                evaluations: 0,
                nan_evaluations: 0,
                history: History::default(),
                best_value: f64::INFINITY,
                since_improvement: 0,
                warm_unevaluated: VecDeque::new(),
                warm_evaluated: Vec::new(),
                elapsed: Duration::ZERO,
            },
            criterion: None,
            observer: None,
        }
    }

    /// Continues a saved run. Settings come from the state; closures (stopping
    /// criterion, progress observer) are attached again by the caller.
    pub fn resume(objective: O, state: RunState<S>) -> Self {
        Minimize {
            objective,
            state,
            criterion: None,
            observer: None,
        }
    }

    /// Maximum number of objective evaluations (required, at least 1).
    pub fn budget(mut self, evaluations: u64) -> Self {
        self.state.settings.budget = evaluations;
        self
    }

    /// Seed of the random stream (default 0).
    pub fn seed(mut self, seed: u64) -> Self {
        self.state.settings.seed = seed;
        self
    }

    /// Stop once a value `≤ target` is observed.
    pub fn target(mut self, target: f64) -> Self {
        self.state.settings.target = Some(target);
        self
    }

    /// Stop once `limit` of wall time has passed (checked after every evaluation).
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.state.settings.time_limit = Some(limit);
        self
    }

    /// Stop after `evaluations` evaluations in a row without a new best value.
    pub fn patience(mut self, evaluations: u64) -> Self {
        self.state.settings.patience = Some(evaluations);
        self
    }

    /// Stop when `criterion` returns `true`; it is called after every evaluation.
    pub fn stop_when(mut self, criterion: impl FnMut(&Progress<'_, S::Point>) -> bool + 'a) -> Self {
        self.criterion = Some(Box::new(criterion));
        self
    }

    /// Calls `observer` every `every` evaluations (and never more often), for progress
    /// reports on long runs.
    pub fn on_progress(mut self, every: u64, observer: impl FnMut(&Progress<'_, S::Point>) + 'a) -> Self {
        self.observer = Some((every.max(1), Box::new(observer)));
        self
    }

    /// Points to evaluate first, before the sampler proposes any. They count against
    /// the budget.
    pub fn warm_start(mut self, points: impl IntoIterator<Item = S::Point>) -> Self {
        self.state.warm_unevaluated.extend(points);
        self
    }

    /// Solutions whose values are already known: told to the sampler before the first
    /// evaluation, without spending budget.
    pub fn warm_start_evaluated(mut self, solutions: impl IntoIterator<Item = (S::Point, f64)>) -> Self {
        self.state
            .warm_evaluated
            .extend(solutions.into_iter().map(|(x, v)| Evaluated::new(x, v)));
        self
    }

    /// The run's state, for inspection or checkpointing.
    pub fn state(&self) -> &RunState<S> {
        &self.state
    }

    /// Gives up the objective and returns the state, for checkpointing.
    pub fn into_state(self) -> RunState<S> {
        self.state
    }

    /// Runs until a stopping rule fires.
    pub fn run(mut self) -> Result<Outcome<S::Point>, RunError<S::Point>> {
        let stop = self
            .drive(None)?
            .expect("a run without a pause point stops for a reason");
        self.outcome(stop)
    }

    /// Runs until `evaluations` evaluations have been spent in total, or a stopping rule
    /// fires first (then its reason is returned). A paused run continues with
    /// [`Minimize::run`] or another `advance`, or is saved with [`Minimize::into_state`].
    pub fn advance(&mut self, evaluations: u64) -> Result<Option<StopReason>, RunError<S::Point>> {
        self.drive(Some(evaluations))
    }

    /// The outcome of a run that stopped for `stop`.
    pub fn outcome(self, stop: StopReason) -> Result<Outcome<S::Point>, RunError<S::Point>> {
        let best = self
            .state
            .sampler
            .best()
            .cloned()
            .ok_or(RunError::NothingEvaluated)?;
        Ok(Outcome {
            best,
            evaluations: self.state.evaluations,
            nan_evaluations: self.state.nan_evaluations,
            stop,
            history: self.state.history,
            elapsed: self.state.elapsed,
        })
    }

    fn drive(&mut self, pause_at: Option<u64>) -> Result<Option<StopReason>, RunError<S::Point>> {
        if self.state.settings.budget == 0 {
            return Err(RunError::ZeroBudget);
        }
        let started = Instant::now();
        let before = self.state.elapsed;
        let mut rng = match self.state.rng.take() {
            Some(rng) => rng,
            None => {
                self.state.sampler.start(self.state.settings.budget);
                for known in std::mem::take(&mut self.state.warm_evaluated) {
                    self.note_best(known.value);
                    self.state.sampler.tell(known.x, ranked(known.value));
                }
                ZooRng::seed_from(self.state.settings.seed)
            }
        };
        let result = loop {
            self.state.elapsed = before + started.elapsed();
            if let Some(reason) = self.stop_reason() {
                break Ok(Some(reason));
            }
            if pause_at.is_some_and(|n| self.state.evaluations >= n) {
                break Ok(None);
            }
            let x = match self.state.warm_unevaluated.pop_front() {
                Some(x) => x,
                None => match self.state.sampler.ask(&mut rng) {
                    Some(x) => x,
                    None => break Ok(Some(StopReason::Exhausted)),
                },
            };
            let objective = &self.objective;
            match catch_unwind(AssertUnwindSafe(|| objective.evaluate(x.view()))) {
                Ok(value) => self.record(x, value),
                Err(payload) => {
                    break Err(RunError::ObjectivePanicked {
                        message: panic_message(payload.as_ref()),
                        evaluations: self.state.evaluations,
                        best: self.state.sampler.best().cloned(),
                    });
                }
            }
        };
        self.state.elapsed = before + started.elapsed();
        self.state.rng = Some(rng);
        if matches!(result, Ok(Some(StopReason::Exhausted))) && self.state.sampler.best().is_none() {
            return Err(RunError::NothingEvaluated);
        }
        result
    }

    /// Counts one finished evaluation and tells the sampler.
    pub(crate) fn record(&mut self, x: S::Point, value: f64) {
        let state = &mut self.state;
        state.evaluations += 1;
        if value.is_nan() {
            state.nan_evaluations += 1;
        }
        state.history.push(value);
        self.note_best(value);
        self.state.sampler.tell(x, ranked(value));
        if let Some((every, observer)) = self.observer.as_mut()
            && self.state.evaluations.is_multiple_of(*every)
        {
            observer(&progress(&self.state));
        }
    }

    pub(crate) fn note_best(&mut self, value: f64) {
        let value = ranked(value);
        if value < self.state.best_value {
            self.state.best_value = value;
            self.state.since_improvement = 0;
        } else {
            self.state.since_improvement += 1;
        }
    }

    pub(crate) fn stop_reason(&mut self) -> Option<StopReason> {
        let state = &self.state;
        let settings = &state.settings;
        if state.evaluations >= settings.budget {
            return Some(StopReason::Budget);
        }
        if state.evaluations == 0 {
            return None;
        }
        if settings.target.is_some_and(|t| state.best_value <= t) {
            return Some(StopReason::Target);
        }
        if settings.time_limit.is_some_and(|t| state.elapsed >= t) {
            return Some(StopReason::TimeLimit);
        }
        if settings.patience.is_some_and(|p| state.since_improvement >= p) {
            return Some(StopReason::Patience);
        }
        if let Some(criterion) = self.criterion.as_mut()
            && criterion(&progress(state))
        {
            return Some(StopReason::Criterion);
        }
        None
    }
}

fn progress<S: Sampler>(state: &RunState<S>) -> Progress<'_, S::Point> {
    Progress {
        evaluations: state.evaluations,
        budget: state.settings.budget,
        best: state.sampler.best(),
        best_value: state.best_value,
        since_improvement: state.since_improvement,
        elapsed: state.elapsed,
        history: &state.history,
    }
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
