//! The scale on which an objective's values add up over the coordinates.
//!
//! A separable objective need not be a sum: the logarithm of a sum of one-coordinate
//! terms, the root of a sum of squares (a Euclidean distance, a root-mean-square error) or
//! a product of positive factors has the same minimizer, coordinate by coordinate, as the
//! sum it is an increasing function of. Rank-based methods (CMA-ES, SRACOS) see no
//! difference; the separability probe, which checks the identity
//! `f(m) + f(m') = f(a) + f(b)` of swapped points, and the line searches' check of a
//! sweep's combined point do. [`AdditiveScale`] names the increasing transformation that
//! turns such values back into a sum.

use serde::{Deserialize, Serialize};

/// The increasing transformation of the values under which they add up over the
/// coordinates (`t(f(x)) = c + Σ gᵢ(xᵢ)`), as the separability probe found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AdditiveScale {
    /// The values themselves: `f(x) = Σ gᵢ(xᵢ)`.
    #[default]
    Values,
    /// `exp f` adds up: `f` is the logarithm of a sum of positive terms.
    Exp,
    /// `f²` adds up, `f ≥ 0`: `f` is the root of a sum (a Euclidean distance, a
    /// root-mean-square error).
    Square,
    /// `ln f` adds up, `f > 0`: `f` is a product of positive one-coordinate factors.
    Log,
    /// `√f` adds up, `f ≥ 0`: `f` is the square of a sum of non-negative terms.
    SquareRoot,
}

impl AdditiveScale {
    /// The scales the probe tries after the values themselves, in this order.
    pub(crate) const TRANSFORMED: [AdditiveScale; 4] = [
        AdditiveScale::Exp,
        AdditiveScale::Square,
        AdditiveScale::Log,
        AdditiveScale::SquareRoot,
    ];

    /// Whether `value` lies in the domain where the transformation is increasing.
    pub(crate) fn admits(self, value: f64) -> bool {
        match self {
            AdditiveScale::Values | AdditiveScale::Exp => value.is_finite(),
            AdditiveScale::Square | AdditiveScale::SquareRoot => value.is_finite() && value >= 0.0,
            AdditiveScale::Log => value.is_finite() && value > 0.0,
        }
    }

    /// The transformed value. `reference` keeps `exp` in range: the sum's constant is
    /// arbitrary, so `exp(value − reference)` adds up as well as `exp(value)` does.
    pub(crate) fn apply(self, value: f64, reference: f64) -> f64 {
        match self {
            AdditiveScale::Values => value,
            AdditiveScale::Exp => (value - reference).exp(),
            AdditiveScale::Square => value * value,
            AdditiveScale::Log => value.ln(),
            AdditiveScale::SquareRoot => value.sqrt(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_transformation_is_increasing_on_its_domain() {
        let values = [1e-300, 1e-8, 0.5, 1.0, 2.0, 1e3, 1e8];
        for scale in AdditiveScale::TRANSFORMED {
            for pair in values.windows(2) {
                let (lo, hi) = (pair[0], pair[1]);
                assert!(scale.admits(lo) && scale.admits(hi));
                assert!(
                    scale.apply(lo, hi) < scale.apply(hi, hi),
                    "{scale:?} at {lo} and {hi}"
                );
            }
        }
        assert!(!AdditiveScale::Log.admits(0.0));
        assert!(!AdditiveScale::Square.admits(-1.0));
        assert!(AdditiveScale::Exp.admits(-1.0));
        assert!(!AdditiveScale::Values.admits(f64::INFINITY));
    }

    #[test]
    fn the_transformations_undo_the_usual_wrappers_of_a_sum() {
        let terms = [0.3_f64, 2.5, 7.0];
        let sum: f64 = terms.iter().sum();
        let cases = [
            (AdditiveScale::Exp, sum.ln()),
            (AdditiveScale::Square, sum.sqrt()),
            (AdditiveScale::SquareRoot, sum * sum),
        ];
        for (scale, wrapped) in cases {
            assert!((scale.apply(wrapped, 0.0) - sum).abs() < 1e-12 * sum, "{scale:?}");
        }
        let product: f64 = terms.iter().product();
        let logs: f64 = terms.iter().map(|t| t.ln()).sum();
        assert!((AdditiveScale::Log.apply(product, 0.0) - logs).abs() < 1e-12);
    }
}
