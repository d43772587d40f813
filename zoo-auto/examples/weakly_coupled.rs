//! `auto` on separable multimodal functions plus a small coupled term: Rastrigin,
//! Styblinski–Tang and Schwefel 2.26, each plus `c` times a rotated ellipsoid of condition
//! 100, a chain `10 Σ (uᵢ − uᵢ₊₁)²` or a product of cosines `10 n (1 − Π cos(uᵢ / 2))`, where
//! `u` is the displacement from the separable part's minimizer (so the optimum stays 0, at the
//! same point). It prints the medians of `f − f_opt` of `auto`, SRACOS and CMA-ES alone, and
//! in how many of the 10 runs `auto` took the weakly coupled route and scanned
//! (`Decision::Probed { weakly_coupled: true, .. }`, then `Decision::LineSearches {
//! scanning: true, .. }`) or found the problem separable (a coupling below rounding at the
//! probe's points). Seeds 11–20; the minimizers and rotations are drawn from the seed.
//!
//! `cargo run --release -p zoo-auto --example weakly_coupled [-- [all] [labels] [log]
//! [PER_COORDINATE ...]]`: 5 and 20 continuous coordinates at 100 and 1,000 evaluations per
//! continuous coordinate (or those given), `c` = 1e-6 and 1e-4; with `all`, also 40
//! coordinates and `c` = 1e-5; with `labels`, two labels of 5 values added to every
//! problem, each with a cost table drawn from the seed (line searches cannot move labels);
//! with `log`, every problem seen through `ln(1 + f)` (its optimum still 0).

use zoo_auto::{Auto, AutoConfig, Decision};
use zoo_cmaes::{CmaEs, CmaEsConfig};
use zoo_core::testing::functions::random_rotation;
use zoo_core::{Dimension, Minimize, Sampler, Space, ZooRng};
use zoo_racos::{SRacos, SRacosConfig};

fn median(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    let m = 0.5 * (v[v.len() / 2 - 1] + v[v.len() / 2]);
    if m == 0.0 || (0.01..1e4).contains(&m.abs()) {
        format!("{m:.3}")
    } else {
        format!("{m:.2e}")
    }
}

fn run<S: Sampler<Solution = Vec<f64>>>(
    f: &dyn Fn(&[f64]) -> f64,
    sampler: S,
    budget: u64,
    seed: u64,
) -> (f64, S) {
    let outcome = Minimize::new(f, sampler)
        .budget(budget)
        .seed(seed)
        .run()
        .expect("a valid run");
    (outcome.best.value, outcome.sampler)
}

/// A separable function on `[-5, 5]`: its one-coordinate term and that term's minimizer.
struct Base {
    name: &'static str,
    term: fn(f64) -> f64,
    minimizer: f64,
}

const BASES: [Base; 3] = [
    Base {
        name: "rastrigin",
        term: |v| v * v - 10.0 * (2.0 * std::f64::consts::PI * v).cos() + 10.0,
        minimizer: 0.0,
    },
    Base {
        name: "styblinski-tang",
        term: |v| 0.5 * (v.powi(4) - 16.0 * v * v + 5.0 * v),
        minimizer: -2.903_534_027_771_178,
    },
    Base {
        // Schwefel 2.26 on [-500, 500], scaled to [-5, 5].
        name: "schwefel",
        term: |v| {
            let u = 100.0 * v;
            -u * u.abs().sqrt().sin()
        },
        minimizer: 4.209_687_462_275_036,
    },
];

/// A coupled term, 0 at `u = 0` and positive elsewhere.
#[derive(Clone, Copy)]
enum Coupling {
    Ellipsoid,
    Chain,
    Product,
}

impl Coupling {
    fn name(self) -> &'static str {
        match self {
            Coupling::Ellipsoid => "ellipsoid",
            Coupling::Chain => "chain",
            Coupling::Product => "product",
        }
    }
}

fn coupling(kind: Coupling, rotation: &[f64], u: &[f64]) -> f64 {
    let n = u.len();
    match kind {
        Coupling::Chain => 10.0 * u.windows(2).map(|w| (w[0] - w[1]).powi(2)).sum::<f64>(),
        Coupling::Product => 10.0 * n as f64 * (1.0 - u.iter().map(|v| (v / 2.0).cos()).product::<f64>()),
        Coupling::Ellipsoid => (0..n)
            .map(|i| {
                let weight = 100f64.powf(i as f64 / (n - 1) as f64);
                weight * (0..n).map(|j| rotation[i * n + j] * u[j]).sum::<f64>().powi(2)
            })
            .sum(),
    }
}

/// Variants of every problem.
#[derive(Clone, Copy)]
struct Options {
    /// Two labels of 5 values, each with its own cost table.
    labels: bool,
    /// The values seen through `ln(1 + f)`.
    log: bool,
}

/// The space of `n` continuous coordinates in `[-5, 5]`, and with `labels`, two labels of
/// 5 values after them.
fn space(n: usize, labels: bool) -> Space {
    let mut dims = vec![Dimension::continuous(-5.0, 5.0).expect("a valid range"); n];
    if labels {
        let label = Dimension::unordered(0, 4).expect("a valid range");
        dims.extend([label.clone(), label]);
    }
    Space::new(dims).expect("a valid space")
}

/// One group of runs: the medians of `auto`, SRACOS and CMA-ES alone over seeds 11–20, and
/// how many of `auto`'s runs took the weakly coupled route (and scanned, or ran SRACOS
/// alone), or found the problem separable. With `labels`, two labels of 5 values, each
/// with its own cost table, add their costs.
fn measure(kind: Coupling, base: &Base, n: usize, budget: u64, c: f64, options: Options) -> [String; 4] {
    let Options { labels, log } = options;
    let (mut auto, mut sracos, mut cmaes) = (vec![], vec![], vec![]);
    let (mut weak_scanned, mut weak_sracos, mut separable) = (0, 0, 0);
    for seed in 11..=20u64 {
        let mut rng = ZooRng::seed_from(7_000 + seed);
        let rotation = random_rotation(n, &mut rng);
        // The separable part's minimizer moved by up to 1 per coordinate; Schwefel's stays
        // (moved, its lowest value over the box could lie on a bound).
        let reach = if base.name == "schwefel" { 0.0 } else { 1.0 };
        let minimizer: Vec<f64> = (0..n)
            .map(|_| base.minimizer + reach * rng.uniform(-1.0, 1.0))
            .collect();
        let costs: Vec<f64> = if labels {
            (0..10).map(|_| rng.uniform(0.0, 1.0)).collect()
        } else {
            Vec::new()
        };
        let cheapest = |table: &[f64]| table.iter().copied().fold(f64::INFINITY, f64::min);
        let least = if labels {
            cheapest(&costs[..5]) + cheapest(&costs[5..])
        } else {
            0.0
        };
        let (term, lowest) = (base.term, (base.term)(base.minimizer));
        let f = |x: &[f64]| {
            let u: Vec<f64> = x.iter().zip(&minimizer).map(|(v, m)| v - m).collect();
            let label_costs = if labels {
                costs[x[n] as usize] + costs[5 + x[n + 1] as usize] - least
            } else {
                0.0
            };
            let value = u.iter().map(|&v| term(v + base.minimizer) - lowest).sum::<f64>()
                + c * coupling(kind, &rotation, &u)
                + label_costs;
            // Rounding can take the value a little below the optimum's 0.
            if log { value.max(0.0).ln_1p() } else { value }
        };
        let space = space(n, labels);
        let sampler = Auto::new(space.clone(), AutoConfig::default()).expect("valid settings");
        let (value, sampler) = run(&f, sampler, budget, seed);
        let decided = |p: fn(&Decision) -> bool| sampler.decisions().iter().any(p);
        let weak = decided(|d| {
            matches!(
                d,
                Decision::Probed {
                    weakly_coupled: true,
                    ..
                }
            )
        });
        let scanned = decided(|d| matches!(d, Decision::LineSearches { scanning: true, .. }));
        let sracos_alone = decided(|d| matches!(d, Decision::SracosAlone { .. }));
        weak_scanned += usize::from(weak && scanned);
        weak_sracos += usize::from(weak && sracos_alone);
        separable += usize::from(decided(|d| matches!(d, Decision::Probed { separable: true, .. })));
        auto.push(value);
        let config = SRacosConfig::for_budget(budget);
        sracos.push(
            run(
                &f,
                SRacos::new(space.clone(), config).expect("valid"),
                budget,
                seed,
            )
            .0,
        );
        cmaes.push(
            run(
                &f,
                CmaEs::new(space, CmaEsConfig::default()).expect("valid"),
                budget,
                seed,
            )
            .0,
        );
    }
    [
        median(auto),
        median(sracos),
        median(cmaes),
        format!("weakly coupled: scanned {weak_scanned}, SRACOS alone {weak_sracos}; separable {separable}"),
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let all = args.iter().any(|a| a == "all");
    let options = Options {
        labels: args.iter().any(|a| a == "labels"),
        log: args.iter().any(|a| a == "log"),
    };
    // Evaluations per coordinate: the positive numbers among the arguments, 100 and 1,000
    // without.
    let mut per_coordinate: Vec<u64> = args
        .iter()
        .filter_map(|a| a.parse().ok())
        .filter(|&per| per > 0)
        .collect();
    if per_coordinate.is_empty() {
        per_coordinate = vec![100, 1000];
    }
    let dims: &[usize] = if all { &[5, 20, 40] } else { &[5, 20] };
    let strengths: &[f64] = if all { &[1e-6, 1e-5, 1e-4] } else { &[1e-6, 1e-4] };
    println!("| coupling | function | n | budget | c | auto | SRACOS | CMA-ES | auto's verdicts |");
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for kind in [Coupling::Ellipsoid, Coupling::Chain, Coupling::Product] {
        for base in &BASES {
            for &n in dims {
                for budget in per_coordinate.iter().map(|per| per.saturating_mul(n as u64)) {
                    for &c in strengths {
                        let [auto, sracos, cmaes, verdicts] = measure(kind, base, n, budget, c, options);
                        println!(
                            "| {} | {} | {n} | {budget} | {c:.0e} | {auto} | {sracos} | {cmaes} | {verdicts} |",
                            kind.name(),
                            base.name
                        );
                    }
                }
            }
        }
    }
}
