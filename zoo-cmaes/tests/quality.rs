//! Short quality checks with loose thresholds over several seeds (the full measurements
//! are in `examples/quality.rs` and `docs/cmaes.md`).

use zoo_cmaes::{Boundary, CmaEs, CmaEsConfig, Restarts, SepCmaEs};
use zoo_core::testing::functions::{rastrigin, set_cover, sphere};
use zoo_core::{Dimension, Minimize, Parallel, Sampler, Space};

fn best<S: Sampler<Solution = Vec<f64>>>(
    f: impl Fn(&[f64]) -> f64,
    sampler: S,
    budget: u64,
    seed: u64,
) -> f64 {
    Minimize::new(f, sampler)
        .budget(budget)
        .seed(seed)
        .run()
        .unwrap()
        .best
        .value
}

#[test]
fn sphere_converges_on_every_seed() {
    let space = Space::cube(10, -1.0, 1.0).unwrap();
    for seed in 1..=5 {
        let v = best(
            sphere,
            CmaEs::new(space.clone(), CmaEsConfig::default()).unwrap(),
            2_500,
            seed,
        );
        assert!(v < 1e-10, "seed {seed}: {v}");
        let v = best(
            sphere,
            SepCmaEs::new(space.clone(), CmaEsConfig::default()).unwrap(),
            2_500,
            seed,
        );
        assert!(v < 1e-10, "sep, seed {seed}: {v}");
    }
}

#[test]
fn optimum_on_the_boundary_is_approached() {
    // The minimum sits on a corner of the box: the mirror must let the mean get there.
    let space = Space::cube(5, 0.0, 1.0).unwrap();
    let f = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>();
    for seed in 1..=5 {
        let v = best(
            f,
            CmaEs::new(space.clone(), CmaEsConfig::default()).unwrap(),
            2_000,
            seed,
        );
        assert!(v < 1e-8, "seed {seed}: {v}");
    }
}

#[test]
fn the_boundary_penalty_reaches_optima_inside_and_on_the_bounds() {
    let space = Space::cube(5, 0.0, 1.0).unwrap();
    let penalty = CmaEsConfig {
        boundary: Boundary::Penalty,
        ..CmaEsConfig::default()
    };
    let corner = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>();
    let inside = |x: &[f64]| x.iter().map(|v| (v - 0.3).powi(2)).sum::<f64>();
    for seed in 1..=5 {
        let v = best(
            corner,
            CmaEs::new(space.clone(), penalty.clone()).unwrap(),
            2_000,
            seed,
        );
        assert!(v < 1e-8, "corner, seed {seed}: {v}");
        let v = best(
            inside,
            CmaEs::new(space.clone(), penalty.clone()).unwrap(),
            2_000,
            seed,
        );
        assert!(v < 1e-8, "inside, seed {seed}: {v}");
    }
}

#[test]
fn integer_coordinates_reach_the_optimum() {
    let space = Space::new(std::iter::repeat_n(Dimension::integer(-10, 10).unwrap(), 10)).unwrap();
    let f = |x: &[f64]| x.iter().map(|v| (v - 3.0).powi(2)).sum::<f64>();
    for seed in 1..=5 {
        let v = best(
            f,
            CmaEs::new(space.clone(), CmaEsConfig::default()).unwrap(),
            1_500,
            seed,
        );
        assert!(v == 0.0, "seed {seed}: {v}");
    }
}

/// A rotated ellipsoid over 10 integers of 101 values each, its minimizer inside the
/// range: learnt as drawn, the integer coordinates' mean drifts beyond the range, where
/// the value no longer changes with them; a reach of one cell keeps it near (measured,
/// seeds 1–10 at 1,000 evaluations: medians 79 as drawn, 2.5 with the reach).
#[test]
fn a_limited_integer_reach_keeps_the_mean_near_an_interior_minimizer() {
    let mut rng = zoo_core::ZooRng::seed_from(7);
    let (space, f) = zoo_core::testing::functions::rotated_integer_ellipsoid(10, &mut rng).unwrap();
    let medians = [None, Some(1.0)].map(|integer_reach| {
        let config = CmaEsConfig {
            integer_reach,
            ..CmaEsConfig::default()
        };
        let values: Vec<f64> = (1..=5)
            .map(|seed| {
                best(
                    &f,
                    CmaEs::new(space.clone(), config.clone()).unwrap(),
                    1_000,
                    seed,
                )
            })
            .collect();
        zoo_core::testing::median(&values)
    });
    // Measured on these seeds: 120 as drawn, 2.2 with the reach.
    assert!(medians[1] < 10.0 && medians[1] < medians[0] / 5.0, "{medians:?}");
}

/// Optima at the ends of integer ranges: with the margin, integer coordinates are learnt
/// as drawn and settle beyond the end value, instead of piling up on it (measured with
/// projected integer coordinates: 0.008–0.16 on these seeds for the lower ends, 57–59
/// in the median for the integer-only corner).
#[test]
fn integer_optima_at_the_ends_of_their_ranges_are_reached() {
    let mixed = |upper: bool| {
        let space = Space::new((0..30).map(|i| {
            if i % 2 == 0 {
                Dimension::continuous(0.0, 1.0).unwrap()
            } else {
                Dimension::integer(0, 100).unwrap()
            }
        }))
        .unwrap();
        let target = move |i: usize| match (upper, i % 2) {
            (false, _) => 0.0,
            (true, 0) => 1.0,
            (true, _) => 100.0,
        };
        (space, move |x: &[f64]| {
            x.iter()
                .enumerate()
                .map(|(i, v)| (v - target(i)).powi(2))
                .sum::<f64>()
        })
    };
    for upper in [false, true] {
        let (space, f) = mixed(upper);
        for seed in 1..=5 {
            let v = best(
                f,
                CmaEs::new(space.clone(), CmaEsConfig::default()).unwrap(),
                3_000,
                seed,
            );
            assert!(v < 1e-5, "upper {upper}, seed {seed}: {v}");
        }
    }
    let space = Space::new(std::iter::repeat_n(Dimension::integer(0, 40).unwrap(), 15)).unwrap();
    let corner = |x: &[f64]| {
        x.iter()
            .map(|v| v + 3.0 * (1.0 - (v * 0.5 * std::f64::consts::PI).cos()))
            .sum::<f64>()
    };
    let solved = (1..=5)
        .filter(|&seed| {
            best(
                corner,
                CmaEs::new(space.clone(), CmaEsConfig::default()).unwrap(),
                2_000,
                seed,
            ) == 0.0
        })
        .count();
    assert!(solved >= 4, "the integer corner solved on {solved} of 5 seeds");
}

#[test]
fn restarts_find_better_rastrigin_basins_than_one_run() {
    let space = Space::cube(5, -5.12, 5.12).unwrap();
    let median = |restarts| {
        let config = CmaEsConfig {
            restarts,
            ..CmaEsConfig::default()
        };
        let mut values: Vec<f64> = (1..=7)
            .map(|seed| {
                best(
                    rastrigin,
                    CmaEs::new(space.clone(), config.clone()).unwrap(),
                    5_000,
                    seed,
                )
            })
            .collect();
        values.sort_by(f64::total_cmp);
        values[3]
    };
    let (off, ipop, bipop) = (
        median(Restarts::Off),
        median(Restarts::Ipop),
        median(Restarts::Bipop),
    );
    assert!(ipop < 3.0 && ipop < off, "IPOP {ipop}, one run {off}");
    // BIPOP spends half its restarts on small local runs: on Rastrigin at this budget it
    // is no better than one long run, and never worse.
    assert!(bipop <= off + 1e-9, "BIPOP {bipop}, one run {off}");
}

#[test]
fn set_cover_finds_a_cheap_cover() {
    let space = Space::binary(20).unwrap();
    let mut values: Vec<f64> = (1..=5)
        .map(|seed| {
            best(
                set_cover,
                CmaEs::new(space.clone(), CmaEsConfig::default()).unwrap(),
                2_000,
                seed,
            )
        })
        .collect();
    values.sort_by(f64::total_cmp);
    assert!(values[2] < 1.2, "{values:?}");
}

#[test]
fn batches_larger_than_a_generation_still_converge() {
    let space = Space::cube(8, -1.0, 1.0).unwrap();
    let outcome = Minimize::new(sphere, CmaEs::new(space, CmaEsConfig::default()).unwrap())
        .budget(4_000)
        .seed(3)
        .threads(2)
        .parallel(Parallel::Batch { size: 24 })
        .run()
        .unwrap();
    assert!(outcome.best.value < 1e-8, "{}", outcome.best.value);
}

#[test]
fn asynchronous_workers_still_converge() {
    // Tells arrive in completion order and the sampler is asked before a generation's
    // values are all in; the run is not reproducible, the convergence is.
    let space = Space::cube(8, -1.0, 1.0).unwrap();
    let outcome = Minimize::new(sphere, SepCmaEs::new(space, CmaEsConfig::default()).unwrap())
        .budget(4_000)
        .seed(5)
        .threads(2)
        .parallel(Parallel::Async)
        .run()
        .unwrap();
    assert_eq!(outcome.evaluations, 4_000);
    assert!(outcome.best.value < 1e-8, "{}", outcome.best.value);
}

/// A sphere whose minimizer lies beyond the box in some coordinates: the minimum over
/// the box is on its boundary, at the minimizer's projection. Projection converges slowly
/// there; turning to the penalty once a run has ended on a bound reaches the minimum.
/// With the minimizer inside the box the runs are the same as without the setting.
#[test]
fn a_penalty_after_a_run_on_a_bound_reaches_an_optimum_beyond_the_box() {
    let sphere_at = |minimizer: Vec<f64>| {
        move |x: &[f64]| -> f64 { x.iter().zip(&minimizer).map(|(a, b)| (a - b).powi(2)).sum() }
    };
    let beyond: Vec<f64> = (0..10).map(|i| 1.6 * (i as f64 * 1.7).cos()).collect();
    let floor: f64 = beyond.iter().map(|b| (b - b.clamp(-1.0, 1.0)).powi(2)).sum();
    let space = Space::cube(10, -1.0, 1.0).unwrap();
    let config = |restart_boundary| CmaEsConfig {
        restart_boundary,
        ..CmaEsConfig::default()
    };
    let (mut projected, mut turned) = (Vec::new(), Vec::new());
    for seed in 1..=9 {
        let f = sphere_at(beyond.clone());
        projected.push(best(&f, CmaEs::new(space.clone(), config(None)).unwrap(), 10_000, seed) - floor);
        let turning = CmaEs::new(space.clone(), config(Some(Boundary::Penalty))).unwrap();
        turned.push(best(&f, turning, 10_000, seed) - floor);
    }
    projected.sort_by(f64::total_cmp);
    turned.sort_by(f64::total_cmp);
    // Measured (the excess over the minimum): projected 0.045–0.18 on all 9 seeds; turned
    // below 4e-15 on 6, the other 3 never ended a run on the bound within the budget.
    assert!(
        turned[4] < 1e-8 && projected[4] > 1e3 * turned[4].max(1e-15),
        "{projected:?} {turned:?}"
    );
    assert!(projected[0] > 0.01, "{projected:?}");
    let inside = sphere_at((0..10).map(|i| 0.6 * (i as f64 * 1.7).cos()).collect());
    for seed in 1..=3 {
        let plain = best(
            &inside,
            CmaEs::new(space.clone(), config(None)).unwrap(),
            3_000,
            seed,
        );
        let with = best(
            &inside,
            CmaEs::new(space.clone(), config(Some(Boundary::Penalty))).unwrap(),
            3_000,
            seed,
        );
        assert_eq!(plain.to_bits(), with.to_bits(), "seed {seed}");
    }
}
