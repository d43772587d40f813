//! basin's bounded IPOP-CMA-ES and differential evolution.

use anyhow::Result;

use super::external::{external, start};
use super::{BudgetSpent, Job, RunOutput};
use crate::problem::Problem;
use crate::tracker::Tracker;
use basin::{
    BoundedCmaEs, BoxBounds, Constrained, ConstraintSet, CostFunction, De, Executor, PopulationProgress,
};
use nalgebra::{DMatrix, DVector};

/// The objective as basin sees it.
pub(super) struct Cost<'t, 'a>(pub &'t Tracker<'a>);

impl CostFunction for Cost<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;
    type Error = BudgetSpent;

    fn cost(&self, x: &Vec<f64>) -> Result<f64, BudgetSpent> {
        self.0.evaluate_snapped(x).ok_or(BudgetSpent)
    }
}

/// CMA-ES runs on nalgebra's vectors: its symmetric eigensolver is far faster than the
/// pure-Rust Jacobi sweeps of basin's `Vec` backend (about 20× at 100 coordinates).
pub(super) struct VectorCost<'t, 'a>(pub &'t Tracker<'a>);

impl CostFunction for VectorCost<'_, '_> {
    type Param = DVector<f64>;
    type Output = f64;
    type Error = BudgetSpent;

    fn cost(&self, x: &DVector<f64>) -> Result<f64, BudgetSpent> {
        self.0.evaluate_snapped(x.as_slice()).ok_or(BudgetSpent)
    }
}

/// IPOP-CMA-ES: basin's bounded CMA-ES (adaptive boundary penalty) from a random
/// point, σ₀ 0.15 of the range (0.05–0.6 tried on Ackley-100: 0.1–0.15 did best); when
/// the distribution collapses it restarts with
/// a doubled population.
pub(super) fn cma_es(problem: &Problem, job: &Job) -> Result<RunOutput> {
    let (lo, hi) = problem.bounds();
    let width = lo
        .iter()
        .zip(&hi)
        .map(|(l, h)| h - l)
        .fold(0.0, f64::max)
        .max(1e-12);
    let n = problem.dim as f64;
    let lambda0 = 4 + (3.0 * n.ln()).floor() as usize;
    external(problem, job, |tracker, rng, round| {
        let x0 = DVector::from_vec(start(problem, rng));
        let bounds = ConstraintSet::new().with_bounds(BoxBounds::new(
            Some(DVector::from_vec(lo.clone())),
            Some(DVector::from_vec(hi.clone())),
        ));
        let lambda = lambda0 << round.min(10);
        let solver = BoundedCmaEs::<DVector<f64>, DMatrix<f64>>::new(rng.next_word(), 0.15 * width)
            .with_lambda(lambda)
            .with_absolute_distribution_size_tolerance(1e-9 * width);
        let _ = Executor::new(
            Constrained::new(VectorCost(tracker), bounds),
            solver,
            PopulationProgress::<DVector<f64>>::from_point(x0),
        )
        .max_iter(u64::MAX)
        .run();
        Ok(())
    })
}

/// basin's differential evolution, DE/rand/1/bin with CR 0.9 and F dithered in
/// [0.5, 1); population `min(10·D, max(20, budget/200))` so that it runs at least
/// ~200 generations.
pub(super) fn differential_evolution(problem: &Problem, job: &Job) -> Result<RunOutput> {
    let (lo, hi) = problem.bounds();
    let pop = (10 * problem.dim)
        .min(((job.budget / 200) as usize).max(20))
        .max(5);
    external(problem, job, |tracker, rng, _| {
        let bounds = ConstraintSet::new().with_bounds(BoxBounds::new(Some(lo.clone()), Some(hi.clone())));
        let solver = De::new(rng.next_word())
            .with_pop_size(pop)
            .with_cr(0.9)
            .with_dither(0.5, 1.0);
        let _ = Executor::new(
            Constrained::new(Cost(tracker), bounds),
            solver,
            PopulationProgress::<Vec<f64>>::empty(),
        )
        .max_iter(u64::MAX)
        .run();
        Ok(())
    })
}
