#![doc = include_str!("../README.md")]

pub mod auto;

pub use crate::auto::{Auto, AutoConfig, Decision, Line, SEPARABLE_DEFECT};
