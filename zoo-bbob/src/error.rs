//! Typed errors of the crate.

use thiserror::Error;

/// A BBOB problem that cannot be built or a point that cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum BbobError {
    /// The function number is outside 1..=24.
    #[error("BBOB functions are numbered 1 to 24, got {0}")]
    UnknownFunction(usize),
    /// The dimension is below 2 (several functions divide by `dimension - 1`).
    #[error("BBOB problems need at least 2 variables, got {0}")]
    DimensionTooSmall(usize),
    /// An instance number whose seeds leave the legacy generator's range (seeds must stay below
    /// 2³¹ − 1; COCO's C code reads outside its shuffle table there).
    #[error("instance {instance} is too large: BBOB instances go up to {max}")]
    InstanceTooLarge {
        /// The instance given.
        instance: u32,
        /// The largest instance whose seeds the generator accepts.
        max: u32,
    },
    /// A point whose length differs from the problem's dimension.
    #[error("the point has {got} coordinates, the problem has {expected}")]
    WrongLength {
        /// The problem's dimension.
        expected: usize,
        /// The length of the point given.
        got: usize,
    },
    /// An I/O failure while writing COCO data files.
    #[error("writing COCO data: {0}")]
    Io(String),
    /// A run record that COCO's format cannot hold.
    #[error("invalid run record: {0}")]
    InvalidRecord(String),
}
