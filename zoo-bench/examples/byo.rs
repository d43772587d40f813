//! Bring your own sampler: a local search written here against SRACOS and CMA-ES on BBOB f1 and f15
//! (10-D), 5 seeds, with zoo-bench's records, report, plots and ECDFs in `target/byo`:
//! `cargo run --release -p zoo-bench --example byo`.
use zoo_bench::{registry::Registry, suite::Suite, suite::Task};
use zoo_core::{Dimension, Evaluated, Sampler, Space, ZooRng};

/// The user's sampler: Gaussian steps (σ = 0.1) around the best point so far, snapped into the space.
struct Local(Space, Option<Evaluated<Vec<f64>>>);

impl Sampler for Local {
    type Solution = Vec<f64>;
    fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        let Some(best) = &self.1 else {
            return Some(self.0.sample(rng));
        };
        let step = |(v, d): (&f64, &Dimension)| d.snap(v + 0.1 * rng.normal());
        Some(best.x.iter().zip(self.0.dims()).map(step).collect())
    }
    fn tell(&mut self, x: Vec<f64>, value: f64) {
        if self.1.as_ref().is_none_or(|best| value < best.value) {
            self.1 = Some(Evaluated::new(x, value));
        }
    }
    fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
        self.1.as_ref()
    }
}

/// The benchmark: the sampler registered beside the built-in ones, 2 problems × 3 algorithms × 5 seeds.
pub fn main() -> anyhow::Result<()> {
    let mut registry = Registry::new();
    registry.sampler("local", |space: &Space, _| Local(space.clone(), None))?;
    let tasks = ["bbob-f1", "bbob-f15"].map(|p| Task::new(p, 10, 2_000, &["local", "sracos", "zoo-cmaes"]));
    let suite = Suite::new("byo", tasks.to_vec(), 1..=5);
    registry.run_suite(&suite, None, "target/byo".as_ref(), 2, false)
}
