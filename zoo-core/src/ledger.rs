//! The run ledger: the bookkeeping every driver of a run shares.
//!
//! A [`Ledger`] owns a sampler and everything about a run that is not the objective: the
//! evaluation budget, the seed and random stream, the counts, the best value so far, the
//! history, the stopping rules and why they fired, the warm starts, and the wall time.
//! It has an ask/tell face ([`Ledger::ask`], [`Ledger::tell`]) and serialises with serde,
//! so a run can be checkpointed between any two calls.
//!
//! Every driver is the ledger plus a way to evaluate: [`crate::Minimize`] adds an
//! objective called in the caller's thread, [`crate::Threaded`] a pool of worker threads,
//! and the Python package's ask/tell optimizer and Ray driver call this same ledger, so a
//! stopping rule means the same thing whoever evaluates.
//!
//! ```
//! use zoo_core::{Ledger, RandomSearch, Space, StopReason};
//!
//! let mut ledger = Ledger::new(RandomSearch::new(Space::cube(3, -1.0, 1.0)?))
//!     .budget(50)
//!     .seed(4)
//!     .target(0.05);
//! while let Some(x) = ledger.ask() {
//!     let value = x.iter().map(|v| v * v).sum::<f64>(); // evaluated anywhere, any time
//!     ledger.tell(x, value);
//! }
//! let outcome = ledger.finish()?;
//! assert!(outcome.evaluations <= 50);
//! assert!(matches!(outcome.stop, StopReason::Budget | StopReason::Target));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{RunError, StateError};
use crate::rng::ZooRng;
use crate::sampler::{Evaluated, Sampler, ranked};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// The caller finished the run before any rule fired (ask/tell use only).
    Caller,
}

impl StopReason {
    /// The reason's name in snake case, as serde writes it (`"time_limit"`).
    pub fn name(self) -> &'static str {
        match self {
            StopReason::Budget => "budget",
            StopReason::Target => "target",
            StopReason::TimeLimit => "time_limit",
            StopReason::Patience => "patience",
            StopReason::Criterion => "criterion",
            StopReason::Exhausted => "exhausted",
            StopReason::Caller => "caller",
        }
    }
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

type Criterion<'a, P> = Box<dyn FnMut(&Progress<'_, P>) -> bool + 'a>;
type Observer<'a, P> = Box<dyn FnMut(&Progress<'_, P>) + 'a>;

/// The caller's closures of a run: a stopping criterion and a progress observer. They
/// are not part of a checkpoint; a resumed run attaches them again.
pub struct Callbacks<'a, P> {
    criterion: Option<Criterion<'a, P>>,
    observer: Option<(u64, Observer<'a, P>)>,
}

impl<P> Default for Callbacks<'_, P> {
    fn default() -> Self {
        Callbacks {
            criterion: None,
            observer: None,
        }
    }
}

impl<P> std::fmt::Debug for Callbacks<'_, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Callbacks")
            .field("criterion", &self.criterion.is_some())
            .field("observer_every", &self.observer.as_ref().map(|(every, _)| *every))
            .finish()
    }
}

impl<'a, P> Callbacks<'a, P> {
    /// No criterion, no observer.
    pub fn none() -> Self {
        Self::default()
    }

    /// Stop when `criterion` returns `true`; it is called after every told value.
    pub fn stop_when(mut self, criterion: impl FnMut(&Progress<'_, P>) -> bool + 'a) -> Self {
        self.criterion = Some(Box::new(criterion));
        self
    }

    /// Calls `observer` every `every` evaluations (and never more often).
    pub fn on_progress(mut self, every: u64, observer: impl FnMut(&Progress<'_, P>) + 'a) -> Self {
        self.observer = Some((every.max(1), Box::new(observer)));
        self
    }
}

/// What a driver should do next, as the ledger sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Step<P> {
    /// Evaluate this point and tell its value.
    Evaluate(P),
    /// The run is over for this reason (a rule fired, or nothing is left to propose).
    Stop(StopReason),
    /// Nothing to propose until points in flight are told: the rest of the budget is in
    /// flight, or the sampler needs their values first.
    Wait,
}

/// The wall clock of the current part of a run (not serialised: a resumed run starts a
/// new part).
#[derive(Debug, Clone, Copy)]
struct Clock {
    started: Instant,
    before: Duration,
}

/// The bookkeeping of a run around a sampler: budget, seed, counts, best value, history,
/// stopping rules, warm starts and wall time. See the [module docs](self).
///
/// It serialises with serde (the sampler included) and continues exactly where it was
/// saved. The drivers of this crate save it with nothing in flight; a caller that saves it
/// with points in flight keeps those points itself (their budget stays reserved until they
/// are told or discarded).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(
    serialize = "S: Serialize, S::Solution: Serialize",
    deserialize = "S: DeserializeOwned, S::Solution: DeserializeOwned"
))]
pub struct Ledger<S: Sampler> {
    /// Format version of the serialised state ([`LEDGER_VERSION`]); states written before
    /// the field existed read as version 1.
    #[serde(default = "first_version")]
    version: u32,
    sampler: S,
    settings: Settings,
    /// `None` until the run opens (the first ask); then the run's stream.
    rng: Option<ZooRng>,
    evaluations: u64,
    nan_evaluations: u64,
    history: History,
    #[serde(with = "crate::float_serde")]
    best_value: f64,
    since_improvement: u64,
    warm_unevaluated: VecDeque<S::Solution>,
    warm_evaluated: Vec<Evaluated<S::Solution>>,
    elapsed: Duration,
    /// The reason the latest check found, if a rule holds.
    stop: Option<StopReason>,
    /// Points asked and not yet told (or discarded); their budget is reserved.
    in_flight: u64,
    #[serde(skip)]
    clock: Option<Clock>,
    /// Whether [`Ledger::validate`] accepted this state since it was built or
    /// deserialised (a deserialised state starts unchecked).
    #[serde(skip)]
    checked: bool,
}

/// The format version of a serialised [`Ledger`] this build writes and reads (and every
/// older one).
pub const LEDGER_VERSION: u32 = 1;

fn first_version() -> u32 {
    1
}

impl<S: Sampler> Ledger<S> {
    /// A run of `sampler` that has not started. Set a budget before asking.
    pub fn new(sampler: S) -> Self {
        Ledger {
            version: LEDGER_VERSION,
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
            stop: None,
            in_flight: 0,
            clock: None,
            checked: false,
        }
    }

    /// A deserialised state (a checkpoint), checked: `Ok` when it is one that this build
    /// can continue exactly; see [`Ledger::validate`].
    ///
    /// ```
    /// # use zoo_core::{Ledger, RandomSearch, Space, StateError};
    /// let ledger = Ledger::new(RandomSearch::new(Space::cube(2, 0.0, 1.0)?)).budget(10);
    /// let mut json: serde_json::Value = serde_json::to_value(&ledger)?;
    /// json["evaluations"] = 11.into(); // more than the budget
    /// let damaged: Ledger<RandomSearch> = serde_json::from_value(json)?;
    /// assert!(matches!(Ledger::restore(damaged), Err(StateError::Inconsistent(_))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn restore(ledger: Self) -> Result<Self, StateError> {
        ledger.validate()?;
        let mut ledger = ledger;
        ledger.checked = true;
        Ok(ledger)
    }

    /// Checks the state with the rules its constructors and drivers keep: the format
    /// version, the sampler's state ([`Sampler::check_state`]), the warm-start points
    /// ([`Sampler::check_point`]), and the counts (evaluations within the budget, one
    /// history value per evaluation, points in flight within the rest of the budget, a
    /// best value that is not NaN and no worse than the history's).
    ///
    /// [`crate::Minimize`] and [`crate::Threaded`] call it before they continue a run; a
    /// caller of the ask/tell face calls it (or [`Ledger::restore`]) on a state it
    /// deserialised, before the first ask.
    pub fn validate(&self) -> Result<(), StateError> {
        if self.version > LEDGER_VERSION {
            return Err(StateError::Version {
                found: self.version,
                supported: LEDGER_VERSION,
            });
        }
        let budget = self.settings.budget;
        StateError::ensure(self.evaluations <= budget, || {
            format!("{} evaluations exceed the budget {budget}", self.evaluations)
        })?;
        StateError::ensure(self.history.len() as u64 == self.evaluations, || {
            format!(
                "the history holds {} values for {} evaluations",
                self.history.len(),
                self.evaluations
            )
        })?;
        let nans = self.history.values.iter().filter(|v| v.is_nan()).count() as u64;
        StateError::ensure(nans == self.nan_evaluations, || {
            format!(
                "{} NaN evaluations counted, the history holds {nans}",
                self.nan_evaluations
            )
        })?;
        StateError::ensure(self.in_flight <= budget - self.evaluations, || {
            format!(
                "{} points in flight exceed the rest of the budget ({})",
                self.in_flight,
                budget - self.evaluations
            )
        })?;
        let history_best = self
            .history
            .values
            .iter()
            .fold(f64::INFINITY, |b, &v| b.min(ranked(v)));
        StateError::ensure(
            !self.best_value.is_nan() && self.best_value <= history_best,
            || {
                format!(
                    "the best value {} is not the best of the history ({history_best})",
                    self.best_value
                )
            },
        )?;
        if self.rng.is_none() {
            // The run opens at the first ask or tell: nothing can have happened before.
            StateError::ensure(
                self.evaluations == 0 && self.in_flight == 0 && self.best_value == f64::INFINITY,
                || "a run that never opened has evaluations, points in flight or a best value".to_owned(),
            )?;
        } else {
            StateError::ensure(self.warm_evaluated.is_empty(), || {
                "an opened run still holds known warm-start solutions".to_owned()
            })?;
        }
        self.sampler.check_state()?;
        for (i, x) in self.warm_unevaluated.iter().enumerate() {
            self.sampler.check_point(x, &format!("warm-start point {i}"))?;
        }
        for (i, known) in self.warm_evaluated.iter().enumerate() {
            self.sampler
                .check_point(&known.x, &format!("known warm-start solution {i}"))?;
        }
        Ok(())
    }

    /// [`Ledger::validate`], once per state: the drivers call it at the start of every
    /// part of a run.
    pub(crate) fn ensure_valid(&mut self) -> Result<(), StateError> {
        if !self.checked {
            self.validate()?;
            self.checked = true;
        }
        Ok(())
    }

    /// Maximum number of objective evaluations (required, at least 1).
    pub fn budget(mut self, evaluations: u64) -> Self {
        self.settings.budget = evaluations;
        self
    }

    /// Seed of the random stream (default 0).
    pub fn seed(mut self, seed: u64) -> Self {
        self.settings.seed = seed;
        self
    }

    /// Stop once a value `≤ target` is observed.
    pub fn target(mut self, target: f64) -> Self {
        self.settings.target = Some(target);
        self
    }

    /// Stop once `limit` of wall time has passed (checked after every evaluation).
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.settings.time_limit = Some(limit);
        self
    }

    /// Stop after `evaluations` evaluations in a row without a new best value.
    pub fn patience(mut self, evaluations: u64) -> Self {
        self.settings.patience = Some(evaluations);
        self
    }

    /// Points to evaluate first, before the sampler proposes any. They count against
    /// the budget.
    pub fn warm_start(mut self, points: impl IntoIterator<Item = S::Solution>) -> Self {
        self.warm_unevaluated.extend(points);
        self.checked = false;
        self
    }

    /// Solutions whose values are already known: told to the sampler when the run
    /// opens, without spending budget.
    pub fn warm_start_evaluated(mut self, solutions: impl IntoIterator<Item = (S::Solution, f64)>) -> Self {
        self.warm_evaluated
            .extend(solutions.into_iter().map(|(x, v)| Evaluated::new(x, v)));
        self.checked = false;
        self
    }

    /// The stopping rules and seed.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Changes the stopping rules and seed (a resumed run may, for example, get a larger
    /// budget). The seed only matters before the run opens.
    pub fn settings_mut(&mut self) -> &mut Settings {
        self.checked = false;
        &mut self.settings
    }

    /// The sampler.
    pub fn sampler(&self) -> &S {
        &self.sampler
    }

    /// Objective evaluations told so far.
    pub fn evaluations(&self) -> u64 {
        self.evaluations
    }

    /// Told values that were NaN (ranked as +∞).
    pub fn nan_evaluations(&self) -> u64 {
        self.nan_evaluations
    }

    /// Points asked and not yet told.
    pub fn in_flight(&self) -> u64 {
        self.in_flight
    }

    /// Every value so far.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The lowest value observed so far (+∞ before any).
    pub fn best_value(&self) -> f64 {
        self.best_value
    }

    /// The sampler's recommendation, once anything was told.
    pub fn best(&self) -> Option<&Evaluated<S::Solution>> {
        self.sampler.best()
    }

    /// Wall time spent in the run so far, over all its resumed parts.
    pub fn elapsed(&self) -> Duration {
        self.clock
            .map_or(self.elapsed, |c| c.before + c.started.elapsed())
    }

    /// Why the run stopped, if the latest check found a rule that holds.
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.stop
    }

    /// The next point to evaluate, or `None` when the run is over or must wait for
    /// points in flight ([`Ledger::stop_reason`] tells which). The first call opens the
    /// run: the sampler learns the budget and the known warm-start solutions.
    pub fn ask(&mut self) -> Option<S::Solution> {
        match self.step() {
            Step::Evaluate(x) => Some(x),
            Step::Stop(_) | Step::Wait => None,
        }
    }

    /// Records the value of an asked point and checks the stopping rules; returns the
    /// reason when one fires.
    ///
    /// A point that is not a point of the sampler's space (another length, outside the
    /// bounds: [`Sampler::check_point`]) is ignored — not counted, not told, still in
    /// flight — as it cannot be the point the ledger handed out; [`Ledger::try_tell`]
    /// says why.
    pub fn tell(&mut self, x: S::Solution, value: f64) -> Option<StopReason> {
        self.tell_with(x, value, &mut Callbacks::none())
    }

    /// [`Ledger::tell`] with the caller's criterion and observer.
    pub fn tell_with(
        &mut self,
        x: S::Solution,
        value: f64,
        callbacks: &mut Callbacks<'_, S::Solution>,
    ) -> Option<StopReason> {
        if self.sampler.check_point(&x, "the told point").is_err() {
            return self.stop;
        }
        self.record(x, value, callbacks);
        self.check(callbacks)
    }

    /// [`Ledger::tell`], with an error for a point that is not a point of the sampler's
    /// space (nothing is recorded then).
    ///
    /// ```
    /// use zoo_core::{Ledger, RandomSearch, Space, StateError};
    ///
    /// let mut ledger = Ledger::new(RandomSearch::new(Space::cube(3, -1.0, 1.0)?)).budget(10);
    /// let x = ledger.ask().expect("a point");
    /// assert!(matches!(ledger.try_tell(vec![0.5, 0.5], 1.0), Err(StateError::Point { .. })));
    /// assert!(ledger.try_tell(vec![9.0, 0.0, 0.0], 1.0).is_err());
    /// assert_eq!(ledger.evaluations(), 0);
    /// assert_eq!(ledger.try_tell(x, 1.0)?, None);
    /// assert_eq!(ledger.evaluations(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_tell(&mut self, x: S::Solution, value: f64) -> Result<Option<StopReason>, StateError> {
        self.sampler.check_point(&x, "the told point")?;
        self.record(x, value, &mut Callbacks::none());
        Ok(self.check(&mut Callbacks::none()))
    }

    /// Tells the sampler a solution evaluated outside the run (a warm start in the
    /// middle of a run): no budget is spent, nothing is added to the history. A point
    /// that is not a point of the sampler's space is refused ([`Sampler::check_point`]).
    pub fn tell_known(&mut self, x: S::Solution, value: f64) -> Result<(), StateError> {
        self.sampler.check_point(&x, "the known solution")?;
        self.open();
        self.note_best(value);
        self.sampler.tell(x, ranked(value));
        Ok(())
    }

    /// Gives up an asked point that will never be evaluated: it leaves the points in
    /// flight and is told to the sampler as +∞ (so that no sampler waits for it), without
    /// spending budget.
    pub fn discard(&mut self, x: S::Solution) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.sampler.tell(x, f64::INFINITY);
    }

    /// Forgets one point in flight without telling the sampler (its evaluation failed
    /// and the run stops).
    pub(crate) fn abandon(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// What to do next: a point to evaluate, a stop, or wait for points in flight. Checks
    /// every rule but the caller's criterion (checked when values are told).
    pub fn step(&mut self) -> Step<S::Solution> {
        self.open();
        if let Some(reason) = self.fixed_rules() {
            self.stop = Some(reason);
            return Step::Stop(reason);
        }
        if self.evaluations.saturating_add(self.in_flight) >= self.settings.budget {
            return Step::Wait;
        }
        let proposal = match self.warm_unevaluated.pop_front() {
            Some(x) => Some(x),
            None => {
                let rng = self
                    .rng
                    .get_or_insert_with(|| ZooRng::seed_from(self.settings.seed));
                self.sampler.ask(rng)
            }
        };
        match proposal {
            Some(x) => {
                self.in_flight += 1;
                Step::Evaluate(x)
            }
            None if self.in_flight > 0 => Step::Wait,
            None => {
                self.stop = Some(StopReason::Exhausted);
                Step::Stop(StopReason::Exhausted)
            }
        }
    }

    /// Counts one finished evaluation of an asked point, tells the sampler, and calls the
    /// observer when due; the rules are not checked (batch drivers check between batches).
    pub fn record(&mut self, x: S::Solution, value: f64, callbacks: &mut Callbacks<'_, S::Solution>) {
        self.open();
        self.in_flight = self.in_flight.saturating_sub(1);
        self.evaluations = self.evaluations.saturating_add(1);
        if value.is_nan() {
            self.nan_evaluations = self.nan_evaluations.saturating_add(1);
        }
        self.history.push(value);
        self.note_best(value);
        self.sampler.tell(x, ranked(value));
        if let Some((every, observer)) = callbacks.observer.as_mut()
            && self.evaluations.is_multiple_of(*every)
        {
            observer(&progress(self));
        }
    }

    /// Checks every stopping rule, the caller's criterion last; returns (and remembers)
    /// the reason of the first that holds.
    pub fn check(&mut self, callbacks: &mut Callbacks<'_, S::Solution>) -> Option<StopReason> {
        self.open();
        let mut reason = self.fixed_rules();
        if reason.is_none()
            && self.evaluations > 0
            && let Some(criterion) = callbacks.criterion.as_mut()
            && criterion(&progress(self))
        {
            reason = Some(StopReason::Criterion);
        }
        self.stop = reason;
        reason
    }

    /// Stops the wall clock of the current part, so that time between parts (a paused
    /// run, a saved checkpoint) does not count. The next call that asks or tells starts a
    /// new part.
    pub fn pause_clock(&mut self) {
        self.elapsed = self.elapsed();
        self.clock = None;
    }

    /// The outcome: the sampler's recommendation, the counts, the history, why the run
    /// stopped ([`StopReason::Caller`] when no rule fired), and the sampler itself.
    pub fn finish(mut self) -> Result<Outcome<S>, RunError<S::Solution>> {
        if self.settings.budget == 0 {
            return Err(RunError::ZeroBudget);
        }
        self.pause_clock();
        let best = self.sampler.best().cloned().ok_or(RunError::NothingEvaluated)?;
        Ok(Outcome {
            best,
            evaluations: self.evaluations,
            nan_evaluations: self.nan_evaluations,
            stop: self.stop.unwrap_or(StopReason::Caller),
            history: self.history,
            elapsed: self.elapsed,
            sampler: self.sampler,
        })
    }

    /// The error for a run that ended in `reason` without any evaluation, if that is the
    /// case.
    pub(crate) fn nothing_evaluated(&self, reason: Option<StopReason>) -> bool {
        matches!(reason, Some(StopReason::Exhausted)) && self.sampler.best().is_none()
    }

    /// Opens the run on first use (the sampler learns the budget, then the known
    /// solutions) and starts the clock of the current part.
    fn open(&mut self) {
        if self.rng.is_none() {
            self.sampler.start(self.settings.budget);
            for known in std::mem::take(&mut self.warm_evaluated) {
                self.note_best(known.value);
                self.sampler.tell(known.x, ranked(known.value));
            }
            self.rng = Some(ZooRng::seed_from(self.settings.seed));
        }
        if self.clock.is_none() {
            self.clock = Some(Clock {
                started: Instant::now(),
                before: self.elapsed,
            });
        }
    }

    fn note_best(&mut self, value: f64) {
        let value = ranked(value);
        if value < self.best_value {
            self.best_value = value;
            self.since_improvement = 0;
        } else {
            self.since_improvement = self.since_improvement.saturating_add(1);
        }
    }

    /// The rules that need no caller code: budget, target, time limit, patience.
    fn fixed_rules(&mut self) -> Option<StopReason> {
        self.elapsed = self.elapsed();
        let settings = &self.settings;
        if self.evaluations >= settings.budget {
            return Some(StopReason::Budget);
        }
        if self.evaluations == 0 {
            return None;
        }
        if settings.target.is_some_and(|t| self.best_value <= t) {
            return Some(StopReason::Target);
        }
        if settings.time_limit.is_some_and(|t| self.elapsed >= t) {
            return Some(StopReason::TimeLimit);
        }
        if settings.patience.is_some_and(|p| self.since_improvement >= p) {
            return Some(StopReason::Patience);
        }
        None
    }
}

fn progress<S: Sampler>(ledger: &Ledger<S>) -> Progress<'_, S::Solution> {
    Progress {
        evaluations: ledger.evaluations,
        budget: ledger.settings.budget,
        best: ledger.sampler.best(),
        best_value: ledger.best_value,
        since_improvement: ledger.since_improvement,
        elapsed: ledger.elapsed,
        history: &ledger.history,
    }
}

/// The result of a finished run, with the sampler that produced it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(
    serialize = "S: Serialize, S::Solution: Serialize",
    deserialize = "S: DeserializeOwned, S::Solution: DeserializeOwned"
))]
pub struct Outcome<S: Sampler> {
    /// The sampler's recommendation (for plain samplers, the best evaluated solution).
    pub best: Evaluated<S::Solution>,
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
    /// The sampler as the run left it, for inspection (its model, its counters) or to
    /// continue in another run.
    pub sampler: S,
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::{RandomSearch, Space};

    fn ledger(budget: u64) -> Ledger<RandomSearch> {
        Ledger::new(RandomSearch::new(Space::cube(2, -1.0, 1.0).unwrap()))
            .budget(budget)
            .seed(3)
    }

    #[test]
    fn never_hands_out_more_points_than_the_budget() {
        let mut ledger = ledger(3);
        let asked: Vec<_> = std::iter::from_fn(|| ledger.ask()).collect();
        assert_eq!(asked.len(), 3);
        assert_eq!(ledger.in_flight(), 3);
        assert_eq!(ledger.step(), Step::Wait);
        for x in asked {
            ledger.tell(x, 1.0);
        }
        assert_eq!(ledger.step(), Step::Stop(StopReason::Budget));
        assert_eq!(ledger.evaluations(), 3);
    }

    #[test]
    fn tell_reports_the_rule_that_fires() {
        let mut ledger = ledger(10).target(0.5);
        let x = ledger.ask().unwrap();
        assert_eq!(ledger.tell(x, 0.7), None);
        let x = ledger.ask().unwrap();
        assert_eq!(ledger.tell(x, 0.2), Some(StopReason::Target));
        assert_eq!(ledger.stop_reason(), Some(StopReason::Target));
        assert_eq!(ledger.ask(), None);
        assert_eq!(ledger.finish().unwrap().stop, StopReason::Target);
    }

    #[test]
    fn patience_counts_told_values_without_improvement() {
        let mut ledger = ledger(100).patience(2);
        let mut stops = Vec::new();
        for v in [3.0, 2.0, 2.5, 2.5] {
            let x = ledger.ask().unwrap();
            stops.push(ledger.tell(x, v));
        }
        assert_eq!(stops, [None, None, None, Some(StopReason::Patience)]);
    }

    #[test]
    fn criterion_sees_progress_and_stops() {
        let mut ledger = ledger(100);
        let mut callbacks = Callbacks::none().stop_when(|p| p.evaluations >= 4);
        let mut evaluations = 0;
        while let Some(x) = ledger.ask() {
            evaluations += 1;
            if ledger.tell_with(x, 1.0, &mut callbacks).is_some() {
                break;
            }
        }
        assert_eq!(evaluations, 4);
        assert_eq!(ledger.stop_reason(), Some(StopReason::Criterion));
    }

    #[test]
    fn known_solutions_spend_no_budget_and_open_the_run() {
        let mut ledger = ledger(2).warm_start_evaluated([(vec![0.1, 0.1], 0.02)]);
        assert_eq!(ledger.best().map(|b| b.value), None);
        let x = ledger.ask().unwrap();
        assert_eq!(ledger.best().map(|b| b.value), Some(0.02));
        ledger.tell(x, 5.0);
        ledger.tell_known(vec![0.0, 0.0], 0.0).unwrap();
        assert!(matches!(
            ledger.tell_known(vec![0.0], 0.0),
            Err(StateError::Point { .. })
        ));
        assert_eq!(ledger.evaluations(), 1);
        assert_eq!(ledger.history().len(), 1);
        assert_eq!(ledger.best_value(), 0.0);
    }

    #[test]
    fn discarded_points_free_their_budget() {
        let mut ledger = ledger(1);
        let x = ledger.ask().unwrap();
        assert_eq!(ledger.step(), Step::Wait);
        ledger.discard(x);
        assert_eq!(ledger.in_flight(), 0);
        assert!(ledger.ask().is_some());
    }

    #[test]
    fn a_finished_run_without_values_is_an_error() {
        assert!(matches!(ledger(0).finish(), Err(RunError::ZeroBudget)));
        assert!(matches!(ledger(5).finish(), Err(RunError::NothingEvaluated)));
    }

    #[test]
    fn unfinished_runs_end_for_the_caller() {
        let mut ledger = ledger(5);
        let x = ledger.ask().unwrap();
        ledger.tell(x, 1.0);
        let outcome = ledger.finish().unwrap();
        assert_eq!(outcome.stop, StopReason::Caller);
        assert_eq!(outcome.evaluations, 1);
        assert_eq!(outcome.sampler.best().unwrap().value, 1.0);
    }

    #[test]
    fn stop_reasons_serialise_by_name() {
        for reason in [StopReason::Budget, StopReason::TimeLimit, StopReason::Caller] {
            let json = serde_json::to_string(&reason).unwrap();
            assert_eq!(json, format!("\"{}\"", reason.name()));
        }
    }

    #[test]
    fn checkpoint_continues_identically() {
        let mut whole = ledger(40);
        let mut values = Vec::new();
        while let Some(x) = whole.ask() {
            let v = x[0] * x[0] + x[1];
            values.push(v);
            whole.tell(x, v);
        }
        let mut part = ledger(40);
        for _ in 0..17 {
            let x = part.ask().unwrap();
            let v = x[0] * x[0] + x[1];
            part.tell(x, v);
        }
        let json = serde_json::to_string(&part).unwrap();
        let mut resumed: Ledger<RandomSearch> = serde_json::from_str(&json).unwrap();
        while let Some(x) = resumed.ask() {
            let v = x[0] * x[0] + x[1];
            resumed.tell(x, v);
        }
        assert_eq!(resumed.history().values(), values.as_slice());
    }
}
