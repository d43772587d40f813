"""``minimize``: one call for a function of numbers in a box, as scipy, pycma and nevergrad
users write it, with zoo's automatic choice of algorithm by default."""

from __future__ import annotations

import math
import numbers
import operator
from dataclasses import dataclass
from typing import (TYPE_CHECKING, Any, Callable, Collection, Generic, Iterable, List, Literal, Optional,
                    Protocol, SupportsFloat, SupportsIndex, TypeVar, Union, cast, get_args, overload)

from .dimension import Dimension
from .objective import Objective
from .opt import Opt
from .parameter import Parameter
from .solution import Solution
from .types import StopReason, XType

try:
    import numpy as np
except ImportError:  # numpy is optional
    np = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["minimize", "MinimizeResult", "MinimizeAlgorithm"]


class LowsAndHighs(Protocol):
    """Bounds as scipy's ``Bounds`` holds them: an array of lows ``lb`` and one of highs
    ``ub``."""

    @property
    def lb(self) -> Any: ...

    @property
    def ub(self) -> Any: ...


#: What ``minimize`` takes as ``bounds``: ``(low, high)`` pairs, one per coordinate, or an
#: object with arrays ``lb`` and ``ub`` (``scipy.optimize.Bounds``).
BoxBounds = Union[Collection[Iterable[SupportsFloat]], LowsAndHighs]

#: The algorithms ``minimize`` runs.
MinimizeAlgorithm = Literal["auto", "cmaes", "tpe", "de", "sracos", "ssracos"]
_ALGORITHMS = get_args(MinimizeAlgorithm)
#: The largest budget the run ledger counts.
_MAX_BUDGET = 2**63 - 1

#: The type of ``MinimizeResult.x``: a list, or a float array under ``x_type="numpy"``; a
#: bare ``MinimizeResult`` annotation means the list (PEP 696's default, for type checkers).
if TYPE_CHECKING:
    from typing_extensions import TypeVar as DefaultingTypeVar
    _X = DefaultingTypeVar("_X", default=List[float])
else:
    _X = TypeVar("_X")


@dataclass(frozen=True, eq=False)
class MinimizeResult(Generic[_X]):
    """What ``minimize`` found: the recommended point ``x`` (a list, ints at integer
    coordinates; under ``x_type="numpy"`` a one-dimensional float array, as scipy returns
    it, integer coordinates holding whole floats);
    its value ``fun`` (the lowest value the function returned, except under
    ``noisy=True`` and with ``"ssracos"``, where it is the average of fresh re-evaluations
    of the recommended point); the number of calls of the function ``nfev``; and, for
    ``algorithm="auto"``, the choices it made (``decisions``, as ``Solution.get_decisions``;
    ``None`` for the other algorithms); and why the run stopped (``stop``: ``"budget"``,
    ``"target"``, ``"time_limit"``, or ``"exhausted"`` when a small discrete space had no
    unseen point left)."""

    x: _X
    fun: float
    nfev: int
    decisions: Optional[List[Any]]
    stop: Optional[StopReason] = None

    def __eq__(self, other: object) -> bool:
        # Field by field, as a dataclass compares, but an array ``x`` as one value (the
        # generated comparison would ask an array of booleans for its truth).
        if other.__class__ is not self.__class__:
            return NotImplemented
        mine: Any = self.x
        theirs: Any = other.x
        arrays = [np is not None and isinstance(x, np.ndarray) for x in (mine, theirs)]
        same_x = np.array_equal(mine, theirs) if all(arrays) else not any(arrays) and mine == theirs
        return bool(same_x) and (self.fun, self.nfev, self.decisions, self.stop) == (
            other.fun, other.nfev, other.decisions, other.stop)


@overload
def minimize(fun: Callable[[List[float]], SupportsFloat], bounds: BoxBounds,
             budget: SupportsIndex, *, algorithm: MinimizeAlgorithm = ...,
             integer: Optional[Collection[object]] = ..., x0: Optional[Iterable[SupportsFloat]] = ...,
             seed: Optional[SupportsIndex] = ..., noisy: bool = ..., target: Optional[float] = ...,
             time_limit: Optional[float] = ..., workers: SupportsIndex = ..., x_type: Literal["list"] = ...
             ) -> MinimizeResult[List[float]]: ...


@overload
def minimize(fun: Callable[[NDArray[np.float64]], SupportsFloat], bounds: BoxBounds,
             budget: SupportsIndex, *, algorithm: MinimizeAlgorithm = ...,
             integer: Optional[Collection[object]] = ..., x0: Optional[Iterable[SupportsFloat]] = ...,
             seed: Optional[SupportsIndex] = ..., noisy: bool = ..., target: Optional[float] = ...,
             time_limit: Optional[float] = ..., workers: SupportsIndex = ..., x_type: Literal["numpy"]
             ) -> MinimizeResult[NDArray[np.float64]]: ...


def minimize(fun: Callable[[Any], SupportsFloat], bounds: BoxBounds,
             budget: SupportsIndex, *, algorithm: MinimizeAlgorithm = "auto",
             integer: Optional[Collection[object]] = None, x0: Optional[Iterable[SupportsFloat]] = None,
             seed: Optional[SupportsIndex] = None, noisy: bool = False, target: Optional[float] = None,
             time_limit: Optional[float] = None, workers: SupportsIndex = 1, x_type: XType = "list"
             ) -> MinimizeResult[Any]:
    """Minimizes ``fun(x)`` over the box ``bounds`` (one ``(low, high)`` pair per
    coordinate, both reachable) in at most ``budget`` calls.

    ``fun`` receives a list of numbers (floats; ints at integer coordinates) and returns a
    number (a float, an int, a numpy scalar or a one-element array; NaN counts as +inf).
    With ``x_type="numpy"`` it receives a new one-dimensional float array instead, as scipy
    and pycma hand it (integer coordinates then hold whole floats), and ``result.x`` is
    such an array too.
    ``algorithm`` is ``"auto"`` (zoo chooses from the space, the budget and what a
    9-evaluation probe finds; see the docs' "Which algorithm?"), ``"cmaes"`` (CMA-ES, IPOP
    restarts), ``"tpe"`` (the tree-structured Parzen estimator, for tens to hundreds of
    calls), ``"de"`` (differential evolution, for multimodal functions of 2–3 coordinates
    with hundreds of calls per coordinate), ``"sracos"`` or ``"ssracos"`` (SRACOS with value
    suppression). ``integer[i]``
    true makes coordinate ``i`` an integer in its bounds (ordered: 3 lies between 2 and 4).
    ``x0`` is evaluated first, as the first of the ``budget`` calls. ``noisy=True`` tells
    ``"auto"`` that two calls at one point may differ (it then runs CMA-ES with twice its
    population and recommends by fresh re-evaluations). The run stops early once a value at
    or below ``target`` is seen, after ``time_limit`` seconds, or when a small discrete
    space has no unseen point left. ``workers > 1`` evaluates on that many threads (or Ray
    tasks when Ray is initialized), for functions that wait on I/O, a subprocess or a
    remote service. With ``workers=1``, ``seed`` makes the run reproducible: the same seed,
    the same points (with more workers, the order in which calls finish decides too).
    During a seeded run numpy's global generator is seeded too (draws ``fun`` makes from
    ``np.random`` repeat with the seed); ``minimize`` puts it back as it found it.

    Bad input raises ``ValueError`` (``TypeError`` for a ``fun`` that is not callable)
    before the first call. An exception raised by ``fun`` propagates unchanged, carrying
    the best solution found before it (``best_solution``) and the number of calls that
    completed (``evaluations``).

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
    kinds = _integer_flags(integer, n)
    calls = _count(budget, "budget")
    if calls > _MAX_BUDGET:
        raise ValueError("budget must be at most 2**63 - 1, got %r" % (budget,))
    threads = _count(workers, "workers")
    run_seed = None if seed is None else _index(seed)
    if seed is not None and (run_seed is None or not 0 <= run_seed < 2**64):
        raise ValueError("seed must be an int in [0, 2**64) or None, got %r" % (seed,))
    if type(noisy).__name__ not in ("bool", "bool_"):
        raise ValueError("noisy must be True or False, got %r" % (noisy,))
    name = str(algorithm).lower()
    if name not in _ALGORITHMS:
        raise ValueError("unknown algorithm %r: use one of %s" % (algorithm, ", ".join(map(repr, _ALGORITHMS))))
    if noisy and name != "auto":
        raise ValueError("noisy=True is a hint to algorithm='auto'; for %r choose the noise handling with "
                         "Opt.min and Parameter(noise_handling=True, resampling=... or suppression=...)"
                         % (algorithm,))
    if x_type not in ("list", "numpy"):
        raise ValueError("x_type must be 'list' or 'numpy', got %r" % (x_type,))
    if x_type == "numpy" and np is None:
        raise ValueError("x_type='numpy' needs numpy installed")
    start = None if x0 is None else [_point(x0, regions, kinds)]
    dim = Dimension(n, regions, [not t for t in kinds], [True] * n)
    if x_type == "numpy":
        objective = Objective(lambda solution: fun(np.array(solution.get_x(), dtype=float)), dim)
    else:
        objective = Objective(lambda solution: fun(solution.get_x()), dim)
    parameter = Parameter(algorithm=cast(MinimizeAlgorithm, name), budget=calls, seed=run_seed,
                          init_samples=start, noise_handling=noisy, terminal_value=target,
                          time_budget=time_limit, parallel=threads > 1, server_num=threads)
    # Parameter seeds numpy's global generator, as ZOOpt does; minimize leaves it as it was.
    saved = np.random.get_state() if np is not None and run_seed is not None else None
    try:
        best: Solution = Opt.min(objective, parameter)
    finally:
        if saved is not None:
            np.random.set_state(saved)
    # The history counts every call, re-evaluations included, wherever it ran.
    x: Any = np.array(best.get_x(), dtype=float) if x_type == "numpy" else list(best.get_x())
    return MinimizeResult(x=x, fun=_as_float(best.get_value()),
                          nfev=len(objective.get_history()), decisions=best.get_decisions(),
                          stop=best.get_stop_reason())


def _index(value: object) -> Optional[int]:
    """``value`` as an int when it is one (numpy's included), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, SupportsIndex)):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _count(value: object, name: str) -> int:
    """A positive int, or ``ValueError`` naming the argument."""
    count = _index(value)
    if count is None or count < 1:
        raise ValueError("%s must be a positive int, got %r" % (name, value))
    return count


def _integer_flags(integer: Optional[Collection[object]], n: int) -> List[bool]:
    """One bool per coordinate (bools, numpy bools, 0 or 1)."""
    if integer is None:
        return [False] * n
    try:
        flags = list(integer) if not isinstance(integer, (str, bytes)) else None
    except TypeError:
        flags = None
    flag_like = flags is not None and all(
        (isinstance(t, numbers.Integral) or type(t).__name__ in ("bool", "bool_")) and t in (0, 1) for t in flags)
    if flags is None or len(flags) != n or not flag_like:
        raise ValueError("integer must hold one bool per coordinate (%d), got %r" % (n, integer))
    return [bool(t) for t in flags]


def _point(x0: Iterable[SupportsFloat], regions: List[Any], integer: List[bool]) -> List[Any]:
    """``x0`` as a list of numbers, one per region, kept as given; each inside its
    region, and a whole number at an integer coordinate."""
    n = len(regions)
    try:
        point = list(x0) if not isinstance(x0, (str, bytes)) else None
        for v in point or []:
            float(v)
    except (TypeError, ValueError, OverflowError):
        point = None
    if point is None:
        raise ValueError("x0 must be a sequence of %d numbers, got %r" % (n, x0))
    if len(point) != n:
        raise ValueError("x0 has %d coordinates, bounds %d" % (len(point), n))
    for i, (v, (lo, hi), whole) in enumerate(zip(point, regions, integer)):
        if not lo <= float(v) <= hi:
            raise ValueError("x0[%d] = %r lies outside its bounds [%r, %r]" % (i, v, lo, hi))
        if whole and float(v) != math.floor(float(v)):
            raise ValueError("x0[%d] = %r must be a whole number: coordinate %d is an integer" % (i, v, i))
    return point


def _as_float(value: Any) -> float:
    """The recommended value as a float: ``inf`` when nothing was told, a one-element array
    (as the function returned it) unwrapped."""
    if value is None:
        return math.inf
    if getattr(value, "ndim", 0):
        value = value.item()
    return float(value)


def _regions(given: BoxBounds) -> List[List[float]]:
    """``bounds`` as ``Dimension``'s regions, each checked: two finite numbers, low < high."""
    bounds: Any = given
    if hasattr(given, "lb") and hasattr(given, "ub"):
        try:
            lows, highs = list(given.lb), list(given.ub)
        except TypeError:
            lows = highs = []
        if not lows or len(lows) != len(highs):
            raise ValueError("bounds.lb and bounds.ub must be arrays of one number per coordinate, got %r and "
                             "%r" % (given.lb, given.ub))
        bounds = list(zip(lows, highs))
    if isinstance(bounds, (str, bytes)) or not hasattr(bounds, "__len__") or len(bounds) == 0:
        raise ValueError("bounds must be a non-empty sequence of (low, high) pairs, got %r" % (bounds,))
    regions = []
    for i, pair in enumerate(bounds):
        try:
            low, high = (float(v) for v in pair)
        except (TypeError, ValueError, OverflowError):
            raise ValueError("bounds[%d] must be a (low, high) pair of numbers, got %r" % (i, pair)) from None
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            hint = ("; bounds are (low, high) pairs, one per coordinate: for arrays of lows and highs "
                    "pass list(zip(lows, highs))") if low == high else ""
            raise ValueError("bounds[%d] must be finite with low < high, got %r%s" % (i, pair, hint))
        if not math.isfinite(high - low):
            raise ValueError("bounds[%d] is wider than floats hold, got %r" % (i, pair))
        regions.append([low, high])
    return regions
