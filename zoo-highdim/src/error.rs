//! Typed errors of the embedding crate.

use thiserror::Error;
use zoo_core::{ConfigError, SpaceError};

/// An embedding that cannot be built. `E` is the error type of the stage factory
/// ([`ConfigError`] for the samplers of this workspace), kept as it is.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum EmbeddingError<E = ConfigError> {
    /// The original space has a dimension that is not a plain continuous interval
    /// (integer, categorical, or continuous with a precision). Embeddings map into
    /// continuous boxes only.
    #[error("dimension {index} is not a plain continuous interval: random embeddings need a continuous box")]
    NotContinuous {
        /// Index of the first such dimension.
        index: usize,
    },
    /// The low dimension exceeds the dimension of the original space.
    #[error("low dimension {low} exceeds the {dim} dimensions of the space")]
    LowDimensionTooLarge {
        /// `d` requested.
        low: usize,
        /// `D` of the original space.
        dim: usize,
    },
    /// The factory could not build the sampler of a stage.
    #[error("the sampler of stage {stage} could not be built: {source}")]
    Stage {
        /// Stage index, from 0.
        stage: usize,
        /// What the factory reported.
        #[source]
        source: E,
    },
    /// A setting is out of range.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A low-dimensional space could not be built.
    #[error(transparent)]
    Space(#[from] SpaceError),
}

impl EmbeddingError {
    /// The same error for a factory of another error type (settings and spaces are
    /// checked before any factory runs, so no stage error of this type crosses over).
    pub(crate) fn lift<E>(self) -> EmbeddingError<E> {
        match self {
            EmbeddingError::NotContinuous { index } => EmbeddingError::NotContinuous { index },
            EmbeddingError::LowDimensionTooLarge { low, dim } => {
                EmbeddingError::LowDimensionTooLarge { low, dim }
            }
            EmbeddingError::Stage { source, .. } | EmbeddingError::Config(source) => {
                EmbeddingError::Config(source)
            }
            EmbeddingError::Space(e) => EmbeddingError::Space(e),
        }
    }
}
