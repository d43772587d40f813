//! What `Auto` chooses, and that its choices pay off, with loose thresholds over several
//! seeds (the measured tables are in docs/which-algorithm.md).

use zoo_auto::{AdditiveScale, Auto, AutoConfig, Decision, Line};
use zoo_core::testing::functions::{ackley, rastrigin, sphere};
use zoo_core::testing::median;
use zoo_core::{Minimize, Sampler, Space};

fn run(f: fn(&[f64]) -> f64, dim: usize, half: f64, budget: u64, seed: u64) -> (f64, Vec<Decision>) {
    let auto = Auto::new(Space::cube(dim, -half, half).unwrap(), AutoConfig::default()).unwrap();
    let outcome = Minimize::new(f, auto).budget(budget).seed(seed).run().unwrap();
    assert_eq!(outcome.evaluations, budget);
    (outcome.best.value, outcome.sampler.decisions().to_vec())
}

fn winner(decisions: &[Decision]) -> Option<Line> {
    decisions.iter().find_map(|d| match d {
        Decision::RaceWon { winner, .. } => Some(*winner),
        _ => None,
    })
}

/// Below the profiles' budget a separable smooth problem races, and CMA-ES wins on most
/// seeds (at this small budget the race is a close call on some).
#[test]
fn smooth_problems_go_to_cmaes_and_converge() {
    let runs: Vec<(f64, Vec<Decision>)> = (1..=10).map(|seed| run(sphere, 5, 1.0, 399, seed)).collect();
    let cmaes_won = runs
        .iter()
        .filter(|(_, d)| winner(d) == Some(Line::CmaEs))
        .count();
    // Measured: CMA-ES won 7 of 10, median 1.4e-6.
    assert!(cmaes_won >= 5, "{runs:?}");
    let values: Vec<f64> = runs.iter().map(|r| r.0).collect();
    // SRACOS alone stalls around 1e-2 here; CMA-ES reaches far below.
    assert!(median(&values) < 1e-4, "{values:?}");
}

fn valleys(decisions: &[Decision]) -> Option<usize> {
    decisions.iter().find_map(|d| match d {
        Decision::Profiled { valleys, .. } => Some(*valleys),
        _ => None,
    })
}

fn line_searches(decisions: &[Decision]) -> Option<u32> {
    decisions.iter().find_map(|d| match d {
        Decision::LineSearchesEnded { sweeps, .. } => Some(*sweeps),
        _ => None,
    })
}

/// A separable problem whose coordinate profiles are unimodal runs line searches along the
/// coordinates (no race) and converges to rounding, whatever the conditioning; multimodal
/// profiles (Rastrigin, Schwefel) scan each coordinate first and find the global minimum.
#[test]
fn coordinate_profiles_tell_unimodal_from_multimodal_separable_problems() {
    use zoo_core::testing::functions::ellipsoid;
    fn schwefel(x: &[f64]) -> f64 {
        418.982_887_272_433_9 * x.len() as f64 - x.iter().map(|v| v * v.abs().sqrt().sin()).sum::<f64>()
    }
    for seed in 1..=5 {
        for (name, f, half, reached) in [
            // CMA-ES alone reached about 1e-8 and 1e-5 here.
            ("sphere", sphere as fn(&[f64]) -> f64, 1.0, 1e-20),
            ("ellipsoid", ellipsoid, 5.0, 1e-16),
        ] {
            let (value, decisions) = run(f, 10, half, 2_000, seed);
            assert_eq!(valleys(&decisions), Some(1), "{name}, seed {seed}: {decisions:?}");
            assert_eq!(winner(&decisions), None, "{name}, seed {seed}: {decisions:?}");
            assert!(
                line_searches(&decisions).is_some_and(|s| s >= 1),
                "{name}, seed {seed}: {decisions:?}"
            );
            assert!(value < reached, "{name}, seed {seed}: {value}");
        }
        for (name, f, half) in [
            ("rastrigin", rastrigin as fn(&[f64]) -> f64, 5.12),
            ("schwefel", schwefel, 500.0),
        ] {
            let (value, decisions) = run(f, 10, half, 2_000, seed);
            assert!(
                valleys(&decisions).is_some_and(|v| v >= 2),
                "{name}, seed {seed}: {decisions:?}"
            );
            assert!(
                decisions
                    .iter()
                    .any(|d| matches!(d, Decision::LineSearches { scanning: true, .. })),
                "{name}, seed {seed}: {decisions:?}"
            );
            assert_eq!(winner(&decisions), None, "{name}, seed {seed}: {decisions:?}");
            // SRACOS alone ends near 1 (Rastrigin) and 10 (Schwefel) on this budget; a
            // wrong valley in one coordinate costs about 1 and 118.
            assert!(value < 1e-6, "{name}, seed {seed}: {value}");
        }
    }
}

/// Under parallel batches the searches of a sweep run concurrently and the end of a sweep
/// waits for its points in flight: the sweeps complete as in a sequential run.
#[test]
fn line_searches_complete_their_sweeps_in_parallel_batches() {
    use zoo_core::Parallel;
    for seed in 1..=3 {
        let auto = Auto::new(Space::cube(10, -1.0, 1.0).unwrap(), AutoConfig::default()).unwrap();
        let outcome = Minimize::new(sphere, auto)
            .budget(2_000)
            .seed(seed)
            .threads(2)
            .parallel(Parallel::Batch { size: 4 })
            .run()
            .unwrap();
        assert_eq!(outcome.evaluations, 2_000);
        let decisions = outcome.sampler.decisions();
        assert!(
            line_searches(decisions).is_some_and(|s| s >= 1),
            "seed {seed}: {decisions:?}"
        );
        assert!(outcome.best.value < 1e-20, "seed {seed}: {}", outcome.best.value);
    }
}

/// A coupling the probe's swaps miss (one pair of six coordinates, kept on one side by all
/// four swaps: 6 of seeds 1–200, the first five here) breaks the sum the line searches check at the end of their
/// first sweep, and CMA-ES continues with its default covariance; every run finds the
/// optimum.
#[test]
fn line_searches_catch_a_coupling_the_probe_missed() {
    fn paired(x: &[f64]) -> f64 {
        x.iter().map(|v| (v - 0.5).powi(2)).sum::<f64>() + 1.5 * x[0] * x[1]
    }
    // The seeds of 1–200 on which the probe missed the pair: the first sweep's defect
    // flags it on three; on the other two the sweeps creep and end so.
    for (seed, flagged) in [(12, true), (13, true), (25, false), (26, false), (86, true)] {
        let (value, decisions) = run(paired, 6, 2.0, 2_000, seed);
        assert_eq!(probed(&decisions), Some(true), "seed {seed}: {decisions:?}");
        let coupled = decisions
            .iter()
            .any(|d| matches!(d, Decision::LineSearchesEnded { coupled: true, .. }));
        assert_eq!(coupled, flagged, "seed {seed}: {decisions:?}");
        // The minimum: 4 · 0 + the coupled pair's 3/14.
        assert!((value - 3.0 / 14.0).abs() < 1e-9, "seed {seed}: {value}");
    }
}

/// Below the budget of the smallest scanning sweep (84 evaluations per coordinate), a
/// separable multimodal problem runs SRACOS alone (no race) and a CMA-ES polish at the end.
#[test]
fn separable_multimodal_problems_keep_sracos_and_polish_its_best() {
    let runs: Vec<(f64, Vec<Decision>)> = (1..=5).map(|seed| run(rastrigin, 10, 5.12, 800, seed)).collect();
    let auto: Vec<f64> = runs.iter().map(|r| r.0).collect();
    // Medians of seeds 1–5 on this budget: `auto` 4.8 (7.2 with the race it ran before),
    // CMA-ES 19.9.
    assert!(median(&auto) < 8.0, "{auto:?}");
    let polished = runs
        .iter()
        .filter(|(_, d)| {
            winner(d).is_none()
                && d.iter().any(|d| matches!(d, Decision::SracosAlone { .. }))
                && d.iter().any(|d| matches!(d, Decision::Polish { .. }))
        })
        .count();
    assert_eq!(polished, 5, "{runs:?}");
}

#[test]
fn every_plan_is_recorded() {
    let (_, decisions) = run(ackley, 5, 1.0, 500, 1);
    assert!(
        matches!(
            decisions[0],
            // 10 % explores; the race is raised from 10 % to 30 % of this small budget so
            // that CMA-ES (λ = 8) gets 20 generations, capped at 30 %.
            Decision::Portfolio {
                explore: 50,
                race: 150
            }
        ),
        "{decisions:?}"
    );
    // Ackley couples its coordinates: the probe finds it not separable, CMA-ES runs alone.
    assert!(
        decisions
            .iter()
            .any(|d| matches!(d, Decision::Probed { separable: false, .. })),
        "{decisions:?}"
    );
    let (_, decisions) = run(rastrigin, 5, 5.12, 390, 1);
    assert!(
        decisions
            .iter()
            .any(|d| matches!(d, Decision::RaceStarted { .. })),
        "{decisions:?}"
    );
    let noisy = Auto::new(
        Space::cube(5, -1.0, 1.0).unwrap(),
        AutoConfig {
            noisy: true,
            ..AutoConfig::default()
        },
    )
    .unwrap();
    let outcome = Minimize::new(sphere, noisy).budget(300).seed(1).run().unwrap();
    assert_eq!(
        outcome.sampler.decisions(),
        [Decision::Noisy, Decision::NoisyFinal { at: 296 }]
    );
}

fn probed(decisions: &[Decision]) -> Option<bool> {
    decisions.iter().find_map(|d| match d {
        Decision::Probed { separable, .. } => Some(*separable),
        _ => None,
    })
}

/// The separability probe tells sums of one-coordinate functions (sphere, Rastrigin, the
/// axis-aligned ellipsoid) from coupled ones (Rosenbrock, Ackley, the rotated ellipsoid)
/// on every seed, with no threshold to tune per problem: the defect is zero up to rounding
/// or of order one.
#[test]
fn the_probe_tells_separable_from_coupled_problems() {
    use zoo_core::testing::functions::{ellipsoid, random_rotation, rosenbrock, transformed};
    for seed in 1..=5 {
        for (name, f, separable) in [
            ("sphere", sphere as fn(&[f64]) -> f64, true),
            ("rastrigin", rastrigin, true),
            ("ellipsoid", ellipsoid, true),
            ("rosenbrock", rosenbrock, false),
            ("ackley", ackley, false),
        ] {
            let (_, decisions) = run(f, 10, 2.0, 1_000, seed);
            assert_eq!(
                probed(&decisions),
                Some(separable),
                "{name}, seed {seed}: {decisions:?}"
            );
        }
    }
    fn rotated(x: &[f64]) -> f64 {
        thread_local! {
            static ROTATION: Vec<f64> = random_rotation(10, &mut zoo_core::ZooRng::seed_from(7));
        }
        ROTATION.with(|r| transformed(ellipsoid, &[0.1; 10], r, x))
    }
    for seed in 1..=5 {
        let (_, decisions) = run(rotated, 10, 2.0, 1_000, seed);
        assert_eq!(probed(&decisions), Some(false), "seed {seed}: {decisions:?}");
    }
}

/// On a coupled, ill-conditioned problem CMA-ES alone is the better use of the budget than
/// the SRACOS portfolio: `auto` reaches about what CMA-ES alone reaches.
#[test]
fn coupled_problems_run_cmaes_alone_and_match_it() {
    use zoo_cmaes::{CmaEs, CmaEsConfig};
    use zoo_core::testing::functions::{ellipsoid, random_rotation, transformed};
    fn rotated(x: &[f64]) -> f64 {
        thread_local! {
            static ROTATION: Vec<f64> = random_rotation(10, &mut zoo_core::ZooRng::seed_from(3));
        }
        ROTATION.with(|r| transformed(ellipsoid, &[0.3; 10], r, x))
    }
    let space = Space::cube(10, -2.0, 2.0).unwrap();
    let (mut auto, mut cmaes) = (Vec::new(), Vec::new());
    for seed in 1..=7 {
        let (value, decisions) = run(rotated, 10, 2.0, 3_000, seed);
        assert_eq!(probed(&decisions), Some(false), "seed {seed}: {decisions:?}");
        auto.push(value);
        let alone = CmaEs::new(space.clone(), CmaEsConfig::default()).unwrap();
        cmaes.push(
            Minimize::new(rotated, alone)
                .budget(3_000)
                .seed(seed)
                .run()
                .unwrap()
                .best
                .value,
        );
    }
    // Measured: medians 0.016 (auto) and 0.067 (CMA-ES alone), from values near 1e5. The
    // portfolio, which spends a fifth of the budget on SRACOS first and then refines
    // locally, lags by about two orders of magnitude on such problems (docs/which-algorithm.md).
    assert!(median(&auto) < 10.0 * median(&cmaes), "{auto:?} {cmaes:?}");
}

/// A ring of 8 labels of 12 values each, every neighbouring pair scored by its own
/// random table: coupled, with no order in any coordinate.
fn label_ring(x: &[f64]) -> f64 {
    thread_local! {
        static TABLES: Vec<f64> = {
            let mut rng = zoo_core::ZooRng::seed_from(11);
            (0..8 * 144).map(|_| rng.unit()).collect()
        };
    }
    TABLES.with(|t| {
        (0..8)
            .map(|i| t[i * 144 + x[i] as usize * 12 + x[(i + 1) % 8] as usize])
            .sum()
    })
}

/// `auto` and CMA-ES alone (default settings) on `f` over `space`, one seed: `auto`'s value
/// and decisions, CMA-ES's value.
fn against_cmaes(space: &Space, f: fn(&[f64]) -> f64, budget: u64, seed: u64) -> (f64, Vec<Decision>, f64) {
    use zoo_cmaes::{CmaEs, CmaEsConfig};
    let sampler = Auto::new(space.clone(), AutoConfig::default()).unwrap();
    let outcome = Minimize::new(f, sampler).budget(budget).seed(seed).run().unwrap();
    let alone = CmaEs::new(space.clone(), CmaEsConfig::default()).unwrap();
    let cmaes = Minimize::new(f, alone).budget(budget).seed(seed).run().unwrap();
    (
        outcome.best.value,
        outcome.sampler.decisions().to_vec(),
        cmaes.best.value,
    )
}

/// On coupled problems over many-valued labels the portfolio goes on (its race can hand
/// the run to SRACOS) and beats CMA-ES alone; binary spaces keep CMA-ES alone after the
/// value sweeps.
#[test]
fn coupled_labels_keep_the_portfolio() {
    use zoo_core::Dimension;
    let space = Space::new((0..8).map(|_| Dimension::unordered(0, 11).unwrap())).unwrap();
    let (mut auto, mut cmaes) = (Vec::new(), Vec::new());
    for seed in 1..=7 {
        let (value, decisions, alone) = against_cmaes(&space, label_ring, 1_500, seed);
        assert_eq!(probed(&decisions), Some(false), "seed {seed}: {decisions:?}");
        assert!(
            decisions
                .iter()
                .any(|d| matches!(d, Decision::CoupledLabels { at: 17 }))
                && decisions.iter().any(|d| matches!(d, Decision::RaceWon { .. })),
            "seed {seed}: {decisions:?}"
        );
        auto.push(value);
        cmaes.push(alone);
    }
    // Measured: medians 0.65 (auto) and 1.24 (CMA-ES alone); every CMA-ES run ends above
    // 1.03, and six of the seven `auto` runs below 1.
    assert!(median(&auto) < 0.8 * median(&cmaes), "{auto:?} {cmaes:?}");

    let parity = |x: &[f64]| x.windows(2).filter(|w| w[0] as u8 == w[1] as u8).count() as f64;
    let binary = Space::binary(12).unwrap();
    let sampler = Auto::new(binary, AutoConfig::default()).unwrap();
    let outcome = Minimize::new(parity, sampler).budget(600).seed(1).run().unwrap();
    let decisions = outcome.sampler.decisions();
    assert_eq!(probed(decisions), Some(false), "{decisions:?}");
    assert!(
        !decisions
            .iter()
            .any(|d| matches!(d, Decision::CoupledLabels { .. }))
            && !decisions
                .iter()
                .any(|d| matches!(d, Decision::RaceStarted { .. })),
        "{decisions:?}"
    );
}

/// `auto` and CMA-ES alone on seeds `1..=seeds`, checking that each `auto` run chains
/// SRACOS into CMA-ES at half the budget after the probe: `auto`'s and CMA-ES's values.
fn chained_runs(space: &Space, f: fn(&[f64]) -> f64, budget: u64, seeds: u64) -> (Vec<f64>, Vec<f64>) {
    let (mut auto, mut cmaes) = (Vec::new(), Vec::new());
    for seed in 1..=seeds {
        let (value, decisions, alone) = against_cmaes(space, f, budget, seed);
        assert_eq!(probed(&decisions), Some(false), "seed {seed}: {decisions:?}");
        assert!(
            decisions
                .iter()
                .any(|d| matches!(d, Decision::SracosAlone { at: 17 }))
                && decisions
                    .iter()
                    .any(|d| matches!(d, Decision::Polish { at, .. } if *at == budget / 2)),
            "seed {seed}: {decisions:?}"
        );
        auto.push(value);
        cmaes.push(alone);
    }
    (auto, cmaes)
}

/// A hyperparameter-like loss over 4 continuous coordinates in `[0, 1]` (a rotated
/// quadratic), 2 integers in `1..=8` and 2 labels of 4 values, coupled: the first integer
/// moves the first continuous coordinate's optimum, the first label the second's.
fn tuning_loss(x: &[f64]) -> f64 {
    const OPTIMUM: [f64; 4] = [0.3, 0.6, 0.45, 0.7];
    const SCALES: [f64; 4] = [1.0, 4.0, 15.0, 60.0];
    const LABELS: [[f64; 4]; 2] = [[0.3, 0.0, 0.45, 0.2], [0.1, 0.35, 0.0, 0.25]];
    const SHIFT: [f64; 4] = [0.1, -0.05, 0.0, 0.12];
    thread_local! {
        static ROTATION: Vec<f64> = zoo_core::testing::functions::random_rotation(4, &mut zoo_core::ZooRng::seed_from(5));
    }
    let (k0, k1, l0, l1) = (x[4], x[5], x[6] as usize, x[7] as usize);
    let mut d: Vec<f64> = (0..4).map(|i| x[i] - OPTIMUM[i]).collect();
    d[0] -= 0.04 * (k0 - 3.0);
    d[1] -= SHIFT[l0];
    let quadratic: f64 = ROTATION.with(|r| {
        (0..4)
            .map(|i| SCALES[i] * (0..4).map(|j| r[i * 4 + j] * d[j]).sum::<f64>().powi(2))
            .sum()
    });
    quadratic + ((k0 - 3.0).powi(2) + 0.5 * (k1 - 6.0).powi(2)) / 16.0 + LABELS[0][l0] + LABELS[1][l1]
}

fn tuning_space() -> Space {
    use zoo_core::Dimension;
    let mut dims: Vec<Dimension> = (0..4).map(|_| Dimension::continuous(0.0, 1.0).unwrap()).collect();
    dims.extend((0..2).map(|_| Dimension::integer(1, 8).unwrap()));
    dims.extend((0..2).map(|_| Dimension::unordered(0, 3).unwrap()));
    Space::new(dims).unwrap()
}

/// Below 30 evaluations per coordinate there is no race: SRACOS explores until CMA-ES
/// polishes its best for the last 30 % of the budget.
#[test]
fn small_budgets_skip_the_race() {
    for (budget, seed) in [(150, 1), (299, 2)] {
        let (_, decisions) = run(sphere, 10, 1.0, budget, seed);
        let polish = budget - (budget as f64 * 0.3).round() as u64;
        assert_eq!(
            decisions[0],
            Decision::Portfolio {
                explore: polish,
                race: 0
            },
            "{decisions:?}"
        );
        assert!(
            !decisions
                .iter()
                .any(|d| matches!(d, Decision::RaceStarted { .. }))
                && decisions
                    .iter()
                    .any(|d| matches!(d, Decision::Polish { at, .. } if *at == polish)),
            "{decisions:?}"
        );
    }
    let (_, decisions) = run(sphere, 10, 1.0, 300, 1);
    assert!(
        matches!(decisions[0], Decision::Portfolio { race: 90, .. }),
        "{decisions:?}"
    );
}

/// A separable box below 30 evaluations per coordinate takes no coordinate profiles: no
/// line search would fit after them, and SRACOS with its polish beats the CMA-ES alone
/// that unimodal profiles would send the run to.
#[test]
fn separable_boxes_below_30_per_coordinate_skip_the_profiles() {
    let shifted_sphere = |x: &[f64]| x.iter().map(|v| (v - 0.2) * (v - 0.2)).sum::<f64>();
    let space = Space::cube(40, -1.0, 1.0).unwrap();
    let (mut auto, mut cmaes) = (Vec::new(), Vec::new());
    for seed in 1..=10 {
        let (value, decisions, alone) = against_cmaes(&space, shifted_sphere, 600, seed);
        assert_eq!(probed(&decisions), Some(true), "seed {seed}: {decisions:?}");
        assert_eq!(valleys(&decisions), None, "seed {seed}: {decisions:?}");
        auto.push(value);
        cmaes.push(alone);
    }
    // Measured: medians 0.20 against 0.64, `auto` the lower on all 10 seeds.
    assert!(median(&auto) < 0.6 * median(&cmaes), "{auto:?} {cmaes:?}");
    let lower = auto.iter().zip(&cmaes).filter(|(a, c)| a < c).count();
    assert!(lower >= 8, "{auto:?} {cmaes:?}");
    // From 30 evaluations per coordinate the profiles are taken.
    let (_, decisions) = run(sphere, 40, 1.0, 1_200, 1);
    assert_eq!(valleys(&decisions), Some(1), "{decisions:?}");
}

/// On a coupled space with integers and labels, CMA-ES alone needs 30 evaluations per
/// coordinate it learns (here 4 + 2 + 2 · 4 = 14) to beat SRACOS chained into CMA-ES at
/// half the budget.
#[test]
fn coupled_discrete_spaces_at_small_budgets_keep_sracos() {
    let (auto, cmaes) = chained_runs(&tuning_space(), tuning_loss, 300, 25);
    // Measured: medians 0.076 (auto) and 0.25 (CMA-ES alone); `auto` is the lower on 21 of
    // the 25 seeds.
    assert!(median(&auto) < 0.6 * median(&cmaes), "{auto:?} {cmaes:?}");
    let lower = auto.iter().zip(&cmaes).filter(|(a, c)| a < c).count();
    assert!(lower >= 16, "{auto:?} {cmaes:?}");
    // From 30 evaluations per learnt coordinate (420 here) CMA-ES alone runs.
    let sampler = Auto::new(tuning_space(), AutoConfig::default()).unwrap();
    let outcome = Minimize::new(tuning_loss, sampler)
        .budget(420)
        .seed(1)
        .run()
        .unwrap();
    let decisions = outcome.sampler.decisions();
    assert!(
        !decisions
            .iter()
            .any(|d| matches!(d, Decision::SracosAlone { .. })),
        "{decisions:?}"
    );
}

/// On a coupled continuous box below 20 evaluations per coordinate, SRACOS takes the first
/// half of the budget and CMA-ES from its best the second: CMA-ES alone would spend most of
/// the budget learning its model.
#[test]
fn coupled_boxes_below_20_per_coordinate_chain_sracos_into_cmaes() {
    use zoo_core::testing::functions::rosenbrock;
    let space = Space::cube(20, -2.0, 2.0).unwrap();
    for (name, f) in [
        ("rosenbrock", rosenbrock as fn(&[f64]) -> f64),
        ("ackley", ackley),
    ] {
        let (auto, cmaes) = chained_runs(&space, f, 300, 15);
        // Measured: medians 141 against 202 (Rosenbrock) and 1.93 against 2.78 (Ackley);
        // `auto` lower on 13 and 14 of the 15 seeds.
        assert!(
            median(&auto) < 0.85 * median(&cmaes),
            "{name}: {auto:?} {cmaes:?}"
        );
        let lower = auto.iter().zip(&cmaes).filter(|(a, c)| a < c).count();
        assert!(lower >= 10, "{name}: {auto:?} {cmaes:?}");
    }
    // From 20 evaluations per coordinate CMA-ES alone runs.
    let (_, decisions) = run(ackley, 20, 2.0, 400, 1);
    assert!(
        !decisions
            .iter()
            .any(|d| matches!(d, Decision::SracosAlone { .. })),
        "{decisions:?}"
    );
}

#[test]
fn settings_out_of_range_are_refused() {
    let space = Space::cube(2, 0.0, 1.0).unwrap();
    for bad in [
        AutoConfig {
            explore: 1.5,
            ..AutoConfig::default()
        },
        AutoConfig {
            explore: 0.6,
            race: 0.6,
            ..AutoConfig::default()
        },
        AutoConfig {
            refine_sigma: 0.0,
            ..AutoConfig::default()
        },
        AutoConfig {
            race_split: 1.0,
            ..AutoConfig::default()
        },
        AutoConfig {
            polish: -0.1,
            ..AutoConfig::default()
        },
        AutoConfig {
            embed_above: 0,
            ..AutoConfig::default()
        },
        AutoConfig {
            default_budget: 0,
            ..AutoConfig::default()
        },
    ] {
        assert!(Auto::new(space.clone(), bad).is_err());
    }
}

/// Under declared noise `Auto` runs CMA-ES with twice its default population, which averages
/// more of the noise per step: on a noisy sphere its recommendation is closer to the optimum
/// than plain CMA-ES's on most seeds and in the median (measured on the noisy suite: better on
/// 13 of 31 problems, worse on 4, docs/noise.md). With the default population the two runs
/// would be the same run.
#[test]
fn declared_noise_beats_plain_cmaes_on_a_noisy_sphere() {
    use std::sync::Mutex;
    use zoo_cmaes::{CmaEs, CmaEsConfig};
    use zoo_core::{Sampler, ZooRng};
    fn shifted(x: &[f64]) -> f64 {
        x.iter().map(|v| (v - 0.2).powi(2)).sum()
    }
    /// The true value of the recommendation on the sphere plus heavy noise (about the
    /// spread of its values over the box), the same noise stream for a seed.
    fn true_value<S: Sampler<Solution = Vec<f64>>>(sampler: S, seed: u64) -> f64 {
        let stream = Mutex::new(ZooRng::seed_from(1000 + seed));
        let noisy = move |x: &[f64]| shifted(x) + 1.2 * stream.lock().unwrap().normal();
        let outcome = Minimize::new(noisy, sampler)
            .budget(3_000)
            .seed(seed)
            .run()
            .unwrap();
        shifted(&outcome.best.x)
    }
    let space = Space::cube(10, -1.0, 1.0).unwrap();
    let (mut declared, mut plain) = (Vec::new(), Vec::new());
    for seed in 1..=20 {
        let config = AutoConfig {
            noisy: true,
            ..AutoConfig::default()
        };
        declared.push(true_value(Auto::new(space.clone(), config).unwrap(), seed));
        let cmaes = CmaEs::new(space.clone(), CmaEsConfig::default()).unwrap();
        plain.push(true_value(cmaes, seed));
    }
    let wins = declared.iter().zip(&plain).filter(|(d, p)| d < p).count();
    assert!(
        wins >= 12,
        "twice the population was closer on {wins} of 20 seeds"
    );
    let (d, p) = (median(&declared), median(&plain));
    assert!(d < p, "medians: declared {d}, plain {p}");
}

/// Under noise that vanishes at the optimum (multiplicative), the noisy line's run keeps
/// shrinking its step size; past 1,000 times it goes on with the default population
/// (`Decision::NoisyFocused`) and converges further. Under heavy additive noise the step
/// size stalls and the doubled population stays.
#[test]
fn a_run_converging_through_the_noise_goes_on_with_the_default_population() {
    use std::sync::Mutex;
    use zoo_core::ZooRng;
    fn shifted(x: &[f64]) -> f64 {
        x.iter().map(|v| (v - 0.2).powi(2)).sum()
    }
    let space = Space::cube(10, -1.0, 1.0).unwrap();
    let run = |multiplicative: bool, seed: u64| {
        let stream = Mutex::new(ZooRng::seed_from(1000 + seed));
        let noisy = move |x: &[f64]| {
            let e = stream.lock().unwrap().normal();
            if multiplicative {
                shifted(x) * (1.0 + 0.1 * e)
            } else {
                shifted(x) + 1.2 * e
            }
        };
        let config = AutoConfig {
            noisy: true,
            ..AutoConfig::default()
        };
        let auto = Auto::new(space.clone(), config).unwrap();
        let outcome = Minimize::new(noisy, auto).budget(3_000).seed(seed).run().unwrap();
        let focused = outcome
            .sampler
            .decisions()
            .iter()
            .any(|d| matches!(d, Decision::NoisyFocused { population: 10, .. }));
        (shifted(&outcome.best.x), focused)
    };
    for seed in 1..=5 {
        let (value, focused) = run(true, seed);
        assert!(
            focused,
            "seed {seed}: the multiplicative run kept the doubled population"
        );
        // Measured 1e-15 to 1e-14 (1e-13 with the doubled population throughout).
        assert!(value < 1e-12, "seed {seed}: {value}");
        assert!(
            !run(false, seed).1,
            "seed {seed}: additive noise dropped the population"
        );
    }
}

/// Under noise the last 1 % of the budget evaluates the CMA-ES mean and the point of the
/// lowest value told again, in turn, and recommends the lower average: its value is an
/// average of fresh draws, not the luckiest one, so it estimates the point's true value
/// without the downward bias of the lowest value told.
#[test]
fn under_noise_the_recommendation_is_chosen_on_fresh_values() {
    use std::sync::Mutex;
    use zoo_core::ZooRng;
    fn shifted(x: &[f64]) -> f64 {
        x.iter().map(|v| (v - 0.2).powi(2)).sum()
    }
    let space = Space::cube(10, -1.0, 1.0).unwrap();
    let (mut reported_bias, mut luckiest_bias) = (0.0, 0.0);
    let seeds = 1..=10;
    for seed in seeds.clone() {
        let stream = Mutex::new(ZooRng::seed_from(2000 + seed));
        let lowest = Mutex::new((f64::INFINITY, 0.0));
        let noisy = |x: &[f64]| {
            let (truth, value) = (shifted(x), shifted(x) + 1.2 * stream.lock().unwrap().normal());
            let mut lowest = lowest.lock().unwrap();
            if value < lowest.0 {
                *lowest = (value, truth);
            }
            value
        };
        let config = AutoConfig {
            noisy: true,
            ..AutoConfig::default()
        };
        let auto = Auto::new(space.clone(), config).unwrap();
        let outcome = Minimize::new(noisy, auto).budget(3_000).seed(seed).run().unwrap();
        assert!(
            outcome
                .sampler
                .decisions()
                .contains(&Decision::NoisyFinal { at: 2_970 }),
            "seed {seed}: {:?}",
            outcome.sampler.decisions()
        );
        reported_bias += outcome.best.value - shifted(&outcome.best.x);
        let (value, truth) = *lowest.lock().unwrap();
        luckiest_bias += value - truth;
    }
    let runs = seeds.count() as f64;
    let (reported_bias, luckiest_bias) = (reported_bias / runs, luckiest_bias / runs);
    // An average of 15 draws of sd 1.2 has sd 0.31; the lower of two such averages is
    // biased by about -0.2 when the candidates are alike. The lowest of 3,000 draws sits
    // about 3.5 sd below its truth. Measured: -0.12 and -4.26.
    assert!(
        reported_bias.abs() < 0.5,
        "the recommendation's value is off its truth by {reported_bias}"
    );
    assert!(
        luckiest_bias < -3.0,
        "the lowest value told is off its truth by {luckiest_bias}"
    );
}

/// Undeclared noise is found by the probe (a point evaluated twice gives two values) and
/// `Auto` continues as under declared noise, reaching about what the declared run reaches;
/// a deterministic objective is never taken for a noisy one.
#[test]
fn undeclared_noise_is_found_and_handled_as_declared() {
    use std::sync::Mutex;
    use zoo_core::ZooRng;
    fn shifted(x: &[f64]) -> f64 {
        x.iter().map(|v| (v - 0.2).powi(2)).sum()
    }
    let space = Space::cube(10, -1.0, 1.0).unwrap();
    let noisy_run = |noisy: bool, seed: u64| {
        let stream = Mutex::new(ZooRng::seed_from(1000 + seed));
        let objective = move |x: &[f64]| shifted(x) + 0.5 * stream.lock().unwrap().normal();
        let config = AutoConfig {
            noisy,
            ..AutoConfig::default()
        };
        let auto = Auto::new(space.clone(), config).unwrap();
        let outcome = Minimize::new(objective, auto)
            .budget(3_000)
            .seed(seed)
            .run()
            .unwrap();
        (shifted(&outcome.best.x), outcome.sampler.decisions().to_vec())
    };
    let (mut found, mut declared) = (Vec::new(), Vec::new());
    for seed in 1..=9 {
        let (value, decisions) = noisy_run(false, seed);
        assert!(
            decisions
                .iter()
                .any(|d| matches!(d, Decision::Probed { noisy: true, .. }))
                && decisions.contains(&Decision::Noisy)
                && matches!(decisions.last(), Some(Decision::NoisyFinal { .. })),
            "seed {seed}: {decisions:?}"
        );
        found.push(value);
        declared.push(noisy_run(true, seed).0);
    }
    // The portfolio's best value seen would be the luckiest draw, far from the optimum.
    assert!(median(&found) < 2.0 * median(&declared), "{found:?} {declared:?}");
    for seed in 1..=5 {
        let (_, decisions) = run(sphere, 10, 1.0, 1_000, seed);
        assert!(
            decisions
                .iter()
                .any(|d| matches!(d, Decision::Probed { noisy: false, .. })),
            "seed {seed}: {decisions:?}"
        );
    }
}

/// A discrete space of no more points than the budget is searched by SRACOS alone, which
/// never evaluates a point twice: the run ends once every point was seen, with the optimum.
/// A space that outgrows the budget runs the usual plans, but once SRACOS has evaluated
/// every point the run ends there too, instead of CMA-ES repeating them.
#[test]
fn small_discrete_spaces_are_never_evaluated_twice() {
    use zoo_core::{Dimension, StopReason};
    let small = Space::new(vec![Dimension::integer(0, 4).unwrap(); 3]).unwrap();
    let needle = |x: &[f64]| {
        if x == [4.0, 1.0, 3.0] {
            0.0
        } else {
            1.0 + (x[0] - x[1]).abs() * x[2]
        }
    };
    for seed in 1..=5 {
        let seen = std::cell::RefCell::new(Vec::new());
        let counted = |x: &[f64]| {
            seen.borrow_mut().push(x.to_vec());
            needle(x)
        };
        let outcome = Minimize::new(counted, Auto::new(small.clone(), AutoConfig::default()).unwrap())
            .budget(300)
            .seed(seed)
            .run()
            .unwrap();
        assert_eq!(
            (outcome.stop, outcome.evaluations, outcome.best.value),
            (StopReason::Exhausted, 125, 0.0)
        );
        let mut distinct = seen.into_inner();
        distinct.sort_by(|a, b| a.partial_cmp(b).unwrap());
        distinct.dedup();
        assert_eq!(distinct.len(), 125, "seed {seed}");
        assert_eq!(
            outcome.sampler.decisions()[0],
            Decision::SmallSpace { points: 125 }
        );
    }
    // A budget below the space's size: the usual plans.
    let outcome = Minimize::new(needle, Auto::new(small, AutoConfig::default()).unwrap())
        .budget(100)
        .seed(1)
        .run()
        .unwrap();
    assert_eq!(outcome.evaluations, 100);
    assert!(!matches!(
        outcome.sampler.decisions()[0],
        Decision::SmallSpace { .. }
    ));
}

/// Rastrigin rotated by 30° about its minimum (0.3, 0.3) in the plane, and by the same
/// angle in the first two coordinates of three: coupled and multimodal.
fn rotated_rastrigin(x: &[f64]) -> f64 {
    let (s, c) = 30f64.to_radians().sin_cos();
    let (a, b) = (x[0] - 0.3, x[1] - 0.3);
    let mut z = vec![c * a - s * b, s * a + c * b];
    z.extend(x[2..].iter().map(|v| v - 0.3));
    z.iter()
        .map(|v| v * v - 10.0 * (2.0 * std::f64::consts::PI * v).cos() + 10.0)
        .sum()
}

fn evolves(decisions: &[Decision]) -> bool {
    decisions.iter().any(|d| matches!(d, Decision::Evolution { .. }))
}

/// A coupled problem in the plane with 500 evaluations per coordinate or more goes to
/// differential evolution, which finds the global minimum where CMA-ES's restarts settle
/// in the next basins; three coordinates, a smaller budget or a separable problem do not.
#[test]
fn coupled_problems_in_the_plane_go_to_differential_evolution() {
    let runs: Vec<(f64, Vec<Decision>)> = (1..=10)
        .map(|seed| run(rotated_rastrigin, 2, 5.0, 2_000, seed))
        .collect();
    assert!(runs.iter().all(|(_, d)| evolves(d)), "{runs:?}");
    let values: Vec<f64> = runs.iter().map(|r| r.0).collect();
    // Measured, seeds 1-10: `auto` at 0 on all ten; CMA-ES alone (zoo-cmaes) at 0 on five,
    // the others at 0.2-0.99.
    assert!(values.iter().filter(|v| **v < 1e-8).count() >= 9, "{values:?}");
    for (f, dim, budget) in [
        (rotated_rastrigin as fn(&[f64]) -> f64, 3, 3_000),
        (rotated_rastrigin, 2, 999),
        (rastrigin, 2, 2_000),
    ] {
        for seed in 1..=3 {
            let (_, decisions) = run(f, dim, 5.0, budget, seed);
            assert!(!evolves(&decisions), "{dim}-D, {budget}: {decisions:?}");
        }
    }
    // A coordinate rounded to a precision is not a box's; nor is a run without a budget
    // told (the schedule needs one).
    let rounded = Space::new([
        zoo_core::Dimension::continuous_with_precision(-5.0, 5.0, 0.001).unwrap(),
        zoo_core::Dimension::continuous(-5.0, 5.0).unwrap(),
    ])
    .unwrap();
    let auto = Auto::new(rounded, AutoConfig::default()).unwrap();
    let outcome = Minimize::new(rotated_rastrigin, auto)
        .budget(2_000)
        .seed(1)
        .run()
        .unwrap();
    assert!(
        !evolves(outcome.sampler.decisions()),
        "{:?}",
        outcome.sampler.decisions()
    );
    let mut unplanned = Auto::new(Space::cube(2, -5.0, 5.0).unwrap(), AutoConfig::default()).unwrap();
    let mut rng = zoo_core::ZooRng::seed_from(1);
    for _ in 0..200 {
        let x = unplanned.ask(&mut rng).unwrap();
        unplanned.tell(x.clone(), rotated_rastrigin(&x));
    }
    assert!(!evolves(unplanned.decisions()), "{:?}", unplanned.decisions());
}

/// Schwefel 2.26: separable, its global minimum near a corner of the box, far from the next
/// best basins.
fn schwefel(x: &[f64]) -> f64 {
    418.982_887_272_433_8 * x.len() as f64 - x.iter().map(|v| v * v.abs().sqrt().sin()).sum::<f64>()
}

fn profiled(decisions: &[Decision]) -> bool {
    decisions.iter().any(|d| matches!(d, Decision::Profiled { .. }))
}

/// In 2 and 3 dimensions a separable problem takes the coordinate profiles from 100
/// evaluations per coordinate, below the 400 evaluations they need otherwise; a scan and
/// line searches then find Schwefel's minimum, which the portfolio's SRACOS and CMA-ES
/// mostly missed at such budgets.
#[test]
fn separable_problems_in_two_or_three_dimensions_take_the_profiles_from_100_per_coordinate() {
    let runs: Vec<(f64, Vec<Decision>)> = (1..=10).map(|seed| run(schwefel, 2, 500.0, 300, seed)).collect();
    assert!(runs.iter().all(|(_, d)| profiled(d)), "{runs:?}");
    let values: Vec<f64> = runs.iter().map(|r| r.0).collect();
    // Measured, seeds 1-10: below 1e-8 on 10 of 10 (at most 1.9e-12); the portfolio,
    // before, on none (median 8.2, the lowest 2.7e-6).
    assert!(values.iter().filter(|v| **v < 1e-8).count() >= 9, "{values:?}");
    for (dim, budget, expected) in [(3, 300, true), (3, 299, false), (4, 399, false), (2, 199, false)] {
        let (_, decisions) = run(schwefel, dim, 500.0, budget, 1);
        assert_eq!(profiled(&decisions), expected, "{dim}-D, {budget}: {decisions:?}");
    }
}

fn probed_scale(decisions: &[Decision]) -> Option<AdditiveScale> {
    decisions.iter().find_map(|d| match d {
        Decision::Probed {
            separable: true,
            scale,
            ..
        } => Some(*scale),
        _ => None,
    })
}

/// A separable function behind an increasing transformation (the logarithm of a loss, the
/// root of a sum of squares) is found separable on the scale that undoes it, and the line
/// searches reach its minimum as on the sum itself; before, such values sent the run to
/// CMA-ES alone, far behind at this budget.
#[test]
fn separable_problems_behind_a_logarithm_or_a_root_take_the_line_searches() {
    use zoo_core::testing::functions::ellipsoid;
    fn log_ellipsoid(x: &[f64]) -> f64 {
        ellipsoid(x).ln_1p()
    }
    fn root_ellipsoid(x: &[f64]) -> f64 {
        ellipsoid(x).sqrt()
    }
    type Case = (fn(&[f64]) -> f64, fn(f64) -> f64, AdditiveScale);
    let cases: [Case; 2] = [
        (log_ellipsoid, f64::exp_m1, AdditiveScale::Exp),
        (root_ellipsoid, |v| v * v, AdditiveScale::Square),
    ];
    for (f, unwrap, scale) in cases {
        for seed in 1..=5 {
            let (value, decisions) = run(f, 10, 5.0, 1_000, seed);
            assert_eq!(probed_scale(&decisions), Some(scale), "{decisions:?}");
            assert_eq!(valleys(&decisions), Some(1), "{decisions:?}");
            // Measured: the ellipsoid at 1e-21 to 2e-18; zoo-cmaes on the same values,
            // 350 to 690.
            assert!(
                unwrap(value) < 1e-6,
                "{scale:?}, seed {seed}: {value} after {decisions:?}"
            );
        }
    }
    // The plain sum stays on the values' own scale.
    let (_, decisions) = run(ellipsoid, 10, 5.0, 1_000, 1);
    assert_eq!(probed_scale(&decisions), Some(AdditiveScale::Values));
}

/// Rastrigin stretched coordinate by coordinate, from 10 periods of its cosine over the
/// range to about 300 (BBOB's f3 and f4 stretch theirs alike), its minimizer off-centre.
fn stretched_rastrigin(x: &[f64]) -> f64 {
    let n = x.len();
    x.iter()
        .enumerate()
        .map(|(i, &v)| {
            let stretch = 10f64.powf(1.5 * i as f64 / (n - 1) as f64);
            let z = stretch * (v - (1.234 - 0.37 * i as f64));
            10.0 * (1.0 - (2.0 * std::f64::consts::PI * z).cos()) + z * z
        })
        .sum()
}

/// Where the scan's 64 positions fall less than two to a period, its lowest valley is one
/// of the ten or so its neighbours bracket; the zoom, sixteen times denser around the line
/// minimum, finds the lowest. Where the profiles' 16 positions see only the envelope and
/// take the function for unimodal, the line searches see the valleys and a scan follows.
/// Measured, seeds 1–10: every run below 2e-11 (without the zoom and the scan after the
/// line searches, 1 to 5 valleys off: 0.995–4.98).
#[test]
fn a_zoom_finds_the_lowest_valley_of_a_fast_oscillation() {
    let runs: Vec<(f64, Vec<Decision>)> = (1..=10)
        .map(|seed| run(stretched_rastrigin, 10, 5.0, 10_000, seed))
        .collect();
    for (seed, (value, decisions)) in runs.iter().enumerate() {
        // Every coordinate, at this budget.
        assert!(
            decisions
                .iter()
                .any(|d| matches!(d, Decision::Zoomed { coordinates: 10, .. })),
            "seed {}: {decisions:?}",
            seed + 1
        );
        // A wrong valley in one coordinate costs about 1.
        assert!(*value < 1e-6, "seed {}: {value}", seed + 1);
    }
    // Seeds 2 and 6 take the profiles for unimodal.
    let unimodal: Vec<&Vec<Decision>> = runs
        .iter()
        .map(|r| &r.1)
        .filter(|d| valleys(d) == Some(1))
        .collect();
    assert!(!unimodal.is_empty());
    for decisions in unimodal {
        let scans_after_line_searches = decisions
            .iter()
            .skip_while(|d| !matches!(d, Decision::LineSearchesEnded { .. }))
            .any(|d| matches!(d, Decision::LineSearches { scanning: true, .. }));
        assert!(scans_after_line_searches, "{decisions:?}");
    }
    // A budget too small to zoom every coordinate zooms those the scan resolved worst:
    // 6 to 8 of the 10 here, and 9 of 10 runs below 1e-11 (2 of 10 without the zoom).
    let runs: Vec<(f64, Vec<Decision>)> = (1..=10)
        .map(|seed| run(stretched_rastrigin, 10, 5.0, 3_000, seed))
        .collect();
    for (value, decisions) in &runs {
        let zoomed = decisions.iter().find_map(|d| match d {
            Decision::Zoomed { coordinates, .. } => Some(*coordinates),
            _ => None,
        });
        assert!(
            zoomed.is_some_and(|c| (5..10).contains(&c)),
            "{value}: {decisions:?}"
        );
    }
    let solved = runs.iter().filter(|r| r.0 < 1e-6).count();
    assert!(solved >= 7, "{runs:?}");
}

fn weakly_coupled(decisions: &[Decision]) -> bool {
    decisions.iter().any(|d| {
        matches!(
            d,
            Decision::Probed {
                weakly_coupled: true,
                ..
            }
        )
    })
}

/// Rastrigin (`multimodal`) or `Σ z²` plus a millionth of a rotated ellipsoid of condition
/// 100, all centred on the same off-centre point: the optimum is 0 there.
fn nearly_separable(x: &[f64], multimodal: bool) -> f64 {
    use zoo_core::testing::functions::random_rotation;
    const N: usize = 10;
    let n = x.len();
    assert_eq!(n, N, "the rotation is drawn for {N} coordinates");
    thread_local! {
        static ROTATION: Vec<f64> = random_rotation(N, &mut zoo_core::ZooRng::seed_from(11));
    }
    let z: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, v)| v - 0.3 - 0.2 * i as f64)
        .collect();
    let coupling: f64 = ROTATION.with(|r| {
        (0..n)
            .map(|i| {
                let weight = 100f64.powf(i as f64 / (n - 1) as f64);
                weight * (0..n).map(|j| r[i * n + j] * z[j]).sum::<f64>().powi(2)
            })
            .sum()
    });
    let base = if multimodal {
        rastrigin(&z)
    } else {
        z.iter().map(|v| v * v).sum()
    };
    base + 1e-6 * coupling
}

/// A separable multimodal function plus a small coupled term is weakly coupled: the
/// profiles see several minima, the scan and line searches find the lowest valley of every
/// coordinate, and CMA-ES refines from there. Measured, seeds 1–10: every run below 5e-14
/// (median 1.5e-22); before the weakly coupled verdict CMA-ES ran alone and ended in local
/// minima, 3.98 to 26.9 (median 14.4; CMA-ES alone 13.4, SRACOS 0.54). The same coupling
/// over `Σ z²` leaves unimodal profiles, and CMA-ES runs alone as on any coupled problem
/// (measured: 7e-16 to 3e-15).
#[test]
fn a_weakly_coupled_multimodal_problem_is_scanned_then_refined() {
    fn multimodal(x: &[f64]) -> f64 {
        nearly_separable(x, true)
    }
    fn unimodal(x: &[f64]) -> f64 {
        nearly_separable(x, false)
    }
    fn logged(x: &[f64]) -> f64 {
        nearly_separable(x, true).max(0.0).ln_1p()
    }
    for seed in 1..=10 {
        let (value, decisions) = run(multimodal, 10, 5.12, 3_000, seed);
        assert!(weakly_coupled(&decisions), "seed {seed}: {decisions:?}");
        assert_eq!(probed(&decisions), Some(false), "seed {seed}");
        assert!(
            valleys(&decisions).is_some_and(|v| v > 1),
            "seed {seed}: {decisions:?}"
        );
        let scanned = decisions
            .iter()
            .any(|d| matches!(d, Decision::LineSearches { scanning: true, .. }));
        assert!(scanned, "seed {seed}: {decisions:?}");
        // A local minimum of Rastrigin is 1 or more above the optimum.
        assert!(value < 1e-9, "seed {seed}: {value}");

        let (value, decisions) = run(unimodal, 10, 5.12, 3_000, seed);
        assert!(weakly_coupled(&decisions), "seed {seed}: {decisions:?}");
        assert_eq!(valleys(&decisions), Some(1), "seed {seed}: {decisions:?}");
        assert_eq!(line_searches(&decisions), None, "seed {seed}: {decisions:?}");
        assert!(value < 1e-9, "seed {seed}: {value}");
    }
    // Behind a logarithm the values nearly add up once exponentiated (`exp`), where the
    // defect is taken relative to the smaller part of the identity, so fewer probes see
    // the coupling as small. Measured: 9 of 10 runs weakly coupled on that scale, each
    // below 5e-14; the tenth ran CMA-ES alone (2.89).
    let runs: Vec<(f64, Vec<Decision>)> = (1..=10).map(|seed| run(logged, 10, 5.12, 3_000, seed)).collect();
    let routed: Vec<&(f64, Vec<Decision>)> = runs
        .iter()
        .filter(|(_, d)| {
            d.iter().any(|d| {
                matches!(
                    d,
                    Decision::Probed {
                        weakly_coupled: true,
                        scale: AdditiveScale::Exp,
                        ..
                    }
                )
            })
        })
        .collect();
    assert!(routed.len() >= 7, "{runs:?}");
    assert!(routed.iter().all(|(value, _)| *value < 1e-9), "{routed:?}");
    // The line searches check their sweeps on that scale too, and find no coupling there.
    let checked_on_exp = routed.iter().all(|(_, d)| {
        d.iter()
            .any(|d| matches!(d, Decision::LineSearchesEnded { coupled: false, .. }))
    });
    assert!(checked_on_exp, "{routed:?}");
}

/// Points with `Σx ≥ 2√10` feasible (a quarter of `[-5, 5]^10`), `+∞` elsewhere, the
/// optimum on that face: the probe's pairs meet infinite values and give no evidence, and
/// with a finite value known the problem goes the coupled way (CMA-ES alone from the best
/// point, stepping back from generations of nothing but `+∞`) instead of the portfolio.
#[test]
fn a_probe_blocked_by_infinite_values_goes_the_coupled_way() {
    let face = 2.0 * 10f64.sqrt();
    let slab = |x: &[f64]| {
        if x.iter().sum::<f64>() < face {
            f64::INFINITY
        } else {
            x.iter().map(|v| v * v).sum::<f64>() - 4.0
        }
    };
    let mut values = Vec::new();
    let mut blocked = 0;
    for seed in 1..=10 {
        let auto = Auto::new(Space::cube(10, -5.0, 5.0).unwrap(), AutoConfig::default()).unwrap();
        let outcome = Minimize::new(slab, auto).budget(1000).seed(seed).run().unwrap();
        if outcome
            .sampler
            .decisions()
            .iter()
            .any(|d| matches!(d, Decision::Probed { defect, separable: false, .. } if defect.is_nan()))
        {
            blocked += 1;
            values.push(outcome.best.value);
        }
    }
    // Measured: 5 of 10 seeds blocked, ending at 0.0098–0.029 (the portfolio on the same
    // seeds 0.010–0.086). On 4 others a pair of the probe was wholly feasible, additive
    // there, and the problem counted as separable; on 1 no value was finite yet.
    assert!(blocked >= 3, "{blocked} of 10 blocked");
    assert!(values.iter().all(|&v| v < 0.05), "{values:?}");
}

/// The probe repeats a base to tell noise: the first of finite value, since `+∞` told
/// twice says nothing. `Σx ≥ 2√10` feasible in `[-5, 5]^10` (a quarter of the box), noise
/// of 1 % of the scale inside: the first point is infeasible on most seeds.
#[test]
fn the_noise_repeat_takes_a_base_of_finite_value() {
    let face = 2.0 * 10f64.sqrt();
    let mut found = 0;
    for seed in 1..=10 {
        let noise = std::cell::RefCell::new(zoo_core::ZooRng::seed_from(100 + seed));
        let slab = |x: &[f64]| {
            if x.iter().sum::<f64>() < face {
                f64::INFINITY
            } else {
                x.iter().map(|v| v * v).sum::<f64>() * (1.0 + 0.01 * noise.borrow_mut().normal())
            }
        };
        let auto = Auto::new(Space::cube(10, -5.0, 5.0).unwrap(), AutoConfig::default()).unwrap();
        let outcome = Minimize::new(slab, auto).budget(1000).seed(seed).run().unwrap();
        found += usize::from(
            outcome
                .sampler
                .decisions()
                .iter()
                .any(|d| matches!(d, Decision::Probed { noisy: true, .. })),
        );
    }
    // Measured: noise found on 9 of 10 seeds (2 when the first base was repeated).
    assert!(found >= 7, "noise found on {found} of 10 seeds");
}

/// A separable function over labels: each coordinate's cost per value from a fixed table
/// (30 labels of 5 values, 0 at the optimum).
fn label_table(x: &[f64]) -> f64 {
    x.iter()
        .enumerate()
        .map(|(j, v)| {
            let best = (j * 7 % 5) as f64;
            if (v - best).abs() < 0.5 {
                0.0
            } else {
                1.0 + ((j * 3 + *v as usize) % 4) as f64
            }
        })
        .sum()
}

fn labels(n: usize, values: i64) -> Space {
    Space::new(vec![zoo_core::Dimension::unordered(0, values - 1).unwrap(); n]).unwrap()
}

/// Separable labels have no order for line searches: the value sweeps evaluate every other
/// value of each coordinate and find the optimum in one sweep, sequential or in parallel
/// batches. SRACOS alone is still above it at this budget.
#[test]
fn separable_labels_are_swept_value_by_value() {
    use zoo_core::Parallel;
    let space = labels(30, 5);
    let mut sracos = Vec::new();
    for seed in 1..=5 {
        for batch in [1, 4] {
            let auto = Auto::new(space.clone(), AutoConfig::default()).unwrap();
            let outcome = Minimize::new(label_table, auto)
                .budget(400)
                .seed(seed)
                .threads(if batch > 1 { 2 } else { 1 })
                .parallel(Parallel::Batch { size: batch })
                .run()
                .unwrap();
            assert_eq!(outcome.evaluations, 400);
            let decisions = outcome.sampler.decisions();
            let swept = decisions.iter().find_map(|d| match d {
                Decision::ValueSweepsEnded { sweeps, value, .. } => Some((*sweeps, *value)),
                _ => None,
            });
            // One sweep to the optimum (4 × 30 moves and the combined point), one that
            // finds nothing more.
            assert_eq!(swept, Some((2, 0.0)), "seed {seed}, batch {batch}: {decisions:?}");
            assert!(outcome.best.value.abs() < 1e-12);
        }
        let sracos_alone =
            zoo_racos::SRacos::new(space.clone(), zoo_racos::SRacosConfig::for_budget(400)).unwrap();
        sracos.push(
            Minimize::new(label_table, sracos_alone)
                .budget(400)
                .seed(seed)
                .run()
                .unwrap()
                .best
                .value,
        );
    }
    assert!(median(&sracos) > 0.0, "{sracos:?}");
}

/// A coupled problem over labels (a chain of pairwise costs) keeps the probe's coupled
/// route: no value sweeps.
#[test]
fn coupled_labels_are_not_swept() {
    fn chain(x: &[f64]) -> f64 {
        x.windows(2)
            .map(|w| ((w[0] * 3.0 + w[1]) % 5.0 - 2.0).abs())
            .sum()
    }
    for seed in 1..=3 {
        let auto = Auto::new(labels(20, 5), AutoConfig::default()).unwrap();
        let outcome = Minimize::new(chain, auto).budget(1_000).seed(seed).run().unwrap();
        let decisions = outcome.sampler.decisions();
        assert!(
            decisions
                .iter()
                .any(|d| matches!(d, Decision::Probed { separable: false, .. }))
                && !decisions
                    .iter()
                    .any(|d| matches!(d, Decision::ValueSweeps { .. })),
            "seed {seed}: {decisions:?}"
        );
    }
}

/// Continuous coordinates in `[-5, 5]` (even indices) and labels of 20 values (odd), and a
/// separable function of them: `g` of each continuous coordinate less its shift, and a
/// cost per label value that is 0 at one value.
fn mixed_separable(x: &[f64], g: fn(f64) -> f64) -> f64 {
    x.iter()
        .enumerate()
        .map(|(j, v)| {
            if j % 2 == 0 {
                g(v - 1.3 + 0.2 * j as f64)
            } else if (*v - (j * 7 % 20) as f64).abs() < 0.5 {
                0.0
            } else {
                1.0 + ((j + *v as usize) % 3) as f64
            }
        })
        .sum()
}

fn mixed_space(n: usize) -> Space {
    Space::new((0..n).map(|j| {
        if j % 2 == 0 {
            zoo_core::Dimension::continuous(-5.0, 5.0).unwrap()
        } else {
            zoo_core::Dimension::unordered(0, 19).unwrap()
        }
    }))
    .unwrap()
}

/// A separable function over continuous coordinates and labels: after the profiles, one
/// value sweep sets the labels, and the line searches (scanning, where a profile saw
/// several minima) take the continuous coordinates, to the optimum.
#[test]
fn a_separable_mixed_space_sweeps_its_labels_then_searches_along_the_lines() {
    fn square(v: f64) -> f64 {
        v * v
    }
    fn rastrigin_1(v: f64) -> f64 {
        v * v - 10.0 * (2.0 * std::f64::consts::PI * v).cos() + 10.0
    }
    for (g, scanning) in [(square as fn(f64) -> f64, false), (rastrigin_1, true)] {
        for seed in 1..=3 {
            let auto = Auto::new(mixed_space(10), AutoConfig::default()).unwrap();
            let outcome = Minimize::new(|x: &[f64]| mixed_separable(x, g), auto)
                .budget(2_000)
                .seed(seed)
                .run()
                .unwrap();
            let decisions = outcome.sampler.decisions();
            let swept = decisions.iter().position(|d| {
                matches!(
                    d,
                    Decision::ValueSweeps {
                        labels_only: true,
                        ..
                    }
                )
            });
            let searched = decisions
                .iter()
                .position(|d| matches!(d, Decision::LineSearches { scanning: s, .. } if *s == scanning));
            assert!(
                swept.is_some() && searched > swept,
                "scanning {scanning}, seed {seed}: {decisions:?}"
            );
            // Line searches end at rounding; before the sweep, on a problem of this shape
            // (10 coordinates, labels of 20 values, 2,000 evaluations), the medians were
            // 0.42 and 0.39 (docs/which-algorithm.md).
            assert!(
                outcome.best.value < 1e-9,
                "scanning {scanning}, seed {seed}: {}",
                outcome.best.value
            );
        }
    }
}

/// On bits the value sweeps run on coupled problems too, as a local search that changes
/// one bit at a time: leading ones (`n` less the ones before the first zero, a plateau
/// after it), where CMA-ES alone stalls, is solved.
#[test]
fn coupled_bits_are_swept_as_a_local_search() {
    fn leading_ones(x: &[f64]) -> f64 {
        (x.len() - x.iter().take_while(|v| **v > 0.5).count()) as f64
    }
    let (mut cmaes, mut coupled) = (Vec::new(), 0);
    for seed in 1..=5 {
        let auto = Auto::new(Space::binary(30).unwrap(), AutoConfig::default()).unwrap();
        let outcome = Minimize::new(leading_ones, auto)
            .budget(1_500)
            .seed(seed)
            .run()
            .unwrap();
        let decisions = outcome.sampler.decisions();
        coupled += decisions
            .iter()
            .filter(|d| matches!(d, Decision::Probed { separable: false, .. }))
            .count();
        assert!(
            decisions
                .iter()
                .any(|d| matches!(d, Decision::ValueSweeps { .. })),
            "seed {seed}: {decisions:?}"
        );
        assert!(
            outcome.best.value.abs() < 0.5,
            "seed {seed}: {}",
            outcome.best.value
        );
        let alone =
            zoo_cmaes::CmaEs::new(Space::binary(30).unwrap(), zoo_cmaes::CmaEsConfig::default()).unwrap();
        cmaes.push(
            Minimize::new(leading_ones, alone)
                .budget(1_500)
                .seed(seed)
                .run()
                .unwrap()
                .best
                .value,
        );
    }
    // The probe's random points mostly see the plateau's coupling; some see only the sum.
    assert!(coupled >= 3, "{coupled} coupled verdicts");
    // Measured: CMA-ES alone leaves 8.5 bits in the median of seeds 1–10.
    assert!(median(&cmaes) >= 1.0, "{cmaes:?}");
}

/// A coupled problem over many-valued integers (a rotated ellipsoid over 10 integers of
/// 101 values each, its minimizer inside the range): CMA-ES alone, its integer
/// coordinates learnt no further than a cell beyond their range. Measured on seeds 1–10:
/// median 4.9; 46 when they were learnt as drawn (`auto` before the limit), 79 for
/// zoo-cmaes's default.
#[test]
fn coupled_integer_problems_keep_cmaes_near_the_range() {
    let mut rng = zoo_core::ZooRng::seed_from(7);
    let (space, f) = zoo_core::testing::functions::rotated_integer_ellipsoid(10, &mut rng).unwrap();
    let values: Vec<f64> = (1..=10)
        .map(|seed| {
            let auto = Auto::new(space.clone(), AutoConfig::default()).unwrap();
            let outcome = Minimize::new(&f, auto).budget(1_000).seed(seed).run().unwrap();
            assert_eq!(probed(outcome.sampler.decisions()), Some(false));
            outcome.best.value
        })
        .collect();
    assert!(median(&values) < 20.0, "{values:?}");
}
