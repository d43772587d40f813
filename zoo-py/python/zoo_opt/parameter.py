"""``Parameter``: every setting of ZOOpt's, with the same names and defaults.

Each one maps onto a setting of the Rust optimizers (the table is in docs/python.md).
Settings zoo cannot honour raise :class:`UnsupportedParameter` when ``Opt.min`` reads
them, instead of being ignored; so do combinations ZOOpt ignores silently (such as
``suppression=True`` without ``noise_handling=True``).
"""

import math

from . import _native

__all__ = ["Parameter", "UnsupportedParameter", "DefaultStoppingCriterion"]


class UnsupportedParameter(ValueError):
    """A ZOOpt setting (or combination) this package cannot honour."""


class DefaultStoppingCriterion:
    """Never stops (ZOOpt's default)."""

    def check(self, optcontent):
        return False


def _sizes_for_budget(budget):
    """ZOOpt's ``auto_set`` table: ``(train_size, positive_size)``, from the Rust crate."""
    return _native.sizes_for_budget(max(0, int(math.ceil(budget))))


class Parameter:
    """The settings of a run (see docs/python.md for what each maps to).

    Extensions beyond ZOOpt (keyword-only, all optional): ``replace`` ('worst', 'random',
    'farthest': SRACOS's negative-set replacement, ZOOpt's WR/RR/LM), ``centre`` ('auto', 'best'
    or 'random_positive'; default: auto — the best positive on spaces with a continuous
    coordinate, a random one on discrete spaces — and random positive under noise handling),
    ``suppression_trigger`` ('best', the paper's, or 'trusted', ZOOpt's),
    ``parallel_backend`` ('auto': Ray actors when Ray is initialized in this process, else
    threads; 'threads'; 'ray').
    """

    def __init__(self, algorithm=None, budget=0, exploration_rate=0.01, init_samples=None, time_budget=None,
                 terminal_value=None, sequential=True, precision=None, uncertain_bits=None,
                 intermediate_result=False, intermediate_freq=100, autoset=True, noise_handling=False,
                 resampling=False, suppression=False, ponss=False, ponss_theta=None, ponss_b=None,
                 non_update_allowed=500, resample_times=100, balance_rate=0.5, high_dim_handling=False,
                 reducedim=False, num_sre=5, low_dimension=None, withdraw_alpha=None, variance_A=None,
                 stopping_criterion=None, seed=None, parallel=False, server_num=1, *, replace="worst",
                 centre=None, suppression_trigger="best", parallel_backend="auto"):
        self._algorithm = algorithm
        self._budget = budget
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
        self._low_dimension = low_dimension
        self._withdraw_alpha = withdraw_alpha
        self._variance_A = variance_A
        self._stopping_criterion = stopping_criterion
        self._seed = seed
        self.parallel = parallel
        self.server_num = server_num
        self._train_size = 0
        self._positive_size = 0
        self._negative_size = 0
        self._isolation_func = None
        self.replace = replace
        self.centre = centre
        self.suppression_trigger = suppression_trigger
        self.parallel_backend = parallel_backend
        if autoset and budget:
            self.auto_set(budget)

    def auto_set(self, budget):
        """Training-set sizes for ``budget`` (ZOOpt's table; budgets below 3 get the first
        row instead of exiting the process, B12)."""
        self._train_size, self._positive_size = _sizes_for_budget(budget)
        self._negative_size = self._train_size - self._positive_size

    # ZOOpt's getters and setters ------------------------------------------------------
    def set_exploration_rate(self, exploration_rate):
        self._exploration_rate = exploration_rate

    def get_exploration_rate(self):
        return self._exploration_rate

    def set_probability(self, probability):
        self._exploration_rate = 1.0 - probability

    def get_probability(self):
        return 1.0 - self._exploration_rate

    def get_noise_handling(self):
        return self._noise_handling

    def get_resampling(self):
        return self._resampling

    def get_ponss(self):
        return self._ponss

    def get_ponss_theta(self):
        return self._ponss_theta

    def get_ponss_b(self):
        return self._ponss_b

    def get_suppression(self):
        return self._suppression

    def set_suppression(self, suppression):
        self._suppression = suppression  # effective, unlike ZOOpt's (B10)

    def set_resample_times(self, resample_times):
        self._resample_times = resample_times

    def get_resample_times(self):
        return self._resample_times

    def set_non_update_allowed(self, non_update_allowed):
        self._non_update_allowed = non_update_allowed

    def get_non_update_allowed(self):
        return self._non_update_allowed

    def set_balance_rate(self, balance_rate):
        self._balance_rate = balance_rate

    def get_balance_rate(self):
        return self._balance_rate

    def set_algorithm(self, algorithm):
        self._algorithm = algorithm

    def get_algorithm(self):
        return self._algorithm

    def set_sequential(self, sequential):
        self._sequential = sequential

    def get_sequential(self):
        return self._sequential

    def set_budget(self, budget):
        self._budget = budget

    def get_budget(self):
        """The budget in objective calls (re-sampling calls included; ZOOpt divides it by
        ``resample_times`` under re-sampling, zoo keeps what you gave)."""
        return self._budget

    def set_precision(self, precision):
        self._precision = precision

    def get_precision(self):
        return self._precision

    def set_uncertain_bits(self, uncertain_bits):
        self._uncertain_bits = uncertain_bits

    def get_uncertain_bits(self):
        return self._uncertain_bits

    def set_train_size(self, size):
        self._train_size = size

    def get_train_size(self):
        return self._train_size

    def set_positive_size(self, size):
        self._positive_size = size

    def get_positive_size(self):
        return self._positive_size

    def set_negative_size(self, size):
        self._negative_size = size

    def get_negative_size(self):
        return self._negative_size

    def set_isolationFunc(self, func):  # noqa: N802 (ZOOpt's name)
        self._isolation_func = func

    def get_isolationFunc(self):  # noqa: N802
        return self._isolation_func

    def set_init_samples(self, init_samples):
        self._init_samples = init_samples

    def get_init_samples(self):
        return self._init_samples

    def set_time_budget(self, time_budget):
        self._time_budget = time_budget

    def get_time_budget(self):
        return self._time_budget

    def set_terminal_value(self, terminal_value):
        self._terminal_value = terminal_value

    def get_terminal_value(self):
        return self._terminal_value

    def set_intermediate_result(self, intermediate_result):
        self._intermediate_result = intermediate_result

    def get_intermediate_result(self):
        return self._intermediate_result

    def set_intermediate_freq(self, intermediate_freq):
        self._intermediate_freq = max(1, int(intermediate_freq))

    def get_intermediate_freq(self):
        return self._intermediate_freq

    def get_autoset(self):
        return self._autoset

    def get_high_dim_handling(self):
        return self._high_dim_handling

    def get_reducedim(self):
        return self._reducedim

    def get_num_sre(self):
        return self._num_sre

    def get_low_dimension(self):
        return self._low_dimension

    def get_variance_A(self):  # noqa: N802
        return self._variance_A

    def get_withdraw_alpha(self):
        return self._withdraw_alpha

    def set_stopping_criterion(self, stopping_criterion):
        self._stopping_criterion = stopping_criterion

    def get_stopping_criterion(self):
        return self._stopping_criterion

    def set_seed(self, seed):
        self._seed = seed

    def get_seed(self):
        return self._seed

    def get_parallel(self):
        return self.parallel

    def set_parallel(self, parallel):
        self.parallel = parallel

    def get_server_num(self):
        return self.server_num

    def set_server_num(self, server_num):
        self.server_num = server_num
