//! cocopp reads what `zoo-bench run` writes under `DIR/coco/`: a small BBOB suite
//! (`tests/data/bbob-small.toml`) is run, then cocopp post-processes each algorithm's folder
//! (through `zoo-bbob/scripts/cocopp_check.py`, which fails unless cocopp reads every data
//! set and writes its figures) and the comparison of the two.
//!
//! Needs `target/bbob-venv/bin/python` with cocopp (`zoo-bench/scripts/cocopp_check.sh`
//! makes it); skipped, with the reason printed, when it is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The venv's Python if it can import cocopp.
fn python_with_cocopp() -> Result<PathBuf, String> {
    let python = root().join("target/bbob-venv/bin/python");
    if !python.is_file() {
        return Err(format!("{} is absent", python.display()));
    }
    let ok = Command::new(&python)
        .args(["-c", "import cocopp"])
        .output()
        .map_err(|e| format!("{}: {e}", python.display()))?;
    if !ok.status.success() {
        return Err(format!("cocopp is not installed in {}", python.display()));
    }
    Ok(python)
}

fn check(out: std::process::Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn cocopp_reads_zoo_bench_bbob_output() {
    let python = match python_with_cocopp() {
        Ok(p) => p,
        Err(why) => {
            println!("skipped: {why}; run zoo-bench/scripts/cocopp_check.sh to install cocopp");
            return;
        }
    };
    let dir = std::env::temp_dir().join(format!("zoo-bench-cocopp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let suite = root().join("zoo-bench/tests/data/bbob-small.toml");
    check(
        Command::new(env!("CARGO_BIN_EXE_zoo-bench"))
            .args(["run", "--suite-file", suite.to_str().unwrap(), "--out"])
            .arg(&dir)
            .arg("--quiet")
            .output()
            .unwrap(),
        "zoo-bench run",
    );
    let script = root().join("zoo-bbob/scripts/cocopp_check.py");
    for algo in ["sracos", "random"] {
        let said = check(
            Command::new(&python)
                .arg(&script)
                .arg(dir.join("coco").join(algo))
                .arg(dir.join(format!("pp-{algo}")))
                .output()
                .unwrap(),
            &format!("cocopp on {algo}"),
        );
        println!("{algo}: {said}");
        // 5 functions × 2 dimensions.
        assert!(said.contains("read 10 data sets"), "{said}");
    }
    // The comparison of both algorithms: cocopp exits 0 and draws the runtime ECDFs.
    let compare = dir.join("pp-both");
    check(
        Command::new(&python)
            .args(["-c", "import sys, warnings, matplotlib; matplotlib.use('Agg'); warnings.simplefilter('ignore'); import cocopp; cocopp.main(sys.argv[1:])", "-o"])
            .arg(&compare)
            .arg("--no-interactive")
            .arg(dir.join("coco/sracos"))
            .arg(dir.join("coco/random"))
            .output()
            .unwrap(),
        "cocopp on sracos and random",
    );
    let mut figures = 0;
    let mut stack = vec![compare];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "svg" || x == "png") {
                figures += 1;
            }
        }
    }
    assert!(figures > 0, "cocopp wrote no figures comparing the two");
    println!("comparison: {figures} figures");
    std::fs::remove_dir_all(&dir).unwrap();
}
