"""The ask/tell Optimizer: evaluation driven by the caller, state that pickles."""

import math
import pickle

import pytest

from zoo_opt import Dimension, Dimension2, Optimizer, Parameter, Solution, ValueType


def sphere_x(x):
    return sum((v - 0.2) ** 2 for v in x)


def cube(n):
    return Dimension(n, [[-1, 1]] * n, [True] * n)


def test_ask_tell_loop_minimizes():
    opt = Optimizer(cube(5), budget=1000, seed=1)
    for _ in range(1000):
        s = opt.ask()
        opt.tell(s, sphere_x(s.get_x()))
    assert opt.told == opt.asked == 1000
    assert opt.best().get_value() < 0.05
    assert opt.best().get_value() == min(opt.get_history())


def test_matches_opt_min_for_the_same_seed():
    from zoo_opt import Objective, Opt
    objective = Objective(lambda s: sphere_x(s.get_x()), cube(4))
    Opt.min(objective, Parameter(budget=300, seed=9))
    opt = Optimizer(cube(4), Parameter(budget=300, seed=9))
    for _ in range(300):
        s = opt.ask()
        opt.tell(s, sphere_x(s.get_x()))
    assert opt.get_history() == objective.get_history()


def test_out_of_order_tells_and_several_points_in_flight():
    opt = Optimizer(cube(3), budget=400, seed=2)
    for _ in range(100):
        batch = [opt.ask() for _ in range(4)]
        assert len({tuple(s.get_x()) for s in batch}) == 4
        for s in reversed(batch):
            opt.tell(s, sphere_x(s.get_x()))
    assert opt.pending == [] and opt.told == 400
    assert opt.best().get_value() < 0.1


def test_unasked_points_warm_start_and_nan_ranks_last():
    opt = Optimizer(cube(2), budget=100, seed=3)
    opt.tell([0.2, 0.2], 0.0)
    opt.tell(Solution([0.9, 0.9]), float("nan"))
    assert opt.best().get_x() == [0.2, 0.2]
    for _ in range(50):
        s = opt.ask()
        opt.tell(s, sphere_x(s.get_x()))
    assert opt.best().get_value() == 0.0


def test_pickle_continues_exactly():
    dim = Dimension2([(ValueType.CONTINUOUS, [-1, 1], 1e-3), (ValueType.DISCRETE, [0, 9], True),
                      (ValueType.GRID, ["a", "b", "c", "d"])])

    def f(x):
        return (x[0] - 0.3) ** 2 + abs(x[1] - 4) + "abcd".index(x[2])

    opt = Optimizer(dim, budget=300, seed=4)
    for _ in range(100):
        s = opt.ask()
        opt.tell(s, f(s.get_x()))
    in_flight = opt.ask()
    copy = pickle.loads(pickle.dumps(opt))
    assert copy.pending == opt.pending == [in_flight.get_no()]
    for o in (opt, copy):
        o.tell(in_flight, f(in_flight.get_x()))
    for _ in range(100):
        a, b = opt.ask(), copy.ask()
        assert a.get_x() == b.get_x()
        opt.tell(a, f(a.get_x()))
        copy.tell(b, f(b.get_x()))
    assert opt.get_history() == copy.get_history()
    assert opt.best().get_x() == copy.best().get_x()


def test_pickled_noise_handling_and_embedding_optimizers_continue():
    p = Parameter(budget=400, noise_handling=True, suppression=True, non_update_allowed=10, resample_times=3,
                  seed=5)
    big = Dimension(50, [[-1, 1]] * 50, [True] * 50)
    q = Parameter(budget=400, high_dim_handling=True, reducedim=True, num_sre=2,
                  low_dimension=Dimension(3, [[-1, 1]] * 3, [True] * 3), seed=5)
    for opt in (Optimizer(cube(3), p), Optimizer(big, q)):
        for _ in range(150):
            s = opt.ask()
            opt.tell(s, sphere_x(s.get_x()))
        copy = pickle.loads(pickle.dumps(opt))
        for _ in range(150):
            a, b = opt.ask(), copy.ask()
            assert a.get_x() == b.get_x()
            opt.tell(a, sphere_x(a.get_x()))
            copy.tell(b, sphere_x(b.get_x()))


def test_exhausted_space_returns_none():
    opt = Optimizer(Dimension(2, [[0, 1]] * 2, [False] * 2), budget=10, seed=1)
    asked = []
    while (s := opt.ask()) is not None:
        asked.append(tuple(s.get_x()))
        opt.tell(s, sum(s.get_x()))
    assert sorted(asked) == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_discard_and_bad_tells():
    opt = Optimizer(cube(2), budget=50, seed=1)
    s = opt.ask()
    opt.discard(s)
    assert opt.pending == []
    with pytest.raises(ValueError):
        opt.tell([0.1], 1.0)  # wrong length
    with pytest.raises(ValueError):
        opt.tell(opt.ask().get_x())  # no value
    grid = Optimizer(Dimension2([(ValueType.GRID, ["x", "y"])]), budget=10, seed=1)
    with pytest.raises(ValueError, match="not one of"):
        grid.tell(["z"], 1.0)
    assert math.isnan(Solution([0]).get_value())
