//! ZOOpt's P9 measurement: Ackley 10-D on [-1, 1]^10 whose every call sleeps 2 ms,
//! budget 1,000, run sequentially and in parallel side by side, seed by seed.
//!
//! ```text
//! cargo run --release -p zoo-racos --example p9_parallel [-- SEEDS]
//! ```
//!
//! Prints a markdown table: median wall time, median ratio to the sequential run of the
//! same seed, speed-up, and median (min–max) final value over the seeds (default 10).
//! To measure another sampler, change `Algorithm` and `algorithm` only.

use std::error::Error;
use std::thread;
use std::time::{Duration, Instant};

use zoo_core::testing::functions::ackley;
use zoo_core::testing::median;
use zoo_core::{Minimize, Parallel, Space};
use zoo_racos::{SRacos, SRacosConfig};

const DIM: usize = 10;
const BUDGET: u64 = 1_000;
const SLEEP: Duration = Duration::from_millis(2);

/// The sampler measured. To measure another one, change this alias and `algorithm`.
type Algorithm = SRacos;

/// A fresh sampler for one run.
fn algorithm(space: Space) -> Result<Algorithm, Box<dyn Error>> {
    Ok(SRacos::new(space, SRacosConfig::for_budget(BUDGET))?)
}

/// One configuration of the comparison.
#[derive(Clone, Copy)]
enum Mode {
    Sequential,
    Threads(usize, Parallel),
}

impl Mode {
    fn label(self) -> String {
        match self {
            Mode::Sequential => "sequential".to_owned(),
            Mode::Threads(n, Parallel::Async) => {
                format!("async, {n} thread{}", if n == 1 { "" } else { "s" })
            }
            Mode::Threads(n, Parallel::Batch { size }) => format!("batch of {size}, {n} threads"),
            Mode::Threads(n, mode) => format!("{mode:?}, {n} threads"),
        }
    }
}

/// One run: (wall seconds, final value).
fn measure(mode: Mode, seed: u64) -> Result<(f64, f64), Box<dyn Error>> {
    let objective = |x: &[f64]| {
        thread::sleep(SLEEP);
        ackley(x)
    };
    let sampler = algorithm(Space::cube(DIM, -1.0, 1.0)?)?;
    let run = Minimize::new(objective, sampler).budget(BUDGET).seed(seed);
    let started = Instant::now();
    let outcome = match mode {
        Mode::Sequential => run.run()?,
        Mode::Threads(n, parallel) => run.threads(n).parallel(parallel).run()?,
    };
    let wall = started.elapsed().as_secs_f64();
    assert_eq!(outcome.evaluations, BUDGET, "the budget is exact");
    Ok((wall, outcome.best.value))
}

fn run() -> Result<(), Box<dyn Error>> {
    let seeds: u64 = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10);
    let modes = [
        Mode::Sequential,
        Mode::Threads(1, Parallel::Async),
        Mode::Threads(2, Parallel::Async),
        Mode::Threads(4, Parallel::Async),
        Mode::Threads(2, Parallel::Batch { size: 4 }),
        Mode::Threads(4, Parallel::Batch { size: 4 }),
    ];
    // walls[m][s], values[m][s], ratios[m][s] (to the sequential run of seed s).
    let mut walls = vec![Vec::new(); modes.len()];
    let mut values = vec![Vec::new(); modes.len()];
    for seed in 0..seeds {
        for (m, &mode) in modes.iter().enumerate() {
            let (wall, value) = measure(mode, seed)?;
            walls[m].push(wall);
            values[m].push(value);
        }
        eprintln!("seed {seed} done");
    }
    println!(
        "P9: Ackley {DIM}-D, {} ms sleep per call, budget {BUDGET}, {seeds} seeds, {}\n",
        SLEEP.as_millis(),
        std::any::type_name::<Algorithm>()
            .rsplit("::")
            .next()
            .unwrap_or("?")
    );
    println!(
        "| mode | median wall (s) | wall / sequential (median over seeds) | speed-up | median final value | min – max |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    let mut ratios = Vec::new();
    for (m, &mode) in modes.iter().enumerate() {
        let ratio: Vec<f64> = walls[m].iter().zip(&walls[0]).map(|(w, s)| w / s).collect();
        let r = median(&ratio);
        ratios.push(r);
        let lo = values[m].iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values[m].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        println!(
            "| {} | {:.3} | {:.3} | {:.2}× | {:.4} | {:.4} – {:.4} |",
            mode.label(),
            median(&walls[m]),
            r,
            1.0 / r,
            median(&values[m]),
            lo,
            hi
        );
    }
    let seq_lo = values[0].iter().copied().fold(f64::INFINITY, f64::min);
    let seq_hi = values[0].iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let async2 = median(&values[2]);
    println!(
        "\n2-thread async: wall {:.3}× sequential (target ≤ 0.53); median value {:.4} {} the sequential range [{:.4}, {:.4}]",
        ratios[2],
        async2,
        if (seq_lo..=seq_hi).contains(&async2) {
            "within"
        } else {
            "OUTSIDE"
        },
        seq_lo,
        seq_hi
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    run()
}
