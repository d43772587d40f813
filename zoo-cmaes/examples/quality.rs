//! Quality of CMA-ES on the project's reference problems: medians of the best value over
//! seeds 1–10 (tuning) and 11–20 (confirmation), each run through `zoo_core::Minimize`;
//! then the same on six mixed-integer and binary problems that no setting was tuned on.
//!
//! `cargo run --release -p zoo-cmaes --example quality [-- <algo>]`, where `<algo>` is
//! `cmaes` (default settings, the default), `sep` (always diagonal), `full` (always full), `bipop`, `mirror`,
//! `penalty`, `rank` or `onehot`.

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

/// Mixed-integer and binary problems with optima inside, on the bounds and at corners
/// (none used to choose a setting; no target).
fn discrete_problems() -> Result<Vec<Problem>> {
    let half_integer = |lo: i64, hi: i64| {
        let dims = (0..30).map(|i| {
            if i % 2 == 0 {
                Dimension::continuous(0.0, 1.0)
            } else {
                Dimension::integer(lo, hi)
            }
        });
        Space::new(dims.collect::<Result<Vec<_>, _>>()?)
    };
    let n = 20;
    let r = rotation(n, &mut ZooRng::seed_from(77));
    let rotated = move |x: &[f64]| {
        (0..n)
            .map(|i| {
                let z: f64 = (0..n).map(|j| r[i * n + j] * (x[j] - 0.7)).sum();
                100f64.powf(i as f64 / (n - 1) as f64) * z * z
            })
            .sum::<f64>()
    };
    let m = 40;
    let mut rng = ZooRng::seed_from(5);
    let q: Vec<f64> = (0..m * m).map(|_| 2.0 * rng.unit() - 1.0).collect();
    let qubo = move |x: &[f64]| {
        (0..m)
            .map(|i| (0..m).map(|j| q[i * m + j] * x[i] * x[j]).sum::<f64>())
            .sum::<f64>()
    };
    let target = f64::NAN;
    // `Σ (x − c)²` over the continuous coordinates, `Σ ((k − t) / s)²` over the integer ones.
    let separable_mixed = |name: &'static str, c: f64, t: f64, s: f64| -> Result<Problem> {
        Ok(Problem {
            name,
            space: half_integer(0, 100)?,
            budget: 3_000,
            target,
            f: Box::new(move |x: &[f64]| {
                x.iter()
                    .enumerate()
                    .map(|(i, v)| {
                        if i % 2 == 0 {
                            (v - c).powi(2)
                        } else {
                            ((v - t) / s).powi(2)
                        }
                    })
                    .sum()
            }),
        })
    };
    Ok(vec![
        separable_mixed(
            "mixed-interior-30: (x-0.3)^2 on [0,1], ((k-37)/10)^2 on 0..100",
            0.3,
            37.0,
            10.0,
        )?,
        separable_mixed(
            "mixed-upper-30: (1-x)^2 on [0,1], (100-k)^2 on 0..100",
            1.0,
            100.0,
            1.0,
        )?,
        Problem {
            name: "int-sphere-20: (k-7)^2 on -50..50",
            space: Space::new(std::iter::repeat_n(Dimension::integer(-50, 50)?, 20))?,
            budget: 2_000,
            target,
            f: Box::new(|x: &[f64]| x.iter().map(|v| (v - 7.0).powi(2)).sum()),
        },
        Problem {
            name: "int-corner-15: k + 3(1 - cos(k pi/2)) on 0..40",
            space: Space::new(std::iter::repeat_n(Dimension::integer(0, 40)?, 15))?,
            budget: 2_000,
            target,
            f: Box::new(|x: &[f64]| {
                x.iter()
                    .map(|v| v + 3.0 * (1.0 - (v * 0.5 * std::f64::consts::PI).cos()))
                    .sum()
            }),
        },
        Problem {
            name: "mixed-rot-ellipsoid-20: 10 on [-5,5], 10 on -5..5, rotated, cond. 100",
            space: Space::new(
                (0..n)
                    .map(|i| {
                        if i < 10 {
                            Dimension::continuous(-5.0, 5.0)
                        } else {
                            Dimension::integer(-5, 5)
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            )?,
            budget: 4_000,
            target,
            f: Box::new(rotated),
        },
        Problem {
            name: "qubo-40: x'Qx, Q uniform in [-1,1]",
            space: Space::binary(m)?,
            budget: 3_000,
            target,
            f: Box::new(qubo),
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
        "penalty" => CmaEsConfig {
            boundary: Boundary::Penalty,
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
    for (i, p) in problems()?.into_iter().chain(discrete_problems()?).enumerate() {
        if i == 6 {
            println!();
            println!("| held-out problem (budget) | median seeds 1-10 | median seeds 11-20 |");
            println!("| --- | --- | --- |");
        }
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
        if p.target.is_nan() {
            println!(
                "| {} ({}) | {:.3e} | {:.3e} |",
                p.name, p.budget, medians[0], medians[1]
            );
            continue;
        }
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
