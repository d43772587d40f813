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
