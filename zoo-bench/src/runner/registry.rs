//! Every registered algorithm.

use anyhow::{Result, bail};

use super::zoo::{
    asracos, auto, boxes, cmaes_bipop, cmaes_finish, cmaes_ipop, de, de_best, de_rand, greedy, ponss, poss,
    racing, racos, random, resample, sep_cmaes, sracos, sracos_lm, sracos_rr, sracos_small, sre, ssracos,
    tpe,
};
use super::{Algo, Family, any, argmin_runners, basin_runners, dense, subsets, vectors};
/// Every algorithm, in the order `list` prints them.
pub static ALGOS: &[Algo] = &[
    Algo {
        name: "sracos",
        family: Family::Zoo,
        about: "sequential RACOS, worst-replacement (zoo-racos)",
        parallel: true,
        accepts: vectors,
        run: sracos,
    },
    Algo {
        name: "sracos-rr",
        family: Family::Zoo,
        about: "sequential RACOS, random replacement (zoo-racos)",
        parallel: true,
        accepts: vectors,
        run: sracos_rr,
    },
    Algo {
        name: "sracos-lm",
        family: Family::Zoo,
        about: "sequential RACOS, largest-margin replacement (zoo-racos)",
        parallel: true,
        accepts: vectors,
        run: sracos_lm,
    },
    Algo {
        name: "sracos-small",
        family: Family::Zoo,
        about: "sequential RACOS with ZOOpt's discrete-example sizes: train 6, positive 1 (zoo-racos)",
        parallel: true,
        accepts: vectors,
        run: sracos_small,
    },
    Algo {
        name: "asracos",
        family: Family::Zoo,
        about: "asynchronous parallel SRACOS, one evaluation per thread in flight (zoo-racos + zoo-core)",
        parallel: true,
        accepts: vectors,
        run: asracos,
    },
    Algo {
        name: "racos",
        family: Family::Zoo,
        about: "batch RACOS (zoo-racos)",
        parallel: true,
        accepts: vectors,
        run: racos,
    },
    Algo {
        name: "resample",
        family: Family::Zoo,
        about: "SRACOS with each point re-sampled 10 times (zoo-noise Resampling)",
        parallel: true,
        accepts: vectors,
        run: resample,
    },
    Algo {
        name: "racing",
        family: Family::Zoo,
        about: "SRACOS with each point re-sampled, up to 10 times, while it could enter the positive set (zoo-noise Racing)",
        parallel: false,
        accepts: vectors,
        run: racing,
    },
    Algo {
        name: "ssracos",
        family: Family::Zoo,
        about: "SRACOS with value suppression, 200/50/0.5 (zoo-noise Suppressed)",
        parallel: true,
        accepts: vectors,
        run: ssracos,
    },
    Algo {
        name: "sre",
        family: Family::Zoo,
        about: "sequential random embedding, 5 stages, d = 10, SRACOS inside (zoo-highdim)",
        parallel: true,
        accepts: boxes,
        run: sre,
    },
    Algo {
        name: "poss",
        family: Family::Zoo,
        about: "Pareto optimization for subset selection (zoo-subset)",
        parallel: true,
        accepts: subsets,
        run: poss,
    },
    Algo {
        name: "ponss",
        family: Family::Zoo,
        about: "POSS under noise, theta 0.5, B = k (zoo-subset)",
        parallel: true,
        accepts: subsets,
        run: ponss,
    },
    Algo {
        name: "greedy",
        family: Family::Zoo,
        about: "greedy forward selection (zoo-subset)",
        parallel: true,
        accepts: subsets,
        run: greedy,
    },
    Algo {
        name: "tpe",
        family: Family::Zoo,
        about: "tree-structured Parzen estimator, univariate, optuna's default settings (zoo-tpe)",
        parallel: true,
        accepts: vectors,
        run: tpe,
    },
    Algo {
        name: "random",
        family: Family::Zoo,
        about: "uniform random search; random k-subsets on subset problems (zoo-core)",
        parallel: true,
        accepts: any,
        run: random,
    },
    Algo {
        name: "argmin-nm",
        family: Family::Argmin,
        about: "argmin Nelder-Mead, restarted from random points",
        parallel: false,
        accepts: dense,
        run: argmin_runners::nelder_mead,
    },
    Algo {
        name: "argmin-pso",
        family: Family::Argmin,
        about: "argmin particle swarm, 40 particles",
        parallel: false,
        accepts: vectors,
        run: argmin_runners::particle_swarm,
    },
    Algo {
        name: "argmin-sa",
        family: Family::Argmin,
        about: "argmin simulated annealing, fast schedule",
        parallel: false,
        accepts: vectors,
        run: argmin_runners::simulated_annealing,
    },
    Algo {
        name: "zoo-cmaes",
        family: Family::Zoo,
        about: "CMA-ES, IPOP restarts, full covariance (zoo-cmaes)",
        parallel: true,
        accepts: vectors,
        run: cmaes_ipop,
    },
    Algo {
        name: "zoo-cmaes-finish",
        family: Family::Zoo,
        about: "CMA-ES, IPOP restarts, each run finished by an elitist (1+1)-ES once it has focused and its covariance settled (zoo-cmaes, `elitist_finish`; with parallel batches the finish never starts: plain zoo-cmaes)",
        parallel: true,
        accepts: vectors,
        run: cmaes_finish,
    },
    Algo {
        name: "zoo-sep-cmaes",
        family: Family::Zoo,
        about: "sep-CMA-ES, diagonal covariance, IPOP restarts (zoo-cmaes)",
        parallel: true,
        accepts: vectors,
        run: sep_cmaes,
    },
    Algo {
        name: "zoo-bipop",
        family: Family::Zoo,
        about: "CMA-ES with BIPOP restarts (zoo-cmaes)",
        parallel: true,
        accepts: vectors,
        run: cmaes_bipop,
    },
    Algo {
        name: "zoo-de",
        family: Family::Zoo,
        about: "differential evolution, steady state, dithered F (zoo-de): DE/rand/1/bin for at most half the budget while 40 generations would remain, DE/best/1/bin after",
        parallel: true,
        accepts: vectors,
        run: de,
    },
    Algo {
        name: "zoo-de-rand",
        family: Family::Zoo,
        about: "zoo-de with DE/rand/1/bin throughout",
        parallel: true,
        accepts: vectors,
        run: de_rand,
    },
    Algo {
        name: "zoo-de-best",
        family: Family::Zoo,
        about: "zoo-de with DE/best/1/bin throughout",
        parallel: true,
        accepts: vectors,
        run: de_best,
    },
    Algo {
        name: "auto",
        family: Family::Zoo,
        about: "automatic choice (zoo-auto): separability probe; line searches along the coordinates on separable problems, CMA-ES on coupled ones (differential evolution on coupled ones in 2-D from 500 evaluations per coordinate), a SRACOS -> CMA-ES race at small budgets, CMA-ES with twice its population under noise, an embedding in high dimensions, POSS for subsets",
        parallel: true,
        accepts: any,
        run: auto,
    },
    Algo {
        name: "cmaes",
        family: Family::Basin,
        about: "basin bounded CMA-ES with IPOP restarts",
        parallel: false,
        accepts: dense,
        run: basin_runners::cma_es,
    },
    Algo {
        name: "de",
        family: Family::Basin,
        about: "basin differential evolution, DE/rand/1/bin, dithered F",
        parallel: false,
        accepts: vectors,
        run: basin_runners::differential_evolution,
    },
];

/// The registry entry called `name`.
pub fn find(name: &str) -> Result<&'static Algo> {
    match ALGOS.iter().find(|a| a.name == name) {
        Some(a) => Ok(a),
        None => {
            let names: Vec<&str> = ALGOS.iter().map(|a| a.name).collect();
            bail!(
                "unknown algorithm `{name}`; known algorithms: {}",
                names.join(", ")
            )
        }
    }
}
