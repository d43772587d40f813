//! COCO output: the runs of a suite on BBOB problems, written with [`zoo_bbob::coco`] in
//! the data format of cocoex's `bbob` observer, one folder per algorithm
//! (`DIR/coco/<algo>/`), so that cocopp can post-process them
//! (`python -m cocopp DIR/coco/sracos DIR/coco/random`).
//!
//! Every evaluation of a run is logged (cocoex's target and evaluation triggers decide
//! which lines are written). The runs report `f − f_opt`; the logs get `f` back by adding
//! the instance's `f_opt`, which may differ from cocoex's own value in the last bits (about
//! 10⁻¹⁴ of `|f_opt|`), far below the final target 10⁻⁸.

use std::path::Path;

use anyhow::{Context, Result};
use zoo_bbob::coco::{Experiment, RunLog};

use crate::problem::{Problem, bbob};

/// The COCO log of one run on a BBOB problem (`None` for other problems): `values` are the
/// run's values (`f − f_opt`) in call order.
pub fn run_log(problem: &Problem, seed: u64, values: &[f64]) -> Result<Option<RunLog>> {
    let Some(function) = problem.bbob_function() else {
        return Ok(None);
    };
    let instance = bbob::instance_for(function, problem.dim, seed)?;
    let fopt = instance.optimal_value();
    let mut log = RunLog::new(&instance);
    for (i, &v) in values.iter().enumerate() {
        log.record(i as u64 + 1, v + fopt)?;
    }
    Ok(Some(log))
}

/// Writes `logs` (algorithm name and log, in suite order) into `dir/<algo>/`, replacing
/// what an earlier run left in `dir`. `about` describes the algorithms for cocopp.
pub fn write(dir: &Path, logs: &[(String, RunLog)], about: impl Fn(&str) -> String) -> Result<()> {
    if logs.is_empty() {
        return Ok(());
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    let mut algos: Vec<&str> = Vec::new();
    for (a, _) in logs {
        if !algos.contains(&a.as_str()) {
            algos.push(a);
        }
    }
    for algo in algos {
        let mut experiment = Experiment::create(dir.join(algo), algo, &about(algo))?;
        for (_, log) in logs.iter().filter(|(a, _)| a == algo) {
            experiment
                .write(log)
                .with_context(|| format!("writing COCO data of {algo}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem;

    #[test]
    fn logs_bbob_runs_only_and_writes_one_folder_per_algorithm() {
        let sphere = problem::build("sphere", Some(3)).unwrap();
        assert!(run_log(&sphere, 1, &[1.0]).unwrap().is_none());
        let f1 = problem::build("bbob-f1", Some(2)).unwrap();
        let log = run_log(&f1, 2, &[3.0, 1.0, 0.5]).unwrap().unwrap();
        assert_eq!(log.evaluations(), 3);
        let dir = std::env::temp_dir().join(format!("zoo-bench-coco-{}", std::process::id()));
        write(&dir, &[("a".into(), log.clone()), ("b".into(), log)], |a| {
            format!("algo {a}")
        })
        .unwrap();
        for a in ["a", "b"] {
            let info = std::fs::read_to_string(dir.join(a).join("bbobexp_f1.info")).unwrap();
            assert!(
                info.contains("algId = 'a'") || info.contains(&format!("algId = '{a}'")),
                "{info}"
            );
            assert!(dir.join(a).join("data_f1/bbobexp_f1_DIM2.dat").exists());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
