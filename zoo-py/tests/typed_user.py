"""A typed user of zoo_opt: checked by ``mypy --strict`` in test_typing.py (it also runs)."""

from __future__ import annotations

from typing import Optional

import numpy as np
from numpy.typing import NDArray

from zoo_opt import (Dimension, MinimizeAlgorithm, MinimizeResult, Objective, Opt, Optimizer, Parameter, Solution,
                     StopReason, minimize)
from zoo_opt.types import Algorithm


def sphere(solution: Solution) -> float:
    x: list[float] = solution.get_x()
    return sum((v - 0.2) ** 2 for v in x)


def run_opt(dim_size: int, algorithm: Algorithm = "sracos") -> tuple[list[float], float]:
    dim = Dimension(dim_size, [[-1.0, 1.0]] * dim_size, [True] * dim_size)
    objective = Objective(sphere, dim)
    parameter = Parameter(algorithm=algorithm, budget=200, seed=1, replace="random")
    solution = Opt.min(objective, parameter)
    history: list[float] = objective.get_history()
    assert len(history) == 200
    return list(solution.get_x()), float(solution.get_value())


def run_ask_tell(budget: int) -> tuple[Optional[StopReason], Optional[Solution]]:
    dim = Dimension(2, [[-1, 1], [-1, 1]], [True, True])
    optimizer = Optimizer(dim, Parameter(budget=budget, seed=3, terminal_value=1e-3, centre="best"))
    fired: Optional[StopReason] = None
    while (asked := optimizer.ask()) is not None:
        fired = optimizer.tell(asked, sphere(asked))
    reason: Optional[StopReason] = optimizer.stop_reason
    assert reason == fired and reason in ("budget", "target")
    assert optimizer.told <= optimizer.budget
    return reason, optimizer.best()


def run_minimize(algorithm: MinimizeAlgorithm = "auto") -> MinimizeResult[list[float]]:
    def shifted(x: list[float]) -> float:
        return sum((v - 0.2) ** 2 for v in x)

    result = minimize(shifted, [(-1.0, 1.0), [-1, 1], (0, 10)], 300, algorithm=algorithm,
                      integer=[False, False, True], seed=2, target=1e-9)
    best: list[float] = result.x
    assert result.nfev <= 300 and len(best) == 3 and result.fun >= 0.0
    return result


def run_minimize_numpy() -> MinimizeResult[NDArray[np.float64]]:
    def norm(x: NDArray[np.float64]) -> float:
        return float(np.sum((x - 0.2) ** 2))

    result = minimize(norm, [(-1.0, 1.0)] * 3, 200, algorithm="de", seed=2, x_type="numpy")
    shape: tuple[int, ...] = result.x.shape
    assert result.nfev == 200 and shape == (3,)
    return result


if __name__ == "__main__":
    x, value = run_opt(3)
    print("Opt.min: x = %s, value = %.6f" % (x, value))
    reason, best = run_ask_tell(300)
    if best is not None:
        print("ask/tell stopped on %s: best %r" % (reason, best.get_value()))
    print("minimize: %r" % (run_minimize(),))
    print("minimize, numpy: %r" % (run_minimize_numpy(),))
