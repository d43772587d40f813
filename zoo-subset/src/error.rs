//! Typed errors of the subset-selection crate.

use thiserror::Error;
use zoo_core::ConfigError;

/// A subset, constraint or sampler configuration that cannot be used, or a run that found
/// no feasible subset.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SubsetError {
    /// Subset selection over zero items.
    #[error("subset selection needs at least one item")]
    NoItems,
    /// More items than a subset may hold ([`crate::MAX_ITEMS`]): every subset is a bit
    /// set of `n` bits, allocated up front.
    #[error("subset selection over {n} items; at most {max} are supported")]
    TooManyItems {
        /// Items given.
        n: usize,
        /// The limit.
        max: usize,
    },
    /// An item index outside the universe.
    #[error("item {index} lies outside 0..{n}")]
    IndexOutOfRange {
        /// The index given.
        index: usize,
        /// The number of items.
        n: usize,
    },
    /// Two subsets (or a subset and a sampler) over different numbers of items.
    #[error("a subset of {got} items where {expected} were expected")]
    UniverseMismatch {
        /// The number of items expected.
        expected: usize,
        /// The number of items found.
        got: usize,
    },
    /// A size limit outside `1..=n`.
    #[error("the size limit k = {k} must lie in 1..={n}")]
    SizeLimit {
        /// The limit given.
        k: usize,
        /// The number of items.
        n: usize,
    },
    /// A cost vector whose length is not the number of items.
    #[error("{got} costs given for {expected} items")]
    CostCount {
        /// The number of items.
        expected: usize,
        /// The number of costs given.
        got: usize,
    },
    /// A negative or non-finite item cost.
    #[error("the cost of item {index} must be finite and non-negative, got {cost}")]
    InvalidCost {
        /// The item.
        index: usize,
        /// Its cost.
        cost: f64,
    },
    /// A cost budget that is not a finite non-negative number.
    #[error("the cost budget must be finite and non-negative, got {0}")]
    InvalidBudget(f64),
    /// The run evaluated subsets, but none of them satisfies the constraint.
    #[error("no feasible subset among the {archived} kept; the least violation is {least_violation}")]
    NoFeasibleSolution {
        /// Subsets kept in the archive.
        archived: usize,
        /// The smallest constraint violation (`-slack`) among them; +∞ when none was told.
        least_violation: f64,
    },
    /// A setting out of range (θ, B), reported with the core crate's error.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

/// Data that cannot be read or used for regression.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum DataError {
    /// An ARFF file that does not parse.
    #[error("ARFF line {line}: {message}")]
    Arff {
        /// 1-based line number.
        line: usize,
        /// What is wrong there.
        message: String,
    },
    /// A data set without rows or without feature columns.
    #[error("the data set has {rows} rows and {columns} feature columns; both must be positive")]
    Empty {
        /// Rows found.
        rows: usize,
        /// Feature columns found.
        columns: usize,
    },
    /// Feature matrix and target of different lengths.
    #[error("the feature matrix has {rows} rows but the target has {target} values")]
    TargetLength {
        /// Rows of the feature matrix.
        rows: usize,
        /// Length of the target.
        target: usize,
    },
    /// A NaN or infinite entry.
    #[error("non-finite value at row {row}, column {column}")]
    NonFinite {
        /// Row of the entry.
        row: usize,
        /// Column of the entry (the target is column `n`).
        column: usize,
    },
    /// A generator setting out of range.
    #[error("setting `{name}` = {value} is out of range: {expected}")]
    OutOfRange {
        /// Name of the setting.
        name: &'static str,
        /// Value given, formatted.
        value: String,
        /// The allowed range, in words.
        expected: &'static str,
    },
}
