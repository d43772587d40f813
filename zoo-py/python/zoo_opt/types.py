"""Type aliases of the string settings of ``zoo_opt``, for type checkers.

Each alias is a :data:`typing.Literal` of the values a setting accepts, so that ``mypy`` or
``pyright`` rejects a misspelt value (``Parameter(replace="wrost")``) before the run.
At run time the values are checked anyway, and ``algorithm`` is case-insensitive
(``"SRACOS"`` works too), but only the canonical lower-case names are part of the types.
"""

from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from .opt import OptContent

__all__ = ["Algorithm", "Replace", "Centre", "Trigger", "Backend", "XType", "StopReason", "StoppingCriterion"]

#: ``Parameter(algorithm=...)`` (``None``: ZOOpt's dispatch, SRACOS or POSS; ``"cmaes"``,
#: ``"tpe"``, ``"de"`` and ``"auto"`` are zoo's additions).
Algorithm = Literal["racos", "sracos", "ssracos", "poss", "cmaes", "tpe", "de", "auto"]
#: ``Parameter(replace=...)``: SRACOS's negative-set replacement.
Replace = Literal["worst", "random", "farthest"]
#: ``Parameter(centre=...)`` (``None``: ``"auto"``).
Centre = Literal["auto", "best", "random_positive"]
#: ``Parameter(suppression_trigger=...)``.
Trigger = Literal["best", "trusted"]
#: ``Parameter(parallel_backend=...)``.
Backend = Literal["auto", "threads", "ray"]
#: ``Parameter(x_type=...)``: what ``solution.get_x()`` is in the objective;
#: ``minimize(x_type=...)``: what ``fun`` receives.
XType = Literal["list", "numpy"]
#: Why a run stopped: ``Optimizer.stop_reason``, the value ``Optimizer.tell`` returns.
StopReason = Literal["budget", "target", "time_limit", "patience", "criterion", "exhausted", "caller"]


class StoppingCriterion(Protocol):
    """What ``Parameter(stopping_criterion=...)`` takes (a structural type: any object with
    this method): ``check(optcontent)`` returns true to stop the run."""

    def check(self, optcontent: "OptContent") -> object:
        ...
