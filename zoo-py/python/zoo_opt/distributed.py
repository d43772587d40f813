"""Distributed evaluation on Ray: the Rust sampler asks and tells in this process while the
objective runs in Ray tasks, ``server_num`` at a time, asynchronously.

Used by ``Opt.min`` when ``Parameter(parallel=True, server_num=n)`` and either
``parallel_backend='ray'`` or (the default, ``'auto'``) Ray is initialized in this process;
:class:`RayEvaluator` does the same for an ask/tell :class:`~zoo_opt.Optimizer`.

Guarantees:

- **One ledger.** The budget, the stopping rules and their reasons are those of the Rust
  run ledger (the same as in sequential and threaded runs): a point is counted once, when
  its value is told, and no more than ``budget`` points are ever in flight or told.
- **Killed workers.** A point whose worker process dies (a crash, a kill, running out of
  memory) is evaluated again, alone, up to ``retries`` times (default 3): a crashed
  worker costs time, never budget, and no evaluation is counted twice (values are counted
  when told, once per point). A point that kills its worker more often stops the run with
  :class:`WorkerCrashed`, which carries the point, the best solution so far and the
  evaluations told; it never hangs the run.
- **Stopping rules** (target, time limit, patience, criterion, Ctrl-C) are checked by the
  ledger after every told value; when one fires, evaluations still running are cancelled (not counted) and no
  task of the run is left running when the call returns. Ray's worker processes stay in
  Ray's pool, warm for the next run.
- **Exceptions** raised by the objective surface in the caller with their own type (Ray's
  ``RayTaskError`` is unwrapped), with ``best_solution`` and ``evaluations`` attached as in
  sequential runs; the other evaluations are cancelled.
"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Tuple, cast

from . import _native, _spec
from .solution import Solution

if TYPE_CHECKING:
    from .objective import Objective, ObjectiveFunc
    from .optimizer import Optimizer
    from .parameter import Parameter
    from .types import StopReason

__all__ = ["RayEvaluator", "WorkerCrashed", "min_on_ray", "ray_is_active"]

# Tasks in flight per worker: the next batch is already queued when one ends, so a worker
# never idles while the driver tells values and asks new points.
_DEPTH = 2
# Each call carries about this much work once evaluation times are known: a Ray call costs
# a few hundred microseconds of CPU spread over the driver, the raylet and the worker, so
# cheap objectives are sent in small batches; objectives slower than this go one by one.
_CALL_SECONDS = 0.025
_MAX_BATCH = 16
# At most 1/_FRESH of the budget is in flight at once, so that the sampler keeps learning.
_FRESH = 20
# How long a run that stops lets its running tasks end before cancelling them.
_CANCEL_WAIT_SECONDS = 5.0
# Evaluations of one point that may die with their worker before the run stops.
DEFAULT_RETRIES = 3


class WorkerCrashed(RuntimeError):
    """A point killed its Ray worker more often than the run's ``retries`` allow.

    ``point`` is the point, ``attempts`` how often its evaluation died; like other errors
    of a run, ``best_solution`` is the best solution found so far (or ``None``) and
    ``evaluations`` the number of values told (crashed evaluations are not counted)."""

    def __init__(self, point: List[Any], attempts: int, cause: BaseException) -> None:
        super().__init__("the evaluation of %r killed its Ray worker %d times (last: %s)"
                         % (point, attempts, type(cause).__name__))
        self.point = point
        self.attempts = attempts
        self.best_solution: Optional[Solution] = None
        self.evaluations = 0


def _check_retries(retries: Any) -> int:
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError("retries must be an integer >= 0, got %r" % (retries,))
    return retries


def ray_is_active() -> bool:
    """``True`` when Ray is imported and initialized in this process."""
    import sys
    ray = sys.modules.get("ray")
    return ray is not None and bool(ray.is_initialized())


def _ray() -> Any:
    try:
        import ray
    except ImportError as e:  # pragma: no cover - exercised without ray
        raise ImportError("parallel_backend='ray' needs Ray: pip install 'ray[tune]'") from e
    if not ray.is_initialized():
        ray.init()
    return ray


# Objectives a Ray worker process has already deserialised, by run: a task carries only
# the key and the reference (inside a list, so that Ray does not fetch it for every task).
_functions: Dict[str, Any] = {}


def _function(key: str, holder: List[Any]) -> Any:
    func = _functions.get(key)
    if func is None:
        import ray
        if len(_functions) >= 8:
            _functions.clear()
        func = _functions[key] = ray.get(holder[0])
    return func


def _evaluate_batch(key: str, holder: List[Any], xs: List[List[Any]]
                    ) -> Tuple[List[Any], float, Optional[Exception]]:
    """Values of the points ``xs`` in order, their evaluation time, and the exception that
    stopped the batch (with the values before it). Runs in a Ray worker."""
    import traceback
    values: List[Any] = []
    start = time.perf_counter()
    try:
        func = _function(key, holder)
        for x in xs:
            value = func(Solution(x))
            if isinstance(value, (str, bytes)):
                raise TypeError("the function must return a number, got %r" % (value,))
            if getattr(value, "ndim", 0):
                float(value.item())  # a one-element array: checked here, kept as it is (ZOOpt's type)
                values.append(value)
            else:
                values.append(float(value))
        return values, time.perf_counter() - start, None
    except Exception as e:
        if hasattr(e, "add_note"):
            e.add_note("in the Ray worker:\n" + traceback.format_exc())
        return values, time.perf_counter() - start, e


_task: Any = None


def _remote() -> Any:
    """The Ray task, defined once Ray is imported."""
    global _task
    if _task is None:
        # Retries are the driver's (per point, bounded): Ray reports a dead worker at once.
        _task = _ray().remote(max_retries=0, num_cpus=1)(_evaluate_batch)
    return _task


class RayEvaluator:
    """Evaluates an ask/tell :class:`~zoo_opt.Optimizer` on Ray, ``workers`` evaluations at
    a time (``resources``: Ray resource options of each task, e.g. ``{"num_gpus": 1}``); a
    point whose evaluation kills its worker is tried ``retries`` more times, then the run
    raises :class:`WorkerCrashed`.

    ``run(optimizer, budget, ...)`` keeps every worker busy, asking a new point whenever a
    value comes back, until ``budget`` values were told or a stopping rule fires; it returns
    the best solution. The optimizer keeps its own state: runs can be repeated, and the
    optimizer pickled in between.

    Example::

        ray.init(num_cpus=2)
        opt = Optimizer(dim, Parameter(budget=1000, seed=1))
        best = RayEvaluator(objective_function, workers=2).run(opt, 1000)
    """

    def __init__(self, func: Callable[[Solution], Any], workers: int = 2,
                 resources: Optional[Dict[str, Any]] = None, retries: int = DEFAULT_RETRIES) -> None:
        self._retries = _check_retries(retries)
        self._ray = _ray()
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self._func = func
        self._workers = workers
        self._task = _remote().options(**resources) if resources else _remote()

    def run(self, optimizer: Optimizer, budget: int, target: Optional[float] = None,
            time_limit: Optional[float] = None, criterion: Optional[Callable[[int, List[Any], float], object]] = None,
            history: Optional[List[float]] = None) -> Optional[Solution]:
        """Evaluates up to ``budget`` more points of ``optimizer``; returns its best ``Solution``.

        The rules replace the optimizer's own for this and later calls: ``target`` stops at a
        value at or below it, ``time_limit`` (seconds) counts the optimizer's whole run,
        ``criterion(evaluations, best_x, best_value) -> bool`` stops the run when true;
        ``history`` (a list) receives every value in the order told."""
        native = optimizer._native
        native.set_rules(_native.RunRules(budget=native.told + int(budget), seed=0, target=target,
                                          time_limit=time_limit, criterion=criterion))
        try:
            _drive(self._ray, self._task, self._func, self._workers, _Source(native),
                   history if history is not None else [], self._retries)
        except BaseException as e:
            best = getattr(e, "_zoo_best", None)
            try:
                e.best_solution = Solution(best[0], best[1]) if best is not None else None  # type: ignore[attr-defined]
                e.evaluations = getattr(e, "_zoo_evaluations", 0)  # type: ignore[attr-defined]
                for name in ("_zoo_best", "_zoo_history", "_zoo_evaluations"):
                    if hasattr(e, name):
                        delattr(e, name)
            except (AttributeError, TypeError):  # an exception type without attributes
                pass
            raise
        return optimizer.best()


class _Source:
    """Points of a native ask/tell optimizer, told back by their id."""

    def __init__(self, native: _native.AskTell) -> None:
        self._native = native

    @property
    def budget(self) -> int:
        return self._native.budget

    def next(self) -> Optional[Tuple[int, List[Any]]]:
        return self._native.ask()

    def tell(self, key: int, value: float) -> Optional[StopReason]:
        return self._native.tell_id(key, value)

    def discard(self, key: int) -> None:
        self._native.discard(key)

    def best(self) -> Optional[Tuple[List[Any], float]]:
        return self._native.best()


def _unwrap(error: BaseException) -> BaseException:
    """The user's exception inside Ray's ``RayTaskError``, when it can be rebuilt."""
    cause = getattr(error, "cause", None)
    if isinstance(cause, BaseException):
        return cause
    try:
        rebuilt: BaseException = error.as_instanceof_cause()  # type: ignore[attr-defined]  # RayTaskError
        return rebuilt
    except Exception:  # pragma: no cover - depends on Ray's version
        return error


def _drive(ray: Any, task: Any, func: Callable[[Solution], Any], workers: int, source: _Source,
           history: List[float], retries: int = DEFAULT_RETRIES, arrays: Optional[List[Any]] = None) -> int:
    """The asynchronous loop shared by ``Opt.min`` and :class:`RayEvaluator`: the source's
    ledger decides what to evaluate and when to stop. Returns the number of told
    evaluations; raises the objective's exception (or :class:`WorkerCrashed`) with the
    best attached. The first array value returned, if any, is appended to ``arrays``."""
    run_key, holder = uuid.uuid4().hex, [ray.put(func)]
    in_flight: Dict[Any, List[int]] = {}  # ObjectRef -> ids
    points: Dict[int, List[Any]] = {}  # id -> point, while in flight (for retries)
    crashes: Dict[int, int] = {}  # id -> evaluations of it that died with their worker
    told = 0
    spent = 0.0  # evaluation seconds reported by the workers
    stop = False
    failure: Optional[BaseException] = None
    # Keep the points in flight a small share of the budget, so that the sampler learns.
    cap = max(1, source.budget // (_FRESH * workers * _DEPTH))

    def batch_size() -> int:
        if told == 0:
            return 1
        return int(max(1, min(_MAX_BATCH, cap, _CALL_SECONDS // max(spent / told, 1e-9))))

    try:
        while True:
            while not stop and len(in_flight) < workers * _DEPTH:
                ids: List[int] = []
                xs: List[List[Any]] = []
                for _ in range(batch_size()):
                    item = source.next()  # None: the run is over, or the rest is in flight
                    if item is None:
                        break
                    ids.append(item[0])
                    xs.append(list(item[1]))
                if not xs:
                    break
                points.update(zip(ids, xs))
                in_flight[task.remote(run_key, holder, xs)] = ids
            if not in_flight or stop:
                break
            done, _ = ray.wait(list(in_flight), num_returns=1)
            for ref in done:
                ids = in_flight.pop(ref)
                try:
                    values, seconds, error = ray.get(ref)
                except ray.exceptions.RayTaskError as e:  # the worker code itself failed
                    values, seconds, error = [], 0.0, _unwrap(e)
                except ray.exceptions.RayError as e:  # the worker died (crash, kill, memory)
                    # Each point is tried again alone, so that the one that kills its
                    # worker is found; none is told, so no budget is spent.
                    for key in ids:
                        crashes[key] = crashes.get(key, 0) + 1
                        if crashes[key] > retries and failure is None:
                            failure = WorkerCrashed(points[key], crashes[key], e)
                    if failure is not None:
                        for key in ids:
                            points.pop(key, None)
                            source.discard(key)
                        stop = True
                        break
                    for key in ids:
                        in_flight[task.remote(run_key, holder, [points[key]])] = [key]
                    continue
                spent += seconds
                for key in ids:
                    points.pop(key, None)
                for key, value in zip(ids, values):
                    if not isinstance(value, float):
                        if arrays is not None and not arrays:
                            arrays.append(value)
                        value = float(value.item())
                    history.append(value)
                    told += 1
                    if source.tell(key, value) is not None:
                        stop = True
                for key in ids[len(values):]:
                    source.discard(key)
                if error is not None:
                    failure = error
                    stop = True
                    break
    except BaseException as e:  # KeyboardInterrupt, or an error in a criterion or callback
        failure = e
    finally:
        for ids in in_flight.values():
            for key in ids:
                try:
                    source.discard(key)
                except Exception:
                    pass
        if in_flight:
            # Evaluations still running are not counted. They are left to end by
            # themselves for a few seconds (cancelling many short tasks at once made the
            # driver process exit now and then when Ray shut down); those still running
            # after that, or all of them on Ctrl-C, are cancelled.
            refs = list(in_flight)
            pending = refs
            if not isinstance(failure, KeyboardInterrupt):
                try:
                    _, pending = ray.wait(refs, num_returns=len(refs), timeout=_CANCEL_WAIT_SECONDS)
                except Exception:
                    pending = refs
            for ref in pending:
                ray.cancel(ref, force=False)
    if failure is not None:
        best = source.best()
        try:
            # Read (and removed) by opt._attach_best.
            failure._zoo_best = best  # type: ignore[attr-defined]
            failure._zoo_evaluations = told  # type: ignore[attr-defined]
            failure._zoo_history = list(history)  # type: ignore[attr-defined]
        except (AttributeError, TypeError):
            pass
        raise failure
    return told


class _RayResult:
    """What ``Opt.min`` reads of a Ray run."""

    __slots__ = ("x", "value", "history", "evaluations", "stop", "value_like", "decisions")

    def __init__(self, x: Any, value: float, history: List[float], evaluations: int,
                 stop: Optional[StopReason], value_like: Any = None, decisions: Optional[str] = None) -> None:
        self.x, self.value, self.history, self.evaluations, self.stop = x, value, history, evaluations, stop
        self.value_like = value_like
        self.decisions = decisions


def min_on_ray(objective: Objective, parameter: Parameter, spec: Dict[str, Any],
               categories: Sequence[Optional[List[Any]]], rules: _native.RunRules, points: Sequence[Sequence[Any]],
               evaluated: Sequence[Tuple[Sequence[Any], float]]) -> _RayResult:
    """``Opt.min`` on Ray, under the native ``rules``."""
    ray = _ray()
    workers = int(parameter.get_server_num())
    if workers < 1:
        raise ValueError("server_num must be at least 1, got %d" % workers)
    retries = _check_retries(getattr(parameter, "worker_retries", DEFAULT_RETRIES))
    engine = _native.AskTell(_spec.dumps(spec), categories, rules, init=points, init_evaluated=evaluated)
    history: List[float] = []
    func = cast("ObjectiveFunc", objective.get_func())  # checked by Opt.min
    arrays: List[Any] = []
    _drive(ray, _remote(), func, workers, _Source(engine), history, retries, arrays)
    best = engine.best()
    if best is None:
        raise RuntimeError("the run ended without a solution (no point could be proposed)")
    return _RayResult(best[0], best[1], history, engine.told, engine.stop_reason, arrays[0] if arrays else None,
                      engine.decisions_json)
