"""``Solution``: a point and its value, with ZOOpt's getters and setters."""

from __future__ import annotations

import copy
import math
from typing import Any, Iterable, List, Optional, Tuple

from .types import StopReason

__all__ = ["Solution"]

_NAN = float("nan")


def _is_nan(v: object) -> bool:
    return isinstance(v, float) and math.isnan(v)


class Solution:
    """A point ``x`` (a list; a numpy array for subset selection) and its ``value``.

    Both are typed ``Any``: ``x`` holds floats, integers or GRID values (a numpy array of
    0.0/1.0 for subset selection, a float64 array when the run asks for numpy points), and
    ``value`` is a float (``[loss, constraint]`` for POSS's solutions).

    Objectives receive one per evaluation and read the point with ``get_x()``: a new
    solution with a new ``x`` each time, unless the run reuses solutions (then one per
    worker is rewritten in place, and the objective must not keep it or its ``x``).
    Solutions are compared exactly (``is_equal``); ZOOpt compared with a global tolerance
    and type checks (bugs B2, B15).
    """

    __slots__ = ("_x", "_value", "_resample_value", "_attach", "_post_attach",
                 "_is_in_possible_solution", "_no", "_decisions", "_stop")

    def __init__(self, x: Any = None, value: Any = _NAN, resample_value: Any = None, attach: Any = None,
                 post_attach: Any = None, is_in_possible_solution: bool = False, no: Optional[int] = None,
                 decisions: Optional[List[Any]] = None, stop: Optional[StopReason] = None) -> None:
        self._x = [] if x is None else x
        self._value = value
        self._resample_value = resample_value
        self._attach = attach
        self._post_attach = post_attach
        self._is_in_possible_solution = is_in_possible_solution
        self._no = no
        self._decisions = decisions
        self._stop = stop

    @property
    def is_in_possible_solution(self) -> bool:
        return self._is_in_possible_solution

    @is_in_possible_solution.setter
    def is_in_possible_solution(self, value: bool) -> None:
        self._is_in_possible_solution = value

    def deep_copy(self) -> Solution:
        return Solution(copy.deepcopy(self._x), copy.deepcopy(self._value),
                        copy.deepcopy(self._resample_value), copy.deepcopy(self._attach),
                        copy.deepcopy(self._post_attach), self._is_in_possible_solution,
                        decisions=copy.deepcopy(self._decisions), stop=self._stop)

    def is_equal(self, sol: Solution) -> bool:
        """Same point (coordinate by coordinate) and, when both are evaluated, same value."""
        v1, v2 = self._value, sol._value
        if not (_is_nan(v1) or _is_nan(v2)) and v1 != v2:
            return False
        if len(self._x) != len(sol._x):
            return False
        return all(a == b for a, b in zip(self._x, sol._x))

    def exist_equal(self, sol_set: Iterable[Solution]) -> bool:
        return any(self.is_equal(s) for s in sol_set)

    def set_x_index(self, index: int, x: Any) -> None:
        self._x[index] = x

    def set_x(self, x: Any) -> None:
        self._x = x

    def set_value(self, value: Any) -> None:
        self._value = value

    def set_attach(self, attach: Any) -> None:
        self._attach = attach

    def set_post_attach(self, attach: Any) -> None:
        self._post_attach = attach

    def set_resample_value(self, resample_value: Any) -> None:
        self._resample_value = resample_value

    def set_no(self, no: Optional[int]) -> None:
        self._no = no

    def get_resample_value(self) -> Any:
        return self._resample_value

    def get_post_attach(self) -> Any:
        return self._post_attach

    def get_x_index(self, index: int) -> Any:
        return self._x[index]

    def get_x(self) -> Any:
        return self._x

    def get_value(self) -> Any:
        return self._value

    def get_attach(self) -> Any:
        return self._attach

    def get_no(self) -> Optional[int]:
        return self._no

    def get_decisions(self) -> Optional[List[Any]]:
        """What ``algorithm="auto"`` decided in the run that returned this solution, in order
        (each a dict such as ``{"probed": {"at": 17, "defect": 0.0, "separable": True, "noisy": False,
        "scale": "values", "weakly_coupled": False}}``,
        or a name such as ``"noisy"``); ``None`` for other algorithms (a zoo addition)."""
        return self._decisions

    def get_stop_reason(self) -> Optional[StopReason]:
        """Why the run that returned this solution stopped (``"budget"``, ``"target"``,
        ``"time_limit"``, ``"criterion"``, ``"exhausted"``, ...); ``None`` for a solution
        not returned by a run (a zoo addition)."""
        return self._stop

    def print_solution(self) -> None:
        print("x: " + repr(self._x))
        print("value: " + repr(self._value))

    def __repr__(self) -> str:
        return "Solution(x=%r, value=%r)" % (self._x, self._value)

    def __reduce__(self) -> Tuple[Any, ...]:
        return (Solution, (self._x, self._value, self._resample_value, self._attach,
                           self._post_attach, self._is_in_possible_solution, self._no, self._decisions,
                           self._stop))

    @staticmethod
    def deep_copy_set(sol_set: Iterable[Solution]) -> list[Solution]:
        return [s.deep_copy() for s in sol_set]

    @staticmethod
    def print_solution_set(sol_set: Iterable[Solution]) -> None:
        for s in sol_set:
            print("value: %r" % (s.get_value(),))

    @staticmethod
    def find_maximum(sol_set: Iterable[Solution]) -> tuple[Optional[Solution], int]:
        """``(solution, index)`` of the largest value (first one on ties)."""
        best, at = None, 0
        for i, s in enumerate(sol_set):
            if best is None or s.get_value() > best.get_value():
                best, at = s, i
        return best, at

    @staticmethod
    def find_minimum(sol_set: Iterable[Solution]) -> tuple[Optional[Solution], int]:
        """``(solution, index)`` of the smallest value (first one on ties)."""
        best, at = None, 0
        for i, s in enumerate(sol_set):
            if best is None or s.get_value() < best.get_value():
                best, at = s, i
        return best, at
