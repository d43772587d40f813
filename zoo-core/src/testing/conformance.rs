//! The conformance suite every sampler over coordinate vectors runs.
//!
//! Each check builds a fresh sampler with the factory it is given, runs it through
//! [`Minimize`] and panics with a message naming the broken rule.
//!
//! ```
//! # #[cfg(feature = "testing")] {
//! use zoo_core::{RandomSearch, testing::conformance};
//! conformance::check_all(|space| Ok(RandomSearch::new(space.clone())));
//! # }
//! ```

// The checks compare exact values on purpose: the runs are deterministic.
#![allow(clippy::float_cmp)]

use serde::Serialize;
use serde::de::DeserializeOwned;

use std::panic::{AssertUnwindSafe, catch_unwind};

use serde_json::Value as Json;

use crate::{ConfigError, Dimension, Ledger, Minimize, RunError, Sampler, Space, Step, StopReason, ZooRng};

/// A mixed space with every kind of dimension: continuous, continuous with precision
/// 0.01, ordered integer, unordered integer, categorical with five values.
pub fn mixed_space() -> Space {
    Space::new([
        Dimension::continuous(-2.0, 3.0).unwrap(),
        Dimension::continuous_with_precision(0.05, 0.95, 0.01).unwrap(),
        Dimension::integer(-5, 5).unwrap(),
        Dimension::unordered(0, 3).unwrap(),
        Dimension::categorical(["a", "b", "c", "d", "e"]).unwrap(),
    ])
    .unwrap()
}

fn mixed_objective(x: &[f64]) -> f64 {
    (x[0] - 1.0).powi(2)
        + (x[1] - 0.5).abs()
        + (x[2] - 2.0).abs()
        + f64::from(x[3] != 1.0)
        + f64::from(x[4] != 3.0)
}

/// Runs every check of the suite, including checkpoint/resume.
pub fn check_all<S, F>(factory: F)
where
    S: Sampler<Solution = Vec<f64>> + Serialize + DeserializeOwned,
    F: Fn(&Space) -> Result<S, ConfigError>,
{
    points_lie_in_space(&factory);
    every_categorical_value_is_proposed(&factory);
    survives_nan_and_infinite_values(&factory);
    same_seed_gives_same_run(&factory);
    warm_start_is_used(&factory);
    tiny_discrete_space_ends_cleanly(&factory);
    stops_exactly_at_budget(&factory);
    resumes_exactly(&factory);
    refuses_bad_warm_starts(&factory);
    damaged_checkpoints_fail_typed(&factory);
}

/// A run on the mixed space, checked by [`every_reachable_state_restores`] (a separate call:
/// it saves and restores after every step, the slowest check).
pub fn reachable_states_restore<S, F>(factory: &F)
where
    S: Sampler<Solution = Vec<f64>> + Serialize + DeserializeOwned,
    F: Fn(&Space) -> Result<S, ConfigError>,
{
    let ledger = Ledger::new(build(factory, &mixed_space())).budget(300).seed(17);
    every_reachable_state_restores(ledger, |x: &Vec<f64>| mixed_objective(x));
}

/// Drives `ledger` to its end three points at a time, told in reverse order, and checks
/// after every ask and every tell that its saved state is accepted by [`Ledger::restore`]:
/// the state checks never refuse a state a run can reach (points in flight included).
///
/// # Panics
///
/// When a reachable state is refused; the message holds the error and the count.
pub fn every_reachable_state_restores<S>(mut ledger: Ledger<S>, objective: impl Fn(&S::Solution) -> f64)
where
    S: Sampler + Serialize + DeserializeOwned,
{
    let restores = |ledger: &Ledger<S>| {
        let json = serde_json::to_string(ledger).expect("state must serialise");
        let state: Ledger<S> = serde_json::from_str(&json).expect("state must deserialise");
        if let Err(e) = Ledger::restore(state) {
            panic!(
                "a reachable state after {} evaluations ({} in flight) was refused: {e}",
                ledger.evaluations(),
                ledger.in_flight()
            );
        }
    };
    restores(&ledger);
    loop {
        let mut asked = Vec::new();
        while asked.len() < 3 {
            let Step::Evaluate(x) = ledger.step() else { break };
            asked.push(x);
            restores(&ledger);
        }
        if asked.is_empty() {
            break;
        }
        for x in asked.into_iter().rev() {
            let value = objective(&x);
            ledger.tell(x, value);
            restores(&ledger);
        }
    }
}

fn build<S, F: Fn(&Space) -> Result<S, ConfigError>>(factory: &F, space: &Space) -> S {
    factory(space).unwrap_or_else(|e| panic!("factory rejected a valid space: {e}"))
}

/// Every asked point lies in the space and respects each dimension's kind.
pub fn points_lie_in_space<S, F>(factory: &F)
where
    S: Sampler<Solution = Vec<f64>>,
    F: Fn(&Space) -> Result<S, ConfigError>,
{
    let space = mixed_space();
    let objective = |x: &[f64]| {
        assert!(space.contains(x), "sampler proposed {x:?}, outside the space");
        mixed_objective(x)
    };
    let outcome = Minimize::new(objective, build(factory, &space))
        .budget(400)
        .seed(11)
        .run()
        .expect("run on the mixed space failed");
    assert!(
        space.contains(&outcome.best.x),
        "recommendation outside the space"
    );
}

/// Every value of a categorical dimension is proposed (ZOOpt's samplers only reach two).
pub fn every_categorical_value_is_proposed<S, F>(factory: &F)
where
    S: Sampler<Solution = Vec<f64>>,
    F: Fn(&Space) -> Result<S, ConfigError>,
{
    let space = Space::new([
        Dimension::categorical(["a", "b", "c", "d", "e", "f"]).unwrap(),
        Dimension::continuous(0.0, 1.0).unwrap(),
    ])
    .unwrap();
    let seen = std::cell::RefCell::new([0usize; 6]);
    // A flat objective in the categorical coordinate: nothing should be excluded.
    let objective = |x: &[f64]| {
        seen.borrow_mut()[x[0] as usize] += 1;
        (x[1] - 0.3).abs()
    };
    Minimize::new(objective, build(factory, &space))
        .budget(600)
        .seed(5)
        .run()
        .expect("run failed");
    let seen = seen.into_inner();
    assert!(
        seen.iter().all(|&n| n > 0),
        "categorical values proposed: {seen:?}"
    );
}

/// NaN, +∞ and −∞ values do not break the sampler; NaN is counted.
pub fn survives_nan_and_infinite_values<S, F>(factory: &F)
where
    S: Sampler<Solution = Vec<f64>>,
    F: Fn(&Space) -> Result<S, ConfigError>,
{
    let space = Space::cube(3, -1.0, 1.0).unwrap();
    let objective = |x: &[f64]| {
        if x[0] > 0.5 {
            f64::NAN
        } else if x[0] < -0.9 {
            f64::INFINITY
        } else {
            x.iter().map(|v| v * v).sum()
        }
    };
    let outcome = Minimize::new(objective, build(factory, &space))
        .budget(300)
        .seed(3)
        .run()
        .expect("run with NaN values failed");
    assert_eq!(outcome.evaluations, 300);
    let nans = outcome.history.values().iter().filter(|v| v.is_nan()).count() as u64;
    assert_eq!(outcome.nan_evaluations, nans);
    assert!(nans > 0, "the test objective should have produced NaN");
    assert!(outcome.best.value.is_finite(), "best is {}", outcome.best.value);

    let all_nan = Minimize::new(|_: &[f64]| f64::NAN, build(factory, &space))
        .budget(100)
        .seed(3)
        .run()
        .expect("an all-NaN run must still end");
    assert_eq!(all_nan.nan_evaluations, all_nan.evaluations);
    assert_eq!(all_nan.best.value, f64::INFINITY);

    let minus_infinity = Minimize::new(
        // Descending leads into the −∞ half: a run that converges finds it.
        |x: &[f64]| if x[1] > 0.0 { f64::NEG_INFINITY } else { -x[1] },
        build(factory, &space),
    )
    .budget(100)
    .seed(4)
    .run()
    .expect("a run with -inf values must end");
    assert_eq!(minus_infinity.best.value, f64::NEG_INFINITY);
}

/// The same seed gives the same sequence of values; another seed does not.
pub fn same_seed_gives_same_run<S, F>(factory: &F)
where
    S: Sampler<Solution = Vec<f64>>,
    F: Fn(&Space) -> Result<S, ConfigError>,
{
    let space = mixed_space();
    let run = |seed| {
        Minimize::new(mixed_objective, build(factory, &space))
            .budget(300)
            .seed(seed)
            .run()
            .unwrap()
            .history
    };
    let bits = |h: crate::History| h.values().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(run(0)), bits(run(0)), "seed 0 did not reproduce");
    assert_eq!(bits(run(9)), bits(run(9)), "seed 9 did not reproduce");
    assert_ne!(bits(run(0)), bits(run(9)), "seeds 0 and 9 gave the same run");
}

/// Warm-start points are evaluated first; known solutions are taken into account.
pub fn warm_start_is_used<S, F>(factory: &F)
where
    S: Sampler<Solution = Vec<f64>>,
    F: Fn(&Space) -> Result<S, ConfigError>,
{
    let space = Space::cube(4, -1.0, 1.0).unwrap();
    let sphere = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>();
    let start = vec![vec![0.5, 0.5, 0.5, 0.5], vec![0.0, 0.0, 0.0, 0.0]];
    let outcome = Minimize::new(sphere, build(factory, &space))
        .budget(50)
        .seed(1)
        .warm_start(start)
        .run()
        .unwrap();
    assert_eq!(
        outcome.history.values()[..2],
        [1.0, 0.0],
        "warm start not evaluated first"
    );
    assert_eq!(outcome.best.value, 0.0, "the warm-started optimum was lost");

    let known = vec![(vec![0.0; 4], 0.0), (vec![0.9; 4], 3.24)];
    let outcome = Minimize::new(sphere, build(factory, &space))
        .budget(30)
        .seed(1)
        .warm_start_evaluated(known)
        .run()
        .unwrap();
    assert_eq!(outcome.evaluations, 30, "known solutions must not spend budget");
    assert_eq!(outcome.best.value, 0.0, "a known optimum was not recommended");
}

/// On a space of four points a long budget ends: spent or exhausted, never a hang.
pub fn tiny_discrete_space_ends_cleanly<S, F>(factory: &F)
where
    S: Sampler<Solution = Vec<f64>>,
    F: Fn(&Space) -> Result<S, ConfigError>,
{
    let space = Space::new([
        Dimension::unordered(0, 1).unwrap(),
        Dimension::categorical(["x", "y"]).unwrap(),
    ])
    .unwrap();
    let outcome = Minimize::new(|x: &[f64]| x[0] + x[1], build(factory, &space))
        .budget(1_000)
        .seed(2)
        .run()
        .unwrap();
    assert!(matches!(outcome.stop, StopReason::Budget | StopReason::Exhausted));
    assert_eq!(outcome.best.value, 0.0);
    let one_point = Space::new([Dimension::categorical(["only"]).unwrap()]).unwrap();
    let outcome = Minimize::new(|_: &[f64]| 1.0, build(factory, &one_point))
        .budget(100)
        .seed(2)
        .run()
        .unwrap();
    assert!(outcome.evaluations >= 1);
}

/// The run spends exactly its budget, and a panicking objective keeps the best so far.
pub fn stops_exactly_at_budget<S, F>(factory: &F)
where
    S: Sampler<Solution = Vec<f64>>,
    F: Fn(&Space) -> Result<S, ConfigError>,
{
    let space = Space::cube(10, -1.0, 1.0).unwrap();
    let calls = std::cell::Cell::new(0u64);
    for budget in [1, 2, 7, 33, 250] {
        calls.set(0);
        let outcome = Minimize::new(
            |x: &[f64]| {
                calls.set(calls.get() + 1);
                x[0]
            },
            build(factory, &space),
        )
        .budget(budget)
        .run()
        .unwrap();
        assert_eq!(outcome.evaluations, budget);
        assert_eq!(
            calls.get(),
            budget,
            "objective called {} times for budget {budget}",
            calls.get()
        );
    }
    calls.set(0);
    let error = Minimize::new(
        |x: &[f64]| {
            calls.set(calls.get() + 1);
            if calls.get() == 40 {
                panic!("objective failure");
            }
            x[0]
        },
        build(factory, &space),
    )
    .budget(100)
    .run()
    .err()
    .expect("a panicking objective must end the run");
    match &error {
        RunError::ObjectivePanicked {
            evaluations,
            best,
            message,
        } => {
            assert_eq!(*evaluations, 39);
            assert!(best.is_some(), "the best solution was lost");
            assert!(message.contains("objective failure"));
        }
        other => panic!("unexpected error {other}"),
    }
}

/// A run paused, saved to JSON, restored and finished gives exactly the result of the
/// run that was never interrupted.
pub fn resumes_exactly<S, F>(factory: &F)
where
    S: Sampler<Solution = Vec<f64>> + Serialize + DeserializeOwned,
    F: Fn(&Space) -> Result<S, ConfigError>,
{
    let space = mixed_space();
    let whole = Minimize::new(mixed_objective, build(factory, &space))
        .budget(500)
        .seed(21)
        .run()
        .unwrap();
    let mut first = Minimize::new(mixed_objective, build(factory, &space))
        .budget(500)
        .seed(21);
    assert_eq!(first.advance(137).unwrap(), None);
    let json = serde_json::to_string(first.ledger()).expect("state must serialise");
    drop(first);
    let state: crate::Ledger<S> = serde_json::from_str(&json).expect("state must deserialise");
    let resumed = Minimize::resume(mixed_objective, state).run().unwrap();
    let bits = |h: &crate::History| h.values().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(
        bits(&whole.history),
        bits(&resumed.history),
        "resumed run diverged"
    );
    assert_eq!(whole.best.x, resumed.best.x);
    assert_eq!(whole.evaluations, resumed.evaluations);
}

/// Warm starts that are not points of the space (wrong length, NaN, outside the bounds)
/// are refused with a typed error, whether evaluated first, known, or told mid-run; told
/// in place of an asked point, they are refused and the run goes on.
pub fn refuses_bad_warm_starts<S, F>(factory: &F)
where
    S: Sampler<Solution = Vec<f64>>,
    F: Fn(&Space) -> Result<S, ConfigError>,
{
    let space = Space::cube(4, -1.0, 1.0).unwrap();
    let sphere = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>();
    let bad = [
        vec![0.5; 3],
        vec![0.5; 5],
        vec![f64::NAN, 0.0, 0.0, 0.0],
        vec![0.0, 3.0, 0.0, 0.0],
        vec![0.0, 0.0, f64::NEG_INFINITY, 0.0],
    ];
    for x in bad {
        let first = Minimize::new(sphere, build(factory, &space))
            .budget(20)
            .warm_start([x.clone()])
            .run();
        assert!(
            matches!(first, Err(RunError::InvalidState(_))),
            "warm start {x:?} accepted"
        );
        let known = Minimize::new(sphere, build(factory, &space))
            .budget(20)
            .warm_start_evaluated([(x.clone(), 0.0)])
            .run();
        assert!(
            matches!(known, Err(RunError::InvalidState(_))),
            "known solution {x:?} accepted"
        );
        let mut ledger = Ledger::new(build(factory, &space)).budget(20);
        assert!(ledger.tell_known(x.clone(), 0.0).is_err(), "told {x:?}");
        // Told in place of an asked point: refused, nothing counted, and the run goes on
        // to its budget without the sampler ever seeing the point.
        let asked = ledger.ask().expect("a first point");
        assert!(ledger.try_tell(x.clone(), -1.0).is_err(), "try_tell {x:?}");
        assert_eq!(ledger.tell(x.clone(), -1.0), None);
        assert_eq!(ledger.evaluations(), 0, "{x:?} counted");
        let value = sphere(&asked);
        ledger.tell(asked, value);
        while let Some(x) = ledger.ask() {
            let value = sphere(&x);
            ledger.tell(x, value);
        }
        assert_eq!(ledger.evaluations(), 20);
        let best = ledger.best().expect("a best point");
        assert!(space.contains(&best.x) && best.value >= 0.0, "{best:?}");
    }
}

/// A run paused on the mixed space, saved, damaged in many ways, and restored: see
/// [`survives_damaged_checkpoints`].
pub fn damaged_checkpoints_fail_typed<S, F>(factory: &F)
where
    S: Sampler<Solution = Vec<f64>> + Serialize + DeserializeOwned,
    F: Fn(&Space) -> Result<S, ConfigError>,
{
    let space = mixed_space();
    let mut run = Minimize::new(mixed_objective, build(factory, &space))
        .budget(300)
        .seed(13);
    assert_eq!(run.advance(90).unwrap(), None);
    let objective = |x: &Vec<f64>| mixed_objective(x);
    let continued = survives_damaged_checkpoints(run.ledger(), objective, 300, 13);
    // Most damage is refused; harmless damage (a value in the history, a seed) is not.
    assert!(
        continued > 0 && continued < 300,
        "{continued} of 300 damaged states continued"
    );
}

/// Damages the JSON form of `valid` `cases` times (numbers changed, arrays truncated,
/// emptied or grown, flags flipped, values of two fields swapped; one to three changes
/// per case, drawn from `seed`) and checks each result: it fails to deserialise, or
/// [`Ledger::restore`] refuses it with a typed error, or the restored run continues for
/// up to 40 evaluations without a panic and asks only points its sampler accepts
/// ([`Sampler::check_point`]).
///
/// Returns how many damaged states were restored and continued (the others were
/// refused).
///
/// # Panics
///
/// When a damaged state panics or proposes a point outside its space; the message holds
/// the case.
pub fn survives_damaged_checkpoints<S>(
    valid: &Ledger<S>,
    objective: impl Fn(&S::Solution) -> f64,
    cases: usize,
    seed: u64,
) -> usize
where
    S: Sampler + Serialize + DeserializeOwned,
{
    let original = serde_json::to_value(valid).expect("state must serialise");
    let restored: Ledger<S> = serde_json::from_value(original.clone()).expect("state must deserialise");
    assert!(
        Ledger::restore(restored).is_ok(),
        "the undamaged state was refused"
    );
    let mut rng = ZooRng::seed_from(seed);
    let mut continued = 0;
    for case in 0..cases {
        let mut json = original.clone();
        for _ in 0..=rng.index(3) {
            damage(&mut json, &mut rng);
        }
        let result = catch_unwind(AssertUnwindSafe(|| -> Result<bool, String> {
            let Ok(ledger) = serde_json::from_value::<Ledger<S>>(json.clone()) else {
                return Ok(false);
            };
            let Ok(mut ledger) = Ledger::restore(ledger) else {
                return Ok(false);
            };
            for _ in 0..40 {
                let Step::Evaluate(x) = ledger.step() else { break };
                ledger
                    .sampler()
                    .check_point(&x, "an asked point")
                    .map_err(|e| e.to_string())?;
                let value = objective(&x);
                ledger.tell(x, value);
            }
            Ok(true)
        }));
        match result {
            Ok(Ok(ran)) => continued += usize::from(ran),
            Ok(Err(e)) => panic!("damaged case {case}: {e}\nstate: {json}"),
            Err(payload) => panic!(
                "damaged case {case} panicked: {}\nstate: {json}",
                crate::panic_message(payload.as_ref())
            ),
        }
    }
    continued
}

/// JSON pointers of every node below `json`.
fn pointers(json: &Json, at: String, out: &mut Vec<String>) {
    match json {
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{i}"), out);
            }
        }
        Json::Object(fields) => {
            for (key, item) in fields {
                let key = key.replace('~', "~0").replace('/', "~1");
                pointers(item, format!("{at}/{key}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// One random change to one node of `json`.
fn damage(json: &mut Json, rng: &mut ZooRng) {
    let mut all = Vec::new();
    pointers(json, String::new(), &mut all);
    let at = &all[rng.index(all.len())];
    if rng.chance(0.15) {
        // Swap with another node of the same parent object or array.
        let other = &all[rng.index(all.len())];
        if let (Some(a), Some(b)) = (json.pointer(at).cloned(), json.pointer(other).cloned())
            && !at.starts_with(other.as_str())
            && !other.starts_with(at.as_str())
        {
            *json.pointer_mut(at).expect("found above") = b;
            *json.pointer_mut(other).expect("found above") = a;
        }
        return;
    }
    let Some(node) = json.pointer_mut(at) else { return };
    let pick = rng.index(8);
    *node = match node.take() {
        Json::Number(n) => {
            if let Some(v) = n.as_u64() {
                let choices = [
                    0,
                    1,
                    v.saturating_add(1),
                    v.saturating_sub(1),
                    v.saturating_mul(2),
                    10u64.pow(13),
                    u64::MAX,
                    1 << 53,
                ];
                Json::from(choices[pick])
            } else {
                let v = n.as_f64().unwrap_or(0.0);
                let choices = [0.0, -v, v * 1e6, 1e308, -1e308, v + 0.5, 1e-320, v - 1.0];
                serde_json::Number::from_f64(choices[pick]).map_or(Json::Null, Json::Number)
            }
        }
        Json::Array(mut items) => {
            match pick {
                0 => items.clear(),
                1 | 2 if !items.is_empty() => {
                    let i = rng.index(items.len());
                    items.remove(i);
                }
                3 | 4 if !items.is_empty() => {
                    let i = rng.index(items.len());
                    items.push(items[i].clone());
                }
                _ => items.truncate(rng.index(items.len() + 1)),
            }
            Json::Array(items)
        }
        Json::Bool(b) => Json::Bool(!b),
        Json::String(_) if pick < 4 => Json::from(["NaN", "inf", "-inf", ""][pick]),
        Json::Null => Json::from(pick as u64),
        other => other,
    };
}
