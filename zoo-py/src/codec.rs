//! Search spaces described by Python, and the conversion of points between Rust
//! coordinate vectors and the Python values an objective receives.
//!
//! The Python layer describes each dimension as a small JSON object ([`DimSpec`]);
//! categorical values stay Python objects (strings, numbers, anything comparable with
//! `==`) and are handed over separately, so a categorical coordinate is the index of its
//! value on the Rust side and the value itself on the Python side.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyInt, PyList};
use serde::{Deserialize, Serialize};
use zoo_core::{Dimension, Space};

/// One dimension as the Python layer describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum DimSpec {
    /// Reals in `[lo, hi]`, optionally rounded to a precision (ZOOpt's `Dimension2`).
    Float {
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
        /// Rounding precision (1e-3 rounds to three decimals), or none.
        #[serde(default)]
        precision: Option<f64>,
    },
    /// Integers in `[lo, hi]`, ordered or labels.
    Int {
        /// Lower bound.
        lo: i64,
        /// Upper bound.
        hi: i64,
        /// Whether the integers are ordered.
        ordered: bool,
    },
    /// One of `size` Python values.
    Cat {
        /// Number of values.
        size: usize,
    },
}

/// Builds the validated space; invalid dimensions raise `ValueError`.
pub fn build_space(specs: &[DimSpec]) -> PyResult<Space> {
    let bad = |i: usize, e: zoo_core::SpaceError| PyValueError::new_err(format!("dimension {i}: {e}"));
    let dims = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| match *spec {
            DimSpec::Float {
                lo,
                hi,
                precision: None,
            } => Dimension::continuous(lo, hi).map_err(|e| bad(i, e)),
            DimSpec::Float {
                lo,
                hi,
                precision: Some(p),
            } => Dimension::continuous_with_precision(lo, hi, p).map_err(|e| bad(i, e)),
            DimSpec::Int {
                lo,
                hi,
                ordered: true,
            } => Dimension::integer(lo, hi).map_err(|e| bad(i, e)),
            DimSpec::Int {
                lo,
                hi,
                ordered: false,
            } => Dimension::unordered(lo, hi).map_err(|e| bad(i, e)),
            DimSpec::Cat { size } => {
                Dimension::categorical((0..size as i64).collect::<Vec<_>>()).map_err(|e| bad(i, e))
            }
        })
        .collect::<PyResult<Vec<_>>>()?;
    Space::new(dims).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// How one coordinate becomes a Python value.
#[derive(Debug)]
enum Slot {
    Float,
    Int,
    Cat(Py<PyList>),
}

/// Converts points between coordinate vectors and Python lists.
#[derive(Debug)]
pub struct Codec {
    slots: Vec<Slot>,
    all_float: bool,
}

impl Codec {
    /// A codec for `specs`; `categories[i]` holds the values of categorical dimension `i`.
    pub fn new(py: Python<'_>, specs: &[DimSpec], categories: &[Option<Py<PyList>>]) -> PyResult<Self> {
        if categories.len() != specs.len() {
            return Err(PyValueError::new_err(
                "one category entry per dimension is required",
            ));
        }
        let slots = specs
            .iter()
            .zip(categories)
            .enumerate()
            .map(|(i, (spec, values))| match (spec, values) {
                (DimSpec::Float { .. }, _) => Ok(Slot::Float),
                (DimSpec::Int { .. }, _) => Ok(Slot::Int),
                (DimSpec::Cat { size }, Some(values)) if values.bind(py).len() == *size => {
                    Ok(Slot::Cat(values.clone_ref(py)))
                }
                (DimSpec::Cat { .. }, _) => Err(PyValueError::new_err(format!(
                    "categorical dimension {i} needs its list of values"
                ))),
            })
            .collect::<PyResult<Vec<_>>>()?;
        let all_float = slots.iter().all(|s| matches!(s, Slot::Float));
        Ok(Codec { slots, all_float })
    }

    /// Number of dimensions.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// The Python list for `x`: floats, ints, and categorical values.
    pub fn decode<'py>(&self, py: Python<'py>, x: &[f64]) -> PyResult<Bound<'py, PyList>> {
        if self.all_float {
            return PyList::new(py, x);
        }
        PyList::new(
            py,
            self.slots
                .iter()
                .zip(x)
                .map(|(slot, &v)| Codec::item(py, slot, v)),
        )
    }

    /// The categorical value at index `v`.
    fn category<'py>(values: &Bound<'py, PyList>, v: f64) -> Bound<'py, PyAny> {
        let at = (v as usize).min(values.len().saturating_sub(1));
        values.get_item(at).expect("index is in range")
    }

    /// Whether every coordinate is a number (no categorical dimension): such points can be
    /// handed over as float64 arrays.
    pub fn is_numeric(&self) -> bool {
        self.slots.iter().all(|s| !matches!(s, Slot::Cat(_)))
    }

    /// The Python value of one coordinate.
    fn item<'py>(py: Python<'py>, slot: &Slot, v: f64) -> Bound<'py, PyAny> {
        match slot {
            Slot::Float => PyFloat::new(py, v).into_any(),
            Slot::Int => PyInt::new(py, v as i64).into_any(),
            Slot::Cat(values) => Codec::category(values.bind(py), v),
        }
    }

    /// Like [`decode`](Self::decode), copying from `template`, which then holds `x`.
    pub fn decode_from<'py>(
        &self,
        py: Python<'py>,
        x: &[f64],
        template: &mut ListTemplate,
    ) -> PyResult<Bound<'py, PyList>> {
        Ok(self.update(py, x, template)?.get_slice(0, x.len()))
    }

    /// Brings `template` to `x` and returns its list, which must not be handed out.
    pub fn update<'py>(
        &self,
        py: Python<'py>,
        x: &[f64],
        template: &mut ListTemplate,
    ) -> PyResult<Bound<'py, PyList>> {
        let same = |a: &f64, b: &f64| a.to_bits() == b.to_bits();
        if let Some(list) = &template.list
            && template.x.len() == x.len()
        {
            let changed = template.x.iter().zip(x).filter(|(a, b)| !same(a, b)).count();
            if 2 * changed <= x.len() {
                let list = list.bind(py);
                for (i, ((slot, old), &v)) in self.slots.iter().zip(&mut template.x).zip(x).enumerate() {
                    if !same(old, &v) {
                        list.set_item(i, Codec::item(py, slot, v))?;
                        *old = v;
                    }
                }
                return Ok(list.clone());
            }
        }
        let list = self.decode(py, x)?;
        template.x.clear();
        template.x.extend_from_slice(x);
        template.list = Some(list.clone().unbind());
        Ok(list)
    }

    /// The coordinate vector of a Python sequence of values (the inverse of `decode`).
    pub fn encode(&self, x: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
        let n = x.len()?;
        if n != self.slots.len() {
            return Err(PyValueError::new_err(format!(
                "a point of this space has {} coordinates, got {n}",
                self.slots.len()
            )));
        }
        let mut out = Vec::with_capacity(n);
        for (i, slot) in self.slots.iter().enumerate() {
            let item = x.get_item(i)?;
            let v = match slot {
                Slot::Float => item.extract::<f64>().map_err(|_| {
                    PyTypeError::new_err(format!("coordinate {i} must be a real number, got {item}"))
                })?,
                Slot::Int => {
                    let v = item.extract::<f64>().map_err(|_| {
                        PyTypeError::new_err(format!("coordinate {i} must be an integer, got {item}"))
                    })?;
                    if v.fract() != 0.0 {
                        return Err(PyValueError::new_err(format!(
                            "coordinate {i} must be an integer, got {v}"
                        )));
                    }
                    v
                }
                Slot::Cat(values) => {
                    let values = values.bind(x.py());
                    let mut found = None;
                    for (k, value) in values.iter().enumerate() {
                        if value.eq(&item)? {
                            found = Some(k);
                            break;
                        }
                    }
                    found.ok_or_else(|| {
                        PyValueError::new_err(format!("coordinate {i}: {item} is not one of {values}"))
                    })? as f64
                }
            };
            out.push(v);
        }
        Ok(out)
    }
}

/// A private Python list of the last point decoded, from which the next point's list is
/// copied with only the coordinates that changed replaced.
///
/// SRACOS draws each point from a positive solution with one or two coordinates
/// re-sampled, so consecutive points share most coordinates: a C-level copy of the list
/// and a few new floats replace a hundred allocations (and the deallocations that follow).
/// Points that share less than half their coordinates are decoded whole. The list is
/// never handed out; the `float` objects in it are, and they are immutable.
#[derive(Default)]
pub struct ListTemplate {
    x: Vec<f64>,
    list: Option<Py<PyList>>,
}
