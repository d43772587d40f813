//! A custom stopping criterion: stop once the best value has not changed for 100
//! evaluations (ZOOpt's example criterion), on Sphere-100 with budget 10,000.
//!
//! `cargo run --release -p zoo-racos --example stopping_criterion`

use zoo_core::testing::functions::sphere;
use zoo_core::{Minimize, Space};
use zoo_racos::{SRacos, SRacosConfig};

fn run() -> anyhow::Result<()> {
    let space = Space::cube(100, -1.0, 1.0)?;
    let outcome = Minimize::new(sphere, SRacos::new(space, SRacosConfig::for_budget(10_000))?)
        .budget(10_000)
        .seed(2)
        .stop_when(|progress| progress.since_improvement >= 100)
        .run()?;
    println!(
        "stopped by {:?} after {} evaluations with {:.4}",
        outcome.stop, outcome.evaluations, outcome.best.value
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    run()
}
