"""``Opt.min``: ZOOpt's entry point, dispatching to the Rust optimizers."""

from __future__ import annotations

import json
import math
import warnings
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Union, cast

from . import _native, _spec
from .parameter import UnsupportedParameter, default_isolation
from .solution import Solution

if TYPE_CHECKING:
    from .dimension import Dimension, Dimension2
    from .distributed import _RayResult
    from .objective import Objective, ObjectiveFunc
    from .parameter import Parameter

__all__ = ["Opt", "OptContent"]

_PREFIX = "[zoo_opt] "


class OptContent:
    """What a ZOOpt stopping criterion's ``check(optcontent)`` receives: the best solution
    so far, the evaluation count and budget, and (SRACOS and RACOS) copies of the current
    training sets: ``get_positive_data()`` (best first), ``get_negative_data()`` and
    ``get_data()`` (both, positives first). With those algorithms ``Opt.min`` consults the
    criterion once the sets are formed (after the first ``train_size`` values), as ZOOpt."""

    __slots__ = ("_best", "evaluations", "budget", "_view", "_sets")

    def __init__(self, best: Solution, evaluations: int, budget: int, view: Any = None) -> None:
        self._best = best
        self.evaluations: int = evaluations
        self.budget: int = budget
        self._view = view
        self._sets: Optional[Tuple[List[Solution], List[Solution]]] = None

    def get_best_solution(self) -> Solution:
        return self._best

    def _training(self) -> Tuple[List[Solution], List[Solution]]:
        if self._sets is None:
            sets = self._view.sets() if self._view is not None else None
            if sets is None:
                raise UnsupportedParameter("this algorithm keeps no training sets (only SRACOS and RACOS do); "
                                           "use get_best_solution(), evaluations and budget")
            self._sets = sets
        return self._sets

    def get_positive_data(self) -> List[Solution]:
        return self._training()[0]

    def get_negative_data(self) -> List[Solution]:
        return self._training()[1]

    def get_data(self) -> List[Solution]:
        positive, negative = self._training()
        return positive + negative


def _rules(parameter: Parameter, budget: int, seed: int, threads: int = 1) -> _native.RunRules:
    """The native run rules: budget, seed, target, time limit, criterion, progress."""
    kwargs: Dict[str, Any] = {}
    target, time_budget = parameter.get_terminal_value(), parameter.get_time_budget()
    if target is not None:
        kwargs["target"] = float(target)
    if time_budget is not None:
        kwargs["time_limit"] = float(time_budget)
    criterion = _spec.stopping_criterion(parameter)
    if criterion is not None:
        def check(evaluations: int, x: Any, value: float, view: Any = None, _c: Any = criterion) -> bool:
            if view is not None and view.formed() is False:
                return False  # ZOOpt consults criteria once the training sets exist
            return bool(_c.check(OptContent(Solution(x, value), evaluations, budget, view)))
        kwargs["criterion"] = check
    if parameter.x_type != "list" or parameter.reuse_solution:
        kwargs["x_type"] = parameter.x_type
        kwargs["reuse_solution"] = parameter.reuse_solution
    if parameter.get_intermediate_result():
        def report(evaluations: int, x: Any, value: float) -> None:
            print("%sbudget %d, fx result: %r" % (_PREFIX, evaluations, value))
            print("%sx: %r" % (_PREFIX, x))
        kwargs["progress"] = report
        kwargs["progress_every"] = parameter.get_intermediate_freq()
    return _native.RunRules(budget=budget, seed=seed, threads=threads, **kwargs)


def _attach_best(error: BaseException, objective: Objective) -> None:
    """Turns the native run's private attributes into ``best_solution`` (documented) and
    appends the partial history to the objective."""
    history = getattr(error, "_zoo_history", None)
    if history is not None:
        objective.get_history().extend(history)
    best = getattr(error, "_zoo_best", None)
    try:
        # Documented attributes of the objective's exception: dynamic by nature.
        error.best_solution = Solution(best[0], best[1]) if best is not None else None  # type: ignore[attr-defined]
        error.evaluations = getattr(error, "_zoo_evaluations", 0)  # type: ignore[attr-defined]
        for name in ("_zoo_best", "_zoo_history", "_zoo_evaluations"):
            if hasattr(error, name):
                delattr(error, name)
    except (AttributeError, TypeError):  # an exception type without attributes
        pass


def _init_samples(parameter: Parameter) -> Tuple[List[List[Any]], List[Tuple[List[Any], float]]]:
    points: List[List[Any]] = []
    evaluated: List[Tuple[List[Any], float]] = []
    for s in parameter.get_init_samples() or []:
        if isinstance(s, Solution):
            v = s.get_value()
            if v is None or (isinstance(v, float) and math.isnan(v)):
                points.append(list(s.get_x()))
            else:
                evaluated.append((list(s.get_x()), float(v)))
        else:
            points.append(list(s))
    return points, evaluated


def _check_objective(objective: Objective) -> None:
    if objective.get_func() is None or not callable(objective.get_func()):
        raise TypeError("the objective has no callable function")


class _Hooked:
    """The objective's function with its inherit hooks: each solution gets ``attach =
    inherit(None)`` before the call (ZOOpt builds every sample with ``construct_solution(x)``,
    no parent) and ``post_attach = post_inherit()`` after it. Remembers both per point so the
    returned solution carries those of its evaluation."""

    def __init__(self, objective: Objective) -> None:
        self._func = cast("ObjectiveFunc", objective.get_func())
        self._inherit = objective.get_inherit_func()
        self._post_inherit = objective.get_post_inherit_func()
        self.attachments: Dict[Tuple[Any, ...], Tuple[Any, Any]] = {}

    def __call__(self, solution: Solution) -> Any:
        attach = self._inherit(None)
        solution.set_attach(attach)
        value = self._func(solution)
        post = self._post_inherit()
        solution.set_post_attach(post)
        self.attachments[_key(solution.get_x())] = (attach, post)
        return value

    def dress(self, solution: Solution) -> Solution:
        attach, post = self.attachments.get(_key(solution.get_x()), (None, None))
        solution.set_attach(attach)
        solution.set_post_attach(post)
        return solution


def _key(x: Any) -> Tuple[Any, ...]:
    return tuple(x.tolist() if hasattr(x, "tolist") else x)


def _objective_function(objective: Objective, parameter: Parameter) -> Tuple[Any, Optional[_Hooked]]:
    """The callable a run evaluates: the function itself, or wrapped with its hooks."""
    if not objective._has_custom_hooks():
        return objective.get_func(), None
    if parameter.get_parallel() and _backend(parameter) == "ray":
        raise UnsupportedParameter("inherit hooks with Ray: the attachments are made in the workers and "
                                   "cannot reach the returned solution; use parallel_backend='threads'")
    hooked = _Hooked(objective)
    return hooked, hooked


def _threads(parameter: Parameter) -> int:
    if not parameter.get_parallel():
        return 1
    n = int(parameter.get_server_num())
    if n < 1:
        raise ValueError("server_num must be at least 1, got %d" % n)
    return n


class Opt:
    """ZOOpt's ``Opt``: ``Opt.min(objective, parameter)`` returns the best ``Solution``."""

    @staticmethod
    def min(objective: Objective, parameter: Parameter) -> Solution:
        """Minimizes ``objective`` with the settings of ``parameter``.

        ``algorithm='cmaes'`` runs CMA-ES (IPOP restarts, zoo-cmaes); ``algorithm='tpe'`` the
        tree-structured Parzen estimator (zoo-tpe, optuna's default settings with independent
        densities: for budgets of tens to hundreds of evaluations); ``algorithm='de'``
        differential evolution (zoo-de: multimodal functions of 2–3 coordinates with hundreds
        of evaluations per coordinate); ``algorithm='auto'``
        lets zoo choose (zoo-auto: a 9-evaluation probe for separability and noise, then
        CMA-ES alone on coupled or noisy problems and SRACOS raced against sep-CMA-ES on
        separable ones; CMA-ES with twice its population under ``noise_handling``; an
        embedding for very large boxes; POSS with a constraint). Otherwise the algorithm follows ZOOpt's dispatch: a constraint
        selects POSS (PONSS with
        ``noise_handling=True, ponss=True``); otherwise SRACOS (``sequential=False``:
        RACOS), with re-sampling or value suppression under ``noise_handling``, through a
        sequential random embedding under ``high_dim_handling`` and ``reducedim``, and on
        ``server_num`` parallel workers with ``parallel=True``.

        An exception raised by the objective propagates unchanged, with the best solution
        found before it as ``best_solution`` (``None`` if nothing was evaluated) and the
        evaluation count as ``evaluations``.
        """
        _check_objective(objective)
        objective.parameter_set(parameter)
        algorithm: Optional[str] = parameter.get_algorithm()
        algorithm = algorithm.lower() if isinstance(algorithm, str) else algorithm
        known = (None, "poss") + _spec.SAMPLER_ALGORITHMS
        if algorithm not in known:
            raise ValueError("unknown algorithm %r: use one of %s" % (
                parameter.get_algorithm(), ", ".join(repr(a) for a in known[1:])))
        if objective.get_constraint() is not None and algorithm in (None, "poss", "auto"):
            return _min_subset(objective, parameter)
        if algorithm == "poss":
            raise ValueError("algorithm='poss' needs an Objective with a constraint")
        if objective.get_constraint() is not None and algorithm != "ssracos":
            raise ValueError("a constraint is only used by POSS; algorithm=%r cannot use it" % algorithm)
        return _min_racos(objective, parameter)

    @staticmethod
    def set_global(parameter: Parameter) -> None:
        """ZOOpt's global settings, applied as ZOOpt applies them at the start of ``Opt.min``:
        a seed seeds numpy's global generator (runs take their seed from the parameter
        itself); a precision is kept in ``zoo_opt.utils.zoo_global.gl``."""
        from .utils.zoo_global import gl

        precision, seed = parameter.get_precision(), parameter.get_seed()
        if precision:
            gl.set_precision(precision)
        if seed is not None:
            gl.set_seed(seed)


def _backend(parameter: Parameter) -> str:
    backend = parameter.parallel_backend
    if backend not in ("auto", "threads", "ray"):
        raise ValueError("parallel_backend must be 'auto', 'threads' or 'ray', got %r" % (backend,))
    if backend == "auto":
        from .distributed import ray_is_active
        backend = "ray" if parameter.get_parallel() and ray_is_active() else "threads"
    return backend


def _values_as_returned(result: Any) -> Tuple[List[Any], Any]:
    """The history and the best value in the type the objective returned them: floats, or
    arrays shaped like the first array it returned (ZOOpt's noisy examples return
    one-element arrays and index the values)."""
    like = getattr(result, "value_like", None)
    if like is None:
        return result.history, result.value
    try:
        import numpy as np

        dtype = np.asarray(like).dtype
        if dtype.kind != "f":  # averages of integers are not integers
            dtype = np.dtype(np.float64)
        shape = np.shape(like)
        return ([np.full(shape, v, dtype=dtype) for v in result.history],
                np.full(shape, result.value, dtype=dtype))
    except Exception as e:  # an array type numpy cannot read: the values stay floats, loudly
        warnings.warn("the objective returned %s values, reported as floats (%s)" % (type(like).__name__, e),
                      stacklevel=3)
        return result.history, result.value


def _fast_bridge_unsupported(parameter: Parameter, where: str) -> None:
    if parameter.x_type != "list" or parameter.reuse_solution:
        raise UnsupportedParameter("x_type and reuse_solution apply to runs on threads; %s hands lists to the "
                                   "objective" % where)


def _custom_resample(objective: Objective, parameter: Parameter, spec: Dict[str, Any], ray: bool
                     ) -> Optional[Any]:
    """The objective's own ``resample_func`` when value suppression will call it."""
    if not objective._has_custom_resample():
        return None
    if "suppression" not in spec:
        raise UnsupportedParameter("resample_func is only called by value suppression (noise_handling=True, "
                                   "suppression=True); ZOOpt ignores it otherwise")
    if "embedding" in spec:
        raise UnsupportedParameter("a custom resample_func under a random embedding: the re-estimates are of "
                                   "embedded points, which ZOOpt too hands to it in the low dimension")
    if ray or _threads(parameter) > 1:
        raise UnsupportedParameter("a custom resample_func needs a sequential run: with parallel workers the "
                                   "re-estimates are not told apart from new points")
    return objective.get_resample_func()


def _min_racos(objective: Objective, parameter: Parameter) -> Solution:
    budget = _spec.integer_budget(parameter.get_budget_calls())
    spec, categories = _spec.engine_spec(objective.get_dim(), parameter, budget)
    seed = _spec.resolve_seed(parameter.get_seed())
    points, evaluated = _init_samples(parameter)
    ray = parameter.get_parallel() and _backend(parameter) == "ray"
    if ray:
        _fast_bridge_unsupported(parameter, "Ray")
    rules = _rules(parameter, budget, seed, 1 if ray else _threads(parameter))
    result: Union[_native.RunResult, _RayResult]
    func, hooked = _objective_function(objective, parameter)
    resample = _custom_resample(objective, parameter, spec, ray)
    try:
        if ray:
            from .distributed import min_on_ray  # Ray is optional: imported only here
            result = min_on_ray(objective, parameter, spec, categories, rules, points, evaluated)
        else:
            result = _native.minimize(_spec.dumps(spec), categories, func, Solution, rules,
                                      init=points, init_evaluated=evaluated, resample=resample,
                                      training_view=rules.criterion is not None)
    except BaseException as e:
        _attach_best(e, objective)
        raise
    history, value = _values_as_returned(result)
    objective.get_history().extend(history)
    x = result.x
    if "embedding" in spec:
        x = _spec.float_array(x)  # ZOOpt's embedding results hold numpy arrays
    decisions = json.loads(result.decisions) if result.decisions is not None else None
    solution = Solution(x, value, decisions=decisions, stop=result.stop)
    return hooked.dress(solution) if hooked is not None else solution


def _subset_size(dim: Union[Dimension, Dimension2, None]) -> int:
    specs, _ = _spec.space_specs(dim)
    for i, s in enumerate(specs):
        if s["kind"] != "int" or (s["lo"], s["hi"]) != (0, 1):
            raise ValueError("POSS needs a binary search space (every coordinate discrete in [0, 1]); "
                             "coordinate %d is %r" % (i, s))
    return len(specs)


def _min_subset(objective: Objective, parameter: Parameter) -> Solution:
    import numpy as np  # POSS hands numpy arrays to the objective, as ZOOpt does

    n = _subset_size(objective.get_dim())
    budget = _spec.integer_budget(parameter.get_budget_calls())
    _fast_bridge_unsupported(parameter, "POSS")
    if parameter.get_precision():
        raise UnsupportedParameter("precision sets how the RACOS family detects repeated points; POSS does "
                                   "not use it (neither does ZOOpt's)")
    ponss = None
    if parameter.get_noise_handling() and parameter.get_ponss():
        theta, b = parameter.get_ponss_theta(), parameter.get_ponss_b()
        if theta is None or b is None:
            raise ValueError("PONSS needs ponss_theta and ponss_b")
        ponss = (float(theta), int(b))
    elif parameter.get_ponss() and not parameter.get_noise_handling():
        raise UnsupportedParameter("ponss=True needs noise_handling=True (ZOOpt ignores it without)")
    if parameter.get_parallel():
        raise UnsupportedParameter("parallel POSS is not supported (ZOOpt has none either)")
    if parameter.get_init_samples():
        raise UnsupportedParameter("init_samples are not used by POSS")
    seed = _spec.resolve_seed(parameter.get_seed())
    rules = _rules(parameter, budget, seed)
    func, hooked = _objective_function(objective, parameter)
    constraint = cast("ObjectiveFunc", objective.get_constraint())  # POSS was chosen for it
    try:
        isolation = parameter.get_isolationFunc()
        result = _native.minimize_subset(n, func, constraint, Solution, np.array, rules, ponss=ponss,
                                         isolation=None if isolation is default_isolation else isolation)
    except BaseException as e:
        _attach_best(e, objective)
        raise
    history, _ = _values_as_returned(result)
    objective.get_history().extend(history)
    # ZOOpt's POSS solutions carry [loss, constraint value].
    solution = Solution(result.x, [result.value, float(constraint(Solution(result.x)))])
    return hooked.dress(solution) if hooked is not None else solution
