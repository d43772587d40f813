"""``minimize``: one call for a function of numbers in a box, as scipy, pycma and nevergrad
users write it, with zoo's automatic choice of algorithm by default."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Sequence

from .dimension import Dimension
from .objective import Objective
from .opt import Opt
from .parameter import Parameter
from .solution import Solution
from .types import Algorithm

__all__ = ["minimize", "MinimizeResult"]

@dataclass(frozen=True)
class MinimizeResult:
    """What ``minimize`` found: the best point ``x`` (ints at integer coordinates), its
    value ``fun``, the number of calls of the function ``nfev`` and, for
    ``algorithm="auto"``, the choices it made (``decisions``, as ``Solution.get_decisions``;
    ``None`` for the other algorithms)."""

    x: List[float]
    fun: float
    nfev: int
    decisions: Optional[List[Any]]


def minimize(fun: Callable[[List[float]], Any], bounds: Sequence[Sequence[float]], budget: int, *,
             algorithm: Algorithm = "auto", integer: Optional[Sequence[bool]] = None,
             x0: Optional[Sequence[float]] = None, seed: Optional[int] = None, noisy: bool = False,
             target: Optional[float] = None, time_limit: Optional[float] = None,
             workers: int = 1) -> MinimizeResult:
    """Minimizes ``fun(x)`` over the box ``bounds`` (one ``(low, high)`` pair per
    coordinate, both reachable) in at most ``budget`` calls.

    ``fun`` receives a list of numbers (floats; ints at integer coordinates) and returns a number (a float, an int, a numpy
    scalar or a one-element array; NaN counts as +inf). ``algorithm`` is ``"auto"`` (zoo
    chooses from the space, the budget and what a 9-evaluation probe finds; see the
    docs' "Which algorithm?"), ``"cmaes"`` (CMA-ES, IPOP restarts), ``"tpe"`` (the
    tree-structured Parzen estimator, for tens to hundreds of calls), ``"sracos"`` or
    ``"ssracos"`` (SRACOS with value suppression). ``integer[i]`` true makes coordinate ``i`` an integer in its bounds
    (ordered: 3 lies between 2 and 4). ``x0`` is evaluated first, as the first of the
    ``budget`` calls. ``noisy=True`` tells ``"auto"`` that two calls at one point may
    differ (it then runs CMA-ES with twice its population and recommends by fresh
    re-evaluations). The run stops early once a value at or below ``target`` is seen or
    after ``time_limit`` seconds. ``workers > 1`` evaluates on that many threads (or Ray
    tasks when Ray is initialized), for functions that wait on I/O, a subprocess or a
    remote service. ``seed`` makes the run reproducible: the same seed, the same points.

    An exception raised by ``fun`` propagates unchanged, carrying the best solution found
    before it (``best_solution``) and the number of calls that completed (``evaluations``).

    Example::

        from zoo_opt import minimize

        def rosenbrock(x):
            return sum(100 * (b - a * a) ** 2 + (1 - a) ** 2 for a, b in zip(x, x[1:]))

        result = minimize(rosenbrock, [(-2, 2)] * 5, budget=3000, seed=1)
        print(result.x, result.fun, result.nfev)
    """
    if not callable(fun):
        raise TypeError("fun must be callable, got %r" % (fun,))
    regions = _regions(bounds)
    n = len(regions)
    if integer is None:
        integer = [False] * n
    elif isinstance(integer, (str, bytes)) or len(integer) != n:
        raise ValueError("integer must hold one bool per coordinate (%d), got %r" % (n, integer))
    if not _positive_int(budget):
        raise ValueError("budget must be a positive int, got %r" % (budget,))
    if not _positive_int(workers):
        raise ValueError("workers must be a positive int, got %r" % (workers,))
    if str(algorithm).lower() == "poss":
        raise ValueError("POSS selects subsets: run it with Opt.min and an Objective with a constraint")
    if noisy and str(algorithm).lower() != "auto":
        raise ValueError("noisy=True is a hint to algorithm='auto'; for %r choose the noise handling with "
                         "Opt.min and Parameter(noise_handling=True, resampling=... or suppression=...)"
                         % (algorithm,))
    start = None
    if x0 is not None:
        start = [list(x0)]
        if len(start[0]) != n:
            raise ValueError("x0 has %d coordinates, bounds %d" % (len(start[0]), n))
    dim = Dimension(n, regions, [not bool(t) for t in integer], [True] * n)
    calls: List[int] = [0]

    def counted(solution: Solution) -> Any:
        calls[0] += 1
        return fun(solution.get_x())

    parameter = Parameter(algorithm=algorithm, budget=int(budget), seed=seed, init_samples=start,
                          noise_handling=noisy, terminal_value=target, time_budget=time_limit,
                          parallel=workers > 1, server_num=int(workers))
    best = Opt.min(Objective(counted, dim), parameter)
    value = best.get_value()
    return MinimizeResult(x=list(best.get_x()), fun=float(value) if value is not None else math.inf,
                          nfev=calls[0], decisions=best.get_decisions())


def _positive_int(value: object) -> bool:
    """An int (numpy's included), not a bool, at least 1."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and int(value) >= 1


def _regions(bounds: Sequence[Sequence[float]]) -> List[List[float]]:
    """``bounds`` as ``Dimension``'s regions, each checked: two finite numbers, low ≤ high."""
    if isinstance(bounds, (str, bytes)) or not hasattr(bounds, "__len__") or len(bounds) == 0:
        raise ValueError("bounds must be a non-empty sequence of (low, high) pairs, got %r" % (bounds,))
    regions = []
    for i, pair in enumerate(bounds):
        try:
            low, high = (float(v) for v in pair)
        except (TypeError, ValueError):
            raise ValueError("bounds[%d] must be a (low, high) pair of numbers, got %r" % (i, pair)) from None
        if not (math.isfinite(low) and math.isfinite(high) and low <= high):
            raise ValueError("bounds[%d] must be finite with low <= high, got %r" % (i, pair))
        regions.append([low, high])
    return regions
