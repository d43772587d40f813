//! Classic test functions outside BBOB and the quick suite (`classic-levy` …), each moved
//! to a new place by every seed: a family of problems on which no default of zoo was
//! chosen, to check its choices on.
//!
//! | item | rule |
//! | --- | --- |
//! | space | the function's usual box (Trid: `[-D², D²]`) |
//! | instance | the run's seed draws the minimizer uniformly from the inner 80 % of the box, and for the `-rot` variants a uniformly random rotation about it: `f(z* + R·(x − x*))`, with `z*` the function's own minimizer |
//! | value | `f − f_opt`: 0 at the minimizer, so runs record when they reach each of COCO's 51 targets (runtime ECDFs); Alpine N.1, Qing and Dixon–Price have further global minima (other signs, other roots), at 0 too |
//! | rotation | none at `D = 1`; expanded Schaffer F6 depends on each pair's radius only, so in 2-D its `-rot` variant is the plain one |
//!
//! Definitions as collected by M. Jamil and X.-S. Yang, *A literature survey of benchmark
//! functions for global optimization problems*, Int. J. Math. Modelling and Numerical
//! Optimisation 4(2), 2013 (DOI 10.1504/IJMMNO.2013.055204), and S. Surjanovic and
//! D. Bingham's Virtual Library of Simulation Experiments (sfu.ca/~ssurjano); expanded
//! Schaffer F6 as in P. N. Suganthan et al., *Problem definitions and evaluation criteria
//! for the CEC 2005 special session on real-parameter optimization* (F14).

use std::f64::consts::PI;
use std::sync::Arc;

use anyhow::{Result, bail};
use zoo_core::testing::functions::random_rotation;
use zoo_core::{Space, ZooRng};

use super::{Function, Problem, ProblemInfo, Shape};

/// The prefix of the family's names.
pub const PREFIX: &str = "classic-";

/// The largest dimension offered: a rotation per run is an `n × n` matrix.
pub(super) const MAX_DIMENSION: usize = 1_000;

/// Mixed into the run seed for the instance's draws.
const INSTANCE_STREAM: u64 = 0x636c_6173_7369_6331;

/// One base function: its definition, box and minimizer.
struct Base {
    f: fn(&[f64]) -> f64,
    /// The box `[lo, hi]` of every coordinate at a dimension.
    bounds: fn(usize) -> (f64, f64),
    /// The function's own minimizer at a dimension.
    minimizer: fn(usize) -> Vec<f64>,
    /// Dimensions below this are refused (the function couples pairs).
    min_dim: usize,
}

fn levy(x: &[f64]) -> f64 {
    let w = |v: f64| 1.0 + (v - 1.0) / 4.0;
    let (Some(&first), Some(&last)) = (x.first(), x.last()) else {
        return 0.0;
    };
    let ends =
        (PI * w(first)).sin().powi(2) + (w(last) - 1.0).powi(2) * (1.0 + (2.0 * PI * w(last)).sin().powi(2));
    ends + x[..x.len() - 1]
        .iter()
        .map(|&v| (w(v) - 1.0).powi(2) * (1.0 + 10.0 * (PI * w(v) + 1.0).sin().powi(2)))
        .sum::<f64>()
}

fn zakharov(x: &[f64]) -> f64 {
    let weighted: f64 = x.iter().enumerate().map(|(i, v)| 0.5 * (i + 1) as f64 * v).sum();
    x.iter().map(|v| v * v).sum::<f64>() + weighted.powi(2) + weighted.powi(4)
}

fn dixon_price(x: &[f64]) -> f64 {
    let Some(&first) = x.first() else {
        return 0.0;
    };
    (first - 1.0).powi(2)
        + x.windows(2)
            .enumerate()
            .map(|(i, w)| (i + 2) as f64 * (2.0 * w[1] * w[1] - w[0]).powi(2))
            .sum::<f64>()
}

fn dixon_price_minimizer(n: usize) -> Vec<f64> {
    (1..=n)
        .map(|i| {
            let p = 2f64.powi(i as i32);
            2f64.powf(-(p - 2.0) / p)
        })
        .collect()
}

fn styblinski_tang(x: &[f64]) -> f64 {
    x.iter().map(|v| 0.5 * (v.powi(4) - 16.0 * v * v + 5.0 * v)).sum()
}

/// The root of `4v³ − 32v + 5 = 0` near −2.9035 (Newton's method from −2.9).
fn styblinski_tang_minimizer(n: usize) -> Vec<f64> {
    let mut v: f64 = -2.9;
    for _ in 0..50 {
        v -= (4.0 * v.powi(3) - 32.0 * v + 5.0) / (12.0 * v * v - 32.0);
    }
    vec![v; n]
}

fn schwefel_2_22(x: &[f64]) -> f64 {
    x.iter().map(|v| v.abs()).sum::<f64>() + x.iter().map(|v| v.abs()).product::<f64>()
}

fn alpine(x: &[f64]) -> f64 {
    x.iter().map(|v| (v * v.sin() + 0.1 * v).abs()).sum()
}

fn salomon(x: &[f64]) -> f64 {
    let r = x.iter().map(|v| v * v).sum::<f64>().sqrt();
    1.0 - (2.0 * PI * r).cos() + 0.1 * r
}

/// Trid, `Σ(zᵢ − 1)² − Σ zᵢ·zᵢ₊₁`, as its excess over the minimum at `z*ᵢ = i(D + 1 − i)`:
/// a quadratic, so with `d = z − z*` the excess is exactly `Σdᵢ² − Σdᵢ·dᵢ₊₁`. Taking the
/// difference of the two values instead would lose the 1e-8 targets to rounding from about
/// 50 coordinates on (the minimum, `−D(D + 4)(D − 1)/6`, grows as `D³`).
fn trid_excess(d: &[f64]) -> f64 {
    d.iter().map(|v| v * v).sum::<f64>() - d.windows(2).map(|w| w[0] * w[1]).sum::<f64>()
}

fn qing(x: &[f64]) -> f64 {
    x.iter()
        .enumerate()
        .map(|(i, v)| (v * v - (i + 1) as f64).powi(2))
        .sum()
}

fn xin_she_yang_2(x: &[f64]) -> f64 {
    x.iter().map(|v| v.abs()).sum::<f64>() * (-x.iter().map(|v| (v * v).sin()).sum::<f64>()).exp()
}

fn happy_cat(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let squares: f64 = x.iter().map(|v| v * v).sum();
    let sum: f64 = x.iter().sum();
    (squares - n).abs().powf(0.25) + (0.5 * squares + sum) / n + 0.5
}

fn step(x: &[f64]) -> f64 {
    x.iter().map(|v| (v + 0.5).floor().powi(2)).sum()
}

/// Schaffer's F6 over the consecutive pairs, the last paired with the first.
fn expanded_schaffer(x: &[f64]) -> f64 {
    let f6 = |a: f64, b: f64| {
        let r2 = a * a + b * b;
        0.5 + (r2.sqrt().sin().powi(2) - 0.5) / (1.0 + 0.001 * r2).powi(2)
    };
    let n = x.len();
    (0..n).map(|i| f6(x[i], x[(i + 1) % n])).sum()
}

fn zeros(n: usize) -> Vec<f64> {
    vec![0.0; n]
}

fn ones(n: usize) -> Vec<f64> {
    vec![1.0; n]
}

fn minus_ones(n: usize) -> Vec<f64> {
    vec![-1.0; n]
}

fn qing_minimizer(n: usize) -> Vec<f64> {
    (1..=n).map(|i| (i as f64).sqrt()).collect()
}

fn base(name: &str) -> Option<Base> {
    let plain = name.strip_prefix(PREFIX)?;
    let plain = plain.strip_suffix("-rot").unwrap_or(plain);
    let base = |f, bounds, minimizer, min_dim| Base {
        f,
        bounds,
        minimizer,
        min_dim,
    };
    Some(match plain {
        "levy" => base(levy, |_| (-10.0, 10.0), ones, 1),
        "zakharov" => base(zakharov, |_| (-5.0, 10.0), zeros, 1),
        "dixon-price" => base(dixon_price, |_| (-10.0, 10.0), dixon_price_minimizer, 1),
        "styblinski-tang" => base(styblinski_tang, |_| (-5.0, 5.0), styblinski_tang_minimizer, 1),
        "schwefel-2.22" => base(schwefel_2_22, |_| (-10.0, 10.0), zeros, 1),
        "alpine" => base(alpine, |_| (-10.0, 10.0), zeros, 1),
        "salomon" => base(salomon, |_| (-100.0, 100.0), zeros, 1),
        "trid" => base(trid_excess, |n| (-((n * n) as f64), (n * n) as f64), zeros, 2),
        "qing" => base(qing, |_| (-500.0, 500.0), qing_minimizer, 1),
        "xin-she-yang-2" => base(xin_she_yang_2, |_| (-2.0 * PI, 2.0 * PI), zeros, 1),
        "happy-cat" => base(happy_cat, |_| (-2.0, 2.0), minus_ones, 1),
        "step" => base(step, |_| (-100.0, 100.0), zeros, 1),
        "expanded-schaffer" => base(expanded_schaffer, |_| (-100.0, 100.0), zeros, 2),
        _ => return None,
    })
}

/// The seed's minimizer `x*`, and its rotation when `rotate`.
fn draw(base: &Base, dim: usize, rotate: bool, seed: u64) -> (Vec<f64>, Option<Vec<f64>>) {
    let (lo, hi) = (base.bounds)(dim);
    let mut rng =
        ZooRng::seed_from(seed ^ INSTANCE_STREAM ^ (dim as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let margin = 0.1 * (hi - lo);
    let at: Vec<f64> = (0..dim).map(|_| rng.uniform(lo + margin, hi - margin)).collect();
    let rotation = rotate.then(|| random_rotation(dim, &mut rng));
    (at, rotation)
}

/// The function of one run: `f(z* + R·(x − x*)) − f(z*)` with the seed's minimizer `x*`
/// and rotation `R` (none for the plain variants).
fn instance(base: &Base, dim: usize, rotate: bool, seed: u64) -> Function {
    let (at, rotation) = draw(base, dim, rotate, seed);
    let own = (base.minimizer)(dim);
    let f = base.f;
    let floor = f(&own);
    Arc::new(move |x: &[f64]| {
        let step: Vec<f64> = x.iter().zip(&at).map(|(v, a)| v - a).collect();
        let z: Vec<f64> = match &rotation {
            Some(r) => (0..dim)
                .map(|i| {
                    own[i]
                        + r[i * dim..(i + 1) * dim]
                            .iter()
                            .zip(&step)
                            .map(|(a, b)| a * b)
                            .sum::<f64>()
                })
                .collect(),
            None => own.iter().zip(&step).map(|(o, s)| o + s).collect(),
        };
        // Rounding can take the difference a few ulps of `f(z*)` below 0, the optimum.
        (f(&z) - floor).max(0.0)
    })
}

fn build(name: &'static str, dim: usize) -> Result<Problem> {
    let Some(base) = base(name) else {
        bail!("`{name}` is not a classic problem name");
    };
    if dim < base.min_dim || dim > MAX_DIMENSION {
        bail!(
            "problem `{name}` takes {} to {MAX_DIMENSION} coordinates, not {dim}",
            base.min_dim
        );
    }
    let rotate = name.ends_with("-rot");
    let (lo, hi) = (base.bounds)(dim);
    Ok(Problem {
        name,
        dim,
        space: Space::cube(dim, lo, hi)?,
        shape: Shape::Continuous,
        // Outside a run (no seed), the problem's function is seed 1's.
        function: instance(&base, dim, rotate, 1),
        subset_function: None,
        noise: None,
        delay: None,
        per_seed: Some(Arc::new(move |seed| instance(&base, dim, rotate, seed))),
        optimum: Some(0.0),
    })
}

macro_rules! classic_problems {
    ($($name:literal $about:literal),* $(,)?) => {
        /// The classic family, in registry order.
        pub static PROBLEMS: &[ProblemInfo] = &[$(
            ProblemInfo {
                name: concat!("classic-", $name),
                about: concat!($about, ", f − f_opt, minimizer (and rotation) drawn by the seed"),
                default_dim: 10,
                fixed_dim: None,
                max_dim: MAX_DIMENSION,
                build,
            },
        )*];
    };
}

classic_problems![
    "levy" "Levy, [-10,10]^D",
    "levy-rot" "Levy rotated, [-10,10]^D",
    "zakharov" "Zakharov, [-5,10]^D",
    "dixon-price" "Dixon–Price, [-10,10]^D",
    "styblinski-tang" "Styblinski–Tang, [-5,5]^D",
    "styblinski-tang-rot" "Styblinski–Tang rotated, [-5,5]^D",
    "schwefel-2.22" "Schwefel 2.22 (Σ|x| + Π|x|), [-10,10]^D",
    "alpine" "Alpine N.1, [-10,10]^D",
    "alpine-rot" "Alpine N.1 rotated, [-10,10]^D",
    "salomon" "Salomon, [-100,100]^D",
    "trid" "Trid, [-D²,D²]^D",
    "qing" "Qing, [-500,500]^D",
    "xin-she-yang-2" "Xin-She Yang N.2, [-2π,2π]^D",
    "happy-cat" "HappyCat, [-2,2]^D",
    "happy-cat-rot" "HappyCat rotated, [-2,2]^D",
    "step" "step (Σ⌊x+0.5⌋²), [-100,100]^D",
    "expanded-schaffer" "expanded Schaffer F6 (CEC 2005 F14 unrotated), [-100,100]^D",
    "expanded-schaffer-rot" "expanded Schaffer F6 rotated, [-100,100]^D",
];

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    fn minimizer_of(name: &str, dim: usize, seed: u64) -> Vec<f64> {
        draw(&base(name).unwrap(), dim, name.ends_with("-rot"), seed).0
    }

    #[test]
    fn every_problem_is_zero_at_its_seeds_minimizer_and_above_it_elsewhere() {
        let mut rng = ZooRng::seed_from(7);
        for info in PROBLEMS {
            for dim in [2, 5, 12] {
                let p = info.build(dim).unwrap();
                for seed in [1, 2, 33] {
                    let run = p.instance(seed);
                    let at = minimizer_of(info.name, dim, seed);
                    assert!(p.space.contains(&at), "{} d{dim}", info.name);
                    let zero = run.evaluate(&at);
                    assert!(zero.abs() < 1e-9, "{} d{dim} seed {seed}: {zero}", info.name);
                    for _ in 0..50 {
                        let x = p.space.sample(&mut rng);
                        let v = run.evaluate(&x);
                        assert!(v >= -1e-9 && v.is_finite(), "{} d{dim}: {v} at {x:?}", info.name);
                    }
                }
                assert_eq!(p.optimum(), Some(0.0));
            }
        }
    }

    #[test]
    fn seeds_move_the_minimizer_and_rotations_couple_the_coordinates() {
        assert_ne!(
            minimizer_of("classic-levy", 5, 1),
            minimizer_of("classic-levy", 5, 2)
        );
        let plain = build("classic-alpine", 4).unwrap().instance(3);
        let rotated = build("classic-alpine-rot", 4).unwrap().instance(3);
        let at = minimizer_of("classic-alpine", 4, 3);
        // Along a coordinate axis through the minimizer the plain variant changes only
        // that coordinate's term; the rotated one is not a sum of such terms.
        let moved = |i: usize, by: f64| {
            let mut x = at.clone();
            x[i] += by;
            x
        };
        let additive = |run: &super::super::Instance| {
            let both = {
                let mut x = moved(0, 0.7);
                x[1] += 0.9;
                x
            };
            (run.evaluate(&both) - run.evaluate(&moved(0, 0.7)) - run.evaluate(&moved(1, 0.9))
                + run.evaluate(&at))
            .abs()
        };
        assert!(additive(&plain) < 1e-12);
        assert!(additive(&rotated) > 1e-6);
    }

    #[test]
    fn trids_excess_is_exact_in_many_coordinates() {
        // Its minimum is about -2e7 in 500-D: a difference of values would round to 1e-8.
        let p = build("classic-trid", 500).unwrap();
        let mut x = minimizer_of("classic-trid", 500, 4);
        x[0] += 1e-7;
        let v = p.instance(4).evaluate(&x);
        // x[0] is about 1e5: the step itself is known to a few parts in 1e4.
        assert!((v - 1e-14).abs() < 1e-17, "{v}");
    }

    #[test]
    fn names_and_dimensions_are_checked() {
        assert!(base("classic-levy").is_some() && base("classic-levy-rot").is_some());
        assert!(base("levy").is_none() && base("classic-nothing").is_none());
        assert!(build("classic-trid", 1).is_err());
        assert!(build("classic-expanded-schaffer", 1).is_err());
        assert!(build("classic-levy", MAX_DIMENSION + 1).is_err());
        assert!(build("classic-levy", 1).is_ok());
        let names: std::collections::HashSet<&str> = PROBLEMS.iter().map(|p| p.name).collect();
        assert_eq!(names.len(), PROBLEMS.len());
        let trid = build("classic-trid", 6).unwrap();
        assert_eq!(trid.bounds().0[0], -36.0);
    }
}
