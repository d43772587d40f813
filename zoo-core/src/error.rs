//! Typed errors of the core crate.

use thiserror::Error;

/// A search space or dimension that cannot be built.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SpaceError {
    /// A bound is NaN or infinite, or the width between them overflows `f64`.
    #[error("dimension bounds and the width between them must be finite, got [{lo}, {hi}]")]
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
    /// A continuous precision that is not a positive finite number, or whose grid
    /// cannot be represented over the bounds (`1e-320`: its scale overflows).
    #[error("precision must be positive, finite and representable over the bounds, got {0}")]
    InvalidPrecision(f64),
    /// A precision coarser than the interval: no multiple of it lies in `[lo, hi]`.
    #[error("no multiple of the precision {precision} lies in [{lo}, {hi}]")]
    EmptyGrid {
        /// Lower bound given.
        lo: f64,
        /// Upper bound given.
        hi: f64,
        /// Precision given (as the power of ten in use).
        precision: f64,
    },
    /// An integer bound beyond ±2^53: coordinates are `f64`, which hold every integer
    /// only up to 2^53 in magnitude.
    #[error("integer bounds must lie within ±2^53, got [{lo}, {hi}]")]
    IntegerBeyondF64 {
        /// Lower bound given.
        lo: i64,
        /// Upper bound given.
        hi: i64,
    },
    /// More dimensions than memory can hold.
    #[error("a space of {0} dimensions does not fit in memory")]
    TooManyDimensions(usize),
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

/// A state that cannot be resumed: a checkpoint (a deserialised [`crate::Ledger`] or
/// sampler) that breaks a rule its constructors enforce, or a warm-start point that is not
/// a point of the space.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum StateError {
    /// The space in the state is invalid.
    #[error("invalid space in the state: {0}")]
    Space(#[from] SpaceError),
    /// A setting in the state is outside its valid range.
    #[error("invalid setting in the state: {0}")]
    Config(#[from] ConfigError),
    /// A point that is not a point of the space (length, bounds, kind, NaN).
    #[error("{what} is not a point of the space: {reason}")]
    Point {
        /// Which point (`"warm-start point 2"`, `"the best solution"`).
        what: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Counts, sizes or values that contradict each other.
    #[error("inconsistent state: {0}")]
    Inconsistent(String),
    /// A state written by a newer format version.
    #[error("state format version {found} is not supported (this version reads up to {supported})")]
    Version {
        /// Version in the state.
        found: u32,
        /// Highest version this build reads.
        supported: u32,
    },
}

impl StateError {
    /// An [`StateError::Inconsistent`] error.
    pub fn inconsistent(what: impl Into<String>) -> Self {
        StateError::Inconsistent(what.into())
    }

    /// Checks `condition`, else an [`StateError::Inconsistent`] error built by `what`.
    pub fn ensure(condition: bool, what: impl FnOnce() -> String) -> Result<(), Self> {
        if condition {
            Ok(())
        } else {
            Err(StateError::Inconsistent(what()))
        }
    }
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
    /// The run's state (a resumed checkpoint, or a warm-start point) is invalid; nothing
    /// was evaluated by that call.
    #[error("invalid run state: {0}")]
    InvalidState(#[from] StateError),
    /// A batch-mode run was asked to pause inside a batch: resuming it would not continue
    /// exactly as the uninterrupted run; nothing was evaluated by that call.
    #[error("a batch run can pause only at a multiple of its batch size {size}, not at {pause_at}")]
    PauseOffBatchBorder {
        /// The pause point asked for.
        pause_at: u64,
        /// The batch size.
        size: u64,
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
