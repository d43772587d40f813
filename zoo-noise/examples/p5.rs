//! P5 of the anchors: Ackley 100-D with Gaussian noise N(0, 0.1²) on every call, a budget
//! of 20,000 true evaluations, SRACOS with positive size 5 (train size 22 from the budget
//! table). Median over seeds 1..=10 of the noise-free value of the returned solution,
//! next to ZOOpt 0.4.2.
//!
//! `cargo run --release -p zoo-noise --example p5` prints the comparison table;
//! with `-- --grid` it also prints the value-suppression settings grid (median over seeds
//! 101..=130, kept apart from the seeds of the comparison).

use std::time::Instant;

use zoo_core::testing::functions::ackley;
use zoo_core::testing::median;
use zoo_core::{Minimize, Sampler, Space};
use zoo_noise::{Noisy, Resampling, Suppressed, SuppressionConfig, Trigger};
use zoo_racos::{Centre, RacosConfig, SRacos, SRacosConfig};

const BUDGET: u64 = 20_000;
const SIGMA: f64 = 0.1;

/// SRACOS as in ZOOpt's P5 setting: sizes from the budget table (train 22), positive
/// size 5, samples drawn around a random positive (ZOOpt's rule; under noise the best
/// positive is mostly the luckiest one).
fn sracos_around(centre: Centre) -> anyhow::Result<SRacos> {
    let learning = RacosConfig {
        positive_size: 5,
        centre,
        ..RacosConfig::for_budget(BUDGET)
    };
    Ok(SRacos::new(
        Space::cube(100, -1.0, 1.0)?,
        SRacosConfig {
            learning,
            ..SRacosConfig::for_budget(BUDGET)
        },
    )?)
}

fn sracos() -> anyhow::Result<SRacos> {
    sracos_around(Centre::RandomPositive)
}

struct Row {
    values: Vec<f64>,
    evaluations: Vec<u64>,
    reestimations: Vec<u64>,
    seconds: f64,
}

/// Runs `build()` on seeds 1..=10; `spent` reads the re-estimation count off the sampler.
fn measure<S: Sampler<Solution = Vec<f64>>>(
    build: impl Fn() -> anyhow::Result<S>,
    spent: impl Fn(&S) -> u64,
) -> anyhow::Result<Row> {
    measure_on(1..=10, build, spent)
}

fn measure_on<S: Sampler<Solution = Vec<f64>>>(
    seeds: std::ops::RangeInclusive<u64>,
    build: impl Fn() -> anyhow::Result<S>,
    spent: impl Fn(&S) -> u64,
) -> anyhow::Result<Row> {
    let runs = seeds.clone().count() as f64;
    let started = Instant::now();
    let mut row = Row {
        values: Vec::new(),
        evaluations: Vec::new(),
        reestimations: Vec::new(),
        seconds: 0.0,
    };
    for seed in seeds {
        // The noise has its own stream, independent of the optimizer's.
        let noisy = Noisy::new(ackley, SIGMA, seed)?;
        let outcome = Minimize::new(noisy, build()?).budget(BUDGET).seed(seed).run()?;
        row.reestimations.push(spent(&outcome.sampler));
        row.values.push(ackley(&outcome.best.x));
        row.evaluations.push(outcome.evaluations);
    }
    row.seconds = started.elapsed().as_secs_f64() / runs;
    Ok(row)
}

fn print(name: &str, row: &Row, zoopt: &str) {
    let (lo, hi) = (
        row.evaluations.iter().min().copied().unwrap_or(0),
        row.evaluations.iter().max().copied().unwrap_or(0),
    );
    let evaluations = if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
    };
    let mut sorted = row.values.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "| {name} | **{:.3}** | {:.2} – {:.2} | {evaluations} | {:.0} | {zoopt} | {:.2} |",
        median(&row.values),
        sorted[0],
        sorted[sorted.len() - 1],
        median(&row.reestimations.iter().map(|&r| r as f64).collect::<Vec<_>>()),
        row.seconds
    );
}

/// Samplers that spend nothing on re-estimation.
fn none<S>(_: &S) -> u64 {
    0
}

fn suppression(non_update_allowed: u64, resample_times: u64, trigger: Trigger) -> SuppressionConfig {
    SuppressionConfig {
        non_update_allowed,
        resample_times,
        balance_rate: 0.5,
        trigger,
        final_round: true,
    }
}

fn suppressed(config: SuppressionConfig) -> anyhow::Result<Row> {
    measure(
        || Ok(Suppressed::new(sracos()?, config.clone())?),
        Suppressed::reestimation_evaluations,
    )
}

fn run() -> anyhow::Result<()> {
    println!(
        "P5: Ackley-100 + N(0, {SIGMA}²), budget {BUDGET} true evaluations, positive size 5, seeds 1..=10"
    );
    println!();
    println!(
        "| method | median noise-free value | min – max | evaluations | re-estimation evaluations (median) | ZOOpt 0.4.2 | s/run |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    print("SRACOS, no noise handling", &measure(sracos, none)?, "3.68");
    let resampling = measure(|| Ok(Resampling::new(sracos()?, 10)?), none)?;
    print("re-sampling ×10", &resampling, "1.92");
    let p5 = suppression(200, 50, Trigger::Best);
    print("value suppression 200/50/0.5", &suppressed(p5.clone())?, "2.49");
    print(
        "value suppression 200/50/0.5, ZOOpt's trigger (`Trigger::Trusted`)",
        &suppressed(suppression(200, 50, Trigger::Trusted))?,
        "",
    );
    print(
        "value suppression 200/50/0.5, no final round (`final_round: false`)",
        &suppressed(SuppressionConfig {
            final_round: false,
            ..p5
        })?,
        "",
    );
    print(
        "value suppression 500/100/0.5 (ZOOpt's defaults)",
        &suppressed(suppression(500, 100, Trigger::Best))?,
        "",
    );
    print(
        "value suppression 20/5/0.5 (tuned on seeds 101–130)",
        &suppressed(suppression(20, 5, Trigger::Best))?,
        "",
    );
    print(
        "re-sampling ×10 around the best positive (`Centre::Best`)",
        &measure(|| Ok(Resampling::new(sracos_around(Centre::Best)?, 10)?), none)?,
        "",
    );
    if std::env::args().any(|a| a == "--grid") {
        grid()?;
    }
    Ok(())
}

/// Value suppression over a grid of `non_update_allowed` × `resample_times`
/// (balance rate 0.5, the paper's trigger, final round in the budget), and re-sampling
/// over its `times`, on seeds 101..=130.
fn grid() -> anyhow::Result<()> {
    let seeds = 101..=130;
    let times = [3, 5, 10, 20, 50];
    println!();
    println!(
        "Value suppression, median over seeds 101..=130 (rows: non_update_allowed, columns: resample_times)"
    );
    println!();
    println!(
        "| non_update_allowed | {} |",
        times.map(|t| t.to_string()).join(" | ")
    );
    println!("| --- |{}", " --- |".repeat(times.len()));
    for non_update_allowed in [10, 20, 50, 100, 200, 500] {
        let mut cells = Vec::new();
        for resample_times in times {
            let config = suppression(non_update_allowed, resample_times, Trigger::Best);
            let row = measure_on(
                seeds.clone(),
                || Ok(Suppressed::new(sracos()?, config.clone())?),
                none,
            )?;
            cells.push(format!("{:.2}", median(&row.values)));
        }
        println!("| {non_update_allowed} | {} |", cells.join(" | "));
    }
    println!();
    println!("Re-sampling, median over seeds 101..=130");
    println!();
    println!("| times | {} |", times.map(|t| t.to_string()).join(" | "));
    println!("| --- |{}", " --- |".repeat(times.len()));
    let mut cells = Vec::new();
    for k in times {
        let row = measure_on(seeds.clone(), || Ok(Resampling::new(sracos()?, k)?), none)?;
        cells.push(format!("{:.2}", median(&row.values)));
    }
    println!("| median | {} |", cells.join(" | "));
    Ok(())
}

fn main() -> anyhow::Result<()> {
    run()
}
