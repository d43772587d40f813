#!/usr/bin/env python3
"""Record what cocoex's "bbob" observer writes for fixed evaluation sequences.

zoo-bbob's tests/coco_format.rs replays the same sequences through zoo_bbob::coco and compares
the files line by line. Writes tests/data/coco_golden/ (the observer's result folder, renamed).

Problems (function, dimension, instance) and points, in this order:
    for (f, d, i) in PROBLEMS, for e in 1..=EVALS[(f, d, i)]:
        x_j = 4.0 * sin(0.37 * e * (j + 1) + f + 0.1 * i) * 0.999 ** e     (j = 0..d-1)
(the same formula is in tests/coco_format.rs), except the two non-finite points of `special`. Run through scripts/reference.sh's venv:
    target/bbob-venv/bin/python zoo-bbob/scripts/coco_golden.py
"""
import math
import os
import shutil
import sys
import tempfile

import cocoex

PROBLEMS = [(1, 2, 1), (1, 2, 2), (1, 3, 1), (8, 10, 3), (20, 3, 2), (21, 5, 1), (24, 2, 4),
            (1, 2, 3)]
EVALS = {p: 2000 for p in PROBLEMS}
EVALS[(1, 3, 1)] = 37
EVALS[(1, 2, 3)] = 50  # f1 in 2-D again after other blocks: a new "-0001" data file


def special(e, f, i, d):
    """Non-finite points in the last run: cocoex answers them before its logger sees them, so
    they are neither counted nor logged."""
    if (f, d, i) == (1, 2, 3) and e == 1:
        return [float("nan")] * d
    if (f, d, i) == (1, 2, 3) and e == 2:
        return [float("inf")] + [0.0] * (d - 1)
    return None


def point(e, f, i, d):
    return [4.0 * math.sin(0.37 * e * (j + 1) + f + 0.1 * i) * 0.999 ** e for j in range(d)]


def main(out_dir):
    cocoex.log_level("warning")
    work = tempfile.mkdtemp()
    here = os.getcwd()
    os.chdir(work)
    try:
        suite = cocoex.Suite("bbob", "", "")
        observer = cocoex.Observer("bbob", "result_folder: golden algorithm_name: golden "
                                   "algorithm_info: fixed_points")
        for (f, d, i) in PROBLEMS:
            problem = suite.get_problem_by_function_dimension_instance(f, d, i)
            problem.observe_with(observer)
            for e in range(1, EVALS[(f, d, i)] + 1):
                x = special(e, f, i, d)
                problem(x if x is not None else point(e, f, i, d))
            problem.free()
        del observer
        src = os.path.join(work, "exdata", "golden")
        if os.path.exists(out_dir):
            shutil.rmtree(out_dir)
        shutil.copytree(src, out_dir)
    finally:
        os.chdir(here)
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {out_dir} (cocoex {cocoex.__version__})")


if __name__ == "__main__":
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data",
                           "coco_golden")
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(default))
