//! A plain ask/tell optimizer for callers that evaluate points themselves (in their own
//! loop, on a cluster, in Ray Tune), with its whole state as JSON for pickling.

use std::collections::HashMap;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde::{Deserialize, Serialize};
use zoo_core::{Sampler, ZooRng, float_serde};

use crate::codec::Codec;
use crate::engine::{Engine, EngineSpec};

/// The serialised state: the description, the sampler, the random stream and counters.
#[derive(Serialize, Deserialize)]
struct State {
    version: u32,
    spec: EngineSpec,
    engine: Engine,
    rng: ZooRng,
    asked: u64,
    told: u64,
    nan_told: u64,
    #[serde(with = "float_serde::vec")]
    history: Vec<f64>,
}

/// Asks points of a sampler and is told their values, in any order.
#[pyclass(module = "zoo_opt._native")]
pub struct AskTell {
    state: State,
    codec: Codec,
    /// Points asked and not yet told, by the identity the caller gets back (`ask_id`).
    pending: HashMap<u64, Vec<f64>>,
    next_id: u64,
}

#[pymethods]
impl AskTell {
    /// A new optimizer for the JSON description `spec`, categorical values `categories`,
    /// drawing from the stream of `seed`.
    #[new]
    fn new(py: Python<'_>, spec: &str, categories: Vec<Option<Py<PyList>>>, seed: u64) -> PyResult<Self> {
        let spec = EngineSpec::parse(spec)?;
        let codec = Codec::new(py, &spec.space, &categories)?;
        let engine = spec.build()?;
        Ok(AskTell {
            state: State {
                version: 1,
                spec,
                engine,
                rng: ZooRng::seed_from(seed),
                asked: 0,
                told: 0,
                nan_told: 0,
                history: Vec::new(),
            },
            codec,
            pending: HashMap::new(),
            next_id: 0,
        })
    }

    /// The next point, as `(id, x)`, or `None` when the sampler cannot propose one.
    fn ask<'py>(&mut self, py: Python<'py>) -> PyResult<Option<(u64, Bound<'py, PyList>)>> {
        let Some(x) = self.state.engine.ask(&mut self.state.rng) else {
            return Ok(None);
        };
        self.state.asked += 1;
        let decoded = self.codec.decode(py, &x)?;
        let id = self.next_id;
        self.next_id += 1;
        self.pending.insert(id, x);
        Ok(Some((id, decoded)))
    }

    /// Reports the value of the point asked as `id`.
    fn tell_id(&mut self, id: u64, value: f64) -> PyResult<()> {
        let x = self
            .pending
            .remove(&id)
            .ok_or_else(|| PyValueError::new_err(format!("no pending point with id {id}")))?;
        self.record(x, value);
        Ok(())
    }

    /// Reports the value of any point of the space (asked or not: warm starts).
    fn tell(&mut self, x: &Bound<'_, PyAny>, value: f64) -> PyResult<()> {
        let x = self.codec.encode(x)?;
        self.record(x, value);
        Ok(())
    }

    /// Forgets a pending point without a value (a failed evaluation that will not be
    /// retried); it is told as +∞ so that the sampler does not wait for it.
    fn discard(&mut self, id: u64) -> PyResult<()> {
        let x = self
            .pending
            .remove(&id)
            .ok_or_else(|| PyValueError::new_err(format!("no pending point with id {id}")))?;
        self.state.engine.tell(x, f64::INFINITY);
        Ok(())
    }

    /// The recommended solution `(x, value)`, once anything was told.
    fn best<'py>(&self, py: Python<'py>) -> PyResult<Option<(Bound<'py, PyList>, f64)>> {
        match self.state.engine.best() {
            Some(b) => Ok(Some((self.codec.decode(py, &b.x)?, b.value))),
            None => Ok(None),
        }
    }

    /// Points asked so far.
    #[getter]
    fn asked(&self) -> u64 {
        self.state.asked
    }

    /// Values told so far.
    #[getter]
    fn told(&self) -> u64 {
        self.state.told
    }

    /// Told values that were NaN (ranked as +∞).
    #[getter]
    fn nan_told(&self) -> u64 {
        self.state.nan_told
    }

    /// Every told value, in order.
    #[getter]
    fn history(&self) -> Vec<f64> {
        self.state.history.clone()
    }

    /// Ids of the points asked and not yet told.
    #[getter]
    fn pending_ids(&self) -> Vec<u64> {
        let mut ids: Vec<u64> = self.pending.keys().copied().collect();
        ids.sort_unstable();
        ids
    }

    /// The whole state as JSON (pending points are included with their ids).
    fn state_json(&self) -> PyResult<String> {
        let pending: Vec<(u64, &Vec<f64>)> = {
            let mut p: Vec<_> = self.pending.iter().map(|(k, v)| (*k, v)).collect();
            p.sort_unstable_by_key(|(k, _)| *k);
            p
        };
        let value = serde_json::json!({
            "state": &self.state,
            "pending": pending,
            "next_id": self.next_id,
        });
        serde_json::to_string(&value).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// An optimizer continuing exactly where `state_json` left off.
    #[staticmethod]
    fn from_state_json(py: Python<'_>, json: &str, categories: Vec<Option<Py<PyList>>>) -> PyResult<Self> {
        #[derive(Deserialize)]
        struct Saved {
            state: State,
            pending: Vec<(u64, Vec<f64>)>,
            next_id: u64,
        }
        let saved: Saved = serde_json::from_str(json)
            .map_err(|e| PyValueError::new_err(format!("invalid optimizer state: {e}")))?;
        if saved.state.version != 1 {
            return Err(PyValueError::new_err(format!(
                "optimizer state version {} is not supported",
                saved.state.version
            )));
        }
        let codec = Codec::new(py, &saved.state.spec.space, &categories)?;
        Ok(AskTell {
            state: saved.state,
            codec,
            pending: saved.pending.into_iter().collect(),
            next_id: saved.next_id,
        })
    }
}

impl AskTell {
    fn record(&mut self, x: Vec<f64>, value: f64) {
        self.state.told += 1;
        if value.is_nan() {
            self.state.nan_told += 1;
        }
        self.state.history.push(value);
        self.state.engine.tell(x, zoo_core::ranked(value));
    }
}
