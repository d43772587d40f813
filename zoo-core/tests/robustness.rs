//! Issue #13: nothing a user passes in (a damaged checkpoint, a warm start, a space at
//! the edges of f64 and i64, a pause point) panics, hangs or silently corrupts a run.

#![allow(clippy::float_cmp)]

use std::panic::{AssertUnwindSafe, catch_unwind};

use proptest::prelude::*;
use serde_json::{Value, json};
use zoo_core::{
    Dimension, Ledger, Minimize, Parallel, RandomSearch, RunError, Space, SpaceError, StateError, Step,
    ZooRng,
};

fn sphere(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum()
}

/// A run of random search over a small mixed space paused after 20 of 60 evaluations,
/// as JSON.
fn checkpoint() -> Value {
    let space = Space::new([
        Dimension::continuous(-1.0, 1.0).unwrap(),
        Dimension::integer(-3, 3).unwrap(),
    ])
    .unwrap();
    let mut run = Minimize::new(sphere, RandomSearch::new(space)).budget(60).seed(2);
    assert_eq!(run.advance(20).unwrap(), None);
    serde_json::to_value(run.ledger()).unwrap()
}

/// One change to a checkpoint's JSON.
type Damage = Box<dyn Fn(&mut Value)>;

fn load(json: &Value) -> Ledger<RandomSearch> {
    serde_json::from_value(json.clone()).expect("the damage keeps the JSON shape")
}

#[test]
fn restore_refuses_every_kind_of_impossible_state() {
    let valid = checkpoint();
    let damages: Vec<(&str, Damage)> = vec![
        (
            "evaluations above the budget",
            Box::new(|j| j["evaluations"] = json!(61)),
        ),
        (
            "history shorter than the evaluations",
            Box::new(|j| {
                j["history"]["values"].as_array_mut().unwrap().pop();
            }),
        ),
        ("NaN count", Box::new(|j| j["nan_evaluations"] = json!(3))),
        (
            "in flight beyond the budget",
            Box::new(|j| j["in_flight"] = json!(41)),
        ),
        (
            "best value above the history's",
            Box::new(|j| j["best_value"] = json!(1e9)),
        ),
        (
            "inverted bounds",
            Box::new(|j| j["sampler"]["space"]["dims"][0]["Continuous"]["lo"] = json!(2.0)),
        ),
        (
            "no dimensions",
            Box::new(|j| j["sampler"]["space"]["dims"] = json!([])),
        ),
        (
            "unrepresentable precision",
            Box::new(|j| {
                j["sampler"]["space"]["dims"][0]["Continuous"]["decimals"] = json!(400);
            }),
        ),
        (
            "integers beyond 2^53",
            Box::new(|j| {
                j["sampler"]["space"]["dims"][1]["Integer"]["hi"] = json!(1u64 << 60);
            }),
        ),
        (
            "best point outside the space",
            Box::new(|j| j["sampler"]["best"]["x"][0] = json!(5.0)),
        ),
        (
            "best point of another dimension",
            Box::new(|j| {
                j["sampler"]["best"]["x"].as_array_mut().unwrap().push(json!(0.0));
            }),
        ),
        (
            "warm start outside the space",
            Box::new(|j| j["warm_unevaluated"] = json!([[0.5, 9.0]])),
        ),
        ("a newer format", Box::new(|j| j["version"] = json!(99))),
    ];
    for (what, damage) in damages {
        let mut json = valid.clone();
        damage(&mut json);
        let err = Ledger::restore(load(&json)).expect_err(what);
        if what == "a newer format" {
            assert_eq!(
                err,
                StateError::Version {
                    found: 99,
                    supported: 1
                }
            );
        }
        // Every driver refuses it too, before evaluating anything.
        let run = Minimize::resume(|_: &[f64]| panic!("evaluated"), load(&json)).run();
        assert!(matches!(run, Err(RunError::InvalidState(_))), "{what}: {run:?}");
        let threaded = Minimize::resume(|_: &[f64]| panic!("evaluated"), load(&json))
            .threads(2)
            .run();
        assert!(
            matches!(threaded, Err(RunError::InvalidState(_))),
            "{what}: {threaded:?}"
        );
    }
}

#[test]
fn checkpoints_written_before_the_version_field_still_resume_exactly() {
    let mut json = checkpoint();
    json.as_object_mut().unwrap().remove("version");
    let resumed = Minimize::resume(sphere, Ledger::restore(load(&json)).unwrap())
        .run()
        .unwrap();
    let whole = Minimize::resume(sphere, load(&checkpoint())).run().unwrap();
    assert_eq!(resumed.history, whole.history);
}

#[test]
fn a_tiny_precision_is_refused_instead_of_handing_out_nan() {
    for (lo, hi, precision) in [(0.0, 1.0, 1e-320), (0.0, 1.0, 1e-310), (0.0, 1e300, 1e-10)] {
        assert!(
            matches!(
                Dimension::continuous_with_precision(lo, hi, precision),
                Err(SpaceError::InvalidPrecision(_))
            ),
            "[{lo}, {hi}] at {precision}"
        );
    }
}

#[test]
fn a_grid_beyond_u128_has_no_cardinality_and_is_searched() {
    let dim = Dimension::continuous_with_precision(-1e30, 1e30, 1e-10).unwrap();
    assert_eq!(dim.cardinality(), None, "2e40 points must not wrap");
    let space = Space::new([dim.clone(), dim]).unwrap();
    assert_eq!(space.cardinality(), None);
    let outcome = Minimize::new(sphere, RandomSearch::new(space.clone()))
        .budget(50)
        .run()
        .unwrap();
    assert_eq!(outcome.evaluations, 50);
    assert!(space.contains(&outcome.best.x));
}

#[test]
fn a_precision_coarser_than_the_interval_is_refused() {
    assert!(matches!(
        Dimension::continuous_with_precision(0.04, 0.06, 0.1),
        Err(SpaceError::EmptyGrid { .. })
    ));
    // One multiple inside: it is the only value sampled.
    let one = Dimension::continuous_with_precision(0.04, 0.14, 0.1).unwrap();
    let mut rng = ZooRng::seed_from(1);
    for _ in 0..100 {
        let x = one.sample(&mut rng);
        assert!(one.contains(x) && (x - 0.1).abs() < 1e-12, "{x}");
    }
}

#[test]
fn integers_beyond_2_53_are_refused_and_those_below_are_sampled_exactly() {
    for (lo, hi) in [
        (0, 1i64 << 60),
        (i64::MIN, i64::MAX),
        (-(1i64 << 54), 0),
        (0, (1i64 << 53) + 1),
    ] {
        assert_eq!(
            Dimension::integer(lo, hi),
            Err(SpaceError::IntegerBeyondF64 { lo, hi })
        );
    }
    let wide = Dimension::integer(-(1i64 << 53), 1i64 << 53).unwrap();
    let mut rng = ZooRng::seed_from(3);
    let draws: Vec<f64> = (0..200).map(|_| wide.sample(&mut rng)).collect();
    assert!(draws.iter().all(|&x| wide.contains(x)));
    assert!(draws.iter().any(|&x| x % 2.0 != 0.0), "only even values reached");
}

#[test]
fn a_one_point_interval_counts_as_one_point() {
    assert_eq!(Dimension::continuous(1.5, 1.5).unwrap().cardinality(), Some(1));
    assert_eq!(Dimension::continuous(1.5, 2.5).unwrap().cardinality(), None);
}

#[test]
fn a_width_beyond_f64_a_nan_coordinate_and_an_impossible_length_are_handled() {
    // Each bound is finite, their distance is not: samplers scaling by it would make NaN.
    for (lo, hi) in [(-1e308, 1e308), (-f64::MAX, f64::MAX), (-1e300, f64::MAX)] {
        assert!(
            matches!(
                Dimension::continuous(lo, hi),
                Err(SpaceError::NonFiniteBounds { .. })
            ),
            "[{lo}, {hi}]"
        );
    }
    assert!(Dimension::continuous(-1e307, 1e307).is_ok() && Dimension::continuous(0.0, f64::MAX).is_ok());
    assert!(matches!(
        Space::cube(usize::MAX, 0.0, 1.0),
        Err(SpaceError::TooManyDimensions(n)) if n == usize::MAX
    ));
    assert!(matches!(
        Space::binary(usize::MAX),
        Err(SpaceError::TooManyDimensions(_))
    ));
    let space = Space::new([
        Dimension::continuous(-2.0, 3.0).unwrap(),
        Dimension::continuous_with_precision(0.25, 9.0, 0.1).unwrap(),
        Dimension::integer(4, 7).unwrap(),
        Dimension::categorical(["a", "b"]).unwrap(),
    ])
    .unwrap();
    let mut x = vec![f64::NAN; 4];
    space.snap(&mut x);
    assert_eq!(x, [-2.0, 0.3, 4.0, 0.0]);
    assert!(space.contains(&x));
}

#[test]
fn a_batch_run_pauses_only_at_a_batch_border_and_then_resumes_exactly() {
    let space = Space::cube(3, -1.0, 1.0).unwrap();
    let batch = |ledger: Ledger<RandomSearch>| {
        Minimize::resume(sphere, ledger)
            .parallel(Parallel::Batch { size: 4 })
            .threads(2)
    };
    let whole = batch(Ledger::new(RandomSearch::new(space.clone())).budget(30).seed(5))
        .run()
        .unwrap();
    let mut paused = batch(Ledger::new(RandomSearch::new(space)).budget(30).seed(5));
    assert!(matches!(
        paused.advance(6),
        Err(RunError::PauseOffBatchBorder { pause_at: 6, size: 4 })
    ));
    assert_eq!(
        paused.ledger().evaluations(),
        0,
        "a refused pause evaluates nothing"
    );
    assert_eq!(paused.advance(8).unwrap(), None);
    let json = serde_json::to_string(paused.ledger()).unwrap();
    let resumed = batch(serde_json::from_str(&json).unwrap()).run().unwrap();
    assert_eq!(resumed.history, whole.history);
}

/// Floats at the edges of f64, and ordinary ones.
fn edge_float() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(-0.0),
        Just(1.0),
        Just(-1.0),
        Just(1e308),
        Just(-1e308),
        Just(f64::MAX),
        Just(f64::MIN),
        Just(1e-320),
        Just(f64::MIN_POSITIVE),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(9007199254740993.0),
        -1e6..1e6f64,
    ]
}

fn edge_integer() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MAX),
        Just(1i64 << 53),
        Just(-(1i64 << 53)),
        Just((1i64 << 53) + 1),
        Just(0),
        -1000..1000i64,
    ]
}

/// A dimension built from edge inputs: either a typed error or a dimension.
fn edge_dimension() -> impl Strategy<Value = Result<Dimension, SpaceError>> {
    prop_oneof![
        (edge_float(), edge_float()).prop_map(|(lo, hi)| Dimension::continuous(lo, hi)),
        (edge_float(), edge_float(), edge_float())
            .prop_map(|(lo, hi, p)| Dimension::continuous_with_precision(lo, hi, p)),
        (edge_float(), edge_float(), -320..320i32)
            .prop_map(|(lo, hi, k)| Dimension::continuous_with_precision(lo, hi, 10f64.powi(k))),
        (edge_integer(), edge_integer()).prop_map(|(lo, hi)| Dimension::integer(lo, hi)),
        (0..4usize).prop_map(|n| Dimension::categorical((0..n as i64).collect::<Vec<_>>())),
    ]
}

proptest! {
    // A fixed seed keeps CI reproducible; the cases were also run with random seeds.
    #![proptest_config(ProptestConfig {
        cases: 256,
        rng_seed: proptest::test_runner::RngSeed::Fixed(13),
        ..ProptestConfig::default()
    })]

    /// Every dimension that builds samples and snaps only to values it contains, and
    /// counts its points without panicking.
    #[test]
    fn dimensions_at_the_edges_sample_inside_or_fail_typed(dim in edge_dimension(), seed in any::<u64>(), x in edge_float()) {
        let checked = catch_unwind(AssertUnwindSafe(|| {
            let Ok(dim) = dim else { return Ok(()) };
            let _ = dim.cardinality();
            let mut rng = ZooRng::seed_from(seed);
            for _ in 0..16 {
                let v = dim.sample(&mut rng);
                if !dim.contains(v) {
                    return Err(format!("sampled {v} outside {dim:?}"));
                }
            }
            let (lo, hi) = dim.bounds();
            let inside = if x.is_finite() { x.clamp(lo, hi) } else { lo };
            let snapped = dim.snap(inside);
            if !dim.contains(snapped) {
                return Err(format!("snapped {inside} to {snapped} outside {dim:?}"));
            }
            Ok(())
        }));
        prop_assert!(checked.is_ok(), "panicked");
        prop_assert_eq!(checked.unwrap(), Ok(()));
    }

    /// A warm start is evaluated as given when it is a point of the space and refused
    /// with a typed error otherwise; it never panics and never reaches the objective
    /// outside the space.
    #[test]
    fn warm_starts_at_the_edges_run_or_fail_typed(point in proptest::collection::vec(edge_float(), 0..5)) {
        let space = Space::cube(3, -1.0, 1.0).unwrap();
        let inside = space.contains(&point);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let objective = |x: &[f64]| {
                assert!(space.contains(x), "evaluated {x:?}");
                sphere(x)
            };
            Minimize::new(objective, RandomSearch::new(space.clone()))
                .budget(5)
                .warm_start([point.clone()])
                .run()
        }));
        prop_assert!(outcome.is_ok(), "panicked on {:?}", point);
        match outcome.unwrap() {
            Ok(run) => prop_assert!(inside && run.evaluations == 5),
            Err(e) => prop_assert!(!inside && matches!(e, RunError::InvalidState(_)), "{e:?}"),
        }
        let mut ledger = Ledger::new(RandomSearch::new(space.clone())).budget(5);
        prop_assert_eq!(ledger.tell_known(point.clone(), 1.0).is_ok(), inside);
        prop_assert!(matches!(ledger.step(), Step::Evaluate(_)));
    }
}
