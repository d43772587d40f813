//! The stopping scenarios of `tests/data/stopping.json` through every Rust driver: the
//! sequential loop, the ledger's own ask/tell face, batch threads and asynchronous threads.
//! The Python package runs the same table through its drivers (`zoo-py/tests`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::Value;
use zoo_core::{Ledger, Minimize, Parallel, RandomSearch, Space, StopReason};

fn table() -> Value {
    serde_json::from_str(include_str!("data/stopping.json")).unwrap()
}

/// The objective of a scenario: its value depends on the call order only.
struct Scenario<'t> {
    spec: &'t Value,
    calls: AtomicU64,
}

impl Scenario<'_> {
    fn evaluate(&self, _: &[f64]) -> f64 {
        let k = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(ms) = self.spec["sleep_ms"].as_u64() {
            std::thread::sleep(Duration::from_millis(ms));
        }
        match self.spec["objective"].as_str().unwrap() {
            "countdown" => 10.0 - k as f64,
            _ => 1.0,
        }
    }

    fn points(&self, key: &str) -> Vec<Vec<f64>> {
        self.spec[key]
            .as_array()
            .map(|a| a.iter().map(vec_of).collect())
            .unwrap_or_default()
    }

    fn known(&self) -> Vec<(Vec<f64>, f64)> {
        self.spec["warm_evaluated"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| (vec_of(&p[0]), p[1].as_f64().unwrap()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn expected_stop(&self) -> StopReason {
        serde_json::from_value(self.spec["stop"].clone()).unwrap()
    }
}

fn vec_of(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_f64().unwrap())
        .collect()
}

fn sampler(table: &Value) -> RandomSearch {
    let s = &table["space"];
    RandomSearch::new(
        Space::cube(
            s["dim"].as_u64().unwrap() as usize,
            s["lo"].as_f64().unwrap(),
            s["hi"].as_f64().unwrap(),
        )
        .unwrap(),
    )
}

fn ledger(table: &Value, scenario: &Scenario<'_>) -> Ledger<RandomSearch> {
    let spec = scenario.spec;
    let mut ledger = Ledger::new(sampler(table))
        .budget(spec["budget"].as_u64().unwrap())
        .seed(table["seed"].as_u64().unwrap())
        .warm_start(scenario.points("warm_points"))
        .warm_start_evaluated(scenario.known());
    if let Some(t) = spec["target"].as_f64() {
        ledger = ledger.target(t);
    }
    if let Some(p) = spec["patience"].as_u64() {
        ledger = ledger.patience(p);
    }
    if let Some(t) = spec["time_limit_s"].as_f64() {
        ledger = ledger.time_limit(Duration::from_secs_f64(t));
    }
    ledger
}

/// `(stop, evaluations)` of one scenario through one driver.
fn run(table: &Value, spec: &Value, driver: &str) -> (StopReason, u64) {
    let scenario = Scenario {
        spec,
        calls: AtomicU64::new(0),
    };
    let objective = |x: &[f64]| scenario.evaluate(x);
    let stop_after = spec["criterion_evaluations"].as_u64();
    if driver == "ask/tell" {
        let mut ledger = ledger(table, &scenario);
        let mut callbacks = zoo_core::Callbacks::none();
        if let Some(n) = stop_after {
            callbacks = callbacks.stop_when(move |p| p.evaluations >= n);
        }
        while let Some(x) = ledger.ask() {
            let value = objective(&x);
            if ledger.tell_with(x, value, &mut callbacks).is_some() {
                break;
            }
        }
        let outcome = ledger.finish().unwrap();
        return (outcome.stop, outcome.evaluations);
    }
    let mut run = Minimize::resume(objective, ledger(table, &scenario));
    if let Some(n) = stop_after {
        run = run.stop_when(move |p| p.evaluations >= n);
    }
    let outcome = match driver {
        "sequential" => run.run(),
        "batch" => run.threads(2).parallel(Parallel::Batch { size: 1 }).run(),
        "async" => run.threads(2).parallel(Parallel::Async).run(),
        other => unreachable!("no driver {other}"),
    }
    .unwrap();
    assert_eq!(
        outcome.evaluations,
        scenario.calls.load(Ordering::SeqCst),
        "{driver}: every call counted"
    );
    (outcome.stop, outcome.evaluations)
}

#[test]
fn every_driver_stops_for_the_same_reason_after_the_same_evaluations() {
    let table = table();
    for spec in table["scenarios"].as_array().unwrap() {
        let name = spec["name"].as_str().unwrap();
        let expected = Scenario {
            spec,
            calls: AtomicU64::new(0),
        }
        .expected_stop();
        for driver in ["sequential", "ask/tell", "batch", "async"] {
            let (stop, evaluations) = run(&table, spec, driver);
            assert_eq!(stop, expected, "{name} through {driver}");
            if let Some(n) = spec["evaluations"].as_u64() {
                // Two asynchronous workers may finish the one evaluation still running.
                let slack = u64::from(driver == "async" && spec["slack"].as_bool().unwrap());
                assert!(
                    (n..=n + slack).contains(&evaluations),
                    "{name} through {driver}: {evaluations} evaluations, expected {n}"
                );
            }
        }
    }
}
