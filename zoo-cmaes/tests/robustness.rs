//! Issue #13 for CMA-ES: the state check accepts every state a run can reach (here the
//! largest automatic margin, 1/(λ·n) = 0.5) and refuses impossible ones.

use zoo_cmaes::{CmaEs, CmaEsConfig};
use zoo_core::{Dimension, Ledger, Minimize, RunError, Space};

fn distance(x: &[f64]) -> f64 {
    (x[0] - 7.0).abs()
}

fn sampler() -> CmaEs {
    let space = Space::new([Dimension::integer(0, 10).unwrap()]).unwrap();
    CmaEs::new(
        space,
        CmaEsConfig {
            population: Some(2),
            ..CmaEsConfig::default()
        },
    )
    .unwrap()
}

#[test]
fn a_paused_run_with_the_largest_automatic_margin_resumes_exactly() {
    let whole = Minimize::new(distance, sampler())
        .budget(60)
        .seed(3)
        .run()
        .unwrap();
    let mut first = Minimize::new(distance, sampler()).budget(60).seed(3);
    // Paused in the first run (λ = 2, n = 1), before any restart.
    assert_eq!(first.advance(7).unwrap(), None);
    let json = serde_json::to_value(first.ledger()).unwrap();
    assert_eq!(
        json["sampler"]["run"]["margin"],
        serde_json::json!(0.5),
        "{}",
        json["sampler"]["run"]
    );
    let state: Ledger<CmaEs> = serde_json::from_value(json).unwrap();
    let resumed = Minimize::resume(distance, Ledger::restore(state).unwrap())
        .run()
        .unwrap();
    assert_eq!(resumed.history, whole.history);
}

#[test]
fn an_impossible_population_is_refused() {
    let mut first = Minimize::new(distance, sampler()).budget(60).seed(3);
    assert_eq!(first.advance(23).unwrap(), None);
    let mut json = serde_json::to_value(first.ledger()).unwrap();
    json["sampler"]["population"] = serde_json::json!(10_000_000_000_000u64);
    let state: Ledger<CmaEs> = serde_json::from_value(json).unwrap();
    let run = Minimize::resume(distance, state).run();
    assert!(matches!(run, Err(RunError::InvalidState(_))), "{run:?}");
}
