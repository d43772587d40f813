//! The ask/tell interface every algorithm implements, and the objective it minimizes.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::rng::ZooRng;

/// A point a sampler proposes: a coordinate vector for the RACOS family, a bit set for
/// subset selection.
pub trait Point: Clone + std::fmt::Debug + Serialize + DeserializeOwned {
    /// What an objective receives (`[f64]` for coordinate vectors).
    type View: ?Sized;

    /// The view handed to the objective.
    fn view(&self) -> &Self::View;
}

impl Point for Vec<f64> {
    type View = [f64];

    fn view(&self) -> &[f64] {
        self
    }
}

/// A function to minimize. Any `Fn(&[f64]) -> f64` closure is one.
///
/// Objectives take `&self` so that one value can be shared by parallel evaluations
/// (which also require `Sync`). An objective that keeps state uses interior mutability.
pub trait Objective<V: ?Sized = [f64]> {
    /// The value at `x`: lower is better. NaN is ranked as +∞.
    fn evaluate(&self, x: &V) -> f64;
}

impl<V: ?Sized, F: Fn(&V) -> f64> Objective<V> for F {
    fn evaluate(&self, x: &V) -> f64 {
        self(x)
    }
}

/// A solution together with its (estimated) value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluated<P> {
    /// The point.
    pub x: P,
    /// Its value; `+∞` for points whose evaluation returned NaN.
    #[serde(with = "crate::float_serde")]
    pub value: f64,
}

impl<P> Evaluated<P> {
    /// Pairs a point with its value.
    pub fn new(x: P, value: f64) -> Self {
        Evaluated { x, value }
    }
}

/// The value used for ranking: NaN becomes +∞, everything else is kept.
#[inline]
pub fn ranked(value: f64) -> f64 {
    if value.is_nan() { f64::INFINITY } else { value }
}

/// An optimization algorithm as a state machine: `ask` proposes a point, `tell` reports
/// its value, `best` recommends.
///
/// The run loop ([`crate::Minimize`]) owns the budget, the history and the stopping
/// rules; a sampler only learns. `tell` also accepts points that were never asked (warm
/// starts) and values for points asked in any order (parallel evaluation). Values passed
/// to `tell` are never NaN when they come from the run loop (NaN is ranked as +∞), but a
/// sampler must not misbehave if a caller passes one.
pub trait Sampler {
    /// The kind of point proposed.
    type Point: Point;

    /// The next point to evaluate, or `None` when the sampler cannot propose a new one
    /// (a small discrete space is exhausted).
    fn ask(&mut self, rng: &mut ZooRng) -> Option<Self::Point>;

    /// The value of a point.
    fn tell(&mut self, x: Self::Point, value: f64);

    /// The recommended solution, once anything has been told.
    fn best(&self) -> Option<&Evaluated<Self::Point>>;

    /// Called once by the run loop before the first ask with the run's evaluation budget;
    /// samplers that plan by budget override it.
    #[allow(unused_variables)]
    fn start(&mut self, budget: u64) {}
}

/// A sampler that keeps a small set of solutions it trusts (SRACOS's positive set) and
/// lets a wrapper re-estimate their values: the capability value suppression needs.
pub trait Trusted: Sampler {
    /// The trusted solutions, best first.
    fn trusted(&self) -> &[Evaluated<Self::Point>];

    /// Replaces the values of the trusted solutions by re-estimates, `values[i]` for
    /// `trusted()[i]`; the sampler then restores its ordering (and its recommendation).
    fn revalue(&mut self, values: &[f64]);
}
