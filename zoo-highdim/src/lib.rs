#![doc = include_str!("../README.md")]

mod config;
mod embedded;
mod embedding;
mod error;

pub use config::EmbeddingConfig;
pub use embedded::{Embedded, StageSummary};
pub use embedding::Embedding;
pub use error::EmbeddingError;
