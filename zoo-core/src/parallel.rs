//! Parallel evaluation — several objective evaluations at once, for any sampler.
//!
//! The sampler stays single-threaded in the calling ("driver") thread: it asks, it is
//! told, and the stopping rules, history and budget are handled exactly as in the
//! sequential loop of [`Minimize`]. Only the objective runs on worker threads, which
//! is why a parallel run needs a `Sync` objective. Two modes:
//!
//! - [`Parallel::Batch`]: ask `size` points, evaluate them on the workers, tell their
//!   values in ask order, repeat. The sampler sees exactly the same sequence of asks and
//!   tells whatever the thread count, so a seed gives the same result with 1, 2 or 64
//!   threads (time limits aside).
//! - [`Parallel::Async`]: keep every worker busy; whenever one finishes, tell its value
//!   and ask the next point from the sampler's latest state. This is ZOOpt's
//!   asynchronous parallel SRACOS (ASRacos) generalised to any sampler: no worker waits
//!   for a slow sibling, but the order of tells follows the order in which evaluations
//!   complete, so results vary from run to run unless there is a single thread.
//!
//! Workers are scoped threads owned by the run: they are started when the run starts
//! and joined before it returns, on every path (budget, any stopping rule, a panicking
//! objective, even a panicking sampler), so no thread outlives a call.
//!
//! References:
//! - Y.-R. Liu, Y.-Q. Hu, H. Qian, C. Qian, Y. Yu. *ZOOpt: Toolbox for Derivative-Free
//!   Optimization*. SCIENCE CHINA Information Sciences, 2022 (arXiv:1801.00329) — the
//!   asynchronous parallel SRACOS of ZOOpt 0.3.

use std::collections::VecDeque;
use std::num::NonZero;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ScopedJoinHandle};
use std::time::Instant;

use crate::error::RunError;
use crate::ledger::{Callbacks, Ledger, Outcome, Step, StopReason};
use crate::run::{Minimize, panic_message};
use crate::sampler::{Objective, Sampler, Solution};

/// How a parallel run hands out evaluations to its worker threads.
///
/// | mode | what the sampler sees | reproducible with a seed | idle workers |
/// | --- | --- | --- | --- |
/// | `Batch { size }` | `size` asks, then `size` tells in ask order | yes, for any thread count | while the slowest evaluation of a batch finishes |
/// | `Async` | one tell (in completion order) then one ask, per finished evaluation | only with one thread | never |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Parallel {
    /// Ask `size` points, evaluate them concurrently, tell them in ask order. The result
    /// for a seed depends on `size`, never on the thread count. `size` 0 counts as 1;
    /// a size that is a multiple of the thread count keeps every worker busy.
    Batch {
        /// Points asked (and told) together.
        size: usize,
    },
    /// One evaluation per worker in flight at all times; every finished evaluation is
    /// told at once and replaced by a point asked from the latest state.
    Async,
}

impl Default for Parallel {
    /// [`Parallel::Async`].
    fn default() -> Self {
        Parallel::Async
    }
}

impl<'a, O, S> Minimize<'a, O, S>
where
    S: Sampler,
    S::Solution: Send,
    O: Objective<<S::Solution as Solution>::View> + Sync,
{
    /// Evaluates on `threads` worker threads (0: one per available core), in
    /// [`Parallel::Async`] mode unless [`Threaded::parallel`] picks another. Set the budget
    /// and stopping rules before this call.
    ///
    /// ```
    /// use zoo_core::{Minimize, Parallel, RandomSearch, Space};
    ///
    /// let sphere = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>();
    /// let outcome = Minimize::new(sphere, RandomSearch::new(Space::cube(5, -1.0, 1.0)?))
    ///     .budget(400)
    ///     .seed(3)
    ///     .threads(2)
    ///     .parallel(Parallel::Batch { size: 8 })
    ///     .run()?;
    /// assert_eq!(outcome.evaluations, 400);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn threads(self, threads: usize) -> Threaded<'a, O, S> {
        Threaded::from_run(self, threads, Parallel::default())
    }

    /// Evaluates in parallel in `mode`, on one worker thread per available core unless
    /// [`Threaded::threads`] says otherwise. Set the budget and stopping rules before this
    /// call.
    pub fn parallel(self, mode: Parallel) -> Threaded<'a, O, S> {
        Threaded::from_run(self, 0, mode)
    }
}

/// A [`Minimize`] run whose objective evaluations happen on worker threads; built by
/// [`Minimize::threads`] or [`Minimize::parallel`].
///
/// Everything the sequential loop guarantees holds here too:
///
/// - **Budget**: evaluations in flight count against it; a run never starts an
///   evaluation that could take it past the budget (nor past an [`Threaded::advance`]
///   pause point).
/// - **Stopping rules** (target, time limit, patience, criterion) are checked in the
///   driver after every told value in async mode and after every batch in batch mode.
///   When one fires, no new evaluation starts, queued ones are discarded, and those
///   already running are awaited (an evaluation cannot be interrupted) and recorded:
///   they were paid for. A run therefore returns at most one evaluation's duration after
///   its rule fired, with every worker joined. A time limit also makes workers skip
///   queued points once it has passed (after the run's first evaluation, as in the
///   sequential loop).
/// - **History**: every value the objective returned, in the order it was told — the
///   completion order in async mode, the ask order within each batch in batch mode.
///   Discarded points were never evaluated and appear nowhere.
/// - **NaN** is ranked as +∞ and counted, as in the sequential loop.
/// - **A panicking objective** stops the run: no new evaluation starts, running ones are
///   awaited and recorded, and the run returns [`RunError::ObjectivePanicked`] with the
///   best solution so far.
/// - **Checkpoints**: [`Threaded::ledger`] and [`Threaded::into_ledger`] give the same
///   [`Ledger`] as a sequential run (nothing is in flight between calls), and any
///   state resumes sequentially or in parallel.
///
/// With one thread both modes reproduce the sequential run exactly, and so does
/// `Batch { size: 1 }` with any thread count. The sampler, the stopping criterion and the
/// progress observer run in the calling thread only, so none of them needs to be `Send`.
///
/// | setting | default | meaning | range |
/// | --- | --- | --- | --- |
/// | [`threads`](Threaded::threads) | as given to [`Minimize::threads`]; one per available core after [`Minimize::parallel`] | worker threads evaluating the objective (never more than evaluations left) | 0 (= one per available core) or more |
/// | [`parallel`](Threaded::parallel) | [`Parallel::Async`] | how evaluations are handed out | `Async`, `Batch { size ≥ 1 }` |
pub struct Threaded<'a, O, S: Sampler> {
    objective: O,
    ledger: Ledger<S>,
    callbacks: Callbacks<'a, S::Solution>,
    threads: usize,
    mode: Parallel,
}

impl<'a, O, S> Threaded<'a, O, S>
where
    S: Sampler,
    S::Solution: Send,
    O: Objective<<S::Solution as Solution>::View> + Sync,
{
    fn from_run(run: Minimize<'a, O, S>, threads: usize, mode: Parallel) -> Self {
        let Minimize {
            objective,
            ledger,
            callbacks,
        } = run;
        Threaded {
            objective,
            ledger,
            callbacks,
            threads,
            mode,
        }
    }

    /// Number of worker threads (0: one per available core).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// How evaluations are handed out (default [`Parallel::Async`]).
    pub fn parallel(mut self, mode: Parallel) -> Self {
        self.mode = mode;
        self
    }

    /// Runs until a stopping rule fires. Every worker thread has been joined when this
    /// returns.
    ///
    /// When the operating system cannot start a worker thread, the run returns
    /// [`RunError::ThreadSpawn`] before any evaluation.
    ///
    /// # Panics
    ///
    /// When the sampler or a callback panics; the workers are joined first.
    pub fn run(mut self) -> Result<Outcome<S>, RunError<S::Solution>> {
        self.drive(None)?;
        self.ledger.finish()
    }

    /// Runs until `evaluations` evaluations have been spent in total, or a stopping rule
    /// fires first (then its reason is returned); see [`Minimize::advance`]. Nothing is
    /// left in flight when it returns.
    ///
    /// In batch mode the pause point must be a batch border (a multiple of the batch
    /// size) or the budget: a batch cut short would make the resumed run ask and learn
    /// in another order than the uninterrupted one, so such a pause is refused with
    /// [`RunError::PauseOffBatchBorder`] before anything runs.
    pub fn advance(&mut self, evaluations: u64) -> Result<Option<StopReason>, RunError<S::Solution>> {
        if let Parallel::Batch { size } = self.mode {
            let size = size.max(1) as u64;
            if evaluations < self.ledger.settings().budget && !evaluations.is_multiple_of(size) {
                return Err(RunError::PauseOffBatchBorder {
                    pause_at: evaluations,
                    size,
                });
            }
        }
        self.drive(Some(evaluations))
    }

    /// The run's ledger (the sampler, counts, history), for inspection or checkpointing.
    pub fn ledger(&self) -> &Ledger<S> {
        &self.ledger
    }

    /// Gives up the objective and returns the ledger, for checkpointing.
    pub fn into_ledger(self) -> Ledger<S> {
        self.ledger
    }

    /// The worker count for this call: never more than there are evaluations to do.
    fn workers(&self, pause_at: Option<u64>) -> usize {
        let threads = match self.threads {
            0 => thread::available_parallelism().map_or(1, NonZero::get),
            n => n,
        };
        let budget = self.ledger.settings().budget;
        let until = pause_at.map_or(budget, |p| p.min(budget));
        let remaining =
            usize::try_from(until.saturating_sub(self.ledger.evaluations())).unwrap_or(usize::MAX);
        let per_step = match self.mode {
            Parallel::Batch { size } => size.max(1),
            Parallel::Async => usize::MAX,
        };
        threads.min(per_step).min(remaining).max(1)
    }

    fn drive(&mut self, pause_at: Option<u64>) -> Result<Option<StopReason>, RunError<S::Solution>> {
        if self.ledger.settings().budget == 0 {
            return Err(RunError::ZeroBudget);
        }
        self.ledger.ensure_valid()?;
        let workers = self.workers(pause_at);
        // Opens the run (the sampler learns the budget and the known solutions) and
        // starts this part's clock, as the sequential loop does.
        let stop = self.ledger.check(&mut self.callbacks);
        let started = Instant::now();
        let deadline = self
            .ledger
            .settings()
            .time_limit
            .and_then(|limit| started.checked_add(limit.saturating_sub(self.ledger.elapsed())));
        let mode = self.mode;
        let pool = Pool::new(deadline, self.ledger.evaluations() > 0);
        let ledger = &mut self.ledger;
        let callbacks = &mut self.callbacks;
        let served = pool.serve(&self.objective, workers, |pool, finished| {
            let driver = Driver {
                ledger,
                callbacks,
                pool,
                finished,
                pause_at,
                stop,
            };
            match mode {
                Parallel::Batch { size } => driver.batches(size.max(1)),
                Parallel::Async => driver.asynchronous(workers),
            }
        });
        let result = served.unwrap_or_else(|e| {
            Err(RunError::ThreadSpawn {
                message: e.to_string(),
            })
        });
        self.ledger.pause_clock();
        if matches!(result, Ok(reason) if self.ledger.nothing_evaluated(reason)) {
            return Err(RunError::NothingEvaluated);
        }
        result
    }
}

/// The driver thread's view of one `drive` call.
struct Driver<'d, 'a, S: Sampler> {
    ledger: &'d mut Ledger<S>,
    callbacks: &'d mut Callbacks<'a, S::Solution>,
    pool: &'d Pool<S::Solution>,
    finished: &'d Receiver<Done<S::Solution>>,
    pause_at: Option<u64>,
    /// The rule found by the check that opened this part of the run.
    stop: Option<StopReason>,
}

impl<S: Sampler> Driver<'_, '_, S> {
    /// Evaluations started or finished may not pass this.
    fn limit(&self) -> u64 {
        let budget = self.ledger.settings().budget;
        self.pause_at.map_or(budget, |p| p.min(budget))
    }

    /// The next finished point, blocking. Workers outlive the driver (they run until the
    /// pool is closed and never unwind), so every submitted point reports back.
    fn next_done(&self) -> Done<S::Solution> {
        self.finished
            .recv()
            .expect("worker threads run until the pool is closed")
    }

    fn panicked(&self, message: String) -> RunError<S::Solution> {
        RunError::ObjectivePanicked {
            message,
            evaluations: self.ledger.evaluations(),
            best: self.ledger.best().cloned(),
        }
    }

    /// Batch mode: ask a batch, evaluate it, tell it in ask order; stop checks between
    /// batches only, so that they see the same states whatever the thread count.
    fn batches(self, size: usize) -> Result<Option<StopReason>, RunError<S::Solution>> {
        let mut stop = self.stop;
        loop {
            if stop.is_some() {
                return Ok(stop);
            }
            let spent = self.ledger.evaluations();
            if self.pause_at.is_some_and(|n| spent >= n) {
                return Ok(None);
            }
            let room = usize::try_from(self.limit().saturating_sub(spent)).map_or(size, |r| r.min(size));
            let mut asked = 0;
            let mut refused = StopReason::Exhausted;
            while asked < room {
                match self.ledger.step() {
                    Step::Evaluate(x) => {
                        self.pool.submit(asked, x);
                        asked += 1;
                    }
                    Step::Stop(reason) => {
                        refused = reason;
                        break;
                    }
                    Step::Wait => break,
                }
            }
            if asked == 0 {
                return Ok(Some(refused));
            }
            let mut values: Vec<Option<(S::Solution, f64)>> = (0..asked).map(|_| None).collect();
            // Of several panics in one batch, report the earliest point's, whichever
            // thread got there first.
            let mut panic: Option<(usize, String)> = None;
            let mut lost = 0;
            for _ in 0..asked {
                match self.next_done() {
                    // Index: slots are the positions 0..asked this batch submitted.
                    Done::Value { slot, x, value } => values[slot] = Some((x, value)),
                    Done::Skipped => lost += 1,
                    Done::Panicked { slot, message } => {
                        lost += 1;
                        if panic.as_ref().is_none_or(|(first, _)| slot < *first) {
                            panic = Some((slot, message));
                        }
                    }
                }
            }
            for (x, value) in values.into_iter().flatten() {
                self.ledger.record(x, value, self.callbacks);
            }
            for _ in 0..lost {
                self.ledger.abandon();
            }
            if let Some((_, message)) = panic {
                return Err(self.panicked(message));
            }
            stop = self.ledger.check(self.callbacks);
        }
    }

    /// Async mode: one point in flight per worker; tell each value as it arrives, check
    /// the stopping rules, ask the replacement from the latest state.
    fn asynchronous(self, workers: usize) -> Result<Option<StopReason>, RunError<S::Solution>> {
        let mut in_flight = 0usize;
        let mut slot = 0usize;
        // `Some` once the run's end is decided: the reason (`None` for a pause).
        let mut end: Option<Option<StopReason>> = self.stop.map(Some);
        let mut panic: Option<String> = None;
        loop {
            if end.is_none() {
                let mut refused = None;
                while in_flight < workers
                    && self.ledger.evaluations().saturating_add(in_flight as u64) < self.limit()
                {
                    match self.ledger.step() {
                        Step::Evaluate(x) => {
                            self.pool.submit(slot, x);
                            slot += 1;
                            in_flight += 1;
                        }
                        Step::Stop(reason) => {
                            refused = Some(reason);
                            break;
                        }
                        // The sampler may have new points once the running ones are
                        // told.
                        Step::Wait => break,
                    }
                }
                if in_flight == 0 {
                    // Nothing could start: exhausted, or at the pause point (the budget
                    // and the other rules were checked above).
                    end = Some(refused);
                }
            }
            if in_flight == 0 {
                break;
            }
            if end.is_some() {
                self.pool.cancel();
            }
            match self.next_done() {
                Done::Value { x, value, .. } => {
                    self.ledger.record(x, value, self.callbacks);
                    if end.is_none() {
                        end = self.ledger.check(self.callbacks).map(Some);
                    }
                }
                Done::Skipped => self.ledger.abandon(),
                Done::Panicked { message, .. } => {
                    self.ledger.abandon();
                    panic.get_or_insert(message);
                    end.get_or_insert(None);
                }
            }
            in_flight -= 1;
        }
        match panic {
            Some(message) => Err(self.panicked(message)),
            None => Ok(end.flatten()),
        }
    }
}

/// What a worker reports for one point.
enum Done<P> {
    /// The objective returned `value` at `x`.
    Value { slot: usize, x: P, value: f64 },
    /// The point was discarded before its evaluation started.
    Skipped,
    /// The objective panicked at the point.
    Panicked { slot: usize, message: String },
}

/// The worker pool of one `drive` call: a queue of points in, a channel of results out.
struct Pool<P> {
    queue: Mutex<Queue<P>>,
    ready: Condvar,
    /// Set when the run ends or an evaluation panicked: queued points are discarded.
    cancelled: AtomicBool,
    /// Queued points are discarded after this instant once the run has an evaluation.
    deadline: Option<Instant>,
    evaluated_any: AtomicBool,
}

struct Queue<P> {
    points: VecDeque<(usize, P)>,
    closed: bool,
}

impl<P> Pool<P> {
    fn new(deadline: Option<Instant>, evaluated_any: bool) -> Self {
        Pool {
            queue: Mutex::new(Queue {
                points: VecDeque::new(),
                closed: false,
            }),
            ready: Condvar::new(),
            cancelled: AtomicBool::new(false),
            deadline,
            evaluated_any: AtomicBool::new(evaluated_any),
        }
    }

    fn queue(&self) -> MutexGuard<'_, Queue<P>> {
        // Nothing panics while holding the lock; recover from poisoning regardless.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn submit(&self, slot: usize, x: P) {
        self.queue().points.push_back((slot, x));
        self.ready.notify_one();
    }

    fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    /// Ends the workers' loops once the queue is empty (queued points are discarded).
    fn close(&self) {
        self.cancel();
        self.queue().closed = true;
        self.ready.notify_all();
    }

    /// The next point for a worker, or `None` when the pool is closed.
    fn take(&self) -> Option<(usize, P)> {
        let mut queue = self.queue();
        loop {
            if let Some(job) = queue.points.pop_front() {
                return Some(job);
            }
            if queue.closed {
                return None;
            }
            queue = self.ready.wait(queue).unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn discards(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
            || (self.evaluated_any.load(Ordering::SeqCst)
                && self.deadline.is_some_and(|d| Instant::now() >= d))
    }
}

impl<P: Solution + Send> Pool<P> {
    fn work<O: Objective<P::View> + Sync + ?Sized>(&self, objective: &O, done: Sender<Done<P>>) {
        while let Some((slot, x)) = self.take() {
            let report = if self.discards() {
                Done::Skipped
            } else {
                match catch_unwind(AssertUnwindSafe(|| objective.evaluate(x.view()))) {
                    Ok(value) => {
                        self.evaluated_any.store(true, Ordering::SeqCst);
                        Done::Value { slot, x, value }
                    }
                    Err(payload) => {
                        self.cancel();
                        Done::Panicked {
                            slot,
                            message: panic_message(payload.as_ref()),
                        }
                    }
                }
            };
            if done.send(report).is_err() {
                break;
            }
        }
    }

    /// Starts `workers` scoped threads on `objective`, runs `drive` in the calling
    /// thread with the channel of finished points, then closes the queue and joins every
    /// worker — also when `drive` panics.
    /// When the operating system refuses a thread, the ones started are joined and its
    /// error is returned; nothing was evaluated.
    fn serve<O, R>(
        &self,
        objective: &O,
        workers: usize,
        drive: impl FnOnce(&Self, &Receiver<Done<P>>) -> R,
    ) -> Result<R, std::io::Error>
    where
        O: Objective<P::View> + Sync + ?Sized,
    {
        let (done, finished) = channel();
        thread::scope(|scope| {
            let mut crew = Crew {
                pool: self,
                handles: Vec::with_capacity(workers),
            };
            for i in 0..workers {
                let done = done.clone();
                let handle = thread::Builder::new()
                    .name(format!("zoo-worker-{i}"))
                    .spawn_scoped(scope, move || self.work(objective, done))?;
                crew.handles.push(handle);
            }
            drop(done);
            let result = drive(self, &finished);
            drop(crew);
            Ok(result)
        })
    }
}

/// The running workers. Dropping it — after the driver returns, or while it unwinds
/// from a panic — closes the pool, which ends the workers' loops, and joins every
/// thread. The scope would join them too, but joining here also waits until each
/// thread has fully exited, thread-local destructors included.
struct Crew<'scope, 'p, P> {
    pool: &'p Pool<P>,
    handles: Vec<ScopedJoinHandle<'scope, ()>>,
}

impl<P> Drop for Crew<'_, '_, P> {
    fn drop(&mut self) {
        self.pool.close();
        for handle in self.handles.drain(..) {
            // Workers catch the objective's panics, so a join never reports one.
            let _ = handle.join();
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::{RandomSearch, Space};

    fn sphere(x: &[f64]) -> f64 {
        x.iter().map(|v| v * v).sum()
    }

    fn sequential(seed: u64) -> Outcome<RandomSearch> {
        Minimize::new(sphere, RandomSearch::new(Space::cube(3, -1.0, 1.0).unwrap()))
            .budget(97)
            .seed(seed)
            .run()
            .unwrap()
    }

    #[test]
    fn one_thread_async_reproduces_the_sequential_run() {
        let parallel = Minimize::new(sphere, RandomSearch::new(Space::cube(3, -1.0, 1.0).unwrap()))
            .budget(97)
            .seed(5)
            .threads(1)
            .run()
            .unwrap();
        let sequential = sequential(5);
        assert_eq!(parallel.history, sequential.history);
        assert_eq!(parallel.best, sequential.best);
    }

    #[test]
    fn batch_of_one_reproduces_the_sequential_run_on_many_threads() {
        let parallel = Minimize::new(sphere, RandomSearch::new(Space::cube(3, -1.0, 1.0).unwrap()))
            .budget(97)
            .seed(6)
            .threads(3)
            .parallel(Parallel::Batch { size: 1 })
            .run()
            .unwrap();
        let sequential = sequential(6);
        assert_eq!(parallel.history, sequential.history);
        assert_eq!(parallel.best, sequential.best);
    }

    #[test]
    fn zero_budget_is_rejected() {
        let result = Minimize::new(sphere, RandomSearch::new(Space::cube(1, -1.0, 1.0).unwrap()))
            .threads(2)
            .run();
        assert!(matches!(result, Err(RunError::ZeroBudget)));
    }

    #[test]
    fn worker_count_never_exceeds_remaining_evaluations() {
        let threaded = Minimize::new(sphere, RandomSearch::new(Space::cube(1, -1.0, 1.0).unwrap()))
            .budget(3)
            .threads(8);
        assert_eq!(threaded.workers(None), 3);
        assert_eq!(threaded.workers(Some(2)), 2);
        let batch = threaded.parallel(Parallel::Batch { size: 2 });
        assert_eq!(batch.workers(None), 2);
    }
}
