//! TPE keeps the sampler contract and learns what random search cannot at small budgets.

use zoo_core::testing::{conformance, median};
use zoo_core::{Dimension, Minimize, RandomSearch, Sampler, Space};
use zoo_tpe::{Tpe, TpeConfig};

#[test]
fn tpe_conforms() {
    conformance::check_all(|space| Tpe::new(space.clone(), TpeConfig::default()));
    conformance::reachable_states_restore(&|space: &Space| Tpe::new(space.clone(), TpeConfig::default()));
    // The joint density, from the second point on: the contract covers the model at small
    // budgets too.
    let joint = TpeConfig {
        startup: 1,
        multivariate: true,
        ..TpeConfig::default()
    };
    conformance::check_all(move |space| Tpe::new(space.clone(), joint));
}

/// A conditional loss: a label of three values chooses which pair of six continuous
/// coordinates matters, each choice with its own base cost; a second label adds a cost.
fn conditional(x: &[f64]) -> f64 {
    const BASE: [f64; 3] = [0.3, 0.0, 0.15];
    const EXTRA: [f64; 5] = [0.2, 0.1, 0.0, 0.25, 0.3];
    let choice = x[6] as usize;
    let (a, b) = (x[2 * choice], x[2 * choice + 1]);
    BASE[choice] + (a - 0.7).powi(2) + 2.0 * (b - 0.2).powi(2) + EXTRA[x[7] as usize]
}

fn conditional_space() -> Space {
    let mut dims: Vec<Dimension> = (0..6).map(|_| Dimension::continuous(0.0, 1.0).unwrap()).collect();
    dims.push(Dimension::unordered(0, 2).unwrap());
    dims.push(Dimension::categorical(["a", "b", "c", "d", "e"]).unwrap());
    Space::new(dims).unwrap()
}

fn values<S: Sampler<Solution = Vec<f64>>>(make: impl Fn() -> S, budget: u64) -> Vec<f64> {
    (1..=15)
        .map(|seed| {
            let outcome = Minimize::new(conditional, make())
                .budget(budget)
                .seed(seed)
                .run()
                .unwrap();
            assert_eq!(outcome.evaluations, budget);
            outcome.best.value
        })
        .collect()
}

#[test]
fn tpe_learns_the_labels_that_matter_at_small_budgets() {
    let tpe = values(
        || Tpe::new(conditional_space(), TpeConfig::default()).unwrap(),
        60,
    );
    let random = values(|| RandomSearch::new(conditional_space()), 60);
    // Measured: medians 0.0029 against 0.087, lower on 15 of 15 seeds. Before the prior's
    // centre counted as a neighbour in the kernel widths, TPE ended near 0.1 (the wrong
    // second label) on 4 of 15 seeds.
    assert!(median(&tpe) < 0.3 * median(&random), "{tpe:?} {random:?}");
    let lower = tpe.iter().zip(&random).filter(|(t, r)| t < r).count();
    assert!(lower >= 10, "{lower}: {tpe:?} {random:?}");
}
