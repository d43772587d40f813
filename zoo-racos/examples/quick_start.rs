//! ZOOpt's quick start: Ackley (bias 0.2) in 100 dimensions on [-1, 1], budget 10,000.
//!
//! `cargo run --release -p zoo-racos --example quick_start`

use std::time::Instant;

use zoo_core::testing::functions::ackley;
use zoo_core::{Minimize, Space};
use zoo_racos::{SRacos, SRacosConfig};

fn run() -> anyhow::Result<()> {
    let budget = 10_000;
    let space = Space::cube(100, -1.0, 1.0)?;
    let started = Instant::now();
    let outcome = Minimize::new(ackley, SRacos::new(space, SRacosConfig::for_budget(budget))?)
        .budget(budget)
        .seed(1)
        .on_progress(2_000, |p| {
            eprintln!("  {:>6} evaluations, best {:.4}", p.evaluations, p.best_value)
        })
        .run()?;
    println!("best value:  {:.5}", outcome.best.value);
    println!("evaluations: {} ({:?})", outcome.evaluations, outcome.stop);
    println!("time:        {:.3} s", started.elapsed().as_secs_f64());
    println!("first coordinates: {:.3?}", &outcome.best.x[..5]);
    Ok(())
}

fn main() -> anyhow::Result<()> {
    run()
}
