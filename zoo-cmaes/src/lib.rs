#![doc = include_str!("../README.md")]

mod cmaes;
mod config;
mod elitist;
mod encoding;
mod penalty;
mod ripples;
mod sep_cmaes;
mod strategy;

pub use crate::cmaes::CmaEs;
pub use crate::config::{
    AUTO_DIAGONAL_ABOVE, AUTO_DIAGONAL_HORIZONS, AUTO_ONE_HOT_UP_TO, Boundary, Categories, CmaEsConfig,
    Covariance, RestartMean, Restarts,
};
pub use crate::sep_cmaes::SepCmaEs;

/// The user guide's examples, compiled and run as doc tests.
#[cfg(doctest)]
mod guide {
    #[doc = include_str!("../../docs/cmaes.md")]
    struct Cmaes;
}
