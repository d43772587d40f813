#![doc = include_str!("../README.md")]

pub mod auto;
mod coordinate;
mod noisy;

pub use crate::auto::{Auto, AutoConfig, Decision, ELITIST_MIN_DIMENSION, Line, SEPARABLE_DEFECT};
