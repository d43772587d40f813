//! P6, ZOOpt's sequential-random-embedding example, from 10,000 to 1,000,000 dimensions.
//!
//! `z = x − 0.2`, `f(x) = Σ_{i<10} z_i² + Σ_{i≥10} z_i² / D` on `[-1, 1]^D`, budget 2,000,
//! SRE with 5 stages, `d = 10`, SRACOS inside (ZOOpt SRE at D = 10,000: median 0.158).
//! Plain SRACOS and random search on the same problem for contrast, then the same SRE at
//! 100,000 and 1,000,000 dimensions with the wall time per run. A second table shows
//! problems an embedding cannot solve: more important coordinates than `d`, and a
//! function where every coordinate matters as much.
//!
//! `cargo run --release -p zoo-highdim --example p6 [SEEDS] [SEEDS_AT_1M]` (default 10 and 3)

use std::time::Instant;

use zoo_core::testing::median;
use zoo_core::{Minimize, RandomSearch, Sampler, Space};
use zoo_highdim::{Embedded, EmbeddingConfig};
use zoo_racos::{SRacos, SRacosConfig};

const BUDGET: u64 = 2_000;

/// `Σ_{i<k} (x_i − c)² + Σ_{i≥k} (x_i − c)² / D`: P6 is `k = 10`, `c = 0.2`.
fn weighted_sphere(dim: usize, k: usize, c: f64) -> impl Fn(&[f64]) -> f64 {
    move |x: &[f64]| {
        let sq = |v: f64| (v - c) * (v - c);
        let head: f64 = x[..k].iter().map(|&v| sq(v)).sum();
        let tail: f64 = x[k..].iter().map(|&v| sq(v)).sum();
        head + tail / dim as f64
    }
}

struct Runs {
    values: Vec<f64>,
    seconds: Vec<f64>,
    inside: bool,
}

fn runs<S: Sampler<Solution = Vec<f64>>>(
    dim: usize,
    seeds: u64,
    f: &dyn Fn(&[f64]) -> f64,
    mut build: impl FnMut(&Space) -> anyhow::Result<S>,
) -> anyhow::Result<Runs> {
    let space = Space::cube(dim, -1.0, 1.0)?;
    let mut out = Runs {
        values: Vec::new(),
        seconds: Vec::new(),
        inside: true,
    };
    for seed in 1..=seeds {
        let started = Instant::now();
        let outcome = Minimize::new(f, build(&space)?).budget(BUDGET).seed(seed).run()?;
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
        // The objectives here are deterministic: no noise check in each stage (one
        // evaluation per stage; the published figures are without it).
        let config = SRacosConfig {
            noise_check: false,
            ..SRacosConfig::for_budget(budget)
        };
        SRacos::new(low, config)
    })?)
}

fn sre(space: &Space) -> anyhow::Result<Embedded<SRacos>> {
    embedded(space, EmbeddingConfig::for_budget(BUDGET))
}

fn sracos(space: &Space) -> anyhow::Result<SRacos> {
    Ok(SRacos::new(space.clone(), SRacosConfig::for_budget(BUDGET))?)
}

fn random(space: &Space) -> anyhow::Result<RandomSearch> {
    Ok(RandomSearch::new(space.clone()))
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

fn short_row(problem: &str, name: &str, r: &Runs) {
    println!(
        "| {problem} | {name} | {:.3} | {:.3} … {:.3} |",
        median(&r.values),
        r.values.iter().copied().fold(f64::INFINITY, f64::min),
        r.values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
}

/// A single value, for reference rows.
fn centre(value: f64) -> Runs {
    Runs {
        values: vec![value],
        seconds: vec![],
        inside: true,
    }
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
    let p6 = weighted_sphere(10_000, 10, 0.2);
    let sre_10k = runs(10_000, seeds, &p6, sre)?;
    row("SRE (5 stages, d = 10) + SRACOS", 10_000, &sre_10k);
    let blind = runs(10_000, seeds, &p6, |space| {
        embedded(
            space,
            EmbeddingConfig {
                carry_previous: false,
                ..EmbeddingConfig::for_budget(BUDGET)
            },
        )
    })?;
    row("SRE, stages start blind (as ZOOpt)", 10_000, &blind);
    let single = runs(10_000, seeds, &p6, |space| {
        embedded(space, EmbeddingConfig::single(BUDGET))
    })?;
    row("one random embedding (d = 10) + SRACOS", 10_000, &single);
    row("SRACOS alone", 10_000, &runs(10_000, seeds, &p6, sracos)?);
    row("random search", 10_000, &runs(10_000, seeds, &p6, random)?);
    let sre_100k = runs(100_000, seeds, &weighted_sphere(100_000, 10, 0.2), sre)?;
    row("SRE (5 stages, d = 10) + SRACOS", 100_000, &sre_100k);
    let sre_1m = runs(1_000_000, seeds_1m, &weighted_sphere(1_000_000, 10, 0.2), sre)?;
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

    println!();
    println!("Where an embedding cannot help (budget {BUDGET}, {seeds} seeds):");
    println!();
    println!("| problem | algorithm | median value | min … max |");
    println!("| --- | --- | --- | --- |");
    let many = "100 of 10,000 coordinates matter";
    let f = weighted_sphere(10_000, 100, 0.2);
    short_row(
        many,
        "value at the centre of the box",
        &centre(f(&vec![0.0; 10_000])),
    );
    short_row(many, "SRE, d = 10", &runs(10_000, seeds, &f, sre)?);
    let wide = |space: &Space| {
        embedded(
            space,
            EmbeddingConfig {
                low_dimension: 100,
                ..EmbeddingConfig::for_budget(BUDGET)
            },
        )
    };
    short_row(many, "SRE, d = 100", &runs(10_000, seeds, &f, wide)?);
    short_row(many, "SRACOS alone", &runs(10_000, seeds, &f, sracos)?);
    short_row(many, "random search", &runs(10_000, seeds, &f, random)?);
    let all = "all 1,000 coordinates matter: Σ (x_i − 0.8)²";
    let f = weighted_sphere(1_000, 1_000, 0.8);
    short_row(all, "value at the centre of the box", &centre(f(&[0.0; 1_000])));
    short_row(all, "SRE, d = 10", &runs(1_000, seeds, &f, sre)?);
    short_row(all, "SRACOS alone", &runs(1_000, seeds, &f, sracos)?);
    short_row(all, "random search", &runs(1_000, seeds, &f, random)?);
    Ok(())
}

fn main() -> anyhow::Result<()> {
    run()
}
