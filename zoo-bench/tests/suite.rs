//! The `run` and `report` commands: the quick suite at tiny budgets writes every file,
//! the same seeds give the same results apart from timings, and `report` re-renders.

use std::path::{Path, PathBuf};
use std::process::Command;

fn zoo_bench(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_zoo-bench"))
        .args(args)
        .output()
        .expect("the zoo-bench binary runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zoo-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `results.csv` without its two timing columns.
fn untimed(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let timing: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| **h == "wall_s" || **h == "overhead_us")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(timing.len(), 2);
    let mut out = String::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    for row in reader.records() {
        let row = row.unwrap();
        let kept: Vec<&str> = row
            .iter()
            .enumerate()
            .filter(|(i, _)| !timing.contains(i))
            .map(|(_, f)| f)
            .collect();
        out.push_str(&kept.join(","));
        out.push('\n');
    }
    out
}

#[test]
fn quick_suite_at_tiny_budgets_is_reproducible_and_renders() {
    let (a, b) = (scratch("quick-a"), scratch("quick-b"));
    for dir in [&a, &b] {
        let d = dir.to_str().unwrap();
        zoo_bench(&[
            "run", "--suite", "quick", "--out", d, "--scale", "0.02", "--seeds", "2", "--quiet",
        ]);
    }
    for file in ["results.csv", "curves.json", "env.json", "report.md"] {
        assert!(a.join(file).is_file(), "{file} missing");
    }
    let written = std::fs::read_to_string(a.join("suite.toml")).unwrap();
    assert!(
        written
            .starts_with("# run with --scale 0.02 (every budget × 0.02) and --seeds 2 (the first 2 seeds)\n"),
        "{written}"
    );
    let plots: Vec<_> = std::fs::read_dir(a.join("plots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(plots.iter().any(|p| p.extension().is_some_and(|e| e == "png")));
    assert!(plots.iter().any(|p| p.extension().is_some_and(|e| e == "svg")));

    // Same seeds: byte-identical curves, identical results apart from the timing columns.
    assert_eq!(
        std::fs::read(a.join("curves.json")).unwrap(),
        std::fs::read(b.join("curves.json")).unwrap()
    );
    assert_eq!(untimed(&a), untimed(&b));
    let results = untimed(&a);
    assert!(results.lines().count() > 20);
    // No run failed: the error column (last) is empty everywhere.
    assert!(results.lines().skip(1).all(|l| l.ends_with(',')), "{results}");

    // `report` re-renders the same report from the saved files.
    let before = std::fs::read_to_string(a.join("report.md")).unwrap();
    std::fs::remove_dir_all(a.join("plots")).unwrap();
    zoo_bench(&["report", a.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(a.join("report.md")).unwrap(), before);
    assert!(a.join("plots").read_dir().unwrap().count() >= 2);
    assert!(before.contains("## Ranks across problems"));
    assert!(before.contains("| p vs best |"));

    // Without its curves a directory still renders its tables, and says what is missing.
    std::fs::remove_file(b.join("curves.json")).unwrap();
    std::fs::remove_dir_all(b.join("plots")).unwrap();
    zoo_bench(&["report", b.to_str().unwrap()]);
    let bare = std::fs::read_to_string(b.join("report.md")).unwrap();
    assert!(bare.contains("# zoo-bench report: suite `quick`"), "{bare}");
    assert!(bare.contains("No `curves.json`") && bare.contains("## Ranks across problems"));
    assert!(!bare.contains("![") && bare.contains("| p vs best |"));

    for dir in [a, b] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn bbob_suite_writes_ecdfs_and_coco_data() {
    let dir = scratch("bbob");
    let d = dir.to_str().unwrap();
    zoo_bench(&[
        "run", "--suite", "bbob", "--out", d, "--scale", "0.1", "--seeds", "2", "--quiet",
    ]);
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(report.contains("## Runtime ECDFs"), "{report}");
    // 96 groups: no column each, the mean ranks alone.
    assert!(
        report.contains("## Mean ranks across problems") && report.contains("| auto | "),
        "{report}"
    );
    for plot in ["ecdf-all", "ecdf-separable", "ecdf-weakly-structured", "ecdf-d10"] {
        assert!(
            dir.join("plots").join(format!("{plot}.png")).is_file(),
            "{plot} missing"
        );
    }
    let curves = std::fs::read_to_string(dir.join("curves.json")).unwrap();
    assert!(curves.contains("\"hits\""));
    for algo in ["sracos", "cmaes", "de", "random"] {
        let folder = dir.join("coco").join(algo);
        assert!(folder.join("bbobexp_f24.info").is_file(), "{algo}");
        assert!(folder.join("data_f8/bbobexp_f8_DIM5.dat").is_file(), "{algo}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn suite_files_run_are_copied_and_guard_their_directory() {
    let dir = scratch("suite-file");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("mine.toml");
    let text = "name = \"mine\"\nseeds = [1, 2]\n\n[[tasks]]\nproblems = [\"sphere\", \"bbob-f3\"]\ndims = [2, 5]\nbudget_per_dim = 20\nalgos = [\"sracos\", \"random\"]\n";
    std::fs::write(&file, text).unwrap();
    let out = dir.join("out");
    let (f, o) = (file.to_str().unwrap(), out.to_str().unwrap());
    zoo_bench(&["run", "--suite-file", f, "--out", o, "--quiet"]);
    assert_eq!(std::fs::read_to_string(out.join("suite.toml")).unwrap(), text);
    let results = untimed(&out);
    // 2 problems × 2 dimensions × 2 algorithms × 2 seeds.
    assert_eq!(results.lines().count(), 1 + 16);
    assert!(results.contains("bbob-f3,5,random,2,100,"));
    // The same suite again into the same directory is fine; another suite is refused.
    zoo_bench(&["run", "--suite-file", f, "--out", o, "--quiet"]);
    let refused = Command::new(env!("CARGO_BIN_EXE_zoo-bench"))
        .args([
            "run", "--suite", "subset", "--out", o, "--scale", "0.01", "--quiet",
        ])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("suite `mine`"));
    // Unknown names in a suite file are errors before anything runs.
    std::fs::write(&file, text.replace("\"random\"", "\"randon\"")).unwrap();
    let bad = Command::new(env!("CARGO_BIN_EXE_zoo-bench"))
        .args([
            "run",
            "--suite-file",
            f,
            "--out",
            dir.join("bad").to_str().unwrap(),
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("randon"));
    assert!(!dir.join("bad").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
