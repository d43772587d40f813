//! Hyperparameter-like losses over mixed spaces: continuous coordinates in `[0, 1]` (rates
//! on a log scale, as a tuner sees them), integers (layers, widths) and labels (an
//! optimizer, an activation), coupled to each other. Each seed draws its own instance (as
//! BBOB's seeds draw instances), so a median over seeds is a median over instances too;
//! the optimal value is 0 on every instance.

use std::sync::Arc;

use anyhow::Result;
use zoo_core::testing::functions::random_rotation;
use zoo_core::{Dimension, Space, ZooRng};

use super::{Function, Problem, ProblemInfo, Shape};

/// Seed of the instances, mixed with the run's seed.
const INSTANCE_SEED: u64 = 0x7475_6e69_6e67;

fn instance_rng(problem: u64, seed: u64) -> ZooRng {
    ZooRng::seed_from(INSTANCE_SEED ^ problem ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

fn smallest(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::INFINITY, f64::min)
}

/// The index of the smallest of `costs` (not empty).
#[cfg(test)]
fn cheapest(costs: &[f64]) -> usize {
    (0..costs.len())
        .min_by(|&a, &b| costs[a].total_cmp(&costs[b]))
        .unwrap_or(0)
}

/// `tuning`: 4 continuous coordinates in a rotated quadratic with scales from 1 to about
/// 100, 2 integers in `1..=8` with a quadratic cost around their best values, 2 labels of
/// 4 values with a cost each from a table; the first integer moves the first continuous
/// coordinate's optimum and the first label the second's.
struct Tuning {
    rotation: Vec<f64>,
    scales: Vec<f64>,
    optimum: Vec<f64>,
    best_integers: [f64; 2],
    label_costs: [Vec<f64>; 2],
    label_shift: Vec<f64>,
    least: f64,
}

impl Tuning {
    fn new(seed: u64) -> Tuning {
        let mut rng = instance_rng(1, seed);
        let rotation = random_rotation(4, &mut rng);
        let scales = (0..4)
            .map(|i| 10f64.powf(i as f64 / 3.0 * rng.uniform(1.0, 2.0)))
            .collect();
        let optimum = (0..4).map(|_| rng.uniform(0.2, 0.8)).collect();
        let best_integers = [rng.below(8) as f64 + 1.0, rng.below(8) as f64 + 1.0];
        let mut costs = || (0..4).map(|_| rng.uniform(0.0, 0.5)).collect::<Vec<f64>>();
        let label_costs = [costs(), costs()];
        let label_shift = (0..4).map(|_| rng.uniform(-0.15, 0.15)).collect();
        let least = smallest(&label_costs[0]) + smallest(&label_costs[1]);
        Tuning {
            rotation,
            scales,
            optimum,
            best_integers,
            label_costs,
            label_shift,
            least,
        }
    }

    fn value(&self, x: &[f64]) -> f64 {
        let (k0, k1) = (x[4] - self.best_integers[0], x[5] - self.best_integers[1]);
        let (l0, l1) = (x[6] as usize, x[7] as usize);
        let mut d: Vec<f64> = (0..4).map(|i| x[i] - self.optimum[i]).collect();
        d[0] -= 0.04 * k0;
        d[1] -= self.label_shift[l0];
        let quadratic: f64 = (0..4)
            .map(|i| {
                self.scales[i]
                    * (0..4)
                        .map(|j| self.rotation[i * 4 + j] * d[j])
                        .sum::<f64>()
                        .powi(2)
            })
            .sum();
        quadratic + (k0 * k0 + 0.5 * k1 * k1) / 16.0 + self.label_costs[0][l0] + self.label_costs[1][l1]
            - self.least
    }

    #[cfg(test)]
    fn optimal_point(&self) -> Vec<f64> {
        let (l0, l1) = (cheapest(&self.label_costs[0]), cheapest(&self.label_costs[1]));
        let mut x = self.optimum.clone();
        x[1] += self.label_shift[l0];
        x.extend([self.best_integers[0], self.best_integers[1], l0 as f64, l1 as f64]);
        x
    }
}

fn tuning_space() -> Result<Space> {
    let mut dims = vec![Dimension::continuous(0.0, 1.0)?; 4];
    dims.extend([Dimension::integer(1, 8)?, Dimension::integer(1, 8)?]);
    dims.extend([Dimension::unordered(0, 3)?, Dimension::unordered(0, 3)?]);
    Ok(Space::new(dims)?)
}

/// `tuning-cond`: a label of 3 values picks which pair of the 6 continuous coordinates
/// matters (an optimizer and its own two parameters; the other four cost little), each
/// choice with its own base cost; the pair is a valley with a ripple along it, and an
/// integer in `0..=31` moves the valley; a second label of 5 values adds a cost from a
/// table.
struct Conditional {
    optimum: Vec<f64>,
    base: Vec<f64>,
    best_integer: f64,
    label_costs: Vec<f64>,
    least: f64,
}

impl Conditional {
    fn new(seed: u64) -> Conditional {
        let mut rng = instance_rng(2, seed);
        let optimum = (0..6).map(|_| rng.uniform(0.15, 0.85)).collect();
        let base: Vec<f64> = (0..3).map(|_| rng.uniform(0.0, 0.6)).collect();
        let best_integer = rng.below(16) as f64;
        let label_costs: Vec<f64> = (0..5).map(|_| rng.uniform(0.0, 0.3)).collect();
        let least = smallest(&base) + smallest(&label_costs);
        Conditional {
            optimum,
            base,
            best_integer,
            label_costs,
            least,
        }
    }

    fn value(&self, x: &[f64]) -> f64 {
        let choice = x[6] as usize;
        let (a, b) = (2 * choice, 2 * choice + 1);
        let k = x[7] - self.best_integer;
        let u = x[a] - self.optimum[a] - 0.01 * k;
        let v = x[b] - self.optimum[b] + 0.5 * u;
        let ripple = 0.05 * (1.0 - (12.0 * std::f64::consts::PI * u).cos());
        let idle: f64 = (0..6)
            .filter(|&i| i != a && i != b)
            .map(|i| 0.02 * (x[i] - 0.5).powi(2))
            .sum();
        self.base[choice]
            + 4.0 * u * u
            + 20.0 * v * v
            + ripple
            + idle
            + (k / 16.0).powi(2)
            + self.label_costs[x[8] as usize]
            - self.least
    }

    #[cfg(test)]
    fn optimal_point(&self) -> Vec<f64> {
        let choice = cheapest(&self.base);
        let mut x = vec![0.5; 6];
        x[2 * choice] = self.optimum[2 * choice];
        x[2 * choice + 1] = self.optimum[2 * choice + 1];
        x.extend([
            choice as f64,
            self.best_integer,
            cheapest(&self.label_costs) as f64,
        ]);
        x
    }
}

fn conditional_space() -> Result<Space> {
    let mut dims = vec![Dimension::continuous(0.0, 1.0)?; 6];
    dims.extend([
        Dimension::unordered(0, 2)?,
        Dimension::integer(0, 31)?,
        Dimension::unordered(0, 4)?,
    ]);
    Ok(Space::new(dims)?)
}

/// A problem whose instance is drawn from the run's seed.
fn seeded(name: &'static str, space: Space, instance: fn(u64) -> Function) -> Problem {
    Problem {
        name,
        dim: space.len(),
        space,
        shape: Shape::Discrete,
        // Outside a run (no seed), the problem's function is seed 1's instance.
        function: instance(1),
        subset_function: None,
        noise: None,
        delay: None,
        per_seed: Some(Arc::new(instance)),
        optimum: Some(0.0),
    }
}

fn tuning(name: &'static str, _dim: usize) -> Result<Problem> {
    Ok(seeded(name, tuning_space()?, |seed| {
        let instance = Tuning::new(seed);
        Arc::new(move |x: &[f64]| instance.value(x))
    }))
}

fn conditional(name: &'static str, _dim: usize) -> Result<Problem> {
    Ok(seeded(name, conditional_space()?, |seed| {
        let instance = Conditional::new(seed);
        Arc::new(move |x: &[f64]| instance.value(x))
    }))
}

/// The registry entries.
pub(super) const PROBLEMS: &[ProblemInfo] = &[
    ProblemInfo {
        name: "tuning",
        about: "hyperparameter-like: 4 continuous (rotated quadratic), 2 integers, 2 labels of 4 values, coupled; an instance per seed",
        default_dim: 8,
        fixed_dim: Some(8),
        max_dim: 8,
        build: tuning,
    },
    ProblemInfo {
        name: "tuning-cond",
        about: "hyperparameter-like: a 3-valued label picks which 2 of 6 continuous coordinates matter, an integer, a 5-valued label; an instance per seed",
        default_dim: 9,
        fixed_dim: Some(9),
        max_dim: 9,
        build: conditional,
    },
];

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::super::build;
    use super::{Conditional, Tuning};

    #[test]
    fn every_instance_is_zero_at_its_optimum_only_and_seeds_draw_different_instances() {
        for seed in 1..=20 {
            let tuning = Tuning::new(seed);
            let best = tuning.optimal_point();
            assert!(tuning.value(&best).abs() < 1e-15, "seed {seed}");
            // Any other value of any one coordinate costs more.
            for i in 0..8 {
                let mut x = best.clone();
                x[i] = match i {
                    0..4 if x[i] > 0.5 => x[i] - 0.1,
                    0..4 => x[i] + 0.1,
                    4 | 5 => 1.0 + x[i] % 8.0,
                    _ => (x[i] + 1.0) % 4.0,
                };
                assert!(tuning.value(&x) > 0.0, "seed {seed}, coordinate {i}");
            }
            let conditional = Conditional::new(seed);
            let best = conditional.optimal_point();
            assert!(conditional.value(&best).abs() < 1e-15, "seed {seed}");
            let mut other = best.clone();
            other[6] = (other[6] + 1.0) % 3.0;
            assert!(
                conditional.value(&other) > 0.0,
                "seed {seed}: another choice costs more"
            );
        }
        for (name, dim) in [("tuning", 8), ("tuning-cond", 9)] {
            let p = build(name, None).unwrap();
            assert_eq!((p.dim, p.optimum()), (dim, Some(0.0)));
            let x: Vec<f64> = p.space.dims().iter().map(|d| d.bounds().0).collect();
            assert!(p.space.contains(&x));
            let (one, two) = (p.instance(1).evaluate(&x), p.instance(2).evaluate(&x));
            assert!(one > 0.0 && two > 0.0 && one != two, "{name}: {one} {two}");
            assert_eq!(p.true_value(&x), one, "{name}: outside a run, seed 1's instance");
            assert!(build(name, Some(dim + 1)).is_err());
        }
    }
}
