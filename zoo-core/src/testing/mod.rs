//! Test functions and the conformance suite every sampler of the workspace runs.
//! Enabled by the `testing` feature.

pub mod conformance;
pub mod functions;
