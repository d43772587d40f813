//! Issue #13 for subset selection: damaged checkpoints, subsets of another universe and
//! universes too large to allocate end in typed errors, never in a panic or an abort.

use serde_json::json;
use zoo_core::testing::conformance::{every_reachable_state_restores, survives_damaged_checkpoints};
use zoo_core::{Ledger, Minimize, RunError, Sampler};
use zoo_subset::{Greedy, MAX_ITEMS, Ponss, Poss, SizeLimit, Subset, SubsetError};

/// The loss of a subset of 30 items with weights 0..30: heavier items are better.
fn weighted(s: &Subset) -> f64 {
    -s.iter().map(|i| i as f64).sum::<f64>()
}

fn paused<S>(sampler: S, at: u64) -> Ledger<S>
where
    S: Sampler<Solution = Subset>,
{
    let mut run = Minimize::new(weighted, sampler).budget(400).seed(6);
    assert_eq!(run.advance(at).unwrap(), None);
    run.into_ledger()
}

#[test]
fn a_universe_too_large_to_allocate_is_refused_everywhere() {
    let huge = 10usize.pow(13);
    assert_eq!(
        Poss::new(huge, SizeLimit::new(3)).err(),
        Some(SubsetError::TooManyItems {
            n: huge,
            max: MAX_ITEMS
        })
    );
    assert!(Ponss::new(huge, SizeLimit::new(3), 0.1, 2).is_err());
    assert!(Greedy::new(huge, 3).is_err());
    // In a checkpoint: a subset claiming 10^13 items fails to deserialise, and a sampler
    // claiming them is refused before its first ask allocates anything.
    assert!(serde_json::from_value::<Subset>(json!({"n": huge, "items": []})).is_err());
    let mut state =
        serde_json::to_value(Ledger::new(Poss::new(30, SizeLimit::new(3)).unwrap()).budget(50)).unwrap();
    state["sampler"]["n"] = json!(huge);
    let ledger: Ledger<Poss> = serde_json::from_value(state).unwrap();
    assert!(Ledger::restore(ledger.clone()).is_err());
    let run = Minimize::resume(weighted, ledger).run();
    assert!(matches!(run, Err(RunError::InvalidState(_))), "{run:?}");
}

#[test]
fn subsets_of_another_universe_are_typed_errors_not_panics() {
    let other = Subset::from_indices(31, [1, 2]).unwrap();
    let run = Minimize::new(weighted, Poss::new(30, SizeLimit::new(3)).unwrap())
        .budget(50)
        .warm_start([other.clone()])
        .run();
    assert!(matches!(run, Err(RunError::InvalidState(_))), "{run:?}");
    let mut ledger = Ledger::new(Greedy::new(30, 3).unwrap()).budget(50);
    assert!(ledger.tell_known(other.clone(), -3.0).is_err());
    // Told directly, the samplers ignore such a subset instead of asserting.
    let mut ponss = Ponss::new(30, SizeLimit::new(3), 0.1, 2).unwrap();
    ponss.tell(other.clone(), -3.0);
    assert!(ponss.best().is_none());
    let mut greedy = Greedy::new(30, 3).unwrap();
    greedy.tell(other, -3.0);
    assert!(greedy.best().is_none());
}

#[test]
fn every_reachable_state_of_poss_ponss_and_greedy_restores() {
    let objective = |s: &Subset| weighted(s);
    every_reachable_state_restores(
        Ledger::new(Poss::new(30, SizeLimit::new(4)).unwrap())
            .budget(300)
            .seed(8),
        objective,
    );
    every_reachable_state_restores(
        Ledger::new(Ponss::new(30, SizeLimit::new(4), 0.5, 3).unwrap())
            .budget(300)
            .seed(8),
        objective,
    );
    every_reachable_state_restores(
        Ledger::new(Greedy::new(30, 4).unwrap()).budget(300).seed(8),
        objective,
    );
}

#[test]
fn damaged_checkpoints_of_poss_ponss_and_greedy_are_refused_or_continue() {
    let objective = |s: &Subset| weighted(s);
    let poss = paused(Poss::new(30, SizeLimit::new(4)).unwrap(), 150);
    let ponss = paused(Ponss::new(30, SizeLimit::new(4), 0.5, 3).unwrap(), 150);
    let greedy = paused(Greedy::new(30, 4).unwrap(), 45);
    for continued in [
        survives_damaged_checkpoints(&poss, objective, 300, 1),
        survives_damaged_checkpoints(&ponss, objective, 300, 2),
        survives_damaged_checkpoints(&greedy, objective, 300, 3),
    ] {
        assert!(continued > 0 && continued < 300, "{continued}");
    }
}
