//! The BBOB functions and the classic family seen through an increasing transformation of
//! their values: `log-NAME` reports `ln(1 + v)` and `root-NAME` reports `√v`, where `v ≥ 0`
//! is the value of the problem `NAME` (`f − f_opt`). Users often wrap an objective so: the
//! logarithm of a loss that spans decades, the root of a sum of squares (a distance, a
//! root-mean-square error).
//!
//! | item | rule |
//! | --- | --- |
//! | space, instance | those of `NAME` (the seed draws the same instance) |
//! | value | `ln(1 + v)` or `√v`: the same minimizers and the same order of any two points as `NAME`, so rank-based methods see the same problem; a separable `NAME` is no sum of one-coordinate functions any more, but an increasing function of one |
//! | known optimum | 0, as for `NAME`, so runs record runtime ECDFs (a target `t` of `root-NAME` is `t²` of `NAME`) |

use std::sync::Arc;

use anyhow::{Result, bail};

use super::{Function, Problem, ProblemInfo};

/// An increasing transformation of the values.
type Wrap = fn(f64) -> f64;

/// The transformations, by the prefix of the name.
const WRAPPERS: [(&str, Wrap); 2] = [("log-", f64::ln_1p), ("root-", f64::sqrt)];

/// The transformation and base name of a wrapped problem's name.
fn split(name: &str) -> Option<(Wrap, &str)> {
    WRAPPERS
        .iter()
        .find_map(|&(prefix, wrap)| name.strip_prefix(prefix).map(|base| (wrap, base)))
}

fn wrapped(function: Function, wrap: Wrap) -> Function {
    // Rounding can leave a value a few ulps below the optimum 0 (NaN stays NaN).
    Arc::new(move |x: &[f64]| {
        let v = function(x);
        wrap(if v < 0.0 { 0.0 } else { v })
    })
}

fn build(name: &'static str, dim: usize) -> Result<Problem> {
    let Some((wrap, base_name)) = split(name) else {
        bail!("`{name}` is not a wrapped problem name");
    };
    let base = super::build(base_name, Some(dim))?;
    if base.optimum != Some(0.0) {
        bail!("`{base_name}` has no known optimum of 0 to wrap");
    }
    let per_seed = base.per_seed.clone().map(|seeded| {
        let seeded: super::SeededFunction = Arc::new(move |seed| wrapped(seeded(seed), wrap));
        seeded
    });
    Ok(Problem {
        name,
        function: wrapped(base.function.clone(), wrap),
        per_seed,
        ..base
    })
}

macro_rules! wrapped_problems {
    ($max:expr => $($base:literal $about:literal),* $(,)?) => {
        [$(
            ProblemInfo {
                name: concat!("log-", $base),
                about: concat!("ln(1 + v) of ", $about),
                default_dim: 10,
                fixed_dim: None,
                max_dim: $max,
                build,
            },
            ProblemInfo {
                name: concat!("root-", $base),
                about: concat!("√v of ", $about),
                default_dim: 10,
                fixed_dim: None,
                max_dim: $max,
                build,
            },
        )*]
    };
}

/// The wrapped BBOB functions (`log-bbob-f1`, `root-bbob-f1`, …).
pub static BBOB_PROBLEMS: &[ProblemInfo] = &wrapped_problems![super::bbob::MAX_DIMENSION =>
    "bbob-f1" "bbob-f1", "bbob-f2" "bbob-f2", "bbob-f3" "bbob-f3", "bbob-f4" "bbob-f4",
    "bbob-f5" "bbob-f5", "bbob-f6" "bbob-f6", "bbob-f7" "bbob-f7", "bbob-f8" "bbob-f8",
    "bbob-f9" "bbob-f9", "bbob-f10" "bbob-f10", "bbob-f11" "bbob-f11", "bbob-f12" "bbob-f12",
    "bbob-f13" "bbob-f13", "bbob-f14" "bbob-f14", "bbob-f15" "bbob-f15", "bbob-f16" "bbob-f16",
    "bbob-f17" "bbob-f17", "bbob-f18" "bbob-f18", "bbob-f19" "bbob-f19", "bbob-f20" "bbob-f20",
    "bbob-f21" "bbob-f21", "bbob-f22" "bbob-f22", "bbob-f23" "bbob-f23", "bbob-f24" "bbob-f24",
];

/// The wrapped classic family (`log-classic-levy`, `root-classic-levy`, …).
pub static CLASSIC_PROBLEMS: &[ProblemInfo] = &wrapped_problems![super::classic::MAX_DIMENSION =>
    "classic-levy" "classic-levy", "classic-levy-rot" "classic-levy-rot",
    "classic-zakharov" "classic-zakharov", "classic-dixon-price" "classic-dixon-price",
    "classic-styblinski-tang" "classic-styblinski-tang",
    "classic-styblinski-tang-rot" "classic-styblinski-tang-rot",
    "classic-schwefel-2.22" "classic-schwefel-2.22", "classic-alpine" "classic-alpine",
    "classic-alpine-rot" "classic-alpine-rot", "classic-salomon" "classic-salomon",
    "classic-trid" "classic-trid", "classic-qing" "classic-qing",
    "classic-xin-she-yang-2" "classic-xin-she-yang-2", "classic-happy-cat" "classic-happy-cat",
    "classic-happy-cat-rot" "classic-happy-cat-rot", "classic-step" "classic-step",
    "classic-expanded-schaffer" "classic-expanded-schaffer",
    "classic-expanded-schaffer-rot" "classic-expanded-schaffer-rot",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_values_are_the_transformed_values_of_the_same_instance() {
        let mut rng = zoo_core::ZooRng::seed_from(3);
        for info in BBOB_PROBLEMS.iter().chain(CLASSIC_PROBLEMS) {
            let (wrap, base_name) = split(info.name).unwrap();
            let p = info.build(5).unwrap();
            let base = super::super::build(base_name, Some(5)).unwrap();
            assert_eq!(p.optimum(), Some(0.0), "{}", info.name);
            for seed in [1, 4] {
                let (run, base_run) = (p.instance(seed), base.instance(seed));
                for _ in 0..20 {
                    let x = p.space.sample(&mut rng);
                    let (v, b) = (run.evaluate(&x), base_run.evaluate(&x));
                    assert!(v >= 0.0 && v.is_finite(), "{} at {x:?}: {v}", info.name);
                    assert_eq!(
                        v.to_bits(),
                        wrap(if b < 0.0 { 0.0 } else { b }).to_bits(),
                        "{}",
                        info.name
                    );
                }
            }
        }
    }

    #[test]
    fn every_base_is_registered_and_unknown_names_are_refused() {
        for info in BBOB_PROBLEMS.iter().chain(CLASSIC_PROBLEMS) {
            let (_, base_name) = split(info.name).unwrap();
            assert!(super::super::find(base_name).is_ok(), "{}", info.name);
        }
        assert!(build("log-sphere", 5).is_err());
        assert!(build("cube-bbob-f1", 5).is_err());
    }
}
