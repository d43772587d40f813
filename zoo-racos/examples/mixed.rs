//! A mixed space: a learning rate (continuous, 4 decimals), a layer count (ordered
//! integer), an activation (categorical) and a seed label (unordered integer).
//!
//! `cargo run --release -p zoo-racos --example mixed`

use zoo_core::{Dimension, Minimize, Space, Value};
use zoo_racos::{SRacos, SRacosConfig};

/// A stand-in for a validation loss: best near lr = 0.01, 3 layers, "gelu".
fn loss(x: &[f64]) -> f64 {
    let (log_lr, layers, activation) = (x[0], x[1], x[2] as usize);
    let activation_penalty = [0.3, 0.1, 0.0, 0.5][activation];
    (log_lr + 2.0).powi(2) + 0.2 * (layers - 3.0).abs() + activation_penalty + 0.01 * x[3]
}

fn run() -> anyhow::Result<()> {
    let space = Space::new([
        Dimension::continuous_with_precision(-5.0, 0.0, 1e-4)?, // log10 of the learning rate
        Dimension::integer(1, 8)?,
        Dimension::categorical(["relu", "tanh", "gelu", "sigmoid"])?,
        Dimension::unordered(0, 9)?,
    ])?;
    let outcome = Minimize::new(loss, SRacos::new(space.clone(), SRacosConfig::for_budget(500))?)
        .budget(500)
        .seed(3)
        .run()?;
    let values = space.decode(&outcome.best.x);
    let Value::Float(log_lr) = values[0] else {
        unreachable!("continuous decodes to a float")
    };
    println!("loss {:.4}", outcome.best.value);
    println!(
        "learning rate {:.2e}, layers {}, activation {}, label {}",
        10f64.powf(log_lr),
        values[1],
        values[2],
        values[3]
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    run()
}
