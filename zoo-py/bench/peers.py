"""zoo beside the optimizers users would pick instead, in one zoo-bench report.

    python zoo-py/bench/peers.py --suite peers --out DIR [--suite-file FILE] [--seeds N] [--scale F]
                                 [--peers pycma,ng-ngopt,...] [--zoo-bench PATH] [--labels-as-integers]

1. `zoo-bench run` runs the suite's own algorithms (zoo's) into DIR.
2. Every installed peer runs on the same tasks, seeds and budgets through its own API, with
   each evaluation answered by `zoo-bench serve` — zoo-bench's own function and counter, so
   budgets are exact and values identical to the Rust runs'. A peer that is not installed
   is skipped with a line saying so.
3. `zoo-bench import` adds the peers' records and curves to DIR, `zoo-bench report` renders
   one report: tables, ranks, convergence plots, ECDFs, overhead per evaluation.

Peers (PyPI package → names in the report): cma → pycma (IPOP restarts: a new run from a
random point with twice the population whenever one stops, as pycma's docs recommend);
nevergrad → ng-ngopt, ng-cma, ng-de, ng-twopointsde, ng-oneplusone; optuna → optuna-tpe,
optuna-cmaes (only where the budget is at most --optuna-max-budget: their cost per trial
grows with the number of trials); zoopt (0.4.2) → zoopt (SRACOS, ZOOpt's default),
zoopt-resample and zoopt-ssracos (noise declared, as ZOOpt's noisy example does);
zoo_opt → zoo_opt (SRACOS through the Python API) and zoo_opt-auto.

Every peer sees the same repaired points: coordinates clipped into the box and rounded on
integer coordinates. Labels (coordinates of three or more values in no order, `labels` in
the served header) are categories for optuna (`suggest_categorical`) and nevergrad
(`Choice`); pycma and ZOOpt search them as integers (every peer does with
`--labels-as-integers`). On a subset problem (choose at most k of n items, P7) ZOOpt and zoo_opt
run their subset method, POSS, on the n bits with the constraint k − |S| ≥ 0, as ZOOpt's
example does (zoo_opt-auto chooses by itself); the other peers search n continuous keys in
[0, 1] and evaluate the k items of the largest keys (random-key encoding), so every point
they propose is feasible. A peer's score is the noise-free value at its recommendation (its
best evaluated point when its API has no separate recommendation); the time it spends
waiting for values is subtracted from its wall time in the overhead column.
"""

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


class BudgetSpent(Exception):
    """The peer asked for more evaluations than the budget."""


class Bits(list):
    """A recommendation given as a subset's 0/1 coordinates rather than as keys."""


class ServedProblem:
    """One run's objective, evaluated by a `zoo-bench serve` process."""

    def __init__(self, zoo_bench, task, problem, dim, budget, seed, algo):
        command = [zoo_bench, "serve", "--problem", problem, "--dim", str(dim), "--budget", str(budget),
                   "--seed", str(seed), "--algo", algo, "--task", task]
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     bufsize=1)
        header = json.loads(self.proc.stdout.readline())
        self.dim = header["dim"]
        self.budget = header["budget"]
        self.lower = np.array(header["lower"], dtype=float)
        self.upper = np.array(header["upper"], dtype=float)
        self.integer = np.array(header["integer"], dtype=bool)
        # The number of values of each label coordinate (integers `lower..=upper` in no
        # meaningful order), None elsewhere; peers with categories search them as such.
        self.labels = header.get("labels") or [None] * self.dim
        self.max_size = header.get("max_size")
        if self.max_size is not None:
            # The peers' coordinates are keys in [0, 1]; `subset` sends the bits.
            self.integer = np.zeros(self.dim, dtype=bool)
        self.evaluations = 0
        self.waiting = 0.0
        self.best = (float("inf"), None)

    def remaining(self):
        return self.budget - self.evaluations

    def repair(self, x):
        x = np.clip(np.asarray(x, dtype=float).reshape(-1), self.lower, self.upper)
        return np.where(self.integer, np.round(x), x)

    def keys_to_bits(self, keys):
        """The subset of the `max_size` largest keys (ties to the lower index), as 0/1."""
        keys = np.asarray(keys, dtype=float).reshape(-1)
        bits = np.zeros(self.dim)
        bits[np.argsort(-keys, kind="stable")[:self.max_size]] = 1.0
        return bits

    def __call__(self, x):
        """The value of a point; on a subset problem, of the subset its keys choose."""
        if self.max_size is not None:
            return self.subset(self.keys_to_bits(self.repair(x)))
        return self.send(self.repair(x))

    def subset(self, bits):
        """The value of a subset given as 0/1 coordinates."""
        return self.send(np.where(np.asarray(bits, dtype=float).reshape(-1) > 0.5, 1.0, 0.0))

    def send(self, x):
        started = time.perf_counter()
        if self.evaluations >= self.budget:
            raise BudgetSpent(f"more than {self.budget} evaluations asked")
        self.proc.stdin.write("eval " + " ".join(repr(float(v)) for v in x) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        self.waiting += time.perf_counter() - started
        if answer.startswith("error"):
            raise RuntimeError(f"zoo-bench serve: {answer}")
        self.evaluations += 1
        value = float(answer)
        # On a subset problem only subsets of at most `max_size` items can be recommended.
        feasible = self.max_size is None or np.count_nonzero(x > 0.5) <= self.max_size
        if value < self.best[0] and feasible:
            self.best = (value, x)
        return value

    def finish(self, recommendation, wall):
        """The served run's JSON line (record and curve)."""
        if recommendation is None:
            x = self.best[1]
        elif self.max_size is not None:
            # POSS recommends bits; the key-based peers recommend keys.
            rec = np.asarray(recommendation, dtype=float).reshape(-1)
            x = np.where(rec > 0.5, 1.0, 0.0) if isinstance(recommendation, Bits) else self.keys_to_bits(rec)
        else:
            x = self.repair(recommendation)
        if x is None:
            x = self.repair((self.lower + self.upper) / 2)
        line = f"done {wall!r} {min(self.waiting, wall)!r} " + " ".join(repr(float(v)) for v in x) + "\n"
        self.proc.stdin.write(line)
        self.proc.stdin.flush()
        served = self.proc.stdout.readline()
        self.proc.stdin.close()
        if self.proc.wait() != 0 or not served.startswith("{"):
            raise RuntimeError(f"zoo-bench serve ended with {self.proc.returncode}: {served!r}")
        return served.strip()


# --- peers: each runs one seed on a served problem and returns its recommendation -------

def pycma(problem, seed):
    import cma
    rng = np.random.RandomState(seed)
    widths = problem.upper - problem.lower
    popsize, restart = None, 0
    while problem.remaining() > 0:
        options = {"bounds": [problem.lower.tolist(), problem.upper.tolist()], "CMA_stds": widths.tolist(),
                   "seed": seed * 1000 + restart + 1, "verbose": -9}
        if popsize:
            options["popsize"] = popsize
        es = cma.CMAEvolutionStrategy(rng.uniform(problem.lower, problem.upper).tolist(), 0.3, options)
        while not es.stop():
            candidates = es.ask()
            if len(candidates) > problem.remaining():
                for x in candidates[:problem.remaining()]:
                    problem(x)
                break
            es.tell(candidates, [problem(x) for x in candidates])
        popsize, restart = 2 * es.popsize, restart + 1
    return None


def nevergrad(name):
    def run(problem, seed):
        import nevergrad as ng
        if any(problem.labels):
            # Labels as choices, the other coordinates as bounded scalars.
            parametrization = ng.p.Tuple(*[
                ng.p.Choice(list(range(int(problem.lower[i]), int(problem.upper[i]) + 1))) if n
                else ng.p.Scalar(lower=float(problem.lower[i]), upper=float(problem.upper[i]))
                for i, n in enumerate(problem.labels)])
        else:
            parametrization = ng.p.Array(shape=(problem.dim,), lower=problem.lower, upper=problem.upper)
        parametrization.random_state = np.random.RandomState(seed)
        optimizer = ng.optimizers.registry[name](parametrization=parametrization, budget=problem.budget,
                                                 num_workers=1)
        for _ in range(problem.budget):
            candidate = optimizer.ask()
            optimizer.tell(candidate, problem(candidate.value))
        return optimizer.provide_recommendation().value
    return run


def optuna_sampler(kind):
    def run(problem, seed):
        import optuna
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        sampler = (optuna.samplers.TPESampler(seed=seed) if kind == "tpe"
                   else optuna.samplers.CmaEsSampler(seed=seed, warn_independent_sampling=False))
        study = optuna.create_study(sampler=sampler)
        names = [f"x{i}" for i in range(problem.dim)]

        def suggest(trial, i):
            lo, hi = float(problem.lower[i]), float(problem.upper[i])
            if problem.labels[i]:
                return trial.suggest_categorical(names[i], list(range(int(lo), int(hi) + 1)))
            if problem.integer[i]:
                return trial.suggest_int(names[i], int(lo), int(hi))
            return trial.suggest_float(names[i], lo, hi)

        for _ in range(problem.budget):
            trial = study.ask()
            study.tell(trial, problem([suggest(trial, i) for i in range(problem.dim)]))
        return [study.best_params[n] for n in names]
    return run


def zoopt_api(module_name, algorithm=None, noise=None):
    """ZOOpt's API (ZOOpt itself or zoo_opt); `noise` declares the noise with the settings
    of ZOOpt's noisy example (opt_under_noise.py): positive set of 5, and re-sampling ×10
    or value suppression (200 evaluations without improvement, 50 re-evaluations, blend 0.5)."""
    def run(problem, seed):
        import importlib
        zoo = importlib.import_module(module_name)
        if problem.max_size is not None:
            return subset_selection(zoo, problem, seed, algorithm or "poss")
        regions = [[float(lo), float(hi)] for lo, hi in zip(problem.lower, problem.upper)]
        dimension = zoo.Dimension(problem.dim, regions, [not i for i in problem.integer])
        objective = zoo.Objective(lambda solution: problem(solution.get_x()), dimension)
        settings = {"budget": problem.budget, "seed": seed}
        if algorithm:
            settings["algorithm"] = algorithm
        if noise == "resample":
            settings.update(noise_handling=True, resampling=True, resample_times=10)
        elif noise == "suppress":
            # ZOOpt re-samples its 5 positives (50 evaluations each) after the budget is
            # spent; the budget leaves room for that final round, as zoo's does.
            settings.update(budget=max(problem.budget - 5 * 50, 1), noise_handling=True, suppression=True,
                            non_update_allowed=200, resample_times=50, balance_rate=0.5)
        parameter = zoo.Parameter(**settings)
        if noise:
            parameter.set_positive_size(5)
        # ZOOpt prints its solution at the end of every run.
        with contextlib.redirect_stdout(io.StringIO()):
            return zoo.Opt.min(objective, parameter).get_x()
    return run


def subset_selection(zoo, problem, seed, algorithm):
    """ZOOpt's API on a subset problem: the bits, the size constraint, POSS (or `auto`)."""
    k = problem.max_size
    dimension = zoo.Dimension(problem.dim, [[0, 1]] * problem.dim, [False] * problem.dim)
    objective = zoo.Objective(lambda solution: problem.subset(solution.get_x()), dimension,
                              constraint=lambda solution: k - sum(solution.get_x()))
    # ZOOpt's POSS evaluates the empty set before its `budget` iterations (101 calls for a
    # budget of 100); zoo_opt counts that evaluation within the budget.
    budget = problem.budget - 1 if zoo.__name__ == "zoopt" else problem.budget
    parameter = zoo.Parameter(algorithm=algorithm, budget=max(budget, 1), seed=seed)
    with contextlib.redirect_stdout(io.StringIO()):
        return Bits(zoo.Opt.min(objective, parameter).get_x())


# name: (modules that must import, runner, whether the runner's cost grows with the trials)
PEERS = {
    "pycma": (["cma"], pycma, False),
    "ng-ngopt": (["nevergrad"], nevergrad("NGOpt"), False),
    "ng-cma": (["nevergrad"], nevergrad("CMA"), False),
    "ng-de": (["nevergrad"], nevergrad("DE"), False),
    "ng-twopointsde": (["nevergrad"], nevergrad("TwoPointsDE"), False),
    "ng-oneplusone": (["nevergrad"], nevergrad("OnePlusOne"), False),
    "optuna-tpe": (["optuna"], optuna_sampler("tpe"), True),
    "optuna-cmaes": (["optuna", "cmaes"], optuna_sampler("cmaes"), True),
    "zoopt": (["zoopt"], zoopt_api("zoopt"), False),
    "zoopt-resample": (["zoopt"], zoopt_api("zoopt", noise="resample"), False),
    "zoopt-ssracos": (["zoopt"], zoopt_api("zoopt", noise="suppress"), False),
    "zoo_opt": (["zoo_opt"], zoopt_api("zoo_opt"), False),
    "zoo_opt-auto": (["zoo_opt"], zoopt_api("zoo_opt", "auto"), False),
}


def missing(modules):
    """The modules of `modules` that are not installed."""
    import importlib.util
    return [m for m in modules if importlib.util.find_spec(m) is None]


def tasks_of(out):
    """The (task, problem, dim, budget, seed) of every run zoo-bench wrote, in order."""
    import csv
    seen, tasks = set(), []
    with open(os.path.join(out, "results.csv")) as fh:
        for row in csv.DictReader(fh):
            key = (row["task"], row["problem"], int(row["dim"]), int(row["budget"]), int(row["seed"]))
            if key not in seen:
                seen.add(key)
                tasks.append(key)
    return tasks


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--suite", default="peers")
    ap.add_argument("--suite-file", help="a suite file (TOML) instead of a built-in suite")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seeds", type=int, help="use only the first N seeds of the suite")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every budget by this factor")
    ap.add_argument("--peers", default=",".join(PEERS), help="comma-separated peer names")
    ap.add_argument("--optuna-max-budget", type=int, default=1000)
    ap.add_argument("--labels-as-integers", action="store_true",
                    help="search labels as integers in every peer (default: as categories where a peer has them)")
    ap.add_argument("--zoo-bench", default=os.path.join(ROOT, "target", "release", "zoo-bench"))
    args = ap.parse_args(argv)

    suite = ["--suite-file", args.suite_file] if args.suite_file else ["--suite", args.suite]
    command = [args.zoo_bench, "run", *suite, "--out", args.out, "--quiet", "--scale", str(args.scale)]
    if args.seeds:
        command += ["--seeds", str(args.seeds)]
    subprocess.run(command, check=True)

    chosen = []
    for name in args.peers.split(","):
        if name not in PEERS:
            sys.exit(f"unknown peer {name!r}; known: {', '.join(PEERS)}")
        modules, run, per_trial = PEERS[name]
        absent = missing(modules)
        if absent:
            print(f"skipped {name}: the Python package {', '.join(absent)} is not installed", flush=True)
        else:
            chosen.append((name, run, per_trial))

    failures = []
    served_path = os.path.join(args.out, "peers.jsonl")
    with open(served_path, "w") as served:
        for task, problem_name, dim, budget, seed in tasks_of(args.out):
            for name, run, per_trial in chosen:
                if per_trial and budget > args.optuna_max_budget:
                    if seed == 1:
                        print(f"skipped {name} on {problem_name}-{dim}: budget {budget} above "
                              f"--optuna-max-budget {args.optuna_max_budget}", flush=True)
                    continue
                problem = ServedProblem(args.zoo_bench, task, problem_name, dim, budget, seed, name)
                if args.labels_as_integers:
                    problem.labels = [None] * problem.dim
                started = time.perf_counter()
                try:
                    recommendation = run(problem, seed)
                except BudgetSpent:
                    print(f"{name} on {problem_name} seed {seed} asked beyond the budget; "
                          f"scored at its best evaluated point", flush=True)
                    recommendation = None
                except Exception as e:  # one failing peer must not lose the others' runs
                    problem.proc.kill()
                    failures.append(f"{name} on {problem_name}-{dim} seed {seed}: {type(e).__name__}: {e}")
                    print("failed: " + failures[-1], flush=True)
                    continue
                wall = time.perf_counter() - started
                served.write(problem.finish(recommendation, wall) + "\n")
                served.flush()
                print(f"{name:14s} {problem_name}-{dim} seed {seed}: {problem.evaluations} evaluations, "
                      f"{wall:.2f} s", flush=True)
    if chosen:
        subprocess.run([args.zoo_bench, "import", args.out, served_path], check=True)
    subprocess.run([args.zoo_bench, "report", args.out], check=True)
    if failures:
        sys.exit(f"{len(failures)} peer runs failed:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
