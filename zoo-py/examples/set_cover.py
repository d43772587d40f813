"""Discrete optimization: ZOOpt's weighted set cover, 20 binary choices, budget 2,000 with
hand-set training sizes (6 / 1), 10 repeats, mean of the best 5.

    python examples/set_cover.py
"""

from zoo_opt import Dimension, ExpOpt, Objective, Parameter

from functions import set_cover


def main(seed=None, repeat=10, best_n=5):
    dim_size = 20
    dim = Dimension(dim_size, [[0, 1]] * dim_size, [False] * dim_size)
    objective = Objective(set_cover, dim)
    parameter = Parameter(budget=2000, autoset=False, seed=seed)
    parameter.set_train_size(6)
    parameter.set_positive_size(1)
    parameter.set_negative_size(5)
    solutions = ExpOpt.min(objective, parameter, repeat=repeat, best_n=best_n)
    return [s.get_value() for s in solutions]


if __name__ == "__main__":
    main()
