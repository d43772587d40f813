"""The noisy suite's verdicts: zoo beside ZOOpt on every problem, from one zoo-bench directory.

    python zoo-py/bench/peers.py --suite noisy --peers zoopt,zoopt-resample,zoopt-ssracos --out DIR
    python zoo-py/bench/noise_table.py DIR [--declared auto]

Every value is the noise-free value at a run's recommendation (`true_best`). Per problem, on
the seeds both sides ran:

- undeclared: zoo's default SRACOS (`sracos`, told nothing about noise) against ZOOpt's
  default SRACOS (`zoopt`); one-sided Mann-Whitney U p-values of "zoo lower" and "zoo higher";
- declared: zoo's noise method (`--declared`, default `auto`, which is told the objective is
  noisy) against the better of ZOOpt's two noise methods on that problem (lower median of
  `zoopt-resample` and `zoopt-ssracos`).

A verdict is "better" or "worse" at p < 0.05, else "tie". Lower values are better.
"""

import argparse
import csv
import os
import statistics
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import mann_whitney_less  # noqa: E402


def load(directory):
    values = defaultdict(dict)  # (algo, problem) -> {seed: value}
    order = []
    with open(os.path.join(directory, "results.csv")) as fh:
        for row in csv.DictReader(fh):
            if row.get("error"):
                continue
            key = (row["algo"], row["problem"])
            values[key][int(row["seed"])] = float(row["true_best"])
            if row["problem"] not in order:
                order.append(row["problem"])
    return values, order


def verdict(ours, theirs):
    seeds = sorted(set(ours) & set(theirs))
    xs, ys = [ours[s] for s in seeds], [theirs[s] for s in seeds]
    _, p_lower, p_higher = mann_whitney_less(xs, ys)
    word = "better" if p_lower < 0.05 else "worse" if p_higher < 0.05 else "tie"
    return statistics.median(xs), statistics.median(ys), p_lower, p_higher, word, len(seeds)


# Method against method, over every problem both ran: zoo's against ZOOpt's, zoo's two
# strongest SRACOS methods against each other, and `auto` (declared noise: CMA-ES with
# twice the default population) against CMA-ES's default.
PAIRS = [("sracos", "zoopt"), ("resample", "zoopt-resample"), ("racing", "zoopt-resample"),
         ("ssracos", "zoopt-resample"), ("ssracos", "zoopt-ssracos"), ("racing", "ssracos"),
         ("auto", "zoopt-resample"), ("auto", "zoopt-ssracos"), ("auto", "zoo-cmaes")]

# Columns of --medians: ZOOpt's method beside zoo's counterpart.
MEDIANS = ["random", "zoopt", "sracos", "zoopt-resample", "resample", "racing", "zoopt-ssracos", "ssracos", "auto"]


def print_medians(values, problems):
    print("| problem | " + " | ".join(MEDIANS) + " |")
    print("| --- |" + " ---: |" * len(MEDIANS))
    for problem in problems:
        cells = [f"{statistics.median(values[(a, problem)].values()):.4g}" if (a, problem) in values else ""
                 for a in MEDIANS]
        print(f"| {problem} | " + " | ".join(cells) + " |")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("directory")
    ap.add_argument("--declared", default="auto", help="zoo's declared noise method (an algo of the suite)")
    ap.add_argument("--medians", action="store_true", help="print every method's median per problem instead")
    args = ap.parse_args(argv)
    values, problems = load(args.directory)
    if args.medians:
        print_medians(values, problems)
        return
    counts = defaultdict(int)
    print(f"| problem | zoo sracos | ZOOpt sracos | p lower / higher | undeclared | zoo {args.declared} "
          "| ZOOpt best declared | p lower / higher | declared |")
    print("| --- | ---: | ---: | --- | --- | ---: | ---: | --- | --- |")
    for problem in problems:
        if (args.declared, problem) not in values or ("zoopt", problem) not in values:
            continue
        mine, theirs, lo, hi, word, _ = verdict(values[("sracos", problem)], values[("zoopt", problem)])
        counts["undeclared " + word] += 1
        zoopt_declared = [a for a in ("zoopt-resample", "zoopt-ssracos") if (a, problem) in values]
        best = min(zoopt_declared, key=lambda a: statistics.median(values[(a, problem)].values()))
        dmine, dtheirs, dlo, dhi, dword, _ = verdict(values[(args.declared, problem)], values[(best, problem)])
        counts["declared " + dword] += 1
        print(f"| {problem} | {mine:.4g} | {theirs:.4g} | {lo:.3f} / {hi:.3f} | {word} | {dmine:.4g} "
              f"| {dtheirs:.4g} ({best.removeprefix('zoopt-')}) | {dlo:.3f} / {dhi:.3f} | {dword} |")
    print()
    for side in ("undeclared", "declared"):
        print(f"{side}: " + ", ".join(f"{w} {counts[side + ' ' + w]}" for w in ("better", "tie", "worse")))
    print()
    print("| method | against | better | tie | worse |")
    print("| --- | --- | ---: | ---: | ---: |")
    for ours, theirs in PAIRS:
        tally = defaultdict(int)
        for problem in problems:
            if (ours, problem) in values and (theirs, problem) in values:
                tally[verdict(values[(ours, problem)], values[(theirs, problem)])[4]] += 1
        if tally:
            print(f"| {ours} | {theirs} | {tally['better']} | {tally['tie']} | {tally['worse']} |")


if __name__ == "__main__":
    main()
