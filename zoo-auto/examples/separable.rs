//! `auto` on separable problems it was not designed on: where its coordinate profiles send
//! it (line searches along the coordinates when every profiled coordinate is unimodal;
//! with several minima along a profile, a scan of each coordinate's range first, then line
//! searches from its lowest valleys; the SRACOS portfolio when the budget allows neither) and how it compares with CMA-ES and SRACOS alone. Medians of seeds 1–10.
//!
//! `cargo run --release -p zoo-auto --example separable`

use zoo_auto::{Auto, AutoConfig, Decision};
use zoo_cmaes::{CmaEs, CmaEsConfig};
use zoo_core::testing::functions::rastrigin;
use zoo_core::{Dimension, Minimize, Sampler, Space};
use zoo_racos::{SRacos, SRacosConfig};

type Function = Box<dyn Fn(&[f64]) -> f64>;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    0.5 * (v[v.len() / 2 - 1] + v[v.len() / 2])
}

fn run<S: Sampler<Solution = Vec<f64>>>(f: &Function, sampler: S, budget: u64, seed: u64) -> (f64, S) {
    let outcome = Minimize::new(|x: &[f64]| f(x), sampler)
        .budget(budget)
        .seed(seed)
        .run()
        .expect("a valid run");
    (outcome.best.value, outcome.sampler)
}

fn problems() -> Result<Vec<(&'static str, Space, u64, Function)>, zoo_core::SpaceError> {
    let schwefel = |x: &[f64]| {
        418.982_887_272_433_9 * x.len() as f64 - x.iter().map(|v| v * v.abs().sqrt().sin()).sum::<f64>()
    };
    let styblinski = |x: &[f64]| {
        x.iter()
            .map(|v| 0.5 * (v.powi(4) - 16.0 * v * v + 5.0 * v) + 39.166_165_703_771_42)
            .sum::<f64>()
    };
    let michalewicz = |x: &[f64]| {
        -x.iter()
            .enumerate()
            .map(|(i, v)| v.sin() * ((i + 1) as f64 * v * v / std::f64::consts::PI).sin().powi(20))
            .sum::<f64>()
    };
    let power = |x: &[f64]| x.iter().map(|v| (v - 1.3).abs().powf(1.5)).sum::<f64>();
    let ellipsoid = |x: &[f64]| {
        let n = x.len() as f64;
        x.iter()
            .enumerate()
            .map(|(i, v)| 1e4f64.powf(i as f64 / (n - 1.0)) * (v - 0.5 * (i as f64).cos()).powi(2))
            .sum::<f64>()
    };
    let int_rastrigin = |x: &[f64]| rastrigin(&x.iter().map(|k| k / 10.0).collect::<Vec<_>>());
    let mixed_rastrigin = |x: &[f64]| {
        let z: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(i, k)| if i % 2 == 0 { *k } else { k / 10.0 })
            .collect();
        rastrigin(&z)
    };
    let cusp = |x: &[f64]| x.iter().map(|v| (v - 0.3).abs().sqrt()).sum::<f64>();
    let quartic = |x: &[f64]| x.iter().map(|v| (v - 0.1).powi(4)).sum::<f64>();
    let weighted_abs = |x: &[f64]| {
        let n = x.len() as f64;
        x.iter()
            .enumerate()
            .map(|(i, v)| 1e6f64.powf(i as f64 / (n - 1.0)) * (v - 0.37).abs())
            .sum::<f64>()
    };
    let barrier = |x: &[f64]| x.iter().map(|v| v - v.ln() - 1.0).sum::<f64>();
    let sphere = |x: &[f64]| x.iter().map(|v| (v - 0.2).powi(2)).sum::<f64>();
    let mixed = Space::new((0..20).map(|i| {
        if i % 2 == 0 {
            Dimension::continuous(-5.12, 5.12).unwrap_or_else(|_| unreachable!())
        } else {
            Dimension::integer(-51, 51).unwrap_or_else(|_| unreachable!())
        }
    }))?;
    Ok(vec![
        (
            "cusp-20: sum of sqrt(abs(x-0.3))",
            Space::cube(20, -1.0, 1.0)?,
            4_000,
            Box::new(cusp),
        ),
        (
            "quartic-30: sum of (x-0.1)^4",
            Space::cube(30, -1.0, 1.0)?,
            3_000,
            Box::new(quartic),
        ),
        (
            "weighted abs-20, weights to 1e6",
            Space::cube(20, -1.0, 1.0)?,
            4_000,
            Box::new(weighted_abs),
        ),
        (
            "log barrier-10: sum of x - ln x - 1",
            Space::cube(10, 0.01, 10.0)?,
            2_000,
            Box::new(barrier),
        ),
        (
            "rastrigin-50",
            Space::cube(50, -5.12, 5.12)?,
            10_000,
            Box::new(rastrigin),
        ),
        (
            "sphere-200: sum of (x-0.2)^2",
            Space::cube(200, -1.0, 1.0)?,
            10_000,
            Box::new(sphere),
        ),
        (
            "schwefel-20",
            Space::cube(20, -500.0, 500.0)?,
            5_000,
            Box::new(schwefel),
        ),
        (
            "styblinski-tang-20",
            Space::cube(20, -5.0, 5.0)?,
            5_000,
            Box::new(styblinski),
        ),
        (
            "michalewicz-10",
            Space::cube(10, 0.0, std::f64::consts::PI)?,
            3_000,
            Box::new(michalewicz),
        ),
        (
            "power-30: sum of abs(x-1.3)^1.5",
            Space::cube(30, -5.0, 5.0)?,
            3_000,
            Box::new(power),
        ),
        (
            "ellipsoid-30, cond. 1e4, shifted",
            Space::cube(30, -5.0, 5.0)?,
            5_000,
            Box::new(ellipsoid),
        ),
        (
            "rastrigin-20 of k/10, k in -51..51",
            Space::new(std::iter::repeat_n(Dimension::integer(-51, 51)?, 20))?,
            5_000,
            Box::new(int_rastrigin),
        ),
        (
            "rastrigin-20, odd coords k/10",
            mixed,
            5_000,
            Box::new(mixed_rastrigin),
        ),
    ])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("| problem (budget) | auto | CMA-ES | SRACOS | auto's route (runs of 10) |");
    println!("| --- | ---: | ---: | ---: | --- |");
    for (name, space, budget, f) in problems()? {
        let (mut a, mut c, mut r) = (Vec::new(), Vec::new(), Vec::new());
        let (mut lines, mut scans) = (0, 0);
        for seed in 1..=10 {
            let (v, auto) = run(&f, Auto::new(space.clone(), AutoConfig::default())?, budget, seed);
            a.push(v);
            for d in auto.decisions() {
                match d {
                    Decision::LineSearches { scanning: false, .. } => lines += 1,
                    Decision::LineSearches { scanning: true, .. } => scans += 1,
                    _ => {}
                }
            }
            c.push(
                run(
                    &f,
                    CmaEs::new(space.clone(), CmaEsConfig::default())?,
                    budget,
                    seed,
                )
                .0,
            );
            r.push(
                run(
                    &f,
                    SRacos::new(space.clone(), SRacosConfig::for_budget(budget))?,
                    budget,
                    seed,
                )
                .0,
            );
        }
        println!(
            "| {name} ({budget}) | {:.3e} | {:.3e} | {:.3e} | line searches {lines}, scans {scans}, portfolio {} |",
            median(a),
            median(c),
            median(r),
            10 - lines - scans
        );
    }
    Ok(())
}
