#![doc = include_str!("../README.md")]

pub mod error;
pub mod float_serde;
mod parallel;
mod random_search;
mod rng;
mod run;
mod sampler;
mod space;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::{ConfigError, RunError, SpaceError};
pub use parallel::{Parallel, Threaded};
pub use random_search::RandomSearch;
pub use rng::ZooRng;
pub use run::{History, Minimize, Outcome, Progress, RunState, Settings, StopReason, panic_message};
pub use sampler::{Evaluated, Objective, Point, Sampler, Trusted, ranked};
pub use space::{Dimension, Kind, Space, Value};
