"""Speed of ``Opt.min``, zoo_opt against ZOOpt 0.4.2 side by side in one run (ZOOpt only
when ``zoopt`` is installed: ``pip install zoopt==0.4.2``).

    python bench/speed.py [--seeds 3] [--budget 10000] [--dim 100]
                          [--overhead-budget 20000] [--repeats 3] [--skip ackley,quickstart,overhead]

Three sections, each printing one line per run and per library, then medians and ratios:

- ``ackley``: Ackley 100-D, budget 10,000, a numpy objective.
- ``quickstart``: ZOOpt's quick start (``example/simple_functions/quick_start.py``): its
  element-wise Ackley from ``simple_function.py``, 100-D, budget ``100 * dim``,
  ``intermediate_result=True`` every 1,000 evaluations (printing muted).
- ``overhead``: what a run costs beyond its objective, per evaluation: a trivial objective
  that reads the point (``solution.get_x()[0]``) at 100-D, SRACOS defaults; overhead =
  (wall time of ``Opt.min`` - the same objective calls on pre-built solutions) / budget,
  for zoo_opt's default bridge, its fast paths (``x_type="numpy"``, ``reuse_solution``;
  through the native run ``Opt.min`` makes while ``Parameter`` does not take them, as the
  ``via`` column says) and ZOOpt.

Both libraries run the same script and the same objective function objects; only the
library differs.
"""

import argparse
import contextlib
import gc
import importlib
import inspect
import io
import statistics
import time

import numpy as np


def ackley(solution):
    x = np.asarray(solution.get_x(), dtype=float) - 0.2
    return float(-20.0 * np.exp(-0.2 * np.sqrt(np.mean(x * x))) - np.exp(np.mean(np.cos(2 * np.pi * x)))
                 + 20.0 + np.e)


def zoopt_ackley(solution):
    """ZOOpt's ``simple_function.ackley``, verbatim."""
    x = solution.get_x()
    bias = 0.2
    ave_seq = sum([(i - bias) * (i - bias) for i in x]) / len(x)
    ave_cos = sum([np.cos(2.0*np.pi*(i-bias)) for i in x]) / len(x)
    value = -20 * np.exp(-0.2 * np.sqrt(ave_seq)) - np.exp(ave_cos) + 20.0 + np.e
    return value


def first(solution):
    """A trivial objective that still reads the point."""
    return solution.get_x()[0]


def timed_min(lib, objective, parameter):
    quiet = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(quiet):  # ZOOpt logs its result
        solution = lib.Opt.min(objective, parameter)
    return time.perf_counter() - start, solution


def run(lib, func, dim, budget, seed, **extra):
    d = lib.Dimension(dim, [[-1, 1]] * dim, [True] * dim)
    objective = lib.Objective(func, d)
    elapsed, solution = timed_min(lib, objective, lib.Parameter(budget=budget, seed=seed, **extra))
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


def compare(libs, title, func, dim, budget, seeds, **extra):
    print(title)
    medians = {}
    for name, lib in libs:
        times = []
        for seed in range(1, seeds + 1):
            t, value, calls = run(lib, func, dim, budget, seed, **extra)
            times.append(t)
            print("%-14s seed %d: %7.3f s  value %.4f  calls %d" % (name, seed, t, value, calls))
        medians[name] = statistics.median(times)
    for name, t in medians.items():
        print("median %-14s %7.3f s" % (name, t))
    return medians


def section_ackley(libs, args):
    medians = compare(libs, "Ackley %d-D, budget %d, numpy objective; objective alone: %.3f s"
                      % (args.dim, args.budget, objective_only(args.dim, args.budget)),
                      ackley, args.dim, args.budget, args.seeds)
    if len(medians) == 2:
        (_, ours), (_, theirs) = medians.items()
        print("zoo_opt is %.1fx faster end to end" % (theirs / ours))
    # The objective's np.asarray(list) is most of its time: numpy points skip it.
    zoo_opt = dict(libs)["zoo_opt"]
    times = [zoo_opt_min(zoo_opt, ackley, args.dim, args.budget, seed, dict(x_type="numpy"))[0]
             for seed in range(1, args.seeds + 1)]
    print("median zoo_opt x_type=numpy %7.3f s (%.1fx faster than zoo_opt's default)"
          % (statistics.median(times), medians["zoo_opt"] / statistics.median(times)))


def section_quickstart(libs, args):
    dim = 100
    medians = compare(libs, "ZOOpt's quick start: its Ackley (element-wise), %d-D, budget %d, "
                      "intermediate_result every 1000" % (dim, 100 * dim),
                      zoopt_ackley, dim, 100 * dim, args.seeds, intermediate_result=True, intermediate_freq=1000)
    if len(medians) == 2:
        (_, ours), (_, theirs) = medians.items()
        print("zoo_opt is %.1fx faster end to end on ZOOpt's quick start" % (theirs / ours))


def zoo_opt_min(zoo_opt, func, dim, budget, seed, how):
    """``Opt.min`` with the bridge settings ``how``: through ``Parameter`` when it takes them,
    else through the native run ``Opt.min`` makes (same spec, rules and objective)."""
    d = zoo_opt.Dimension(dim, [[-1, 1]] * dim, [True] * dim)
    objective = zoo_opt.Objective(func, d)
    accepted = inspect.signature(zoo_opt.Parameter.__init__).parameters
    if all(k in accepted for k in how):
        return timed_min(zoo_opt, objective, zoo_opt.Parameter(budget=budget, seed=seed, **how))[0], "Opt.min"
    from zoo_opt import _native, _spec
    start = time.perf_counter()
    parameter = zoo_opt.Parameter(budget=budget, seed=seed)
    spec, categories = _spec.engine_spec(d, parameter, budget)
    rules = _native.RunRules(budget=budget, seed=_spec.resolve_seed(seed), **how)
    result = _native.minimize(_spec.dumps(spec), categories, func, zoo_opt.Solution, rules)
    objective.get_history().extend(result.history)
    return time.perf_counter() - start, "_native"


def objective_calls(solution_cls, dim, budget, numpy_x):
    """Seconds that ``budget`` calls of ``first`` take on pre-built solutions."""
    rng = np.random.default_rng(0)
    points = rng.uniform(-1, 1, (budget, dim))
    solutions = [solution_cls(p.copy() if numpy_x else p.tolist()) for p in points]
    start = time.perf_counter()
    for s in solutions:
        first(s)
    return time.perf_counter() - start


def section_overhead(libs, args):
    dim, budget = args.dim, args.overhead_budget
    print("Overhead per evaluation beyond the objective: solution.get_x()[0], %d-D, budget %d, SRACOS, "
          "median of %d runs" % (dim, budget, args.repeats))
    configs = []  # (name, runner, solution class, numpy x)
    for name, lib in libs:
        if name == "zoo_opt":
            for label, how in [("", {}), (" reuse", dict(reuse_solution=True)), (" numpy", dict(x_type="numpy")),
                               (" numpy reuse", dict(x_type="numpy", reuse_solution=True))]:
                runner = (lambda seed, lib=lib, how=how: zoo_opt_min(lib, first, dim, budget, seed, how))
                configs.append(("zoo_opt" + label, runner, lib.Solution, "x_type" in how))
        else:
            runner = (lambda seed, lib=lib: (run(lib, first, dim, budget, seed)[0], "Opt.min"))
            configs.append((name, runner, lib.Solution, False))
    results = {}
    for name, runner, solution_cls, numpy_x in configs:
        overheads, via = [], ""
        for seed in range(1, args.repeats + 1):
            base = objective_calls(solution_cls, dim, budget, numpy_x)
            gc.collect()  # the pre-built solutions are gone before the run
            wall, via = runner(seed)
            overheads.append((wall - base) / budget * 1e6)
        results[name] = statistics.median(overheads)
        print("%-19s %8.2f us/evaluation  (runs: %s; via %s)"
              % (name, results[name], ", ".join("%.2f" % o for o in overheads), via))
    ours = results["zoo_opt"]
    theirs = next((v for k, v in results.items() if not k.startswith("zoo_opt")), None)
    for name, o in results.items():
        if name.startswith("zoo_opt"):
            line = "overhead ratio %-19s zoo_opt default / this %5.2f" % (name, ours / o)
            if theirs is not None:
                line += "   ZOOpt / this %5.1f" % (theirs / o)
            print(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--budget", type=int, default=10000)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--overhead-budget", type=int, default=20000)
    ap.add_argument("--repeats", type=int, default=3, help="runs per configuration in the overhead section")
    ap.add_argument("--skip", default="", help="comma-separated sections to skip: ackley, quickstart, overhead")
    args = ap.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    libs = [("zoo_opt", importlib.import_module("zoo_opt"))]
    try:
        import zoopt
        libs.append(("zoopt %s" % getattr(zoopt, "__version__", "0.4.2"), zoopt))
    except ImportError:
        print("zoopt is not installed: measuring zoo_opt alone (pip install zoopt==0.4.2 to compare)")
    sections = [("ackley", section_ackley), ("quickstart", section_quickstart), ("overhead", section_overhead)]
    for i, (name, section) in enumerate(s for s in sections if s[0] not in skip):
        if i:
            print()
        section(libs, args)


if __name__ == "__main__":
    main()
