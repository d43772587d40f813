"""The peers runner (bench/peers.py): zoo's algorithms and Python's optimizers on the same
problems, seeds and budgets, in one zoo-bench report — a small version of the `peers` suite.

scripts/test installs the peers (cma, nevergrad, optuna, cmaes, zoopt) into the test venv;
a peer that is missing is skipped by the runner, and its checks here with it.
"""

import csv
import importlib.util
import os
import statistics
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "zoo-py", "bench"))

import peers  # noqa: E402


def zoo_bench():
    """The zoo-bench binary `cargo test` (debug) or `cargo build --release` left."""
    candidates = [os.environ.get("ZOO_BENCH", "")] + [
        os.path.join(ROOT, "target", profile, "zoo-bench") for profile in ("release", "debug")]
    found = [c for c in candidates if c and os.access(c, os.X_OK)]
    if not found:
        pytest.skip("no zoo-bench binary: run `cargo build -p zoo-bench` first (scripts/test does)")
    return max(found, key=os.path.getmtime)


def installed(name):
    return not peers.missing(peers.PEERS[name][0])


def rows(out):
    with open(os.path.join(out, "results.csv")) as fh:
        return list(csv.DictReader(fh))


def test_one_report_holds_zoo_and_every_installed_peer(tmp_path, capsys):
    out = str(tmp_path / "peers")
    chosen = ["pycma", "ng-ngopt", "ng-oneplusone", "optuna-tpe", "zoopt", "zoo_opt-auto"]
    peers.main(["--out", out, "--seeds", "2", "--scale", "0.01", "--peers", ",".join(chosen),
                "--zoo-bench", zoo_bench()])
    printed = capsys.readouterr().out
    records = rows(out)
    tasks = {(r["task"], r["problem"], r["dim"], r["budget"], r["seed"]) for r in records}
    assert len(tasks) == 6 * 2
    for name in chosen:
        mine = [r for r in records if r["algo"] == name]
        if not installed(name):
            assert not mine and f"skipped {name}" in printed
            continue
        # Every task and seed, each with exactly its budget of counted evaluations.
        assert len(mine) == len(tasks), name
        assert all(r["evaluations"] == r["budget"] and r["error"] == "" for r in mine), name
        assert all(float(r["true_best"]) < float("inf") for r in mine), name
    for zoo_algo in ("auto", "zoo-cmaes", "sracos"):
        assert sum(r["algo"] == zoo_algo for r in records) == len(tasks)
    report = open(os.path.join(out, "report.md")).read()
    for name in ["auto"] + [n for n in chosen if installed(n)]:
        assert f"| {name} |" in report, name
    assert os.path.isfile(os.path.join(out, "plots", "P3-rastrigin-20.png"))


def test_zoo_opt_through_the_runner_matches_the_rust_sracos(tmp_path):
    if not installed("zoo_opt"):
        pytest.skip("zoo_opt is not installed")
    out = str(tmp_path / "same")
    peers.main(["--out", out, "--seeds", "2", "--scale", "0.02", "--peers", "zoo_opt",
                "--zoo-bench", zoo_bench()])
    records = rows(out)
    by = {(r["algo"], r["problem"], r["seed"]): r["true_best"] for r in records}
    # The same SRACOS, the same function, the same seed: the same values, whichever side
    # of the process boundary drives it.
    for problem in ("ackley", "sphere", "rastrigin", "setcover", "ellipsoid-sr", "rastrigin-sr"):
        for seed in ("1", "2"):
            assert by[("zoo_opt", problem, seed)] == by[("sracos", problem, seed)], (problem, seed)


def zoopt_values_through_the_runner(kept_problem, task, problem_name, dim, budget, seeds):
    """ZOOpt 0.4.2's values on a zoo-bench problem through `serve`, beside those kept from
    ZOOpt's own example (bench/results/zoopt-0.4.2.csv), seed for seed."""
    if importlib.util.find_spec("zoopt") is None:
        pytest.skip("zoopt is not installed")
    kept = {}
    with open(os.path.join(ROOT, "zoo-py", "bench", "results", "zoopt-0.4.2.csv")) as fh:
        for r in csv.DictReader(fh):
            if r["problem"] == kept_problem:
                kept[int(r["seed"])] = float(r["value"])
    pairs = []
    for seed in seeds:
        problem = peers.ServedProblem(zoo_bench(), task, problem_name, dim, budget, seed, "zoopt")
        x = peers.zoopt_api("zoopt")(problem, seed)
        record = peers.json.loads(problem.finish(x, 1.0))["record"]
        assert record["evaluations"] == budget
        pairs.append((record["true_best"], kept[seed]))
    return pairs


def test_zoopt_through_the_runner_matches_its_own_example():
    """ZOOpt on zoo-bench's Ackley (P1) gives the values of ZOOpt's quick-start example."""
    pairs = zoopt_values_through_the_runner("quick_start", "P1", "ackley", 100, 10_000, (1, 2))
    for ours, kept in pairs:
        assert ours == pytest.approx(kept, rel=1e-9)
    assert statistics.median(ours for ours, _ in pairs) < 0.2


def test_zoopt_poss_through_the_runner_matches_its_own_example():
    """ZOOpt's POSS on zoo-bench's P7 gives the values of ZOOpt's sparse-regression example."""
    pairs = zoopt_values_through_the_runner("sparse_regression", "P7", "sonar-k8", 60, 20_876, (1, 3))
    for ours, kept in pairs:
        assert ours == pytest.approx(kept, rel=1e-9)


def test_subset_selection_is_served_to_the_peers(tmp_path):
    """P7 (choose 8 of sonar's 60 columns): ZOOpt and zoo_opt run POSS on the bits, pycma
    searches keys whose 8 largest choose the columns; every run spends exactly its budget
    and recommends a feasible subset, and zoo_opt's POSS is zoo's, seed for seed."""
    out = str(tmp_path / "subset")
    chosen = ["pycma", "zoopt", "zoo_opt"]
    peers.main(["--suite", "peers-subset", "--out", out, "--seeds", "2", "--scale", "0.01",
                "--peers", ",".join(chosen), "--zoo-bench", zoo_bench()])
    records = rows(out)
    by = {(r["algo"], r["seed"]): r for r in records}
    for name in [n for n in chosen if installed(n)]:
        for seed in ("1", "2"):
            r = by[(name, seed)]
            assert r["evaluations"] == r["budget"] == "209" and r["error"] == "", (name, seed)
            # The recommendation chooses at most 8 columns: a finite least-squares error,
            # no better than the best 8 columns POSS is known to find (0.5617).
            assert 0.56 < float(r["true_best"]) < 1.0, (name, seed)
    if installed("zoo_opt"):
        for seed in ("1", "2"):
            assert by[("zoo_opt", seed)]["true_best"] == by[("poss", seed)]["true_best"], seed


def test_labels_are_searched_as_categories(tmp_path, monkeypatch):
    """The tuning problems' labels (4 values in no order) reach optuna as categories and
    nevergrad as choices; every run spends exactly its budget and recommends a point of
    the space (a finite value: labels and integers in range)."""
    problem = peers.ServedProblem(zoo_bench(), "", "tuning", 8, 5, 1, "check")
    assert problem.labels == [None] * 6 + [4, 4]
    assert list(problem.integer) == [False] * 4 + [True] * 4
    problem.finish(None, 0.0)
    chosen = [n for n in ("optuna-tpe", "ng-ngopt") if installed(n)]
    if not chosen:
        pytest.skip("neither optuna nor nevergrad is installed")
    if "optuna-tpe" in chosen:
        import optuna
        categorical = []
        suggest = optuna.trial.Trial.suggest_categorical

        def counted(trial, name, choices):
            categorical.append((name, tuple(choices)))
            return suggest(trial, name, choices)
        monkeypatch.setattr(optuna.trial.Trial, "suggest_categorical", counted)
    out = str(tmp_path / "tuning")
    peers.main(["--suite", "peers-tuning", "--out", out, "--seeds", "2", "--scale", "0.1",
                "--peers", ",".join(chosen), "--zoo-bench", zoo_bench()])
    records = [r for r in rows(out) if r["algo"] in chosen]
    assert len(records) == len(chosen) * 2 * 4 * 2
    for r in records:
        assert r["evaluations"] == r["budget"] and r["error"] == "", r
        assert 0.0 <= float(r["true_best"]) < float("inf"), r
    if "optuna-tpe" in chosen:
        # The labels of both problems, each over all its values.
        assert {c for _, c in categorical} == {(0, 1, 2, 3), (0, 1, 2), (0, 1, 2, 3, 4)}
