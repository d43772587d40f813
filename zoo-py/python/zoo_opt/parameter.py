"""``Parameter``: every setting of ZOOpt's, with the same names and defaults.

Each one maps onto a setting of the Rust optimizers (the table is in docs/python.md).
Settings zoo cannot honour raise :class:`UnsupportedParameter` when ``Opt.min`` reads
them, instead of being ignored; so do combinations ZOOpt ignores silently (such as
``suppression=True`` without ``noise_handling=True``).
"""

from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence, Union

from . import _native
from .dimension import Dimension
from .types import Algorithm, Backend, Centre, Replace, StoppingCriterion, Trigger, XType

if TYPE_CHECKING:
    from .opt import OptContent
    from .solution import Solution

__all__ = ["Parameter", "UnsupportedParameter", "DefaultStoppingCriterion", "default_isolation"]


class UnsupportedParameter(ValueError):
    """A ZOOpt setting (or combination) this package cannot honour."""


class DefaultStoppingCriterion:
    """Never stops (ZOOpt's default)."""

    def check(self, optcontent: OptContent) -> bool:
        return False


def default_isolation(x: Any) -> int:
    """POSS's isolation function when none is set: every subset in one class (ZOOpt's
    ``lambda x: 0``)."""
    return 0


#: ZOOpt's default criterion: one shared instance, as in ZOOpt.
_NEVER = DefaultStoppingCriterion()


def _sizes_for_budget(budget: float) -> tuple[int, int]:
    """ZOOpt's ``auto_set`` table: ``(train_size, positive_size)``, from the Rust crate."""
    if not math.isfinite(budget):
        raise ValueError("budget must be a finite number, got %r" % (budget,))
    return _native.sizes_for_budget(max(0, int(math.ceil(budget))))


class Parameter:
    """The settings of a run (see docs/python.md for what each maps to).

    Extensions beyond ZOOpt (keyword-only, all optional): ``replace`` ('worst', 'random',
    'farthest': SRACOS's negative-set replacement, ZOOpt's WR/RR/LM), ``centre`` ('auto', 'best'
    or 'random_positive'; default: auto — the best positive on spaces with a continuous
    coordinate, a random one on discrete spaces — and random positive under noise handling),
    ``suppression_trigger`` ('best', the paper's, or 'trusted', ZOOpt's),
    ``parallel_backend`` ('auto': Ray actors when Ray is initialized in this process, else
    threads; 'threads'; 'ray'), ``worker_retries`` (Ray: evaluations of one point that may
    die with their worker before the run raises ``WorkerCrashed``; default 3), ``x_type``
    ('list', ZOOpt's; 'numpy': ``solution.get_x()`` is a float64 array, for numeric
    spaces) and ``reuse_solution`` (one ``Solution`` per worker rewritten for every
    evaluation: the objective must not keep it or its ``x``) — both make the bridge to the
    objective cheaper (``bench/speed.py``; RACOS family, CMA-ES and auto on threads).
    """

    def __init__(self, algorithm: Optional[Algorithm] = None, budget: int = 0, exploration_rate: float = 0.01,
                 init_samples: Optional[Sequence[Union[Solution, Sequence[Any]]]] = None,
                 time_budget: Optional[float] = None, terminal_value: Optional[float] = None,
                 sequential: bool = True, precision: Optional[float] = None, uncertain_bits: Optional[int] = None,
                 intermediate_result: bool = False, intermediate_freq: int = 100, autoset: bool = True,
                 noise_handling: bool = False, resampling: bool = False, suppression: bool = False,
                 ponss: bool = False, ponss_theta: Optional[float] = None, ponss_b: Optional[int] = None,
                 non_update_allowed: int = 500, resample_times: int = 100, balance_rate: float = 0.5,
                 high_dim_handling: bool = False, reducedim: bool = False, num_sre: int = 5,
                 low_dimension: Optional[Dimension] = None, withdraw_alpha: Optional[Dimension] = None,
                 variance_A: Optional[float] = None, stopping_criterion: Optional[StoppingCriterion] = _NEVER,
                 seed: Optional[int] = None, parallel: bool = False, server_num: int = 1, *,
                 replace: Replace = "worst", centre: Optional[Centre] = None, suppression_trigger: Trigger = "best",
                 parallel_backend: Backend = "auto", worker_retries: int = 3, x_type: XType = "list",
                 reuse_solution: bool = False) -> None:
        self._algorithm = algorithm
        # ZOOpt counts the budget in points under re-sampling (each point costs
        # `resample_times` calls); zoo's runs count calls, kept here.
        resampled = bool(noise_handling) and bool(resampling)
        self._budget: float = budget / resample_times if resampled and resample_times else budget
        self._exploration_rate = exploration_rate
        self._init_samples = init_samples
        self._time_budget = time_budget
        self._terminal_value = terminal_value
        self._sequential = sequential
        self._precision = precision
        self._uncertain_bits = uncertain_bits
        self._intermediate_result = intermediate_result
        self._intermediate_freq = max(1, int(intermediate_freq))
        self._autoset = autoset
        self._noise_handling = noise_handling
        self._resampling = resampling
        self._suppression = suppression
        self._ponss = ponss
        self._ponss_theta = ponss_theta
        self._ponss_b = ponss_b
        self._non_update_allowed = non_update_allowed
        self._resample_times = resample_times
        self._balance_rate = balance_rate
        self._high_dim_handling = high_dim_handling
        self._reducedim = reducedim
        self._num_sre = num_sre
        self._low_dimension = low_dimension if low_dimension is not None else Dimension(10, [[-1, 1]] * 10,
                                                                                          [True] * 10)
        self._withdraw_alpha = withdraw_alpha if withdraw_alpha is not None else Dimension(1, [[-1, 1]], [True])
        self._variance_A = variance_A if variance_A is not None else 1.0 / self._low_dimension.get_size()
        self._stopping_criterion = stopping_criterion
        self._seed = seed
        self.parallel: bool = parallel
        self.server_num: int = server_num
        self._train_size = 0
        self._positive_size = 0
        self._negative_size = 0
        self._isolation_func: Callable[..., Any] = default_isolation
        self.replace: Replace = replace
        self.centre: Optional[Centre] = centre
        self.suppression_trigger: Trigger = suppression_trigger
        self.parallel_backend: Backend = parallel_backend
        if isinstance(worker_retries, bool) or not isinstance(worker_retries, int) or worker_retries < 0:
            raise ValueError("worker_retries must be an integer >= 0, got %r" % (worker_retries,))
        self.worker_retries: int = worker_retries
        if x_type not in ("list", "numpy"):
            raise ValueError("x_type must be 'list' or 'numpy', got %r" % (x_type,))
        self.x_type: XType = x_type
        self.reuse_solution: bool = bool(reuse_solution)
        if autoset and budget:
            self.auto_set(budget)

    def auto_set(self, budget: float) -> None:
        """Training-set sizes for ``budget`` (ZOOpt's table; budgets below 3 get the first
        row instead of exiting the process, B12)."""
        self._train_size, self._positive_size = _sizes_for_budget(budget)
        self._negative_size = self._train_size - self._positive_size

    # ZOOpt's getters and setters ------------------------------------------------------
    def set_exploration_rate(self, exploration_rate: float) -> None:
        self._exploration_rate = exploration_rate

    def get_exploration_rate(self) -> float:
        return self._exploration_rate

    def set_probability(self, probability: float) -> None:
        self._exploration_rate = 1.0 - probability

    def get_probability(self) -> float:
        return 1.0 - self._exploration_rate

    def get_noise_handling(self) -> bool:
        return self._noise_handling

    def get_resampling(self) -> bool:
        return self._resampling

    def get_ponss(self) -> bool:
        return self._ponss

    def get_ponss_theta(self) -> Optional[float]:
        return self._ponss_theta

    def get_ponss_b(self) -> Optional[int]:
        return self._ponss_b

    def get_suppression(self) -> bool:
        return self._suppression

    def set_suppression(self, suppression: bool) -> None:
        self._suppression = suppression  # effective, unlike ZOOpt's (B10)

    def set_resample_times(self, resample_times: int) -> None:
        self._resample_times = resample_times

    def get_resample_times(self) -> int:
        return self._resample_times

    def set_non_update_allowed(self, non_update_allowed: int) -> None:
        self._non_update_allowed = non_update_allowed

    def get_non_update_allowed(self) -> int:
        return self._non_update_allowed

    def set_balance_rate(self, balance_rate: float) -> None:
        self._balance_rate = balance_rate

    def get_balance_rate(self) -> float:
        return self._balance_rate

    def set_algorithm(self, algorithm: Optional[Algorithm]) -> None:
        self._algorithm = algorithm

    def get_algorithm(self) -> Optional[Algorithm]:
        return self._algorithm

    def set_sequential(self, sequential: bool) -> None:
        self._sequential = sequential

    def get_sequential(self) -> bool:
        return self._sequential

    def set_budget(self, budget: float) -> None:
        """Sets the budget as ZOOpt reads it: in points under re-sampling (each costs
        ``resample_times`` calls), in calls otherwise."""
        self._budget = budget

    def get_budget(self) -> float:
        """The budget as ZOOpt states it: under re-sampling the number of points (the
        constructor's budget divided by ``resample_times``), otherwise the number of calls."""
        return self._budget

    def get_budget_calls(self) -> int:
        """The budget in objective calls, re-sampling and re-estimation calls included: what
        a run spends exactly (rounded up when fractional)."""
        if not (isinstance(self._budget, numbers.Real) and math.isfinite(self._budget)):
            raise ValueError("budget must be a finite number, got %r" % (self._budget,))
        calls = self._budget * self._resample_times if self._resampled() else self._budget
        # Points × repeats recovers the budget given to the constructor up to rounding.
        return int(math.ceil(calls - 1e-9 * abs(calls)))

    def _resampled(self) -> bool:
        return bool(self._noise_handling) and bool(self._resampling)

    def set_precision(self, precision: Optional[float]) -> None:
        self._precision = precision

    def get_precision(self) -> Optional[float]:
        return self._precision

    def set_uncertain_bits(self, uncertain_bits: Optional[int]) -> None:
        self._uncertain_bits = uncertain_bits

    def get_uncertain_bits(self) -> Optional[int]:
        return self._uncertain_bits

    def set_train_size(self, size: int) -> None:
        self._train_size = size

    def get_train_size(self) -> int:
        return self._train_size

    def set_positive_size(self, size: int) -> None:
        self._positive_size = size

    def get_positive_size(self) -> int:
        return self._positive_size

    def set_negative_size(self, size: int) -> None:
        self._negative_size = size

    def get_negative_size(self) -> int:
        return self._negative_size

    def set_isolationFunc(self, func: Callable[..., Any]) -> None:  # noqa: N802 (ZOOpt's name)
        """POSS/PONSS: ``func(x)`` splits subsets into classes; a newcomer is only compared
        with (and can only displace) archive members of its own class."""
        self._isolation_func = func

    def get_isolationFunc(self) -> Callable[..., Any]:  # noqa: N802
        return self._isolation_func

    def set_init_samples(self, init_samples: Optional[Sequence[Union[Solution, Sequence[Any]]]]) -> None:
        self._init_samples = init_samples

    def get_init_samples(self) -> Optional[Sequence[Union[Solution, Sequence[Any]]]]:
        return self._init_samples

    def set_time_budget(self, time_budget: Optional[float]) -> None:
        self._time_budget = time_budget

    def get_time_budget(self) -> Optional[float]:
        return self._time_budget

    def set_terminal_value(self, terminal_value: Optional[float]) -> None:
        self._terminal_value = terminal_value

    def get_terminal_value(self) -> Optional[float]:
        return self._terminal_value

    def set_intermediate_result(self, intermediate_result: bool) -> None:
        self._intermediate_result = intermediate_result

    def get_intermediate_result(self) -> bool:
        return self._intermediate_result

    def set_intermediate_freq(self, intermediate_freq: int) -> None:
        self._intermediate_freq = max(1, int(intermediate_freq))

    def get_intermediate_freq(self) -> int:
        return self._intermediate_freq

    def get_autoset(self) -> bool:
        return self._autoset

    def get_high_dim_handling(self) -> bool:
        return self._high_dim_handling

    def get_reducedim(self) -> bool:
        return self._reducedim

    def get_num_sre(self) -> int:
        return self._num_sre

    def get_low_dimension(self) -> Dimension:
        return self._low_dimension

    def get_variance_A(self) -> float:  # noqa: N802
        return self._variance_A

    def get_withdraw_alpha(self) -> Dimension:
        return self._withdraw_alpha

    def set_stopping_criterion(self, stopping_criterion: Optional[StoppingCriterion]) -> None:
        self._stopping_criterion = stopping_criterion

    def get_stopping_criterion(self) -> Optional[StoppingCriterion]:
        return self._stopping_criterion

    def set_seed(self, seed: Optional[int]) -> None:
        self._seed = seed

    def get_seed(self) -> Optional[int]:
        return self._seed

    def get_parallel(self) -> bool:
        return self.parallel

    def set_parallel(self, parallel: bool) -> None:
        self.parallel = parallel

    def get_server_num(self) -> int:
        return self.server_num

    def set_server_num(self, server_num: int) -> None:
        self.server_num = server_num
