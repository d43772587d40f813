#![doc = include_str!("../README.md")]

mod asktell;
mod codec;
mod engine;
mod guard;
mod observed;
mod rules;
mod run;

use pyo3::prelude::*;

/// ZOOpt's automatic sizes `(train_size, positive_size)` for a budget (`auto_set`), from
/// zoo-racos' table.
#[pyfunction]
fn sizes_for_budget(budget: u64) -> (usize, usize) {
    zoo_racos::sizes_for_budget(budget)
}

/// The native module `zoo_opt._native`: the run loop with a Python objective, subset
/// selection, and the ask/tell optimizer. The Python package `zoo_opt` wraps it in
/// ZOOpt's API.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run::minimize, m)?)?;
    m.add_function(wrap_pyfunction!(run::minimize_subset, m)?)?;
    m.add_class::<asktell::AskTell>()?;
    m.add_class::<rules::RunRules>()?;
    m.add_class::<rules::RunResult>()?;
    m.add_class::<observed::TrainingView>()?;
    m.add_function(wrap_pyfunction!(sizes_for_budget, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
