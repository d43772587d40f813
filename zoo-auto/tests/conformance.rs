//! The sampler contract, for the portfolio and the noisy plan.

use zoo_auto::{Auto, AutoConfig};
use zoo_core::testing::conformance;

#[test]
fn portfolio_conforms() {
    conformance::check_all(|space| Auto::new(space.clone(), AutoConfig::default()));
}

#[test]
fn every_reachable_state_restores() {
    use zoo_core::testing::conformance::reachable_states_restore;
    reachable_states_restore(&|space: &zoo_core::Space| Auto::new(space.clone(), AutoConfig::default()));
    reachable_states_restore(&|space: &zoo_core::Space| {
        Auto::new(
            space.clone(),
            AutoConfig {
                noisy: true,
                ..AutoConfig::default()
            },
        )
    });
}

#[test]
fn noisy_plan_conforms() {
    conformance::check_all(|space| {
        Auto::new(
            space.clone(),
            AutoConfig {
                noisy: true,
                ..AutoConfig::default()
            },
        )
    });
}

#[test]
fn embedding_plan_conforms_on_large_boxes() {
    // The conformance suite's mixed space is not a box: the portfolio runs there. A small
    // threshold exercises the embedding on a box.
    use zoo_core::{Minimize, Space};
    let space = Space::cube(30, -1.0, 1.0).unwrap();
    let config = AutoConfig {
        embed_above: 20,
        ..AutoConfig::default()
    };
    let sphere = |x: &[f64]| x.iter().map(|v| (v - 0.2) * (v - 0.2)).sum::<f64>();
    let outcome = Minimize::new(sphere, Auto::new(space.clone(), config).unwrap())
        .budget(300)
        .seed(2)
        .run()
        .unwrap();
    assert_eq!(outcome.evaluations, 300);
    assert!(space.contains(&outcome.best.x));
    assert!(matches!(
        outcome.sampler.decisions()[0],
        zoo_auto::Decision::Embedding { dimension: 30 }
    ));
}

/// A threshold below the embedding's own dimension (10) cannot embed a small box: it runs
/// the other plans, and spends its budget.
#[test]
fn a_small_box_below_the_embedding_threshold_is_not_embedded() {
    use zoo_core::{Minimize, Space};
    for n in [2, 4, 9, 10] {
        let space = Space::cube(n, -1.0, 1.0).unwrap();
        let config = AutoConfig {
            embed_above: 1,
            ..AutoConfig::default()
        };
        let sphere = |x: &[f64]| x.iter().map(|v| (v - 0.2) * (v - 0.2)).sum::<f64>();
        let outcome = Minimize::new(sphere, Auto::new(space, config).unwrap())
            .budget(500)
            .seed(3)
            .run()
            .unwrap();
        assert_eq!(outcome.evaluations, 500, "{n}-D");
        assert!(outcome.best.value < 1e-3, "{n}-D: {}", outcome.best.value);
        let embedded = |d: &zoo_auto::Decision| matches!(d, zoo_auto::Decision::Embedding { .. });
        assert!(!outcome.sampler.decisions().iter().any(embedded), "{n}-D");
    }
}

#[test]
fn json_checkpoints_resume_exactly_in_every_phase() {
    // Infinite values (no best yet in a line, a race not started) must survive JSON.
    // Rastrigin runs the portfolio, Rosenbrock CMA-ES alone, a sphere with noise (a function
    // of the call's index, the same for both runs) the noise plan, Rastrigin with a small
    // coupled term the weakly coupled route (profiles, scan, then CMA-ES); 5, 10 and 13 stop
    // inside the separability probe (bases, then swaps), 17 just after it, 30 and 60 inside
    // the coordinate profiles, 80 and 130 inside the sphere's line searches and the scan,
    // 995 inside the noise plan's final comparison.
    use zoo_core::testing::functions::{rastrigin, rosenbrock, sphere};
    use zoo_core::{Sampler, Space, ZooRng};
    let space = Space::cube(5, -5.12, 5.12).unwrap();
    let noisy = |i: usize, x: &[f64]| sphere(x) + (i as f64).sin();
    let plain = |f: fn(&[f64]) -> f64| move |_: usize, x: &[f64]| f(x);
    let weak =
        |_: usize, x: &[f64]| rastrigin(x) + 1e-6 * x.windows(2).map(|w| (w[0] - w[1]).powi(2)).sum::<f64>();
    for stop_at in [0, 1, 5, 10, 13, 17, 30, 60, 80, 130, 400, 950, 995] {
        type Objective<'a> = &'a dyn Fn(usize, &[f64]) -> f64;
        let objectives: [(&str, Objective); 5] = [
            ("rastrigin", &plain(rastrigin)),
            ("rosenbrock", &plain(rosenbrock)),
            ("noisy sphere", &noisy),
            ("sphere", &plain(sphere)),
            ("weakly coupled", &weak),
        ];
        for (name, f) in objectives {
            let mut auto = Auto::new(space.clone(), AutoConfig::default()).unwrap();
            auto.start(1_000);
            let mut rng = ZooRng::seed_from(7);
            for i in 0..stop_at {
                let x = auto.ask(&mut rng).unwrap();
                let v = f(i, &x);
                auto.tell(x, v);
            }
            let json = serde_json::to_string(&auto).unwrap();
            let mut resumed: Auto = serde_json::from_str(&json).unwrap();
            let mut rng_resumed = rng.clone();
            for i in stop_at..1_000 {
                let (x, y) = (
                    auto.ask(&mut rng).unwrap(),
                    resumed.ask(&mut rng_resumed).unwrap(),
                );
                assert_eq!(x, y, "stopped at {stop_at}");
                let v = f(i, &x);
                auto.tell(x, v);
                resumed.tell(y, v);
            }
            assert_eq!(auto.decisions(), resumed.decisions());
            assert_eq!(auto.best(), resumed.best());
            // The weakly coupled objective must take its route for the stops to fall in it.
            if name == "weakly coupled" && stop_at == 0 {
                let scanned_weak = auto.decisions().iter().any(|d| {
                    matches!(
                        d,
                        zoo_auto::Decision::Probed {
                            weakly_coupled: true,
                            ..
                        }
                    )
                }) && auto
                    .decisions()
                    .iter()
                    .any(|d| matches!(d, zoo_auto::Decision::LineSearches { scanning: true, .. }));
                assert!(scanned_weak, "{:?}", auto.decisions());
            }
        }
    }
}

/// Infinite and NaN values inside the noise plan's final comparison survive a JSON
/// checkpoint (their sums are infinite).
#[test]
fn a_checkpoint_inside_the_final_comparison_restores_after_infinite_values() {
    use zoo_core::{Sampler, Space, ZooRng};
    let config = AutoConfig {
        noisy: true,
        ..AutoConfig::default()
    };
    let mut auto = Auto::new(Space::cube(3, -1.0, 1.0).unwrap(), config).unwrap();
    auto.start(300);
    let mut rng = ZooRng::seed_from(1);
    for i in 0..298 {
        let x = auto.ask(&mut rng).unwrap();
        let v = match i {
            296 => f64::NAN,
            297 => f64::NEG_INFINITY,
            _ => x.iter().map(|v| v * v).sum(),
        };
        auto.tell(x, v);
    }
    let json = serde_json::to_string(&auto).unwrap();
    let back: Auto = serde_json::from_str(&json).unwrap();
    back.check_state().unwrap();
    assert_eq!(back.best(), auto.best());
}

/// The differential-evolution plan (a coupled problem in the plane): every state a run
/// reaches, points in flight included, restores.
#[test]
fn evolution_plan_states_restore() {
    use zoo_core::testing::conformance::every_reachable_state_restores;
    use zoo_core::{Ledger, Space};
    let coupled =
        |x: &Vec<f64>| (x[0] - 0.3).powi(2) + 10.0 * (x[0] + x[1] - 0.5).powi(2) + (3.0 * x[1]).cos();
    let auto = || Auto::new(Space::cube(2, -2.0, 2.0).unwrap(), AutoConfig::default()).unwrap();
    let outcome = zoo_core::Minimize::new(|x: &[f64]| coupled(&x.to_vec()), auto())
        .budget(1_000)
        .seed(4)
        .run()
        .unwrap();
    let evolves = |d: &zoo_auto::Decision| matches!(d, zoo_auto::Decision::Evolution { .. });
    assert!(outcome.sampler.decisions().iter().any(evolves));
    every_reachable_state_restores(Ledger::new(auto()).budget(1_000).seed(4), coupled);
}

/// A run of the differential-evolution plan paused before the switch (after the probe's
/// verdict) and after it, saved and resumed, continues exactly as the uninterrupted run.
#[test]
fn evolution_plan_resumes_exactly() {
    use zoo_core::{History, Ledger, Minimize, Space};
    let coupled = |x: &[f64]| (x[0] - 0.3).powi(2) + 10.0 * (x[0] + x[1] - 0.5).powi(2) + (3.0 * x[1]).cos();
    let auto = || Auto::new(Space::cube(2, -2.0, 2.0).unwrap(), AutoConfig::default()).unwrap();
    let whole = Minimize::new(coupled, auto())
        .budget(1_000)
        .seed(6)
        .run()
        .unwrap();
    assert!(
        whole
            .sampler
            .decisions()
            .iter()
            .any(|d| matches!(d, zoo_auto::Decision::Evolution { .. }))
    );
    let bits = |h: &History| h.values().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    for pause in [17, 18, 400] {
        let mut first = Minimize::new(coupled, auto()).budget(1_000).seed(6);
        assert_eq!(first.advance(pause).unwrap(), None);
        let json = serde_json::to_string(first.ledger()).unwrap();
        let state: Ledger<Auto> = serde_json::from_str(&json).unwrap();
        let resumed = Minimize::resume(coupled, state).run().unwrap();
        assert_eq!(bits(&whole.history), bits(&resumed.history), "paused at {pause}");
    }
}

/// Runs `auto` on `f` for `budget` evaluations, checkpointing it to JSON after `stop_at`,
/// and checks that the restored sampler asks the same points and ends with the same
/// decisions and best point; returns the run that was not restored.
fn resumes_exactly(space: &zoo_core::Space, f: impl Fn(&[f64]) -> f64, budget: u64, stop_at: u64) -> Auto {
    use zoo_core::{Sampler, ZooRng};
    let mut auto = Auto::new(space.clone(), AutoConfig::default()).unwrap();
    auto.start(budget);
    let mut rng = ZooRng::seed_from(5);
    for _ in 0..stop_at {
        let x = auto.ask(&mut rng).unwrap();
        let v = f(&x);
        auto.tell(x, v);
    }
    let json = serde_json::to_string(&auto).unwrap();
    let mut resumed: Auto = serde_json::from_str(&json).unwrap();
    assert!(resumed.check_state().is_ok());
    let mut rng_resumed = rng.clone();
    for _ in stop_at..budget {
        let (x, y) = (
            auto.ask(&mut rng).unwrap(),
            resumed.ask(&mut rng_resumed).unwrap(),
        );
        assert_eq!(x, y, "stopped at {stop_at}");
        let v = f(&x);
        auto.tell(x, v);
        resumed.tell(y, v);
    }
    assert_eq!(auto.decisions(), resumed.decisions());
    assert_eq!(auto.best(), resumed.best());
    auto
}

/// A JSON checkpoint taken inside the value sweeps (a separable function over labels:
/// the probe ends at 17, the first sweep's moves run to 77 and its combined point is 78)
/// resumes exactly.
#[test]
fn json_checkpoints_resume_exactly_inside_the_value_sweeps() {
    use zoo_core::{Dimension, Sampler, Space};
    let space = Space::new(vec![Dimension::unordered(0, 3).unwrap(); 20]).unwrap();
    let f = |x: &[f64]| {
        x.iter()
            .enumerate()
            .map(|(j, v)| ((j as f64 + v) % 4.0).powi(2))
            .sum::<f64>()
    };
    for stop_at in [17, 18, 50, 77, 78, 79, 100, 141] {
        let auto = resumes_exactly(&space, f, 400, stop_at);
        let swept = auto
            .decisions()
            .iter()
            .any(|d| matches!(d, zoo_auto::Decision::ValueSweeps { at: 17, .. }));
        assert!(swept, "{:?}", auto.decisions());
        assert_eq!(auto.best().map(|b| b.value), Some(0.0));
    }
}

/// A JSON checkpoint taken inside one sweep of the labels of a mixed space (continuous
/// coordinates beside them, a separable function: the profiles end at 65, the sweep's
/// moves run to 160) or inside the line searches after it resumes exactly.
#[test]
fn json_checkpoints_resume_exactly_inside_a_sweep_of_the_labels() {
    use zoo_core::{Dimension, Sampler, Space};
    let space = Space::new((0..10).map(|j| {
        if j % 2 == 0 {
            Dimension::continuous(-2.0, 2.0).unwrap()
        } else {
            Dimension::unordered(0, 19).unwrap()
        }
    }))
    .unwrap();
    let f = |x: &[f64]| {
        x.iter()
            .enumerate()
            .map(|(j, v)| {
                if j % 2 == 0 {
                    (v - 0.3).powi(2)
                } else {
                    ((j as f64 + v) % 5.0).powi(2)
                }
            })
            .sum::<f64>()
    };
    for stop_at in [65, 66, 100, 160, 161, 200, 300] {
        let auto = resumes_exactly(&space, f, 1_000, stop_at);
        let swept = auto.decisions().iter().any(|d| {
            matches!(
                d,
                zoo_auto::Decision::ValueSweeps {
                    at: 65,
                    labels_only: true
                }
            )
        });
        assert!(swept, "{:?}", auto.decisions());
        assert!(auto.best().is_some_and(|b| b.value < 1e-12), "{:?}", auto.best());
    }
}
