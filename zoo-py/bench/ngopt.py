"""zoo's `auto` side by side with nevergrad's NGOpt: same problems, budgets and seeds.

    python -m venv /tmp/ng && /tmp/ng/bin/pip install nevergrad==1.0.12 "numpy<2.4" coco-experiment
    cargo build --release -p zoo-bench
    /tmp/ng/bin/python zoo-py/bench/ngopt.py [--seeds 10] [--only P1,bbob-f15] [--zoo-bench PATH]

NGOpt runs through its own API (`minimize`, one worker) with an exact budget, from its
default start (the centre of the box), its random state seeded per run. Its value is the
noise-free objective at its recommendation. `auto` runs through `zoo-bench solve` with the
same seeds; its value is the objective at its returned solution. The ZOOpt problems (P1–P3)
are written out here exactly as zoo-bench defines them (zoo-core's testing functions); the
BBOB functions are COCO's own (cocoex), instance = seed, which zoo-bench's `bbob-fN`
reproduces bit for bit (zoo-bbob's cocoex test); their values are `f − f_opt`, with
`f_opt` from zoo-bbob/tests/data/cocoex_reference.csv.
"""

import argparse
import csv
import json
import math
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
BIAS = 0.2


def sphere(x):
    return float(np.sum((x - BIAS) ** 2))


def ackley(x):
    z = x - BIAS
    n = len(x)
    return float(-20.0 * math.exp(-0.2 * math.sqrt(np.sum(z * z) / n))
                 - math.exp(np.sum(np.cos(2 * math.pi * z)) / n) + 20.0 + math.e)


def rastrigin(x):
    return float(10.0 * len(x) + np.sum(x * x - 10.0 * np.cos(2 * math.pi * x)))


# label: (zoo-bench problem, dimension, budget, bounds or None for BBOB's [-5, 5])
PROBLEMS = {
    "P1": ("ackley", 100, 10_000, (-1.0, 1.0), ackley),
    "P2": ("sphere", 100, 10_000, (-1.0, 1.0), sphere),
    "P3": ("rastrigin", 20, 5_000, (-5.12, 5.12), rastrigin),
}
for f in (1, 3, 8, 10, 15, 17, 20, 21):
    PROBLEMS[f"bbob-f{f}"] = (f"bbob-f{f}", 10, 2_000, (-5.0, 5.0), None)


def bbob_fopt():
    """f_opt of the instances recorded from cocoex: 1-15 in every dimension, and 16, 20, 25,
    30, 45, 80 in 2, 5, 10 and 20-D (seeds beyond those have no recorded f_opt here)."""
    fopt = {}
    for name in ("cocoex_reference.csv", "cocoex_reference_later.csv"):
        with open(os.path.join(ROOT, "zoo-bbob", "tests", "data", name)) as fh:
            rows = csv.DictReader(line for line in fh if not line.startswith("#"))
            fopt.update({(int(r["f"]), int(r["instance"]), int(r["dim"])): float(r["best_value"]) for r in rows})
    return fopt


def bbob_objective(f, dim, instance, fopt):
    import cocoex
    cocoex.log_level("warning")
    suite = cocoex.Suite("bbob", f"instances: {instance}", f"dimensions: {dim} function_indices: {f}")
    problem = next(iter(suite))
    if (f, instance, dim) not in fopt:
        raise SystemExit(f"ngopt.py: no recorded f_opt for bbob-f{f}, instance {instance}, {dim}-D "
                         "(zoo-bbob/tests/data/cocoex_reference*.csv); use fewer seeds")
    offset = fopt[(f, instance, dim)]
    return lambda x: float(problem(x)) - offset


def ngopt_run(objective, dim, budget, bounds, seed):
    import nevergrad as ng
    param = ng.p.Array(shape=(dim,), lower=bounds[0], upper=bounds[1])
    param.random_state = np.random.RandomState(seed)
    calls = [0]

    def counted(x):
        calls[0] += 1
        return objective(x)

    optimizer = ng.optimizers.NGOpt(parametrization=param, budget=budget, num_workers=1)
    started = time.perf_counter()
    recommendation = optimizer.minimize(counted)
    seconds = time.perf_counter() - started
    return objective(recommendation.value), calls[0], seconds, optimizer._info().get("sub-optim", "")


def auto_run(zoo_bench, name, dim, budget, seed):
    out = subprocess.run([zoo_bench, "solve", "--problem", name, "--dim", str(dim), "--budget", str(budget),
                          "--algo", "auto", "--seed", str(seed)], capture_output=True, text=True, check=True)
    record = json.loads(out.stdout.strip().splitlines()[-1])
    return record["true_best"], record["evaluations"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--only", default="")
    ap.add_argument("--zoo-bench", default=os.path.join(ROOT, "target", "release", "zoo-bench"))
    args = ap.parse_args()
    fopt = bbob_fopt()
    labels = [k for k in PROBLEMS if not args.only or k in args.only.split(",")]
    print("| problem (budget) | auto median | NGOpt median | NGOpt / auto | auto better in | NGOpt s/run |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    wins = 0
    for label in labels:
        name, dim, budget, bounds, function = PROBLEMS[label]
        autos, ngs, secs, better = [], [], [], 0
        for seed in range(1, args.seeds + 1):
            objective = function or bbob_objective(int(name.split("-f")[1]), dim, seed, fopt)
            value, calls, seconds, _ = ngopt_run(objective, dim, budget, bounds, seed)
            if calls != budget:
                sys.exit(f"{label} seed {seed}: NGOpt made {calls} calls, not {budget}")
            auto, evaluations = auto_run(args.zoo_bench, name, dim, budget, seed)
            assert evaluations == budget
            autos.append(auto)
            ngs.append(value)
            secs.append(seconds)
            better += auto < value
        a, n = statistics.median(autos), statistics.median(ngs)
        wins += a < n
        print(f"| {label} {name}-{dim} ({budget:,}) | {a:.3g} | {n:.3g} | {n / a if a > 0 else math.inf:.3g} "
              f"| {better}/{args.seeds} seeds | {statistics.median(secs):.2f} |", flush=True)
    print(f"\nauto's median is lower on {wins} of {len(labels)} problems")


if __name__ == "__main__":
    main()
