"""zoo_opt — ZOOpt's API on the zoo Rust optimizers.

Change ``from zoopt import ...`` to ``from zoo_opt import ...``: ``Dimension``,
``Dimension2``, ``ValueType``, ``Objective``, ``Parameter``, ``Opt``, ``ExpOpt`` and
``Solution`` behave as in ZOOpt 0.4.2, minus its bugs (see docs/python.md for the
migration table). ``Optimizer`` is a plain ask/tell interface whose state pickles;
``minimize(fun, bounds, budget)`` is one call over a box, with zoo's automatic choice of
algorithm.

The package is typed (PEP 561): ``Algorithm``, ``Replace``, ``Centre``, ``Trigger``,
``Backend`` and ``StopReason`` are the ``Literal`` types of the string settings.
"""

from ._native import __version__
from .dimension import Dimension, Dimension2, ValueType
from .distributed import WorkerCrashed
from .exp_opt import ExpOpt
from ._minimize import MinimizeAlgorithm, MinimizeResult, minimize
from .objective import Objective
from .opt import Opt, OptContent
from .optimizer import Optimizer
from .parameter import DefaultStoppingCriterion, Parameter, UnsupportedParameter
from .solution import Solution
from .types import Algorithm, Backend, Centre, Replace, StoppingCriterion, StopReason, Trigger, XType

__all__ = [
    "Dimension", "Dimension2", "ValueType", "Objective", "Parameter", "Opt", "ExpOpt", "Solution",
    "minimize", "MinimizeResult", "MinimizeAlgorithm", "Optimizer", "OptContent", "WorkerCrashed", "UnsupportedParameter",
    "DefaultStoppingCriterion", "__version__",
    "Algorithm", "Replace", "Centre", "Trigger", "Backend", "XType", "StopReason", "StoppingCriterion",
]
