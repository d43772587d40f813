//! argmin's derivative-free solvers: Nelder-Mead, particle swarm, simulated annealing.

use std::cell::RefCell;

use anyhow::Result;
use zoo_core::ZooRng;

use super::external::{external, start};
use super::{BudgetSpent, Job, RunOutput};
use crate::problem::Problem;
use crate::tracker::Tracker;
use argmin::core::{CostFunction, Error, Executor};
use argmin::solver::neldermead::NelderMead;
use argmin::solver::particleswarm::ParticleSwarm;
use argmin::solver::simulatedannealing::{Anneal, SATempFunc, SimulatedAnnealing};
use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::SeedableRng;

/// The objective as argmin sees it.
pub(super) struct Cost<'t, 'a> {
    pub tracker: &'t Tracker<'a>,
    /// Neighbour steps of simulated annealing.
    pub anneal: Option<AnnealSteps>,
}

pub(super) struct AnnealSteps {
    rng: RefCell<ZooRng>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    initial_temperature: f64,
}

impl CostFunction for Cost<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, x: &Vec<f64>) -> Result<f64, Error> {
        self.tracker.evaluate_snapped(x).ok_or_else(|| BudgetSpent.into())
    }
}

impl Anneal for Cost<'_, '_> {
    type Param = Vec<f64>;
    type Output = Vec<f64>;
    type Float = f64;

    /// A Gaussian step on every coordinate, 10 % of its range at the initial
    /// temperature, shrinking with the square root of the temperature; kept in the box.
    fn anneal(&self, x: &Vec<f64>, temperature: f64) -> Result<Vec<f64>, Error> {
        let steps = self.anneal.as_ref().expect("annealing steps set for argmin-sa");
        let scale = 0.1 * (temperature / steps.initial_temperature).sqrt().clamp(1e-4, 1.0);
        let mut rng = steps.rng.borrow_mut();
        Ok(x.iter()
            .zip(steps.lo.iter().zip(&steps.hi))
            .map(|(&v, (&lo, &hi))| (v + scale * (hi - lo) * rng.normal()).clamp(lo, hi))
            .collect())
    }
}

/// argmin's Nelder–Mead from a random point, initial simplex edges 10 % of the range.
pub(super) fn nelder_mead(problem: &Problem, job: &Job) -> Result<RunOutput> {
    let (lo, hi) = problem.bounds();
    external(problem, job, |tracker, rng, _| {
        let x0 = start(problem, rng);
        let mut simplex = vec![x0.clone()];
        for i in 0..x0.len() {
            let step = 0.1 * (hi[i] - lo[i]);
            let mut v = x0.clone();
            v[i] = if v[i] + step <= hi[i] {
                v[i] + step
            } else {
                v[i] - step
            };
            simplex.push(v);
        }
        if tracker.remaining() < simplex.len() as u64 {
            // argmin's Nelder–Mead unwraps the cost of its initial simplex, so it cannot
            // be stopped there; a round that cannot afford the simplex evaluates as many
            // of its vertices as the budget allows, which is all it would have done.
            for v in &simplex {
                if tracker.evaluate_snapped(v).is_none() {
                    break;
                }
            }
            return Ok(());
        }
        let solver = NelderMead::new(simplex).with_sd_tolerance(1e-12)?;
        let cost = Cost {
            tracker,
            anneal: None,
        };
        let _ = Executor::new(cost, solver)
            .configure(|s| s.max_iters(u64::MAX))
            .run();
        Ok(())
    })
}

/// argmin's particle swarm, 40 particles, seeded.
pub(super) fn particle_swarm(problem: &Problem, job: &Job) -> Result<RunOutput> {
    let (lo, hi) = problem.bounds();
    external(problem, job, |tracker, rng, _| {
        let solver = ParticleSwarm::new((lo.clone(), hi.clone()), 40)
            .with_rng_generator(Xoshiro256PlusPlus::seed_from_u64(rng.next_word()));
        let cost = Cost {
            tracker,
            anneal: None,
        };
        let _ = Executor::new(cost, solver)
            .configure(|s| s.max_iters(u64::MAX))
            .run();
        Ok(())
    })
}

/// argmin's simulated annealing with the "fast" schedule `T₀/k`, from a random
/// point, `T₀` a tenth of the start value's magnitude.
pub(super) fn simulated_annealing(problem: &Problem, job: &Job) -> Result<RunOutput> {
    let (lo, hi) = problem.bounds();
    external(problem, job, |tracker, rng, _| {
        let x0 = start(problem, rng);
        let Some(f0) = tracker.evaluate_snapped(&x0) else {
            return Ok(());
        };
        let t0 = (0.1 * f0.abs()).max(1e-9);
        let t0 = if t0.is_finite() { t0 } else { 1.0 };
        let solver =
            SimulatedAnnealing::new_with_rng(t0, Xoshiro256PlusPlus::seed_from_u64(rng.next_word()))?
                .with_temp_func(SATempFunc::TemperatureFast);
        let cost = Cost {
            tracker,
            anneal: Some(AnnealSteps {
                rng: RefCell::new(rng.fork()),
                lo: lo.clone(),
                hi: hi.clone(),
                initial_temperature: t0,
            }),
        };
        let _ = Executor::new(cost, solver)
            .configure(|s| s.param(x0).cost(f0).max_iters(u64::MAX))
            .run();
        Ok(())
    })
}
