#![doc = include_str!("../README.md")]

pub mod auto;
mod coordinate;

pub use crate::auto::{Auto, AutoConfig, Decision, Line, SEPARABLE_DEFECT};
