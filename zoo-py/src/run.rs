//! Whole runs with a Python objective: zoo-core's run loop (exact budget, seed, stopping
//! rules, warm starts, history, threads) calling a Python callable.
//!
//! The objective receives a `Solution` built by the Python class it is given (ZOOpt's
//! objectives call `solution.get_x()`). A Python exception raised by the objective (or by
//! a stopping criterion, a progress callback or a constraint) stops the run: it is kept,
//! the run loop is unwound with a private payload (`resume_unwind`, which skips the panic
//! hook, so nothing is printed), and the same exception is raised to the caller with the
//! best solution found so far attached as `_zoo_best = (x, value)` and the evaluation
//! count as `_zoo_evaluations`; the Python layer turns them into `best_solution`.

use std::panic::resume_unwind;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;
use zoo_core::{Minimize, Objective, Outcome, Parallel, Progress, RunError, Sampler};
use zoo_subset::{Constraint, Ponss, Poss, Subset};

use crate::codec::Codec;
use crate::engine::EngineSpec;
use crate::rules::{RunResult, RunRules};

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
    if let Ok(f) = v.extract::<f64>() {
        return Ok(f);
    }
    if let Ok(f) = v.call_method0("item").and_then(|item| item.extract::<f64>()) {
        return Ok(f);
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

impl Objective<[f64]> for &PyFunction<Codec> {
    fn evaluate(&self, x: &[f64]) -> f64 {
        // The codec decodes slices; the point type is a vector.
        if self.shared.failed() {
            resume_unwind(Box::new(Aborted));
        }
        let r = Python::attach(|py| -> PyResult<f64> {
            let xs = self.conv.decode(py, x)?;
            let solution = self.solution_cls.bind(py).call1((xs,))?;
            number(&self.func.bind(py).call1((solution,))?)
        });
        match r {
            Ok(v) => {
                lock(&self.shared.history).push(v);
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
}

impl PyConstraint {
    fn new(function: PyFunction<SubsetToArray>, n: usize) -> PyResult<PyConstraint> {
        let empty_slack = function.call(&Subset::empty(n))?;
        Ok(PyConstraint {
            function,
            empty_slack,
            last: Mutex::new(None),
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
                    .and_then(|(x, v)| c.bind(py).call1((p.evaluations, x, v)))
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
fn execute_detached<S, C, O>(
    py: Python<'_>,
    sampler: S,
    objective: O,
    conv: &Arc<C>,
    shared: &Arc<Shared>,
    rules: &RunRules,
    warm: Warm<S::Solution>,
) -> Result<Outcome<S>, RunError<S::Solution>>
where
    S: Sampler + Send,
    S::Solution: Send,
    C: ToPython<Solution = S::Solution>,
    O: Objective<<S::Solution as zoo_core::Solution>::View> + Sync + Send,
{
    if rules.threads > 1 {
        py.detach(|| execute(sampler, objective, conv, shared, rules, warm))
    } else {
        execute(sampler, objective, conv, shared, rules, warm)
    }
}

/// The result, or the error with the best solution attached.
fn finish<S: Sampler, C: ToPython<Solution = S::Solution>>(
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
#[pyfunction]
#[pyo3(signature = (spec, categories, func, solution_cls, rules, *, init=None, init_evaluated=None))]
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
        let objective = PyFunction {
            func,
            solution_cls,
            conv: Arc::clone(&codec),
            shared: Arc::clone(&shared),
            record: true,
        };
        let result = execute_detached(
            py,
            engine,
            &objective,
            &codec,
            &shared,
            rules,
            Warm { points, evaluated },
        );
        finish(py, &*codec, &shared, result)
    })
}

/// Subset selection with POSS (or PONSS with `ponss = (theta, b)`) over `n` items, with a
/// Python loss and a Python constraint `g ≥ 0`, under `rules` (run in the calling thread).
#[pyfunction]
#[pyo3(signature = (n, func, constraint, solution_cls, to_array, rules, *, ponss=None))]
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
                let result = execute(poss, &objective, &conv, &shared, rules, Warm::default());
                finish(py, &*conv, &shared, result)
            }
            Some((theta, b)) => {
                let ponss = Ponss::new(n, constraint, theta, b).map_err(bad)?;
                let result = execute(ponss, &objective, &conv, &shared, rules, Warm::default());
                finish(py, &*conv, &shared, result)
            }
        }
    })
}
