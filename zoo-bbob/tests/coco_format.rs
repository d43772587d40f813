//! `zoo_bbob::coco` against the files cocoex's own `bbob` observer wrote for the same
//! evaluations (`tests/data/coco_golden`, made by `scripts/coco_golden.py`).

use std::fs;
use std::path::{Path, PathBuf};

use zoo_bbob::Bbob;
use zoo_bbob::coco::{Experiment, RunLog};

/// (function, dimension, instance, evaluations), in the order the golden run used.
const PROBLEMS: [(usize, usize, u32, u64); 8] = [
    (1, 2, 1, 2000),
    (1, 2, 2, 2000),
    (1, 3, 1, 37),
    (8, 10, 3, 2000),
    (20, 3, 2, 2000),
    (21, 5, 1, 2000),
    (24, 2, 4, 2000),
    (1, 2, 3, 50),
];

/// The points of `scripts/coco_golden.py`: two non-finite ones, then the formula.
fn point(e: u64, f: usize, i: u32, d: usize) -> Vec<f64> {
    if (f, d, i) == (1, 2, 3) && e == 1 {
        return vec![f64::NAN; d];
    }
    if (f, d, i) == (1, 2, 3) && e == 2 {
        let mut x = vec![0.0; d];
        x[0] = f64::INFINITY;
        return x;
    }
    (0..d)
        .map(|j| {
            4.0 * (0.37 * e as f64 * (j + 1) as f64 + f as f64 + 0.1 * f64::from(i)).sin()
                * 0.999_f64.powf(e as f64)
        })
        .collect()
}

fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("readable folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(root).expect("inside root").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn writes_what_cocoex_observer_writes() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/coco_golden");
    let out = std::env::temp_dir().join(format!("zoo-bbob-coco-format-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    let mut experiment = Experiment::create(&out, "golden", "fixed_points").expect("folder");
    for (f, d, i, evals) in PROBLEMS {
        let problem = Bbob::new(f, d, i).expect("problem");
        let mut run = RunLog::new(&problem);
        for e in 1..=evals {
            run.evaluate(&problem, &point(e, f, i, d));
        }
        experiment.write(&run).expect("written");
    }
    let want = files(&golden);
    assert_eq!(files(&out), want, "same files");
    let mut compared = 0;
    for rel in &want {
        let a = fs::read_to_string(out.join(rel)).expect("ours");
        let b = fs::read_to_string(golden.join(rel)).expect("cocoex's");
        for (n, (la, lb)) in a.lines().zip(b.lines()).enumerate() {
            assert_eq!(la, lb, "{} line {}", rel.display(), n + 1);
            compared += 1;
        }
        assert_eq!(
            a.lines().count(),
            b.lines().count(),
            "{} line count",
            rel.display()
        );
        assert_eq!(a, b, "{} byte for byte", rel.display());
    }
    println!(
        "{} files, {compared} lines identical to cocoex's observer",
        want.len()
    );
    let _ = fs::remove_dir_all(&out);
}
