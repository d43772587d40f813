//! Sparse regression: the mean squared error of least squares on a chosen subset of
//! feature columns — the objective of POSS's and ZOOpt's sparse-regression experiments.
//!
//! Columns and target are standardised to mean 0 and population standard deviation 1
//! (as ZOOpt's example does), and the fit has no intercept. For a subset `S`, with
//! `C = XᵀX` and `b = Xᵀy` computed once, the coefficients solve the small normal system
//! `C[S,S] α = b[S]` (Cholesky; a pseudo-inverse when columns are collinear), and the
//! error is `(yᵀy − b[S]ᵀα) / m`, so an evaluation costs `O(|S|³)` and never touches the
//! `m` rows again.

use nalgebra::{DMatrix, DVector};
use zoo_core::Objective;

use crate::data::Dataset;
use crate::error::DataError;
use crate::subset::Subset;

/// Up to this many features the whole Gram matrix `XᵀX` is kept (32 MiB at the limit);
/// beyond it entries are computed from the columns when a subset needs them.
const FULL_GRAM_UP_TO: usize = 2_048;

/// Singular values below this fraction of the largest are treated as zero in the
/// pseudo-inverse fallback.
const PINV_RELATIVE_EPS: f64 = 1e-12;

/// The sparse-regression loss on a data set, for subsets of at most `k` columns.
///
/// [`SparseRegression::loss`] follows ZOOpt's example: +∞ for the empty set and for sets
/// of `2k` or more columns (the sets POSS excludes), otherwise the mean squared error.
/// [`SparseRegression::mse`] is the plain error for any subset. The loss is an
/// [`Objective`] over [`Subset`], so it can be passed to [`zoo_core::Minimize`] directly
/// (by value or by reference).
///
/// ```
/// use zoo_core::Minimize;
/// use zoo_subset::{Poss, SizeLimit, SparseRegression, sonar};
///
/// let loss = SparseRegression::new(&sonar(), 8)?;
/// let outcome = Minimize::new(&loss, Poss::new(60, SizeLimit::new(8))?)
///     .budget(2_000)
///     .seed(1)
///     .run()?;
/// assert!(outcome.best.value < 0.65 && outcome.best.x.count() <= 8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct SparseRegression {
    m: usize,
    n: usize,
    k: usize,
    gram: Gram,
    xty: DVector<f64>,
    yty: f64,
}

#[derive(Debug, Clone)]
enum Gram {
    /// `XᵀX`, `n × n`.
    Full(DMatrix<f64>),
    /// The standardised `X`, `m × n`; `C_ij = x_i · x_j` on demand.
    Columns(DMatrix<f64>),
}

impl SparseRegression {
    /// The loss on `data` for subsets of at most `k` columns (`k ≥ 1`).
    ///
    /// Fails when `k = 0` or the target is constant (nothing to explain). Constant
    /// feature columns become zero columns and never reduce the error.
    pub fn new(data: &Dataset, k: usize) -> Result<SparseRegression, DataError> {
        if k == 0 {
            return Err(DataError::OutOfRange {
                name: "k",
                value: k.to_string(),
                expected: "≥ 1",
            });
        }
        let mut x = data.x.clone();
        for mut column in x.column_iter_mut() {
            standardize(column.as_mut_slice());
        }
        let mut y = data.y.clone();
        if !standardize(y.as_mut_slice()) {
            return Err(DataError::OutOfRange {
                name: "target",
                value: "constant".into(),
                expected: "a target with positive variance",
            });
        }
        let (m, n) = x.shape();
        let xty = x.tr_mul(&y);
        let yty = y.dot(&y);
        let gram = if n <= FULL_GRAM_UP_TO {
            Gram::Full(x.tr_mul(&x))
        } else {
            Gram::Columns(x)
        };
        Ok(SparseRegression {
            m,
            n,
            k,
            gram,
            xty,
            yty,
        })
    }

    /// Number of feature columns, `n`.
    pub fn columns(&self) -> usize {
        self.n
    }

    /// Number of rows, `m`.
    pub fn rows(&self) -> usize {
        self.m
    }

    /// The sparsity `k`.
    pub fn k(&self) -> usize {
        self.k
    }

    /// ZOOpt's loss: +∞ when `s` is empty or has `2k` or more columns, else
    /// [`SparseRegression::mse`].
    pub fn loss(&self, s: &Subset) -> f64 {
        let size = s.count();
        if size == 0 || size >= 2 * self.k {
            return f64::INFINITY;
        }
        self.mse(s)
    }

    /// The mean squared error of the least-squares fit of the standardised target on the
    /// chosen standardised columns (1 for the empty set: the target's variance).
    ///
    /// # Panics
    /// If `s` is not a subset of this problem's `n` columns.
    pub fn mse(&self, s: &Subset) -> f64 {
        let idx = self.indices(s);
        if idx.is_empty() {
            return self.yty / self.m as f64;
        }
        let (alpha, b) = self.solve(&idx);
        // With C α = b (exactly, or for the pseudo-inverse because b lies in C's range),
        // ‖y − X_S α‖² = yᵀy − 2αᵀb + αᵀCα = yᵀy − αᵀb.
        ((self.yty - alpha.dot(&b)) / self.m as f64).max(0.0)
    }

    /// The least-squares coefficients on the standardised data, one per chosen column in
    /// increasing column order.
    ///
    /// # Panics
    /// If `s` is not a subset of this problem's `n` columns.
    pub fn coefficients(&self, s: &Subset) -> Vec<f64> {
        let idx = self.indices(s);
        if idx.is_empty() {
            return Vec::new();
        }
        self.solve(&idx).0.as_slice().to_vec()
    }

    fn indices(&self, s: &Subset) -> Vec<usize> {
        assert_eq!(
            s.universe(),
            self.n,
            "a subset of {} columns for a problem with {}",
            s.universe(),
            self.n
        );
        s.iter().collect()
    }

    #[inline]
    fn gram(&self, i: usize, j: usize) -> f64 {
        match &self.gram {
            Gram::Full(c) => c[(i, j)],
            Gram::Columns(x) => x.column(i).dot(&x.column(j)),
        }
    }

    /// Solves `C[S,S] α = b[S]`; returns `α` and `b[S]`.
    // Index: `idx` holds the chosen items of a subset of this problem's `n` columns
    // (`indices` asserts the universe), and `xty`, the Gram matrix and `c` have `n` or
    // `idx.len()` rows.
    #[allow(clippy::indexing_slicing)]
    fn solve(&self, idx: &[usize]) -> (DVector<f64>, DVector<f64>) {
        let d = idx.len();
        let b = DVector::from_fn(d, |i, _| self.xty[idx[i]]);
        let c = self.sub_gram(idx);
        if let Some(chol) = c.cholesky() {
            let alpha = chol.solve(&b);
            if alpha.iter().all(|v| v.is_finite()) {
                return (alpha, b);
            }
        }
        // Collinear (or constant) columns: minimum-norm solution. Rare, so C[S,S] is
        // rebuilt rather than copied on the fast path.
        let c = self.sub_gram(idx);
        let svd = c.svd(true, true);
        let eps = PINV_RELATIVE_EPS * svd.singular_values.max();
        let alpha = svd.solve(&b, eps).unwrap_or_else(|_| DVector::zeros(d));
        (alpha, b)
    }

    fn sub_gram(&self, idx: &[usize]) -> DMatrix<f64> {
        let d = idx.len();
        let mut c = DMatrix::zeros(d, d);
        for j in 0..d {
            for i in j..d {
                let v = self.gram(idx[i], idx[j]);
                c[(i, j)] = v;
                c[(j, i)] = v;
            }
        }
        c
    }
}

/// As an objective, a subset of another universe is valued NaN (ranked last) instead of
/// panicking as [`SparseRegression::mse`] does.
impl Objective<Subset> for SparseRegression {
    fn evaluate(&self, s: &Subset) -> f64 {
        if s.universe() != self.n {
            return f64::NAN;
        }
        self.loss(s)
    }
}

impl Objective<Subset> for &SparseRegression {
    fn evaluate(&self, s: &Subset) -> f64 {
        (**self).evaluate(s)
    }
}

/// Centres `v` and scales it to population standard deviation 1. Returns `false` (and
/// leaves zeros) when `v` is constant.
pub fn standardize(v: &mut [f64]) -> bool {
    let len = v.len() as f64;
    let mean = v.iter().sum::<f64>() / len;
    v.iter_mut().for_each(|x| *x -= mean);
    let sd = (v.iter().map(|x| x * x).sum::<f64>() / len).sqrt();
    if sd > 0.0 && sd.is_finite() {
        v.iter_mut().for_each(|x| *x /= sd);
        true
    } else {
        v.iter_mut().for_each(|x| *x = 0.0);
        false
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::data::sonar;

    /// Direct least squares on the rows (QR), for comparison.
    fn direct_mse(data: &Dataset, items: &[usize]) -> f64 {
        let mut x = data.x.clone();
        x.column_iter_mut().for_each(|mut c| {
            standardize(c.as_mut_slice());
        });
        let mut y = data.y.clone();
        standardize(y.as_mut_slice());
        let xs = DMatrix::from_fn(x.nrows(), items.len(), |r, c| x[(r, items[c])]);
        let alpha = xs.clone().svd(true, true).solve(&y, 1e-12).unwrap();
        let residual = &y - &xs * alpha;
        residual.norm_squared() / x.nrows() as f64
    }

    fn toy() -> Dataset {
        // y = 2·x0 − x2 exactly; x1 is noise; x3 duplicates x0.
        let rows = 30;
        let x = DMatrix::from_fn(rows, 4, |r, c| {
            let t = r as f64;
            match c {
                0 => (t * 0.7).sin(),
                1 => (t * 1.3).cos() * 0.5 + 0.1 * t,
                2 => (t * 0.3).cos(),
                _ => (t * 0.7).sin(),
            }
        });
        let y = DVector::from_fn(rows, |r, _| 2.0 * x[(r, 0)] - x[(r, 2)]);
        Dataset::new(x, y).unwrap()
    }

    #[test]
    fn standardizes_to_population_moments() {
        let mut v = vec![1.0, 2.0, 3.0, 4.0];
        assert!(standardize(&mut v));
        let mean: f64 = v.iter().sum::<f64>() / 4.0;
        let var: f64 = v.iter().map(|x| x * x).sum::<f64>() / 4.0;
        assert!(mean.abs() < 1e-15 && (var - 1.0).abs() < 1e-12);
        let mut c = vec![5.0; 3];
        assert!(!standardize(&mut c));
        assert_eq!(c, [0.0; 3]);
    }

    #[test]
    fn exact_fit_has_zero_error_and_known_error_without_it() {
        let data = toy();
        let reg = SparseRegression::new(&data, 2).unwrap();
        let s = |items: &[usize]| Subset::from_indices(4, items.iter().copied()).unwrap();
        assert!(reg.mse(&s(&[0, 2])) < 1e-20);
        assert!((reg.mse(&s(&[])) - 1.0).abs() < 1e-12);
        for items in [&[0][..], &[1], &[1, 2], &[0, 1, 2]] {
            let want = direct_mse(&data, items);
            assert!((reg.mse(&s(items)) - want).abs() < 1e-10, "{items:?}");
        }
    }

    #[test]
    fn collinear_columns_fall_back_to_the_pseudo_inverse() {
        let data = toy();
        let reg = SparseRegression::new(&data, 3).unwrap();
        let s = Subset::from_indices(4, [0, 2, 3]).unwrap();
        assert!(reg.mse(&s) < 1e-12);
        let both = Subset::from_indices(4, [0, 3]).unwrap();
        let one = Subset::from_indices(4, [0]).unwrap();
        assert!((reg.mse(&both) - reg.mse(&one)).abs() < 1e-10);
    }

    #[test]
    fn loss_follows_zoopt_for_empty_and_large_sets() {
        let reg = SparseRegression::new(&toy(), 1).unwrap();
        assert_eq!(reg.loss(&Subset::empty(4)), f64::INFINITY);
        assert_eq!(reg.loss(&Subset::from_indices(4, [0, 1]).unwrap()), f64::INFINITY);
        assert!(reg.loss(&Subset::from_indices(4, [0]).unwrap()).is_finite());
    }

    #[test]
    fn matches_direct_least_squares_on_sonar() {
        let data = sonar();
        let reg = SparseRegression::new(&data, 8).unwrap();
        for items in [vec![0], vec![10, 11, 35, 44], vec![1, 3, 8, 10, 20, 35, 44, 50]] {
            let s = Subset::from_indices(60, items.iter().copied()).unwrap();
            let want = direct_mse(&data, &items);
            assert!(
                (reg.mse(&s) - want).abs() < 1e-10,
                "{items:?}: {} vs {want}",
                reg.mse(&s)
            );
        }
    }

    #[test]
    fn on_demand_gram_matches_the_stored_one() {
        let data = sonar();
        let full = SparseRegression::new(&data, 8).unwrap();
        let mut lazy = full.clone();
        let mut x = data.x.clone();
        x.column_iter_mut().for_each(|mut c| {
            standardize(c.as_mut_slice());
        });
        lazy.gram = Gram::Columns(x);
        let s = Subset::from_indices(60, [2, 9, 33, 47]).unwrap();
        assert!((full.mse(&s) - lazy.mse(&s)).abs() < 1e-12);
    }

    #[test]
    fn coefficients_recover_the_generating_model() {
        let data = toy();
        let reg = SparseRegression::new(&data, 2).unwrap();
        let coef = reg.coefficients(&Subset::from_indices(4, [0, 2]).unwrap());
        assert_eq!(coef.len(), 2);
        // On standardised data the signs survive: + for x0, − for x2.
        assert!(coef[0] > 0.0 && coef[1] < 0.0);
    }

    #[test]
    fn rejects_k_zero_and_constant_targets() {
        let data = toy();
        assert!(SparseRegression::new(&data, 0).is_err());
        let flat = Dataset::new(data.x.clone(), DVector::from_element(30, 2.0)).unwrap();
        assert!(SparseRegression::new(&flat, 1).is_err());
    }
}
