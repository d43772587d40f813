"""P9 on Ray: Ackley 10-D whose every call sleeps 2 ms, budget 1,000 — sequential ``Opt.min``
against ``Opt.min`` with ``parallel=True, server_num=2`` on a local Ray (``ray.init(num_cpus=2)``).

    python bench/ray_speed.py [--seeds 5]

Prints each run's wall time, value and evaluation count, then the medians and the speed-up.
The first Ray run of a process also starts Ray's worker processes; it is reported apart
(``cold``) and the medians use the runs after it.
"""

import argparse
import statistics
import time

import numpy as np


def ackley_slow(solution):
    time.sleep(0.002)
    x = np.asarray(solution.get_x(), dtype=float) - 0.2
    return float(-20.0 * np.exp(-0.2 * np.sqrt(np.mean(x * x))) - np.exp(np.mean(np.cos(2 * np.pi * x)))
                 + 20.0 + np.e)


def run(parallel, seed, budget=1000):
    from zoo_opt import Dimension, Objective, Opt, Parameter
    objective = Objective(ackley_slow, Dimension(10, [[-1, 1]] * 10, [True] * 10))
    start = time.perf_counter()
    solution = Opt.min(objective, Parameter(budget=budget, seed=seed, parallel=parallel, server_num=2))
    return time.perf_counter() - start, solution.get_value(), len(objective.get_history())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    import ray
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    t, v, n = run(True, 0)
    print("ray cold (first run, starts the workers): %.3f s  value %.4f  evaluations %d" % (t, v, n))
    results = {False: [], True: []}
    for seed in range(1, args.seeds + 1):
        for parallel in (False, True):
            t, v, n = run(parallel, seed)
            results[parallel].append((t, v))
            print("%-10s seed %d: %.3f s  value %.4f  evaluations %d"
                  % ("ray x2" if parallel else "sequential", seed, t, v, n))
    seq = statistics.median(t for t, _ in results[False])
    par = statistics.median(t for t, _ in results[True])
    print("median sequential %.3f s (value %.4f), ray x2 %.3f s (value %.4f): %.2fx faster"
          % (seq, statistics.median(v for _, v in results[False]), par,
             statistics.median(v for _, v in results[True]), seq / par))
    ray.shutdown()


if __name__ == "__main__":
    main()
