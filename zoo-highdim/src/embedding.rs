//! Embedding — one random linear map from a low-dimensional space into the original one.
//!
//! A function of `D` variables whose value depends mostly on a few directions (a low
//! *effective dimension*) can be searched through a random subspace: draw a Gaussian
//! `D×d` matrix `A` and optimize `y ↦ f(A·y)` over `d` variables. With probability one
//! the subspace contains an optimum when `d` is at least the effective dimension
//! (Wang et al.); when all coordinates matter a little, the sequential form
//! `x = α·x_prev + A·y` (Qian, Hu, Yu) keeps improving on the previous point.
//!
//! The matrix is stored transposed (`d×D`, column-major, so row `i` of `A` is `d`
//! contiguous numbers): computing a point reads the matrix once, front to back, and
//! writes each output coordinate once. It is drawn from a stored seed, so it never
//! needs to be saved: [`Embedding::generate`] with the same arguments gives the same
//! matrix, bit for bit.
//!
//! Entries are stored in single precision (`f32`, `4·D·d` bytes: 40 MB for `D = 10⁶`,
//! `d = 10`) and every product is accumulated in double precision. Rounding a random
//! Gaussian matrix to `f32` only selects another random matrix — the map `y ↦ A·y` is
//! computed exactly as accurately for it — while it halves the memory and the
//! bandwidth that dominate the cost of a proposal once the matrix no longer fits in the
//! processor's cache.
//!
//! References:
//! - Z. Wang, F. Hutter, M. Zoghi, D. Matheson, N. de Freitas. *Bayesian Optimization in
//!   a Billion Dimensions via Random Embeddings.* JAIR 55, 2016 (IJCAI 2013), REMBO.
//! - H. Qian, Y.-Q. Hu, Y. Yu. *Derivative-Free Optimization of High-Dimensional
//!   Non-Convex Functions by Sequential Random Embeddings.* IJCAI 2016, pp. 1946–1952.

// Audit (issue #13, clippy::indexing_slicing): the matrix is `D × d` by construction and
// rows are read below `D`; `y` has the `d` (or `d + 1`) coordinates of its stage's low
// space, which a restored `Embedded` checks.
#![allow(clippy::indexing_slicing)]

use nalgebra::DMatrix;
use rand_distr::{Distribution, StandardNormal};
use zoo_core::ZooRng;

/// A random Gaussian embedding matrix `A` (`D×d`, entries `N(0, variance)` rounded to
/// `f32`), drawn from a seed.
///
/// ```
/// use zoo_highdim::Embedding;
/// let a = Embedding::generate(1_000, 3, 1.0 / 3.0, 42);
/// let x = a.project(0.0, None, &[0.5, -0.2, 0.1]);
/// assert_eq!(x.len(), 1_000);
/// assert_eq!(Embedding::generate(1_000, 3, 1.0 / 3.0, 42).matrix(), a.matrix());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding {
    /// `Aᵀ`: column `i` is row `i` of `A`.
    transposed: DMatrix<f32>,
    variance: f64,
    seed: u64,
}

impl Embedding {
    /// Draws `A` with `dim` rows and `low` columns, entries `N(0, variance)` (drawn in
    /// double precision, stored in single), from `seed`.
    ///
    /// The stream is ChaCha8 ([`ZooRng`]) and the normal draws use the ziggurat method
    /// (`rand_distr`), about 10 million entries in well under a second.
    ///
    /// # Panics
    /// If `dim` or `low` is 0, or `variance` is not positive and finite.
    pub fn generate(dim: usize, low: usize, variance: f64, seed: u64) -> Self {
        assert!(dim > 0 && low > 0, "an embedding needs dimensions");
        assert!(
            variance.is_finite() && variance > 0.0,
            "variance must be positive"
        );
        let std = variance.sqrt();
        let mut rng = ZooRng::seed_from(seed);
        let draws = (0..dim * low).map(|_| {
            let z: f64 = StandardNormal.sample(&mut rng);
            (std * z) as f32
        });
        Embedding {
            transposed: DMatrix::from_iterator(low, dim, draws),
            variance,
            seed,
        }
    }

    /// `D`, the original dimension (rows of `A`).
    pub fn dim(&self) -> usize {
        self.transposed.ncols()
    }

    /// `d`, the low dimension (columns of `A`).
    pub fn low_dimension(&self) -> usize {
        self.transposed.nrows()
    }

    /// Variance of the entries.
    pub fn variance(&self) -> f64 {
        self.variance
    }

    /// The seed the matrix was drawn from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// `Aᵀ` (`d×D`): column `i` holds row `i` of `A`.
    pub fn matrix(&self) -> &DMatrix<f32> {
        &self.transposed
    }

    /// Row `i` of `A` (`d` numbers).
    #[inline]
    pub fn row(&self, i: usize) -> &[f32] {
        let d = self.low_dimension();
        &self.transposed.as_slice()[i * d..(i + 1) * d]
    }

    /// `α·previous + A·y`, without any box (`previous = None` counts as zero).
    ///
    /// # Panics
    /// If `y` does not have `d` coordinates or `previous` does not have `D`.
    pub fn project(&self, alpha: f64, previous: Option<&[f64]>, y: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.dim()];
        self.project_with(alpha, previous, y, &mut out, |_, u| u);
        out
    }

    /// Writes `out[i] = finish(i, u_i)` for `u = α·previous + A·y`, reading `A` once,
    /// front to back, and writing each output coordinate once.
    ///
    /// Low dimensions up to 16 run a kernel compiled for that size (the row is a fixed
    /// array the compiler keeps in registers); larger ones a general loop.
    #[inline]
    pub(crate) fn project_with(
        &self,
        alpha: f64,
        previous: Option<&[f64]>,
        y: &[f64],
        out: &mut [f64],
        finish: impl FnMut(usize, f64) -> f64,
    ) {
        let d = self.low_dimension();
        assert_eq!(y.len(), d, "y must have the low dimension");
        assert_eq!(
            out.len(),
            self.dim(),
            "the output must have the original dimension"
        );
        if let Some(prev) = previous {
            assert_eq!(
                prev.len(),
                self.dim(),
                "previous point must have the original dimension"
            );
        }
        let a = self.transposed.as_slice();
        macro_rules! fixed {
            ($($n:literal)*) => {
                match d {
                    $($n => rows::<$n>(a, y, alpha, previous, out, finish),)*
                    _ => rows_dynamic(a, y, alpha, previous, out, finish),
                }
            };
        }
        fixed!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);
    }
}

/// The projection for a low dimension known at compile time.
#[inline(always)]
fn rows<const N: usize>(
    a: &[f32],
    y: &[f64],
    alpha: f64,
    previous: Option<&[f64]>,
    out: &mut [f64],
    mut finish: impl FnMut(usize, f64) -> f64,
) {
    let y: [f64; N] = y.try_into().expect("y has N coordinates");
    let dot = |row: &[f32], start: f64| {
        let row: &[f32; N] = row.try_into().expect("rows have N entries");
        let mut s = start;
        for j in 0..N {
            s += f64::from(row[j]) * y[j];
        }
        s
    };
    let rows = a.chunks_exact(N).zip(out.iter_mut()).enumerate();
    match previous {
        Some(prev) => {
            for ((i, (row, o)), &p) in rows.zip(prev) {
                *o = finish(i, dot(row, alpha * p));
            }
        }
        None => {
            for (i, (row, o)) in rows {
                *o = finish(i, dot(row, 0.0));
            }
        }
    }
}

/// The projection for any low dimension (the same order of operations as [`rows`]).
fn rows_dynamic(
    a: &[f32],
    y: &[f64],
    alpha: f64,
    previous: Option<&[f64]>,
    out: &mut [f64],
    mut finish: impl FnMut(usize, f64) -> f64,
) {
    let dot = |row: &[f32], start: f64| row.iter().zip(y).fold(start, |s, (&p, q)| s + f64::from(p) * q);
    let rows = a.chunks_exact(y.len()).zip(out.iter_mut()).enumerate();
    match previous {
        Some(prev) => {
            for ((i, (row, o)), &p) in rows.zip(prev) {
                *o = finish(i, dot(row, alpha * p));
            }
        }
        None => {
            for (i, (row, o)) in rows {
                *o = finish(i, dot(row, 0.0));
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_same_matrix_and_another_seed_does_not() {
        let a = Embedding::generate(300, 4, 0.25, 7);
        assert_eq!(a, Embedding::generate(300, 4, 0.25, 7));
        assert_ne!(a.matrix(), Embedding::generate(300, 4, 0.25, 8).matrix());
    }

    #[test]
    fn entries_have_the_requested_variance() {
        let a = Embedding::generate(20_000, 5, 0.2, 1);
        let xs: Vec<f64> = a.matrix().iter().map(|&v| f64::from(v)).collect();
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 0.2).abs() < 0.01, "variance {var}");
    }

    #[test]
    fn projection_matches_nalgebra_product() {
        let a = Embedding::generate(50, 3, 1.0, 3);
        let y = [0.3, -0.7, 0.1];
        let prev: Vec<f64> = (0..50).map(|i| i as f64 / 50.0).collect();
        let x = a.project(0.5, Some(&prev), &y);
        let reference = a.matrix().map(f64::from).transpose() * nalgebra::DVector::from_column_slice(&y)
            + nalgebra::DVector::from_column_slice(&prev) * 0.5;
        for (u, v) in x.iter().zip(reference.iter()) {
            assert!((u - v).abs() < 1e-12);
        }
        assert_eq!(a.row(2), a.matrix().column(2).as_slice());
    }

    #[test]
    fn fixed_size_kernels_agree_with_the_general_loop() {
        for d in [1, 5, 10, 16] {
            let a = Embedding::generate(64, d, 1.0, d as u64);
            let y: Vec<f64> = (0..d).map(|j| 0.9 - 0.13 * j as f64).collect();
            let prev: Vec<f64> = (0..64).map(|i| (i as f64).sin()).collect();
            let mut general = vec![0.0; 64];
            rows_dynamic(
                a.matrix().as_slice(),
                &y,
                -0.4,
                Some(&prev),
                &mut general,
                |_, u| u,
            );
            assert_eq!(a.project(-0.4, Some(&prev), &y), general, "d = {d}");
        }
        let wide = Embedding::generate(10, 17, 1.0, 1);
        let y = vec![0.5; 17];
        let x = wide.project(0.0, None, &y);
        let expected: f64 = wide.row(3).iter().map(|&v| f64::from(v) * 0.5).sum();
        assert!((x[3] - expected).abs() < 1e-12);
    }
}
