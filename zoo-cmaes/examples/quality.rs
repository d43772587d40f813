//! Quality of CMA-ES on the project's reference problems: medians of the best value over
//! seeds 1–10 (tuning) and 11–20 (confirmation), each run through `zoo_core::Minimize`.
//!
//! `cargo run --release -p zoo-cmaes --example quality [-- <algo>]`, where `<algo>` is
//! `cmaes` (default settings, the default), `sep` (always diagonal), `full` (always full), `bipop`, `mirror`, `rank` or `onehot`.

use anyhow::Result;
use zoo_cmaes::{Boundary, Categories, CmaEs, CmaEsConfig, Covariance, Restarts, SepCmaEs};
use zoo_core::testing::functions::{ackley, rastrigin, set_cover, sphere};
use zoo_core::{Dimension, Minimize, Sampler, Space, ZooRng};

type Function = Box<dyn Fn(&[f64]) -> f64>;

struct Problem {
    name: &'static str,
    space: Space,
    budget: u64,
    target: f64,
    f: Function,
}

use zoo_core::testing::functions::random_rotation as rotation;

fn problems() -> Result<Vec<Problem>> {
    let n = 30;
    let r = rotation(n, &mut ZooRng::seed_from(2026));
    let shift: Vec<f64> = (1..=n).map(|i| 1.5 * (i as f64).cos()).collect();
    let ellipsoid = move |x: &[f64]| {
        (0..n)
            .map(|i| {
                let z: f64 = (0..n).map(|j| r[i * n + j] * (x[j] - shift[j])).sum();
                1e6f64.powf(i as f64 / (n - 1) as f64) * z * z
            })
            .sum::<f64>()
    };
    let mixed = Space::new((0..30).map(|i| {
        if i % 2 == 0 {
            Dimension::continuous(0.0, 1.0).unwrap()
        } else {
            Dimension::unordered(0, 100).unwrap()
        }
    }))?;
    Ok(vec![
        Problem {
            name: "ackley-100",
            space: Space::cube(100, -1.0, 1.0)?,
            budget: 10_000,
            target: 1.7e-4,
            f: Box::new(ackley),
        },
        Problem {
            name: "sphere-100",
            space: Space::cube(100, -1.0, 1.0)?,
            budget: 10_000,
            target: 6.6e-8,
            f: Box::new(sphere),
        },
        Problem {
            name: "rastrigin-20",
            space: Space::cube(20, -5.12, 5.12)?,
            budget: 5_000,
            target: 31.0,
            f: Box::new(rastrigin),
        },
        Problem {
            name: "ellipsoid-sr-30",
            space: Space::cube(30, -5.0, 5.0)?,
            budget: 5_000,
            target: 6.5e3,
            f: Box::new(ellipsoid),
        },
        Problem {
            name: "mixed-30",
            space: mixed,
            budget: 3_000,
            target: 0.0024,
            f: Box::new(|x: &[f64]| x.iter().map(|v| v * v).sum()),
        },
        Problem {
            name: "setcover-20",
            space: Space::binary(20)?,
            budget: 2_000,
            target: 1.091,
            f: Box::new(set_cover),
        },
    ])
}

fn best<S: Sampler<Solution = Vec<f64>>>(p: &Problem, sampler: S, seed: u64) -> Result<f64> {
    let outcome = Minimize::new(|x: &[f64]| (p.f)(x), sampler)
        .budget(p.budget)
        .seed(seed)
        .run()?;
    Ok(outcome.best.value)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let k = v.len();
    if k % 2 == 1 {
        v[k / 2]
    } else {
        0.5 * (v[k / 2 - 1] + v[k / 2])
    }
}

fn run() -> Result<()> {
    let algo = std::env::args().nth(1).unwrap_or_else(|| "cmaes".to_owned());
    let config = match algo.as_str() {
        "bipop" => CmaEsConfig {
            restarts: Restarts::Bipop,
            ..CmaEsConfig::default()
        },
        "mirror" => CmaEsConfig {
            boundary: Boundary::Mirror,
            ..CmaEsConfig::default()
        },
        "full" => CmaEsConfig {
            covariance: Covariance::Full,
            ..CmaEsConfig::default()
        },
        "rank" => CmaEsConfig {
            categories: Categories::Rank,
            ..CmaEsConfig::default()
        },
        "onehot" => CmaEsConfig {
            categories: Categories::OneHot,
            ..CmaEsConfig::default()
        },
        _ => CmaEsConfig::default(),
    };
    println!("algorithm: {algo}");
    println!("| problem (budget) | target | median seeds 1-10 | median seeds 11-20 | hit (1-10 / 11-20) |");
    println!("| --- | --- | --- | --- | --- |");
    for p in problems()? {
        let mut medians = Vec::new();
        for seeds in [1..=10u64, 11..=20] {
            let mut values = Vec::new();
            for seed in seeds {
                let v = if algo == "sep" {
                    best(&p, SepCmaEs::new(p.space.clone(), config.clone())?, seed)?
                } else {
                    best(&p, CmaEs::new(p.space.clone(), config.clone())?, seed)?
                };
                values.push(v);
            }
            medians.push(median(values));
        }
        let hit = |m: f64| if m <= p.target { "yes" } else { "no" };
        println!(
            "| {} ({}) | {:.3e} | {:.3e} | {:.3e} | {} / {} |",
            p.name,
            p.budget,
            p.target,
            medians[0],
            medians[1],
            hit(medians[0]),
            hit(medians[1])
        );
    }
    Ok(())
}

fn main() -> Result<()> {
    run()
}
