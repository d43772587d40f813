//! Issue #13 for RACOS and SRACOS: warm starts of the wrong length or outside the space,
//! and retry limits on spaces of one point, end in typed errors or clean stops.

#![allow(clippy::float_cmp)]

use std::time::{Duration, Instant};

use zoo_core::{ConfigError, Dimension, Ledger, Minimize, RunError, Sampler, Space, StopReason};
use zoo_racos::{MAX_RETRIES, Racos, RacosConfig, SRacos, SRacosConfig};

fn sphere(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum()
}

fn sracos(space: Space) -> SRacos {
    SRacos::new(space, SRacosConfig::for_budget(200)).unwrap()
}

#[test]
fn a_known_solution_of_the_wrong_length_is_a_typed_error_not_a_classifier_panic() {
    let space = Space::cube(3, -1.0, 1.0).unwrap();
    let run = Minimize::new(sphere, sracos(space.clone()))
        .budget(200)
        .warm_start_evaluated([(vec![0.1, 0.2], 0.05)])
        .run();
    assert!(matches!(run, Err(RunError::InvalidState(_))), "{run:?}");
    let mut ledger = Ledger::new(sracos(space.clone())).budget(200);
    assert!(ledger.tell_known(vec![0.1; 4], 0.0).is_err());
    assert!(ledger.tell_known(vec![f64::NAN, 0.0, 0.0], 0.0).is_err());
    assert!(ledger.tell_known(vec![0.0, 7.0, 0.0], 0.0).is_err());
    // Told to the sampler directly (no ledger), such points are ignored: the classifier
    // never sees them.
    let mut direct = sracos(space.clone());
    direct.tell(vec![0.1, 0.2], -1.0);
    direct.tell(vec![f64::NAN, 0.0, 0.0], -1.0);
    assert!(direct.best().is_none());
    let outcome = Minimize::new(sphere, direct).budget(200).run().unwrap();
    assert!(space.contains(&outcome.best.x));
}

#[test]
fn max_retries_is_bounded_and_a_one_point_space_ends_at_once() {
    let one = Space::new([Dimension::continuous(0.5, 0.5).unwrap()]).unwrap();
    let too_many = RacosConfig {
        max_retries: usize::MAX,
        ..RacosConfig::for_budget(50)
    };
    assert!(matches!(
        Racos::new(one.clone(), too_many),
        Err(ConfigError::OutOfRange {
            name: "max_retries",
            ..
        })
    ));
    let most = SRacosConfig {
        learning: RacosConfig {
            max_retries: MAX_RETRIES,
            ..RacosConfig::for_budget(50)
        },
        ..SRacosConfig::for_budget(50)
    };
    let started = Instant::now();
    let outcome = Minimize::new(sphere, SRacos::new(one, most).unwrap())
        .budget(50)
        .run()
        .unwrap();
    assert_eq!(outcome.evaluations, 1);
    assert_eq!(outcome.stop, StopReason::Exhausted);
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// A space of 125 points: 100 random draws miss the last unseen one almost half of the
/// time, so the run must list the space before it calls it exhausted.
#[test]
fn a_small_space_is_exhausted_only_when_every_point_was_evaluated() {
    let space = Space::new(vec![Dimension::integer(0, 4).unwrap(); 3]).unwrap();
    let needle = |x: &[f64]| {
        if x == [4.0, 4.0, 4.0] {
            0.0
        } else {
            1.0 + 0.01 * x.iter().sum::<f64>()
        }
    };
    for seed in 1..=6 {
        let outcome = Minimize::new(needle, sracos(space.clone()))
            .budget(300)
            .seed(seed)
            .run()
            .unwrap();
        assert_eq!(outcome.stop, StopReason::Exhausted, "seed {seed}");
        assert_eq!(outcome.evaluations, 125, "seed {seed}");
        assert_eq!(outcome.best.value, 0.0, "seed {seed}");
        let racos = Racos::new(space.clone(), RacosConfig::for_budget(300)).unwrap();
        let outcome = Minimize::new(needle, racos).budget(300).seed(seed).run().unwrap();
        assert_eq!(
            (outcome.evaluations, outcome.best.value),
            (125, 0.0),
            "RACOS seed {seed}"
        );
    }
}

/// One state, one serialisation: a checkpoint read back and written again is the same
/// bytes (the set of seen points is written in order, whatever the hash order).
#[test]
fn a_checkpoint_written_again_is_the_same_bytes() {
    let space = Space::cube(4, -1.0, 1.0).unwrap();
    let mut run = Minimize::new(sphere, sracos(space)).budget(200).seed(4);
    run.advance(120).unwrap();
    let first = serde_json::to_string(run.ledger()).unwrap();
    for _ in 0..3 {
        let again: Ledger<SRacos> = serde_json::from_str(&first).unwrap();
        assert_eq!(serde_json::to_string(&again).unwrap(), first);
    }
}
