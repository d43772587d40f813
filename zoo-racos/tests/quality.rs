//! Quality at ZOOpt's budgets: medians over seeds 1–10 against the medians measured on
//! ZOOpt 0.4.2 (problems P1–P4). The thresholds are ZOOpt's figures; zoo's medians sit
//! well below them for P1–P3 (see docs/racos.md), so the checks are not on a knife edge.

use zoo_core::testing::functions::{ackley, rastrigin, set_cover, sphere};
use zoo_core::{ConfigError, Minimize, RandomSearch, Sampler, Space};
use zoo_racos::{Racos, RacosConfig, SRacos, SRacosConfig};

fn median_over_seeds<S: Sampler<Solution = Vec<f64>>>(
    f: fn(&[f64]) -> f64,
    budget: u64,
    build: impl Fn() -> Result<S, ConfigError>,
) -> f64 {
    let mut values: Vec<f64> = (1..=10)
        .map(|seed| {
            let outcome = Minimize::new(f, build().unwrap())
                .budget(budget)
                .seed(seed)
                .run()
                .unwrap();
            assert_eq!(outcome.evaluations, budget);
            outcome.best.value
        })
        .collect();
    values.sort_by(f64::total_cmp);
    (values[4] + values[5]) / 2.0
}

#[test]
fn sracos_beats_zoopt_on_ackley_100() {
    let space = Space::cube(100, -1.0, 1.0).unwrap();
    let m = median_over_seeds(ackley, 10_000, || {
        SRacos::new(space.clone(), SRacosConfig::for_budget(10_000))
    });
    assert!(m <= 0.087, "median {m}");
}

#[test]
fn sracos_beats_zoopt_on_sphere_100() {
    let space = Space::cube(100, -1.0, 1.0).unwrap();
    let m = median_over_seeds(sphere, 10_000, || {
        SRacos::new(space.clone(), SRacosConfig::for_budget(10_000))
    });
    assert!(m <= 0.039, "median {m}");
}

#[test]
fn sracos_beats_zoopt_on_rastrigin_20() {
    let space = Space::cube(20, -5.12, 5.12).unwrap();
    let m = median_over_seeds(rastrigin, 5_000, || {
        SRacos::new(space.clone(), SRacosConfig::for_budget(5_000))
    });
    assert!(m <= 4.94, "median {m}");
}

#[test]
fn racos_beats_zoopt_on_ackley_100() {
    let space = Space::cube(100, -1.0, 1.0).unwrap();
    let m = median_over_seeds(ackley, 10_000, || {
        Racos::new(space.clone(), RacosConfig::for_budget(10_000))
    });
    assert!(m <= 0.134, "median {m}");
}

/// Set cover's outcomes are a handful of local optima (0.9895, 1.0913, 1.0923, 1.1416, …);
/// ten seeds land on either side of ZOOpt's median 1.092 (see docs/racos.md for the
/// 200-seed distribution), so this checks a safe bound and the gap to random search.
#[test]
fn sracos_solves_set_cover_far_better_than_random_search() {
    let config = || SRacosConfig {
        learning: RacosConfig {
            train_size: 6,
            positive_size: 1,
            ..RacosConfig::for_budget(2_000)
        },
        ..SRacosConfig::for_budget(2_000)
    };
    let m = median_over_seeds(set_cover, 2_000, || SRacos::new(Space::binary(20)?, config()));
    let random = median_over_seeds(set_cover, 2_000, || Ok(RandomSearch::new(Space::binary(20)?)));
    assert!(m <= 1.2, "median {m}");
    assert!(m < random - 0.3, "SRACOS {m} vs random {random}");
}

#[test]
fn set_cover_never_evaluates_a_point_twice() {
    let seen = std::cell::RefCell::new(std::collections::HashSet::new());
    let objective = |x: &[f64]| {
        let bits: Vec<u8> = x.iter().map(|&v| v as u8).collect();
        assert!(seen.borrow_mut().insert(bits), "point evaluated twice");
        set_cover(x)
    };
    let space = Space::binary(20).unwrap();
    let outcome = Minimize::new(
        objective,
        SRacos::new(space, SRacosConfig::for_budget(2_000)).unwrap(),
    )
    .budget(2_000)
    .seed(3)
    .run()
    .unwrap();
    assert_eq!(outcome.evaluations, 2_000);
}

#[test]
fn a_duplicate_tolerance_makes_a_continuous_space_finite() {
    // Cells of width 0.25 on [0, 1): at most 4 cells plus the point 1.0 itself, each
    // evaluated once; exact comparison would spend the whole budget.
    let space = Space::new([zoo_core::Dimension::continuous(0.0, 1.0).unwrap()]).unwrap();
    let mut config = SRacosConfig::for_budget(100);
    config.learning.duplicate_tolerance = Some(0.25);
    let outcome = Minimize::new(|x: &[f64]| x[0], SRacos::new(space.clone(), config).unwrap())
        .budget(100)
        .seed(1)
        .run()
        .unwrap();
    assert!(outcome.evaluations <= 5, "{} evaluations", outcome.evaluations);
    assert_eq!(outcome.stop, zoo_core::StopReason::Exhausted);
    let exact = Minimize::new(
        |x: &[f64]| x[0],
        SRacos::new(space, SRacosConfig::for_budget(100)).unwrap(),
    )
    .budget(100)
    .seed(1)
    .run()
    .unwrap();
    assert_eq!(exact.evaluations, 100);
    let mut bad = SRacosConfig::for_budget(100);
    bad.learning.duplicate_tolerance = Some(0.0);
    let one_d = Space::new([zoo_core::Dimension::continuous(0.0, 1.0).unwrap()]).unwrap();
    assert!(SRacos::new(one_d, bad).is_err());
}

#[test]
fn small_discrete_space_is_enumerated_then_exhausted() {
    // 3 × 4 = 12 points: every one is evaluated once, then the run ends cleanly.
    let space = Space::new([
        zoo_core::Dimension::integer(0, 2).unwrap(),
        zoo_core::Dimension::categorical(["a", "b", "c", "d"]).unwrap(),
    ])
    .unwrap();
    let outcome = Minimize::new(
        |x: &[f64]| x[0] + x[1],
        SRacos::new(space, SRacosConfig::for_budget(100)).unwrap(),
    )
    .budget(100)
    .seed(1)
    .run()
    .unwrap();
    assert_eq!(outcome.evaluations, 12);
    assert_eq!(outcome.stop, zoo_core::StopReason::Exhausted);
    assert!(outcome.best.value.abs() < 1e-12);
}
