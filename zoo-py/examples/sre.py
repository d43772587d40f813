"""Sequential random embedding: a 10,000-dimensional function of which only the first 10
coordinates matter much, budget 2,000 in 5 stages of a 10-dimensional embedding.

    python examples/sre.py
"""

from zoo_opt import Dimension, ExpOpt, Objective, Parameter

from functions import sphere_sre


def main(seed=None, repeat=1):
    dim_size = 10000
    dim = Dimension(dim_size, [[-1, 1]] * dim_size, [True] * dim_size)
    objective = Objective(sphere_sre, dim)
    parameter = Parameter(budget=2000, high_dim_handling=True, reducedim=True, num_sre=5,
                          low_dimension=Dimension(10, [[-1, 1]] * 10, [True] * 10), seed=seed)
    solutions = ExpOpt.min(objective, parameter, repeat=repeat)
    return [s.get_value() for s in solutions]


if __name__ == "__main__":
    main(repeat=5)
