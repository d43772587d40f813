"""zoo-cmaes beside the reference implementation of CMA-ES with margin on the mixed problem.

    python -m venv /tmp/cm && /tmp/cm/bin/pip install "cmaes==0.13.1" "numpy<2.4"
    cargo build --release -p zoo-bench
    /tmp/cm/bin/python zoo-py/bench/cmawm.py [--seeds 10] [--zoo-bench PATH]

The problem is zoo-bench's `mixed` at 30 coordinates (ZOOpt's `sphere_mixed`): Σx² over even
coordinates continuous in [0, 1] and odd coordinates integers 0..100, 3,000 evaluations.
`cmaes.CMAwM` (Hamano et al., GECCO 2022, by the paper's authors) runs on the normalised box
[0, 1]³⁰ with steps of 0.01 on the integer coordinates (101 values), a uniform random start
and σ₀ = 0.3 — zoo-cmaes's own normalisation, start and step size — until the budget is
spent; zoo-cmaes runs through `zoo-bench solve`. Medians of the best value over the seeds.
"""

import argparse
import json
import os
import statistics
import subprocess

import numpy as np
from cmaes import CMAwM

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
DIM = 30
BUDGET = 3000


def value(x):
    """The mixed objective of a point of the normalised box (integers as multiples of 0.01)."""
    v = np.array(x, dtype=float)
    v[1::2] = np.round(v[1::2] * 100)
    return float(np.sum(v * v))


def cmawm_best(seed):
    rng = np.random.default_rng(seed)
    steps = np.array([0.0 if i % 2 == 0 else 0.01 for i in range(DIM)])
    opt = CMAwM(mean=rng.uniform(0, 1, DIM), sigma=0.3, bounds=np.array([[0.0, 1.0]] * DIM),
                steps=steps, seed=seed)
    best, used = float("inf"), 0
    while used < BUDGET:
        told = []
        for _ in range(opt.population_size):
            if used == BUDGET:
                break
            x_eval, x_tell = opt.ask()
            f = value(x_eval)
            used += 1
            best = min(best, f)
            told.append((x_tell, f))
        if len(told) < opt.population_size:
            break
        opt.tell(told)
    return best


def zoo_best(zoo_bench, algo, seed):
    out = subprocess.run([zoo_bench, "solve", "--problem", "mixed", "--dim", str(DIM), "--budget",
                          str(BUDGET), "--algo", algo, "--seed", str(seed)],
                         check=True, capture_output=True, text=True).stdout
    return float(json.loads(out)["true_best"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--zoo-bench", default=os.path.join(ROOT, "target", "release", "zoo-bench"))
    args = ap.parse_args()
    seeds = range(1, args.seeds + 1)
    rows = [("cmaes.CMAwM 0.13.1", [cmawm_best(s) for s in seeds])]
    for algo in ("zoo-cmaes", "auto"):
        rows.append((algo, [zoo_best(args.zoo_bench, algo, s) for s in seeds]))
    print(f"| mixed-30, {BUDGET:,} evaluations, seeds 1–{args.seeds} | median | best seed | worst seed |")
    print("| --- | ---: | ---: | ---: |")
    for name, values in rows:
        print(f"| {name} | {statistics.median(values):.3g} | {min(values):.3g} | {max(values):.3g} |")


if __name__ == "__main__":
    main()
