//! The 2009 random numbers every BBOB instance is built from.
//!
//! BBOB instances are not drawn from a modern generator: the optima, offsets and rotations
//! come from the Park–Miller "minimal standard" linear congruential generator (multiplier
//! 16807, modulus 2³¹ − 1, Schrage's factorisation) behind a 32-entry Bays–Durham shuffle
//! table, Box–Muller normals, and a Gram–Schmidt orthonormalisation — the generator of the
//! original 2009 C and Matlab code, kept by COCO so that instance `i` of function `f` is the
//! same problem in every release since 2009.
//!
//! Reproducing COCO's values to the last bit requires reproducing its arithmetic order, so
//! every routine here evaluates its expressions in the order the definitions in
//! Hansen et al., INRIA RR-6829 (2009) and COCO's `suite_bbob_legacy_code.c` do.

// Audit (issue #13, clippy::indexing_slicing): indices run below the sizes these
// functions allocate themselves (the 32-entry shuffle table, `n × n` matrices, `2n`
// uniforms); no index comes from user data.
#![allow(clippy::indexing_slicing)]

/// 2³¹ − 1, the modulus of the generator.
const MODULUS: i64 = 2_147_483_647;
/// Schrage's quotient for multiplier 16807: `MODULUS / 16807`.
const SCHRAGE_Q: f64 = 127_773.0;
/// Schrage's remainder: `MODULUS % 16807`.
const SCHRAGE_R: i64 = 2836;
/// Width of a shuffle-table slot: `1 + (MODULUS - 1) / 32`.
const SLOT: f64 = 67_108_865.0;

/// One step of the Park–Miller generator.
fn next_state(state: i64) -> i64 {
    let hi = (state as f64 / SCHRAGE_Q).floor() as i64;
    let next = 16_807 * (state - hi * 127_773) - SCHRAGE_R * hi;
    if next < 0 { next + MODULUS } else { next }
}

/// `n` uniform numbers in (0, 1) from `seed` (negative seeds use their magnitude, 0 acts as 1).
pub(crate) fn uniform(n: usize, seed: i64) -> Vec<f64> {
    let mut state = seed.abs().max(1);
    let mut table = [0_i64; 32];
    // Warm up: 40 steps, the last 32 of them fill the table from its end.
    for step in (0..40).rev() {
        state = next_state(state);
        if step < 32 {
            table[step] = state;
        }
    }
    let mut last = table[0];
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        state = next_state(state);
        // Below 32 for every seed in the generator's range (checked by `Bbob::new`); the `min`
        // only keeps an out-of-range seed from indexing outside the table.
        let slot = ((last as f64 / SLOT).floor() as usize).min(31);
        last = table[slot];
        table[slot] = state;
        let u = last as f64 / 2.147_483_647e9;
        out.push(if u == 0.0 { 1e-99 } else { u });
    }
    out
}

/// `n` standard normal numbers from `seed` by Box–Muller over `2n` uniforms (the first `n`
/// give the radii, the last `n` the angles).
pub(crate) fn gaussian(n: usize, seed: i64) -> Vec<f64> {
    let u = uniform(2 * n, seed);
    (0..n)
        .map(|i| {
            let g = (-2.0 * u[i].ln()).sqrt() * (2.0 * std::f64::consts::PI * u[n + i]).cos();
            if g == 0.0 { 1e-99 } else { g }
        })
        .collect()
}

/// A dense square matrix, row-major.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Matrix {
    n: usize,
    data: Vec<f64>,
}

impl Matrix {
    /// The `n × n` zero matrix.
    pub(crate) fn zeros(n: usize) -> Matrix {
        Matrix {
            n,
            data: vec![0.0; n * n],
        }
    }

    /// Row `i`.
    pub(crate) fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.n..(i + 1) * self.n]
    }

    /// Entry (`i`, `j`).
    pub(crate) fn at(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.n + j]
    }

    /// Mutable entry (`i`, `j`).
    pub(crate) fn at_mut(&mut self, i: usize, j: usize) -> &mut f64 {
        &mut self.data[i * self.n + j]
    }

    /// Every entry multiplied by `factor`.
    pub(crate) fn scaled(&self, factor: f64) -> Matrix {
        Matrix {
            n: self.n,
            data: self.data.iter().map(|v| factor * v).collect(),
        }
    }

    /// Row `i` multiplied by `row_factors[i]` (the matrix `diag(row_factors) · self`, each
    /// entry computed as `self[i][j] * row_factors[i]`).
    pub(crate) fn rows_scaled(&self, row_factors: &[f64]) -> Matrix {
        let mut out = self.clone();
        for i in 0..self.n {
            for j in 0..self.n {
                *out.at_mut(i, j) = self.at(i, j) * row_factors[i];
            }
        }
        out
    }

    /// `left · diag(middle) · right`, each entry summed over `k` in increasing order as
    /// `(left[i][k] * middle[k]) * right[k][j]`.
    pub(crate) fn sandwich(left: &Matrix, middle: &[f64], right: &Matrix) -> Matrix {
        let n = left.n;
        let mut out = Matrix::zeros(n);
        for i in 0..n {
            for j in 0..n {
                let mut acc = 0.0;
                for k in 0..n {
                    acc += left.at(i, k) * middle[k] * right.at(k, j);
                }
                *out.at_mut(i, j) = acc;
            }
        }
        out
    }

    /// `out = offset + self · x`, each row accumulated from `offset` in increasing column order.
    pub(crate) fn apply(&self, x: &[f64], offset: f64, out: &mut [f64]) {
        for (i, o) in out.iter_mut().enumerate().take(self.n) {
            let mut acc = offset;
            for (xj, mij) in x.iter().zip(self.row(i)) {
                acc += xj * mij;
            }
            *o = acc;
        }
    }
}

/// A random orthogonal `n × n` matrix: `n²` normals laid out column by column, then
/// Gram–Schmidt on the columns.
pub(crate) fn rotation(n: usize, seed: i64) -> Matrix {
    let g = gaussian(n * n, seed);
    let mut b = Matrix::zeros(n);
    for i in 0..n {
        for j in 0..n {
            *b.at_mut(i, j) = g[j * n + i];
        }
    }
    for i in 0..n {
        for j in 0..i {
            let mut dot = 0.0;
            for k in 0..n {
                dot += b.at(k, i) * b.at(k, j);
            }
            for k in 0..n {
                let bkj = b.at(k, j);
                *b.at_mut(k, i) -= dot * bkj;
            }
        }
        let mut norm2 = 0.0;
        for k in 0..n {
            norm2 += b.at(k, i) * b.at(k, i);
        }
        let norm = norm2.sqrt();
        for k in 0..n {
            *b.at_mut(k, i) /= norm;
        }
    }
    b
}

/// The usual optimum: coordinates on a grid of step 8·10⁻⁴ in [−4, 4), never exactly 0.
pub(crate) fn xopt(n: usize, seed: i64) -> Vec<f64> {
    uniform(n, seed)
        .into_iter()
        .map(|u| {
            let v = 8.0 * (1e4 * u).floor() / 1e4 - 4.0;
            if v == 0.0 { -1e-5 } else { v }
        })
        .collect()
}

/// The optimal value of `function` on `instance`: a ratio of two normals, times 100, rounded
/// to two decimals and clipped to [−1000, 1000].
pub(crate) fn fopt(function: usize, instance: u32) -> f64 {
    let base: i64 = match function {
        4 => 3,
        18 => 17,
        f => f as i64,
    };
    let seed = base + 10_000 * i64::from(instance);
    let num = gaussian(1, seed)[0];
    let den = gaussian(1, seed + 1)[0];
    let rounded = (100.0 * 100.0 * num / den + 0.5).floor() / 100.0;
    rounded.clamp(-1000.0, 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_numbers_lie_in_the_open_unit_interval() {
        let u = uniform(1000, 12_345);
        assert!(u.iter().all(|&v| v > 0.0 && v < 1.0));
    }

    #[test]
    fn seeds_zero_and_one_and_minus_one_coincide() {
        assert_eq!(uniform(5, 0), uniform(5, 1));
        assert_eq!(uniform(5, -1), uniform(5, 1));
    }

    #[test]
    fn rotation_is_orthonormal() {
        let r = rotation(7, 10_001);
        for i in 0..7 {
            for j in 0..7 {
                let dot: f64 = (0..7).map(|k| r.at(k, i) * r.at(k, j)).sum();
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((dot - want).abs() < 1e-12, "({i},{j}) -> {dot}");
            }
        }
    }

    #[test]
    fn optima_sit_on_the_grid_inside_four() {
        for v in xopt(40, 10_001) {
            assert!((-4.0..4.0).contains(&v));
        }
    }

    #[test]
    fn fopt_is_clipped_and_has_two_decimals() {
        for f in 1..=24 {
            for i in 1..=15 {
                let v = fopt(f, i);
                assert!((-1000.0..=1000.0).contains(&v));
                assert!(((v * 100.0).round() - v * 100.0).abs() < 1e-6);
            }
        }
    }
}
