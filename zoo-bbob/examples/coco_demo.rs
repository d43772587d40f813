//! Random search on a few BBOB problems, written in COCO's data format for cocopp.
//!
//! `cargo run -p zoo-bbob --example coco_demo -- [FOLDER]` writes `FOLDER` (default
//! `target/bbob-coco-demo/zoo-random`); `zoo-bbob/scripts/cocopp_check.sh` post-processes it.

use zoo_bbob::Bbob;
use zoo_bbob::coco::{Experiment, RunLog};

/// SplitMix64: a small seeded generator, enough for a demo.
struct SplitMix(u64);

impl SplitMix {
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        lo + (hi - lo) * ((z >> 11) as f64 / (1u64 << 53) as f64)
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let folder = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/bbob-coco-demo/zoo-random".into());
    let _ = std::fs::remove_dir_all(&folder);
    let mut experiment = Experiment::create(&folder, "zoo-random", "uniform random search in [-5, 5]^n")?;
    let mut rng = SplitMix(2024);
    for function in [1, 2, 8, 15, 21, 24] {
        for dimension in [2, 5] {
            for instance in 1..=3 {
                let problem = Bbob::new(function, dimension, instance)?;
                let mut log = RunLog::new(&problem);
                let mut x = vec![0.0; dimension];
                for _ in 0..200 * dimension {
                    x.iter_mut().for_each(|v| *v = rng.uniform(-5.0, 5.0));
                    log.evaluate(&problem, &x);
                }
                experiment.write(&log)?;
                println!(
                    "{}: best f - f_opt = {:.3e}",
                    problem.name(),
                    log.best_value() - problem.optimal_value()
                );
            }
        }
    }
    println!("wrote {}", experiment.folder().display());
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("coco_demo: {e}");
        std::process::exit(1);
    }
}
