//! The tree-structured Parzen estimator (TPE; Bergstra, Bardenet, Bengio and Kégl,
//! "Algorithms for Hyper-Parameter Optimization", NeurIPS 2011), univariate.
//!
//! After [`TpeConfig::startup`] uniform points, each ask splits the points told so far
//! into the best fraction `γ` ("below") and the rest ("above"), fits a Parzen estimator to
//! each group, draws [`TpeConfig::candidates`] points from the "below" estimator `l` and
//! proposes the one that maximises `ln l(x) − ln g(x)`, the ratio that ranks points by
//! expected improvement under the model. An estimator is a mixture of kernels, one on each
//! point of its group and a prior one (centred, spanning the range; uniform over labels);
//! a kernel is a truncated normal on an ordered coordinate and a smoothed indicator on a
//! label. By default each coordinate has its own mixture (independent densities, as in
//! the paper): no coupling is learnt, which is why TPE is strong at small budgets on
//! spaces of labels and conditional structure and weak on coupled continuous problems,
//! where CMA-ES learns the coupling. With [`TpeConfig::multivariate`] a draw takes all its
//! coordinates from one kernel and the score uses the joint density (Falkner, Klein and
//! Hutter, "BOHB", ICML 2018).
//!
//! A kernel's bandwidth on an ordered coordinate is the larger gap to its point's
//! neighbours among the group's sorted points and the prior's centre (the smallest and
//! largest: the gap to their one neighbour), clipped to `[range / min(100, n + 2), range]`,
//! as in the paper's adaptive Parzen estimator; integers are drawn on the line widened by
//! half a step at each end and rounded. Points older than the last 25 of a group weigh less, down to `1/n`.
//! The cost of an ask grows with the points told (each candidate is scored against every
//! point): TPE is meant for budgets of up to a few thousand evaluations.

use serde::{Deserialize, Serialize};
use zoo_core::{
    ConfigError, Dimension, Evaluated, Kind, Sampler, Space, StateError, ZooRng, check_kept, ranked,
};

/// TPE's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TpeConfig {
    /// Uniform points before the model is used.
    pub startup: usize,
    /// Points drawn from the "below" densities per ask; the best-scoring is proposed.
    pub candidates: usize,
    /// The fraction of the points told, rounded up, that forms the "below" group…
    pub gamma: f64,
    /// …but at most this many.
    pub max_below: usize,
    /// The prior component's weight, against 1 for each point.
    pub prior_weight: f64,
    /// Whether a draw takes every coordinate from one point's kernel (the joint density,
    /// which keeps labels with the values that suit them), or each coordinate from a
    /// kernel of its own (independent densities, the original TPE).
    pub multivariate: bool,
}

impl Default for TpeConfig {
    /// 10 uniform points, 24 candidates, `γ` 10 % up to 25 points, prior weight 1 (the
    /// settings of optuna's TPE sampler), independent densities (optuna 5.0's default is the
    /// joint one; on a conditional loss the joint density kept a wrong label in more than
    /// half of 30 runs, measured in docs/which-algorithm.md).
    fn default() -> Self {
        TpeConfig {
            startup: 10,
            candidates: 24,
            gamma: 0.1,
            max_below: 25,
            prior_weight: 1.0,
            multivariate: false,
        }
    }
}

impl TpeConfig {
    /// Checks the ranges.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let out_of_range = |name, value: String, expected| {
            Err(ConfigError::OutOfRange {
                name,
                value,
                expected,
            })
        };
        if self.candidates == 0 || self.candidates > MAX_CANDIDATES {
            return out_of_range("candidates", self.candidates.to_string(), "in [1, 100000]");
        }
        if !(self.gamma > 0.0 && self.gamma <= 1.0) {
            return out_of_range("gamma", self.gamma.to_string(), "in (0, 1]");
        }
        if self.max_below == 0 {
            return out_of_range("max_below", "0".into(), "at least 1");
        }
        if !(self.prior_weight.is_finite() && self.prior_weight > 0.0) {
            return out_of_range(
                "prior_weight",
                self.prior_weight.to_string(),
                "positive and finite",
            );
        }
        Ok(())
    }
}

/// The most candidates an ask may draw: bounds the work of one ask.
const MAX_CANDIDATES: usize = 100_000;

/// Unordered integer ranges of more values than this are modelled as ordered: a table per
/// kernel would cost memory in proportion to the range (up to 2^54 values).
const MAX_TABULATED_LABELS: i64 = 1024;

/// Tries of the rejection sampler of a truncated normal before it clamps (a component
/// centred in the range with a bandwidth of at most the range is accepted with
/// probability above 1/3).
const MAX_REJECTIONS: usize = 64;

/// The tree-structured Parzen estimator over a [`Space`] (see the module docs).
///
/// ```
/// use zoo_core::{Dimension, Minimize, Space};
/// use zoo_tpe::{Tpe, TpeConfig};
///
/// // A learning rate on a log scale, a layer count, an optimizer among three.
/// let space = Space::new([
///     Dimension::continuous(-5.0, 0.0)?,
///     Dimension::integer(1, 8)?,
///     Dimension::categorical(["sgd", "adam", "rmsprop"])?,
/// ])?;
/// let loss = |x: &[f64]| (x[0] + 2.5).powi(2) + 0.1 * (x[1] - 3.0).abs() + [0.5, 0.0, 0.3][x[2] as usize];
/// let outcome = Minimize::new(loss, Tpe::new(space, TpeConfig::default())?)
///     .budget(100)
///     .seed(1)
///     .run()?;
/// assert!(outcome.best.value < 0.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tpe {
    space: Space,
    config: TpeConfig,
    /// Every point told, with its value as ranked (NaN as +∞).
    told: Vec<Evaluated<Vec<f64>>>,
    best: Option<Evaluated<Vec<f64>>>,
}

impl Tpe {
    /// TPE over `space`; fails on out-of-range settings or an invalid space.
    pub fn new(space: Space, config: TpeConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        space.check()?;
        Ok(Tpe {
            space,
            config,
            told: Vec::new(),
            best: None,
        })
    }

    /// The space searched.
    pub fn space(&self) -> &Space {
        &self.space
    }

    /// Its settings.
    pub fn config(&self) -> &TpeConfig {
        &self.config
    }

    /// The model's proposal: the best-scoring of the candidates drawn from the "below"
    /// estimator.
    fn propose(&self, rng: &mut ZooRng) -> Vec<f64> {
        let mut order: Vec<usize> = (0..self.told.len()).collect();
        order.sort_by(|&a, &b| self.told[a].value.total_cmp(&self.told[b].value));
        let n_below = ((self.config.gamma * self.told.len() as f64).ceil() as usize)
            .clamp(1, self.config.max_below)
            .min(self.told.len());
        let (below, above) = order.split_at(n_below);
        // Each group in the order its points were told: older points weigh less.
        let group = |ids: &[usize]| -> Vec<usize> {
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            ids
        };
        let fit = |ids: &[usize]| {
            Parzen::fit(
                &self.space,
                &self.told,
                &group(ids),
                self.config.prior_weight,
                self.config.multivariate,
            )
        };
        let (below, above) = (fit(below), fit(above));
        let mut best: Option<(f64, Vec<f64>)> = None;
        for _ in 0..self.config.candidates {
            let mut x = below.sample(rng);
            self.space.snap(&mut x);
            let score = below.log_density(&x) - above.log_density(&x);
            // A NaN score (both densities zero) ranks lowest.
            let score = if score.is_nan() { f64::NEG_INFINITY } else { score };
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, x));
            }
        }
        match best {
            Some((_, x)) => x,
            None => self.space.sample(rng),
        }
    }
}

/// Weights of `n` points in the order they were told: 1 for the last 25, a ramp from
/// `1/n` up to 1 for the older ones.
fn recency_weights(n: usize) -> Vec<f64> {
    const FLAT: usize = 25;
    if n <= FLAT {
        return vec![1.0; n];
    }
    let ramp = n - FLAT;
    let mut w: Vec<f64> = (0..ramp)
        .map(|i| {
            let start = 1.0 / n as f64;
            if ramp == 1 {
                start
            } else {
                start + (1.0 - start) * i as f64 / (ramp - 1) as f64
            }
        })
        .collect();
    w.extend(std::iter::repeat_n(1.0, FLAT));
    w
}

/// A Parzen estimator over the whole space: a mixture of product kernels, one centred on
/// each point of its group and a prior one, so that a draw keeps the coordinates of one
/// point together (the labels with the values that suit them).
#[derive(Debug, Clone)]
struct Parzen {
    /// Kernel weights, normalised; the prior's last.
    weights: Vec<f64>,
    /// Their logarithms.
    log_weights: Vec<f64>,
    /// Per coordinate, the kernels' components.
    coordinates: Vec<Components>,
    /// One kernel for all coordinates of a draw, or one per coordinate.
    joint: bool,
}

/// Per value, the larger of the gaps to its neighbours among the sorted `values`; the
/// smallest and the largest value take the gap to their one neighbour (a lone value: the
/// larger distance to a bound).
fn neighbour_gaps(lo: f64, hi: f64, values: &[f64]) -> Vec<f64> {
    let n = values.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let sorted: Vec<f64> = order.iter().map(|&i| values[i]).collect();
    let mut gaps = vec![hi - lo; n];
    for (rank, &i) in order.iter().enumerate() {
        let left = if rank == 0 {
            sorted[0] - lo
        } else {
            sorted[rank] - sorted[rank - 1]
        };
        let right = if rank + 1 == n {
            hi - sorted[rank]
        } else {
            sorted[rank + 1] - sorted[rank]
        };
        gaps[i] = match (rank, n) {
            (_, 1) => left.max(right),
            (0, _) => right,
            (r, _) if r + 1 == n => left,
            _ => left.max(right),
        };
    }
    gaps
}

/// One coordinate's component of every kernel.
#[derive(Debug, Clone)]
enum Components {
    /// A one-point range.
    Point(f64),
    /// An ordered coordinate: truncated normals over `[lo, hi]` (integers: widened by half
    /// a step each side, drawn on the line and rounded).
    Normals {
        lo: f64,
        hi: f64,
        centres: Vec<f64>,
        widths: Vec<f64>,
        /// `ln(width · √(2π) · mass inside [lo, hi])` of each kernel.
        log_norms: Vec<f64>,
    },
    /// A label of the values `lo, lo + 1, …`: each kernel's probabilities, and their
    /// logarithms.
    Labels {
        lo: f64,
        rows: Vec<Vec<f64>>,
        log_rows: Vec<Vec<f64>>,
    },
}

impl Parzen {
    fn fit(
        space: &Space,
        told: &[Evaluated<Vec<f64>>],
        ids: &[usize],
        prior_weight: f64,
        joint: bool,
    ) -> Parzen {
        let mut weights = recency_weights(ids.len());
        weights.push(prior_weight);
        let total: f64 = weights.iter().sum();
        weights.iter_mut().for_each(|w| *w /= total);
        let coordinates = space
            .dims()
            .iter()
            .enumerate()
            .map(|(d, dim)| {
                let values: Vec<f64> = ids.iter().map(|&i| told[i].x[d]).collect();
                Components::fit(dim, &values, prior_weight)
            })
            .collect();
        Parzen {
            log_weights: weights.iter().map(|w| w.ln()).collect(),
            weights,
            coordinates,
            joint,
        }
    }

    fn sample(&self, rng: &mut ZooRng) -> Vec<f64> {
        let k = pick(&self.weights, rng);
        self.coordinates
            .iter()
            .map(|c| {
                let k = if self.joint { k } else { pick(&self.weights, rng) };
                c.sample(k, rng)
            })
            .collect()
    }

    fn log_density(&self, x: &[f64]) -> f64 {
        let log_weights = self.log_weights.iter().copied();
        if self.joint {
            let logs: Vec<f64> = log_weights
                .enumerate()
                .map(|(k, lw)| {
                    lw + self
                        .coordinates
                        .iter()
                        .zip(x)
                        .map(|(c, &v)| c.log_density(k, v))
                        .sum::<f64>()
                })
                .collect();
            log_sum_exp(&logs)
        } else {
            let mut logs = Vec::with_capacity(self.weights.len());
            self.coordinates
                .iter()
                .zip(x)
                .map(|(c, &v)| {
                    logs.clear();
                    logs.extend(
                        log_weights
                            .clone()
                            .enumerate()
                            .map(|(k, lw)| lw + c.log_density(k, v)),
                    );
                    log_sum_exp(&logs)
                })
                .sum()
        }
    }
}

/// `ln Σ exp(l)`, without overflow.
fn log_sum_exp(logs: &[f64]) -> f64 {
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !top.is_finite() {
        return top;
    }
    top + logs.iter().map(|l| (l - top).exp()).sum::<f64>().ln()
}

impl Components {
    fn fit(dim: &Dimension, values: &[f64], prior_weight: f64) -> Components {
        match dim.kind() {
            Kind::Continuous { lo, hi, .. } => Components::normals(*lo, *hi, values),
            Kind::Integer { lo, hi, ordered } if !ordered && hi - lo < MAX_TABULATED_LABELS => {
                Components::labels(*lo as f64, (hi - lo) as usize + 1, values, prior_weight)
            }
            // Ordered integers, and labels too many to tabulate per kernel.
            Kind::Integer { lo, hi, .. } => Components::normals(*lo as f64 - 0.5, *hi as f64 + 0.5, values),
            Kind::Categorical { values: labels } => {
                Components::labels(0.0, labels.len(), values, prior_weight)
            }
            // A kind added later: modelled as ordered over its bounds.
            _ => {
                let (lo, hi) = dim.bounds();
                Components::normals(lo, hi, values)
            }
        }
    }

    /// A truncated normal on each value, its width the larger gap to its neighbours among
    /// the sorted values and the prior's centre (the first and last: the gap to their one
    /// neighbour), clipped to `[range / min(100, n + 2), range]` — the adaptive Parzen
    /// estimator of the paper, whose prior is a neighbour too: a lone good value gets a
    /// kernel as wide as its distance to the centre, not to the far bound. The prior's
    /// kernel is centred and as wide as the range.
    fn normals(lo: f64, hi: f64, values: &[f64]) -> Components {
        let range = hi - lo;
        if range.is_nan() || range <= 0.0 {
            return Components::Point(lo);
        }
        let n = values.len();
        let centre = lo + range / 2.0;
        let narrowest = range / (n as f64 + 2.0).min(100.0);
        let mut centres = values.to_vec();
        centres.push(centre);
        let mut widths = neighbour_gaps(lo, hi, &centres);
        widths.iter_mut().for_each(|w| *w = w.clamp(narrowest, range));
        widths[n] = range;
        let log_norms = centres
            .iter()
            .zip(&widths)
            .map(|(&c, &w)| {
                let mass = normal_cdf((hi - c) / w) - normal_cdf((lo - c) / w);
                (w * (2.0 * std::f64::consts::PI).sqrt() * mass.max(1e-300)).ln()
            })
            .collect();
        Components::Normals {
            lo,
            hi,
            centres,
            widths,
            log_norms,
        }
    }

    /// Each value's kernel puts 1 on its label and `prior_weight / kernels` on every label;
    /// the prior's is uniform.
    fn labels(lo: f64, count: usize, values: &[f64], prior_weight: f64) -> Components {
        let count = count.max(1);
        let smoothing = prior_weight / (values.len() + 1) as f64;
        let mut rows: Vec<Vec<f64>> = values
            .iter()
            .map(|&v| {
                let mut row = vec![smoothing; count];
                let j = (v - lo).round();
                if j >= 0.0 && (j as usize) < count {
                    row[j as usize] += 1.0;
                }
                let total: f64 = row.iter().sum();
                row.iter_mut().for_each(|p| *p /= total);
                row
            })
            .collect();
        rows.push(vec![1.0 / count as f64; count]);
        let log_rows = rows.iter().map(|r| r.iter().map(|p| p.ln()).collect()).collect();
        Components::Labels { lo, rows, log_rows }
    }

    fn sample(&self, k: usize, rng: &mut ZooRng) -> f64 {
        match self {
            Components::Point(v) => *v,
            Components::Normals {
                lo,
                hi,
                centres,
                widths,
                ..
            } => {
                let (centre, width) = (centres[k], widths[k]);
                for _ in 0..MAX_REJECTIONS {
                    let v = centre + width * rng.normal();
                    if (*lo..=*hi).contains(&v) {
                        return v;
                    }
                }
                centre.clamp(*lo, *hi)
            }
            Components::Labels { lo, rows, .. } => lo + pick(&rows[k], rng) as f64,
        }
    }

    fn log_density(&self, k: usize, v: f64) -> f64 {
        match self {
            Components::Point(_) => 0.0,
            Components::Normals {
                centres,
                widths,
                log_norms,
                ..
            } => {
                let z = (v - centres[k]) / widths[k];
                -0.5 * z * z - log_norms[k]
            }
            Components::Labels { lo, log_rows, .. } => {
                let j = (v - lo).round();
                if j >= 0.0 && (j as usize) < log_rows[k].len() {
                    log_rows[k][j as usize]
                } else {
                    f64::NEG_INFINITY
                }
            }
        }
    }
}

/// An index drawn with probability proportional to `weights` (positive, finite).
fn pick(weights: &[f64], rng: &mut ZooRng) -> usize {
    let total: f64 = weights.iter().sum();
    let mut target = rng.unit() * total;
    for (i, w) in weights.iter().enumerate() {
        if target < *w {
            return i;
        }
        target -= w;
    }
    weights.len() - 1
}

/// The standard normal CDF through `erf` (Abramowitz and Stegun 7.1.26, absolute error
/// below 1.5e-7: ample for weighing mixture components).
fn normal_cdf(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736 + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    0.5 * (1.0 + if x >= 0.0 { erf } else { -erf })
}

impl Sampler for Tpe {
    type Solution = Vec<f64>;

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        if self.told.len() < self.config.startup.max(1) {
            return Some(self.space.sample(rng));
        }
        Some(self.propose(rng))
    }

    fn tell(&mut self, x: Vec<f64>, value: f64) {
        let value = ranked(value);
        if self.best.as_ref().is_none_or(|b| value < b.value) {
            self.best = Some(Evaluated::new(x.clone(), value));
        }
        self.told.push(Evaluated::new(x, value));
    }

    fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
        self.best.as_ref()
    }

    fn check_state(&self) -> Result<(), StateError> {
        self.space.check()?;
        self.config.validate()?;
        for (i, e) in self.told.iter().enumerate() {
            self.check_point(&e.x, &format!("told point {i}"))?;
            StateError::ensure(!e.value.is_nan(), || format!("told point {i} has a NaN value"))?;
        }
        check_kept(self, &self.best, "the best solution")
    }

    fn check_point(&self, x: &Vec<f64>, what: &str) -> Result<(), StateError> {
        self.space.check_point(x, || what.to_owned())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_cdf_is_accurate_enough() {
        for (z, expected) in [
            (0.0, 0.5),
            (1.0, 0.841_344_746),
            (-1.96, 0.024_997_895),
            (3.0, 0.998_650_102),
        ] {
            assert!((normal_cdf(z) - expected).abs() < 2e-7, "{z}");
        }
    }

    /// A one-coordinate estimator: its density integrates to 1 and is higher near its
    /// points; labels sum to 1; draws stay in the range.
    #[test]
    fn estimators_are_densities_that_favour_their_points() {
        let space = Space::new([Dimension::continuous(0.0, 10.0).unwrap()]).unwrap();
        let told: Vec<Evaluated<Vec<f64>>> = [2.0, 2.5, 7.0]
            .iter()
            .map(|&v| Evaluated::new(vec![v], 0.0))
            .collect();
        let p = Parzen::fit(&space, &told, &[0, 1, 2], 1.0, true);
        let steps = 20_000;
        let h = 10.0 / steps as f64;
        let integral: f64 = (0..steps)
            .map(|i| p.log_density(&[(i as f64 + 0.5) * h]).exp() * h)
            .sum();
        assert!((integral - 1.0).abs() < 1e-3, "{integral}");
        assert!(p.log_density(&[2.2]) > p.log_density(&[5.0]));
        let mut rng = ZooRng::seed_from(3);
        assert!((0..1000).all(|_| (0.0..=10.0).contains(&p.sample(&mut rng)[0])));

        let labels = Space::new([Dimension::unordered(1, 3).unwrap()]).unwrap();
        let told: Vec<Evaluated<Vec<f64>>> = [2.0, 2.0, 3.0]
            .iter()
            .map(|&v| Evaluated::new(vec![v], 0.0))
            .collect();
        let p = Parzen::fit(&labels, &told, &[0, 1, 2], 1.0, false);
        let total: f64 = [1.0, 2.0, 3.0].iter().map(|&v| p.log_density(&[v]).exp()).sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert!(p.log_density(&[2.0]) > p.log_density(&[1.0]));
        assert_eq!(p.log_density(&[4.0]), f64::NEG_INFINITY);
    }

    /// A label range of 2^54 values is searched without tabulating it.
    #[test]
    fn huge_label_ranges_are_not_tabulated() {
        let big = 1i64 << 53;
        let space = Space::new([Dimension::unordered(-big, big).unwrap()]).unwrap();
        let config = TpeConfig {
            startup: 2,
            ..TpeConfig::default()
        };
        let mut tpe = Tpe::new(space.clone(), config).unwrap();
        let mut rng = ZooRng::seed_from(1);
        for _ in 0..20 {
            let x = tpe.ask(&mut rng).unwrap();
            assert!(space.contains(&x), "{x:?}");
            tpe.tell(x.clone(), x[0].abs());
        }
    }

    #[test]
    fn older_points_weigh_less() {
        assert_eq!(recency_weights(3), [1.0; 3]);
        let w = recency_weights(30);
        assert_eq!(w.len(), 30);
        assert!((w[0] - 1.0 / 30.0).abs() < 1e-12 && w[4] == 1.0 && w[29] == 1.0);
        assert!(w.windows(2).all(|p| p[0] <= p[1]));
    }

    #[test]
    fn settings_out_of_range_are_refused() {
        let space = Space::cube(2, 0.0, 1.0).unwrap();
        for config in [
            TpeConfig {
                candidates: 0,
                ..TpeConfig::default()
            },
            TpeConfig {
                gamma: 0.0,
                ..TpeConfig::default()
            },
            TpeConfig {
                gamma: f64::NAN,
                ..TpeConfig::default()
            },
            TpeConfig {
                max_below: 0,
                ..TpeConfig::default()
            },
            TpeConfig {
                prior_weight: f64::INFINITY,
                ..TpeConfig::default()
            },
        ] {
            assert!(Tpe::new(space.clone(), config).is_err(), "{config:?}");
        }
    }
}
