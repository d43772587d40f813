#!/usr/bin/env python3
"""Record cocoex values of COCO's 24 noiseless bbob functions for zoo-bbob's tests.

Writes zoo-bbob/tests/data/cocoex_reference.csv: one line per problem
(function 1-24, instance 1-15, dimension 2,3,5,10,20,40) with

    f, instance, dim, best_value, xopt_sum, v_opt, v_near, v1, ..., v6

- best_value: COCO's recorded optimal value (the logger's "Fopt (%13.12e)" header, the only
  place cocoex shows it; 13 significant digits);
- v1..v6: the value at x(k), k = 1..6, where
      x(k)_i = 5.5 * sin(0.9 * k * (i + 1) + 0.7 * f + 0.3 * instance),  i = 0..dim-1
  (the same formula is in tests/cocoex.rs; some coordinates fall outside [-5, 5] so the
  boundary penalties are exercised too);
- xopt_sum: sum_i (i + 1) * xopt_i of COCO's best parameter as COCO prints it ("%.16f",
  read back as floats), "nan" when COCO does not know it;
- v_opt: the value at that printed best parameter (so close to f_opt), v_near: the value at
  xopt_i + 0.01 * sin(i + 1). Exception, f20 (Schwefel): COCO records as best parameter the
  image of its inner optimum 420.96874633, about 1e-10 relative away from the x_opt its
  definition uses (+-4.2096874637 / 2); there v_opt and v_near are taken at that x_opt
  (signs from COCO's best parameter, printed with "%.16f" too), while xopt_sum still records
  COCO's best parameter.

All values are written with repr, which round-trips exactly.
Run through scripts/reference.sh, which makes the virtual environment. Other instances and
dimensions: `reference.sh OUT.csv INSTANCES DIMENSIONS` with cocoex's syntax, e.g.
`zoo-bbob/scripts/reference.sh zoo-bbob/tests/data/cocoex_reference_later.csv
16,20,25,30,45,80 2,5,10,20` from the workspace root (the file of later instances, those
zoo-bench's seeds 16 and up run).
"""
import math
import os
import sys
import tempfile

import cocoex

FUNCTIONS = range(1, 25)
INSTANCES = "1-15"
DIMENSIONS = "2,3,5,10,20,40"
POINTS = range(1, 7)


def point(k, f, instance, dim):
    return [5.5 * math.sin(0.9 * k * (i + 1) + 0.7 * f + 0.3 * instance) for i in range(dim)]


def best_parameter(problem, workdir):
    """COCO only exposes the optimum by printing it to a file in the current directory."""
    here = os.getcwd()
    os.chdir(workdir)
    try:
        problem._best_parameter("print")
        with open("._bbob_problem_best_parameter.txt") as fh:
            return [float(tok) for tok in fh.read().split()]
    finally:
        os.chdir(here)


def count(spec):
    """How many numbers a cocoex list such as "1-15" or "16,20,25" names."""
    total = 0
    for part in spec.split(","):
        low, _, high = part.partition("-")
        total += int(high or low) - int(low) + 1
    return total


def best_values(workdir, instances, dimensions):
    """The optimal value of every problem, from the headers cocoex's bbob observer writes."""
    here = os.getcwd()
    os.chdir(workdir)
    values = {}
    try:
        suite = cocoex.Suite("bbob", f"instances: {instances}",
                             f"dimensions: {dimensions} function_indices: 1-24")
        observer = cocoex.Observer("bbob", "result_folder: fopt")
        for problem in suite:
            f, dim, instance = problem.id_triple
            problem.observe_with(observer)
            problem(problem.initial_solution)
            problem.free()
            path = os.path.join("exdata", "fopt", f"data_f{f}", f"bbobexp_f{f}_DIM{dim}.dat")
            with open(path) as fh:
                header = [line for line in fh if line.startswith("%")][-1]
            values[(f, instance, dim)] = header.split("Fopt (")[1].split(")")[0]
        del observer
    finally:
        os.chdir(here)
    return values


def main(out_path, instances, dimensions):
    cocoex.log_level("warning")
    suite = cocoex.Suite(
        "bbob",
        f"instances: {instances}",
        f"dimensions: {dimensions} function_indices: 1-24",
    )
    rows = {}
    with tempfile.TemporaryDirectory() as workdir:
        best = best_values(workdir, instances, dimensions)
        for problem in suite:
            f, dim, instance = problem.id_triple
            xopt = best_parameter(problem, workdir)
            values = [best[(f, instance, dim)]]
            if len(xopt) == dim and all(math.isfinite(v) for v in xopt):
                xsum = sum((i + 1) * v for i, v in enumerate(xopt))
                if f == 20:
                    xopt = [float("%.16f" % ((-1.0 if v < 0 else 1.0) * 0.5 * 4.2096874637))
                            for v in xopt]
                near = [v + 0.01 * math.sin(i + 1) for i, v in enumerate(xopt)]
                values += [repr(xsum), repr(float(problem(xopt))), repr(float(problem(near)))]
            else:
                values += ["nan", "nan", "nan"]
            for k in POINTS:
                values.append(repr(float(problem(point(k, f, instance, dim)))))
            rows[(f, instance, dim)] = values
            problem.free()
    expected = len(FUNCTIONS) * count(instances) * count(dimensions)
    if len(rows) != expected:
        sys.exit(f"expected {expected} problems, got {len(rows)}")
    with open(out_path, "w") as out:
        out.write(f"# cocoex {cocoex.__version__} (pip package coco-experiment), suite bbob\n")
        out.write("# x(k)_i = 5.5 * sin(0.9 * k * (i + 1) + 0.7 * f + 0.3 * instance), k = 1..6\n")
        out.write("# xopt_sum = sum (i+1) xopt_i of COCO's best parameter printed with %.16f; "
                  "v_opt at that point, v_near at xopt_i + 0.01 sin(i+1) "
                  "(f20: at +-4.2096874637/2, see reference.py)\n")
        out.write("# best_value: COCO's optimal value as its bbob logger prints it (%13.12e)\n")
        out.write("f,instance,dim,best_value,xopt_sum,v_opt,v_near," + ",".join(f"v{k}" for k in POINTS) + "\n")
        for (f, instance, dim) in sorted(rows):
            out.write(",".join([str(f), str(instance), str(dim)] + rows[(f, instance, dim)]) + "\n")
    print(f"wrote {len(rows)} problems to {out_path} (cocoex {cocoex.__version__})")


if __name__ == "__main__":
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data",
                           "cocoex_reference.csv")
    args = sys.argv[1:]
    main(args[0] if args else os.path.normpath(default),
         args[1] if len(args) > 1 else INSTANCES,
         args[2] if len(args) > 2 else DIMENSIONS)
