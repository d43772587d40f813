"""ZOOpt's API: spaces, solutions, objectives, parameters, Opt.min and ExpOpt.min."""

import math
import statistics

import pytest

from zoo_opt import (Dimension, Dimension2, ExpOpt, Objective, Opt, Parameter, Solution, UnsupportedParameter,
                     ValueType)


def sphere(solution):
    return sum((v - 0.2) ** 2 for v in solution.get_x())


def cube(n, lo=-1.0, hi=1.0):
    return Dimension(n, [[lo, hi]] * n, [True] * n)


def test_objective_receives_a_solution_and_history_records_every_call():
    seen = []

    def f(solution):
        assert isinstance(solution, Solution)
        seen.append(list(solution.get_x()))
        return sphere(solution)

    objective = Objective(f, cube(5))
    solution = Opt.min(objective, Parameter(budget=300, seed=3))
    assert len(seen) == 300 == len(objective.get_history())
    assert objective.get_history()[0] == pytest.approx(sum((v - 0.2) ** 2 for v in seen[0]))
    best = objective.get_history_bestsofar()
    assert best[-1] == min(objective.get_history()) == pytest.approx(solution.get_value())
    assert all(a >= b for a, b in zip(best, best[1:]))
    assert all(-1 <= v <= 1 for v in solution.get_x())
    objective.clean_history()
    assert objective.get_history() == []


def test_budget_is_exact_for_every_algorithm():
    for parameter in (Parameter(budget=257, seed=1), Parameter(budget=257, sequential=False, seed=1),
                      Parameter(budget=257, noise_handling=True, resampling=True, resample_times=10, seed=1),
                      Parameter(budget=257, noise_handling=True, suppression=True, non_update_allowed=20,
                                resample_times=5, seed=1)):
        objective = Objective(sphere, cube(4))
        Opt.min(objective, parameter)
        assert len(objective.get_history()) == 257


def test_poss_never_proposes_subsets_the_size_rule_excludes():
    sizes = []

    def loss(solution):
        chosen = [i for i, v in enumerate(solution.get_x()) if v > 0.5]
        sizes.append(len(chosen))
        return -float(sum(chosen))

    def at_most_three(solution):
        return 3 - sum(1 for v in solution.get_x() if v > 0.5)

    binary = Dimension(12, [[0, 1]] * 12, [False] * 12)
    solution = Opt.min(Objective(loss, binary, constraint=at_most_three), Parameter(budget=600, seed=1))
    assert len(sizes) == 600
    assert max(sizes) == 5  # sizes of 2k = 6 or more are excluded, 2k - 1 is still explored
    assert [i for i, v in enumerate(solution.get_x()) if v > 0.5] == [9, 10, 11] and solution.get_value()[0] == -30


def test_poss_excludes_nothing_when_the_empty_set_is_infeasible():
    sizes = []

    def loss(solution):
        chosen = [i for i, v in enumerate(solution.get_x()) if v > 0.5]
        sizes.append(len(chosen))
        return float(len(chosen))

    def at_least_two(solution):
        return sum(1 for v in solution.get_x() if v > 0.5) - 2

    binary = Dimension(8, [[0, 1]] * 8, [False] * 8)
    solution = Opt.min(Objective(loss, binary, constraint=at_least_two), Parameter(budget=300, seed=2))
    assert max(sizes) > 4
    assert solution.get_value()[0] == 2.0


def test_same_seed_same_run_and_seed_zero_is_honoured():
    runs = []
    for seed in (0, 0, 1):
        objective = Objective(sphere, cube(6))
        Opt.min(objective, Parameter(budget=200, seed=seed))
        runs.append(objective.get_history())
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_unseeded_runs_follow_numpy_global_seed():
    np = pytest.importorskip("numpy")
    runs = []
    for _ in range(2):
        np.random.seed(5)
        objective = Objective(sphere, cube(3))
        Opt.min(objective, Parameter(budget=50))
        runs.append(objective.get_history())
    assert runs[0] == runs[1]


def test_dimension2_kinds_decode_to_python_values_and_every_grid_value_is_reachable():
    values = ["a", "b", "c", "d", "e"]
    seen = set()

    def f(solution):
        lr, layers, act = solution.get_x()
        assert isinstance(lr, float) and -1 <= lr <= 1 and round(lr, 2) == lr
        assert isinstance(layers, int) and 1 <= layers <= 4
        assert act in values
        seen.add(act)
        return lr * lr + layers + values.index(act)

    dim = Dimension2([(ValueType.CONTINUOUS, [-1, 1], 1e-2), (ValueType.DISCRETE, [1, 4], True),
                      (ValueType.GRID, values)])
    solution = Opt.min(Objective(f, dim), Parameter(budget=400, seed=2))
    assert seen == set(values)  # ZOOpt's classifier proposes only the first two (B1)
    assert solution.get_x()[1:] == [1, "a"]


def test_dimension_discrete_coordinates_are_ints():
    def f(solution):
        assert all(isinstance(v, int) for v in solution.get_x())
        return sum((v - 2) ** 2 for v in solution.get_x())

    dim = Dimension(10, [[-10, 10]] * 10, [False] * 10, order=[True] * 10)
    solution = Opt.min(Objective(f, dim), Parameter(budget=2000, uncertain_bits=1, seed=1))
    assert solution.get_value() <= 2


def test_small_discrete_space_ends_when_exhausted_without_repeating_points():
    seen = []

    def f(solution):
        seen.append(tuple(solution.get_x()))
        return sum(solution.get_x())

    objective = Objective(f, Dimension(3, [[0, 1]] * 3, [False] * 3))
    solution = Opt.min(objective, Parameter(budget=100, seed=1))
    assert len(seen) == len(set(seen)) == 8
    assert solution.get_value() == 0


def test_parameter_auto_set_follows_zoopt_table():
    for budget, sizes in ((50, (4, 1, 3)), (100, (6, 1, 5)), (1000, (12, 2, 10)), (1001, (22, 2, 20))):
        p = Parameter(budget=budget)
        assert (p.get_train_size(), p.get_positive_size(), p.get_negative_size()) == sizes
    p = Parameter(budget=100)
    p.set_probability(0.95)
    assert p.get_probability() == pytest.approx(0.95)
    p.set_suppression(True)
    assert p.get_suppression() is True  # ZOOpt's setter had no effect (B10)


@pytest.mark.parametrize("parameter, message", [
    (Parameter(budget=10, precision=1e-6, algorithm="cmaes"), "precision"),
    (Parameter(budget=10, suppression=True), "noise_handling"),
    (Parameter(budget=10, resampling=True), "noise_handling"),
    (Parameter(budget=10, reducedim=True), "high_dim_handling"),
    (Parameter(budget=10, noise_handling=True, suppression=True, sequential=False), "sequential"),
])
def test_unsupported_settings_raise_instead_of_being_ignored(parameter, message):
    with pytest.raises(UnsupportedParameter, match=message):
        Opt.min(Objective(sphere, cube(2)), parameter)


def test_invalid_settings_raise_clear_errors():
    objective = Objective(sphere, cube(2))
    with pytest.raises(ValueError, match="budget"):
        Opt.min(objective, Parameter())
    with pytest.raises(ValueError, match="unknown algorithm"):
        Opt.min(objective, Parameter(budget=10, algorithm="bfgs"))
    with pytest.raises(ValueError, match="constraint"):
        Opt.min(objective, Parameter(budget=10, algorithm="poss"))
    with pytest.raises(ValueError, match="exploration_rate"):
        Opt.min(objective, Parameter(budget=10, exploration_rate=2))
    with pytest.raises(ValueError, match="bound"):
        Opt.min(Objective(sphere, Dimension(1, [[1, -1]], [True])), Parameter(budget=10))
    p = Parameter(budget=10)
    p.set_isolationFunc(lambda x: 0)
    with pytest.raises(UnsupportedParameter):
        Opt.min(objective, p)


def test_autoset_false_uses_the_given_sizes_and_requires_them():
    objective = Objective(sphere, cube(3))
    with pytest.raises(ValueError, match="set_train_size"):
        Opt.min(objective, Parameter(budget=100, autoset=False))
    p = Parameter(budget=100, autoset=False, seed=1)
    p.set_train_size(6)
    p.set_positive_size(1)
    assert Opt.min(objective, p).get_value() < 0.5


def test_terminal_value_time_budget_and_stopping_criterion_stop_early():
    objective = Objective(sphere, cube(2))
    Opt.min(objective, Parameter(budget=10000, terminal_value=0.05, seed=1))
    assert len(objective.get_history()) < 10000 and min(objective.get_history()) <= 0.05

    class Unchanged:  # ZOOpt's example criterion: best value unchanged for 100 checks
        def __init__(self):
            self.best, self.count = None, 0

        def check(self, optcontent):
            value = optcontent.get_best_solution().get_value()
            self.count = self.count + 1 if value == self.best else 0
            self.best = value
            return self.count >= 100

    objective = Objective(lambda s: float(round(sphere(s), 1)), cube(3))
    Opt.min(objective, Parameter(budget=10000, stopping_criterion=Unchanged(), seed=1))
    assert len(objective.get_history()) < 10000

    import time

    def slow(solution):
        time.sleep(0.002)
        return sphere(solution)

    objective = Objective(slow, cube(2))
    start = time.perf_counter()
    Opt.min(objective, Parameter(budget=100000, time_budget=0.2, seed=1))
    assert time.perf_counter() - start < 1.0
    assert 10 < len(objective.get_history()) < 200


def test_init_samples_are_evaluated_first_or_told_when_valued():
    seen = []

    def f(solution):
        seen.append(list(solution.get_x()))
        return sphere(solution)

    objective = Objective(f, cube(2))
    known = Solution([0.2, 0.2], 0.0)
    Opt.min(objective, Parameter(budget=50, init_samples=[[0.5, 0.5], known], seed=1))
    assert seen[0] == [0.5, 0.5]
    assert [0.2, 0.2] not in seen  # its value was given: not evaluated again
    assert len(seen) == 50


def test_intermediate_result_reports_progress(capsys):
    Opt.min(Objective(sphere, cube(2)), Parameter(budget=300, intermediate_result=True, intermediate_freq=100,
                                                  seed=1))
    out = capsys.readouterr().out
    assert out.count("fx result") == 3 and "budget 300" in out


class Boom(Exception):
    pass


def test_objective_exception_propagates_with_the_best_solution():
    calls = []

    def f(solution):
        calls.append(1)
        if len(calls) == 40:
            raise Boom("evaluation 40 failed")
        return sphere(solution)

    objective = Objective(f, cube(3))
    with pytest.raises(Boom, match="evaluation 40") as info:
        Opt.min(objective, Parameter(budget=100, seed=1))
    error = info.value
    assert error.evaluations == 39
    assert error.best_solution.get_value() == pytest.approx(min(objective.get_history()))
    assert len(objective.get_history()) == 39
    assert len(error.best_solution.get_x()) == 3
    assert not hasattr(error, "_zoo_best")


def test_first_call_exception_has_no_best_solution():
    def f(solution):
        raise KeyError("nope")

    with pytest.raises(KeyError) as info:
        Opt.min(Objective(f, cube(2)), Parameter(budget=10, seed=1))
    assert info.value.best_solution is None and info.value.evaluations == 0


def test_stopping_criterion_exception_propagates():
    class Bad:
        def check(self, optcontent):
            raise RuntimeError("criterion failed")

    with pytest.raises(RuntimeError, match="criterion failed") as info:
        Opt.min(Objective(sphere, cube(2)), Parameter(budget=100, stopping_criterion=Bad(), seed=1))
    assert info.value.best_solution is not None


def test_non_numeric_objective_value_raises_type_error():
    with pytest.raises(TypeError):
        Opt.min(Objective(lambda s: None, cube(2)), Parameter(budget=10, seed=1))


def test_nan_values_rank_last_and_do_not_break_the_run():
    def f(solution):
        x = solution.get_x()
        return float("nan") if x[0] > 0.5 else sphere(solution)

    objective = Objective(f, cube(2))
    solution = Opt.min(objective, Parameter(budget=60, seed=1))  # positive size 1: ZOOpt recursed forever (B9)
    assert len(objective.get_history()) == 60
    assert not math.isnan(solution.get_value())


def test_ints_beyond_the_float_range_rank_as_infinities_of_their_sign():
    def f(solution):
        x = solution.get_x()
        if x[0] > 0.5:
            return 10**400
        if x[0] < -0.9:
            return -(10**400)
        return sphere(solution)

    objective = Objective(f, cube(2))
    solution = Opt.min(objective, Parameter(budget=200, seed=1))
    values = [float(v) for v in objective.get_history()]
    assert math.inf in values and -math.inf in values
    assert solution.get_value() == -math.inf and solution.get_x()[0] < -0.9


def test_numpy_scalar_and_one_element_array_values_are_accepted():
    np = pytest.importorskip("numpy")
    Opt.min(Objective(lambda s: np.float32(sphere(s)), cube(2)), Parameter(budget=20, seed=1))
    Opt.min(Objective(lambda s: np.array([sphere(s)]), cube(2)), Parameter(budget=20, seed=1))


def test_parallel_threads_spend_the_exact_budget():
    import threading
    import time

    workers = set()

    def slow(solution):
        workers.add(threading.get_ident())
        time.sleep(0.002)  # releases the interpreter, as I/O-bound objectives do
        return sphere(solution)

    objective = Objective(slow, cube(4))
    solution = Opt.min(objective, Parameter(budget=200, parallel=True, server_num=2, seed=1))
    assert len(objective.get_history()) == 200
    assert len(workers) == 2  # the speed-up itself is measured by bench/speed.py, not here
    assert solution.get_value() < 1


def test_parallel_threads_propagate_exceptions():
    calls = []

    def f(solution):
        calls.append(1)
        if len(calls) == 30:
            raise Boom("worker failed")
        return sphere(solution)

    with pytest.raises(Boom) as info:
        Opt.min(Objective(f, cube(2)), Parameter(budget=100, parallel=True, server_num=2, seed=1))
    assert info.value.best_solution is not None


def test_expopt_repeats_with_distinct_seeds_and_reports(capsys):
    objective = Objective(sphere, cube(3))
    solutions = ExpOpt.min(objective, Parameter(budget=200, seed=7), repeat=3, best_n=2)
    values = [s.get_value() for s in solutions]
    assert len(set(values)) == 3  # ZOOpt re-seeded every repeat with the same seed (B11)
    out = capsys.readouterr().out
    best2 = sorted(values)[:2]
    assert "Best 2 result(s)" in out
    assert "%s" % statistics.mean(best2) in out or str(sum(best2) / 2) in out
    assert objective.get_history() == []  # cleaned after each repeat, as in ZOOpt


def test_expopt_plot_writes_a_file_when_matplotlib_is_installed(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "plot.png"
    ExpOpt.min(Objective(sphere, cube(2)), Parameter(budget=50, seed=1), repeat=2, plot=True, plot_file=str(path))
    assert path.stat().st_size > 0


def test_solution_getters_setters_and_comparisons():
    a = Solution([1, 2.5, "x"], 3.0)
    assert a.get_x() == [1, 2.5, "x"] and a.get_value() == 3.0 and a.get_x_index(1) == 2.5
    b = a.deep_copy()
    assert a.is_equal(b) and a.exist_equal([Solution([0]), b])
    b.set_x_index(0, 7)
    assert not a.is_equal(b)
    b.set_value(1.0)
    assert Solution.find_minimum([a, b]) == (b, 1) and Solution.find_maximum([a, b]) == (a, 0)
    assert math.isnan(Solution().get_value())
    c = Solution([0.5])
    c.set_attach("meta")
    c.set_post_attach("post")
    c.set_resample_value(1.5)
    c.set_no(3)
    assert (c.get_attach(), c.get_post_attach(), c.get_resample_value(), c.get_no()) == ("meta", "post", 1.5, 3)


def test_dimension_helpers():
    d = Dimension(2, [[-1, 1], [0, 5]], [True, False], order=[False, True])
    assert not d.is_discrete() and d.limited_space() == (False, 0)
    assert Dimension(2, [[-1, 1]] * 2, [False] * 2).limited_space() == (True, 9)
    merged = Dimension.merge_dim(d, Dimension(1, [[0, 1]], [False]))
    assert merged.get_size() == 3 and merged.get_order() == [False, True, False]
    assert d.deep_copy().get_order() == [False, True]  # ZOOpt dropped the order
    d2 = Dimension2([(ValueType.GRID, ["a", "b"]), (ValueType.DISCRETE, [0, 3], False)])
    assert d2.is_discrete() and d2.limited_space() == (True, 8)
    for _ in range(20):
        x = d2.rand_sample()
        assert x[0] in ("a", "b") and 0 <= x[1] <= 3


@pytest.mark.parametrize("parallel", [False, True])
def test_ctrl_c_stops_the_run_with_the_best_solution(parallel):
    import os
    import signal
    import threading
    import time

    def slow(solution):
        time.sleep(0.005)
        return sphere(solution)

    # A process started with Ctrl-C ignored (a background job of a script) would never
    # see the signal: install Python's own handler for the test.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    start = time.perf_counter()
    try:
        with pytest.raises(KeyboardInterrupt) as info:
            Opt.min(Objective(slow, cube(3)), Parameter(budget=100000, parallel=parallel, server_num=2,
                                                        parallel_backend="threads", seed=1))
    finally:
        timer.join()
        signal.signal(signal.SIGINT, previous)
    assert time.perf_counter() - start < 2
    assert info.value.evaluations > 0 and info.value.best_solution is not None


def test_time_budget_edges_are_handled_without_rust_panics():
    objective = Objective(sphere, cube(2))
    # inf (and spans too long for a duration) mean no limit: the budget stops the run.
    for limit in (float("inf"), 1e30):
        Opt.min(objective, Parameter(budget=50, seed=1, time_budget=limit))
    assert len(objective.get_history()) == 100
    for bad in (float("nan"), -1.0):
        with pytest.raises(ValueError, match="time_limit"):
            Opt.min(Objective(sphere, cube(2)), Parameter(budget=50, seed=1, time_budget=bad))
