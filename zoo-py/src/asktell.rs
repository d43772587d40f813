//! A plain ask/tell optimizer for callers that evaluate points themselves (in their own
//! loop, on a cluster, in Ray Tune): the run [`Ledger`] of zoo-core around the engine, so
//! the budget, the stopping rules and their reasons are the Rust loop's own. Its whole
//! state is JSON for pickling.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde::{Deserialize, Serialize};
use zoo_core::{Callbacks, Ledger, Progress, Sampler, StateError, Step};

use crate::codec::{Codec, build_space};
use crate::engine::{Engine, EngineSpec};
use crate::rules::RunRules;

/// Version of the JSON state; a state of another version is refused.
const STATE_VERSION: u32 = 2;

/// The serialised state: the description, the ledger (engine, stream, counts, rules) and
/// the points in flight.
#[derive(Serialize, Deserialize)]
struct Saved {
    version: u32,
    spec: EngineSpec,
    ledger: Ledger<Engine>,
    asked: u64,
    pending: Vec<(u64, Vec<f64>)>,
    next_id: u64,
}

/// The Python callables of a run: not part of the state, attached again after a restore.
#[derive(Default)]
struct Hooks {
    criterion: Option<Py<PyAny>>,
    progress: Option<(u64, Py<PyAny>)>,
}

/// Asks points of a sampler and is told their values, in any order.
#[pyclass(module = "zoo_opt._native")]
pub struct AskTell {
    spec: EngineSpec,
    ledger: Ledger<Engine>,
    codec: Arc<Codec>,
    /// Points asked and not yet told, by the identity the caller gets back (`ask_id`).
    pending: HashMap<u64, Vec<f64>>,
    next_id: u64,
    asked: u64,
    hooks: Hooks,
}

#[pymethods]
impl AskTell {
    /// A new optimizer for the JSON description `spec`, categorical values `categories`,
    /// under `rules`; `init` points are asked first, `init_evaluated` solutions are known.
    #[new]
    #[pyo3(signature = (spec, categories, rules, *, init=None, init_evaluated=None))]
    fn new(
        py: Python<'_>,
        spec: &str,
        categories: Vec<Option<Py<PyList>>>,
        rules: &RunRules,
        init: Option<Vec<Bound<'_, PyAny>>>,
        init_evaluated: Option<Vec<(Bound<'_, PyAny>, f64)>>,
    ) -> PyResult<Self> {
        crate::guard::guarded("the optimizer's construction", || {
            let spec = EngineSpec::parse(spec)?;
            let codec = Codec::new(py, &spec.space, &categories)?;
            let points = init
                .unwrap_or_default()
                .iter()
                .map(|x| codec.encode(x))
                .collect::<PyResult<Vec<_>>>()?;
            let known = init_evaluated
                .unwrap_or_default()
                .iter()
                .map(|(x, v)| Ok((codec.encode(x)?, *v)))
                .collect::<PyResult<Vec<_>>>()?;
            let ledger = rules
                .ledger(spec.build()?)
                .warm_start(points)
                .warm_start_evaluated(known);
            // Warm starts outside the space (bounds, NaN) are refused here, not met later.
            let ledger = Ledger::restore(ledger).map_err(invalid)?;
            Ok(AskTell {
                spec,
                ledger,
                codec: Arc::new(codec),
                pending: HashMap::new(),
                next_id: 0,
                asked: 0,
                hooks: hooks(py, rules),
            })
        })
    }

    /// The next point, as `(id, x)`, or `None` when the run is over (see `stop_reason`),
    /// or while points in flight must be told first: every remaining evaluation is in
    /// flight, or the sampler needs their values (`auto` ending a sweep of line searches).
    fn ask<'py>(&mut self, py: Python<'py>) -> PyResult<Option<(u64, Bound<'py, PyList>)>> {
        crate::guard::guarded("ask", || {
            let Step::Evaluate(x) = self.ledger.step() else {
                return Ok(None);
            };
            let decoded = self.codec.decode(py, &x)?;
            self.asked += 1;
            let id = self.next_id;
            self.next_id += 1;
            self.pending.insert(id, x);
            Ok(Some((id, decoded)))
        })
    }

    /// Reports the value of the point asked as `id`; returns the name of the stopping rule
    /// that fired (`"budget"`, `"target"`, …), if one did. An exception raised by the
    /// criterion or the progress callback is raised here, after the value is recorded.
    fn tell_id(&mut self, py: Python<'_>, id: u64, value: f64) -> PyResult<Option<&'static str>> {
        crate::guard::guarded("tell", || {
            let x = self
                .pending
                .remove(&id)
                .ok_or_else(|| PyValueError::new_err(format!("no pending point with id {id}")))?;
            let failure = Arc::new(Mutex::new(None));
            let mut callbacks = callbacks(py, &self.hooks, &self.codec, &failure);
            let stop = self.ledger.tell_with(x, value, &mut callbacks);
            drop(callbacks);
            let failed = failure.lock().unwrap_or_else(PoisonError::into_inner).take();
            match failed {
                Some(e) => Err(e),
                None => Ok(stop.map(|s| s.name())),
            }
        })
    }

    /// Tells a solution evaluated outside the run (a warm start at any time): it spends no
    /// budget and does not enter the history.
    fn tell(&mut self, x: &Bound<'_, PyAny>, value: f64) -> PyResult<()> {
        crate::guard::guarded("tell", || {
            let x = self.codec.encode(x)?;
            self.ledger.tell_known(x, value).map_err(invalid)
        })
    }

    /// Forgets a pending point without a value (a failed evaluation that will not be
    /// retried): it frees its share of the budget and is told as +∞ so that the sampler
    /// does not wait for it.
    fn discard(&mut self, id: u64) -> PyResult<()> {
        crate::guard::guarded("discard", || {
            let x = self
                .pending
                .remove(&id)
                .ok_or_else(|| PyValueError::new_err(format!("no pending point with id {id}")))?;
            self.ledger.discard(x);
            Ok(())
        })
    }

    /// Replaces the budget and the stopping rules (and their callbacks), e.g. to continue
    /// a finished run with a larger budget. The seed of a started run does not change.
    fn set_rules(&mut self, py: Python<'_>, rules: &RunRules) {
        rules.apply(&mut self.ledger);
        self.hooks = hooks(py, rules);
    }

    /// The recommended solution `(x, value)`, once anything was told.
    fn best<'py>(&self, py: Python<'py>) -> PyResult<Option<(Bound<'py, PyList>, f64)>> {
        match self.ledger.best() {
            Some(b) => Ok(Some((self.codec.decode(py, &b.x)?, b.value))),
            None => Ok(None),
        }
    }

    /// What `algorithm="auto"` decided so far, as a JSON list (`None` for the other
    /// algorithms).
    #[getter]
    fn decisions_json(&self) -> Option<String> {
        self.ledger.sampler().decisions_json()
    }

    /// Why the run is over, if a rule holds (`None` while it goes on).
    #[getter]
    fn stop_reason(&self) -> Option<&'static str> {
        self.ledger.stop_reason().map(|s| s.name())
    }

    /// The evaluation budget.
    #[getter]
    fn budget(&self) -> u64 {
        self.ledger.settings().budget
    }

    /// Points asked so far.
    #[getter]
    fn asked(&self) -> u64 {
        self.asked
    }

    /// Values told so far (evaluations spent).
    #[getter]
    fn told(&self) -> u64 {
        self.ledger.evaluations()
    }

    /// Told values that were NaN (ranked as +∞).
    #[getter]
    fn nan_told(&self) -> u64 {
        self.ledger.nan_evaluations()
    }

    /// Every told value, in order.
    #[getter]
    fn history(&self) -> Vec<f64> {
        self.ledger.history().values().to_vec()
    }

    /// Ids of the points asked and not yet told.
    #[getter]
    fn pending_ids(&self) -> Vec<u64> {
        let mut ids: Vec<u64> = self.pending.keys().copied().collect();
        ids.sort_unstable();
        ids
    }

    /// The whole state as JSON (pending points are included with their ids; the
    /// criterion and progress callables are not).
    fn state_json(&mut self) -> PyResult<String> {
        crate::guard::guarded("state_json", || {
            let mut pending: Vec<(u64, Vec<f64>)> =
                self.pending.iter().map(|(k, v)| (*k, v.clone())).collect();
            pending.sort_unstable_by_key(|(k, _)| *k);
            self.ledger.pause_clock();
            let saved = Saved {
                version: STATE_VERSION,
                spec: self.spec.clone(),
                ledger: self.ledger.clone(),
                asked: self.asked,
                pending,
                next_id: self.next_id,
            };
            serde_json::to_string(&saved).map_err(|e| PyValueError::new_err(e.to_string()))
        })
    }

    /// An optimizer continuing exactly where `state_json` left off; `rules`, when given,
    /// attach the criterion and progress callables again (and replace the rules).
    #[staticmethod]
    #[pyo3(signature = (json, categories, rules=None))]
    fn from_state_json(
        py: Python<'_>,
        json: &str,
        categories: Vec<Option<Py<PyList>>>,
        rules: Option<&RunRules>,
    ) -> PyResult<Self> {
        crate::guard::guarded("from_state_json", || {
            let saved: Saved = serde_json::from_str(json)
                .map_err(|e| PyValueError::new_err(format!("invalid optimizer state: {e}")))?;
            if saved.version != STATE_VERSION {
                return Err(PyValueError::new_err(format!(
                    "optimizer state version {} is not supported (this version reads {STATE_VERSION})",
                    saved.version
                )));
            }
            let codec = Codec::new(py, &saved.spec.space, &categories)?;
            let ledger = check_saved(&saved).map_err(invalid)?;
            let mut optimizer = AskTell {
                spec: saved.spec,
                ledger,
                codec: Arc::new(codec),
                pending: saved.pending.into_iter().collect(),
                next_id: saved.next_id,
                asked: saved.asked,
                hooks: Hooks::default(),
            };
            if let Some(rules) = rules {
                optimizer.set_rules(py, rules);
            }
            Ok(optimizer)
        })
    }
}

/// A `ValueError` for a state or point the ledger refused.
fn invalid(e: StateError) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// Checks a restored state with the rules the constructor and the ledger keep: the
/// ledger ([`Ledger::restore`]), an engine that searches the description's space, and
/// pending points that are points of it, as many as the ledger has in flight, with ids
/// below the next id. Returns the checked ledger.
fn check_saved(saved: &Saved) -> Result<Ledger<Engine>, StateError> {
    let ledger = Ledger::restore(saved.ledger.clone())?;
    let space = build_space(&saved.spec.space).map_err(|e| StateError::inconsistent(e.to_string()))?;
    StateError::ensure(ledger.sampler().searches(&space), || {
        "the sampler searches another space than the description".to_owned()
    })?;
    let mut ids = std::collections::HashSet::new();
    for (id, x) in &saved.pending {
        StateError::ensure(*id < saved.next_id && ids.insert(*id), || {
            format!(
                "pending id {id} is repeated or not below the next id {}",
                saved.next_id
            )
        })?;
        space.check_point(x, || format!("pending point {id}"))?;
        ledger.sampler().check_point(x, &format!("pending point {id}"))?;
    }
    let pending = saved.pending.len() as u64;
    StateError::ensure(pending == ledger.in_flight(), || {
        format!("{pending} pending points, {} in flight", ledger.in_flight())
    })?;
    StateError::ensure(
        saved.asked >= ledger.evaluations().saturating_add(pending),
        || {
            format!(
                "{} points asked, fewer than {} told and {pending} pending",
                saved.asked,
                ledger.evaluations()
            )
        },
    )?;
    Ok(ledger)
}

fn hooks(py: Python<'_>, rules: &RunRules) -> Hooks {
    Hooks {
        criterion: rules.criterion.as_ref().map(|c| c.clone_ref(py)),
        progress: rules
            .progress
            .as_ref()
            .map(|p| (rules.progress_every, p.clone_ref(py))),
    }
}

/// The ledger's callbacks calling the Python criterion and progress function with
/// `(evaluations, best_x, best_value)`; the first exception is kept in `failure` (and the
/// criterion then stops the run).
fn callbacks<'a>(
    py: Python<'a>,
    hooks: &'a Hooks,
    codec: &'a Codec,
    failure: &'a Arc<Mutex<Option<PyErr>>>,
) -> Callbacks<'a, Vec<f64>> {
    let call = move |f: &Py<PyAny>, p: &Progress<'_, Vec<f64>>| -> PyResult<Bound<'a, PyAny>> {
        let (x, v) = match p.best {
            Some(b) => (codec.decode(py, &b.x)?.into_any(), b.value),
            None => (py.None().into_bound(py), f64::INFINITY),
        };
        f.bind(py).call1((p.evaluations, x, v))
    };
    let keep = move |e: PyErr| {
        failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert(e);
    };
    let mut callbacks = Callbacks::none();
    if let Some(criterion) = &hooks.criterion {
        callbacks = callbacks.stop_when(move |p| {
            call(criterion, p)
                .and_then(|r| r.is_truthy())
                .unwrap_or_else(|e| {
                    keep(e);
                    true
                })
        });
    }
    if let Some((every, progress)) = &hooks.progress {
        callbacks = callbacks.on_progress(*every, move |p| {
            if let Err(e) = call(progress, p) {
                keep(e);
            }
        });
    }
    callbacks
}
