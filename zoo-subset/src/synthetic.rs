//! Synthetic sparse-regression problems with a known true support, for measuring how
//! well a method recovers it.
//!
//! Features are independent standard normals. The target is `y = Σ_{j∈S} β_j x_j + σ·ε`
//! with `|S| = k` random columns and random signs `β_j = ±1`. Optionally some extra
//! columns are *decoys*: each is the normalised sum of two true columns (signs aligned
//! with the target) plus noise, `d = (β_a x_a + β_b x_b)/√2 + τ·z`. A decoy correlates
//! more with `y` than either of its true columns, which is the classic trap for forward
//! selection: greedy takes the decoys first and then has too few picks left for the true
//! columns, while the true support still has the lowest error.

use nalgebra::{DMatrix, DVector};
use zoo_core::ZooRng;

use crate::data::Dataset;
use crate::error::DataError;
use crate::subset::Subset;

/// Settings of the generator.
///
/// | knob | default | meaning | range |
/// | --- | --- | --- | --- |
/// | `rows` | 400 | samples `m` | `≥ 2` |
/// | `columns` | 1,000 | features `n` | `≥ support + decoys` |
/// | `support` | 20 | true columns `k` | `1 ≤ k` |
/// | `noise` | 1.0 | `σ`, standard deviation of the target noise (the signal's variance is `k`) | finite, `≥ 0` |
/// | `decoys` | 10 | decoy columns, each built from its own pair of true columns | `≤ k/2` |
/// | `decoy_noise` | 0.3 | `τ`, noise added to each decoy | finite, `≥ 0` |
#[derive(Debug, Clone, PartialEq)]
pub struct Synthetic {
    /// Samples `m`.
    pub rows: usize,
    /// Features `n`.
    pub columns: usize,
    /// True columns `k`.
    pub support: usize,
    /// Standard deviation of the target noise.
    pub noise: f64,
    /// Decoy columns.
    pub decoys: usize,
    /// Standard deviation of the noise added to each decoy.
    pub decoy_noise: f64,
}

impl Default for Synthetic {
    fn default() -> Self {
        Synthetic {
            rows: 400,
            columns: 1_000,
            support: 20,
            noise: 1.0,
            decoys: 10,
            decoy_noise: 0.3,
        }
    }
}

/// A generated problem.
#[derive(Debug, Clone)]
pub struct SyntheticProblem {
    /// Features and target.
    pub data: Dataset,
    /// The true support `S`.
    pub support: Subset,
    /// The decoy columns.
    pub decoys: Subset,
    /// The generating coefficients, one per column (zero off the support).
    pub coefficients: Vec<f64>,
}

impl Synthetic {
    /// A problem drawn from `seed` (the same seed gives the same problem everywhere).
    ///
    /// ```
    /// use zoo_subset::Synthetic;
    /// let small = Synthetic { rows: 50, columns: 30, support: 4, decoys: 2, ..Synthetic::default() };
    /// let p = small.generate(7)?;
    /// assert_eq!(p.data.x.shape(), (50, 30));
    /// assert_eq!(p.support.count(), 4);
    /// assert_eq!(p.support.intersection_count(&p.decoys), 0);
    /// # Ok::<(), zoo_subset::DataError>(())
    /// ```
    pub fn generate(&self, seed: u64) -> Result<SyntheticProblem, DataError> {
        self.check()?;
        let (m, n, k) = (self.rows, self.columns, self.support);
        let mut rng = ZooRng::seed_from(seed);
        // A random prefix of a shuffle: the first k columns are the support, the next
        // ones the decoys.
        let mut order: Vec<usize> = (0..n).collect();
        for i in 0..k + self.decoys {
            let j = i + rng.index(n - i);
            order.swap(i, j);
        }
        let support_cols = &order[..k];
        let decoy_cols = &order[k..k + self.decoys];
        let mut coefficients = vec![0.0; n];
        for &j in support_cols {
            coefficients[j] = if rng.chance(0.5) { 1.0 } else { -1.0 };
        }
        let mut x = DMatrix::from_fn(m, n, |_, _| 0.0);
        // Column by column, so the draw order does not depend on nalgebra's layout.
        for c in 0..n {
            for r in 0..m {
                x[(r, c)] = rng.normal();
            }
        }
        for (d, &col) in decoy_cols.iter().enumerate() {
            let (a, b) = (support_cols[2 * d], support_cols[2 * d + 1]);
            let (ba, bb) = (coefficients[a], coefficients[b]);
            for r in 0..m {
                let z = rng.normal();
                x[(r, col)] =
                    (ba * x[(r, a)] + bb * x[(r, b)]) / std::f64::consts::SQRT_2 + self.decoy_noise * z;
            }
        }
        let beta = DVector::from_vec(coefficients.clone());
        let mut y = &x * beta;
        for v in y.iter_mut() {
            *v += self.noise * rng.normal();
        }
        let support = Subset::from_indices(n, support_cols.iter().copied()).expect("columns lie in 0..n");
        let decoys = Subset::from_indices(n, decoy_cols.iter().copied()).expect("columns lie in 0..n");
        Ok(SyntheticProblem {
            data: Dataset::new(x, y)?,
            support,
            decoys,
            coefficients,
        })
    }

    fn check(&self) -> Result<(), DataError> {
        let out = |name, value: String, expected| {
            Err(DataError::OutOfRange {
                name,
                value,
                expected,
            })
        };
        if self.rows < 2 {
            return out("rows", self.rows.to_string(), "≥ 2");
        }
        if self.support == 0 {
            return out("support", self.support.to_string(), "≥ 1");
        }
        if 2 * self.decoys > self.support {
            return out("decoys", self.decoys.to_string(), "≤ support / 2");
        }
        if self.columns < self.support + self.decoys {
            return out("columns", self.columns.to_string(), "≥ support + decoys");
        }
        if !(self.noise.is_finite() && self.noise >= 0.0) {
            return out("noise", self.noise.to_string(), "finite and ≥ 0");
        }
        if !(self.decoy_noise.is_finite() && self.decoy_noise >= 0.0) {
            return out("decoy_noise", self.decoy_noise.to_string(), "finite and ≥ 0");
        }
        Ok(())
    }
}

/// The fraction of the true support a subset recovers, `|found ∩ truth| / |truth|`.
///
/// ```
/// use zoo_subset::{Subset, recovery};
/// let truth = Subset::from_indices(10, [1, 2, 3, 4])?;
/// assert_eq!(recovery(&Subset::from_indices(10, [2, 4, 9])?, &truth), 0.5);
/// # Ok::<(), zoo_subset::SubsetError>(())
/// ```
pub fn recovery(found: &Subset, truth: &Subset) -> f64 {
    let size = truth.count();
    if size == 0 {
        return 1.0;
    }
    found.intersection_count(truth) as f64 / size as f64
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::regression::SparseRegression;

    fn small() -> Synthetic {
        Synthetic {
            rows: 120,
            columns: 60,
            support: 6,
            noise: 0.5,
            decoys: 3,
            decoy_noise: 0.3,
        }
    }

    #[test]
    fn same_seed_same_problem() {
        let a = small().generate(3).unwrap();
        let b = small().generate(3).unwrap();
        assert_eq!(a.data, b.data);
        assert_eq!(a.support, b.support);
        assert_ne!(small().generate(4).unwrap().data, a.data);
    }

    #[test]
    fn the_true_support_fits_best() {
        let p = small().generate(1).unwrap();
        let reg = SparseRegression::new(&p.data, 6).unwrap();
        let truth = reg.mse(&p.support);
        // Noise variance 0.25 over a target variance of about 6.25.
        assert!(truth < 0.06, "true support mse {truth}");
        // Swapping a true column for its decoy makes the fit worse.
        let mut swapped = p.support.clone();
        swapped.remove(swapped.iter().next().unwrap());
        swapped.insert(p.decoys.iter().next().unwrap());
        assert!(reg.mse(&swapped) > truth);
    }

    #[test]
    fn decoys_correlate_more_with_the_target_than_true_columns() {
        let p = small().generate(2).unwrap();
        let y = &p.data.y;
        let corr = |c: usize| {
            let col = p.data.x.column(c);
            (col.dot(y) / (col.norm() * y.norm())).abs()
        };
        let best_decoy = p.decoys.iter().map(corr).fold(0.0, f64::max);
        let best_true = p.support.iter().map(corr).fold(0.0, f64::max);
        assert!(best_decoy > best_true, "decoy {best_decoy} vs true {best_true}");
    }

    #[test]
    fn rejects_bad_settings() {
        let bad = |s: Synthetic| s.generate(0).is_err();
        assert!(bad(Synthetic { decoys: 4, ..small() }));
        assert!(bad(Synthetic {
            columns: 8,
            ..small()
        }));
        assert!(bad(Synthetic {
            noise: -1.0,
            ..small()
        }));
        assert!(bad(Synthetic {
            support: 0,
            decoys: 0,
            ..small()
        }));
        assert!(bad(Synthetic { rows: 1, ..small() }));
    }

    #[test]
    fn recovery_is_the_found_fraction() {
        let truth = Subset::from_indices(8, [0, 1]).unwrap();
        assert_eq!(recovery(&Subset::full(8), &truth), 1.0);
        assert_eq!(recovery(&Subset::empty(8), &truth), 0.0);
    }
}
