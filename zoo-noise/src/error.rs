//! Typed errors of the noise-handling wrappers.

use thiserror::Error;
use zoo_core::ConfigError;

/// A noise-handling setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum NoiseError {
    /// A count that must be positive was 0.
    #[error("setting `{name}` must be at least 1, got 0")]
    Zero {
        /// Name of the setting.
        name: &'static str,
    },
    /// The suppression blend weight lies outside `[0, 1]` (or is NaN).
    #[error("setting `balance_rate` must lie in [0, 1], got {0}")]
    BalanceRate(f64),
    /// A noise standard deviation that is negative, infinite or NaN.
    #[error("noise standard deviation must be finite and non-negative, got {0}")]
    Sigma(f64),
    /// The wrapped sampler's own configuration was rejected.
    #[error(transparent)]
    Config(#[from] ConfigError),
}
