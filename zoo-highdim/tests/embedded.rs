//! Behaviour of `Embedded` driven by the zoo-core run loop: the conformance checks that
//! apply to a continuous box, determinism, checkpoints, parallel runs and quality on P6.

#![allow(clippy::float_cmp)]

use zoo_core::testing::{conformance, median};
use zoo_core::{ConfigError, Ledger, Minimize, Parallel, Space};
use zoo_highdim::{Embedded, EmbeddingConfig, EmbeddingError};
use zoo_racos::{SRacos, SRacosConfig};

fn sracos(low: Space, budget: u64) -> Result<SRacos, ConfigError> {
    SRacos::new(low, SRacosConfig::for_budget(budget))
}

/// SRE with SRACOS inside, planned for `budget` evaluations, `d` low dimensions.
fn sre(space: &Space, budget: u64, d: usize) -> Embedded<SRacos> {
    let config = EmbeddingConfig {
        low_dimension: d,
        ..EmbeddingConfig::for_budget(budget)
    };
    Embedded::new(space, config, sracos).expect("a continuous box is accepted")
}

/// P6: `Σ_{i<10} (x_i − 0.2)² + Σ_{i≥10} (x_i − 0.2)² / D`.
fn p6(dim: usize) -> impl Fn(&[f64]) -> f64 {
    move |x: &[f64]| {
        let sq = |v: f64| (v - 0.2) * (v - 0.2);
        x[..10].iter().map(|&v| sq(v)).sum::<f64>() + x[10..].iter().map(|&v| sq(v)).sum::<f64>() / dim as f64
    }
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| v.to_bits()).collect()
}

#[test]
fn passes_the_conformance_checks_that_apply_to_a_box() {
    // Mixed spaces are rejected by design, so the checks built on them (points in a
    // mixed space, categorical values, tiny discrete spaces, seed and resume on the
    // mixed space) are replaced below by their continuous counterparts.
    let factory =
        |space: &Space| -> Result<Embedded<SRacos>, ConfigError> { Ok(sre(space, 300, space.len().min(2))) };
    conformance::survives_nan_and_infinite_values(&factory);
    conformance::warm_start_is_used(&factory);
    conformance::stops_exactly_at_budget(&factory);
    conformance::refuses_bad_warm_starts(&factory);
}

#[test]
fn damaged_checkpoints_are_refused_or_continue_inside_the_box() {
    let space = Space::cube(12, -1.0, 1.0).unwrap();
    let sphere = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>();
    let mut run = Minimize::new(sphere, sre(&space, 300, 3)).budget(300).seed(4);
    assert_eq!(run.advance(130).unwrap(), None);
    let continued = conformance::survives_damaged_checkpoints(run.ledger(), |x: &Vec<f64>| sphere(x), 300, 4);
    assert!(continued > 0 && continued < 300, "{continued}");
}

#[test]
fn every_reachable_state_restores() {
    let space = Space::cube(12, -1.0, 1.0).unwrap();
    let sphere = |x: &Vec<f64>| x.iter().map(|v| v * v).sum::<f64>();
    conformance::every_reachable_state_restores(Ledger::new(sre(&space, 300, 3)).budget(300).seed(4), sphere);
}

#[test]
fn an_overflowing_embedding_variance_is_a_config_error() {
    let space = Space::cube(20, -1.0, 1.0).unwrap();
    for variance in [1e80, f64::MAX, f64::INFINITY] {
        let config = EmbeddingConfig {
            variance: Some(variance),
            ..EmbeddingConfig::for_budget(100)
        };
        let err = Embedded::new(&space, config, sracos).unwrap_err();
        assert!(
            matches!(
                err,
                EmbeddingError::Config(ConfigError::OutOfRange { name: "variance", .. })
            ),
            "{variance}: {err:?}"
        );
    }
    // The largest accepted variance still gives finite points.
    let config = EmbeddingConfig {
        variance: Some(1e60),
        ..EmbeddingConfig::for_budget(100)
    };
    let outcome = Minimize::new(|x: &[f64]| x[0], Embedded::new(&space, config, sracos).unwrap())
        .budget(100)
        .run()
        .unwrap();
    assert!(outcome.best.x.iter().all(|v| v.is_finite()));
}

#[test]
fn rejects_the_conformance_mixed_space_with_a_typed_error() {
    let err = Embedded::new(
        &conformance::mixed_space(),
        EmbeddingConfig::for_budget(100),
        sracos,
    )
    .unwrap_err();
    assert_eq!(err, EmbeddingError::NotContinuous { index: 1 });
}

#[test]
fn every_evaluated_point_lies_in_the_box_and_the_best_keeps_its_value() {
    let dim = 400;
    let space = Space::cube(dim, -1.0, 1.0).unwrap();
    let f = p6(dim);
    let on_bounds = std::cell::Cell::new(0usize);
    let checked = |x: &[f64]| {
        assert!(
            x.len() == dim && x.iter().all(|v| (-1.0..=1.0).contains(v)),
            "point outside the box"
        );
        on_bounds.set(on_bounds.get() + x.iter().filter(|v| v.abs() == 1.0).count());
        f(x)
    };
    // A large variance pushes many coordinates against the bounds.
    let config = EmbeddingConfig {
        variance: Some(4.0),
        ..EmbeddingConfig::for_budget(600)
    };
    let sampler = Embedded::new(&space, config, sracos).unwrap();
    let outcome = Minimize::new(checked, sampler).budget(600).seed(3).run().unwrap();
    assert_eq!(f(&outcome.best.x), outcome.best.value);
    assert!(on_bounds.get() > 0, "nothing was clipped");
}

#[test]
fn same_seed_gives_same_run_and_another_seed_does_not() {
    let dim = 500;
    let space = Space::cube(dim, -1.0, 1.0).unwrap();
    let run = |seed| {
        let outcome = Minimize::new(p6(dim), sre(&space, 400, 10))
            .budget(400)
            .seed(seed)
            .run()
            .unwrap();
        (bits(outcome.history.values()), bits(&outcome.best.x))
    };
    assert_eq!(run(0), run(0), "seed 0 did not reproduce");
    assert_eq!(run(9), run(9), "seed 9 did not reproduce");
    assert_ne!(run(0).0, run(9).0, "seeds 0 and 9 gave the same run");
}

#[test]
fn resumes_exactly_from_json_without_the_matrix() {
    let dim = 300;
    let space = Space::cube(dim, -1.0, 1.0).unwrap();
    let whole = Minimize::new(p6(dim), sre(&space, 500, 10))
        .budget(500)
        .seed(21)
        .run()
        .unwrap();
    // Pause inside a stage (137) and exactly at a stage boundary (200).
    for pause in [137, 200] {
        let mut first = Minimize::new(p6(dim), sre(&space, 500, 10)).budget(500).seed(21);
        assert_eq!(first.advance(pause).unwrap(), None);
        assert!(first.ledger().sampler().embedding().is_some());
        let json = serde_json::to_string(first.ledger()).unwrap();
        // The state holds seeds, not the 300×10 matrix.
        assert!(json.len() < 60_000, "state is {} bytes", json.len());
        let state: Ledger<Embedded<SRacos>> = serde_json::from_str(&json).unwrap();
        assert!(state.sampler().embedding().is_none());
        let resumed = Minimize::resume(p6(dim), state).run().unwrap();
        assert_eq!(
            bits(whole.history.values()),
            bits(resumed.history.values()),
            "diverged after {pause}"
        );
        assert_eq!(bits(&whole.best.x), bits(&resumed.best.x));
    }
}

#[test]
fn parallel_batches_reproduce_for_any_thread_count() {
    let dim = 300;
    let space = Space::cube(dim, -1.0, 1.0).unwrap();
    let run = |threads| {
        Minimize::new(p6(dim), sre(&space, 500, 10))
            .budget(500)
            .seed(4)
            .threads(threads)
            .parallel(Parallel::Batch { size: 7 })
            .run()
            .unwrap()
    };
    let (one, two) = (run(1), run(2));
    assert_eq!(one.evaluations, 500);
    assert_eq!(bits(one.history.values()), bits(two.history.values()));
    assert!(one.best.x.iter().all(|v| (-1.0..=1.0).contains(v)));
}

#[test]
fn sre_solves_p6_where_plain_sracos_cannot() {
    // P6 at 2,000 dimensions (10,000 in the example), ZOOpt's settings: budget 2,000,
    // 5 stages, d = 10. ZOOpt's SRE reaches a median of 0.158 at 10,000 dimensions.
    let dim = 2_000;
    let space = Space::cube(dim, -1.0, 1.0).unwrap();
    let f = p6(dim);
    let mut sre_values = Vec::new();
    let mut sracos_values = Vec::new();
    for seed in 1..=10 {
        let outcome = Minimize::new(&f, sre(&space, 2_000, 10))
            .budget(2_000)
            .seed(seed)
            .run()
            .unwrap();
        assert!(outcome.best.x.iter().all(|v| (-1.0..=1.0).contains(v)));
        sre_values.push(outcome.best.value);
        if seed <= 5 {
            let plain = SRacos::new(space.clone(), SRacosConfig::for_budget(2_000)).unwrap();
            sracos_values.push(
                Minimize::new(&f, plain)
                    .budget(2_000)
                    .seed(seed)
                    .run()
                    .unwrap()
                    .best
                    .value,
            );
        }
    }
    let (sre, plain) = (median(&sre_values), median(&sracos_values));
    assert!(sre <= 0.158, "SRE median {sre}");
    assert!(plain > 2.0 * sre, "plain SRACOS median {plain} vs SRE {sre}");
}
