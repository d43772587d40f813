//! Optima on the box's boundary: CMA-ES's boundary treatments, `auto` and SRACOS on
//! problems whose unconstrained minimizer lies on a bound or beyond it. The treatments:
//! projection with repair (`Boundary::Clip`, the default), projection that turns to the
//! penalty once a run has ended on a bound (`restart_boundary: Some(Boundary::Penalty)`,
//! as `auto` runs CMA-ES), reflection (`Boundary::Mirror`) and the penalty
//! (`Boundary::Penalty`).
//!
//! Five functions in 10-D on `[-5, 5]¹⁰` (the sphere, and the ellipsoid of condition 1e6,
//! Rosenbrock, Rastrigin and Ackley, each rotated) of `z = R·(x − x*)`, with `x*` drawn
//! by the seed from `[-8, 8]¹⁰` (the four rotated functions of a seed share its minimizer
//! and rotation):
//! - **on**: `x*` clamped to the box, so about 4 of the 10 coordinates of the minimizer
//!   are on a bound and the optimum is 0;
//! - **beyond**: `x*` as drawn, outside the box in those coordinates: the function keeps
//!   decreasing past the bounds, and for the convex ones (sphere, ellipsoid) the minimum
//!   over the box lies on its boundary. Its value is not known: the table gives the excess
//!   over the lowest value found on the instance by any run, including 3 runs of 30,000
//!   evaluations of each of `Boundary::Mirror`, `Boundary::Penalty` and SRACOS.
//!
//! Medians of seeds 1–10 (`-- 11 20` for others, `-- 7 7` for one) at 100 and 1,000
//! evaluations per coordinate.
//!
//! `cargo run --release -p zoo-auto --example boundary [-- FIRST LAST]`

use zoo_auto::{Auto, AutoConfig};
use zoo_cmaes::{Boundary, CmaEs, CmaEsConfig};
use zoo_core::testing::functions::random_rotation;
use zoo_core::{Minimize, Sampler, Space, ZooRng};
use zoo_racos::{SRacos, SRacosConfig};

const DIM: usize = 10;
const HALF_WIDTH: f64 = 5.0;
const TREATMENTS: [&str; 6] = ["clip", "clip-then-penalty", "mirror", "penalty", "auto", "sracos"];

/// One instance: the function's kind, its minimizer and its rotation.
struct Instance {
    kind: &'static str,
    minimizer: Vec<f64>,
    rotation: Option<Vec<f64>>,
}

impl Instance {
    fn value(&self, x: &[f64]) -> f64 {
        let d: Vec<f64> = x.iter().zip(&self.minimizer).map(|(a, b)| a - b).collect();
        let z: Vec<f64> = match &self.rotation {
            Some(r) => (0..DIM)
                .map(|i| r[i * DIM..(i + 1) * DIM].iter().zip(&d).map(|(a, b)| a * b).sum())
                .collect(),
            None => d,
        };
        let n = DIM as f64;
        match self.kind {
            "sphere" => z.iter().map(|v| v * v).sum(),
            "ellipsoid" => z
                .iter()
                .enumerate()
                .map(|(i, v)| 1e6_f64.powf(i as f64 / (n - 1.0)) * v * v)
                .sum(),
            "rosenbrock" => z
                .windows(2)
                .map(|w| 100.0 * ((w[0] + 1.0).powi(2) - (w[1] + 1.0)).powi(2) + w[0].powi(2))
                .sum(),
            "rastrigin" => z
                .iter()
                .map(|v| v * v - 10.0 * (std::f64::consts::TAU * v).cos() + 10.0)
                .sum(),
            _ => {
                let squares = z.iter().map(|v| v * v).sum::<f64>() / n;
                let cosines = z.iter().map(|v| (std::f64::consts::TAU * v).cos()).sum::<f64>() / n;
                -20.0 * (-0.2 * squares.sqrt()).exp() - cosines.exp() + 20.0 + std::f64::consts::E
            }
        }
    }
}

fn instance(kind: &'static str, beyond: bool, seed: u64) -> Instance {
    let mut rng = ZooRng::seed_from(seed.wrapping_mul(7919).wrapping_add(13));
    let limit = if beyond { f64::INFINITY } else { HALF_WIDTH };
    let minimizer = (0..DIM)
        .map(|_| rng.uniform(-8.0, 8.0).clamp(-limit, limit))
        .collect();
    let rotation = (kind != "sphere").then(|| random_rotation(DIM, &mut rng));
    Instance {
        kind,
        minimizer,
        rotation,
    }
}

fn best<S: Sampler<Solution = Vec<f64>>>(problem: &Instance, sampler: S, budget: u64, seed: u64) -> f64 {
    Minimize::new(|x: &[f64]| problem.value(x), sampler)
        .budget(budget)
        .seed(seed)
        .run()
        .expect("a valid run")
        .best
        .value
}

fn solve(treatment: &str, problem: &Instance, budget: u64, seed: u64) -> f64 {
    let space = Space::cube(DIM, -HALF_WIDTH, HALF_WIDTH).expect("a valid box");
    let cmaes = |boundary, restart_boundary| {
        let config = CmaEsConfig {
            boundary,
            restart_boundary,
            ..CmaEsConfig::default()
        };
        CmaEs::new(space.clone(), config).expect("valid settings")
    };
    match treatment {
        "clip" => best(problem, cmaes(Boundary::Clip, None), budget, seed),
        "clip-then-penalty" => best(
            problem,
            cmaes(Boundary::Clip, Some(Boundary::Penalty)),
            budget,
            seed,
        ),
        "mirror" => best(problem, cmaes(Boundary::Mirror, None), budget, seed),
        "penalty" => best(problem, cmaes(Boundary::Penalty, None), budget, seed),
        "auto" => best(
            problem,
            Auto::new(space.clone(), AutoConfig::default()).expect("valid settings"),
            budget,
            seed,
        ),
        _ => best(
            problem,
            SRacos::new(space.clone(), SRacosConfig::for_budget(budget)).expect("valid settings"),
            budget,
            seed,
        ),
    }
}

/// Three significant digits (all the digits of an integer part up to 9,999): plain from
/// 0.01 to 10,000, in e-notation otherwise.
fn show(v: f64) -> String {
    if v == 0.0 {
        "0".to_owned()
    } else if (0.01..1e4).contains(&v.abs()) {
        let decimals = (2 - v.abs().log10().floor() as i32).max(0) as usize;
        format!("{v:.decimals$}")
    } else {
        format!("{v:.2e}")
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seeds: Vec<u64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let (first, last) = match (args.len(), &seeds[..]) {
        (0, _) => (1, 10),
        (2, &[a, b]) if a <= b => (a, b),
        _ => {
            eprintln!("usage: boundary [FIRST LAST] (seeds FIRST..=LAST; default 1 10)");
            std::process::exit(2);
        }
    };
    println!(
        "Medians of seeds {first}–{last}; excess over the optimum (on) or over the lowest value found (beyond).\n"
    );
    let per_coordinate = [100_u64, 1_000];
    println!("| minimizer | function | budget | {} |", TREATMENTS.join(" | "));
    println!("| --- | --- | ---: |{}", " ---: |".repeat(TREATMENTS.len()));
    for beyond in [false, true] {
        for kind in ["sphere", "ellipsoid", "rosenbrock", "rastrigin", "ackley"] {
            // excess[budget][treatment] over the seeds
            let mut excess = vec![vec![Vec::new(); TREATMENTS.len()]; per_coordinate.len()];
            for seed in first..=last {
                let problem = instance(kind, beyond, seed);
                let values: Vec<Vec<f64>> = per_coordinate
                    .iter()
                    .map(|&k| {
                        TREATMENTS
                            .iter()
                            .map(|t| solve(t, &problem, k * DIM as u64, seed))
                            .collect()
                    })
                    .collect();
                let mut lowest = values.iter().flatten().copied().fold(f64::INFINITY, f64::min);
                if beyond {
                    for repeat in 0..3 {
                        for t in ["mirror", "penalty", "sracos"] {
                            let long = 3_000 * DIM as u64;
                            lowest = lowest.min(solve(t, &problem, long, 1_000 + 10 * seed + repeat));
                        }
                    }
                } else {
                    lowest = 0.0;
                }
                for (b, row) in values.iter().enumerate() {
                    for (t, v) in row.iter().enumerate() {
                        excess[b][t].push(v - lowest);
                    }
                }
            }
            for (b, k) in per_coordinate.iter().enumerate() {
                let cells: Vec<String> = excess[b].iter().map(|v| show(median(v.clone()))).collect();
                println!(
                    "| {} | {kind} | {} | {} |",
                    if beyond { "beyond" } else { "on" },
                    k * DIM as u64,
                    cells.join(" | ")
                );
            }
        }
    }
}
