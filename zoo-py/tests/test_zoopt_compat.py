"""ZOOpt 0.4.2's public API on zoo_opt: every public name and signature, and the behaviour
of the accessors, hooks and settings a migrating script relies on."""

import inspect
import io
from contextlib import redirect_stdout

import numpy as np
import pytest

import zoo_opt
from zoo_opt import Dimension, Dimension2, Objective, Opt, Parameter, Solution, ValueType

PUBLIC_CLASSES = ["Dimension", "Dimension2", "ValueType", "Objective", "Parameter", "Opt", "Solution", "ExpOpt"]


def sphere(solution):
    x = np.asarray(solution.get_x(), dtype=float)
    return float(np.sum((x - 0.2) ** 2))


def cube(n, lo=-1.0, hi=1.0):
    return Dimension(n, [[lo, hi]] * n, [True] * n)


def test_every_public_name_and_signature_of_zoopt_exists():
    zoopt = pytest.importorskip("zoopt")
    checked = 0
    for name in PUBLIC_CLASSES:
        theirs, ours = getattr(zoopt, name), getattr(zoo_opt, name)
        for attr in ["__init__"] + [a for a in dir(theirs) if not a.startswith("_")]:
            assert hasattr(ours, attr), "%s.%s is missing" % (name, attr)
            f_theirs, f_ours = getattr(theirs, attr), getattr(ours, attr)
            if not callable(f_theirs):
                continue
            try:
                params_theirs = [p for p in inspect.signature(f_theirs).parameters if p != "self"]
            except (TypeError, ValueError):
                continue
            params_ours = [p for p in inspect.signature(f_ours).parameters if p != "self"]
            assert params_ours[:len(params_theirs)] == params_theirs, "%s.%s" % (name, attr)
            checked += 1
    assert checked > 150
    from zoopt.utils import tool_function, zoo_global  # noqa: F401 (ZOOpt's module paths)
    from zoo_opt.utils import tool_function as ours_tf, zoo_global as ours_zg
    assert hasattr(ours_tf, "ToolFunction")
    for name in ("Global", "gl", "pos_inf", "neg_inf", "nan"):
        assert hasattr(ours_zg, name)


def test_utils_helpers_behave_as_zoopts():
    from zoo_opt.utils.tool_function import ToolFunction
    from zoo_opt.utils.zoo_global import gl, nan, neg_inf, pos_inf

    out = io.StringIO()
    with redirect_stdout(out):
        ToolFunction.log("hello")
    assert out.getvalue() == "[zoo_opt] hello\n"
    assert pos_inf == float("inf") and neg_inf == -pos_inf and nan != nan
    gl.set_seed(7)
    a = np.random.rand()
    gl.set_seed(7)
    assert np.random.rand() == a
    Opt.set_global(Parameter(budget=10, seed=7, precision=1e-3))
    assert np.random.rand() == a
    assert gl.precision == 1e-3
    gl.set_precision(1e-17)


def test_parameter_defaults_are_zoopts():
    p = Parameter(budget=100)
    assert isinstance(p.get_stopping_criterion(), zoo_opt.DefaultStoppingCriterion)
    assert p.get_stopping_criterion() is Parameter(budget=5).get_stopping_criterion()  # one shared
    assert p.get_low_dimension().get_size() == 10
    assert p.get_withdraw_alpha().get_regions() == [[-1, 1]]
    assert p.get_variance_A() == 0.1
    assert p.get_isolationFunc()(np.zeros(3)) == 0


def test_budget_counts_points_under_resampling_as_zoopt_states_it():
    p = Parameter(budget=600, noise_handling=True, resampling=True, resample_times=3, seed=1)
    assert p.get_budget() == 200  # ZOOpt: 600 / 3 points
    objective = Objective(sphere, cube(3))
    Opt.min(objective, p)
    assert len(objective.get_history()) == 600  # each point costs 3 calls
    p.set_budget(50)  # points, as in ZOOpt
    objective.clean_history()
    Opt.min(objective, p)
    assert len(objective.get_history()) == 150


def test_objective_eval_resample_and_parameter_set_follow_zoopt():
    calls = []

    def f(solution):
        calls.append(1)
        return len(calls)  # 1, 2, 3, ...: averages are visible

    objective = Objective(f, cube(2))
    s = Solution([0.1, 0.2])
    assert objective.eval(s) == 1 and s.get_value() == 1
    # Value suppression's re-estimate: the mean of 2 evaluations (2, 3) blended half and
    # half with the original value 1; a second call spends nothing.
    objective.parameter_set(Parameter(budget=10, noise_handling=True, suppression=True, balance_rate=0.5))
    assert objective.resample(s, 2) == 2
    assert s.get_resample_value() == 2.5
    assert s.get_value() == 0.5 * 1 + 0.5 * 2.5
    assert objective.resample(s, 2) == 0
    assert objective.resample_func(Solution([0.0, 0.0]), 2) == 4.5  # calls 4 and 5
    # Under re-sampling, eval averages resample_times calls and records each one.
    objective.parameter_set(Parameter(budget=10, noise_handling=True, resampling=True, resample_times=3))
    before = len(objective.get_history())
    assert objective.eval(Solution([0.0, 0.0])) == 7  # mean of 6, 7, 8
    assert objective.get_history()[before:] == [6, 7, 8]
    # A resample_func given to the constructor replaces the default.
    custom = Objective(f, cube(2), resample_func=lambda sol, n: -1.0)
    t = Solution([0.0, 0.0], value=3.0)
    custom.resample(t, 5)
    assert t.get_resample_value() == -1.0
    assert custom.get_resample_func()(t, 1) == -1.0


def test_embedding_accessors_and_eval_under_reducedim():
    objective = Objective(lambda s: float(np.sum(np.asarray(s.get_x()))), cube(3))
    a = np.arange(6, dtype=float).reshape(3, 2)
    objective.set_A(a)
    objective.set_last_x(Solution([1.0, 1.0, 1.0]))
    assert objective.get_A() is a and objective.get_last_x().get_x() == [1.0, 1.0, 1.0]
    objective.parameter_set(Parameter(budget=10, high_dim_handling=True, reducedim=True))
    assert objective.get_reducedim()
    # x = [alpha, y]: the function sees alpha * last_x + A y.
    value = objective.eval(Solution([2.0, 1.0, -1.0]))
    assert value == pytest.approx(float(np.sum(2.0 * np.ones(3) + a @ np.array([1.0, -1.0]))))


def test_inherit_hooks_attach_to_every_evaluated_and_the_returned_solution():
    counter = {"n": 0}

    def inherit(parent=None):
        assert parent is None  # ZOOpt never passes a parent
        counter["n"] += 1
        return counter["n"]

    seen = []

    def f(solution):
        seen.append(solution.get_attach())
        return sphere(solution)

    objective = Objective(f, cube(2))
    objective.set_inherit_func(inherit)
    objective.set_post_inherit_func(lambda: "post")
    best = Opt.min(objective, Parameter(budget=50, seed=3))
    assert seen == list(range(1, 51))  # attach set before each call
    assert best.get_post_attach() == "post"
    # The returned solution carries the attachment of the evaluation that found it.
    assert seen[objective.get_history().index(best.get_value())] == best.get_attach()


def test_precision_makes_points_closer_than_it_count_as_repeats():
    objective = Objective(lambda s: s.get_x()[0], Dimension(1, [[0, 1]], [True]))
    best = Opt.min(objective, Parameter(budget=100, precision=0.25, seed=1))
    # Cells of width 0.25: at most five points, then the space is used up (ZOOpt would
    # keep drawing until its retry limit and re-evaluate).
    assert len(objective.get_history()) <= 5
    assert best.get_value() < 0.25
    exact = Objective(lambda s: s.get_x()[0], Dimension(1, [[0, 1]], [True]))
    Opt.min(exact, Parameter(budget=100, precision=0, seed=1))  # 0 is ignored, as in ZOOpt
    assert len(exact.get_history()) == 100
    with pytest.raises(ValueError, match="precision"):
        Opt.min(exact, Parameter(budget=10, precision=-1.0))


def test_dimension2_limited_space_counts_as_zoopts_test_expects():
    dim = Dimension2([(ValueType.CONTINUOUS, [-1, 1], 1e-6), (ValueType.CONTINUOUS, [-1, 1], 1e-6)])
    assert dim.limited_space() == (True, 4e12)
    grid = Dimension2([(ValueType.DISCRETE, [-1, 1], False), (ValueType.GRID, ["a", "b"])])
    assert grid.limited_space() == (True, 6)


def test_stopping_criteria_read_the_training_sets():
    seen = []

    class Patience:
        """ZOOpt's example criterion, reading the training sets as its docstring suggests."""

        def check(self, optcontent):
            positive, negative = optcontent.get_positive_data(), optcontent.get_negative_data()
            seen.append((len(positive), len(negative), len(optcontent.get_data())))
            assert all(isinstance(s, Solution) for s in positive + negative)
            # Consulted once the sets exist, as in ZOOpt: indexing them is safe.
            assert positive[0].get_value() == optcontent.get_best_solution().get_value()
            assert max(s.get_value() for s in positive) <= min(s.get_value() for s in negative)
            return optcontent.evaluations >= 300

    objective = Objective(sphere, cube(4))
    Opt.min(objective, Parameter(budget=1000, seed=2, stopping_criterion=Patience()))
    assert len(objective.get_history()) == 300
    # Budget 1000: 12 solutions trained on, 2 positive; the first check comes with the
    # twelfth value.
    assert seen[0] == seen[-1] == (2, 10, 12)
    assert len(seen) == 300 - 11
    # Threads: the criterion reads the sets of the running engine safely.
    threaded = Objective(sphere, cube(4))
    Opt.min(threaded, Parameter(budget=1000, seed=2, parallel=True, server_num=2,
                                parallel_backend="threads", stopping_criterion=Patience()))
    assert 300 <= len(threaded.get_history()) < 1000

    class Reads:
        def check(self, optcontent):
            optcontent.get_data()
            return False

    with pytest.raises(zoo_opt.UnsupportedParameter, match="training sets"):
        Opt.min(Objective(sphere, cube(4)), Parameter(budget=50, algorithm="cmaes", stopping_criterion=Reads()))


def test_a_custom_resample_func_re_estimates_under_value_suppression():
    calls = []

    def resample(solution, n):
        calls.append(n)
        return sphere(solution)  # the noise-free value: one call stands for n evaluations

    rng = np.random.default_rng(0)

    def noisy(solution):
        return sphere(solution) + rng.normal(0.0, 0.1)

    objective = Objective(noisy, cube(4), resample_func=resample)
    p = Parameter(budget=2000, noise_handling=True, suppression=True, non_update_allowed=50,
                  resample_times=10, seed=1)
    best = Opt.min(objective, p)
    assert calls and set(calls) == {10}
    # Each re-estimate takes its 10 evaluations from the budget without calling the
    # objective (ZOOpt's history does not see them either).
    assert len(objective.get_history()) == 2000 - 10 * len(calls)
    # The recommendation is a re-estimated solution, valued at its re-estimate.
    assert best.get_value() == pytest.approx(sphere(best), abs=1e-12)
    with pytest.raises(zoo_opt.UnsupportedParameter, match="value suppression"):
        Opt.min(Objective(sphere, cube(2), resample_func=resample), Parameter(budget=50))
    with pytest.raises(zoo_opt.UnsupportedParameter, match="sequential"):
        Opt.min(Objective(sphere, cube(2), resample_func=resample),
                Parameter(budget=50, noise_handling=True, suppression=True, parallel=True, server_num=2,
                          parallel_backend="threads"))
    with pytest.raises(zoo_opt.UnsupportedParameter, match="embedding"):
        Opt.min(Objective(sphere, cube(50), resample_func=resample),
                Parameter(budget=200, noise_handling=True, suppression=True, high_dim_handling=True,
                          reducedim=True, num_sre=2, low_dimension=cube(5)))


def test_the_isolation_function_keeps_one_front_per_class():
    n, k = 8, 3
    weights = np.arange(1, n + 1, dtype=float)

    def loss(solution):
        x = np.asarray(solution.get_x())
        return -float(weights @ x) if x.sum() <= k else float("inf")

    def size(solution):
        return k - float(np.sum(solution.get_x()))

    classes = []

    def has_first_item(x):
        classes.append(int(x[0]))
        return int(x[0])

    p = Parameter(budget=400, seed=4)
    p.set_isolationFunc(has_first_item)
    best = Opt.min(Objective(loss, Dimension(n, [[0, 1]] * n, [False] * n), constraint=size), p)
    assert set(classes) == {0, 1}  # called on archive members and newcomers, both classes seen
    assert best.get_value()[0] == -(8 + 7 + 6)
    with pytest.raises(zoo_opt.UnsupportedParameter, match="isolation"):
        q = Parameter(budget=10)
        q.set_isolationFunc(has_first_item)
        Opt.min(Objective(sphere, cube(2)), q)


def test_one_element_array_values_stay_arrays_as_in_zoopt():
    def f(solution):
        return np.array([sphere(solution)])

    objective = Objective(f, cube(3))
    best = Opt.min(objective, Parameter(budget=100, seed=1))
    value = best.get_value()
    assert isinstance(value, np.ndarray) and value.shape == (1,)
    assert all(isinstance(v, np.ndarray) and v.shape == (1,) for v in objective.get_history())
    assert value[0] == min(v[0] for v in objective.get_history())
    # Integer arrays: averages are not integers, the values come back as float arrays.
    ints = Objective(lambda s: np.array([int(10 * sphere(s))]), cube(3))
    p = Parameter(budget=60, noise_handling=True, resampling=True, resample_times=3, seed=1)
    assert Opt.min(ints, p).get_value().dtype == np.float64
    plain = Objective(sphere, cube(3))
    assert isinstance(Opt.min(plain, Parameter(budget=20, seed=1)).get_value(), float)


def test_the_fast_bridge_settings_give_the_same_run():
    runs = []
    for x_type, reuse in (("list", False), ("numpy", False), ("numpy", True), ("list", True)):
        objective = Objective(sphere, cube(5))
        best = Opt.min(objective, Parameter(budget=300, seed=5, x_type=x_type, reuse_solution=reuse))
        runs.append((list(best.get_x()), best.get_value(), objective.get_history()))
    assert all(r == runs[0] for r in runs[1:])
    with pytest.raises(ValueError, match="x_type"):
        Parameter(budget=10, x_type="tuple")


def test_an_embedding_result_holds_a_numpy_array_as_in_zoopt():
    p = Parameter(budget=200, high_dim_handling=True, reducedim=True, num_sre=2,
                  low_dimension=cube(5), seed=1)
    best = Opt.min(Objective(sphere, cube(50)), p)
    assert isinstance(best.get_x(), np.ndarray) and best.get_x().shape == (50,)


def test_exp_opt_summarises_array_values_without_numpy_warnings(recwarn):
    out = io.StringIO()
    with redirect_stdout(out):
        solutions = zoo_opt.ExpOpt.min(Objective(lambda s: np.array([sphere(s)]), cube(2)),
                                       Parameter(budget=30, seed=1), repeat=2)
    assert len(solutions) == 2 and "Best 2 result(s)" in out.getvalue()
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]
