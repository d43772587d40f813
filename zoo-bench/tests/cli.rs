//! The command-line contract of the design guide §4: `list` names, `solve`'s one JSON
//! line, errors on stderr with a non-zero exit.

#![allow(clippy::float_cmp)]

use std::process::{Command, Output};

fn zoo_bench(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zoo-bench"))
        .args(args)
        .output()
        .expect("the zoo-bench binary runs")
}

fn solve(
    problem: &str,
    dim: &str,
    budget: &str,
    algo: &str,
    seed: &str,
) -> serde_json::Map<String, serde_json::Value> {
    solve_raw(problem, dim, budget, algo, seed).1
}

fn solve_raw(
    problem: &str,
    dim: &str,
    budget: &str,
    algo: &str,
    seed: &str,
) -> (String, serde_json::Map<String, serde_json::Value>) {
    let out = zoo_bench(&[
        "solve",
        "--problem",
        problem,
        "--dim",
        dim,
        "--budget",
        budget,
        "--algo",
        algo,
        "--seed",
        seed,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.ends_with('\n'));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "exactly one line: {stdout:?}");
    match serde_json::from_str(lines[0]).unwrap() {
        serde_json::Value::Object(map) => (lines[0].to_owned(), map),
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn solve_prints_one_json_object_in_the_contract_schema() {
    let (raw, line) = solve_raw("ackley", "10", "300", "random", "3");
    let keys = [
        "problem",
        "dim",
        "algo",
        "seed",
        "budget",
        "evaluations",
        "best",
        "true_best",
        "wall_s",
    ];
    assert_eq!(line.len(), keys.len());
    // The fields appear in the contract's order.
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| {
            raw.find(&format!("\"{k}\":"))
                .unwrap_or_else(|| panic!("{k} missing"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{raw}");
    assert_eq!(line["problem"], "ackley");
    assert_eq!(line["dim"], 10);
    assert_eq!(line["algo"], "random");
    assert_eq!(line["seed"], 3);
    assert_eq!(line["budget"], 300);
    assert_eq!(line["evaluations"], 300);
    let best = line["best"].as_f64().unwrap();
    assert!(best > 0.0 && best < 5.0);
    assert_eq!(line["true_best"].as_f64().unwrap(), best);
    assert!(line["wall_s"].as_f64().unwrap() >= 0.0);
}

#[test]
fn solve_is_reproducible_and_seed_zero_is_a_seed() {
    let a = solve("sphere", "5", "200", "de", "0");
    let b = solve("sphere", "5", "200", "de", "0");
    let c = solve("sphere", "5", "200", "de", "1");
    assert_eq!(a["best"], b["best"]);
    assert_ne!(a["best"], c["best"]);
}

#[test]
fn noisy_problems_report_the_noise_free_value_separately() {
    let line = solve("noisy-ackley", "10", "500", "random", "2");
    let best = line["best"].as_f64().unwrap();
    let true_best = line["true_best"].as_f64().unwrap();
    assert_ne!(best, true_best);
    // N(0, 0.1²) noise: the two differ by a few tenths at most.
    assert!((best - true_best).abs() < 0.6);
}

#[test]
fn every_listed_algorithm_spends_exactly_the_budget() {
    let out = zoo_bench(&["list"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let section = |name: &str| -> Vec<String> {
        text.split(&format!("{name}:\n"))
            .nth(1)
            .unwrap()
            .lines()
            .take_while(|l| l.starts_with("  "))
            .map(|l| l.split_whitespace().next().unwrap().to_owned())
            .collect()
    };
    let problems = section("problems");
    let algos = section("algorithms");
    for p in [
        "sphere",
        "ackley",
        "rastrigin",
        "setcover",
        "mixed",
        "noisy-ackley",
        "sre-sphere",
    ] {
        assert!(problems.iter().any(|q| q == p), "{p} not listed");
    }
    for a in [
        "random",
        "sracos",
        "racos",
        "poss",
        "greedy",
        "argmin-nm",
        "argmin-pso",
        "argmin-sa",
        "cmaes",
        "de",
    ] {
        assert!(algos.iter().any(|b| b == a), "{a} not listed");
    }
    for algo in &algos {
        let (problem, dim) = if ["poss", "ponss", "greedy"].contains(&algo.as_str()) {
            ("sonar-k8", "60")
        } else {
            ("rastrigin", "12")
        };
        let line = solve(problem, dim, "157", algo, "5");
        assert_eq!(line["evaluations"], 157, "{algo}");
    }
}

#[test]
fn errors_go_to_stderr_with_a_failing_exit() {
    let refused = |args: &[&str]| {
        let out = zoo_bench(args);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
        assert!(!out.stderr.is_empty(), "{args:?} said nothing on stderr");
    };
    for args in [
        &["solve", "--problem", "nope", "--budget", "10", "--algo", "random"][..],
        &["solve", "--problem", "sphere", "--budget", "10", "--algo", "nope"],
        &[
            "solve",
            "--problem",
            "setcover",
            "--dim",
            "3",
            "--budget",
            "10",
            "--algo",
            "random",
        ],
        &[
            "solve",
            "--problem",
            "sphere",
            "--budget",
            "0",
            "--algo",
            "random",
        ],
        &[
            "solve",
            "--problem",
            "sphere",
            "--budget",
            "10",
            "--algo",
            "cmaes",
            "--threads",
            "2",
        ],
        &["run", "--suite", "nope", "--out", "/nonexistent/zoo-bench"],
    ] {
        refused(args);
    }
    for (option, value) in [("--seeds", "0"), ("--jobs", "0"), ("--scale", "1e30")] {
        refused(&[
            "run",
            "--suite",
            "quick",
            "--out",
            "/nonexistent/zoo-bench",
            option,
            value,
        ]);
    }
}

#[test]
fn threads_evaluate_in_reproducible_batches() {
    let run = || {
        let out = zoo_bench(&[
            "solve",
            "--problem",
            "ackley",
            "--dim",
            "10",
            "--budget",
            "300",
            "--algo",
            "sracos",
            "--seed",
            "4",
            "--threads",
            "2",
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(line["evaluations"], 300);
        line["best"].as_f64().unwrap()
    };
    assert_eq!(run(), run());
}

#[test]
fn solve_runs_bbob_problems_as_distance_to_the_optimum() {
    let line = solve("bbob-f8", "10", "500", "sracos", "3");
    assert_eq!(line["problem"], "bbob-f8");
    assert_eq!(line["dim"], 10);
    let best = line["best"].as_f64().unwrap();
    assert!(best >= 0.0 && best.is_finite(), "f - f_opt = {best}");
    assert_eq!(solve("bbob-f8", "10", "500", "sracos", "3")["best"], line["best"]);
    let out = zoo_bench(&[
        "solve",
        "--problem",
        "bbob-f8",
        "--dim",
        "641",
        "--budget",
        "10",
        "--algo",
        "random",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at most 640"));
}

/// A requested run this build cannot do is named, not silently left out; a second run into
/// the same directory leaves no plot of the first behind.
#[test]
fn skipped_runs_are_named_and_old_plots_are_cleared() {
    let dir = std::env::temp_dir().join(format!("zoo-bench-cli-skip-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("s.toml");
    let suite = |problems: &str| {
        format!(
            "name = \"s\"\nseeds = [1, 2]\n[[tasks]]\nproblems = [{problems}]\ndim = 2\nbudget = 30\nthreads = 2\nalgos = [\"sracos\", \"cmaes\"]\n"
        )
    };
    let out = dir.join("out");
    let run = || {
        zoo_bench(&[
            "run",
            "--suite-file",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
    };
    std::fs::write(&file, suite("\"bbob-f1\", \"bbob-f8\"")).unwrap();
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let said = String::from_utf8_lossy(&first.stderr);
    assert!(
        said.contains("skipped (not runnable): cmaes on bbob-f1-2 with 2 thread(s)"),
        "{said}"
    );
    assert!(out.join("plots/bbob-f8-2-t2.png").is_file());
    std::fs::write(&file, suite("\"bbob-f1\"")).unwrap();
    assert!(run().status.success());
    assert!(!out.join("plots/bbob-f8-2-t2.png").exists());
    assert!(out.join("plots/bbob-f1-2-t2.png").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}
