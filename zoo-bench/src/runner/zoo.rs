//! The workspace's samplers under the core run loop.

use std::time::Instant;

use anyhow::Result;
use zoo_auto::{Auto, AutoConfig};
use zoo_cmaes::{CmaEs, CmaEsConfig, Restarts, SepCmaEs};
use zoo_core::{Evaluated, Minimize, Parallel, RandomSearch, Sampler, Solution, ZooRng, ranked};
use zoo_de::{Base, DeConfig, DifferentialEvolution};
use zoo_highdim::{Embedded, EmbeddingConfig};
use zoo_noise::{Racing, Resampling, Suppressed, SuppressionConfig, Trigger};
use zoo_racos::{Centre, Racos, RacosConfig, Replace, SRacos, SRacosConfig};
use zoo_subset::{Greedy, Ponss, Poss, SizeLimit, Subset};
use zoo_tpe::{Tpe, TpeConfig};

use super::{Job, RunOutput};
use crate::problem::{Problem, Shape};
use crate::tracker::Tracker;

/// Points whose coordinates the tracker (and the problem's function) can read.
pub trait Coordinates: Solution + Send {
    /// The coordinates of a point's view.
    fn coordinates(view: &Self::View) -> std::borrow::Cow<'_, [f64]>;
    /// The coordinates of a point.
    fn into_coordinates(self) -> Vec<f64>;
    /// One counted evaluation of a point's view through the run's tracker.
    fn evaluate(tracker: &Tracker<'_>, view: &Self::View) -> Option<f64> {
        tracker.evaluate(&Self::coordinates(view))
    }
}

impl Coordinates for Vec<f64> {
    fn coordinates(view: &[f64]) -> std::borrow::Cow<'_, [f64]> {
        std::borrow::Cow::Borrowed(view)
    }

    fn into_coordinates(self) -> Vec<f64> {
        self
    }
}

impl Coordinates for Subset {
    fn coordinates(view: &Subset) -> std::borrow::Cow<'_, [f64]> {
        let mut x = vec![0.0; view.universe()];
        for i in view.iter() {
            x[i] = 1.0;
        }
        std::borrow::Cow::Owned(x)
    }

    fn into_coordinates(self) -> Vec<f64> {
        Self::coordinates(&self).into_owned()
    }

    /// Subsets are evaluated as subsets (no coordinate vector per evaluation).
    fn evaluate(tracker: &Tracker<'_>, view: &Subset) -> Option<f64> {
        tracker.evaluate_subset(view)
    }
}

/// Runs a zoo sampler under the core run loop, which owns the budget and the seed. With
/// `--threads N > 1` the evaluations run on N worker threads in batches of N (the
/// result of a seed does not depend on thread timing).
pub fn zoo_run<S>(problem: &Problem, job: &Job, sampler: S) -> Result<RunOutput>
where
    S: Sampler,
    S::Solution: Coordinates,
{
    drive(problem, job, sampler, Parallel::Batch { size: job.threads })
}

/// The core loop with a chosen parallel mode.
pub(super) fn drive<S>(problem: &Problem, job: &Job, sampler: S, mode: Parallel) -> Result<RunOutput>
where
    S: Sampler,
    S::Solution: Coordinates,
{
    let instance = problem.instance(job.seed);
    // The run loop stops at the budget itself; the tracker only counts (an overshoot
    // would show in `evaluations` rather than be hidden).
    let mut tracker = Tracker::new(&instance, &problem.space, u64::MAX);
    if let Shape::Subset { k } = problem.shape {
        tracker = tracker.with_size_limit(k);
    }
    let objective = |v: &<S::Solution as Solution>::View| {
        S::Solution::evaluate(&tracker, v).expect("an unlimited tracker always evaluates")
    };
    let started = Instant::now();
    let run = Minimize::new(objective, sampler)
        .budget(job.budget)
        .seed(job.seed);
    let outcome = if job.threads > 1 {
        run.threads(job.threads).parallel(mode).run()
    } else {
        run.run()
    };
    let wall = started.elapsed();
    let outcome = outcome.map_err(|e| anyhow::anyhow!("{e}"))?;
    let track = tracker.finish();
    Ok(RunOutput {
        evaluations: track.evaluations,
        best: outcome.best.value,
        x: outcome.best.x.into_coordinates(),
        values: track.values,
        wall,
        in_objective: track.in_objective,
    })
}

pub(super) fn tpe(p: &Problem, job: &Job) -> Result<RunOutput> {
    zoo_run(p, job, Tpe::new(p.space.clone(), TpeConfig::default())?)
}

pub(super) fn de(p: &Problem, job: &Job) -> Result<RunOutput> {
    de_from(p, job, Base::Scheduled)
}

pub(super) fn de_rand(p: &Problem, job: &Job) -> Result<RunOutput> {
    de_from(p, job, Base::Random)
}

pub(super) fn de_best(p: &Problem, job: &Job) -> Result<RunOutput> {
    de_from(p, job, Base::Best)
}

fn de_from(p: &Problem, job: &Job, base: Base) -> Result<RunOutput> {
    let config = DeConfig {
        base,
        ..DeConfig::default()
    };
    zoo_run(p, job, DifferentialEvolution::new(p.space.clone(), config)?)
}

pub(super) fn random(p: &Problem, job: &Job) -> Result<RunOutput> {
    match p.shape {
        Shape::Subset { k } => zoo_run(p, job, RandomSubsets::new(p.dim, k)),
        _ => zoo_run(p, job, RandomSearch::new(p.space.clone())),
    }
}

pub(super) fn sracos_with(p: &Problem, job: &Job, replace: Replace, mode: Parallel) -> Result<RunOutput> {
    let config = SRacosConfig {
        replace,
        ..SRacosConfig::for_budget(job.budget)
    };
    drive(p, job, SRacos::new(p.space.clone(), config)?, mode)
}

pub(super) fn sracos(p: &Problem, job: &Job) -> Result<RunOutput> {
    sracos_with(p, job, Replace::Worst, Parallel::Batch { size: job.threads })
}

pub(super) fn sracos_rr(p: &Problem, job: &Job) -> Result<RunOutput> {
    sracos_with(p, job, Replace::Random, Parallel::Batch { size: job.threads })
}

pub(super) fn sracos_lm(p: &Problem, job: &Job) -> Result<RunOutput> {
    sracos_with(p, job, Replace::Farthest, Parallel::Batch { size: job.threads })
}

/// SRACOS with the sizes ZOOpt's discrete example sets by hand (6 solutions trained on,
/// 1 positive, so 5 negatives) instead of the automatic table.
pub(super) fn sracos_small(p: &Problem, job: &Job) -> Result<RunOutput> {
    let config = SRacosConfig {
        learning: RacosConfig {
            train_size: 6,
            positive_size: 1,
            ..RacosConfig::for_budget(job.budget)
        },
        ..SRacosConfig::for_budget(job.budget)
    };
    drive(
        p,
        job,
        SRacos::new(p.space.clone(), config)?,
        Parallel::Batch { size: job.threads },
    )
}

/// ZOOpt's asynchronous parallel SRACOS: every worker busy, each finished evaluation told
/// at once (not reproducible with more than one thread).
pub(super) fn asracos(p: &Problem, job: &Job) -> Result<RunOutput> {
    sracos_with(p, job, Replace::Worst, Parallel::Async)
}

pub(super) fn racos(p: &Problem, job: &Job) -> Result<RunOutput> {
    zoo_run(
        p,
        job,
        Racos::new(p.space.clone(), RacosConfig::for_budget(job.budget))?,
    )
}

/// SRACOS as ZOOpt's noisy example configures it: positive set of 5, and (under noise)
/// new solutions drawn around any positive rather than the luckiest best one.
pub(super) fn noisy_sracos(p: &Problem, budget: u64) -> Result<SRacos> {
    let learning = RacosConfig {
        positive_size: 5,
        centre: Centre::for_objective(true),
        ..RacosConfig::for_budget(budget)
    };
    let config = SRacosConfig {
        learning,
        ..SRacosConfig::for_budget(budget)
    };
    Ok(SRacos::new(p.space.clone(), config)?)
}

/// Re-sampling: every point SRACOS proposes is evaluated 10 times and told the mean; the
/// budget counts the single evaluations.
pub(super) fn resample(p: &Problem, job: &Job) -> Result<RunOutput> {
    zoo_run(p, job, Resampling::new(noisy_sracos(p, job.budget)?, 10)?)
}

/// Racing: each point SRACOS proposes is evaluated again, up to 10 times, only while it
/// could still enter the positive set; the budget counts the single evaluations.
pub(super) fn racing(p: &Problem, job: &Job) -> Result<RunOutput> {
    zoo_run(p, job, Racing::new(noisy_sracos(p, job.budget)?, 10)?)
}

/// Value suppression (SSRACOS) with ZOOpt's example settings: 200 evaluations without
/// improvement trigger re-estimating the positives by 50 evaluations each, blended 0.5.
pub(super) fn ssracos(p: &Problem, job: &Job) -> Result<RunOutput> {
    let config = SuppressionConfig {
        non_update_allowed: 200,
        resample_times: 50,
        balance_rate: 0.5,
        trigger: Trigger::Best,
        final_round: true,
    };
    zoo_run(p, job, Suppressed::new(noisy_sracos(p, job.budget)?, config)?)
}

/// Sequential random embedding with ZOOpt's settings (5 stages, 10 dimensions), SRACOS
/// inside each stage.
pub(super) fn sre(p: &Problem, job: &Job) -> Result<RunOutput> {
    let sampler = Embedded::new(
        &p.space,
        EmbeddingConfig::for_budget(job.budget),
        // The embedded objective is the problem's own, deterministic here: no noise check
        // in each stage (the published P6 figures are without it).
        |low, budget| {
            let config = SRacosConfig {
                noise_check: false,
                ..SRacosConfig::for_budget(budget)
            };
            SRacos::new(low, config)
        },
    )?;
    zoo_run(p, job, sampler)
}

/// zoo-cmaes' CMA-ES with its defaults: full covariance (diagonal in large dimensions or
/// short budgets), IPOP restarts, projection at the bounds, margin on integers.
pub(super) fn cmaes_ipop(p: &Problem, job: &Job) -> Result<RunOutput> {
    zoo_run(p, job, CmaEs::new(p.space.clone(), CmaEsConfig::default())?)
}

/// CMA-ES, IPOP restarts, each run finished by its elitist (1+1)-ES.
pub(super) fn cmaes_finish(p: &Problem, job: &Job) -> Result<RunOutput> {
    let config = CmaEsConfig {
        elitist_finish: true,
        ..CmaEsConfig::default()
    };
    zoo_run(p, job, CmaEs::new(p.space.clone(), config)?)
}

/// sep-CMA-ES: the diagonal model, linear cost per evaluation.
pub(super) fn sep_cmaes(p: &Problem, job: &Job) -> Result<RunOutput> {
    zoo_run(p, job, SepCmaEs::new(p.space.clone(), CmaEsConfig::default())?)
}

/// CMA-ES with BIPOP restarts.
pub(super) fn cmaes_bipop(p: &Problem, job: &Job) -> Result<RunOutput> {
    let config = CmaEsConfig {
        restarts: Restarts::Bipop,
        ..CmaEsConfig::default()
    };
    zoo_run(p, job, CmaEs::new(p.space.clone(), config)?)
}

/// The automatic choice; on a noisy problem it is told the objective is noisy, on a
/// subset problem it runs POSS (subsets are not coordinate vectors).
pub(super) fn auto(p: &Problem, job: &Job) -> Result<RunOutput> {
    if let Shape::Subset { .. } = p.shape {
        return poss(p, job);
    }
    let config = AutoConfig {
        noisy: p.is_noisy(),
        ..AutoConfig::default()
    };
    zoo_run(p, job, Auto::new(p.space.clone(), config)?)
}

/// Continuous boxes of more than 10 coordinates (the embedding maps 10 dimensions into
/// intervals).
pub(super) fn boxes(p: &Problem) -> std::result::Result<(), &'static str> {
    match p.shape {
        Shape::Continuous if p.dim > 10 => Ok(()),
        Shape::Continuous => Err("its 10-dimensional embedding needs more than 10 coordinates"),
        _ => Err("it needs a continuous box"),
    }
}

pub(super) fn subset_size(p: &Problem) -> usize {
    match p.shape {
        Shape::Subset { k } => k,
        _ => unreachable!("subset runners accept subset problems only"),
    }
}

pub(super) fn poss(p: &Problem, job: &Job) -> Result<RunOutput> {
    zoo_run(p, job, Poss::new(p.dim, SizeLimit::new(subset_size(p)))?)
}

/// PONSS with ZOOpt's example settings: θ = 0.5, B = k.
pub(super) fn ponss(p: &Problem, job: &Job) -> Result<RunOutput> {
    let k = subset_size(p);
    zoo_run(p, job, Ponss::new(p.dim, SizeLimit::new(k), 0.5, k)?)
}

/// Greedy forward selection; it stops after its `n + (n−1) + … + (n−k+1)` evaluations
/// when the budget allows more.
pub(super) fn greedy(p: &Problem, job: &Job) -> Result<RunOutput> {
    zoo_run(p, job, Greedy::new(p.dim, subset_size(p))?)
}

/// Uniformly random subsets of exactly `k` items: random search for subset selection
/// (random points of the binary space almost never have at most `k` items).
#[derive(Debug, Clone)]
pub struct RandomSubsets {
    n: usize,
    k: usize,
    best: Option<Evaluated<Subset>>,
}

impl RandomSubsets {
    /// Random `k`-subsets of `n` items.
    pub fn new(n: usize, k: usize) -> Self {
        RandomSubsets { n, k, best: None }
    }
}

impl Sampler for RandomSubsets {
    type Solution = Subset;

    fn ask(&mut self, rng: &mut ZooRng) -> Option<Subset> {
        // A partial Fisher–Yates shuffle picks k distinct items.
        let mut items: Vec<usize> = (0..self.n).collect();
        for i in 0..self.k.min(self.n) {
            let j = i + rng.index(self.n - i);
            items.swap(i, j);
        }
        Subset::from_indices(self.n, items[..self.k.min(self.n)].iter().copied()).ok()
    }

    fn tell(&mut self, x: Subset, value: f64) {
        let value = ranked(value);
        if self.best.as_ref().is_none_or(|b| value < b.value) {
            self.best = Some(Evaluated::new(x, value));
        }
    }

    fn best(&self) -> Option<&Evaluated<Subset>> {
        self.best.as_ref()
    }

    // Not serialisable, so there is no checkpoint to check; warm starts still are.
    fn check_point(&self, x: &Subset, what: &str) -> Result<(), zoo_core::StateError> {
        if x.universe() == self.n {
            return Ok(());
        }
        Err(zoo_core::StateError::Point {
            what: what.to_owned(),
            reason: format!(
                "a subset of {} items where {} were expected",
                x.universe(),
                self.n
            ),
        })
    }
}
