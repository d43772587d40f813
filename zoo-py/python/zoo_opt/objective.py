"""``Objective``: the function to minimize, its search space, an optional constraint (for
subset selection) and the history of every value it returned."""

from __future__ import annotations

import math
from typing import Any, Callable, List, Optional, Union, cast

from .dimension import Dimension, Dimension2
from .solution import Solution

#: ``func(solution) -> number``: a float, an int, a numpy scalar or a one-element array.
ObjectiveFunc = Callable[[Solution], Any]
#: The search space of an objective.
Space = Union[Dimension, Dimension2]

__all__ = ["Objective"]


class Objective:
    """``func(solution) -> number`` over ``dim``; ``constraint(solution) -> number`` (``≥ 0``
    means feasible) selects POSS/PONSS.

    ``history`` holds every value ``func`` returned during ``Opt.min`` / ``ExpOpt.min``
    runs, in call order (re-sampling calls included), as in ZOOpt.

    ``resample_func(solution, n) -> number`` re-estimates a trusted solution under value
    suppression (default: the mean of ``n`` calls of ``eval``); the inherit hooks set each
    evaluated solution's ``attach`` (``inherit(None)``, before the call) and
    ``post_attach`` (``post_inherit()``, after it), as ZOOpt's do.
    """

    def __init__(self, func: Optional[ObjectiveFunc] = None, dim: Optional[Space] = None,
                 constraint: Optional[ObjectiveFunc] = None,
                 resample_func: Optional[Callable[[Solution, int], Any]] = None) -> None:
        self._func = func
        self._dim = dim
        self._constraint = constraint
        self._custom_resample = resample_func
        self._inherit: Callable[..., Any] = Objective.default_inherit
        self._post_inherit: Callable[..., Any] = Objective.default_post_inherit
        self._history: List[Any] = []
        # What `eval` does, set from a Parameter by `parameter_set` as in ZOOpt.
        self._resample_times = 1
        self._balance_rate = 1.0
        self._reducedim = False
        self._A: Any = None
        self._last_x: Optional[Solution] = None

    @staticmethod
    def default_inherit(parent: Optional[Solution] = None) -> Any:
        return None

    @staticmethod
    def default_post_inherit(parent: Optional[Solution] = None) -> Any:
        return None

    # ZOOpt compatibility -----------------------------------------------------------
    def parameter_set(self, parameter: Any) -> None:
        """Reads what ``eval`` and ``resample`` use from ``parameter`` (``Opt.min`` calls
        it, as ZOOpt's does): the balance rate under suppression, the number of calls
        ``eval`` averages under re-sampling, and the embedding flag."""
        if parameter.get_noise_handling() and parameter.get_suppression():
            self._balance_rate = parameter.get_balance_rate()
        if parameter.get_noise_handling() and parameter.get_resampling():
            self._resample_times = parameter.get_resample_times()
        if parameter.get_high_dim_handling() and parameter.get_reducedim():
            self._reducedim = True

    def construct_solution(self, x: Any, parent: Optional[Solution] = None) -> Solution:
        return Solution(x, attach=self._inherit(parent))

    def eval(self, solution: Solution) -> Any:
        """Evaluates ``solution``: the mean of ``resample_times`` calls (1 unless
        ``parameter_set`` read re-sampling), each recorded in the history; sets its value
        and its ``post_attach``. Under an embedding (``set_A`` / ``set_last_x``), ``x`` is
        ``[alpha, y...]`` and the function sees ``alpha * last_x + A y``."""
        func = cast(ObjectiveFunc, self._func)
        values = []
        for _ in range(max(1, int(self._resample_times))):
            if self._reducedim:
                import numpy as np  # only embeddings need it

                x = solution.get_x()
                last = cast(Solution, self._last_x).get_x()
                v = func(Solution(x[0] * np.array(last) + np.dot(self._A, np.array(x[1:]))))
            else:
                v = func(solution)
            values.append(v)
            self._history.append(v)
        value = values[0] if len(values) == 1 else sum(values) / float(len(values))
        solution.set_value(value)
        solution.set_post_attach(self._post_inherit())
        return value

    def resample(self, solution: Solution, repeat_times: int) -> int:
        """Value suppression's re-estimate: once per solution, sets its ``resample_value``
        to ``resample_func(solution, repeat_times)`` and its value to
        ``(1 - balance_rate) * value + balance_rate * resample_value``; returns the calls
        spent (``repeat_times``, or 0 when it was re-estimated before)."""
        if solution.get_resample_value() is not None:
            return 0
        # The original estimate is blended, not the last re-evaluation (ZOOpt's B6).
        original = solution.get_value()
        solution.set_resample_value(self.get_resample_func()(solution, repeat_times))
        solution.set_value((1 - self._balance_rate) * original
                           + self._balance_rate * solution.get_resample_value())
        solution.set_post_attach(self._post_inherit())
        return repeat_times

    def resample_func(self, solution: Solution, iteration_num: int) -> Any:
        """The default re-estimate: the mean of ``iteration_num`` calls of ``eval``."""
        values = [self.eval(solution) for _ in range(iteration_num)]
        return sum(values) * 1.0 / len(values)

    def eval_constraint(self, solution: Solution) -> None:
        solution.set_value([self.eval(solution), cast(ObjectiveFunc, self._constraint)(solution)])

    def set_func(self, func: Optional[ObjectiveFunc]) -> None:
        self._func = func

    def get_func(self) -> Optional[ObjectiveFunc]:
        return self._func

    def set_dim(self, dim: Optional[Space]) -> None:
        self._dim = dim

    def get_dim(self) -> Optional[Space]:
        return self._dim

    def set_inherit_func(self, inherit_func: Callable[..., Any]) -> None:
        self._inherit = inherit_func

    def get_inherit_func(self) -> Callable[..., Any]:
        return self._inherit

    def set_post_inherit_func(self, inherit_func: Callable[..., Any]) -> None:
        self._post_inherit = inherit_func

    def get_post_inherit_func(self) -> Callable[..., Any]:
        return self._post_inherit

    def set_constraint(self, constraint: Optional[ObjectiveFunc]) -> None:
        self._constraint = constraint

    def get_constraint(self) -> Optional[ObjectiveFunc]:
        return self._constraint

    def get_resample_func(self) -> Callable[[Solution, int], Any]:
        """The re-estimate value suppression uses: the one given to the constructor, else
        the ``resample_func`` method."""
        return self._custom_resample if self._custom_resample is not None else self.resample_func

    def set_resample_func(self, resample_func: Optional[Callable[[Solution, int], Any]]) -> None:
        self._custom_resample = resample_func

    def set_history(self, history: List[Any]) -> None:
        self._history = history

    def get_history(self) -> List[Any]:
        """Every value the function returned, in call order."""
        return self._history

    def get_history_bestsofar(self) -> List[Any]:
        """The running minimum of the history (NaN never counts as an improvement)."""
        out: List[Any] = []
        best: Any = math.inf
        for v in self._history:
            try:
                if v < best:
                    best = v
            except TypeError:
                pass
            out.append(best)
        return out

    def clean_history(self) -> None:
        self._history = []

    def get_reducedim(self) -> bool:
        return self._reducedim

    def get_last_x(self) -> Optional[Solution]:
        return self._last_x

    def set_last_x(self, x: Optional[Solution]) -> None:
        self._last_x = x

    def get_A(self) -> Any:  # noqa: N802 (ZOOpt's name)
        return self._A

    def set_A(self, A: Any) -> None:  # noqa: N802, N803
        self._A = A

    def _has_custom_hooks(self) -> bool:
        return (self._inherit is not Objective.default_inherit
                or self._post_inherit is not Objective.default_post_inherit)

    def _has_custom_resample(self) -> bool:
        return self._custom_resample is not None
