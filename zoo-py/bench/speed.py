"""End-to-end speed of ``Opt.min`` on Ackley 100-D, budget 10,000, numpy objective:
zoo_opt against ZOOpt 0.4.2 side by side (ZOOpt only when ``zoopt`` is installed:
``pip install zoopt==0.4.2``).

    python bench/speed.py [--seeds 3] [--budget 10000] [--dim 100]

Prints one line per run and per library, then the medians and their ratio. Both runs use
the same objective function object and the same script; only the library differs.
"""

import argparse
import contextlib
import importlib
import io
import statistics
import time

import numpy as np


def ackley(solution):
    x = np.asarray(solution.get_x(), dtype=float) - 0.2
    return float(-20.0 * np.exp(-0.2 * np.sqrt(np.mean(x * x))) - np.exp(np.mean(np.cos(2 * np.pi * x)))
                 + 20.0 + np.e)


def run(lib, dim, budget, seed):
    d = lib.Dimension(dim, [[-1, 1]] * dim, [True] * dim)
    objective = lib.Objective(ackley, d)
    parameter = lib.Parameter(budget=budget, seed=seed)
    quiet = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(quiet):  # ZOOpt logs its result
        solution = lib.Opt.min(objective, parameter)
    elapsed = time.perf_counter() - start
    return elapsed, float(np.ravel(solution.get_value())[0]), len(objective.get_history())


def objective_only(dim, budget):
    """Time spent in the objective alone: the same calls on pre-drawn points."""
    from zoo_opt import Solution
    rng = np.random.default_rng(0)
    points = [list(rng.uniform(-1, 1, dim)) for _ in range(budget)]
    start = time.perf_counter()
    for p in points:
        ackley(Solution(p))
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--budget", type=int, default=10000)
    ap.add_argument("--dim", type=int, default=100)
    args = ap.parse_args()
    libs = [("zoo_opt", importlib.import_module("zoo_opt"))]
    try:
        import zoopt
        libs.append(("zoopt %s" % getattr(zoopt, "__version__", "0.4.2"), zoopt))
    except ImportError:
        print("zoopt is not installed: measuring zoo_opt alone (pip install zoopt==0.4.2 to compare)")
    print("Ackley %d-D, budget %d, numpy objective; objective alone: %.3f s"
          % (args.dim, args.budget, objective_only(args.dim, args.budget)))
    medians = {}
    for name, lib in libs:
        times = []
        for seed in range(1, args.seeds + 1):
            t, value, calls = run(lib, args.dim, args.budget, seed)
            times.append(t)
            print("%-14s seed %d: %7.3f s  value %.4f  calls %d" % (name, seed, t, value, calls))
        medians[name] = statistics.median(times)
    for name, t in medians.items():
        print("median %-14s %7.3f s" % (name, t))
    if len(medians) == 2:
        (_, ours), (_, theirs) = medians.items()
        print("zoo_opt is %.1fx faster end to end" % (theirs / ours))


if __name__ == "__main__":
    main()
