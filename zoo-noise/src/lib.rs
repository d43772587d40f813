#![doc = include_str!("../README.md")]

mod error;
mod noisy;
mod resampled;
mod resampling;
mod suppressed;
mod tally;

pub use error::NoiseError;
pub use noisy::Noisy;
pub use resampled::Resampled;
pub use resampling::Resampling;
pub use suppressed::{Estimate, Suppressed, SuppressionConfig, Trigger};

/// The user guide `docs/noise.md`, compiled here so that its snippets are tested.
#[cfg(doctest)]
#[doc = include_str!("../../docs/noise.md")]
pub struct NoiseGuide;
