//! Standard test functions, as used by ZOOpt's examples and the benchmark suite.
//!
//! Every function takes a coordinate slice and returns the value to minimize.

use std::f64::consts::{E, TAU};

/// The bias of ZOOpt's sphere and Ackley: their minimum sits at `x = (0.2, …, 0.2)`.
pub const ZOOPT_BIAS: f64 = 0.2;

/// Sphere with ZOOpt's bias: `Σ (xᵢ − 0.2)²`, minimum 0.
pub fn sphere(x: &[f64]) -> f64 {
    x.iter().map(|v| (v - ZOOPT_BIAS).powi(2)).sum()
}

/// Ackley with ZOOpt's bias 0.2:
/// `−20·exp(−0.2·√mean((x−0.2)²)) − exp(mean(cos 2π(x−0.2))) + 20 + e`, minimum 0.
pub fn ackley(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mut squares, mut cosines) = (0.0, 0.0);
    for v in x {
        let z = v - ZOOPT_BIAS;
        squares += z * z;
        cosines += (TAU * z).cos();
    }
    -20.0 * (-0.2 * (squares / n).sqrt()).exp() - (cosines / n).exp() + 20.0 + E
}

/// Rastrigin: `10·D + Σ (xᵢ² − 10·cos 2πxᵢ)`, minimum 0 at the origin.
pub fn rastrigin(x: &[f64]) -> f64 {
    10.0 * x.len() as f64 + x.iter().map(|v| v * v - 10.0 * (TAU * v).cos()).sum::<f64>()
}

/// Griewank: `1 + Σ xᵢ²/4000 − Π cos(xᵢ/√i)`, minimum 0 at the origin.
pub fn griewank(x: &[f64]) -> f64 {
    let sum: f64 = x.iter().map(|v| v * v).sum::<f64>() / 4000.0;
    let product: f64 = x
        .iter()
        .enumerate()
        .map(|(i, v)| (v / ((i + 1) as f64).sqrt()).cos())
        .product();
    1.0 + sum - product
}

/// Rosenbrock: `Σ 100·(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²`, minimum 0 at `(1, …, 1)`.
pub fn rosenbrock(x: &[f64]) -> f64 {
    x.windows(2)
        .map(|w| 100.0 * (w[1] - w[0] * w[0]).powi(2) + (1.0 - w[0]).powi(2))
        .sum()
}

/// Ellipsoid with condition number 10⁶: `Σ 10^(6·i/(n−1)) xᵢ²`, minimum 0 at the origin.
pub fn ellipsoid(x: &[f64]) -> f64 {
    conditioned_ellipsoid(x, 6.0)
}

/// `Σ 10^(decades·i/(n−1)) xᵢ²`: an ellipsoid of condition number `10^decades`.
fn conditioned_ellipsoid(x: &[f64], decades: f64) -> f64 {
    let last = (x.len().max(2) - 1) as f64;
    x.iter()
        .enumerate()
        .map(|(i, v)| 10f64.powf(decades * i as f64 / last) * v * v)
        .sum()
}

/// A uniformly random rotation of `n` coordinates (row-major), by Gram–Schmidt on a
/// Gaussian matrix: the rotations of the shifted-rotated test problems.
pub fn random_rotation(n: usize, rng: &mut crate::ZooRng) -> Vec<f64> {
    let mut m: Vec<f64> = (0..n * n).map(|_| rng.normal()).collect();
    for i in 0..n {
        for k in 0..i {
            let dot: f64 = (0..n).map(|j| m[i * n + j] * m[k * n + j]).sum();
            for j in 0..n {
                m[i * n + j] -= dot * m[k * n + j];
            }
        }
        let norm = (0..n).map(|j| m[i * n + j].powi(2)).sum::<f64>().sqrt();
        for j in 0..n {
            m[i * n + j] /= norm;
        }
    }
    m
}

/// The weights of the 20 candidate subsets of ZOOpt's set-cover example.
pub const SET_COVER_WEIGHTS: [f64; 20] = [
    0.8356, 0.5495, 0.4444, 0.7269, 0.9960, 0.6633, 0.5062, 0.8429, 0.1293, 0.7355, 0.7979, 0.2814, 0.7962,
    0.1754, 0.0267, 0.9862, 0.1786, 0.5884, 0.6289, 0.3008,
];

/// The 20 candidate subsets of a 30-element universe in ZOOpt's set-cover example, one
/// bit mask per subset (bit `j` set when element `j` belongs to it).
pub const SET_COVER_SUBSETS: [u32; 20] = [
    mask(b"010001010011001110100110100100"),
    mask(b"000100110101100110001010111100"),
    mask(b"101000101100100001111011111000"),
    mask(b"001101110011001111100100100010"),
    mask(b"111011000010000101111001001111"),
    mask(b"001101110011111110111001000000"),
    mask(b"010010000100000100010010111100"),
    mask(b"001000011010011111010110111000"),
    mask(b"001101010110111001001101000010"),
    mask(b"011100101010111010001100011001"),
    mask(b"001110110011111000110001010100"),
    mask(b"001001000011011100110111100011"),
    mask(b"100011011110100101110011000111"),
    mask(b"100101111111110010011110101001"),
    mask(b"000000111100011101000000100101"),
    mask(b"100010010001111010110100010110"),
    mask(b"100010010100101111110101000101"),
    mask(b"011011110101000001101111100001"),
    mask(b"011011000110110011000010000110"),
    mask(b"001111011100101001010100010011"),
];

const fn mask(bits: &[u8; 30]) -> u32 {
    let mut m = 0;
    let mut j = 0;
    while j < 30 {
        if bits[j] == b'1' {
            m |= 1 << j;
        }
        j += 1;
    }
    m
}

/// ZOOpt's weighted set cover over 20 binary coordinates: the total weight of the chosen
/// subsets, plus the sum of all weights as a penalty when they do not cover all 30
/// elements. Coordinates equal to 1 choose a subset.
pub fn set_cover(x: &[f64]) -> f64 {
    let mut covered = 0u32;
    let mut weight = 0.0;
    for (i, &chosen) in x.iter().enumerate().take(SET_COVER_WEIGHTS.len()) {
        if chosen > 0.5 {
            weight += SET_COVER_WEIGHTS[i];
            covered |= SET_COVER_SUBSETS[i];
        }
    }
    if covered != (1 << 30) - 1 {
        weight += SET_COVER_WEIGHTS.iter().sum::<f64>();
    }
    weight
}

/// A coupled problem over many-valued integers: `n` integers in `[-50, 50]`, read as
/// tenths, under a rotated ellipsoid of condition 10³ whose minimizer lies inside the
/// range (its rotation and shift drawn from `rng`). Returns the space and the objective.
pub fn rotated_integer_ellipsoid(
    n: usize,
    rng: &mut crate::ZooRng,
) -> Result<(crate::Space, impl Fn(&[f64]) -> f64 + Clone + Send + Sync), crate::SpaceError> {
    fn ellipsoid_1e3(z: &[f64]) -> f64 {
        conditioned_ellipsoid(z, 3.0)
    }
    let rotation = random_rotation(n, rng);
    // The minimizer in tenths.
    let shift: Vec<f64> = (0..n).map(|_| rng.uniform(-3.0, 3.0)).collect();
    let space = crate::Space::new(std::iter::repeat_n(crate::Dimension::integer(-50, 50)?, n))?;
    let f = move |x: &[f64]| {
        let tenths: Vec<f64> = x.iter().map(|v| v / 10.0).collect();
        transformed(ellipsoid_1e3, &shift, &rotation, &tenths)
    };
    Ok((space, f))
}

/// The value of `f` at a point shifted and rotated into place: `f(R·(x − shift))`, so that
/// no method wins because the optimum sits at the centre or on the axes. Used by the
/// benchmark suite; `rotation` is row-major `n×n`.
pub fn transformed(f: fn(&[f64]) -> f64, shift: &[f64], rotation: &[f64], x: &[f64]) -> f64 {
    let n = x.len();
    let z: Vec<f64> = (0..n)
        .map(|i| {
            let row = &rotation[i * n..(i + 1) * n];
            row.iter()
                .zip(x.iter().zip(shift))
                .map(|(r, (v, s))| r * (v - s))
                .sum()
        })
        .collect();
    f(&z)
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn minima_are_where_documented() {
        assert!(sphere(&[0.2; 10]).abs() < 1e-12);
        assert!(ackley(&[0.2; 100]).abs() < 1e-7);
        assert!(rastrigin(&[0.0; 20]).abs() < 1e-12);
        assert!(griewank(&[0.0; 20]).abs() < 1e-12);
        assert!(rosenbrock(&[1.0; 20]).abs() < 1e-12);
        assert!(ackley(&[0.9; 100]) > 1.0);
    }

    #[test]
    fn set_cover_matches_zoopt_data() {
        let total: f64 = SET_COVER_WEIGHTS.iter().sum();
        // Choosing nothing covers nothing: only the penalty.
        assert!((set_cover(&[0.0; 20]) - total).abs() < 1e-12);
        // Choosing everything covers everything: just the weights.
        assert!((set_cover(&[1.0; 20]) - total).abs() < 1e-12);
        // Subset 0 covers elements 1, 5, 7, 10, 11, 14, 15, 16, 18, 21, 22, 24, 27.
        let first = SET_COVER_SUBSETS[0];
        assert_eq!(first.count_ones(), 13);
        assert!(first & (1 << 1) != 0 && first & (1 << 27) != 0 && first & 1 == 0);
        let union = SET_COVER_SUBSETS.iter().fold(0, |a, b| a | b);
        assert_eq!(union, (1 << 30) - 1);
    }

    #[test]
    fn identity_transform_is_the_function() {
        let x = [0.3, -0.7, 1.1];
        let eye = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];
        assert!((transformed(rastrigin, &[0.0; 3], &eye, &x) - rastrigin(&x)).abs() < 1e-12);
    }
}
