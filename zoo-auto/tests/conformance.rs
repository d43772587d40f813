//! The sampler contract, for the portfolio and the noisy plan.

use zoo_auto::{Auto, AutoConfig};
use zoo_core::testing::conformance;

#[test]
fn portfolio_conforms() {
    conformance::check_all(|space| Auto::new(space.clone(), AutoConfig::default()));
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
