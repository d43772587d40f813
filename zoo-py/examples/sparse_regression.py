"""Sparse regression with POSS: choose 8 of sonar's 60 columns to minimize the mean
squared error of least squares, budget 2·e·k²·n.

    python examples/sparse_regression.py
"""

import math

from zoo_opt import Dimension, ExpOpt, Objective, Parameter

from functions import SparseMSE


def main(seed=None, repeat=2, ponss=False):
    mse = SparseMSE(k=8)
    n, k = mse.get_size(), mse.get_sparsity()
    objective = Objective(mse.loss, Dimension(n, [[0, 1]] * n, [False] * n), constraint=mse.constraint)
    budget = 2 * math.e * k * k * n
    if ponss:
        parameter = Parameter(algorithm="poss", noise_handling=True, ponss=True, ponss_theta=0.5, ponss_b=k,
                              budget=budget, seed=seed)
    else:
        parameter = Parameter(algorithm="poss", budget=budget, seed=seed)
    solutions = ExpOpt.min(objective, parameter, repeat=repeat)
    for s in solutions:
        print("columns %s, MSE %.4f" % ([i for i, v in enumerate(s.get_x()) if v > 0.5], s.get_value()[0]))
    return [s.get_value()[0] for s in solutions]


if __name__ == "__main__":
    main(seed=1)
