//! Bring your own sampler and problem: a (1+1)-ES against SRACOS and CMA-ES on BBOB f1 and f15 (10-D)
//! and a bowl of one's own, 5 seeds, with zoo-bench's records, report, plots and ECDFs in `target/byo`:
//! `cargo run --release -p zoo-bench --example byo`.
use zoo_bench::{registry::Registry, suite::Suite, suite::Task};
use zoo_core::{Evaluated, Sampler, Space, ZooRng};

/// The user's sampler, a (1+1)-ES: the space, the step size, the parent; the step grows ×1.5 on
/// success and shrinks ×1.5^(-1/4) on failure (the 1/5th success rule).
struct OnePlusOne(Space, f64, Option<Evaluated<Vec<f64>>>);

impl Sampler for OnePlusOne {
    type Solution = Vec<f64>;
    fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        let Some(parent) = &self.2 else {
            return Some(self.0.sample(rng));
        };
        let mut x: Vec<f64> = parent.x.iter().map(|v| v + self.1 * rng.normal()).collect();
        self.0.snap(&mut x);
        Some(x)
    }
    fn tell(&mut self, x: Vec<f64>, value: f64) {
        let better = self.2.as_ref().is_none_or(|p| value < p.value);
        self.1 *= if better { 1.5 } else { 1.5f64.powf(-0.25) };
        if better {
            self.2 = Some(Evaluated::new(x, value));
        }
    }
    fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
        self.2.as_ref()
    }
}

/// The benchmark: the sampler and the problem registered, 3 problems × 3 algorithms × 5 seeds.
pub fn run(out: &std::path::Path, budget: u64) -> anyhow::Result<()> {
    let mut registry = Registry::new();
    registry.sampler("one-plus-one", |space: &Space, _| {
        OnePlusOne(space.clone(), 1.0, None)
    })?;
    let bowl = |x: &[f64]| x.iter().map(|v| (v - 1.0).powi(2)).sum();
    registry.problem("bowl", Space::cube(10, -5.0, 5.0)?, bowl, Some(0.0))?;
    let algos = ["one-plus-one", "sracos", "zoo-cmaes"];
    let tasks = ["bbob-f1", "bbob-f15", "bowl"].map(|p| Task::new(p, 10, budget, &algos));
    registry.run_suite(&Suite::new("byo", tasks.to_vec(), 1..=5), None, out, 2, false)
}

fn main() -> anyhow::Result<()> {
    run("target/byo".as_ref(), 2_000)
}
