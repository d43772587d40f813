//! Value sweeps for separable problems over discrete coordinates: every other value of
//! each coordinate, from one base point.
//!
//! A sum of one-coordinate functions `f(x) = Σ gᵢ(xᵢ)` over discrete coordinates (bits,
//! labels, small integer ranges) is minimized by the value of lowest `gᵢ` at each
//! coordinate. A sweep evaluates the base with one coordinate moved to one of its other
//! values, for every coordinate and value (`Σ (cᵢ − 1)` points for coordinates of `cᵢ`
//! values; the points are independent, so parallel batches evaluate them together), and
//! ends with the combined point: every coordinate at its lowest value. On a separable
//! function that point is the optimum after one sweep. The best point of the sweep is the
//! next sweep's base, while sweeps gain (a coupling the separability probe missed makes
//! them steps of a local search that changes one coordinate at a time). Where labels sit
//! beside ordered coordinates, one sweep covers the labels alone
//! ([`ValueSweeps::labels_once`]), and line searches take the ordered coordinates after it.

use serde::{Deserialize, Serialize};
use zoo_core::{Evaluated, Space, StateError, ranked};

/// Sweeps of every other value of each discrete coordinate from the best point so far.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ValueSweeps {
    /// The best point of the completed sweeps.
    base: Evaluated<Vec<f64>>,
    /// This sweep's moves, by coordinate: the coordinate and its new value.
    moves: Vec<(usize, f64)>,
    /// The value of each move's point (NaN until told).
    #[serde(with = "zoo_core::float_serde::vec")]
    values: Vec<f64>,
    /// Moves handed out.
    handed: usize,
    /// The sweep's point with every coordinate at its lowest value, once handed out.
    combined: Option<Vec<f64>>,
    sweeps: u32,
    finished: bool,
    /// The coordinates swept: all (`None`), or only these (the labels of a space whose
    /// other coordinates the line searches take).
    #[serde(default)]
    only: Option<Vec<usize>>,
}

/// Most evaluations one sweep may take: the moves are held in memory, and coordinates of
/// more values (wide integer ranges) are better served by line searches or CMA-ES, whatever
/// the budget.
const MAX_SWEEP_EVALUATIONS: u64 = 100_000;

/// Evaluations one sweep over `space` takes (every other value of each coordinate, and
/// the combined point); `None` unless every coordinate has finitely many values and the
/// sweep takes at most [`MAX_SWEEP_EVALUATIONS`].
pub(crate) fn sweep_cost(space: &Space) -> Option<u64> {
    cost_of(space, &(0..space.len()).collect::<Vec<_>>())
}

/// Evaluations one sweep over the labels of `space` (unordered integers, categorical
/// values) takes; `None` without labels or beyond [`MAX_SWEEP_EVALUATIONS`].
pub(crate) fn label_sweep_cost(space: &Space) -> Option<u64> {
    let labels = labels(space);
    if labels.is_empty() {
        return None;
    }
    cost_of(space, &labels)
}

fn labels(space: &Space) -> Vec<usize> {
    (0..space.len())
        .filter(|&j| !space.dims()[j].is_ordered())
        .collect()
}

fn cost_of(space: &Space, coordinates: &[usize]) -> Option<u64> {
    coordinates
        .iter()
        .try_fold(1u64, |cost, &j| {
            let values = u64::try_from(space.dims()[j].cardinality()?).ok()?;
            cost.checked_add(values.saturating_sub(1))
        })
        .filter(|&cost| cost <= MAX_SWEEP_EVALUATIONS)
}

impl ValueSweeps {
    /// Sweeps from `base` over a space of discrete coordinates; `None` on any other space
    /// or a base of another length.
    pub(crate) fn new(space: &Space, base: Evaluated<Vec<f64>>) -> Option<Self> {
        if sweep_cost(space).is_none() || base.x.len() != space.len() {
            return None;
        }
        Some(Self::from(space, base, None))
    }

    /// One sweep over the labels of `space` only (its other coordinates may be
    /// continuous); `None` on a space without labels or a base of another length.
    pub(crate) fn labels_once(space: &Space, base: Evaluated<Vec<f64>>) -> Option<Self> {
        if label_sweep_cost(space).is_none() || base.x.len() != space.len() {
            return None;
        }
        Some(Self::from(space, base, Some(labels(space))))
    }

    fn from(space: &Space, base: Evaluated<Vec<f64>>, only: Option<Vec<usize>>) -> Self {
        let mut sweeps = ValueSweeps {
            base: Evaluated::new(base.x, ranked(base.value)),
            moves: Vec::new(),
            values: Vec::new(),
            handed: 0,
            combined: None,
            sweeps: 0,
            finished: false,
            only,
        };
        sweeps.plan(space);
        sweeps
    }

    /// Whether the sweeps cover only the labels, once.
    pub(crate) fn labels_only(&self) -> bool {
        self.only.is_some()
    }

    /// The moves of a sweep from the base.
    fn plan(&mut self, space: &Space) {
        self.moves.clear();
        for (j, dim) in space.dims().iter().enumerate() {
            if self
                .only
                .as_ref()
                .is_some_and(|only| only.binary_search(&j).is_err())
            {
                continue;
            }
            let count = dim.cardinality().unwrap_or(0);
            for k in 0..count {
                if let Some(v) = dim.value_at(k)
                    && !dim.same(v, self.base.x[j])
                {
                    self.moves.push((j, v));
                }
            }
        }
        self.values = vec![f64::NAN; self.moves.len()];
        self.handed = 0;
        self.combined = None;
        if self.moves.is_empty() {
            self.finished = true;
        }
    }

    /// The next point to evaluate; `None` while the sweep waits for values (parallel
    /// batches: [`ValueSweeps::finished`] tells the two apart), or once the sweeps ended.
    pub(crate) fn ask(&mut self, space: &Space) -> Option<Vec<f64>> {
        loop {
            if self.finished {
                return None;
            }
            if let Some(&(j, v)) = self.moves.get(self.handed) {
                self.handed += 1;
                let mut x = self.base.x.clone();
                x[j] = v;
                return Some(x);
            }
            if self.combined.is_some() || self.values.iter().any(|v| v.is_nan()) {
                return None;
            }
            // Each coordinate at its lowest value, where that is below the base's.
            let mut combined = self.base.x.clone();
            let mut lowest = vec![self.base.value; space.len()];
            for (&(j, v), &value) in self.moves.iter().zip(&self.values) {
                if value < lowest[j] {
                    lowest[j] = value;
                    combined[j] = v;
                }
            }
            let gaining = lowest.iter().filter(|&&v| v < self.base.value).count();
            if gaining == 0 {
                // No move gained: the base is a local minimum for changes of one coordinate.
                self.sweeps += 1;
                self.finished = true;
                return None;
            }
            if gaining > 1 {
                self.combined = Some(combined.clone());
                return Some(combined);
            }
            // One coordinate gains: the combined point is that move, already evaluated.
            let value = lowest.iter().fold(f64::INFINITY, |a, &b| a.min(b));
            self.next_sweep(space, Evaluated::new(combined, value));
        }
    }

    /// Ends a sweep that gained: `base` is the next sweep's (the last over labels only).
    fn next_sweep(&mut self, space: &Space, base: Evaluated<Vec<f64>>) {
        self.base = base;
        self.sweeps += 1;
        if self.only.is_some() {
            self.finished = true;
        } else {
            self.plan(space);
        }
    }

    /// Takes the value of a point this search handed out; false for any other point.
    pub(crate) fn tell(&mut self, space: &Space, x: &[f64], value: f64) -> bool {
        let value = ranked(value);
        if self.combined.as_deref() == Some(x) {
            // The better of the combined point and the best single move (which is lower
            // where the coordinates are coupled) is the next sweep's base.
            let best_move = self.best_move().map(|i| {
                let mut moved = self.base.x.clone();
                moved[self.moves[i].0] = self.moves[i].1;
                Evaluated::new(moved, self.values[i])
            });
            let mut next = Evaluated::new(x.to_vec(), value);
            if let Some(moved) = best_move
                && moved.value < next.value
            {
                next = moved;
            }
            // A best move always gains here: the combined point is handed out only then.
            if next.value < self.base.value {
                self.next_sweep(space, next);
            } else {
                self.sweeps += 1;
                self.finished = true;
            }
            return true;
        }
        if x.len() != self.base.x.len() {
            return false;
        }
        let mut differing = x
            .iter()
            .zip(&self.base.x)
            .enumerate()
            .filter(|(j, (a, b))| !space.dims()[*j].same(**a, **b));
        let (Some((j, _)), None) = (differing.next(), differing.next()) else {
            return false;
        };
        let first = self.moves.partition_point(|m| m.0 < j);
        let found = (first..self.handed)
            .take_while(|&i| self.moves[i].0 == j)
            .find(|&i| self.values[i].is_nan() && space.dims()[j].same(self.moves[i].1, x[j]));
        match found {
            Some(i) => {
                self.values[i] = value;
                true
            }
            None => false,
        }
    }

    /// The move of lowest value told in this sweep.
    fn best_move(&self) -> Option<usize> {
        (0..self.values.len())
            .filter(|&i| !self.values[i].is_nan())
            .min_by(|&a, &b| self.values[a].total_cmp(&self.values[b]))
    }

    /// Whether the sweeps ended: a sweep found no move that gains.
    pub(crate) fn finished(&self) -> bool {
        self.finished
    }

    /// Sweeps completed.
    pub(crate) fn sweeps(&self) -> u32 {
        self.sweeps
    }

    /// The best point of the completed sweeps.
    pub(crate) fn base(&self) -> &Evaluated<Vec<f64>> {
        &self.base
    }

    /// Whether a restored state is consistent with `space`.
    pub(crate) fn check(&self, space: &Space) -> Result<(), StateError> {
        let dims = space.dims();
        let base_ok = self.base.x.len() == dims.len() && space.contains(&self.base.x);
        let moves_ok = base_ok
            && self
                .moves
                .iter()
                .all(|&(j, v)| j < dims.len() && dims[j].contains(v) && !dims[j].same(v, self.base.x[j]))
            && self.moves.windows(2).all(|w| w[0].0 <= w[1].0)
            && self.only.as_ref().is_none_or(|only| {
                only.windows(2).all(|w| w[0] < w[1])
                    && only.iter().all(|&j| j < dims.len() && !dims[j].is_ordered())
            });
        // Values only for moves handed out; all of them once the combined point is.
        let values_ok = self.values.len() == self.moves.len()
            && self.handed <= self.moves.len()
            && self.values[self.handed..].iter().all(|v| v.is_nan())
            && (self.combined.is_none() || self.values.iter().all(|v| !v.is_nan()));
        StateError::ensure(
            moves_ok && values_ok && self.combined.as_ref().is_none_or(|x| space.contains(x)),
            || "the value sweeps' state does not fit the space".into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(space: &Space, f: impl Fn(&[f64]) -> f64, start: Vec<f64>) -> (ValueSweeps, u64) {
        let value = f(&start);
        let mut sweeps = ValueSweeps::new(space, Evaluated::new(start, value)).unwrap();
        let mut evaluations = 0;
        while let Some(x) = sweeps.ask(space) {
            evaluations += 1;
            let v = f(&x);
            assert!(sweeps.tell(space, &x, v));
        }
        assert!(sweeps.finished());
        (sweeps, evaluations)
    }

    #[test]
    fn one_sweep_finds_the_optimum_of_a_separable_function_over_labels() {
        // Three-valued labels with a different best value each, and bits.
        let mut dims = vec![zoo_core::Dimension::unordered(0, 2).unwrap(); 6];
        dims.extend(vec![zoo_core::Dimension::unordered(0, 1).unwrap(); 6]);
        let space = Space::new(dims).unwrap();
        let target = |j: usize| if j < 6 { j % 3 } else { j % 2 } as f64;
        let f = |x: &[f64]| {
            x.iter()
                .enumerate()
                .map(|(j, v)| {
                    if (v - target(j)).abs() < 0.5 {
                        0.0
                    } else {
                        1.0 + j as f64
                    }
                })
                .sum::<f64>()
        };
        let (sweeps, evaluations) = run(&space, f, vec![1.0; 12]);
        assert!(sweeps.base().value.abs() < 1e-12);
        // The first sweep (12 + 6 moves and the combined point), then one that gains nothing.
        assert_eq!(sweeps.sweeps(), 2);
        assert_eq!(evaluations, 2 * 19 - 1);
        assert_eq!(sweep_cost(&space), Some(19));
    }

    #[test]
    fn sweeps_go_on_while_they_gain_where_coordinates_are_coupled() {
        // Leading ones: only the first zero's flip gains, one coordinate per sweep.
        let space = Space::binary(5).unwrap();
        let f = |x: &[f64]| 5.0 - x.iter().take_while(|v| **v > 0.5).count() as f64;
        let (sweeps, evaluations) = run(&space, f, vec![0.0; 5]);
        assert!(sweeps.base().value.abs() < 1e-12);
        assert_eq!(sweeps.sweeps(), 6);
        // One coordinate gains per sweep: its move is the next base, not evaluated again.
        assert_eq!(evaluations, 6 * 5);
    }

    #[test]
    fn points_it_did_not_hand_out_are_not_taken() {
        let space = Space::binary(3).unwrap();
        let mut sweeps = ValueSweeps::new(&space, Evaluated::new(vec![0.0; 3], 3.0)).unwrap();
        let x = sweeps.ask(&space).unwrap();
        assert!(!sweeps.tell(&space, &[1.0, 1.0, 0.0], 1.0));
        assert!(!sweeps.tell(&space, &[0.0, 0.0], 1.0));
        assert!(sweeps.tell(&space, &x, 2.0));
        assert!(!sweeps.tell(&space, &x, 2.0), "a value told twice");
        assert!(sweeps.check(&space).is_ok());
        assert!(
            ValueSweeps::new(
                &Space::cube(2, 0.0, 1.0).unwrap(),
                Evaluated::new(vec![0.0; 2], 0.0)
            )
            .is_none()
        );
        // Labels of too many values are not swept, whatever the budget.
        let wide = Space::new(vec![zoo_core::Dimension::unordered(0, 99_999).unwrap(); 2]).unwrap();
        assert_eq!(sweep_cost(&wide), None);
        assert_eq!(label_sweep_cost(&wide), None);
        assert!(ValueSweeps::new(&wide, Evaluated::new(vec![0.0; 2], 0.0)).is_none());
        assert!(ValueSweeps::labels_once(&wide, Evaluated::new(vec![0.0; 2], 0.0)).is_none());
    }
}
