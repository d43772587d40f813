"""Quick start: Ackley in 100 dimensions, budget 10,000 (ZOOpt's quick-start problem).

    python examples/quick_start.py

With ZOOpt, only the import line differs: ``from zoopt import ...``.
"""

from zoo_opt import Dimension, ExpOpt, Objective, Opt, Parameter

from functions import ackley


def main(seed=None, report=True):
    dim_size = 100
    dim = Dimension(dim_size, [[-1, 1]] * dim_size, [True] * dim_size)
    objective = Objective(ackley, dim)
    parameter = Parameter(budget=10000, intermediate_result=report, intermediate_freq=1000, seed=seed)
    solution = Opt.min(objective, parameter)
    if report:
        solution.print_solution()
        # The same run through ExpOpt: one repeat, a best-so-far plot if matplotlib is installed.
        objective.clean_history()
        ExpOpt.min(objective, Parameter(budget=10000, seed=seed), repeat=1, plot=True,
                   plot_file="quick_start.png")
    return solution.get_value()


if __name__ == "__main__":
    main()
