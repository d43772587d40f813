//! The wrappers in whole runs: checkpoints that resume exactly (noise stream included),
//! parallel runs that keep the budget, determinism.

#![allow(clippy::float_cmp)]

use std::sync::atomic::{AtomicU64, Ordering};

use zoo_core::testing::functions::ackley;
use zoo_core::{Ledger, Minimize, Parallel, Space};
use zoo_noise::{Averaged, Noisy, Resampling, Suppressed, SuppressionConfig};
use zoo_racos::{SRacos, SRacosConfig};

const BUDGET: u64 = 3_000;

fn suppressed() -> Suppressed<SRacos> {
    let config = SuppressionConfig {
        non_update_allowed: 30,
        resample_times: 10,
        final_round: true,
        ..Default::default()
    };
    let sracos = SRacos::new(
        Space::cube(20, -1.0, 1.0).unwrap(),
        SRacosConfig::for_budget(BUDGET),
    )
    .unwrap();
    Suppressed::new(sracos, config).unwrap()
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| v.to_bits()).collect()
}

#[test]
fn suppressed_run_resumes_exactly_from_a_checkpoint() {
    let whole = Minimize::new(Noisy::new(ackley, 0.1, 9).unwrap(), suppressed())
        .budget(BUDGET)
        .seed(4)
        .run()
        .unwrap();

    let mut paused_mid_round = false;
    for pause in [500, 1_777, 2_991] {
        let noisy = Noisy::new(ackley, 0.1, 9).unwrap();
        let mut first = Minimize::new(&noisy, suppressed()).budget(BUDGET).seed(4);
        assert_eq!(first.advance(pause).unwrap(), None);
        paused_mid_round |= first.ledger().sampler().reestimation_evaluations() % 10 != 0;
        let state = serde_json::to_string(first.ledger()).unwrap();
        drop(first);
        // The noise stream is part of the experiment: save it too.
        let noise = serde_json::to_string(&noisy.stream()).unwrap();

        let state: Ledger<Suppressed<SRacos>> = serde_json::from_str(&state).unwrap();
        let noisy = Noisy::with_stream(ackley, 0.1, serde_json::from_str(&noise).unwrap()).unwrap();
        let resumed = Minimize::resume(noisy, state).run().unwrap();
        assert_eq!(
            bits(whole.history.values()),
            bits(resumed.history.values()),
            "pause at {pause}"
        );
        assert_eq!(whole.best, resumed.best);
    }
    assert!(paused_mid_round, "no pause fell inside a re-estimation round");
}

#[test]
fn parallel_runs_keep_the_budget_and_batches_are_reproducible() {
    let calls = AtomicU64::new(0);
    let counted = |x: &[f64]| {
        calls.fetch_add(1, Ordering::Relaxed);
        ackley(x)
    };
    for mode in [Parallel::Async, Parallel::Batch { size: 8 }] {
        calls.store(0, Ordering::Relaxed);
        let outcome = Minimize::new(counted, suppressed())
            .budget(BUDGET)
            .seed(2)
            .threads(2)
            .parallel(mode)
            .run()
            .unwrap();
        assert_eq!(outcome.evaluations, BUDGET);
        assert_eq!(calls.load(Ordering::Relaxed), BUDGET);
        let resampling = Resampling::new(
            SRacos::new(Space::cube(20, -1.0, 1.0).unwrap(), SRacosConfig::for_budget(300)).unwrap(),
            10,
        )
        .unwrap();
        calls.store(0, Ordering::Relaxed);
        let outcome = Minimize::new(counted, resampling)
            .budget(BUDGET)
            .seed(2)
            .threads(2)
            .parallel(mode)
            .run()
            .unwrap();
        assert_eq!(outcome.evaluations, BUDGET);
        assert_eq!(calls.load(Ordering::Relaxed), BUDGET);
    }
    let batch = |threads| {
        Minimize::new(ackley, suppressed())
            .budget(BUDGET)
            .seed(5)
            .threads(threads)
            .parallel(Parallel::Batch { size: 4 })
            .run()
            .unwrap()
    };
    let (one, two) = (batch(1), batch(2));
    assert_eq!(bits(one.history.values()), bits(two.history.values()));
    assert_eq!(one.best, two.best);
}

#[test]
fn objective_and_sampler_re_sampling_give_the_same_search() {
    let sracos = || SRacos::new(Space::cube(10, -1.0, 1.0).unwrap(), SRacosConfig::for_budget(300)).unwrap();
    let by_sampler = Minimize::new(
        Noisy::new(ackley, 0.1, 3).unwrap(),
        Resampling::new(sracos(), 10).unwrap(),
    )
    .budget(BUDGET)
    .seed(8)
    .run()
    .unwrap();
    let averaged = Averaged::new(Noisy::new(ackley, 0.1, 3).unwrap(), 10).unwrap();
    let by_objective = Minimize::new(&averaged, sracos())
        .budget(averaged.budget_for(BUDGET))
        .seed(8)
        .run()
        .unwrap();
    assert_eq!(by_sampler.evaluations, BUDGET);
    assert_eq!(
        (by_objective.evaluations, averaged.calls()),
        (BUDGET / 10, BUDGET)
    );
    assert_eq!(by_sampler.best, by_objective.best);
}
