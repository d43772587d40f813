//! Prints what `Auto` decides on a few standard problems (seeds 1-5): the race values
//! behind each choice.
use zoo_auto::{Auto, AutoConfig};
use zoo_core::testing::functions::{ackley, rastrigin, rosenbrock, sphere};
use zoo_core::{Minimize, Space};

/// Name, function, dimension, half-width of the box, budget.
type Problem = (&'static str, fn(&[f64]) -> f64, usize, f64, u64);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let problems: [Problem; 4] = [
        ("ackley-100", ackley, 100, 1.0, 10_000),
        ("sphere-100", sphere, 100, 1.0, 10_000),
        ("rastrigin-20", rastrigin, 20, 5.12, 5_000),
        ("rosenbrock-20", rosenbrock, 20, 5.0, 5_000),
    ];
    for (name, f, dim, half, budget) in problems {
        for seed in 1..=3 {
            let auto = Auto::new(Space::cube(dim, -half, half)?, AutoConfig::default())?;
            let outcome = Minimize::new(f, auto).budget(budget).seed(seed).run()?;
            println!(
                "{name} seed {seed}: {:.3e} {:?}",
                outcome.best.value,
                &outcome.sampler.decisions()[1..]
            );
        }
    }
    Ok(())
}
