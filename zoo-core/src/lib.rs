#![doc = include_str!("../README.md")]

pub mod error;
pub mod float_serde;
pub mod ledger;
pub mod normal;
mod parallel;
mod random_search;
mod rng;
mod run;
mod sampler;
mod space;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::{ConfigError, RunError, SpaceError, StateError};
pub use ledger::{Callbacks, History, Ledger, Outcome, Progress, Settings, Step, StopReason};
pub use parallel::{Parallel, Threaded};
pub use random_search::RandomSearch;
pub use rng::{ZooRng, mix64};
pub use run::{Minimize, caught, panic_message};
pub use sampler::{Evaluated, Objective, Sampler, Solution, Trusted, check_kept, ranked};
pub use space::{Dimension, Kind, Space, Value};
