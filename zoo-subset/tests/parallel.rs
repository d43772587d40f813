//! The samplers under zoo-core's parallel drivers: asks ahead of tells, tells out of
//! order.

use zoo_core::{Minimize, Parallel};
use zoo_subset::{Greedy, Ponss, Poss, SizeLimit, SparseRegression, default_budget, sonar};

const N: usize = 60;
const K: usize = 8;

#[test]
fn batches_give_the_same_run_on_any_thread_count() {
    let loss = SparseRegression::new(&sonar(), K).unwrap();
    let budget = 4_000;
    let poss = |threads| {
        Minimize::new(&loss, Poss::new(N, SizeLimit::new(K)).unwrap())
            .budget(budget)
            .seed(5)
            .threads(threads)
            .parallel(Parallel::Batch { size: 8 })
            .run()
            .unwrap()
    };
    let (one, two) = (poss(1), poss(2));
    assert_eq!(one.best, two.best);
    assert_eq!(one.history, two.history);
    assert_eq!(one.evaluations, budget);

    let ponss = |threads| {
        Minimize::new(&loss, Ponss::new(N, SizeLimit::new(K), 0.5, K).unwrap())
            .budget(budget)
            .seed(5)
            .threads(threads)
            .parallel(Parallel::Batch { size: 8 })
            .run()
            .unwrap()
    };
    let (one, two) = (ponss(1), ponss(2));
    assert_eq!(one.best, two.best);
    assert_eq!(one.evaluations, budget);
}

#[test]
fn asynchronous_runs_keep_the_budget_and_the_quality() {
    let loss = SparseRegression::new(&sonar(), K).unwrap();
    let budget = default_budget(N, K);
    let poss = Minimize::new(&loss, Poss::new(N, SizeLimit::new(K)).unwrap())
        .budget(budget)
        .seed(1)
        .threads(2)
        .run()
        .unwrap();
    assert_eq!(poss.evaluations, budget);
    assert!(poss.best.value < 0.5778, "POSS {}", poss.best.value);
    let ponss = Minimize::new(&loss, Ponss::new(N, SizeLimit::new(K), 0.5, K).unwrap())
        .budget(budget)
        .seed(1)
        .threads(2)
        .run()
        .unwrap();
    assert_eq!(ponss.evaluations, budget);
    assert!(ponss.best.x.count() <= K);
}

#[test]
fn greedy_waits_for_the_last_candidates_of_each_step() {
    let loss = SparseRegression::new(&sonar(), K).unwrap();
    let sequential = Minimize::new(&loss, Greedy::new(N, K).unwrap())
        .budget(10_000)
        .run()
        .unwrap();
    for mode in [Parallel::Batch { size: 7 }, Parallel::Async] {
        let parallel = Minimize::new(&loss, Greedy::new(N, K).unwrap())
            .budget(10_000)
            .threads(2)
            .parallel(mode)
            .run()
            .unwrap();
        assert_eq!(parallel.best, sequential.best, "{mode:?}");
        assert_eq!(parallel.evaluations, Greedy::evaluations(N, K));
    }
}
