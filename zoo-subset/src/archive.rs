//! The bi-objective archive shared by POSS and PONSS: members, (θ-)domination, and the
//! choice of the recommended member.

use serde::{Deserialize, Serialize};
use zoo_core::{Evaluated, StateError};

use crate::subset::Subset;

/// A subset kept in a Pareto archive: its loss (`point.value`, minimized) and its
/// constraint slack (maximized; feasible when `≥ 0`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// The subset and its loss.
    pub point: Evaluated<Subset>,
    /// Its constraint slack `g(s)`.
    #[serde(with = "zoo_core::float_serde")]
    pub slack: f64,
}

impl Member {
    /// The loss `f(s)`.
    #[inline]
    pub fn loss(&self) -> f64 {
        self.point.value
    }

    /// Whether the subset satisfies the constraint.
    #[inline]
    pub fn is_feasible(&self) -> bool {
        self.slack >= 0.0
    }
}

/// Checks deserialised members: subsets of `n` items, losses and slacks not NaN.
pub(crate) fn check(members: &[Member], n: usize, what: &str) -> Result<(), StateError> {
    for (i, m) in members.iter().enumerate() {
        check_universe(&m.point.x, n, &format!("{what} {i}"))?;
        StateError::ensure(!m.point.value.is_nan() && !m.slack.is_nan(), || {
            format!("{what} {i} has a NaN loss or slack")
        })?;
    }
    Ok(())
}

/// `x` as a subset of `n` items.
pub(crate) fn check_universe(x: &Subset, n: usize, what: &str) -> Result<(), StateError> {
    if x.universe() == n {
        return Ok(());
    }
    Err(StateError::Point {
        what: what.to_owned(),
        reason: format!("a subset of {} items where {n} were expected", x.universe()),
    })
}

/// `a` θ-dominates `b`: `(f_a + θ < f_b and g_a ≥ g_b) or (f_a + θ ≤ f_b and g_a > g_b)`.
/// With `θ = 0` this is plain Pareto domination (POSS).
///
/// ```
/// use zoo_subset::dominates;
/// // (loss, slack) pairs, θ = 0.5 (the examples of PONSS's rule).
/// assert!(dominates((1.0, 2.0), (1.6, 2.0), 0.5));
/// assert!(!dominates((1.0, 2.0), (1.5, 2.0), 0.5));
/// assert!(dominates((1.0, 3.0), (1.5, 2.0), 0.5));
/// ```
#[inline]
pub fn dominates(a: (f64, f64), b: (f64, f64), theta: f64) -> bool {
    let (fa, ga) = a;
    let (fb, gb) = b;
    (fa + theta < fb && ga >= gb) || (fa + theta <= fb && ga > gb)
}

/// `a` θ-weakly-dominates `b`: `f_a + θ ≤ f_b and g_a ≥ g_b`. With `θ = 0`, plain weak
/// Pareto domination.
///
/// ```
/// use zoo_subset::weakly_dominates;
/// assert!(weakly_dominates((1.0, 2.0), (1.5, 2.0), 0.5));
/// assert!(!weakly_dominates((1.0, 1.0), (1.5, 2.0), 0.5));
/// ```
#[inline]
pub fn weakly_dominates(a: (f64, f64), b: (f64, f64), theta: f64) -> bool {
    a.0 + theta <= b.0 && a.1 >= b.1
}

/// Inserts `candidate` into `archive` unless a member of its isolation class θ-dominates
/// it, then drops every member it θ-weakly-dominates, whatever their class (as ZOOpt).
/// Returns whether it was inserted.
///
/// Every member is tested against the candidate itself, never against another member:
/// ZOOpt's PONSS compared each member with the archive's last entry instead (bug B4),
/// which either emptied the archive or kept everything.
pub(crate) fn insert(
    archive: &mut Vec<Member>,
    candidate: Member,
    theta: f64,
    isolation: impl Fn(&Subset) -> u64,
) -> bool {
    let c = (candidate.loss(), candidate.slack);
    let mut class = None;
    let mut blocks = |z: &Member| {
        dominates((z.loss(), z.slack), c, theta)
            && isolation(&z.point.x) == *class.get_or_insert_with(|| isolation(&candidate.point.x))
    };
    if archive.iter().any(&mut blocks) {
        return false;
    }
    archive.retain(|z| !weakly_dominates(c, (z.loss(), z.slack), theta));
    archive.push(candidate);
    true
}

/// The index of the feasible member with the lowest loss (the first one on ties).
pub(crate) fn best_feasible<'a>(
    members: impl IntoIterator<Item = &'a Member>,
) -> Option<(usize, &'a Member)> {
    let mut best: Option<(usize, &Member)> = None;
    for (i, m) in members.into_iter().enumerate() {
        if m.is_feasible() && best.is_none_or(|(_, b)| m.loss() < b.loss()) {
            best = Some((i, m));
        }
    }
    best
}

/// The smallest violation `-slack` among `members`, +∞ when there are none.
pub(crate) fn least_violation<'a>(members: impl IntoIterator<Item = &'a Member>) -> f64 {
    members
        .into_iter()
        .map(|m| -m.slack)
        .fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    fn insert_plain(archive: &mut Vec<Member>, candidate: Member, theta: f64) -> bool {
        insert(archive, candidate, theta, |_| 0)
    }

    fn member(items: &[usize], loss: f64, slack: f64) -> Member {
        Member {
            point: Evaluated::new(Subset::from_indices(10, items.iter().copied()).unwrap(), loss),
            slack,
        }
    }

    #[test]
    fn pareto_domination_needs_one_strict_improvement() {
        assert!(dominates((1.0, 2.0), (2.0, 2.0), 0.0));
        assert!(dominates((1.0, 3.0), (1.0, 2.0), 0.0));
        assert!(!dominates((1.0, 2.0), (1.0, 2.0), 0.0));
        assert!(!dominates((1.0, 1.0), (2.0, 2.0), 0.0));
        assert!(weakly_dominates((1.0, 2.0), (1.0, 2.0), 0.0));
        assert!(!weakly_dominates((1.0, 1.0), (1.0, 2.0), 0.0));
    }

    #[test]
    fn theta_domination_follows_the_spec_examples() {
        let theta = 0.5;
        // Same slack: the loss must be better by more than θ.
        assert!(dominates((1.0, 2.0), (1.6, 2.0), theta));
        assert!(!dominates((1.0, 2.0), (1.5, 2.0), theta));
        assert!(!dominates((1.0, 2.0), (1.2, 2.0), theta));
        // Strictly larger slack: better by at least θ suffices.
        assert!(dominates((1.0, 3.0), (1.5, 2.0), theta));
        assert!(!dominates((1.0, 3.0), (1.4, 2.0), theta));
        // Weak θ-domination: f_a + θ ≤ f_b and g_a ≥ g_b.
        assert!(weakly_dominates((1.0, 2.0), (1.5, 2.0), theta));
        assert!(!weakly_dominates((1.0, 2.0), (1.4, 2.0), theta));
        assert!(!weakly_dominates((1.0, 1.0), (9.0, 2.0), theta));
    }

    #[test]
    fn infinite_losses_compare_sensibly() {
        let inf = f64::INFINITY;
        assert!(dominates((0.5, 1.0), (inf, 1.0), 0.5));
        // Two empty sets with +∞ loss: the newcomer replaces the old one.
        assert!(!dominates((inf, 3.0), (inf, 3.0), 0.0));
        assert!(weakly_dominates((inf, 3.0), (inf, 3.0), 0.0));
        // +∞ loss with a larger slack dominates any +∞ loss with a smaller one.
        assert!(dominates((inf, 3.0), (inf, -5.0), 0.0));
    }

    #[test]
    fn a_member_only_blocks_newcomers_of_its_isolation_class() {
        // Class: whether item 0 is in the subset.
        let class = |s: &Subset| u64::from(s.contains(0));
        let mut a = vec![member(&[1], 0.5, 1.0)];
        // Same class as {1}: dominated, refused.
        assert!(!insert(&mut a, member(&[2], 0.9, 1.0), 0.0, class));
        // Another class: not compared with {1}, kept beside it.
        assert!(insert(&mut a, member(&[0], 0.9, 1.0), 0.0, class));
        assert_eq!(a.len(), 2);
        // Removal ignores the classes: {3} weakly dominates both and replaces them.
        assert!(insert(&mut a, member(&[3], 0.4, 1.0), 0.0, class));
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn insert_keeps_a_pareto_front() {
        let mut a = Vec::new();
        assert!(insert_plain(&mut a, member(&[], f64::INFINITY, 2.0), 0.0));
        assert!(insert_plain(&mut a, member(&[1], 0.8, 1.0), 0.0));
        assert!(insert_plain(&mut a, member(&[1, 2], 0.6, 0.0), 0.0));
        // Dominated by {1}: worse loss, same slack.
        assert!(!insert_plain(&mut a, member(&[3], 0.9, 1.0), 0.0));
        // Better single item replaces {1}.
        assert!(insert_plain(&mut a, member(&[4], 0.7, 1.0), 0.0));
        let sets: Vec<Vec<usize>> = a.iter().map(|m| m.point.x.to_vec()).collect();
        assert_eq!(sets, vec![vec![], vec![1, 2], vec![4]]);
        // A pair better than {4} in loss but with less slack joins and evicts {1, 2}.
        assert!(insert_plain(&mut a, member(&[4, 5], 0.5, 0.0), 0.0));
        assert_eq!(a.len(), 3);
        assert_eq!(best_feasible(&a).unwrap().1.point.x.to_vec(), [4, 5]);
    }

    #[test]
    fn theta_insert_removes_only_what_the_newcomer_weakly_dominates() {
        // Regression for ZOOpt's B4: members are tested against the newcomer.
        let mut a = vec![
            member(&[1], 0.9, 1.0),
            member(&[2], 0.1, 1.0),
            member(&[3], 1.5, 1.0),
        ];
        // {2} θ-dominates a newcomer at 0.95 (0.1 + 0.5 < 0.95), not one at 0.55.
        assert!(!insert_plain(&mut a, member(&[4], 0.95, 1.0), 0.5));
        assert!(insert_plain(&mut a, member(&[4], 0.55, 1.0), 0.5));
        // Only {3} (1.5 ≥ 0.55 + 0.5) goes; {1} and {2} stay. ZOOpt tested every member
        // against {3}, the last one, and so kept only the newcomer.
        let sets: Vec<Vec<usize>> = a.iter().map(|m| m.point.x.to_vec()).collect();
        assert_eq!(sets, vec![vec![1], vec![2], vec![4]]);
    }

    #[test]
    fn best_feasible_skips_infeasible_members() {
        let a = vec![
            member(&[1, 2, 3], 0.1, -1.0),
            member(&[1], 0.5, 1.0),
            member(&[2], 0.5, 1.0),
        ];
        assert_eq!(best_feasible(&a).unwrap().0, 1);
        assert!(best_feasible(&a[..1]).is_none());
        assert_eq!(least_violation(&a[..1]), 1.0);
        assert_eq!(least_violation(&[]), f64::INFINITY);
    }
}
