//! ZOOpt's discrete example: weighted set cover over 20 binary choices, budget 2,000,
//! with ZOOpt's hand-set training sizes (6 solutions, 1 positive).
//!
//! `cargo run --release -p zoo-racos --example set_cover`

use zoo_core::testing::functions::set_cover;
use zoo_core::{Minimize, Space};
use zoo_racos::{RacosConfig, SRacos, SRacosConfig};

fn run() -> anyhow::Result<()> {
    let space = Space::binary(20)?;
    let config = SRacosConfig {
        learning: RacosConfig {
            train_size: 6,
            positive_size: 1,
            ..RacosConfig::for_budget(2_000)
        },
        ..SRacosConfig::for_budget(2_000)
    };
    let outcome = Minimize::new(set_cover, SRacos::new(space, config)?)
        .budget(2_000)
        .seed(7)
        .run()?;
    let chosen: Vec<usize> = (0..20).filter(|&i| outcome.best.x[i] > 0.5).collect();
    println!("weight {:.4} with subsets {chosen:?}", outcome.best.value);
    println!("evaluations: {} ({:?})", outcome.evaluations, outcome.stop);
    Ok(())
}

fn main() -> anyhow::Result<()> {
    run()
}
