//! Whole runs with a Python objective: zoo-core's run loop (exact budget, seed, stopping
//! rules, warm starts, history, threads) calling a Python callable.
//!
//! The objective receives a `Solution` built by the Python class it is given (ZOOpt's
//! objectives call `solution.get_x()`): by default a new one per evaluation holding a new
//! list; `RunRules.x_type` and `RunRules.reuse_solution` trade that for speed (see
//! [`RunRules`]). A Python exception raised by the objective (or by
//! a stopping criterion, a progress callback or a constraint) stops the run: it is kept,
//! the run loop is unwound with a private payload (`resume_unwind`, which skips the panic
//! hook, so nothing is printed), and the same exception is raised to the caller with the
//! best solution found so far attached as `_zoo_best = (x, value)` and the evaluation
//! count as `_zoo_evaluations`; the Python layer turns them into `best_solution`.

use std::panic::resume_unwind;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};

use pyo3::exceptions::{PyOverflowError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyFloat, PyInt, PyList, PySlice};
use zoo_core::{Minimize, Objective, Outcome, Parallel, Progress, RunError, Sampler};
use zoo_subset::{Constraint, Ponss, Poss, Subset};

use crate::codec::{Codec, ListTemplate};
use crate::engine::{Engine, EngineSpec};
use crate::observed::{Observed, TrainingView};
use crate::rules::{RunResult, RunRules, XType};

/// The unwinding payload of a run stopped by a Python exception.
struct Aborted;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the objective, the callbacks and the caller share during a run.
#[derive(Default)]
pub(crate) struct Shared {
    failed: AtomicBool,
    error: Mutex<Option<PyErr>>,
    history: Mutex<Vec<f64>>,
    /// The first array the objective returned, if any.
    value_like: Mutex<Option<Py<PyAny>>>,
}

impl Shared {
    /// Keeps the first exception; the run stops at its next check.
    fn fail(&self, e: PyErr) {
        let mut slot = lock(&self.error);
        if slot.is_none() {
            *slot = Some(e);
        }
        self.failed.store(true, Ordering::SeqCst);
    }

    fn failed(&self) -> bool {
        self.failed.load(Ordering::SeqCst)
    }

    fn take_error(&self) -> Option<PyErr> {
        lock(&self.error).take()
    }

    fn history(&self) -> Vec<f64> {
        std::mem::take(&mut *lock(&self.history))
    }

    fn value_like(&self) -> Option<Py<PyAny>> {
        lock(&self.value_like).take()
    }

    /// The float value of what the objective returned, noting the first array.
    fn value_of(&self, v: &Bound<'_, PyAny>) -> PyResult<f64> {
        let (value, array) = number_and_kind(v)?;
        if array {
            let mut like = lock(&self.value_like);
            if like.is_none() {
                *like = Some(v.clone().unbind());
            }
        }
        Ok(value)
    }
}

/// Turns a point into the value a Python `Solution` holds as `x`.
pub(crate) trait ToPython: Send + Sync {
    type Solution;
    fn to_py<'py>(&self, py: Python<'py>, x: &Self::Solution) -> PyResult<Bound<'py, PyAny>>;
}

impl ToPython for Codec {
    type Solution = Vec<f64>;
    fn to_py<'py>(&self, py: Python<'py>, x: &Vec<f64>) -> PyResult<Bound<'py, PyAny>> {
        self.decode(py, x).map(Bound::into_any)
    }
}

/// Subsets become numpy arrays of 0.0/1.0, as in ZOOpt's POSS.
pub(crate) struct SubsetToArray {
    to_array: Py<PyAny>,
}

impl ToPython for SubsetToArray {
    type Solution = Subset;
    fn to_py<'py>(&self, py: Python<'py>, x: &Subset) -> PyResult<Bound<'py, PyAny>> {
        let bits = (0..x.universe()).map(|i| if x.contains(i) { 1.0 } else { 0.0 });
        self.to_array.bind(py).call1((PyList::new(py, bits)?,))
    }
}

/// The float value of what a Python function returned: a number, a numpy scalar, or a
/// one-element numpy array (ZOOpt's noisy examples return those; numpy 2 no longer
/// converts them implicitly).
fn number(v: &Bound<'_, PyAny>) -> PyResult<f64> {
    Ok(number_and_kind(v)?.0)
}

/// The float value, and whether it came from an array (which ZOOpt hands back as it is:
/// the run reports the first one so that values keep that type).
fn number_and_kind(v: &Bound<'_, PyAny>) -> PyResult<(f64, bool)> {
    if let Ok(f) = v.cast::<PyFloat>() {
        return Ok((f.value(), false));
    }
    // Arrays first: numpy deprecates converting them with `float()`.
    if let Ok(ndim) = v
        .getattr(intern!(v.py(), "ndim"))
        .and_then(|d| d.extract::<usize>())
        && let Ok(f) = v
            .call_method0(intern!(v.py(), "item"))
            .and_then(|item| item.extract::<f64>())
    {
        return Ok((f, ndim > 0));
    }
    match v.extract::<f64>() {
        Ok(f) => return Ok((f, false)),
        // An int beyond the float range (`10**400`) is a value beyond every float: it ranks
        // as an infinity of its sign, as an overflowing float computation would give.
        Err(e) if e.is_instance_of::<PyOverflowError>(v.py()) && v.cast::<PyInt>().is_ok() => {
            let infinity = if v.gt(0)? {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            };
            return Ok((infinity, false));
        }
        Err(_) => {}
    }
    Err(PyTypeError::new_err(format!(
        "the function must return a number, got {}",
        v.repr()
            .map_or_else(|_| "an unprintable object".to_owned(), |r| r.to_string())
    )))
}

/// A Python callable `f(Solution) -> number` as an objective (or a constraint).
pub(crate) struct PyFunction<C> {
    func: Py<PyAny>,
    solution_cls: Py<PyAny>,
    conv: Arc<C>,
    shared: Arc<Shared>,
    record: bool,
}

impl<C: ToPython> PyFunction<C> {
    fn call(&self, x: &C::Solution) -> PyResult<f64> {
        Python::attach(|py| {
            let xs = self.conv.to_py(py, x)?;
            let solution = self.solution_cls.bind(py).call1((xs,))?;
            number(&self.func.bind(py).call1((solution,))?)
        })
    }

    /// Evaluates, or unwinds the run loop when anything failed.
    fn evaluate_or_abort(&self, x: &C::Solution) -> f64 {
        if self.shared.failed() {
            resume_unwind(Box::new(Aborted));
        }
        match self.call(x) {
            Ok(v) => {
                if self.record {
                    lock(&self.shared.history).push(v);
                }
                v
            }
            Err(e) => {
                self.shared.fail(e);
                resume_unwind(Box::new(Aborted));
            }
        }
    }
}

/// Builds what the objective receives for each point: a `Solution` of the Python class it
/// is given, whose `x` is a list or a float64 numpy array (`RunRules.x_type`), fresh for
/// each evaluation or recycled (`RunRules.reuse_solution`).
struct Bridge {
    solution_cls: Py<PyAny>,
    codec: Arc<Codec>,
    numpy: Option<Numpy>,
    reuse: bool,
    /// The last point as a list, to copy from (lists only).
    template: Mutex<ListTemplate>,
    /// Solutions whose evaluation ended, to be handed again (`reuse`); one per worker.
    spare: Mutex<Vec<Handed>>,
}

/// What building float64 arrays takes: the array is a view of a `bytearray` holding the
/// coordinates (pyo3's buffer API needs Python ≥ 3.11 under abi3, and this crate has no
/// unsafe code).
struct Numpy {
    frombuffer: Py<PyAny>,
    float64: Py<PyAny>,
    /// `slice(None)`, to write a whole `bytearray` in place.
    all: Py<PySlice>,
}

/// A solution handed to the objective.
struct Handed {
    solution: Py<PyAny>,
    /// Its `x`: the list, or the numpy array.
    x: Py<PyAny>,
    /// The memory of the numpy array.
    bytes: Option<Py<PyByteArray>>,
}

/// `x` as native-endian float64 bytes (what `numpy.float64` reads).
fn write_f64s(buf: &mut [u8], x: &[f64]) {
    for (chunk, v) in buf.chunks_exact_mut(8).zip(x) {
        chunk.copy_from_slice(&v.to_ne_bytes());
    }
}

impl Bridge {
    fn new(py: Python<'_>, solution_cls: Py<PyAny>, codec: Arc<Codec>, rules: &RunRules) -> PyResult<Bridge> {
        let numpy = match rules.x_type {
            XType::List => None,
            XType::Numpy => {
                if !codec.is_numeric() {
                    return Err(PyValueError::new_err(
                        "x_type='numpy' needs a numeric space: categorical dimensions are handed over as lists \
                         (use x_type='list')",
                    ));
                }
                let np = py.import("numpy")?;
                Some(Numpy {
                    frombuffer: np.getattr("frombuffer")?.unbind(),
                    float64: np.getattr("float64")?.unbind(),
                    all: PySlice::full(py).unbind(),
                })
            }
        };
        Ok(Bridge {
            solution_cls,
            codec,
            numpy,
            reuse: rules.reuse_solution,
            template: Mutex::new(ListTemplate::default()),
            spare: Mutex::new(Vec::new()),
        })
    }

    /// A solution holding `x`: a recycled one rewritten in place, or a new one.
    fn hand(&self, py: Python<'_>, x: &[f64]) -> PyResult<Handed> {
        let recycled = if self.reuse { lock(&self.spare).pop() } else { None };
        let Some(handed) = recycled else {
            return self.make(py, x);
        };
        match (&self.numpy, &handed.bytes) {
            (Some(np), Some(bytes)) => {
                let source = PyBytes::new_with(py, 8 * self.codec.len(), |buf| {
                    write_f64s(buf, x);
                    Ok(())
                })?;
                bytes.bind(py).set_item(np.all.bind(py), source)?;
            }
            _ => {
                // Whole: the objective may have changed or resized it. From a copy, as
                // another worker may bring the template to its own point meanwhile.
                let source = self.list_for(py, x)?;
                let list = handed.x.bind(py).cast::<PyList>()?;
                list.set_slice(0, list.len(), source.as_any())?;
            }
        }
        // Undoes a `set_x` by the previous evaluation.
        handed
            .solution
            .bind(py)
            .setattr(intern!(py, "_x"), handed.x.bind(py))?;
        Ok(handed)
    }

    fn make(&self, py: Python<'_>, x: &[f64]) -> PyResult<Handed> {
        let (xs, bytes) = match &self.numpy {
            Some(np) => {
                let bytes = PyByteArray::new_with(py, 8 * self.codec.len(), |buf| {
                    write_f64s(buf, x);
                    Ok(())
                })?;
                let array = np.frombuffer.bind(py).call1((&bytes, np.float64.bind(py)))?;
                (array, Some(bytes.unbind()))
            }
            None => (self.list_for(py, x)?.into_any(), None),
        };
        let solution = self.solution_cls.bind(py).call1((&xs,))?;
        Ok(Handed {
            solution: solution.unbind(),
            x: xs.unbind(),
            bytes,
        })
    }

    /// A new list for `x`, copied from the last point's when no other worker is using
    /// that template, built whole otherwise: waiting for the lock while attached to the
    /// interpreter could deadlock with a worker that needs the interpreter to finish.
    fn list_for<'py>(&self, py: Python<'py>, x: &[f64]) -> PyResult<Bound<'py, PyList>> {
        match self.template.try_lock() {
            Ok(mut template) => self.codec.decode_from(py, x, &mut template),
            Err(TryLockError::Poisoned(template)) => {
                self.codec.decode_from(py, x, &mut template.into_inner())
            }
            Err(TryLockError::WouldBlock) => self.codec.decode(py, x),
        }
    }

    /// Takes back a solution whose evaluation ended.
    fn give_back(&self, handed: Handed) {
        if self.reuse {
            lock(&self.spare).push(handed);
        }
    }
}

/// A Python objective over coordinate vectors, called with a `Solution`.
pub(crate) struct PyObjective {
    func: Py<PyAny>,
    bridge: Bridge,
    shared: Arc<Shared>,
    resample: Option<Resample>,
}

/// ZOOpt's custom `resample_func(solution, n)`: it re-estimates a trusted solution in one
/// call, answering for the `n` evaluations value suppression asks for.
struct Resample {
    func: Py<PyAny>,
    times: u64,
    /// The repetition the last ask handed out (0: a new point), from [`Observed`].
    repetition: Arc<AtomicU64>,
    /// The answer of the first repetition, repeated for the others.
    estimate: Mutex<f64>,
}

impl PyObjective {
    fn call(&self, py: Python<'_>, x: &[f64]) -> PyResult<f64> {
        let handed = self.bridge.hand(py, x)?;
        let value = self
            .shared
            .value_of(&self.func.bind(py).call1((handed.solution.bind(py),))?)?;
        self.bridge.give_back(handed);
        Ok(value)
    }

    /// The re-estimate when this evaluation is one (the first repetition calls the
    /// user's function, the others repeat its answer).
    fn reestimate(&self, py: Python<'_>, x: &[f64]) -> Option<PyResult<f64>> {
        let r = self.resample.as_ref()?;
        match r.repetition.load(Ordering::SeqCst) {
            0 => None,
            1 => Some((|| {
                let xs = self.bridge.codec.decode(py, x)?;
                let solution = self.bridge.solution_cls.bind(py).call1((xs,))?;
                let value = self
                    .shared
                    .value_of(&r.func.bind(py).call1((solution, r.times))?)?;
                *lock(&r.estimate) = value;
                Ok(value)
            })()),
            _ => Some(Ok(*lock(&r.estimate))),
        }
    }
}

impl Objective<[f64]> for &PyObjective {
    fn evaluate(&self, x: &[f64]) -> f64 {
        if self.shared.failed() {
            resume_unwind(Box::new(Aborted));
        }
        let r = Python::attach(|py| match self.reestimate(py, x) {
            // Not the objective's own values: kept out of its history, as in ZOOpt.
            Some(estimate) => estimate.map(|v| (v, false)),
            None => self.call(py, x).map(|v| (v, true)),
        });
        match r {
            Ok((v, record)) => {
                if record {
                    lock(&self.shared.history).push(v);
                }
                v
            }
            Err(e) => {
                self.shared.fail(e);
                resume_unwind(Box::new(Aborted));
            }
        }
    }
}

impl Objective<Subset> for &PyFunction<SubsetToArray> {
    fn evaluate(&self, x: &Subset) -> f64 {
        self.evaluate_or_abort(x)
    }
}

/// A Python constraint `g(Solution) ≥ 0` for POSS and PONSS.
///
/// Subsets whose violation is at least the empty set's slack, `g(s) ≤ −g(∅) < 0`, are
/// never proposed. For a size limit `g = k − |s|` that is the POSS paper's rule of
/// excluding `|s| ≥ 2k` (ZOOpt's sparse-regression loss returns +∞ there but still spends
/// evaluations on them).
pub(crate) struct PyConstraint {
    function: PyFunction<SubsetToArray>,
    /// `g(∅)`; nothing is excluded unless it is positive.
    empty_slack: f64,
    /// The last subset asked about and its slack: the samplers ask `excludes` of an
    /// offspring, then `excludes` and `slack` again when it is told, and each answer would
    /// be a call into Python.
    last: Mutex<Option<(Subset, f64)>>,
    /// The isolation function, if one is set.
    isolation: Option<Isolation>,
}

/// ZOOpt's isolation function `h(x)` (x the subset as a numpy array): a member only
/// blocks newcomers with an equal `h`. Its values are compared with `==` and numbered in
/// order of appearance.
pub(crate) struct Isolation {
    func: Py<PyAny>,
    classes: Mutex<Vec<Py<PyAny>>>,
}

impl PyConstraint {
    fn new(
        function: PyFunction<SubsetToArray>,
        n: usize,
        isolation: Option<Py<PyAny>>,
    ) -> PyResult<PyConstraint> {
        let empty_slack = function.call(&Subset::empty(n))?;
        Ok(PyConstraint {
            function,
            empty_slack,
            last: Mutex::new(None),
            isolation: isolation.map(|func| Isolation {
                func,
                classes: Mutex::new(Vec::new()),
            }),
        })
    }

    fn class_of(&self, isolation: &Isolation, s: &Subset) -> PyResult<u64> {
        Python::attach(|py| {
            let x = self.function.conv.to_py(py, s)?;
            let key = isolation.func.bind(py).call1((x,))?;
            let mut classes = lock(&isolation.classes);
            for (i, class) in classes.iter().enumerate() {
                if class.bind(py).eq(&key)? {
                    return Ok(i as u64);
                }
            }
            classes.push(key.unbind());
            Ok(classes.len() as u64 - 1)
        })
    }
}

impl Constraint for PyConstraint {
    fn slack(&self, s: &Subset) -> f64 {
        if let Some((subset, slack)) = lock(&self.last).as_ref()
            && subset == s
        {
            return *slack;
        }
        let slack = match self.function.call(s) {
            Ok(v) => v,
            Err(e) => {
                // Reported at the next evaluation (or after the run).
                self.function.shared.fail(e);
                f64::NEG_INFINITY
            }
        };
        *lock(&self.last) = Some((s.clone(), slack));
        slack
    }

    fn excludes(&self, s: &Subset) -> bool {
        self.empty_slack > 0.0 && self.slack(s) <= -self.empty_slack
    }

    fn isolation(&self, s: &Subset) -> u64 {
        let Some(isolation) = &self.isolation else {
            return 0;
        };
        self.class_of(isolation, s).unwrap_or_else(|e| {
            // Reported at the next evaluation (or after the run).
            self.function.shared.fail(e);
            0
        })
    }
}

/// Points to evaluate first, and solutions whose values are known.
pub(crate) struct Warm<P> {
    pub points: Vec<P>,
    pub evaluated: Vec<(P, f64)>,
}

impl<P> Default for Warm<P> {
    fn default() -> Self {
        Warm {
            points: Vec::new(),
            evaluated: Vec::new(),
        }
    }
}

/// `(best x, best value)` in Python form, for callbacks.
fn best_py<'py, C: ToPython>(
    py: Python<'py>,
    conv: &C,
    progress: &Progress<'_, C::Solution>,
) -> PyResult<(Bound<'py, PyAny>, f64)> {
    match progress.best {
        Some(b) => Ok((conv.to_py(py, &b.x)?, b.value)),
        None => Ok((py.None().into_bound(py), f64::INFINITY)),
    }
}

/// Runs `sampler` on `objective` under `rules`.
fn execute<S, C, O>(
    sampler: S,
    objective: O,
    conv: &Arc<C>,
    shared: &Arc<Shared>,
    rules: &RunRules,
    warm: Warm<S::Solution>,
    view: Option<Py<TrainingView>>,
) -> Result<Outcome<S>, RunError<S::Solution>>
where
    S: Sampler,
    S::Solution: Send,
    C: ToPython<Solution = S::Solution>,
    O: Objective<<S::Solution as zoo_core::Solution>::View> + Sync,
{
    let ledger = rules
        .ledger(sampler)
        .warm_start(warm.points)
        .warm_start_evaluated(warm.evaluated);
    let mut run = Minimize::resume(objective, ledger);
    let threaded = rules.threads > 1;
    if rules.criterion.is_some() || threaded {
        let criterion = rules
            .criterion
            .as_ref()
            .map(|c| Python::attach(|py| c.clone_ref(py)));
        let (conv, shared) = (Arc::clone(conv), Arc::clone(shared));
        run = run.stop_when(move |p: &Progress<'_, S::Solution>| {
            if shared.failed() {
                return true;
            }
            Python::attach(|py| {
                // Threaded runs wait in Rust with the interpreter released: let Ctrl-C in.
                if threaded && let Err(e) = py.check_signals() {
                    shared.fail(e);
                    return true;
                }
                let Some(c) = &criterion else { return false };
                let asked = best_py(py, &*conv, p)
                    .and_then(|(x, v)| match &view {
                        Some(view) => c.bind(py).call1((p.evaluations, x, v, view.clone_ref(py))),
                        None => c.bind(py).call1((p.evaluations, x, v)),
                    })
                    .and_then(|r| r.is_truthy());
                asked.unwrap_or_else(|e| {
                    shared.fail(e);
                    true
                })
            })
        });
    }
    if let Some(progress) = &rules.progress {
        let progress = Python::attach(|py| progress.clone_ref(py));
        let (conv, shared) = (Arc::clone(conv), Arc::clone(shared));
        run = run.on_progress(rules.progress_every, move |p: &Progress<'_, S::Solution>| {
            Python::attach(|py| {
                let called =
                    best_py(py, &*conv, p).and_then(|(x, v)| progress.bind(py).call1((p.evaluations, x, v)));
                if let Err(e) = called {
                    shared.fail(e);
                }
            });
        });
    }
    if threaded {
        run.threads(rules.threads).parallel(Parallel::Async).run()
    } else {
        run.run()
    }
}

/// Runs in the calling thread (interpreter attached) or, with threads, detached so that
/// the worker threads can attach to call the objective.
#[allow(clippy::too_many_arguments)]
fn execute_detached<S, C, O>(
    py: Python<'_>,
    sampler: S,
    objective: O,
    conv: &Arc<C>,
    shared: &Arc<Shared>,
    rules: &RunRules,
    warm: Warm<S::Solution>,
    view: Option<Py<TrainingView>>,
) -> Result<Outcome<S>, RunError<S::Solution>>
where
    S: Sampler + Send,
    S::Solution: Send,
    C: ToPython<Solution = S::Solution>,
    O: Objective<<S::Solution as zoo_core::Solution>::View> + Sync + Send,
{
    if rules.threads > 1 {
        py.detach(|| execute(sampler, objective, conv, shared, rules, warm, view))
    } else {
        execute(sampler, objective, conv, shared, rules, warm, view)
    }
}

/// A run's sampler that may record its decisions (`auto`).
trait Decisions {
    /// The decisions as a JSON list, if the sampler records any.
    fn decisions_json(&self) -> Option<String> {
        None
    }
}

impl Decisions for Engine {
    fn decisions_json(&self) -> Option<String> {
        Engine::decisions_json(self)
    }
}

impl Decisions for Observed {
    fn decisions_json(&self) -> Option<String> {
        Observed::decisions_json(self)
    }
}

impl<C: Constraint> Decisions for Poss<C> {}
impl<C: Constraint> Decisions for Ponss<C> {}

/// The result, or the error with the best solution attached.
fn finish<S: Sampler + Decisions, C: ToPython<Solution = S::Solution>>(
    py: Python<'_>,
    conv: &C,
    shared: &Shared,
    result: Result<Outcome<S>, RunError<S::Solution>>,
) -> PyResult<RunResult> {
    let history = shared.history();
    let (best, evaluations, failure) = match result {
        Ok(outcome) => {
            if let Some(e) = shared.take_error() {
                (Some(outcome.best), outcome.evaluations, Some(e))
            } else {
                return Ok(RunResult {
                    x: conv.to_py(py, &outcome.best.x)?.unbind(),
                    value: outcome.best.value,
                    history,
                    evaluations: outcome.evaluations,
                    stop: outcome.stop.name(),
                    value_like: shared.value_like(),
                    decisions: outcome.sampler.decisions_json(),
                });
            }
        }
        Err(RunError::ObjectivePanicked {
            message,
            evaluations,
            best,
            ..
        }) => {
            let e = shared
                .take_error()
                .unwrap_or_else(|| PyRuntimeError::new_err(format!("the run failed: {message}")));
            (best, evaluations, Some(e))
        }
        Err(RunError::ZeroBudget) => return Err(PyValueError::new_err("the budget must be at least 1")),
        Err(RunError::InvalidState(e)) => return Err(PyValueError::new_err(e.to_string())),
        Err(RunError::NothingEvaluated) => {
            if let Some(e) = shared.take_error() {
                return Err(e);
            }
            return Err(PyRuntimeError::new_err(
                "the run ended without a solution (no point could be proposed, or no feasible one was found)",
            ));
        }
        Err(other) => return Err(PyRuntimeError::new_err(other.to_string())),
    };
    let e = failure.expect("an error is set on this path");
    let value = e.value(py);
    if let Some(b) = best {
        let x = conv.to_py(py, &b.x)?;
        let _ = value.setattr("_zoo_best", (x, b.value));
    }
    let _ = value.setattr("_zoo_evaluations", evaluations);
    let _ = value.setattr("_zoo_history", PyList::new(py, history)?);
    Err(e)
}

/// Minimizes a Python objective over a space with the engine `spec` describes, under
/// `rules`; `init` points are evaluated first, `init_evaluated` solutions are known.
/// `resample(solution, n)` answers value suppression's re-estimates in one call each;
/// with `training_view`, the criterion gets a fourth argument, a [`TrainingView`].
#[pyfunction]
#[pyo3(signature = (spec, categories, func, solution_cls, rules, *, init=None, init_evaluated=None, resample=None, training_view=false))]
#[allow(clippy::too_many_arguments)]
pub fn minimize<'py>(
    py: Python<'py>,
    spec: &str,
    categories: Vec<Option<Py<PyList>>>,
    func: Py<PyAny>,
    solution_cls: Py<PyAny>,
    rules: &RunRules,
    init: Option<Vec<Bound<'py, PyAny>>>,
    init_evaluated: Option<Vec<(Bound<'py, PyAny>, f64)>>,
    resample: Option<Py<PyAny>>,
    training_view: bool,
) -> PyResult<RunResult> {
    crate::guard::guarded("the run", || {
        let spec = EngineSpec::parse(spec)?;
        let codec = Arc::new(Codec::new(py, &spec.space, &categories)?);
        let engine = spec.build()?;
        let points = init
            .unwrap_or_default()
            .iter()
            .map(|x| codec.encode(x))
            .collect::<PyResult<Vec<_>>>()?;
        let evaluated = init_evaluated
            .unwrap_or_default()
            .iter()
            .map(|(x, v)| Ok((codec.encode(x)?, *v)))
            .collect::<PyResult<Vec<_>>>()?;
        let shared = Arc::new(Shared::default());
        let warm = Warm { points, evaluated };
        let resample_times = spec.suppression.as_ref().map(|s| s.resample_times);
        let mut objective = PyObjective {
            func,
            bridge: Bridge::new(py, solution_cls, Arc::clone(&codec), rules)?,
            shared: Arc::clone(&shared),
            resample: None,
        };
        if !(training_view && rules.criterion.is_some()) && resample.is_none() {
            let result = execute_detached(py, engine, &objective, &codec, &shared, rules, warm, None);
            return finish(py, &*codec, &shared, result);
        }
        // Callbacks that look into the engine while it runs.
        let observed = Observed::new(engine);
        if let Some(func) = resample {
            let times = resample_times
                .ok_or_else(|| PyValueError::new_err("a resample function needs value suppression"))?;
            if rules.threads > 1 {
                return Err(PyValueError::new_err(
                    "a resample function needs a sequential run (threads = 1)",
                ));
            }
            objective.resample = Some(Resample {
                func,
                times,
                repetition: observed.repetition(),
                estimate: Mutex::new(f64::NAN),
            });
        }
        let view = if training_view {
            let view = observed.view(&codec, objective.bridge.solution_cls.clone_ref(py));
            Some(Py::new(py, view)?)
        } else {
            None
        };
        let result = execute_detached(py, observed, &objective, &codec, &shared, rules, warm, view);
        finish(py, &*codec, &shared, result)
    })
}

/// Subset selection with POSS (or PONSS with `ponss = (theta, b)`) over `n` items, with a
/// Python loss and a Python constraint `g ≥ 0`, under `rules` (run in the calling thread).
#[pyfunction]
#[pyo3(signature = (n, func, constraint, solution_cls, to_array, rules, *, ponss=None, isolation=None))]
#[allow(clippy::too_many_arguments)]
pub fn minimize_subset(
    py: Python<'_>,
    n: usize,
    func: Py<PyAny>,
    constraint: Py<PyAny>,
    solution_cls: Py<PyAny>,
    to_array: Py<PyAny>,
    rules: &RunRules,
    ponss: Option<(f64, usize)>,
    isolation: Option<Py<PyAny>>,
) -> PyResult<RunResult> {
    crate::guard::guarded("the subset run", || {
        let conv = Arc::new(SubsetToArray { to_array });
        let shared = Arc::new(Shared::default());
        let objective = PyFunction {
            func,
            solution_cls: solution_cls.clone_ref(py),
            conv: Arc::clone(&conv),
            shared: Arc::clone(&shared),
            record: true,
        };
        let constraint = PyConstraint::new(
            PyFunction {
                func: constraint,
                solution_cls,
                conv: Arc::clone(&conv),
                shared: Arc::clone(&shared),
                record: false,
            },
            n,
            isolation,
        )?;
        if rules.threads > 1 {
            return Err(PyValueError::new_err(
                "subset selection runs in the calling thread: threads must be 1",
            ));
        }
        let bad = |e: zoo_subset::SubsetError| PyValueError::new_err(e.to_string());
        match ponss {
            None => {
                let poss = Poss::new(n, constraint).map_err(bad)?;
                let result = execute(poss, &objective, &conv, &shared, rules, Warm::default(), None);
                finish(py, &*conv, &shared, result)
            }
            Some((theta, b)) => {
                let ponss = Ponss::new(n, constraint, theta, b).map_err(bad)?;
                let result = execute(ponss, &objective, &conv, &shared, rules, Warm::default(), None);
                finish(py, &*conv, &shared, result)
            }
        }
    })
}
