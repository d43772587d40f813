"""ZOOpt's process-wide settings object ``gl`` and its constants.

zoo_opt keeps every setting of a run in its ``Parameter`` and its search space; ``gl`` is
here for scripts that read or set it. ``gl.set_seed`` seeds numpy's global generator, as
ZOOpt's does (``Opt.min`` does the same with ``Parameter(seed=...)``); ``gl.precision``
is recorded but compares nothing: ``Solution.is_equal`` is exact.
"""

from __future__ import annotations

from typing import List, Optional

__all__ = ["Global", "gl", "pos_inf", "neg_inf", "nan"]

pos_inf = float("inf")
neg_inf = float("-inf")
nan = float("nan")


class Global:
    """ZOOpt's global settings: ``precision`` (1e-17) and ``float_precisions``."""

    def __init__(self) -> None:
        self.precision: float = 1e-17
        self.float_precisions: List[Optional[int]] = []

    def set_seed(self, seed: int) -> None:
        import numpy as np  # optional for the package, needed by this call only

        np.random.seed(int(seed) % (2 ** 32))

    def set_precision(self, my_precision: float) -> None:
        self.precision = my_precision


gl = Global()
