//! The Gaussian search distribution of one CMA-ES run and its update, with a full or a
//! diagonal covariance matrix.
//!
//! Defaults and update equations follow N. Hansen, *The CMA Evolution Strategy: A
//! Tutorial*, arXiv:1604.00772 (2016/2023), with the negative weights of active CMA (as pycma by default):
//!
//! | symbol | value |
//! | --- | --- |
//! | `λ` | `4 + ⌊3 ln n⌋` |
//! | `μ` | `⌊λ / 2⌋` |
//! | `wᵢ`, `i ≤ μ` | `ln((λ + 1)/2) − ln i`, normalised to sum 1 |
//! | `wᵢ`, `i > μ` | the same formula (negative), scaled to `min(1 + c₁/c_μ, 1 + 2μ⁻_eff/(μ_eff + 2), (1 − c₁ − c_μ)/(n·c_μ))` in total |
//! | `μ_eff` | `1 / Σ wᵢ²` |
//! | `c_σ` | `(μ_eff + 2) / (n + μ_eff + 5)` |
//! | `d_σ` | `1 + 2·max(0, √((μ_eff − 1)/(n + 1)) − 1) + c_σ` |
//! | `c_c` | `(4 + μ_eff/n) / (n + 4 + 2μ_eff/n)` |
//! | `c₁` | `2 / ((n + 1.3)² + μ_eff)` |
//! | `c_μ` | `min(1 − c₁, 2(μ_eff − 2 + 1/μ_eff) / ((n + 2)² + μ_eff))` |
//!
//! The diagonal model (sep-CMA-ES, Ros & Hansen, PPSN 2008) multiplies `c₁` and `c_μ` by
//! `(n + 2)/3` (keeping `c₁ + c_μ ≤ 1`) and learns only the diagonal.
//!
//! The full model's eigendecomposition is refreshed lazily, every
//! `max(1, ⌊λ / ((c₁ + c_μ)·n·10)⌋)` generations (the rule pycma uses), so that its
//! `O(n³)` cost is spread over about `λ/(c₁ + c_μ)/10 ≈ n²/20` evaluations.

// Audit (issue #13, clippy::indexing_slicing): vectors hold `n` (matrices `n·n`, weights
// `λ`) entries by construction, and indices run below those sizes; a restored strategy
// passes `Strategy::check`, which verifies every size, before it is used.
#![allow(clippy::indexing_slicing)]

use nalgebra::{DMatrix, SymmetricEigen};
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};
use zoo_core::ZooRng;

#[derive(Debug, Clone, Serialize, Deserialize)]
enum Model {
    /// `C = B·diag(d²)·Bᵀ`; `b` row-major, column `i` is the `i`-th eigenvector.
    Full {
        c: Vec<f64>,
        b: Vec<f64>,
        d: Vec<f64>,
        eigen_generation: u64,
        eigen_gap: u64,
    },
    /// `C = diag(c)`, `d = √c`.
    Diagonal { c: Vec<f64>, d: Vec<f64> },
}

/// One run's distribution `N(mean, σ²C)` and its evolution paths.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Strategy {
    pub n: usize,
    pub lambda: usize,
    pub mu: usize,
    weights: Vec<f64>,
    pub mueff: f64,
    pub cs: f64,
    pub ds: f64,
    cc: f64,
    c1: f64,
    cmu: f64,
    chi_n: f64,
    pub mean: Vec<f64>,
    pub sigma: f64,
    ps: Vec<f64>,
    pc: Vec<f64>,
    /// Generations completed in this run.
    pub generation: u64,
    model: Model,
}

/// `Σ aᵢ·bᵢ` with four partial sums, so that the compiler can use SIMD lanes.
#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    let tail: f64 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// The default population size for `n` coordinates.
pub(crate) fn default_population(n: usize) -> usize {
    4 + (3.0 * (n.max(1) as f64).ln()).floor() as usize
}

/// The recombination weights (positive then negative, before the active scaling), `μ_eff`,
/// `c₁` and `c_μ` of the full model.
fn rates(n: usize, lambda: usize) -> (Vec<f64>, f64, f64, f64) {
    let nf = n as f64;
    let mu = (lambda / 2).max(1);
    let prime: Vec<f64> = (1..=lambda)
        .map(|i| ((lambda as f64 + 1.0) / 2.0).ln() - (i as f64).ln())
        .collect();
    let mueff = prime[..mu].iter().sum::<f64>().powi(2) / prime[..mu].iter().map(|w| w * w).sum::<f64>();
    let c1 = 2.0 / ((nf + 1.3).powi(2) + mueff);
    let cmu = (2.0 * (mueff - 2.0 + 1.0 / mueff) / ((nf + 2.0).powi(2) + mueff)).min(1.0 - c1);
    (prime, mueff, c1, cmu)
}

/// Evaluations the full model needs to adapt its covariance once, `λ / (c₁ + c_μ)`.
pub(crate) fn learning_horizon(n: usize, lambda: usize) -> f64 {
    let (_, _, c1, cmu) = rates(n.max(1), lambda.max(2));
    lambda as f64 / (c1 + cmu)
}

/// Largest population a checkpoint may hold: far above what a budget affords (the IPOP
/// schedule grows it only while `λ·GENERATIONS_PER_RESTART` evaluations remain), and a
/// bound on what a damaged state can make the sampler allocate.
pub(crate) const MAX_POPULATION: usize = 1 << 24;

impl Strategy {
    /// Checks a deserialised strategy: sizes for `n` coordinates, the constants its
    /// constructor derives from `λ` and `n`, and finite, positive scales.
    pub fn check(&self, n: usize) -> Result<(), String> {
        if self.n != n || self.mean.len() != n || self.ps.len() != n || self.pc.len() != n {
            return Err(format!("the strategy's vectors do not have {n} coordinates"));
        }
        if !(2..=MAX_POPULATION).contains(&self.lambda) {
            return Err(format!(
                "population {} is outside [2, {MAX_POPULATION}]",
                self.lambda
            ));
        }
        // Generations are counted without checks: far below u64::MAX.
        if self.generation >= 1 << 62 {
            return Err(format!("{} generations", self.generation));
        }
        if !(self.sigma.is_finite() && self.sigma > 0.0) {
            return Err(format!("step size {} is not positive and finite", self.sigma));
        }
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        if !(finite(&self.mean) && finite(&self.ps) && finite(&self.pc)) {
            return Err("the strategy's mean or paths are not finite".to_owned());
        }
        let diagonal = matches!(self.model, Model::Diagonal { .. });
        let fresh = Strategy::new(self.mean.clone(), self.sigma, self.lambda, diagonal);
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
        let constants_match = self.mu == fresh.mu
            && self.weights.len() == fresh.weights.len()
            && self.weights.iter().zip(&fresh.weights).all(|(a, b)| same(*a, *b))
            && [
                (self.mueff, fresh.mueff),
                (self.cs, fresh.cs),
                (self.ds, fresh.ds),
                (self.cc, fresh.cc),
                (self.c1, fresh.c1),
                (self.cmu, fresh.cmu),
                (self.chi_n, fresh.chi_n),
            ]
            .iter()
            .all(|&(a, b)| same(a, b));
        if !constants_match {
            return Err(
                "the strategy's learning rates or weights do not follow from its population".to_owned(),
            );
        }
        let nonnegative = |v: &[f64]| v.iter().all(|x| x.is_finite() && *x >= 0.0);
        let model_ok = match &self.model {
            Model::Full {
                c,
                b,
                d,
                eigen_gap,
                eigen_generation,
            } => {
                c.len() == n * n
                    && b.len() == n * n
                    && d.len() == n
                    && finite(c)
                    && finite(b)
                    && nonnegative(d)
                    && *eigen_gap >= 1
                    && *eigen_generation <= self.generation
            }
            Model::Diagonal { c, d } => c.len() == n && d.len() == n && nonnegative(c) && nonnegative(d),
        };
        if !model_ok {
            return Err("the covariance model has the wrong size or non-finite entries".to_owned());
        }
        Ok(())
    }

    pub fn new(mean: Vec<f64>, sigma: f64, lambda: usize, diagonal: bool) -> Strategy {
        let n = mean.len();
        let nf = n as f64;
        let mu = (lambda / 2).max(1);
        let (prime, mueff, mut c1, mut cmu) = rates(n, lambda);
        let positive: f64 = prime[..mu].iter().sum();
        let mut weights: Vec<f64> = prime.iter().map(|w| w / positive).collect();
        let cs = (mueff + 2.0) / (nf + mueff + 5.0);
        let ds = 1.0 + 2.0 * (((mueff - 1.0) / (nf + 1.0)).sqrt() - 1.0).max(0.0) + cs;
        let cc = (4.0 + mueff / nf) / (nf + 4.0 + 2.0 * mueff / nf);
        if diagonal {
            let factor = (nf + 2.0) / 3.0;
            c1 = (c1 * factor).min(0.9);
            cmu = (cmu * factor).min(1.0 - c1);
        }
        // Negative weights (active CMA), scaled as in the tutorial's (53).
        let negative: f64 = prime[mu..].iter().map(|w| -w).sum();
        if negative > 0.0 {
            let mueff_minus = negative.powi(2) / prime[mu..].iter().map(|w| w * w).sum::<f64>();
            let alpha_mu = 1.0 + c1 / cmu;
            let alpha_mueff = 1.0 + 2.0 * mueff_minus / (mueff + 2.0);
            let alpha_posdef = (1.0 - c1 - cmu) / (nf * cmu);
            let factor = alpha_mu.min(alpha_mueff).min(alpha_posdef) / negative;
            for (w, p) in weights[mu..].iter_mut().zip(&prime[mu..]) {
                *w = p * factor;
            }
        }
        let chi_n = nf.sqrt() * (1.0 - 1.0 / (4.0 * nf) + 1.0 / (21.0 * nf * nf));
        let model = if diagonal {
            Model::Diagonal {
                c: vec![1.0; n],
                d: vec![1.0; n],
            }
        } else {
            let mut identity = vec![0.0; n * n];
            for i in 0..n {
                identity[i * n + i] = 1.0;
            }
            let gap = (lambda as f64 / ((c1 + cmu) * nf * 10.0)).floor().max(1.0) as u64;
            Model::Full {
                c: identity.clone(),
                b: identity,
                d: vec![1.0; n],
                eigen_generation: 0,
                eigen_gap: gap,
            }
        };
        Strategy {
            n,
            lambda,
            mu,
            weights,
            mueff,
            cs,
            ds,
            cc,
            c1,
            cmu,
            chi_n,
            mean,
            sigma,
            ps: vec![0.0; n],
            pc: vec![0.0; n],
            generation: 0,
            model,
        }
    }

    /// The same distribution — mean, step size, covariance and evolution paths — with the
    /// weights and learning rates of population `lambda`.
    pub fn with_population(&self, lambda: usize) -> Strategy {
        let diagonal = matches!(self.model, Model::Diagonal { .. });
        let mut resized = Strategy::new(self.mean.clone(), self.sigma, lambda, diagonal);
        let gap = match &resized.model {
            Model::Full { eigen_gap, .. } => *eigen_gap,
            Model::Diagonal { .. } => 1,
        };
        resized.model = self.model.clone();
        if let Model::Full { eigen_gap, .. } = &mut resized.model {
            *eigen_gap = gap;
        }
        resized.ps.clone_from(&self.ps);
        resized.pc.clone_from(&self.pc);
        resized.generation = self.generation;
        resized
    }

    /// Draws `mean + σ·B·D·z` into `out`, `z` standard normal (`buf` is scratch).
    pub fn sample(&self, rng: &mut ZooRng, buf: &mut Vec<f64>, out: &mut Vec<f64>) {
        self.sample_at(&self.mean, self.sigma, rng, buf, out);
    }

    /// Draws `centre + sigma·B·D·z` into `out`: the distribution's shape around another
    /// centre, at another scale.
    pub fn sample_at(
        &self,
        centre: &[f64],
        sigma: f64,
        rng: &mut ZooRng,
        buf: &mut Vec<f64>,
        out: &mut Vec<f64>,
    ) {
        let n = self.n;
        out.clear();
        match &self.model {
            Model::Diagonal { d, .. } => {
                out.extend(centre.iter().zip(d).map(|(m, di)| {
                    let z: f64 = StandardNormal.sample(rng);
                    m + sigma * di * z
                }));
            }
            Model::Full { b, d, .. } => {
                buf.clear();
                buf.extend(d.iter().map(|di| {
                    let z: f64 = StandardNormal.sample(rng);
                    di * z
                }));
                for j in 0..n {
                    let row = &b[j * n..(j + 1) * n];
                    let dot = dot(row, buf);
                    out.push(centre[j] + sigma * dot);
                }
            }
        }
    }

    /// The standard deviation of each coordinate, `σ·√Cⱼⱼ`.
    pub fn coordinate_sd(&self) -> Vec<f64> {
        let n = self.n;
        match &self.model {
            Model::Diagonal { d, .. } => d.iter().map(|x| self.sigma * x).collect(),
            Model::Full { c, .. } => (0..n)
                .map(|j| self.sigma * c[j * n + j].max(0.0).sqrt())
                .collect(),
        }
    }

    /// The largest of [`Strategy::coordinate_sd`], without building the vector.
    pub fn widest_sd(&self) -> f64 {
        let n = self.n;
        let widest = match &self.model {
            Model::Diagonal { d, .. } => d.iter().fold(0.0f64, |a, &x| a.max(x)),
            Model::Full { c, .. } => (0..n).fold(0.0f64, |a, j| a.max(c[j * n + j].max(0.0).sqrt())),
        };
        self.sigma * widest
    }

    /// The condition number of `C` (as of the last eigendecomposition for the full model).
    pub fn condition(&self) -> f64 {
        let (lo, hi) = match &self.model {
            Model::Diagonal { c, .. } => c
                .iter()
                .fold((f64::INFINITY, 0.0f64), |(lo, hi), &x| (lo.min(x), hi.max(x))),
            Model::Full { d, .. } => d.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &x| {
                (lo.min(x * x), hi.max(x * x))
            }),
        };
        if lo > 0.0 { hi / lo } else { f64::INFINITY }
    }

    /// Largest entry of the evolution path `p_c`, times σ.
    pub fn path_extent(&self) -> f64 {
        self.sigma * self.pc.iter().fold(0.0f64, |a, x| a.max(x.abs()))
    }

    // "No effect" means exactly equal in floating point.
    #[allow(clippy::float_cmp)]
    /// Whether adding a tenth of a standard deviation along principal axis
    /// `generation mod n` leaves the mean unchanged in floating point.
    pub fn no_effect_axis(&self) -> bool {
        let n = self.n;
        let i = (self.generation % n as u64) as usize;
        match &self.model {
            Model::Diagonal { d, .. } => {
                let m = self.mean[i];
                m + 0.1 * self.sigma * d[i] == m
            }
            Model::Full { b, d, .. } => (0..n).all(|j| {
                let m = self.mean[j];
                m + 0.1 * self.sigma * d[i] * b[j * n + i] == m
            }),
        }
    }

    /// Whether adding a fifth of a standard deviation to some coordinate leaves it unchanged.
    #[allow(clippy::float_cmp)]
    pub fn no_effect_coordinate(&self) -> bool {
        self.coordinate_sd()
            .iter()
            .zip(&self.mean)
            .any(|(s, &m)| m + 0.2 * s == m)
    }

    /// One generation's update from the `λ` genotypes of the generation, best first.
    pub fn update(&mut self, ranked: &[&[f64]]) {
        let n = self.n;
        let old = self.mean.clone();
        let mut mean = vec![0.0; n];
        for (w, x) in self.weights.iter().zip(ranked).take(self.mu) {
            for (m, xi) in mean.iter_mut().zip(x.iter()) {
                *m += w * xi;
            }
        }
        let sigma = self.sigma;
        let yw: Vec<f64> = mean.iter().zip(&old).map(|(m, o)| (m - o) / sigma).collect();
        let whitened = self.whiten(&yw);
        let cs = self.cs;
        let k = (cs * (2.0 - cs) * self.mueff).sqrt();
        for (p, w) in self.ps.iter_mut().zip(&whitened) {
            *p = (1.0 - cs) * *p + k * w;
        }
        let ps_norm = self.ps.iter().map(|x| x * x).sum::<f64>().sqrt();
        let g = (self.generation + 1) as f64;
        let hsig =
            ps_norm / (1.0 - (1.0 - cs).powf(2.0 * g)).sqrt() / self.chi_n < 1.4 + 2.0 / (n as f64 + 1.0);
        let cc = self.cc;
        let kc = if hsig {
            (cc * (2.0 - cc) * self.mueff).sqrt()
        } else {
            0.0
        };
        for (p, y) in self.pc.iter_mut().zip(&yw) {
            *p = (1.0 - cc) * *p + kc * y;
        }
        let (c1, cmu) = (self.c1, self.cmu);
        let used = ranked.len().min(self.weights.len());
        let weight_sum: f64 = self.weights[..used].iter().sum();
        let decay = 1.0 - c1 - cmu * weight_sum + if hsig { 0.0 } else { c1 * cc * (2.0 - cc) };
        let ys: Vec<Vec<f64>> = ranked[..used]
            .iter()
            .map(|x| x.iter().zip(&old).map(|(xi, o)| (xi - o) / sigma).collect())
            .collect();
        // Negative weights act on steps rescaled to the length √n in the C-metric.
        let w: Vec<f64> = self.weights[..used]
            .iter()
            .zip(&ys)
            .map(|(&w, y)| {
                if w >= 0.0 {
                    w
                } else {
                    let norm2 = self.whitened_norm2(y);
                    if norm2 > 0.0 { w * n as f64 / norm2 } else { 0.0 }
                }
            })
            .collect();
        match &mut self.model {
            Model::Diagonal { c, d } => {
                for j in 0..n {
                    let rank_mu: f64 = w.iter().zip(&ys).map(|(w, y)| w * y[j] * y[j]).sum();
                    c[j] = (decay * c[j] + c1 * self.pc[j] * self.pc[j] + cmu * rank_mu).max(1e-300);
                    d[j] = c[j].sqrt();
                }
            }
            Model::Full { c, .. } => {
                // Upper triangle row by row (contiguous, vectorisable), then mirrored.
                let pc = &self.pc;
                for i in 0..n {
                    let row = &mut c[i * n + i..(i + 1) * n];
                    let a = c1 * pc[i];
                    for (cij, pj) in row.iter_mut().zip(&pc[i..]) {
                        *cij = decay * *cij + a * pj;
                    }
                    for (wk, y) in w.iter().zip(&ys) {
                        let a = cmu * wk * y[i];
                        for (cij, yj) in row.iter_mut().zip(&y[i..]) {
                            *cij += a * yj;
                        }
                    }
                }
                for i in 0..n {
                    for j in i + 1..n {
                        c[j * n + i] = c[i * n + j];
                    }
                }
            }
        }
        let change = (cs / self.ds) * (ps_norm / self.chi_n - 1.0);
        self.sigma *= change.min(1.0).exp();
        self.mean = mean;
        self.generation += 1;
        if let Model::Full {
            eigen_generation,
            eigen_gap,
            ..
        } = &self.model
            && self.generation - *eigen_generation >= *eigen_gap
        {
            self.decompose();
        }
    }

    /// `C^(-1/2)·y` (with the last eigendecomposition).
    fn whiten(&self, y: &[f64]) -> Vec<f64> {
        let n = self.n;
        match &self.model {
            Model::Diagonal { d, .. } => y.iter().zip(d).map(|(y, di)| y / di).collect(),
            Model::Full { b, d, .. } => {
                let t = self.rotate_back(y, b, d);
                (0..n).map(|j| dot(&b[j * n..(j + 1) * n], &t)).collect()
            }
        }
    }

    /// `D^(-1)·Bᵀ·y`.
    fn rotate_back(&self, y: &[f64], b: &[f64], d: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut t = vec![0.0; n];
        for j in 0..n {
            let row = &b[j * n..(j + 1) * n];
            for (ti, bji) in t.iter_mut().zip(row) {
                *ti += bji * y[j];
            }
        }
        for (ti, di) in t.iter_mut().zip(d) {
            *ti /= di;
        }
        t
    }

    /// `‖C^(-1/2)·y‖²`.
    fn whitened_norm2(&self, y: &[f64]) -> f64 {
        match &self.model {
            Model::Diagonal { d, .. } => y.iter().zip(d).map(|(y, di)| (y / di).powi(2)).sum(),
            Model::Full { b, d, .. } => self.rotate_back(y, b, d).iter().map(|t| t * t).sum(),
        }
    }

    /// Multiplies σ (after a generation of equal values).
    pub fn widen(&mut self) {
        self.sigma *= (0.2 + self.cs / self.ds).exp();
    }

    /// Refreshes `B` and `D` from `C`.
    fn decompose(&mut self) {
        let n = self.n;
        let generation = self.generation;
        if let Model::Full {
            c,
            b,
            d,
            eigen_generation,
            ..
        } = &mut self.model
        {
            *eigen_generation = generation;
            let matrix = DMatrix::from_row_slice(n, n, c);
            let eigen = SymmetricEigen::new(matrix);
            let top = eigen.eigenvalues.iter().fold(0.0f64, |a, &x| a.max(x));
            let floor = (top * 1e-300).max(1e-300);
            for i in 0..n {
                d[i] = eigen.eigenvalues[i].max(floor).sqrt();
                for j in 0..n {
                    b[j * n + i] = eigen.eigenvectors[(j, i)];
                }
            }
        }
    }
}
