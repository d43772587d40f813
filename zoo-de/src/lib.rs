#![doc = include_str!("../README.md")]

mod de;

pub use de::{Base, DeConfig, DifferentialEvolution};
