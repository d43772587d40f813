//! A run's engine shared with the Python callbacks that look into it while the run goes
//! on: ZOOpt's stopping criteria read the training sets (`optcontent.get_data()`), and a
//! custom re-estimate function (`Objective(resample_func=...)`) must know which asks
//! re-evaluate a trusted solution.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use pyo3::prelude::*;
use pyo3::types::PyList;
use zoo_core::{Evaluated, Sampler, StateError, ZooRng};

use crate::codec::Codec;
use crate::engine::Engine;

fn lock(m: &Mutex<Engine>) -> MutexGuard<'_, Engine> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The engine behind a lock the callbacks share, with its recommendation copied out
/// (a borrowed `best` cannot cross the lock).
pub(crate) struct Observed {
    engine: Arc<Mutex<Engine>>,
    best: Option<Evaluated<Vec<f64>>>,
    /// The repetition of a re-estimate the last ask handed out (0: a new point).
    repetition: Arc<AtomicU64>,
}

impl Observed {
    pub(crate) fn new(engine: Engine) -> Self {
        let best = engine.best().cloned();
        Observed {
            engine: Arc::new(Mutex::new(engine)),
            best,
            repetition: Arc::new(AtomicU64::new(0)),
        }
    }

    /// What the engine decided so far (see [`Engine::decisions_json`]).
    pub(crate) fn decisions_json(&self) -> Option<String> {
        lock(&self.engine).decisions_json()
    }

    /// What the objective reads to tell re-estimates from new points.
    pub(crate) fn repetition(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.repetition)
    }

    /// A Python view of the training sets, for stopping criteria.
    pub(crate) fn view(&self, codec: &Arc<Codec>, solution_cls: Py<PyAny>) -> TrainingView {
        TrainingView {
            engine: Arc::clone(&self.engine),
            codec: Arc::clone(codec),
            solution_cls,
        }
    }
}

impl Sampler for Observed {
    type Solution = Vec<f64>;

    fn start(&mut self, budget: u64) {
        lock(&self.engine).start(budget);
    }

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        let mut engine = lock(&self.engine);
        let x = engine.ask(rng);
        self.repetition
            .store(engine.last_repetition().unwrap_or(0), Ordering::SeqCst);
        x
    }

    fn tell(&mut self, x: Vec<f64>, value: f64) {
        let engine = &mut *lock(&self.engine);
        engine.tell(x, value);
        // Improvements are rare: the comparison is cheap, the copy seldom made.
        if engine.best() != self.best.as_ref() {
            self.best = engine.best().cloned();
        }
    }

    fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
        self.best.as_ref()
    }

    fn check_state(&self) -> Result<(), StateError> {
        lock(&self.engine).check_state()
    }

    fn check_point(&self, x: &Vec<f64>, what: &str) -> Result<(), StateError> {
        lock(&self.engine).check_point(x, what)
    }
}

/// The training sets of a running SRACOS or RACOS, as ZOOpt's `optcontent` exposes them.
#[pyclass(frozen, module = "zoo_opt._native")]
pub struct TrainingView {
    engine: Arc<Mutex<Engine>>,
    codec: Arc<Codec>,
    solution_cls: Py<PyAny>,
}

#[pymethods]
impl TrainingView {
    /// `(positive, negative)`: lists of `Solution`s with their values (copies), or
    /// `None` when the algorithm keeps no training sets (CMA-ES, TPE, auto, an embedding).
    fn sets<'py>(&self, py: Python<'py>) -> PyResult<Option<(Bound<'py, PyList>, Bound<'py, PyList>)>> {
        // Copied under the lock, turned into Python objects after it: Python code must
        // not run while the engine is locked (another thread attached to the
        // interpreter could be waiting for it).
        let copied = {
            let engine = lock(&self.engine);
            engine
                .training_sets()
                .map(|(positive, negative)| (positive.to_vec(), negative.to_vec()))
        };
        let Some((positive, negative)) = copied else {
            return Ok(None);
        };
        let solutions = |set: &[Evaluated<Vec<f64>>]| -> PyResult<Bound<'py, PyList>> {
            let items = set
                .iter()
                .map(|e| {
                    let x = self.codec.decode(py, &e.x)?;
                    self.solution_cls.bind(py).call1((x, e.value))
                })
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)
        };
        Ok(Some((solutions(&positive)?, solutions(&negative)?)))
    }

    /// Whether the training sets are formed (`None`: the algorithm keeps none). ZOOpt
    /// consults stopping criteria only once they are.
    fn formed(&self) -> Option<bool> {
        lock(&self.engine)
            .training_sets()
            .map(|(positive, _)| !positive.is_empty())
    }
}
