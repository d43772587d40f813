#![doc = include_str!("../README.md")]

pub mod auto;
mod coordinate;
mod enumeration;
mod noisy;
mod scale;

pub use crate::auto::{
    Auto, AutoConfig, Decision, ELITIST_MIN_DIMENSION, EVOLUTION_DIMENSIONS, EVOLUTION_MIN_PER_COORDINATE,
    Line, SEPARABLE_DEFECT, WEAK_COUPLING,
};
pub use crate::scale::AdditiveScale;
