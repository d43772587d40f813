#![doc = include_str!("../README.md")]

mod asktell;
mod codec;
mod engine;
mod run;

use pyo3::prelude::*;

/// The native module `zoo_opt._native`: the run loop with a Python objective, subset
/// selection, and the ask/tell optimizer. The Python package `zoo_opt` wraps it in
/// ZOOpt's API.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run::minimize, m)?)?;
    m.add_function(wrap_pyfunction!(run::minimize_subset, m)?)?;
    m.add_class::<asktell::AskTell>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
