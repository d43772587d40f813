"""Optimization under noise: Ackley in 100 dimensions plus N(0, 0.1^2) noise per call,
20,000 calls, with re-sampling (10 calls averaged per point) and with value suppression
(ZOOpt's settings: non_update_allowed 200, resample_times 50, balance_rate 0.5), positive
size 5. Prints the noise-free Ackley value of each result.

    python examples/noise.py
"""

from zoo_opt import Dimension, ExpOpt, Objective, Parameter

from functions import ackley, ackley_noise_creator


def resampling(seed=None, repeat=1):
    dim_size = 100
    dim = Dimension(dim_size, [[-1, 1]] * dim_size, [True] * dim_size)
    objective = Objective(ackley_noise_creator(0, 0.1), dim)
    parameter = Parameter(budget=20000, noise_handling=True, resampling=True, resample_times=10, seed=seed)
    parameter.set_positive_size(5)
    solutions = ExpOpt.min(objective, parameter, repeat=repeat)
    return [ackley(s) for s in solutions]


def suppression(seed=None, repeat=1):
    dim_size = 100
    dim = Dimension(dim_size, [[-1, 1]] * dim_size, [True] * dim_size)
    objective = Objective(ackley_noise_creator(0, 0.1), dim)
    parameter = Parameter(budget=20000, noise_handling=True, suppression=True, non_update_allowed=200,
                          resample_times=50, balance_rate=0.5, seed=seed)
    parameter.set_positive_size(5)
    solutions = ExpOpt.min(objective, parameter, repeat=repeat)
    return [ackley(s) for s in solutions]


if __name__ == "__main__":
    print("noise-free values, re-sampling:", resampling(repeat=3))
    print("noise-free values, value suppression:", suppression(repeat=3))
