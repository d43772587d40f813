//! The typed boundary of a run: [`RunRules`] (what the Python layer asks for) and
//! [`RunResult`] (what it gets back), both Python classes of the native module.

use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use zoo_core::{Ledger, Sampler};

/// How the objective receives a point as `solution.get_x()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XType {
    /// A list of Python values (floats, ints, categorical values), as in ZOOpt.
    List,
    /// A float64 numpy array; numeric spaces only (no categorical dimension).
    Numpy,
}

impl XType {
    fn parse(s: &str) -> PyResult<XType> {
        match s {
            "list" => Ok(XType::List),
            "numpy" => Ok(XType::Numpy),
            _ => Err(PyValueError::new_err(format!(
                "x_type must be 'list' or 'numpy', got {s:?}"
            ))),
        }
    }

    fn name(self) -> &'static str {
        match self {
            XType::List => "list",
            XType::Numpy => "numpy",
        }
    }
}

/// The stopping rules, seed, callbacks and objective interface of a run, checked once
/// when built.
///
/// `time_limit` is in seconds: `inf` (or any span too long to represent) means no limit;
/// NaN or a negative value is a `ValueError`. `criterion(evaluations, best_x, best_value)`
/// stops the run when it returns true; `progress(evaluations, best_x, best_value)` is called
/// every `progress_every` evaluations.
///
/// What the objective receives (`minimize` only; subset selection always hands numpy
/// arrays of 0.0/1.0, as ZOOpt's POSS does):
///
/// | name | default | meaning |
/// | --- | --- | --- |
/// | `x_type` | `"list"` | `get_x()` is a fresh list of Python values (`"list"`) or a fresh float64 numpy array (`"numpy"`: integers as whole floats; a `ValueError` when the space has a categorical dimension) |
/// | `reuse_solution` | `False` | `True`: one `Solution` and its `x` (list or array) per worker are rewritten in place for each evaluation (whatever the objective wrote into them is overwritten); the objective must not keep them past its return |
///
/// Callbacks and the result always get lists.
#[pyclass(module = "zoo_opt._native", frozen)]
pub struct RunRules {
    #[pyo3(get)]
    pub budget: u64,
    #[pyo3(get)]
    pub seed: u64,
    #[pyo3(get)]
    pub target: Option<f64>,
    #[pyo3(get)]
    pub time_limit: Option<f64>,
    #[pyo3(get)]
    pub patience: Option<u64>,
    #[pyo3(get)]
    pub criterion: Option<Py<PyAny>>,
    #[pyo3(get)]
    pub progress: Option<Py<PyAny>>,
    #[pyo3(get)]
    pub progress_every: u64,
    #[pyo3(get)]
    pub threads: usize,
    pub x_type: XType,
    #[pyo3(get)]
    pub reuse_solution: bool,
}

#[pymethods]
impl RunRules {
    #[new]
    #[pyo3(signature = (*, budget, seed, target=None, time_limit=None, patience=None, criterion=None,
        progress=None, progress_every=100, threads=1, x_type="list", reuse_solution=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        budget: u64,
        seed: u64,
        target: Option<f64>,
        time_limit: Option<f64>,
        patience: Option<u64>,
        criterion: Option<Py<PyAny>>,
        progress: Option<Py<PyAny>>,
        progress_every: u64,
        threads: usize,
        x_type: &str,
        reuse_solution: bool,
    ) -> PyResult<Self> {
        if budget == 0 {
            return Err(PyValueError::new_err("the budget must be at least 1"));
        }
        if target.is_some_and(f64::is_nan) {
            return Err(PyValueError::new_err("the target value must not be NaN"));
        }
        if let Some(t) = time_limit
            && (t.is_nan() || t < 0.0)
        {
            return Err(PyValueError::new_err(format!(
                "time_limit must be a non-negative number of seconds (inf: no limit), got {t}"
            )));
        }
        if threads == 0 {
            return Err(PyValueError::new_err("threads must be at least 1"));
        }
        Ok(RunRules {
            budget,
            seed,
            target,
            time_limit,
            patience,
            criterion,
            progress,
            progress_every: progress_every.max(1),
            threads,
            x_type: XType::parse(x_type)?,
            reuse_solution,
        })
    }

    #[getter(x_type)]
    fn x_type_name(&self) -> &'static str {
        self.x_type.name()
    }
}

impl RunRules {
    /// The time limit as a duration; `None` for no limit (absent, infinite, or beyond
    /// what a duration holds).
    pub fn duration(&self) -> Option<Duration> {
        self.time_limit.and_then(|t| Duration::try_from_secs_f64(t).ok())
    }

    /// A ledger around `sampler` with these rules (callbacks are attached by the driver).
    pub fn ledger<S: Sampler>(&self, sampler: S) -> Ledger<S> {
        let mut ledger = Ledger::new(sampler).budget(self.budget).seed(self.seed);
        self.apply(&mut ledger);
        ledger
    }

    /// Sets the budget and stopping rules (not the seed) on an existing ledger.
    pub fn apply<S: Sampler>(&self, ledger: &mut Ledger<S>) {
        let settings = ledger.settings_mut();
        settings.budget = self.budget;
        settings.target = self.target;
        settings.time_limit = self.duration();
        settings.patience = self.patience;
    }
}

/// The result of a whole run.
#[pyclass(module = "zoo_opt._native", frozen, get_all)]
pub struct RunResult {
    /// The recommended solution, in Python form.
    pub x: Py<PyAny>,
    /// Its value.
    pub value: f64,
    /// Every value the objective returned, in order.
    pub history: Vec<f64>,
    /// Objective evaluations spent.
    pub evaluations: u64,
    /// Why the run stopped (`"budget"`, `"target"`, `"time_limit"`, `"patience"`,
    /// `"criterion"`, `"exhausted"`).
    pub stop: &'static str,
    /// The first array the objective returned (ZOOpt keeps such values as arrays), if any.
    pub value_like: Option<Py<PyAny>>,
    /// What `algorithm="auto"` decided, as a JSON list (`None` for other algorithms).
    pub decisions: Option<String>,
}

#[pymethods]
impl RunResult {
    fn __repr__(&self) -> String {
        format!(
            "RunResult(value={}, evaluations={}, stop={:?})",
            self.value, self.evaluations, self.stop
        )
    }
}
