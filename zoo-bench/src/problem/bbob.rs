//! COCO's 24 noiseless BBOB functions as zoo-bench problems (`bbob-f1` … `bbob-f24`),
//! computed by `zoo-bbob` exactly as `cocoex` computes them.
//!
//! | item | rule |
//! | --- | --- |
//! | space | `[-5, 5]^D`, COCO's region of interest |
//! | dimension | `--dim`, 2 to 640 (default 10): COCO's suite and its archive cover 2, 3, 5, 10, 20 and 40; other dimensions use the same definitions with full `n × n` rotations (COCO's `bbob-largescale` suite uses block rotations instead) |
//! | instance | the run's seed: seed `s` runs instance `s`, so seeds 1–15 are COCO's 2010 instances 1–15 and seeds from 16 on are further instances (new shifts, rotations and optimal values by COCO's same rules; COCO's later workshops used 21–80); seeds above [`MAX_INSTANCE`] wrap around to 1, seed 0 runs instance 15 |
//! | value | `f(x) − f_opt`: 0 is the optimum, and records, curves and plots are comparable across instances and functions |
//! | known optimum | 0, so runs record the evaluation at which each of COCO's 51 targets is first reached (runtime ECDFs) |
//!
//! Reference: N. Hansen, S. Finck, R. Ros, A. Auger, "Real-Parameter Black-Box Optimization
//! Benchmarking 2009: Noiseless Functions Definitions", INRIA RR-6829.

use std::sync::Arc;

use anyhow::{Result, bail};
use zoo_bbob::{Bbob, MAX_INSTANCE};
use zoo_core::Space;

use super::{Function, Problem, ProblemInfo, Shape};

/// The largest dimension offered: two `n × n` rotations per instance stay within a few
/// megabytes, and the largest of COCO's `bbob-largescale` dimensions is 640.
pub const MAX_DIMENSION: usize = 640;

/// The prefix of the BBOB problem names.
pub const PREFIX: &str = "bbob-f";

/// The BBOB function number of a problem name (`bbob-f8` → 8), if it is one.
pub fn function_of(name: &str) -> Option<usize> {
    let f: usize = name.strip_prefix(PREFIX)?.parse().ok()?;
    zoo_bbob::FUNCTIONS.contains(&f).then_some(f)
}

/// The BBOB instance a seed runs: the seed itself, so held-out seeds are held-out
/// instances; seeds above [`MAX_INSTANCE`] wrap around to 1, and seed 0 (`zoo-bench
/// solve`'s default) runs instance 15, as it did when seeds cycled through COCO's 2010
/// instances 1–15.
pub fn instance_of(seed: u64) -> u32 {
    match seed {
        0 => 15,
        // The remainder is below MAX_INSTANCE, a u32.
        s => ((s - 1) % u64::from(MAX_INSTANCE)) as u32 + 1,
    }
}

/// The BBOB problem of one run: function, dimension and the seed's instance.
pub fn instance_for(function: usize, dim: usize, seed: u64) -> Result<Bbob> {
    Ok(Bbob::new(function, dim, instance_of(seed))?)
}

/// `f − f_opt` of one BBOB instance.
fn shifted(problem: Bbob) -> Function {
    let fopt = problem.optimal_value();
    Arc::new(move |x: &[f64]| problem.evaluate(x) - fopt)
}

fn build(name: &'static str, dim: usize) -> Result<Problem> {
    let Some(function) = function_of(name) else {
        bail!("`{name}` is not a BBOB problem name");
    };
    if !(2..=MAX_DIMENSION).contains(&dim) {
        bail!("problem `{name}` takes 2 to {MAX_DIMENSION} coordinates, not {dim}");
    }
    Ok(Problem {
        name,
        dim,
        space: Space::cube(dim, -5.0, 5.0)?,
        shape: Shape::Continuous,
        // Outside a run (no seed), the problem's function is instance 1's.
        function: shifted(instance_for(function, dim, 1)?),
        subset_function: None,
        noise: None,
        delay: None,
        // Function and dimension were checked above and every instance_of exists.
        per_seed: Some(Arc::new(move |seed| {
            shifted(instance_for(function, dim, seed).expect("a checked BBOB instance builds"))
        })),
        optimum: Some(0.0),
    })
}

macro_rules! bbob_problems {
    ($($f:literal $about:literal),* $(,)?) => {
        /// The 24 BBOB problems, in function order.
        pub static PROBLEMS: &[ProblemInfo] = &[$(
            ProblemInfo {
                name: concat!("bbob-f", $f),
                about: concat!("BBOB f", $f, " ", $about, ", f − f_opt on [-5,5]^D, instance = seed"),
                default_dim: 10,
                fixed_dim: None,
                max_dim: MAX_DIMENSION,
                build,
            },
        )*];
    };
}

bbob_problems![
    1 "sphere",
    2 "separable ellipsoid",
    3 "separable Rastrigin",
    4 "Büche-Rastrigin",
    5 "linear slope",
    6 "attractive sector",
    7 "step ellipsoid",
    8 "Rosenbrock",
    9 "rotated Rosenbrock",
    10 "ellipsoid",
    11 "discus",
    12 "bent cigar",
    13 "sharp ridge",
    14 "different powers",
    15 "Rastrigin",
    16 "Weierstrass",
    17 "Schaffers F7",
    18 "Schaffers F7, ill-conditioned",
    19 "Griewank-Rosenbrock F8F2",
    20 "Schwefel x·sin(x)",
    21 "Gallagher 101 peaks",
    22 "Gallagher 21 peaks",
    23 "Katsuura",
    24 "Lunacek bi-Rastrigin",
];

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn each_seed_runs_its_own_instance() {
        assert_eq!(instance_of(1), 1);
        assert_eq!(instance_of(15), 15);
        assert_eq!(instance_of(16), 16);
        assert_eq!(instance_of(0), 15);
        assert_eq!(instance_of(u64::from(MAX_INSTANCE)), MAX_INSTANCE);
        assert_eq!(instance_of(u64::from(MAX_INSTANCE) + 1), 1);
        let wrapped = instance_of(u64::MAX);
        assert!((1..=MAX_INSTANCE).contains(&wrapped));
        assert!(Bbob::new(24, 2, wrapped).is_ok());
    }

    #[test]
    fn later_seeds_are_new_instances() {
        let x = [1.0, -2.0, 0.5];
        let first = instance_for(8, 3, 1).unwrap();
        let later = instance_for(8, 3, 16).unwrap();
        assert_eq!(later.instance(), 16);
        assert_ne!(first.evaluate(&x), later.evaluate(&x));
        assert_ne!(first.optimal_solution(), later.optimal_solution());
    }

    #[test]
    fn names_map_to_functions() {
        assert_eq!(function_of("bbob-f8"), Some(8));
        assert_eq!(function_of("bbob-f24"), Some(24));
        assert_eq!(function_of("bbob-f25"), None);
        assert_eq!(function_of("sphere"), None);
        assert_eq!(PROBLEMS.len(), 24);
        for (i, p) in PROBLEMS.iter().enumerate() {
            assert_eq!(function_of(p.name), Some(i + 1));
        }
    }

    #[test]
    fn values_are_distances_to_the_optimum_of_the_seed_instance() {
        let p = super::super::build("bbob-f8", Some(10)).unwrap();
        for seed in [1, 2, 17] {
            let bbob = instance_for(8, 10, seed).unwrap();
            let xopt = bbob.optimal_solution().unwrap();
            let at_opt = p.instance(seed).evaluate(&xopt);
            assert!(at_opt.abs() < 1e-8, "seed {seed}: {at_opt}");
            let x = vec![1.0; 10];
            assert_eq!(
                p.instance(seed).evaluate(&x),
                bbob.evaluate(&x) - bbob.optimal_value()
            );
        }
        // Different seeds, different instances.
        let x = vec![1.0; 10];
        assert_ne!(p.instance(1).evaluate(&x), p.instance(2).evaluate(&x));
        assert_eq!(p.optimum(), Some(0.0));
        assert!(super::super::build("bbob-f1", Some(1)).is_err());
        assert!(super::super::build("bbob-f1", Some(641)).is_err());
        assert!(super::super::build("bbob-f1", Some(2)).is_ok());
        // Beyond COCO's dimensions the definitions carry over: the optimum is still 0.
        let wide = super::super::build("bbob-f17", Some(50)).unwrap();
        let xopt = instance_for(17, 50, 3).unwrap().optimal_solution().unwrap();
        assert!(wide.instance(3).evaluate(&xopt).abs() < 1e-8);
    }
}
