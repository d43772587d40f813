"""``ExpOpt.min``: repeated runs with a summary, as in ZOOpt."""

import math

from .opt import Opt

__all__ = ["ExpOpt"]


def _mean_std(values):
    n = len(values)
    mean = sum(values) / n
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / n)


class ExpOpt:
    """ZOOpt's ``ExpOpt``."""

    @staticmethod
    def min(objective, parameter, repeat=1, best_n=None, plot=False, plot_file=None):
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
        plt = None
        if plot:
            try:
                import matplotlib
                if plot_file is not None:
                    matplotlib.use("Agg")
                import matplotlib.pyplot as plt
            except ImportError:
                print("[zoo_opt] plot=True ignored: matplotlib is not installed")
        seed = parameter.get_seed()
        solutions, values = [], []
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
    def result_analysis(results, top):
        """Prints and returns ``(mean, std)`` of the best ``top`` results (component-wise
        for POSS's ``[loss, constraint]`` values)."""
        limit = min(top, len(results))
        ranked = sorted(results)[:limit]
        if ranked and isinstance(ranked[0], (list, tuple)):
            columns = list(zip(*ranked))
            stats = [_mean_std(list(c)) for c in columns]
            mean, std = [m for m, _ in stats], [s for _, s in stats]
        else:
            mean, std = _mean_std([float(v) for v in ranked])
        print("[zoo_opt] Best %d result(s): %s +- %s" % (limit, mean, std))
        return mean, std

