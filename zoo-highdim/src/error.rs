//! Typed errors of the embedding crate.

use thiserror::Error;
use zoo_core::{ConfigError, SpaceError};

/// An embedding that cannot be built.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum EmbeddingError {
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
        source: ConfigError,
    },
    /// A setting is out of range.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A low-dimensional space could not be built.
    #[error(transparent)]
    Space(#[from] SpaceError),
}
