#![doc = include_str!("../README.md")]

mod tpe;

pub use tpe::{Tpe, TpeConfig};
