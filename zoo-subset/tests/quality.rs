//! Quality on real and synthetic sparse regression, against ZOOpt's figures and greedy.
//!
//! The runs are deterministic (portable ChaCha8 streams), but the thresholds are chosen
//! to hold for almost every set of seeds, so that they test the algorithm and not one
//! random stream. Over 100 seeds POSS reaches its best-known sonar subset
//! (MSE 0.561742) in about half of the runs, is within 0.5634 in 71 and beats greedy in
//! all of them.

use zoo_core::Minimize;
use zoo_core::testing::median;
use zoo_subset::{
    Greedy, Ponss, Poss, SizeLimit, SparseRegression, Subset, Synthetic, default_budget, recovery, sonar,
};

const N: usize = 60;
const K: usize = 8;

fn greedy_mse(loss: &SparseRegression) -> f64 {
    Minimize::new(loss, Greedy::new(N, K).unwrap())
        .budget(Greedy::evaluations(N, K))
        .run()
        .unwrap()
        .best
        .value
}

#[test]
fn greedy_reproduces_the_reference_value_on_sonar() {
    let loss = SparseRegression::new(&sonar(), K).unwrap();
    // anchors.md: greedy forward selection, MSE 0.5778.
    assert!((greedy_mse(&loss) - 0.5778).abs() < 5e-5);
}

#[test]
fn poss_on_sonar_matches_zoopt_and_beats_greedy() {
    let loss = SparseRegression::new(&sonar(), K).unwrap();
    let greedy = greedy_mse(&loss);
    let budget = default_budget(N, K);
    let values: Vec<f64> = (1..=9)
        .map(|seed| {
            let outcome = Minimize::new(&loss, Poss::new(N, SizeLimit::new(K)).unwrap())
                .budget(budget)
                .seed(seed)
                .run()
                .unwrap();
            assert_eq!(outcome.evaluations, budget);
            assert!(outcome.best.x.count() <= K);
            outcome.best.value
        })
        .collect();
    assert!(
        values.iter().all(|&v| v < greedy),
        "greedy {greedy}, POSS {values:?}"
    );
    // ZOOpt's POSS: 0.5617 (its best-known subset, 0.561742, reached by some seed).
    let best = values.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(best < 0.56175, "best {best}");
    assert!(median(&values) <= 0.5634, "values {values:?}");
}

#[test]
fn ponss_on_noise_free_sonar_is_at_zoopts_level() {
    let loss = SparseRegression::new(&sonar(), K).unwrap();
    let budget = default_budget(N, K);
    let values: Vec<f64> = (1..=5)
        .map(|seed| {
            let outcome = Minimize::new(&loss, Ponss::new(N, SizeLimit::new(K), 0.5, K).unwrap())
                .budget(budget)
                .seed(seed)
                .run()
                .unwrap();
            assert_eq!(outcome.evaluations, budget);
            assert!(outcome.best.x.count() <= K);
            outcome.best.value
        })
        .collect();
    // ZOOpt's PONSS: 0.607 (median over 60 seeds here: 0.605; upper quartile 0.611).
    assert!(median(&values) <= 0.62, "values {values:?}");
}

#[test]
fn poss_recovers_a_support_that_greedy_misses() {
    let setup = Synthetic {
        rows: 200,
        columns: 150,
        support: 8,
        noise: 0.5,
        decoys: 4,
        decoy_noise: 0.3,
    };
    let (n, k) = (setup.columns, setup.support);
    let mut poss_recovery = Vec::new();
    let mut greedy_recovery = Vec::new();
    for seed in 1..=3 {
        let problem = setup.generate(seed).unwrap();
        let loss = SparseRegression::new(&problem.data, k).unwrap();
        let greedy = Minimize::new(&loss, Greedy::new(n, k).unwrap())
            .budget(Greedy::evaluations(n, k))
            .run()
            .unwrap();
        let poss = Minimize::new(&loss, Poss::new(n, SizeLimit::new(k)).unwrap())
            .budget(default_budget(n, k))
            .seed(seed)
            .run()
            .unwrap();
        assert!(poss.best.value <= greedy.best.value + 1e-12);
        greedy_recovery.push(recovery(&greedy.best.x, &problem.support));
        poss_recovery.push(recovery(&poss.best.x, &problem.support));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(
        mean(&poss_recovery) >= mean(&greedy_recovery) + 0.25,
        "POSS {poss_recovery:?}, greedy {greedy_recovery:?}"
    );
}

#[test]
fn subsets_from_the_run_are_readable() {
    let loss = SparseRegression::new(&sonar(), K).unwrap();
    let outcome = Minimize::new(&loss, Poss::new(N, SizeLimit::new(K)).unwrap())
        .budget(500)
        .seed(0)
        .run()
        .unwrap();
    let chosen: Vec<usize> = outcome.best.x.iter().collect();
    let again = Subset::from_indices(N, chosen.iter().copied()).unwrap();
    assert_eq!(again, outcome.best.x);
    assert_eq!(loss.coefficients(&again).len(), chosen.len());
}
