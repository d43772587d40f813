//! The CMA-ES samplers compose with the workspace's wrappers like SRACOS does: re-sampling
//! under noise, a sequential random embedding in high dimensions, parallel batches.

use zoo_cmaes::{CmaEs, CmaEsConfig};
use zoo_core::testing::functions::sphere;
use zoo_core::{Minimize, Parallel, Space};
use zoo_highdim::{Embedded, EmbeddingConfig};
use zoo_noise::{Noisy, Resampling};

#[test]
fn resampled_cmaes_spends_the_exact_budget_and_improves() {
    let noisy = Noisy::new(sphere, 0.05, 3).unwrap();
    let cmaes = CmaEs::new(Space::cube(5, -1.0, 1.0).unwrap(), CmaEsConfig::default()).unwrap();
    let outcome = Minimize::new(&noisy, Resampling::new(cmaes, 5).unwrap())
        .budget(3_000)
        .seed(1)
        .run()
        .unwrap();
    assert_eq!(outcome.evaluations, 3_000);
    assert!(noisy.noise_free(&outcome.best.x) < 0.05);
}

#[test]
fn embedded_cmaes_searches_a_large_box() {
    let space = Space::cube(500, -1.0, 1.0).unwrap();
    let f = |x: &[f64]| sphere(&x[..5]) + sphere(&x[5..]) / 500.0;
    let embedded = Embedded::new(&space, EmbeddingConfig::for_budget(1_500), |low, _| {
        CmaEs::new(low, CmaEsConfig::default())
    })
    .unwrap();
    let outcome = Minimize::new(f, embedded).budget(1_500).seed(2).run().unwrap();
    assert_eq!(outcome.evaluations, 1_500);
    assert!(space.contains(&outcome.best.x));
    assert!(outcome.best.value < f(&vec![0.5; 500]));
}

#[test]
fn cmaes_in_batches_is_reproducible_whatever_the_thread_count() {
    let run = |threads| {
        let cmaes = CmaEs::new(Space::cube(6, -1.0, 1.0).unwrap(), CmaEsConfig::default()).unwrap();
        Minimize::new(sphere, cmaes)
            .budget(600)
            .seed(4)
            .threads(threads)
            .parallel(Parallel::Batch { size: 8 })
            .run()
            .unwrap()
            .history
    };
    assert_eq!(run(1), run(2));
}
