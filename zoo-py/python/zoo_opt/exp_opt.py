"""``ExpOpt.min``: repeated runs with a summary, as in ZOOpt."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, List, Optional, Sequence, Tuple, Union

from .opt import Opt

if TYPE_CHECKING:
    from .objective import Objective
    from .parameter import Parameter
    from .solution import Solution

__all__ = ["ExpOpt"]


def _mean_std(values: Sequence[float]) -> Tuple[float, float]:
    n = len(values)
    mean = sum(values) / n
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / n)


class ExpOpt:
    """ZOOpt's ``ExpOpt``."""

    @staticmethod
    def min(objective: Objective, parameter: Parameter, repeat: int = 1, best_n: Optional[int] = None,
            plot: bool = False, plot_file: Optional[str] = None) -> List[Solution]:
        """Runs ``Opt.min`` ``repeat`` times and prints the mean and (population) standard
        deviation of the best ``best_n`` values; returns the solutions.

        With ``seed=s``, repeat ``i`` uses seed ``s + i``: ZOOpt re-used ``s`` and so
        repeated one run ``repeat`` times (B11). ``plot=True`` draws each run's best-so-far
        curve with matplotlib when it is installed (to ``plot_file`` if given, else on
        screen); without matplotlib it prints a note and carries on.
        """
        if repeat < 1:
            raise ValueError("repeat must be at least 1")
        best_n = repeat if best_n is None else best_n
        if best_n < 1:
            raise ValueError("best_n must be at least 1, got %r" % (best_n,))
        plt: Any = None
        if plot:
            try:
                import matplotlib  # type: ignore[import-not-found, unused-ignore]
                if plot_file is not None:
                    matplotlib.use("Agg")
                import matplotlib.pyplot as plt  # type: ignore[import-not-found, no-redef, unused-ignore]
            except ImportError:
                print("[zoo_opt] plot=True ignored: matplotlib is not installed")
        seed = parameter.get_seed()
        solutions: List[Solution] = []
        values: List[Any] = []
        for i in range(repeat):
            if seed is not None:
                parameter.set_seed(int(seed) + i)
            try:
                solution = Opt.min(objective, parameter)
            finally:
                parameter.set_seed(seed)
            solutions.append(solution)
            print("[zoo_opt] The best solution is:")
            solution.print_solution()
            values.append(solution.get_value())
            if plt is not None:
                plt.plot(objective.get_history_bestsofar())
            objective.clean_history()
        if plt is not None:
            if plot_file is not None:
                plt.savefig(plot_file)
                plt.close()
            else:
                plt.show()
        ExpOpt.result_analysis(values, best_n)
        return solutions

    @staticmethod
    def result_analysis(results: Sequence[Any], top: int
                        ) -> Tuple[Union[float, List[float]], Union[float, List[float]]]:
        """Prints and returns ``(mean, std)`` of the best ``top`` results (component-wise
        for POSS's ``[loss, constraint]`` values)."""
        limit = min(top, len(results))
        ranked = sorted(results)[:limit]
        mean: Union[float, List[float]]
        std: Union[float, List[float]]
        if ranked and isinstance(ranked[0], (list, tuple)):
            columns = list(zip(*ranked))
            stats = [_mean_std(list(c)) for c in columns]
            mean, std = [m for m, _ in stats], [s for _, s in stats]
        else:
            # `.item()`: one-element arrays (ZOOpt's noisy examples return them).
            mean, std = _mean_std([float(v.item() if hasattr(v, "item") else v) for v in ranked])
        print("[zoo_opt] Best %d result(s): %s +- %s" % (limit, mean, std))
        return mean, std

