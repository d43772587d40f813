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


def _default_inherit(parent: Optional[Solution] = None) -> Any:
    return None


def _default_post_inherit(parent: Optional[Solution] = None) -> Any:
    return None


class Objective:
    """``func(solution) -> number`` over ``dim``; ``constraint(solution) -> number`` (``≥ 0``
    means feasible) selects POSS/PONSS.

    ``history`` holds every value ``func`` returned during ``Opt.min`` / ``ExpOpt.min``
    runs, in call order (re-sampling calls included), as in ZOOpt.
    """

    def __init__(self, func: Optional[ObjectiveFunc] = None, dim: Optional[Space] = None,
                 constraint: Optional[ObjectiveFunc] = None,
                 resample_func: Optional[Callable[..., Any]] = None) -> None:
        self._func = func
        self._dim = dim
        self._constraint = constraint
        self._resample_func = resample_func
        self._inherit = _default_inherit
        self._post_inherit = _default_post_inherit
        self._history: List[Any] = []

    # ZOOpt compatibility -----------------------------------------------------------
    def parameter_set(self, parameter: Any) -> None:
        """Kept for ZOOpt scripts; the settings are read by ``Opt.min`` itself."""

    def construct_solution(self, x: Any, parent: Optional[Solution] = None) -> Solution:
        return Solution(x, attach=self._inherit(parent))

    def eval(self, solution: Solution) -> Any:
        """Evaluates ``solution`` (recording the value in the history) and sets its value."""
        value = cast(ObjectiveFunc, self._func)(solution)
        self._history.append(value)
        solution.set_value(value)
        solution.set_post_attach(self._post_inherit())
        return value

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

    def get_resample_func(self) -> Optional[Callable[..., Any]]:
        return self._resample_func

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
        return False

    def _has_custom_hooks(self) -> bool:
        return self._inherit is not _default_inherit or self._post_inherit is not _default_post_inherit
