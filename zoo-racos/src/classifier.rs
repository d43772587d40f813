//! The randomized coordinate-shrinking classifier of RACOS.
//!
//! Learning starts from the whole space as a box and a positive solution `xp` (the best
//! one, or a random one: [`Centre`]).
//! While some negative solution is still inside the box, it picks a random coordinate
//! and cuts the box there at a random point between `xp` and a random remaining negative,
//! excluding every negative beyond the cut. Unordered coordinates (labels, categories)
//! cannot be cut; they are visited once and *fixed* to `xp`'s value if that excludes a
//! negative. The learned box contains `xp` and no remaining negative.
//!
//! Sampling copies `xp` and redraws `uncertain_bits` non-fixed coordinates uniformly inside
//! the box, so every new solution differs from a good one in a few coordinates.
//!
//! Reference: Y. Yu, H. Qian, Y.-Q. Hu. *Derivative-Free Optimization via
//! Classification.* AAAI 2016, pp. 2286–2292.
//!
//! Degenerate inputs end: a negative identical to `xp` cannot always be excluded (ZOOpt
//! loops forever on one), so the number of learning steps is capped; such a negative
//! simply stays inside the box.

// Audit (issue #13, clippy::indexing_slicing): the scratch vectors are sized to the space
// by `prepare`, coordinates run below the space's length, set positions are drawn below
// the set's length, and every point learned from has the space's length (`SRacos::tell`
// and `Racos::tell` ignore others; restored states pass `check_state`).
#![allow(clippy::indexing_slicing)]

use zoo_core::{Evaluated, Space, ZooRng};

use crate::config::Centre;

/// Learning steps allowed per remaining negative before learning stops early; far above
/// what a learnable set needs (each step on an ordered coordinate excludes its negative).
const STEPS_PER_NEGATIVE: usize = 64;

/// Scratch state of the learner, reused across proposals so that a proposal costs time in
/// the number of touched coordinates, not in the dimension.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shrinker {
    lo: Vec<f64>,
    hi: Vec<f64>,
    touched: Vec<usize>,
    is_touched: Vec<bool>,
    fixed: Vec<bool>,
    fixed_list: Vec<usize>,
    active: Vec<usize>,
    remaining: Vec<usize>,
    candidates: Vec<usize>,
    chosen: Vec<usize>,
    has_unordered: bool,
}

impl Shrinker {
    fn prepare(&mut self, space: &Space) {
        let n = space.len();
        if self.lo.len() != n {
            self.lo = space.dims().iter().map(|d| d.bounds().0).collect();
            self.hi = space.dims().iter().map(|d| d.bounds().1).collect();
            self.is_touched = vec![false; n];
            self.fixed = vec![false; n];
            self.has_unordered = space.dims().iter().any(|d| !d.is_ordered());
        }
    }

    fn touch(&mut self, k: usize) {
        if !self.is_touched[k] {
            self.is_touched[k] = true;
            self.touched.push(k);
        }
    }

    /// Restores the box to the whole space, in time proportional to what was touched.
    pub(crate) fn reset(&mut self, space: &Space) {
        for &k in &self.touched {
            let (lo, hi) = space.dims()[k].bounds();
            self.lo[k] = lo;
            self.hi[k] = hi;
            self.is_touched[k] = false;
        }
        self.touched.clear();
        for &k in &self.fixed_list {
            self.fixed[k] = false;
        }
        self.fixed_list.clear();
    }

    /// Learns a box around a positive solution (chosen by `centre`) that excludes the
    /// negatives; returns the index of that positive. Call [`Shrinker::draw`] to sample
    /// from the box and [`Shrinker::reset`] before learning again.
    pub(crate) fn learn_box(
        &mut self,
        space: &Space,
        positive: &[Evaluated<Vec<f64>>],
        negative: &[Evaluated<Vec<f64>>],
        centre: Centre,
        rng: &mut ZooRng,
    ) -> usize {
        self.prepare(space);
        let chosen = match centre {
            Centre::RandomPositive => rng.index(positive.len()),
            // `Auto` is resolved when the training set is built.
            Centre::Best | Centre::Auto => 0,
        };
        self.learn(space, &positive[chosen].x, negative, rng);
        chosen
    }

    fn learn(&mut self, space: &Space, xp: &[f64], negative: &[Evaluated<Vec<f64>>], rng: &mut ZooRng) {
        let dims = space.dims();
        let n = dims.len();
        self.active.clear();
        self.active.extend(0..negative.len());
        let has_unordered = self.has_unordered;
        self.remaining.clear();
        if has_unordered {
            self.remaining.extend(0..n);
        }
        let mut steps_left = STEPS_PER_NEGATIVE * (self.active.len() + 1) + n;
        while !self.active.is_empty() && steps_left > 0 {
            steps_left -= 1;
            let (slot, k) = if has_unordered {
                if self.remaining.is_empty() {
                    break;
                }
                let slot = rng.index(self.remaining.len());
                (slot, self.remaining[slot])
            } else {
                (0, rng.index(n))
            };
            let dim = &dims[k];
            let p = xp[k];
            if dim.is_ordered() {
                let q = negative[self.active[rng.index(self.active.len())]].x[k];
                if p < q {
                    // A cut in [p, q): for integers the largest cut is q - 1.
                    let r = if dim.is_continuous() {
                        dim.snap(rng.uniform(p, q))
                    } else {
                        rng.integer(p as i64, q as i64 - 1) as f64
                    };
                    if r < self.hi[k] {
                        self.touch(k);
                        self.hi[k] = r;
                        self.active.retain(|&i| negative[i].x[k] < r);
                    }
                } else {
                    let r = if dim.is_continuous() {
                        dim.snap(rng.uniform(q, p))
                    } else {
                        rng.integer(q as i64, p as i64) as f64
                    };
                    if r > self.lo[k] {
                        self.touch(k);
                        self.lo[k] = r;
                        self.active.retain(|&i| negative[i].x[k] > r);
                    }
                }
            } else {
                self.remaining.swap_remove(slot);
                let before = self.active.len();
                self.active.retain(|&i| dim.same(negative[i].x[k], p));
                if self.active.len() < before {
                    self.fixed[k] = true;
                    self.fixed_list.push(k);
                }
            }
        }
    }

    /// A new point: `xp` with `uncertain_bits` free coordinates redrawn inside the box.
    pub(crate) fn draw(
        &mut self,
        space: &Space,
        xp: &[f64],
        uncertain_bits: usize,
        rng: &mut ZooRng,
    ) -> Vec<f64> {
        let dims = space.dims();
        let n = dims.len();
        let free = n - self.fixed_list.len();
        let mut x = xp.to_vec();
        self.chosen.clear();
        if free == 0 {
            // Every coordinate is fixed: re-sample the last one visited, as the
            // classifier keeps at least one uncertain coordinate.
            self.chosen.extend(self.fixed_list.last().copied());
        } else if free * 2 >= n {
            // Most coordinates are free: rejection keeps this independent of n.
            let want = uncertain_bits.min(free);
            while self.chosen.len() < want {
                let k = rng.index(n);
                if !self.fixed[k] && !self.chosen.contains(&k) {
                    self.chosen.push(k);
                }
            }
        } else {
            self.candidates.clear();
            self.candidates.extend((0..n).filter(|&k| !self.fixed[k]));
            let want = uncertain_bits.min(free);
            for i in 0..want {
                let j = i + rng.index(self.candidates.len() - i);
                self.candidates.swap(i, j);
                self.chosen.push(self.candidates[i]);
            }
        }
        for &k in &self.chosen {
            let dim = &dims[k];
            x[k] = if dim.is_ordered() {
                dim.sample_within(self.lo[k], self.hi[k], rng)
            } else {
                dim.sample(rng)
            };
        }
        x
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use zoo_core::Dimension;

    fn evaluated(points: &[&[f64]]) -> Vec<Evaluated<Vec<f64>>> {
        points.iter().map(|p| Evaluated::new(p.to_vec(), 0.0)).collect()
    }

    #[test]
    fn learned_box_contains_positive_and_excludes_negatives() {
        let space = Space::cube(5, -1.0, 1.0).unwrap();
        let mut rng = ZooRng::seed_from(1);
        let mut shrinker = Shrinker::default();
        for _ in 0..200 {
            let positive = evaluated(&[&space.sample(&mut rng)]);
            let negative: Vec<_> = (0..10)
                .map(|_| Evaluated::new(space.sample(&mut rng), 1.0))
                .collect();
            shrinker.prepare(&space);
            shrinker.learn(&space, &positive[0].x, &negative, &mut rng);
            let inside = |x: &[f64]| (0..5).all(|k| x[k] >= shrinker.lo[k] && x[k] <= shrinker.hi[k]);
            assert!(inside(&positive[0].x));
            // Cuts are strict at the negative side: no remaining negative is strictly inside.
            for neg in &negative {
                let strictly = (0..5).all(|k| neg.x[k] > shrinker.lo[k] && neg.x[k] < shrinker.hi[k]);
                assert!(!strictly, "negative {:?} left inside the box", neg.x);
            }
            shrinker.reset(&space);
            assert!(shrinker.touched.is_empty());
            assert_eq!(shrinker.lo, vec![-1.0; 5]);
        }
    }

    #[test]
    fn identical_negative_does_not_hang() {
        // ZOOpt loops forever here (its bug B19).
        let space = Space::new([
            Dimension::integer(0, 3).unwrap(),
            Dimension::unordered(0, 2).unwrap(),
        ])
        .unwrap();
        let positive = evaluated(&[&[1.0, 2.0]]);
        let negative = evaluated(&[&[1.0, 2.0], &[1.0, 2.0], &[3.0, 2.0]]);
        let mut rng = ZooRng::seed_from(4);
        let mut shrinker = Shrinker::default();
        for _ in 0..100 {
            let at = shrinker.learn_box(&space, &positive, &negative, Centre::Best, &mut rng);
            let x = shrinker.draw(&space, &positive[at].x, 1, &mut rng);
            shrinker.reset(&space);
            assert!(space.contains(&x));
        }
    }

    #[test]
    fn samples_differ_from_positive_in_at_most_uncertain_bits() {
        let space = Space::cube(50, 0.0, 1.0).unwrap();
        let mut rng = ZooRng::seed_from(2);
        let positive = evaluated(&[&space.sample(&mut rng)]);
        let negative: Vec<_> = (0..20)
            .map(|_| Evaluated::new(space.sample(&mut rng), 1.0))
            .collect();
        let mut shrinker = Shrinker::default();
        for ub in [1, 3] {
            for _ in 0..100 {
                let at = shrinker.learn_box(&space, &positive, &negative, Centre::RandomPositive, &mut rng);
                let x = shrinker.draw(&space, &positive[at].x, ub, &mut rng);
                shrinker.reset(&space);
                let changed = x.iter().zip(&positive[0].x).filter(|(a, b)| a != b).count();
                assert!(changed <= ub);
            }
        }
    }

    #[test]
    fn unordered_coordinates_get_fixed_when_they_separate() {
        // Negatives differ from the positive only in coordinate 0 (a label); the box
        // must fix it, so coordinate 1 is the only one re-sampled.
        let space = Space::new([
            Dimension::unordered(0, 5).unwrap(),
            Dimension::unordered(0, 5).unwrap(),
        ])
        .unwrap();
        let positive = evaluated(&[&[2.0, 3.0]]);
        let negative = evaluated(&[&[4.0, 3.0], &[0.0, 3.0]]);
        let mut rng = ZooRng::seed_from(8);
        let mut shrinker = Shrinker::default();
        for _ in 0..200 {
            let at = shrinker.learn_box(&space, &positive, &negative, Centre::Best, &mut rng);
            let x = shrinker.draw(&space, &positive[at].x, 1, &mut rng);
            shrinker.reset(&space);
            assert_eq!(x[0], 2.0);
        }
    }
}
