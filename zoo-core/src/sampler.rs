//! The ask/tell interface every algorithm implements, and the objective it minimizes.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::StateError;
use crate::rng::ZooRng;

/// What a sampler proposes and an objective evaluates: a coordinate vector for the
/// continuous and mixed samplers, a bit set for subset selection.
pub trait Solution: Clone + std::fmt::Debug + Serialize + DeserializeOwned {
    /// What an objective receives (`[f64]` for coordinate vectors).
    type View: ?Sized;

    /// The view handed to the objective.
    fn view(&self) -> &Self::View;
}

impl Solution for Vec<f64> {
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
/// The run ledger ([`crate::Ledger`], driven by [`crate::Minimize`] and the parallel and
/// Python drivers) owns the budget, the history and the stopping rules; a sampler only
/// learns. It hears the budget once, through [`Sampler::start`]. `tell` also accepts points that were never asked (warm
/// starts) and values for points asked in any order (parallel evaluation). Values passed
/// to `tell` are never NaN when they come from the run loop (NaN is ranked as +∞), but a
/// sampler must not misbehave if a caller passes one.
pub trait Sampler {
    /// The kind of point proposed.
    type Solution: Solution;

    /// Called once by the run ledger before the first ask (and before warm-start tells)
    /// with the run's evaluation budget; samplers that plan by budget override it. A
    /// sampler used without it must still work.
    fn start(&mut self, budget: u64) {
        let _ = budget;
    }

    /// The next point to evaluate, or `None` when the sampler cannot propose a new one
    /// (a small discrete space is exhausted).
    fn ask(&mut self, rng: &mut ZooRng) -> Option<Self::Solution>;

    /// The value of a point.
    fn tell(&mut self, x: Self::Solution, value: f64);

    /// The recommended solution, once anything has been told.
    fn best(&self) -> Option<&Evaluated<Self::Solution>>;

    /// Checks a state that was deserialised (a checkpoint) against the rules the
    /// constructors enforce: the space, the settings' ranges, the lengths and sizes of
    /// what the sampler keeps, and that every kept point lies in the space. A state that
    /// passes cannot make `ask` or `tell` panic, allocate beyond what its space needs, or
    /// propose a point outside the space. The run drivers call it (through
    /// [`crate::Ledger::validate`]) before they continue a run.
    ///
    /// The default accepts every state: a sampler that keeps anything overrides it.
    fn check_state(&self) -> Result<(), StateError> {
        Ok(())
    }

    /// Checks that `x` is a point this sampler may be told (a warm start): the right
    /// length, finite, inside the space. `what` names the point in the error.
    ///
    /// The default accepts every point: a sampler with a space overrides it.
    fn check_point(&self, x: &Self::Solution, what: &str) -> Result<(), StateError> {
        let _ = (x, what);
        Ok(())
    }
}

/// Checks that `best` (a sampler's kept recommendation) is a point of its space with a
/// value that is not NaN; for [`Sampler::check_state`] implementations.
pub fn check_kept<S: Sampler + ?Sized>(
    sampler: &S,
    kept: impl IntoIterator<Item = impl std::borrow::Borrow<Evaluated<S::Solution>>>,
    what: &str,
) -> Result<(), StateError> {
    for (i, e) in kept.into_iter().enumerate() {
        let e = e.borrow();
        sampler.check_point(&e.x, &format!("{what} {i}"))?;
        StateError::ensure(!e.value.is_nan(), || format!("{what} {i} has a NaN value"))?;
    }
    Ok(())
}

/// A sampler that keeps a small set of solutions it trusts (SRACOS's positive set) and
/// lets a wrapper re-estimate their values: the capability value suppression needs.
pub trait Trusted: Sampler {
    /// The trusted solutions, best first.
    fn trusted(&self) -> &[Evaluated<Self::Solution>];

    /// Replaces the values of the trusted solutions by re-estimates, `values[i]` for
    /// `trusted()[i]`; the sampler then restores its ordering (and its recommendation).
    fn revalue(&mut self, values: &[f64]);
}
