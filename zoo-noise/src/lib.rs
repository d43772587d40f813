#![doc = include_str!("../README.md")]

mod error;
mod noisy;
mod resampled;
mod resampling;
mod suppressed;

pub use error::NoiseError;
pub use noisy::Noisy;
pub use resampled::Resampled;
pub use resampling::Resampling;
pub use suppressed::{Estimate, Suppressed, SuppressionConfig, Trigger};
