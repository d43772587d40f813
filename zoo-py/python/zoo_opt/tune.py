"""A Ray Tune searcher backed by the Rust SRACOS: ``ZooSearch``.

    from ray import tune
    from zoo_opt.tune import ZooSearch

    tuner = tune.Tuner(
        train_fn,
        param_space={"lr": tune.loguniform(1e-4, 1e-1), "layers": tune.randint(1, 9),
                     "act": tune.choice(["relu", "tanh", "gelu", "silu"])},
        tune_config=tune.TuneConfig(search_alg=ZooSearch(budget=50, seed=1), metric="loss", mode="min",
                                    num_samples=50),
    )

What it fixes against Ray's ``ZOOptSearch`` (ZOOpt's ``SRacosTune``): every categorical
value is reachable (ZOOpt proposes only the first two, B1), strictly sequential use works
(``max_concurrent_trials=1`` hung, B8), NaN and infinite results are ranked last instead of
recursing forever, failed trials count as the worst value, already-evaluated
``points_to_evaluate`` are used, and the searcher saves and restores its whole state.

Search space: ``tune.uniform``/``quniform`` (continuous, or a grid of ``q`` steps),
``tune.loguniform`` (searched on the log scale), ``tune.randint``/``qrandint``/``lograndint``
(integers), ``tune.choice`` (any values; searched as unordered labels). Normal
distributions and ``grid_search`` are refused with a ``ValueError``.
"""

from __future__ import annotations

import copy
import math
import pickle
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union, cast

from ray.tune.search import Searcher
from ray.tune.search.sample import Categorical, Float, Integer, LogUniform, Quantized, Uniform
from ray.tune.search.variant_generator import parse_spec_vars

from .dimension import Dimension2, ValueType
from .optimizer import Optimizer
from .parameter import Parameter

__all__ = ["ZooSearch"]


class _Coordinate:
    """One Tune domain as a ``Dimension2`` entry, with the way back to a Tune value."""

    def __init__(self, path: Sequence[Any], domain: Any) -> None:
        self.path: Tuple[Any, ...] = tuple(path)
        sampler = domain.get_sampler()
        self.q: Any = None
        if isinstance(sampler, Quantized):
            self.q, sampler = sampler.q, sampler.sampler
        # Uniform on the log scale: any base gives the same distribution.
        self.log_base: Optional[float] = math.e if isinstance(sampler, LogUniform) else None
        self.categories: Any = None  # the list of values of a choice domain
        if isinstance(domain, Categorical) and isinstance(sampler, Uniform):
            self.kind: str = "choice"
            self.categories = list(domain.categories)
            # Labels 0..n-1: the categories themselves need not be comparable.
            self.entry: Tuple[Any, ...] = (ValueType.GRID, list(range(len(self.categories))))
        elif isinstance(domain, (Float, Integer)) and isinstance(sampler, (Uniform, LogUniform)):
            self.kind = "int" if isinstance(domain, Integer) else "float"
            lo, hi = domain.lower, domain.upper
            if self.kind == "int" and self.q is None:
                hi = hi - 1  # Tune's integer upper bound is exclusive (inclusive for qrandint)
            if self.log_base is not None:
                if self.q is not None:
                    raise ValueError("%s: quantized log-uniform domains are not supported" % "/".join(self.path))
                self.entry = (ValueType.CONTINUOUS, [math.log(lo, self.log_base), math.log(hi, self.log_base)], None)
            elif self.q is not None:
                # A grid of q steps, searched as ordered integers k with value k*q.
                self.entry = (ValueType.DISCRETE, [math.ceil(lo / self.q), math.floor(hi / self.q)], True)
            elif self.kind == "int":
                self.entry = (ValueType.DISCRETE, [int(lo), int(hi)], True)
            else:
                self.entry = (ValueType.CONTINUOUS, [float(lo), float(hi)], None)
        else:
            raise ValueError("%s: ZooSearch does not support %s domains with a %s sampler"
                             % ("/".join(self.path), type(domain).__name__, type(sampler).__name__))

    def to_tune(self, v: Any) -> Any:
        if self.kind == "choice":
            return self.categories[v]
        if self.log_base is not None:
            value = self.log_base ** v
            return int(round(value)) if self.kind == "int" else value
        if self.q is not None:
            value = v * self.q
            return int(round(value)) if self.kind == "int" else value
        return int(v) if self.kind == "int" else float(v)

    def from_tune(self, value: Any) -> Union[int, float]:
        if self.kind == "choice":
            for i, c in enumerate(self.categories):
                if c == value:
                    return i
            raise ValueError("%s: %r is not one of %r" % ("/".join(self.path), value, self.categories))
        if self.log_base is not None:
            return math.log(value, self.log_base)
        if self.q is not None:
            return int(round(value / self.q))
        return int(value) if self.kind == "int" else float(value)


def _get(config: Any, path: Sequence[Any]) -> Any:
    for key in path:
        config = config[key]
    return config


def _set(config: Dict[Any, Any], path: Sequence[Any], value: Any) -> None:
    for key in path[:-1]:
        config = config.setdefault(key, {})
    config[path[-1]] = value


class ZooSearch(Searcher):
    """Ray Tune searcher running SRACOS (zoo's Rust implementation) by ask/tell.

    ``space``: a Tune parameter space (else the one given to the Tuner); ``metric``,
    ``mode``: as for every searcher (``mode='max'`` maximizes); ``points_to_evaluate``:
    configurations tried first (their results are told to SRACOS like any other);
    ``budget``: the number of trials SRACOS sizes its training sets for (ZOOpt's table; it
    does not stop anything — ``num_samples`` does); ``seed``; ``parameter``: a full
    :class:`~zoo_opt.Parameter` instead of ``budget``/``seed`` (RACOS, noise handling, …).

    Any number of trials may run at once. A trial that fails, or reports no value of the
    metric, NaN or infinity, counts as the worst value.
    """

    def __init__(self, space: Optional[Dict[str, Any]] = None, metric: Optional[str] = None,
                 mode: Optional[str] = None, points_to_evaluate: Optional[List[Dict[str, Any]]] = None,
                 budget: int = 100, seed: Optional[int] = None, parameter: Optional[Parameter] = None) -> None:
        super().__init__(metric=metric, mode=mode)
        if mode not in (None, "min", "max"):
            raise ValueError("mode must be 'min' or 'max', got %r" % (mode,))
        self._parameter = parameter if parameter is not None else Parameter(budget=budget, seed=seed)
        self._points = [copy.deepcopy(p) for p in (points_to_evaluate or [])]
        # Set with the search space (before any suggestion or result).
        self._coordinates: List[_Coordinate] = None  # type: ignore[assignment]
        self._optimizer: Optional[Optimizer] = None
        self._live: Dict[str, Tuple[str, Any]] = {}
        if space:
            self._setup(space)

    def _setup(self, space: Dict[str, Any]) -> None:
        resolved, domains, grids = parse_spec_vars(space)
        if grids:
            raise ValueError("ZooSearch does not take grid_search parameters")
        if not domains:
            raise ValueError("the search space has no parameter to search")
        self._coordinates = [_Coordinate(path, domain) for path, domain in domains]
        dim = Dimension2([c.entry for c in self._coordinates])
        self._optimizer = Optimizer(dim, self._parameter)

    def set_search_properties(self, metric: Optional[str], mode: Optional[str], config: Dict[str, Any],
                              **spec: Any) -> bool:
        if self._optimizer is not None:
            return False
        self._setup(config)
        if metric:
            self._metric = metric
        if mode:
            self._mode = mode
        return True

    def _config(self, x: Sequence[Any]) -> Dict[str, Any]:
        config: Dict[str, Any] = {}
        for c, v in zip(self._coordinates, x):
            _set(config, c.path, c.to_tune(v))
        return config

    def suggest(self, trial_id: str) -> Optional[Dict[str, Any]]:
        if self._optimizer is None:
            raise RuntimeError("ZooSearch has no search space: give one to ZooSearch(space=...) or to the Tuner")
        if self._points:
            point = self._points.pop(0)
            x = [c.from_tune(_get(point, c.path)) for c in self._coordinates]
            self._live[trial_id] = ("point", x)
            config: Dict[str, Any] = {}
            for c in self._coordinates:  # the values as given, not rounded through the search space
                _set(config, c.path, _get(point, c.path))
            return config
        solution = self._optimizer.ask()
        if solution is None:
            if self._optimizer.stop_reason is None:
                # Points in flight first: the rest of the budget, or values the sampler
                # needs before its next point (``auto`` ends a sweep of line searches so).
                return None
            return Searcher.FINISHED  # type: ignore[return-value]  # Ray's annotation omits it
        self._live[trial_id] = ("asked", solution)
        return self._config(solution.get_x())

    def _value(self, result: Optional[Dict[Any, Any]], error: bool) -> float:
        if error or not result or self._metric not in result:
            return math.inf
        try:
            value = float(result[self._metric])
        except (TypeError, ValueError):
            return math.inf
        if math.isnan(value):
            return math.inf
        return -value if self._mode == "max" else value

    def on_trial_complete(self, trial_id: str, result: Optional[Dict[str, Any]] = None, error: bool = False) -> None:
        live = self._live.pop(trial_id, None)
        if live is None:
            return
        cast(Optimizer, self._optimizer).tell(live[1], self._value(result, error))

    def add_evaluated_point(self, parameters: Dict[str, Any], value: float, error: bool = False, pruned: bool = False,
                            intermediate_values: Optional[List[float]] = None) -> None:
        if self._optimizer is None:
            raise RuntimeError("ZooSearch has no search space yet")
        x = [c.from_tune(_get(parameters, c.path)) for c in self._coordinates]
        self._optimizer.tell(x, self._value({self._metric: value}, error))

    def best_config(self) -> Tuple[Optional[Dict[str, Any]], Optional[float]]:
        """The best configuration told so far, and its value (in the metric's own sign)."""
        best = self._optimizer.best() if self._optimizer is not None else None
        if best is None:
            return None, None
        value = best.get_value()
        return self._config(best.get_x()), (-value if self._mode == "max" else value)

    def get_state(self) -> Dict[str, Any]:
        return {"version": 1, "metric": self._metric, "mode": self._mode, "parameter": self._parameter,
                "points": self._points, "coordinates": self._coordinates, "optimizer": self._optimizer,
                "live": self._live}

    def set_state(self, state: Dict[str, Any]) -> None:
        if state.get("version") != 1:
            raise ValueError("unsupported ZooSearch state version %r" % state.get("version"))
        self._metric, self._mode = state["metric"], state["mode"]
        self._parameter, self._points = state["parameter"], state["points"]
        self._coordinates, self._optimizer, self._live = state["coordinates"], state["optimizer"], state["live"]

    def save(self, checkpoint_path: str) -> None:
        with open(checkpoint_path, "wb") as f:
            pickle.dump(self.get_state(), f)

    def restore(self, checkpoint_path: str) -> None:
        with open(checkpoint_path, "rb") as f:
            self.set_state(pickle.load(f))
