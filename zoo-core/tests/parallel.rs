//! Parallel runs: exact budgets, prompt stops with every worker joined, reproducible
//! batches, panics that end the run instead of hanging it.

// Runs with the same seed are compared exactly on purpose.
#![allow(clippy::float_cmp)]

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use zoo_core::testing::functions::sphere;
use zoo_core::{
    Evaluated, Minimize, Objective, Parallel, RandomSearch, RunError, Sampler, Space, StopReason, ZooRng,
    ranked,
};

/// Counts calls, evaluations running right now, the most that ever ran at once, and
/// the worker threads that evaluated and have not exited yet.
#[derive(Default)]
struct Probe {
    calls: AtomicU64,
    running: AtomicI64,
    most_running: AtomicI64,
    threads_alive: Arc<AtomicI64>,
}

struct ThreadAlive(Arc<AtomicI64>);

impl Drop for ThreadAlive {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

thread_local! {
    static ALIVE: RefCell<Option<ThreadAlive>> = const { RefCell::new(None) };
}

impl Probe {
    /// Wraps one evaluation: `f` runs while it is counted as running.
    fn measure(&self, f: impl FnOnce(u64) -> f64) -> f64 {
        ALIVE.with(|alive| {
            alive.borrow_mut().get_or_insert_with(|| {
                self.threads_alive.fetch_add(1, Ordering::SeqCst);
                ThreadAlive(Arc::clone(&self.threads_alive))
            });
        });
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_running.fetch_max(now, Ordering::SeqCst);
        // Decrements even when `f` panics.
        struct Leave<'p>(&'p AtomicI64);
        impl Drop for Leave<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let _leave = Leave(&self.running);
        f(call)
    }

    fn calls(&self) -> u64 {
        self.calls.load(Ordering::SeqCst)
    }

    fn assert_idle(&self) {
        assert_eq!(
            self.running.load(Ordering::SeqCst),
            0,
            "an evaluation is still running"
        );
        assert_eq!(
            self.threads_alive.load(Ordering::SeqCst),
            0,
            "a worker thread outlived the run"
        );
    }
}

/// Sphere in `dim` dimensions whose calls sleep a duration that varies with the point,
/// so that evaluations finish out of order.
struct Sleepy<'p> {
    probe: &'p Probe,
    base: Duration,
    jitter: Duration,
}

impl Objective for Sleepy<'_> {
    fn evaluate(&self, x: &[f64]) -> f64 {
        self.probe.measure(|_| {
            let spread = (x[0] * 1e4).fract().abs();
            thread::sleep(self.base + self.jitter.mul_f64(spread));
            sphere(x)
        })
    }
}

fn space(dim: usize) -> Space {
    Space::cube(dim, -1.0, 1.0).unwrap()
}

/// A sampler whose proposals depend on what it was told: a Gaussian step around the
/// best point so far, shrinking with every tell. Any change in the order of tells
/// changes the points it asks.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Walk {
    space: Space,
    step: f64,
    best: Option<Evaluated<Vec<f64>>>,
}

impl Walk {
    fn new(space: Space) -> Self {
        Walk {
            space,
            step: 0.5,
            best: None,
        }
    }
}

impl Sampler for Walk {
    type Solution = Vec<f64>;

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
        Some(match &self.best {
            None => self.space.sample(rng),
            Some(best) => best
                .x
                .iter()
                .map(|v| (v + self.step * rng.normal()).clamp(-1.0, 1.0))
                .collect(),
        })
    }

    fn tell(&mut self, x: Vec<f64>, value: f64) {
        self.step *= 0.995;
        let value = ranked(value);
        if self.best.as_ref().is_none_or(|b| value < b.value) {
            self.best = Some(Evaluated::new(x, value));
        }
    }

    fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
        self.best.as_ref()
    }
}

fn modes() -> [Parallel; 2] {
    [Parallel::Async, Parallel::Batch { size: 8 }]
}

#[test]
fn budget_is_exact_in_both_modes() {
    for mode in modes() {
        for (threads, budget) in [(4, 101), (3, 64), (8, 3), (2, 1)] {
            let probe = Probe::default();
            let objective = Sleepy {
                probe: &probe,
                base: Duration::ZERO,
                jitter: Duration::from_micros(300),
            };
            let outcome = Minimize::new(objective, Walk::new(space(3)))
                .budget(budget)
                .seed(1)
                .threads(threads)
                .parallel(mode)
                .run()
                .unwrap();
            assert_eq!(probe.calls(), budget, "{mode:?} with {threads} threads");
            assert_eq!(outcome.evaluations, budget);
            assert_eq!(outcome.history.len() as u64, budget);
            assert_eq!(outcome.stop, StopReason::Budget);
            probe.assert_idle();
        }
    }
}

#[test]
fn evaluations_overlap_on_several_threads() {
    for mode in modes() {
        let probe = Probe::default();
        let objective = Sleepy {
            probe: &probe,
            base: Duration::from_millis(2),
            jitter: Duration::ZERO,
        };
        Minimize::new(objective, RandomSearch::new(space(2)))
            .budget(40)
            .threads(4)
            .parallel(mode)
            .run()
            .unwrap();
        let most = probe.most_running.load(Ordering::SeqCst);
        assert!(
            (2..=4).contains(&most),
            "{mode:?}: at most {most} evaluations ran at once"
        );
        probe.assert_idle();
    }
}

#[test]
fn batch_mode_gives_the_same_run_for_every_thread_count() {
    let run_with = |threads: usize, seed: u64, size: usize| {
        let probe = Probe::default();
        let objective = Sleepy {
            probe: &probe,
            base: Duration::ZERO,
            jitter: Duration::from_micros(500),
        };
        let outcome = Minimize::new(objective, Walk::new(space(4)))
            .budget(203)
            .seed(seed)
            .threads(threads)
            .parallel(Parallel::Batch { size })
            .run()
            .unwrap();
        probe.assert_idle();
        outcome
    };
    let run = |threads: usize, seed: u64| run_with(threads, seed, 6);
    // The sampler is sensitive to when it is told: other batch sizes give other runs.
    assert_ne!(run_with(2, 0, 1).history, run(2, 0).history);
    for seed in [0, 9] {
        let one = run(1, seed);
        for threads in [2, 4] {
            let many = run(threads, seed);
            assert_eq!(many.history, one.history, "seed {seed}, {threads} threads");
            assert_eq!(many.best, one.best, "seed {seed}, {threads} threads");
        }
    }
}

#[test]
fn stops_on_target_promptly_with_every_worker_joined() {
    for mode in modes() {
        let probe = Probe::default();
        let objective = Sleepy {
            probe: &probe,
            base: Duration::from_millis(1),
            jitter: Duration::from_millis(1),
        };
        let started = Instant::now();
        let outcome = Minimize::new(objective, Walk::new(space(2)))
            .budget(1_000_000)
            .seed(4)
            .target(0.01)
            .threads(3)
            .parallel(mode)
            .run()
            .unwrap();
        probe.assert_idle();
        assert_eq!(outcome.stop, StopReason::Target, "{mode:?}");
        assert!(outcome.best.value <= 0.01);
        assert_eq!(outcome.evaluations, probe.calls());
        assert_eq!(outcome.history.len() as u64, probe.calls());
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{mode:?}: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn stops_on_time_limit_promptly_with_every_worker_joined() {
    // A batch of 400 ten-millisecond evaluations on two threads would take two seconds:
    // the time limit must cut it short, not wait for the batch.
    for mode in [Parallel::Async, Parallel::Batch { size: 400 }] {
        let probe = Probe::default();
        let objective = Sleepy {
            probe: &probe,
            base: Duration::from_millis(10),
            jitter: Duration::ZERO,
        };
        let started = Instant::now();
        let outcome = Minimize::new(objective, RandomSearch::new(space(2)))
            .budget(1_000_000)
            .time_limit(Duration::from_millis(150))
            .threads(2)
            .parallel(mode)
            .run()
            .unwrap();
        let took = started.elapsed();
        probe.assert_idle();
        assert_eq!(outcome.stop, StopReason::TimeLimit, "{mode:?}");
        assert!(took >= Duration::from_millis(150));
        assert!(
            took < Duration::from_millis(900),
            "{mode:?} returned after {took:?}"
        );
        assert_eq!(outcome.evaluations, probe.calls());
        assert_eq!(outcome.history.len() as u64, probe.calls());
    }
}

#[test]
fn stops_on_criterion_and_patience_and_records_every_call() {
    for mode in modes() {
        let probe = Probe::default();
        let objective = Sleepy {
            probe: &probe,
            base: Duration::from_micros(200),
            jitter: Duration::from_micros(400),
        };
        let mut seen = 0u64;
        let outcome = Minimize::new(objective, RandomSearch::new(space(2)))
            .budget(10_000)
            .stop_when(|p| {
                seen = p.evaluations;
                p.evaluations >= 50
            })
            .threads(4)
            .parallel(mode)
            .run()
            .unwrap();
        probe.assert_idle();
        assert_eq!(outcome.stop, StopReason::Criterion, "{mode:?}");
        // Async: evaluations running when the criterion fired (at most three more) are
        // awaited and recorded. Batch: the rule is checked between batches of eight.
        assert!(
            (50..=56).contains(&outcome.evaluations),
            "{mode:?}: {}",
            outcome.evaluations
        );
        assert_eq!(outcome.evaluations, probe.calls());
        assert_eq!(outcome.history.len() as u64, probe.calls());
        assert!(seen >= 50);

        let probe = Probe::default();
        let objective = Sleepy {
            probe: &probe,
            base: Duration::ZERO,
            jitter: Duration::from_micros(100),
        };
        let outcome = Minimize::new(objective, RandomSearch::new(space(1)))
            .budget(1_000_000)
            .patience(30)
            .threads(3)
            .parallel(mode)
            .run()
            .unwrap();
        probe.assert_idle();
        assert_eq!(outcome.stop, StopReason::Patience, "{mode:?}");
        assert_eq!(outcome.evaluations, probe.calls());
    }
}

#[test]
fn panicking_objective_ends_the_run_with_the_best_so_far() {
    for mode in modes() {
        let probe = Probe::default();
        let objective = |x: &[f64]| {
            probe.measure(|call| {
                thread::sleep(Duration::from_millis(1));
                if call == 30 {
                    panic!("objective failed at call 30");
                }
                sphere(x)
            })
        };
        let started = Instant::now();
        let result = Minimize::new(objective, RandomSearch::new(space(2)))
            .budget(1_000_000)
            .threads(4)
            .parallel(mode)
            .run();
        probe.assert_idle();
        assert!(started.elapsed() < Duration::from_secs(5));
        match result {
            Err(RunError::ObjectivePanicked {
                message,
                evaluations,
                best,
            }) => {
                assert!(message.contains("call 30"), "{message}");
                // Every call but the panicking one is recorded.
                assert_eq!(evaluations + 1, probe.calls(), "{mode:?}");
                assert!(evaluations >= 30 - 4);
                assert!(best.is_some());
            }
            other => panic!("{mode:?}: expected a panic error, got {other:?}"),
        }
    }
}

#[test]
fn objective_panicking_everywhere_neither_hangs_nor_invents_a_best() {
    for mode in modes() {
        let probe = Probe::default();
        let objective = |_: &[f64]| -> f64 { probe.measure(|_| panic!("always")) };
        let result = Minimize::new(objective, RandomSearch::new(space(2)))
            .budget(100)
            .threads(3)
            .parallel(mode)
            .run();
        probe.assert_idle();
        assert!(matches!(
            result,
            Err(RunError::ObjectivePanicked { best: None, .. })
        ));
        assert!(probe.calls() <= 8);
    }
}

#[test]
fn panicking_sampler_unwinds_with_every_worker_joined() {
    #[derive(Debug, Clone, Serialize, Deserialize)]
    struct Fragile(RandomSearch, u32);
    impl Sampler for Fragile {
        type Solution = Vec<f64>;
        fn ask(&mut self, rng: &mut ZooRng) -> Option<Vec<f64>> {
            self.1 += 1;
            assert!(self.1 < 20, "sampler broke");
            self.0.ask(rng)
        }
        fn tell(&mut self, x: Vec<f64>, value: f64) {
            self.0.tell(x, value);
        }
        fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
            self.0.best()
        }
    }
    for mode in modes() {
        let probe = Probe::default();
        let objective = Sleepy {
            probe: &probe,
            base: Duration::from_millis(1),
            jitter: Duration::ZERO,
        };
        let result = catch_unwind(AssertUnwindSafe(|| {
            Minimize::new(objective, Fragile(RandomSearch::new(space(2)), 0))
                .budget(1_000)
                .threads(3)
                .parallel(mode)
                .run()
        }));
        assert!(
            result.is_err(),
            "{mode:?}: the sampler's panic reaches the caller"
        );
        probe.assert_idle();
    }
}

#[test]
fn nan_values_are_ranked_last_and_counted() {
    for mode in modes() {
        let objective = |x: &[f64]| if x[0] > 0.0 { f64::NAN } else { sphere(x) };
        let outcome = Minimize::new(objective, RandomSearch::new(space(2)))
            .budget(300)
            .seed(2)
            .threads(3)
            .parallel(mode)
            .run()
            .unwrap();
        let nans = outcome.history.values().iter().filter(|v| v.is_nan()).count() as u64;
        assert!(nans > 50);
        assert_eq!(outcome.nan_evaluations, nans);
        assert!(outcome.best.value.is_finite());
        assert!(outcome.best.x[0] <= 0.0);
    }
}

#[test]
fn async_random_search_matches_sequential_quality() {
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let sequential: Vec<f64> = (0..10)
        .map(|seed| {
            Minimize::new(sphere, RandomSearch::new(space(5)))
                .budget(2_000)
                .seed(seed)
                .run()
                .unwrap()
                .best
                .value
        })
        .collect();
    let parallel: Vec<f64> = (0..10)
        .map(|seed| {
            Minimize::new(sphere, RandomSearch::new(space(5)))
                .budget(2_000)
                .seed(seed)
                .threads(4)
                .run()
                .unwrap()
                .best
                .value
        })
        .collect();
    let lo = sequential.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = sequential.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let m = median(parallel);
    // Sphere with bias 0.2 on [-1, 1]^5: 2,000 uniform samples get within ~0.3 of it.
    assert!(m < 0.5, "median {m}");
    assert!(
        (lo..=hi).contains(&m),
        "median {m} outside sequential range [{lo}, {hi}]"
    );
}

#[test]
fn async_mode_learns_from_the_latest_state() {
    // A sampler that adapts to its tells converges in async mode too.
    let values: Vec<f64> = (0..5)
        .map(|seed| {
            Minimize::new(sphere, Walk::new(space(3)))
                .budget(1_500)
                .seed(seed)
                .threads(4)
                .run()
                .unwrap()
                .best
                .value
        })
        .collect();
    assert!(values.iter().all(|&v| v < 1e-2), "{values:?}");
}

#[test]
fn advance_pauses_exactly_and_resumes_in_any_mode() {
    let probe = Probe::default();
    let objective = Sleepy {
        probe: &probe,
        base: Duration::ZERO,
        jitter: Duration::from_micros(200),
    };
    let mut threaded = Minimize::new(objective, Walk::new(space(2)))
        .budget(120)
        .seed(8)
        .threads(4);
    assert_eq!(threaded.advance(37).unwrap(), None);
    assert_eq!(threaded.ledger().evaluations(), 37);
    assert_eq!(probe.calls(), 37);
    probe.assert_idle();
    let state = threaded.into_ledger();
    let json = serde_json::to_string(&state).unwrap();
    let state: zoo_core::Ledger<Walk> = serde_json::from_str(&json).unwrap();
    let objective = Sleepy {
        probe: &probe,
        base: Duration::ZERO,
        jitter: Duration::ZERO,
    };
    let outcome = Minimize::resume(objective, state)
        .parallel(Parallel::Batch { size: 5 })
        .threads(2)
        .run()
        .unwrap();
    assert_eq!(outcome.evaluations, 120);
    assert_eq!(probe.calls(), 120);
    probe.assert_idle();
}

#[test]
fn warm_start_points_go_first_and_count() {
    for mode in modes() {
        let warm = vec![vec![0.2, 0.2], vec![0.5, 0.5]];
        let outcome = Minimize::new(sphere, RandomSearch::new(space(2)))
            .budget(10)
            .warm_start(warm.clone())
            .warm_start_evaluated([(vec![0.9, 0.9], 0.98)])
            .threads(2)
            .parallel(mode)
            .run()
            .unwrap();
        assert_eq!(outcome.evaluations, 10);
        assert_eq!(outcome.best.x, warm[0], "{mode:?}");
        assert_eq!(outcome.best.value, 0.0);
    }
}

#[test]
fn exhausted_sampler_ends_once_nothing_is_running() {
    /// Proposes its list of points, then nothing.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    struct Finite(Vec<Vec<f64>>, Option<Evaluated<Vec<f64>>>);
    impl Sampler for Finite {
        type Solution = Vec<f64>;
        fn ask(&mut self, _: &mut ZooRng) -> Option<Vec<f64>> {
            self.0.pop()
        }
        fn tell(&mut self, x: Vec<f64>, value: f64) {
            if self.1.as_ref().is_none_or(|b| value < b.value) {
                self.1 = Some(Evaluated::new(x, value));
            }
        }
        fn best(&self) -> Option<&Evaluated<Vec<f64>>> {
            self.1.as_ref()
        }
    }
    for mode in modes() {
        let points: Vec<Vec<f64>> = (0..5).map(|i| vec![f64::from(i) / 10.0]).collect();
        let outcome = Minimize::new(sphere, Finite(points, None))
            .budget(100)
            .threads(3)
            .parallel(mode)
            .run()
            .unwrap();
        assert_eq!(outcome.stop, StopReason::Exhausted, "{mode:?}");
        assert_eq!(outcome.evaluations, 5);
        let empty = Minimize::new(sphere, Finite(Vec::new(), None))
            .budget(100)
            .threads(3)
            .parallel(mode)
            .run();
        assert!(matches!(empty, Err(RunError::NothingEvaluated)));
    }
}

#[test]
fn callbacks_run_in_the_calling_thread() {
    let caller = thread::current().id();
    for mode in modes() {
        let mut reports = 0;
        let mut checks = 0;
        let outcome = Minimize::new(sphere, RandomSearch::new(space(2)))
            .budget(200)
            .stop_when(|_| {
                assert_eq!(thread::current().id(), caller);
                checks += 1;
                false
            })
            .on_progress(20, |p| {
                assert_eq!(thread::current().id(), caller);
                assert_eq!(p.evaluations % 20, 0);
                reports += 1;
            })
            .threads(3)
            .parallel(mode)
            .run()
            .unwrap();
        assert_eq!(outcome.evaluations, 200);
        assert_eq!(reports, 10, "{mode:?}");
        assert!(checks > 0);
    }
}
