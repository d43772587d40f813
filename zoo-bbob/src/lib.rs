// zoo-bbob: COCO's 24 noiseless BBOB functions, computed as `cocoex` computes them.
//
// References:
// - N. Hansen, S. Finck, R. Ros, A. Auger, "Real-Parameter Black-Box Optimization
//   Benchmarking 2009: Noiseless Functions Definitions", INRIA Research Report RR-6829, 2009
//   (updated 2010), <https://inria.hal.science/inria-00362633>.
// - N. Hansen, A. Auger, R. Ros, O. Mersmann, T. Tušar, D. Brockhoff, "COCO: a platform for
//   comparing continuous optimizers in a black-box setting", Optimization Methods and
//   Software 36(1):114–144, 2021, doi:10.1080/10556788.2020.1808977.
// - COCO's C implementation (github.com/numbbo/coco, `code-experiments/src`), read to match
//   its arithmetic; this crate is an independent Rust implementation of the same definitions.
#![doc = include_str!("../README.md")]

// The function code indexes several arrays in parallel, in the order of the definitions;
// iterator chains would hide the correspondence with the report's formulas.
#[allow(clippy::needless_range_loop)]
mod bbob;
pub mod coco;
mod error;
#[allow(clippy::needless_range_loop)]
mod legacy;

pub use bbob::{Bbob, FunctionGroup, MAX_INSTANCE, function_group, function_name};
pub use error::BbobError;

/// The dimensions of COCO's `bbob` suite.
pub const DIMENSIONS: [usize; 6] = [2, 3, 5, 10, 20, 40];

/// The function numbers of the suite, 1..=24.
pub const FUNCTIONS: std::ops::RangeInclusive<usize> = 1..=24;

/// The instances of the 2010 BBOB workshop (COCO's `year: 2010`), which the crate's `cocoex`
/// reference values cover in every dimension of the suite (later instances are checked at
/// a sample: 16, 20, 25, 30, 45 and 80 in 2, 5, 10 and 20-D).
pub const INSTANCES_2010: std::ops::RangeInclusive<u32> = 1..=15;

/// The 51 target precisions `f - f_opt` of COCO's runtime ECDFs: `10^2, 10^1.8, …, 10^-8`,
/// exactly as cocopp computes them (`10 ** np.arange(2, -8.2, -0.2)`, so the last one is
/// `1.0000000000000042e-08`, not `1e-8`).
#[allow(clippy::excessive_precision)]
pub const TARGET_PRECISIONS: [f64; 51] = [
    100.0,
    63.09573444801933,
    39.810717055349734,
    25.11886431509581,
    15.848931924611142,
    10.000000000000005,
    6.309573444801936,
    3.9810717055349754,
    2.5118864315095824,
    1.584893192461115,
    1.000000000000001,
    0.6309573444801942,
    0.39810717055349776,
    0.25118864315095824,
    0.15848931924611157,
    0.1000000000000002,
    0.06309573444801943,
    0.039810717055349776,
    0.025118864315095846,
    0.015848931924611172,
    0.010000000000000021,
    0.006309573444801942,
    0.0039810717055349856,
    0.0025118864315095872,
    0.0015848931924611173,
    0.001000000000000002,
    0.0006309573444801943,
    0.00039810717055349854,
    0.0002511886431509587,
    0.00015848931924611174,
    0.00010000000000000041,
    6.309573444801955e-05,
    3.981071705534986e-05,
    2.5118864315095873e-05,
    1.5848931924611175e-05,
    1.0000000000000041e-05,
    6.309573444801956e-06,
    3.981071705534985e-06,
    2.5118864315095924e-06,
    1.5848931924611206e-06,
    1.000000000000004e-06,
    6.309573444801969e-07,
    3.9810717055349856e-07,
    2.5118864315095923e-07,
    1.584893192461124e-07,
    1.000000000000004e-07,
    6.309573444801968e-08,
    3.9810717055349855e-08,
    2.5118864315095923e-08,
    1.584893192461124e-08,
    1.0000000000000042e-08,
];

/// The final target precision of the suite: a run "solves" a problem when it reaches
/// `f_opt + 1e-8`.
pub const FINAL_PRECISION: f64 = 1e-8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_precisions_step_by_a_fifth_of_a_decade_from_100_to_1e_minus_8() {
        for (k, t) in TARGET_PRECISIONS.iter().enumerate() {
            let want = 10f64.powf(2.0 - 0.2 * k as f64);
            assert!((t / want - 1.0).abs() < 1e-12, "target {k}: {t} vs {want}");
        }
        assert!(TARGET_PRECISIONS.windows(2).all(|w| w[0] > w[1]));
    }
}
