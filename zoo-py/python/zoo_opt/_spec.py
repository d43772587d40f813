"""Translation of ZOOpt's ``Parameter`` (and search spaces) into the description the Rust
engine is built from. Every setting is read here; those that cannot be honoured raise
:class:`UnsupportedParameter`."""

from __future__ import annotations

import json
import math
import operator
import random
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from .dimension import Dimension, Dimension2
from .parameter import DefaultStoppingCriterion, UnsupportedParameter, default_isolation

if TYPE_CHECKING:
    from .dimension import _Specs
    from .parameter import Parameter
    from .types import StoppingCriterion

try:  # numpy is optional for the package itself
    import numpy as _np
except ImportError:  # pragma: no cover - exercised only without numpy
    _np = None  # type: ignore[assignment]


def float_array(x: Any) -> Any:
    """``x`` as a float64 numpy array (unchanged without numpy)."""
    return x if _np is None else _np.asarray(x, dtype=float)


def space_specs(dim: object) -> _Specs:
    """``(specs, categories)`` of a ``Dimension`` or ``Dimension2``."""
    if not isinstance(dim, (Dimension, Dimension2)):
        raise TypeError("the objective's dim must be a Dimension or a Dimension2, got %r" % (dim,))
    return dim._specs()


def integer_budget(budget: Optional[float], what: str = "budget") -> int:
    if budget is None or budget == 0:
        raise ValueError("%s must be set to at least 1 (ZOOpt crashes on 0)" % what)
    if not math.isfinite(budget):
        raise ValueError("%s must be a finite number, got %r" % (what, budget))
    b = int(math.ceil(budget))
    if b < 1:
        raise ValueError("%s must be at least 1, got %r" % (what, budget))
    return b


def resolve_seed(seed: Optional[int]) -> int:
    """The run's seed: ``seed`` itself (0 included), else a draw from numpy's global
    generator (so ``np.random.seed`` makes unseeded runs repeatable, as with ZOOpt), else
    from Python's. A given seed also seeds numpy's global generator, which ZOOpt does and
    which noisy objectives drawing from ``np.random`` rely on."""
    if seed is not None:
        # An int (numpy's included); ZOOpt hands the seed to numpy, which refuses others too.
        if isinstance(seed, bool) or not hasattr(seed, "__index__"):
            raise ValueError("seed must be an int, got %r" % (seed,))
        seed = operator.index(seed)
        if not 0 <= seed < 2 ** 64:
            raise ValueError("seed must be an int in [0, 2**64), got %d" % seed)
        if _np is not None:
            _np.random.seed(seed % (2 ** 32))
        return seed % (2 ** 64)
    if _np is not None:
        return int(_np.random.randint(0, 2 ** 62, dtype=_np.int64))
    return random.getrandbits(62)


def _learning(parameter: Parameter, sized: bool) -> Dict[str, Any]:
    learning: Dict[str, Any] = {
        "exploration_rate": float(parameter.get_exploration_rate()),
        "replace": parameter.replace,
    }
    if not (0.0 <= learning["exploration_rate"] <= 1.0):
        raise ValueError("exploration_rate must lie in [0, 1], got %r" % parameter.get_exploration_rate())
    if parameter.centre is not None:
        learning["centre"] = parameter.centre
    precision = parameter.get_precision()
    if precision:  # ZOOpt ignores 0 and None alike: points are then compared exactly
        if not (isinstance(precision, (int, float)) and math.isfinite(precision) and precision > 0):
            raise ValueError("precision must be a positive number, got %r" % (precision,))
        learning["duplicate_tolerance"] = float(precision)
    ub = parameter.get_uncertain_bits()
    if ub is not None:
        learning["uncertain_bits"] = int(ub)
    if not parameter.get_autoset():
        train, positive = parameter.get_train_size(), parameter.get_positive_size()
        if not train or not positive:
            raise ValueError("with autoset=False, set the sizes first: set_train_size(n) and "
                             "set_positive_size(k), k < n")
        learning["train_size"], learning["positive_size"] = int(train), int(positive)
    elif sized and parameter.get_positive_size() and parameter.get_train_size():
        # The sizes auto_set chose (ZOOpt's table, from the whole budget).
        learning["train_size"] = int(parameter.get_train_size())
        learning["positive_size"] = int(parameter.get_positive_size())
    return learning


def _box(dim: object, what: str) -> Tuple[int, Tuple[float, float]]:
    """``(lo, hi)`` shared by every coordinate of a continuous ``Dimension``."""
    specs, _ = space_specs(dim)
    bounds = {(s["lo"], s["hi"]) for s in specs if s["kind"] == "float" and "precision" not in s}
    if len(bounds) != 1 or len(specs) != sum(1 for s in specs if s["kind"] == "float"):
        raise UnsupportedParameter("%s must be a continuous Dimension with the same interval for every "
                                   "coordinate" % what)
    return len(specs), bounds.pop()


#: The algorithms of ``Parameter(algorithm=...)`` that run as one sampler (all but POSS).
SAMPLER_ALGORITHMS = ("racos", "sracos", "ssracos", "cmaes", "tpe", "de", "auto")


def engine_spec(dim: object, parameter: Parameter, budget: int, noise: bool = True
                ) -> Tuple[Dict[str, Any], List[Optional[List[Any]]]]:
    """``(spec dict, categories)`` for the RACOS family (with noise handling and
    sequential random embedding as the parameter says)."""
    specs, categories = space_specs(dim)
    if parameter.get_isolationFunc() is not default_isolation:
        raise UnsupportedParameter("set_isolationFunc: only POSS and PONSS use an isolation function (ZOOpt's "
                                   "RACOS family ignores it)")
    noise_on = parameter.get_noise_handling()
    if not noise_on and (parameter.get_resampling() or parameter.get_suppression()):
        raise UnsupportedParameter("resampling/suppression need noise_handling=True (ZOOpt ignores them "
                                   "silently without it)")
    if parameter.get_reducedim() and not parameter.get_high_dim_handling():
        raise UnsupportedParameter("reducedim=True needs high_dim_handling=True (ZOOpt ignores it without)")
    named = parameter.get_algorithm()
    algorithm = str(named or "sracos").lower()
    if algorithm not in SAMPLER_ALGORITHMS:
        raise ValueError("algorithm %r cannot run here: use one of %s (POSS runs through Opt.min with a "
                         "constraint)" % (named, ", ".join(repr(a) for a in SAMPLER_ALGORITHMS)))
    suppression = noise and noise_on and parameter.get_suppression()
    if algorithm == "ssracos":
        suppression = True
    sequential = bool(parameter.get_sequential()) or bool(parameter.get_parallel())
    embedding = parameter.get_high_dim_handling() and parameter.get_reducedim()
    if algorithm in ("cmaes", "tpe", "de", "auto"):
        # None takes SRACOS's wrappers: CMA-ES, TPE and DE run as they are (re-sampling aside),
        # and auto handles declared noise itself.
        if suppression:
            raise UnsupportedParameter("value suppression needs SRACOS; algorithm=%r cannot use it" % algorithm)
        if noise and noise_on and algorithm != "auto" and not parameter.get_resampling():
            # SRACOS keeps ZOOpt's behaviour (noise_handling alone changes nothing); these
            # algorithms are zoo's own, and a switch that does nothing is a silent surprise.
            raise UnsupportedParameter("noise_handling=True on algorithm=%r needs resampling=True (each point "
                                       "evaluated resample_times times, the average told); or use "
                                       "algorithm='auto', which handles declared noise itself" % algorithm)
        if parameter.get_precision():
            raise UnsupportedParameter("precision sets how the RACOS family detects repeated points; "
                                       "algorithm=%r does not look for repeats" % algorithm)
        if embedding:
            raise UnsupportedParameter("sequential random embedding runs SRACOS; use algorithm='sracos' "
                                       "(algorithm='auto' embeds large boxes itself)")
        auto_spec: Dict[str, Any] = {"space": specs, "algorithm": algorithm, "budget": budget,
                                     "learning": _learning(parameter, sized=False)}
        if noise and noise_on and parameter.get_resampling():
            if algorithm == "auto":
                auto_spec["resampling"] = None
            else:
                auto_spec["resampling"] = int(parameter.get_resample_times())
        if algorithm == "auto" and noise_on:
            auto_spec["noisy"] = True
        return auto_spec, categories
    spec: Dict[str, Any] = {
        "space": specs,
        "algorithm": "sracos" if sequential else "racos",
        "budget": budget,
        "learning": _learning(parameter, sized=not embedding),
    }
    if noise and noise_on and parameter.get_resampling():
        times = int(parameter.get_resample_times())
        if times < 1:
            raise ValueError("resample_times must be at least 1")
        spec["resampling"] = times
    if suppression:
        if not sequential:
            raise UnsupportedParameter("value suppression needs sequential=True (ZOOpt ignores suppression "
                                       "with batch RACOS)")
        spec["suppression"] = {
            "non_update_allowed": int(parameter.get_non_update_allowed()),
            "resample_times": int(parameter.get_resample_times()),
            "balance_rate": float(parameter.get_balance_rate()),
            "trigger": parameter.suppression_trigger,
        }
    if embedding:
        low = parameter.get_low_dimension()
        d, low_bounds = _box(low, "low_dimension") if low is not None else (10, (-1.0, 1.0))
        alpha_dim = parameter.get_withdraw_alpha()
        alpha = _box(alpha_dim, "withdraw_alpha")[1] if alpha_dim is not None else (-1.0, 1.0)
        variance = parameter.get_variance_A()
        spec["embedding"] = {
            "stages": int(parameter.get_num_sre()),
            "low_dimension": d,
            "variance": None if variance is None else float(variance),
            "alpha": list(alpha),
            "low_bounds": list(low_bounds),
        }
    return spec, categories


def dumps(spec: Dict[str, Any]) -> str:
    return json.dumps(spec, allow_nan=False)


def stopping_criterion(parameter: Parameter) -> Optional[StoppingCriterion]:
    """The user's criterion (an object with ``check(optcontent)``), or None."""
    criterion = parameter.get_stopping_criterion()
    if criterion is None or isinstance(criterion, DefaultStoppingCriterion):
        return None
    if not callable(getattr(criterion, "check", None)):
        raise TypeError("stopping_criterion must have a check(optcontent) method")
    return criterion
