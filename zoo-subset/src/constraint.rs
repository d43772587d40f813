//! Constraints on subsets: the second objective of Pareto subset selection.
//!
//! POSS and PONSS treat a constrained problem "minimize `f(s)` subject to `g(s) ≥ 0`" as
//! two objectives: minimize the loss `f` and maximize the slack `g`. A subset is feasible
//! when its slack is non-negative. For the usual size constraint `|s| ≤ k` the slack is
//! `k − |s|`, so maximizing it means preferring small subsets.
//!
//! A constraint is a small serialisable value rather than a closure, so samplers that
//! hold one can be checkpointed with serde. [`SlackFn`] wraps a closure for one-off
//! constraints; samplers holding it work the same but cannot be serialised.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::SubsetError;
use crate::subset::Subset;

/// A constraint `g(s) ≥ 0` on subsets.
pub trait Constraint {
    /// The slack `g(s)`: the subset is feasible when it is `≥ 0`; larger is better.
    fn slack(&self, s: &Subset) -> f64;

    /// Subsets that are never worth evaluating: a sampler does not propose them and
    /// counts their loss as +∞ when they are told. The default excludes nothing.
    fn excludes(&self, _s: &Subset) -> bool {
        false
    }

    /// The isolation class of a subset: POSS and PONSS only let a member dominate (and so
    /// block) a newcomer of its own class, which keeps a front per class (ZOOpt's
    /// isolation function). The default puts every subset in class 0.
    fn isolation(&self, _s: &Subset) -> u64 {
        0
    }

    /// Checks that the constraint suits subsets of `n` items (run by the samplers'
    /// constructors).
    fn check(&self, _n: usize) -> Result<(), SubsetError> {
        Ok(())
    }
}

/// At most `k` items: slack `k − |s|`.
///
/// As in the POSS paper (and ZOOpt's sparse-regression example), subsets of `2k` or more
/// items are excluded: they can never lead to a good feasible subset within the
/// analysed budget, and the empty set (slack `k`) dominates them anyway once their
/// loss is +∞. Excluding them up front means no evaluation is spent on them.
///
/// ```
/// use zoo_subset::{Constraint, SizeLimit, Subset};
/// let limit = SizeLimit::new(2);
/// let s = Subset::from_indices(10, [1, 4, 7])?;
/// assert_eq!(limit.slack(&s), -1.0);
/// assert!(!limit.excludes(&s));
/// assert!(limit.excludes(&Subset::from_indices(10, [0, 1, 2, 3])?));
/// # Ok::<(), zoo_subset::SubsetError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeLimit {
    k: usize,
}

impl SizeLimit {
    /// At most `k` items (checked against `n`, `1 ≤ k ≤ n`, when a sampler is built).
    pub const fn new(k: usize) -> SizeLimit {
        SizeLimit { k }
    }

    /// The limit `k`.
    pub const fn k(&self) -> usize {
        self.k
    }
}

impl Constraint for SizeLimit {
    fn slack(&self, s: &Subset) -> f64 {
        self.k as f64 - s.count() as f64
    }

    fn excludes(&self, s: &Subset) -> bool {
        s.count() >= 2 * self.k
    }

    fn check(&self, n: usize) -> Result<(), SubsetError> {
        if self.k == 0 || self.k > n {
            return Err(SubsetError::SizeLimit { k: self.k, n });
        }
        Ok(())
    }
}

/// Total cost at most a budget: slack `budget − Σ_{i∈s} cost_i` (a knapsack-type
/// constraint, e.g. features with different acquisition costs).
///
/// Subsets with equal cost rarely coincide, so PONSS's per-slack re-evaluation groups
/// stay small under this constraint; it is meant for POSS.
///
/// ```
/// use zoo_subset::{Constraint, CostLimit, Subset};
/// let limit = CostLimit::new(vec![1.0, 2.5, 0.5], 3.0)?;
/// assert_eq!(limit.slack(&Subset::from_indices(3, [0, 2])?), 1.5);
/// # Ok::<(), zoo_subset::SubsetError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostLimit {
    costs: Vec<f64>,
    budget: f64,
}

impl CostLimit {
    /// Item `i` costs `costs[i]` (finite, `≥ 0`); the total may not exceed `budget`.
    pub fn new(costs: Vec<f64>, budget: f64) -> Result<CostLimit, SubsetError> {
        if let Some((index, &cost)) = costs
            .iter()
            .enumerate()
            .find(|(_, c)| !(c.is_finite() && **c >= 0.0))
        {
            return Err(SubsetError::InvalidCost { index, cost });
        }
        if !(budget.is_finite() && budget >= 0.0) {
            return Err(SubsetError::InvalidBudget(budget));
        }
        Ok(CostLimit { costs, budget })
    }

    /// The total cost of `s`.
    pub fn cost(&self, s: &Subset) -> f64 {
        // An item without a cost (a subset of a larger universe) is never affordable.
        s.iter()
            .map(|i| self.costs.get(i).copied().unwrap_or(f64::INFINITY))
            .sum()
    }
}

impl Constraint for CostLimit {
    fn slack(&self, s: &Subset) -> f64 {
        self.budget - self.cost(s)
    }

    fn check(&self, n: usize) -> Result<(), SubsetError> {
        if self.costs.len() != n {
            return Err(SubsetError::CostCount {
                expected: n,
                got: self.costs.len(),
            });
        }
        Ok(())
    }
}

/// A constraint given by a closure returning the slack `g(s)` (feasible iff `≥ 0`).
///
/// Samplers holding a `SlackFn` cannot be serialised, so runs using it cannot be
/// checkpointed; prefer [`SizeLimit`], [`CostLimit`] or your own serialisable type
/// implementing [`Constraint`] when that matters.
///
/// ```
/// use zoo_subset::{Constraint, SlackFn, Subset};
/// // At least 3 items.
/// let at_least_three = SlackFn(|s: &Subset| s.count() as f64 - 3.0);
/// assert!(at_least_three.slack(&Subset::full(5)) >= 0.0);
/// ```
#[derive(Clone, Copy)]
pub struct SlackFn<F>(pub F);

impl<F: Fn(&Subset) -> f64> Constraint for SlackFn<F> {
    fn slack(&self, s: &Subset) -> f64 {
        (self.0)(s)
    }
}

impl<F> fmt::Debug for SlackFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SlackFn(..)")
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn size_limit_slack_and_exclusion() {
        let limit = SizeLimit::new(3);
        assert_eq!(limit.slack(&Subset::empty(10)), 3.0);
        assert_eq!(limit.slack(&Subset::from_indices(10, 0..5).unwrap()), -2.0);
        assert!(!limit.excludes(&Subset::from_indices(10, 0..5).unwrap()));
        assert!(limit.excludes(&Subset::from_indices(10, 0..6).unwrap()));
    }

    #[test]
    fn size_limit_must_lie_between_one_and_n() {
        assert!(SizeLimit::new(0).check(5).is_err());
        assert!(SizeLimit::new(6).check(5).is_err());
        assert!(SizeLimit::new(5).check(5).is_ok());
    }

    #[test]
    fn cost_limit_validates_costs_and_length() {
        assert!(matches!(
            CostLimit::new(vec![1.0, -1.0], 1.0),
            Err(SubsetError::InvalidCost { index: 1, .. })
        ));
        assert!(CostLimit::new(vec![1.0, f64::NAN], 1.0).is_err());
        assert!(CostLimit::new(vec![1.0], f64::INFINITY).is_err());
        let limit = CostLimit::new(vec![1.0, 2.0], 2.0).unwrap();
        assert!(limit.check(3).is_err());
        assert!(limit.check(2).is_ok());
        assert_eq!(limit.slack(&Subset::full(2)), -1.0);
    }

    #[test]
    fn constraints_round_trip_through_json() {
        let limit = CostLimit::new(vec![0.5, 1.5], 1.0).unwrap();
        let back: CostLimit = serde_json::from_str(&serde_json::to_string(&limit).unwrap()).unwrap();
        assert_eq!(back, limit);
        let size: SizeLimit = serde_json::from_str(r#"{"k":4}"#).unwrap();
        assert_eq!(size.k(), 4);
    }
}
