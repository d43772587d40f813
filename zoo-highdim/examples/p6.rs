//! P6, ZOOpt's sequential-random-embedding example, from 10,000 to 1,000,000 dimensions.
//!
//! `z = x − 0.2`, `f(x) = Σ_{i<10} z_i² + Σ_{i≥10} z_i² / D` on `[-1, 1]^D`, budget 2,000,
//! SRE with 5 stages, `d = 10`, SRACOS inside (ZOOpt SRE at D = 10,000: median 0.158).
//! Plain SRACOS and random search on the same problem for contrast, then the same SRE at
//! 100,000 and 1,000,000 dimensions with the wall time per run.
//!
//! `cargo run --release -p zoo-highdim --example p6 [SEEDS] [SEEDS_AT_1M]` (default 10 and 3)

use std::time::Instant;

use zoo_core::{Minimize, RandomSearch, Sampler, Space};
use zoo_highdim::{Embedded, EmbeddingConfig};
use zoo_racos::{SRacos, SRacosConfig};

const BUDGET: u64 = 2_000;

/// P6 at dimension `dim`.
fn p6(dim: usize) -> impl Fn(&[f64]) -> f64 {
    move |x: &[f64]| {
        let sq = |v: f64| (v - 0.2) * (v - 0.2);
        let head: f64 = x[..10].iter().map(|&v| sq(v)).sum();
        let tail: f64 = x[10..].iter().map(|&v| sq(v)).sum();
        head + tail / dim as f64
    }
}

struct Runs {
    values: Vec<f64>,
    seconds: Vec<f64>,
    inside: bool,
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

fn runs<S: Sampler<Point = Vec<f64>>>(
    dim: usize,
    seeds: u64,
    mut build: impl FnMut(&Space) -> anyhow::Result<S>,
) -> anyhow::Result<Runs> {
    let space = Space::cube(dim, -1.0, 1.0)?;
    let f = p6(dim);
    let mut out = Runs {
        values: Vec::new(),
        seconds: Vec::new(),
        inside: true,
    };
    for seed in 1..=seeds {
        let started = Instant::now();
        let outcome = Minimize::new(&f, build(&space)?)
            .budget(BUDGET)
            .seed(seed)
            .run()?;
        out.seconds.push(started.elapsed().as_secs_f64());
        anyhow::ensure!(
            outcome.evaluations == BUDGET,
            "spent {} evaluations",
            outcome.evaluations
        );
        // The recommended value must be the value at the recommended point.
        anyhow::ensure!(f(&outcome.best.x).to_bits() == outcome.best.value.to_bits());
        out.inside &= outcome.best.x.iter().all(|v| (-1.0..=1.0).contains(v));
        out.values.push(outcome.best.value);
    }
    Ok(out)
}

fn embedded(space: &Space, config: EmbeddingConfig) -> anyhow::Result<Embedded<SRacos>> {
    Ok(Embedded::new(space, config, |low, budget| {
        SRacos::new(low, SRacosConfig::for_budget(budget))
    })?)
}

fn sre(space: &Space) -> anyhow::Result<Embedded<SRacos>> {
    embedded(space, EmbeddingConfig::for_budget(BUDGET))
}

fn row(name: &str, dim: usize, r: &Runs) {
    let t = median(&r.seconds);
    println!(
        "| {name} | {dim} | {} | {:.4} | {:.4} … {:.4} | {} | {:.3} | {:.1} | {:.2} |",
        r.values.len(),
        median(&r.values),
        r.values.iter().copied().fold(f64::INFINITY, f64::min),
        r.values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        if r.inside { "yes" } else { "NO" },
        t,
        t / BUDGET as f64 * 1e6,
        t / (BUDGET as f64 * dim as f64) * 1e9,
    );
}

/// Peak resident memory of this process, when the system reports it.
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn run() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let seeds: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(10);
    let seeds_1m: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(3);

    println!("P6, budget {BUDGET}, seeds 1..=n; value = objective at the returned point");
    println!();
    println!(
        "| algorithm | D | runs | median value | min … max | all coordinates in [-1, 1] | median s/run | µs/evaluation | ns/(evaluation·coordinate) |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let sre_10k = runs(10_000, seeds, sre)?;
    row("SRE (5 stages, d = 10) + SRACOS", 10_000, &sre_10k);
    let blind = runs(10_000, seeds, |space| {
        embedded(
            space,
            EmbeddingConfig {
                carry_previous: false,
                ..EmbeddingConfig::for_budget(BUDGET)
            },
        )
    })?;
    row("SRE, stages start blind (as ZOOpt)", 10_000, &blind);
    let single = runs(10_000, seeds, |space| {
        embedded(space, EmbeddingConfig::single(BUDGET))
    })?;
    row("one random embedding (d = 10) + SRACOS", 10_000, &single);
    let sracos = runs(10_000, seeds, |space| {
        Ok(SRacos::new(space.clone(), SRacosConfig::for_budget(BUDGET))?)
    })?;
    row("SRACOS alone", 10_000, &sracos);
    let random = runs(10_000, seeds, |space| Ok(RandomSearch::new(space.clone())))?;
    row("random search", 10_000, &random);
    let sre_100k = runs(100_000, seeds, sre)?;
    row("SRE (5 stages, d = 10) + SRACOS", 100_000, &sre_100k);
    let sre_1m = runs(1_000_000, seeds_1m, sre)?;
    row("SRE (5 stages, d = 10) + SRACOS", 1_000_000, &sre_1m);

    println!();
    println!("Time per run relative to D = 10,000 (linear in D would be 10× and 100×):");
    let base = median(&sre_10k.seconds);
    println!(
        "  D = 100,000: {:.1}×   D = 1,000,000: {:.1}×",
        median(&sre_100k.seconds) / base,
        median(&sre_1m.seconds) / base
    );
    if let Some(mb) = peak_memory_mb() {
        println!("Peak resident memory of the process: {mb:.0} MB");
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    run()
}
