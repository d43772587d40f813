"""Issue #13 at the Python edge: damaged pickles and warm starts outside the space raise
ordinary exceptions (ValueError), never a Rust panic (a BaseException) or a corrupt run."""

import copy
import json
import math
import pickle
import random

import pytest

from zoo_opt import Dimension, Objective, Opt, Optimizer, Parameter


def sphere_x(x):
    return sum((v - 0.2) ** 2 for v in x)


def cube(n):
    return Dimension(n, [[-1, 1]] * n, [True] * n)


def paused_state():
    """An optimizer's pickled state after 60 of 200 evaluations, with one point in flight."""
    opt = Optimizer(cube(3), budget=200, seed=7)
    for _ in range(60):
        s = opt.ask()
        opt.tell(s, sphere_x(s.get_x()))
    opt.ask()
    state = opt.__getstate__()
    return state, json.loads(state["state"])


def restore(state, native):
    state = dict(state, state=json.dumps(native))
    opt = Optimizer.__new__(Optimizer)
    opt.__setstate__(state)
    return opt


def test_a_valid_pickle_still_restores():
    state, native = paused_state()
    opt = restore(state, native)
    assert opt.told == 60 and len(opt.pending) == 1


@pytest.mark.parametrize("damage", [
    lambda s: s["ledger"].__setitem__("evaluations", 201),
    lambda s: s["ledger"]["history"]["values"].pop(),
    lambda s: s["ledger"].__setitem__("in_flight", 0),
    lambda s: s["ledger"].__setitem__("version", 99),
    lambda s: s.__setitem__("next_id", 0),
    lambda s: s["pending"][0][1].__setitem__(0, 7.0),
    lambda s: s["pending"][0][1].append(0.0),
    lambda s: s.__setitem__("asked", 3),
    lambda s: s["spec"]["space"].pop(),
])
def test_damaged_pickles_raise_value_error(damage):
    state, native = paused_state()
    damage(native)
    with pytest.raises(ValueError):
        restore(state, native)


def _damage(node, rng):
    """One random change somewhere in a JSON value (numbers, lists, flags)."""
    paths = []

    def walk(value, path):
        paths.append(path)
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, path + [k])
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, path + [i])

    walk(node, [])
    path = rng.choice(paths[1:])
    parent = node
    for key in path[:-1]:
        parent = parent[key]
    value = parent[path[-1]]
    if isinstance(value, bool):
        parent[path[-1]] = not value
    elif isinstance(value, int):
        parent[path[-1]] = rng.choice([0, 1, value + 1, max(0, value - 1), 2 * value, 10 ** 13, 2 ** 64 - 1])
    elif isinstance(value, float):
        parent[path[-1]] = rng.choice([0.0, -value, value * 1e6, 1e308, -1e308, value + 0.5])
    elif isinstance(value, list):
        if value and rng.random() < 0.5:
            value.pop(rng.randrange(len(value)))
        elif value:
            value.append(copy.deepcopy(value[0]))
        else:
            value.append(0)


def test_randomly_damaged_pickles_never_panic_and_never_ask_outside_the_space():
    state, native = paused_state()
    rng = random.Random(13)
    restored = 0
    for case in range(300):
        damaged = copy.deepcopy(native)
        for _ in range(rng.randint(1, 3)):
            _damage(damaged, rng)
        try:
            opt = restore(state, damaged)
        except Exception:
            continue
        except BaseException as e:  # a PanicException is not an Exception
            pytest.fail("case %d raised %r" % (case, e))
        restored += 1
        try:
            for _ in range(20):
                s = opt.ask()
                if s is None:
                    break
                x = s.get_x()
                assert len(x) == 3 and all(-1 <= v <= 1 for v in x), (case, x)
                opt.tell(s, sphere_x(x))
        except AssertionError:
            raise
        except Exception:
            pass
        except BaseException as e:
            pytest.fail("case %d raised %r" % (case, e))
    assert 0 < restored < 300


@pytest.mark.parametrize("point", [[5.0, 0.0], [math.nan, 0.0], [0.0, -math.inf]])
def test_warm_starts_outside_the_space_raise_value_error(point):
    with pytest.raises(ValueError):
        Opt.min(Objective(lambda s: sphere_x(s.get_x()), cube(2)), Parameter(budget=20, init_samples=[point]))
    with pytest.raises(ValueError):
        Optimizer(cube(2), Parameter(budget=20, init_samples=[point]))
    opt = Optimizer(cube(2), budget=20, seed=1)
    with pytest.raises(ValueError):
        opt.tell(point, 0.0)
    # The optimizer is unharmed: it goes on inside the space.
    s = opt.ask()
    assert all(-1 <= v <= 1 for v in s.get_x())


def test_pickle_round_trip_of_a_restored_optimizer():
    state, native = paused_state()
    opt = restore(state, native)
    again = pickle.loads(pickle.dumps(opt))
    assert again.told == 60


def sphere_solution(solution):
    return sphere_x(solution.get_x())


@pytest.mark.parametrize("region", [[float("nan"), 1.0], [0.0, math.inf], [-math.inf, 0.0]])
def test_a_bound_that_is_not_finite_names_its_coordinate(region):
    from zoo_opt import Dimension2, ValueType
    dims = [Dimension(2, [[-1, 1], region], [True, True]), Dimension2([(ValueType.CONTINUOUS, region, 1e-3)])]
    for dim in dims:
        with pytest.raises(ValueError, match="coordinate .* not finite"):
            Opt.min(Objective(sphere_solution, dim), Parameter(budget=10, seed=1))
    with pytest.raises(ValueError, match="precision that is not finite"):
        dim2 = Dimension2([(ValueType.CONTINUOUS, [0, 1], float("nan"))])
        Opt.min(Objective(sphere_solution, dim2), Parameter(budget=10, seed=1))


@pytest.mark.parametrize("seed", ["1", 1.5, True, -1, 2**64])
def test_a_seed_that_is_not_an_int_in_range_is_refused(seed):
    with pytest.raises(ValueError, match="seed"):
        Opt.min(Objective(sphere_solution, cube(2)), Parameter(budget=10, seed=seed))


@pytest.mark.parametrize("budget", [float("nan"), math.inf])
def test_a_budget_that_is_not_finite_is_refused(budget):
    with pytest.raises(ValueError, match="finite"):
        Opt.min(Objective(sphere_solution, cube(2)), Parameter(budget=budget, seed=1))
    with pytest.raises(ValueError, match="finite"):
        Opt.min(Objective(sphere_solution, cube(2)), Parameter(budget=budget, seed=1, autoset=False))


def test_exp_opt_refuses_best_n_below_1_before_any_run():
    from zoo_opt import ExpOpt
    calls = []
    objective = Objective(lambda s: calls.append(1) or sphere_solution(s), cube(2))
    with pytest.raises(ValueError, match="best_n"):
        ExpOpt.min(objective, Parameter(budget=20, seed=1), repeat=2, best_n=0)
    assert calls == []


def test_the_returned_solution_says_why_the_run_stopped_and_keeps_it_when_copied():
    solution = Opt.min(Objective(sphere_solution, cube(2)), Parameter(budget=30, seed=1))
    assert solution.get_stop_reason() == "budget"
    assert pickle.loads(pickle.dumps(solution)).get_stop_reason() == "budget"
    assert solution.deep_copy().get_stop_reason() == "budget"
    target = Opt.min(Objective(sphere_solution, cube(2)), Parameter(budget=5000, seed=1, terminal_value=1e-3))
    assert target.get_stop_reason() == "target"
