#![doc = include_str!("../README.md")]

mod averaged;
mod error;
mod noisy;
mod racing;
mod resampling;
mod suppressed;
mod tally;

pub use averaged::Averaged;
pub use error::NoiseError;
pub use noisy::{NoiseModel, Noisy};
pub use racing::Racing;
pub use resampling::Resampling;
pub use suppressed::{Estimate, Suppressed, SuppressionConfig, Trigger};

/// The user guide `docs/noise.md`, compiled here so that its snippets are tested.
#[cfg(doctest)]
#[doc = include_str!("../../docs/noise.md")]
pub struct NoiseGuide;
