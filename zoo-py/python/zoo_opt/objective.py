"""``Objective``: the function to minimize, its search space, an optional constraint (for
subset selection) and the history of every value it returned."""

import math

from .solution import Solution

__all__ = ["Objective"]


def _default_inherit(parent=None):
    return None


def _default_post_inherit(parent=None):
    return None


class Objective:
    """``func(solution) -> number`` over ``dim``; ``constraint(solution) -> number`` (``≥ 0``
    means feasible) selects POSS/PONSS.

    ``history`` holds every value ``func`` returned during ``Opt.min`` / ``ExpOpt.min``
    runs, in call order (re-sampling calls included), as in ZOOpt.
    """

    def __init__(self, func=None, dim=None, constraint=None, resample_func=None):
        self._func = func
        self._dim = dim
        self._constraint = constraint
        self._resample_func = resample_func
        self._inherit = _default_inherit
        self._post_inherit = _default_post_inherit
        self._history = []

    # ZOOpt compatibility -----------------------------------------------------------
    def parameter_set(self, parameter):
        """Kept for ZOOpt scripts; the settings are read by ``Opt.min`` itself."""

    def construct_solution(self, x, parent=None):
        return Solution(x, attach=self._inherit(parent))

    def eval(self, solution):
        """Evaluates ``solution`` (recording the value in the history) and sets its value."""
        value = self._func(solution)
        self._history.append(value)
        solution.set_value(value)
        solution.set_post_attach(self._post_inherit())
        return value

    def eval_constraint(self, solution):
        solution.set_value([self.eval(solution), self._constraint(solution)])

    def set_func(self, func):
        self._func = func

    def get_func(self):
        return self._func

    def set_dim(self, dim):
        self._dim = dim

    def get_dim(self):
        return self._dim

    def set_inherit_func(self, inherit_func):
        self._inherit = inherit_func

    def get_inherit_func(self):
        return self._inherit

    def set_post_inherit_func(self, inherit_func):
        self._post_inherit = inherit_func

    def get_post_inherit_func(self):
        return self._post_inherit

    def set_constraint(self, constraint):
        self._constraint = constraint

    def get_constraint(self):
        return self._constraint

    def get_resample_func(self):
        return self._resample_func

    def set_history(self, history):
        self._history = history

    def get_history(self):
        """Every value the function returned, in call order."""
        return self._history

    def get_history_bestsofar(self):
        """The running minimum of the history (NaN never counts as an improvement)."""
        out, best = [], math.inf
        for v in self._history:
            try:
                if v < best:
                    best = v
            except TypeError:
                pass
            out.append(best)
        return out

    def clean_history(self):
        self._history = []

    def get_reducedim(self):
        return False

    def _has_custom_hooks(self):
        return self._inherit is not _default_inherit or self._post_inherit is not _default_post_inherit
