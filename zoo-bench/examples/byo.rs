//! Bring your own sampler and problem: a (1+1)-ES with the 1/5th success rule against SRACOS and CMA-ES on BBOB
//! f1 and f15 (10-D) and a problem of one's own, 5 seeds, with zoo-bench's records, report, plots
//! and ECDFs: `cargo run --release -p zoo-bench --example byo -- [OUT [BUDGET]]`.
use zoo_bench::{registry::Registry, suite::Suite, suite::Task};
use zoo_core::{Evaluated, Sampler, Space, ZooRng};

/// The user's sampler: a (1+1)-ES, step size ×1.5 on success, ×1.5^(-1/4) on failure.
struct OnePlusOne {
    space: Space,
    sigma: f64,
    parent: Option<Evaluated<Vec<f64>>>,
}

impl Sampler for OnePlusOne {
    type Solution = Vec<f64>;
    fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        let mut x = match &self.parent {
            Some(p) => p.x.iter().map(|v| v + self.sigma * rng.normal()).collect(),
            None => self.space.sample(rng),
        };
        self.space.snap(&mut x);
        Some(x)
    }
    fn tell(&mut self, x: Vec<f64>, value: f64) {
        let better = self.parent.as_ref().is_none_or(|p| value < p.value);
        self.sigma *= if better { 1.5 } else { 1.5f64.powf(-0.25) };
        if better {
            self.parent = Some(Evaluated::new(x, value));
        }
    }
    fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
        self.parent.as_ref()
    }
}

/// The benchmark itself: the sampler and the problem registered, 3 problems × 3 algorithms × 5 seeds.
pub fn run(out: &std::path::Path, budget: u64) -> anyhow::Result<()> {
    let mut registry = Registry::new();
    registry.sampler("one-plus-one", |space: &Space, _budget| {
        let (space, sigma) = (space.clone(), 1.0);
        OnePlusOne {
            space,
            sigma,
            parent: None,
        }
    })?;
    let bowl = |x: &[f64]| x.iter().map(|v| (v - 1.0).powi(2)).sum();
    registry.problem("bowl", Space::cube(10, -5.0, 5.0)?, bowl, Some(0.0))?;
    let algos = ["one-plus-one", "sracos", "zoo-cmaes"];
    let tasks = ["bbob-f1", "bbob-f15", "bowl"].map(|p| Task::new(p, 10, budget, &algos));
    registry.run_suite(&Suite::new("byo", tasks.to_vec(), 1..=5), None, out, 2, false)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "target/byo".into());
    run(out.as_ref(), args.next().map_or(Ok(2_000), |b| b.parse())?)
}
