//! Typed errors of the core crate.

use thiserror::Error;

/// A search space or dimension that cannot be built.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SpaceError {
    /// A bound is NaN or infinite.
    #[error("dimension bounds must be finite, got [{lo}, {hi}]")]
    NonFiniteBounds {
        /// Lower bound given.
        lo: f64,
        /// Upper bound given.
        hi: f64,
    },
    /// The lower bound exceeds the upper bound.
    #[error("lower bound {lo} exceeds upper bound {hi}")]
    InvertedBounds {
        /// Lower bound given.
        lo: f64,
        /// Upper bound given.
        hi: f64,
    },
    /// A categorical dimension was given no values.
    #[error("a categorical dimension needs at least one value")]
    EmptyCategories,
    /// A space was given no dimensions.
    #[error("a search space needs at least one dimension")]
    NoDimensions,
    /// A continuous precision that is not a positive finite number.
    #[error("precision must be positive and finite, got {0}")]
    InvalidPrecision(f64),
}

/// A sampler configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A setting lies outside its allowed range.
    #[error("setting `{name}` = {value} is out of range: {expected}")]
    OutOfRange {
        /// Name of the setting.
        name: &'static str,
        /// Value given, formatted.
        value: String,
        /// The allowed range, in words.
        expected: &'static str,
    },
    /// The space does not suit the sampler.
    #[error(transparent)]
    Space(#[from] SpaceError),
}

/// Why a run could not produce an outcome.
///
/// Errors raised after evaluations happened carry the best solution found so far, so no
/// evaluated work is lost.
#[derive(Debug, Clone, Error)]
#[non_exhaustive]
pub enum RunError<P> {
    /// The evaluation budget is zero (or was never set).
    #[error("the evaluation budget must be at least 1")]
    ZeroBudget,
    /// The objective panicked; the run stopped at that evaluation.
    #[error("the objective panicked after {evaluations} evaluations: {message}")]
    ObjectivePanicked {
        /// The panic message, when it was a string.
        message: String,
        /// Evaluations completed before the panic.
        evaluations: u64,
        /// Best solution found before the panic, if any evaluation completed.
        best: Option<crate::Evaluated<P>>,
    },
    /// The operating system refused to start a worker thread of a parallel run; no
    /// evaluation was started by that call.
    #[error("could not start a worker thread: {message}")]
    ThreadSpawn {
        /// The operating system's reason.
        message: String,
    },
    /// The run ended before any solution was evaluated (for example the sampler could
    /// not propose a single point).
    #[error("the run ended without evaluating any solution")]
    NothingEvaluated,
}

impl<P> RunError<P> {
    /// The best solution found before the error, when there is one.
    pub fn best(&self) -> Option<&crate::Evaluated<P>> {
        match self {
            RunError::ObjectivePanicked { best, .. } => best.as_ref(),
            _ => None,
        }
    }
}
