"""A mixed space: 100 coordinates, even ones continuous in [0, 1], odd ones unordered
integers in [0, 100]; sphere around the origin, budget 10,000. Then the same kind of
space as a Dimension2 with precision, ordered integers and a categorical (GRID)
coordinate of four values.

    python examples/mixed.py
"""

from zoo_opt import Dimension, Dimension2, Objective, Opt, Parameter, ValueType

from functions import sphere_mixed


def main(seed=None, report=True):
    dim_size = 100
    regions = [[0, 1] if i % 2 == 0 else [0, 100] for i in range(dim_size)]
    types = [i % 2 == 0 for i in range(dim_size)]
    objective = Objective(sphere_mixed, Dimension(dim_size, regions, types))
    solution = Opt.min(objective, Parameter(budget=10000, seed=seed))
    if report:
        solution.print_solution()

    # Dimension2: a learning rate (4 decimals), a layer count, an activation.
    def loss(s):
        log_lr, layers, activation = s.get_x()
        penalty = {"relu": 0.3, "tanh": 0.1, "gelu": 0.0, "sigmoid": 0.5}[activation]
        return (log_lr + 2) ** 2 + 0.2 * abs(layers - 3) + penalty

    dim2 = Dimension2([(ValueType.CONTINUOUS, [-5, 0], 1e-4),
                       (ValueType.DISCRETE, [1, 8], True),
                       (ValueType.GRID, ["relu", "tanh", "gelu", "sigmoid"])])
    tuned = Opt.min(Objective(loss, dim2), Parameter(budget=300, seed=seed))
    if report:
        tuned.print_solution()
    return solution.get_value(), tuned


if __name__ == "__main__":
    main()
