//! The panic boundary at the Python edge. Every input a user can pass is checked before it
//! reaches a sampler, so a Rust panic means a bug in zoo; it still must not surface as
//! PyO3's `PanicException`, a `BaseException` that escapes `except Exception`. Every entry
//! point runs under [`guarded`], which turns a panic into a `RuntimeError` naming the
//! failed call.

use pyo3::PyResult;
use pyo3::exceptions::PyRuntimeError;

/// Runs `f`; a panic inside it becomes a `RuntimeError` about `what`.
pub(crate) fn guarded<T>(what: &str, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    zoo_core::caught(f).unwrap_or_else(|message| {
        Err(PyRuntimeError::new_err(format!(
            "internal error in {what}: {message} (a bug in zoo, not in the input; please report it)"
        )))
    })
}
