"""Side-by-side comparison of two libraries from the per-seed CSV files of ``quality.py --csv``.

    python bench/quality.py --seeds 60 --only noise,sparse_regression --csv zoo_opt.csv
    python bench/quality.py --seeds 60 --only noise,sparse_regression --lib zoopt --csv zoopt.csv
    python bench/compare.py zoo_opt.csv zoopt.csv [results/zoopt-0.4.2.csv ...]

For each problem, on the seeds both libraries ran: the median and quartiles of each, and a
one-sided Mann-Whitney U test of "zoo_opt's values are lower" (normal approximation with tie
correction, adequate from about 10 seeds per side), with the reverse p-value and the
probability that a zoo_opt run beats a ZOOpt run. Lower values are better.
"""

import csv
import math
import statistics
import sys
from collections import defaultdict


def quartiles(values):
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def mann_whitney_less(xs, ys):
    """U of xs against ys (pairs where x < y count 1, ties ½) and the one-sided p-values of
    "xs lower" and "xs higher"."""
    pooled = sorted([(v, 0) for v in xs] + [(v, 1) for v in ys])
    ranks, ties, i = [0.0] * len(pooled), [], 0
    while i < len(pooled):
        j = i
        while j + 1 < len(pooled) and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        for t in range(i, j + 1):
            ranks[t] = (i + j) / 2 + 1
        ties.append(j - i + 1)
        i = j + 1
    n1, n2 = len(xs), len(ys)
    rank_sum_y = sum(r for r, (_, side) in zip(ranks, pooled) if side == 1)
    u = rank_sum_y - n2 * (n2 + 1) / 2  # pairs in which the x value is lower
    n = n1 + n2
    variance = n1 * n2 / 12 * ((n + 1) - sum(t ** 3 - t for t in ties) / (n * (n - 1)))
    if variance <= 0:
        return u, 1.0, 1.0
    z = (u - n1 * n2 / 2) / math.sqrt(variance)
    upper = 0.5 * math.erfc(z / math.sqrt(2))
    return u, upper, 1.0 - upper


def main():
    values = defaultdict(dict)  # (library, problem) -> {seed: value}
    for path in sys.argv[1:]:
        with open(path) as f:
            for row in csv.DictReader(f):
                values[(row["library"], row["problem"])][int(row["seed"])] = float(row["value"])
    problems = sorted({p for (_, p) in values})
    print("| problem | seeds | ZOOpt 0.4.2 median (q1 - q3) | zoo_opt median (q1 - q3) | p (zoo_opt lower) "
          "| p (zoo_opt higher) | P(zoo_opt run lower) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for problem in problems:
        ours, theirs = values.get(("zoo_opt", problem), {}), values.get(("zoopt", problem), {})
        seeds = sorted(set(ours) & set(theirs))
        if len(seeds) < 4:
            continue
        xs, ys = [ours[s] for s in seeds], [theirs[s] for s in seeds]
        u, lower, higher = mann_whitney_less(xs, ys)
        zq, oq = quartiles(ys), quartiles(xs)
        print("| %s | %d-%d (%d) | %.4f (%.4f - %.4f) | %.4f (%.4f - %.4f) | %.3g | %.3g | %.2f |" % (
            problem, seeds[0], seeds[-1], len(seeds), zq[1], zq[0], zq[2], oq[1], oq[0], oq[2], lower, higher,
            u / (len(xs) * len(ys))))


if __name__ == "__main__":
    main()
