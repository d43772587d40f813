"""zoo's algorithms beyond ZOOpt's: ``algorithm="cmaes"``, ``"tpe"``, ``"de"`` and ``"auto"``."""

import math

import numpy as np
import pytest

from zoo_opt import Dimension, Dimension2, Objective, Opt, Optimizer, Parameter, ValueType, minimize


def sphere(solution):
    return sum((v - 0.2) ** 2 for v in solution.get_x())


def cube(n):
    return Dimension(n, [[-1, 1]] * n, [True] * n)


@pytest.mark.parametrize("algorithm", ["cmaes", "auto", "CMAES", "Auto"])
def test_cmaes_and_auto_converge_on_a_smooth_problem_with_the_exact_budget(algorithm):
    values = []
    for seed in (1, 2, 3):
        objective = Objective(sphere, cube(10))
        solution = Opt.min(objective, Parameter(budget=2000, seed=seed, algorithm=algorithm))
        assert len(objective.get_history()) == 2000
        values.append(solution.get_value())
    # SRACOS stalls near 1e-3 on this budget; CMA-ES goes far below.
    assert np.median(values) < 1e-6, values


def test_auto_keeps_sracos_strength_on_a_separable_multimodal_problem():
    def rastrigin(solution):
        x = np.asarray(solution.get_x())
        return float(10 * len(x) + np.sum(x * x - 10 * np.cos(2 * np.pi * x)))

    dim = Dimension(10, [[-5.12, 5.12]] * 10, [True] * 10)
    values = [Opt.min(Objective(rastrigin, dim), Parameter(budget=3000, seed=s, algorithm="auto")).get_value()
              for s in (1, 2, 3)]
    assert np.median(values) < 5, values


def test_auto_finds_a_logarithm_of_a_separable_sum_separable():
    def log_sphere(solution):
        x = np.asarray(solution.get_x()) - 0.3
        return float(np.log1p(np.sum(x * x)))

    solution = Opt.min(Objective(log_sphere, cube(10)), Parameter(budget=2000, seed=1, algorithm="auto"))
    probed = [d["probed"] for d in solution.get_decisions() if isinstance(d, dict) and "probed" in d]
    assert probed[0]["separable"] is True and probed[0]["scale"] == "exp", probed
    assert solution.get_value() < 1e-12


def test_auto_zooms_in_on_a_fast_oscillation_and_says_so():
    def stretched_rastrigin(solution):
        x = np.asarray(solution.get_x())
        i = np.arange(len(x))
        z = 10 ** (1.5 * i / (len(x) - 1)) * (x - (1.234 - 0.37 * i))
        return float(np.sum(10 * (1 - np.cos(2 * np.pi * z)) + z * z))

    dim = Dimension(10, [[-5, 5]] * 10, [True] * 10)
    solution = Opt.min(Objective(stretched_rastrigin, dim), Parameter(budget=10_000, seed=1, algorithm="auto"))
    zooms = [d["zoomed"] for d in solution.get_decisions() if isinstance(d, dict) and "zoomed" in d]
    # Every coordinate, once; without the zoom, runs end valleys away (about 1 each).
    assert len(zooms) == 1 and zooms[0]["coordinates"] == 10, solution.get_decisions()
    assert solution.get_value() < 1e-6


def test_auto_reports_its_decisions():
    import pickle

    solution = Opt.min(Objective(sphere, cube(10)), Parameter(budget=2000, seed=1, algorithm="auto"))
    decisions = solution.get_decisions()
    # A separable sphere: probed, profiled, line searches along the coordinates.
    kinds = [next(iter(d)) if isinstance(d, dict) else d for d in decisions]
    assert kinds[:4] == ["portfolio", "probed", "profiled", "line_searches"], decisions
    assert decisions[1]["probed"]["separable"] is True
    assert decisions[1]["probed"]["scale"] == "values"
    assert solution.get_value() < 1e-20
    assert pickle.loads(pickle.dumps(solution)).get_decisions() == decisions
    assert solution.deep_copy().get_decisions() == decisions
    assert Opt.min(Objective(sphere, cube(3)), Parameter(budget=50, seed=1)).get_decisions() is None
    opt = Optimizer(cube(5), Parameter(budget=100, seed=1, algorithm="auto"))
    assert opt.decisions == []  # nothing decided before the first ask
    while (s := opt.ask()) is not None:
        opt.tell(s, sphere(s))
    # 20 evaluations per coordinate: no race, SRACOS until CMA-ES polishes the last 30.
    assert [next(iter(d)) for d in opt.decisions] == ["portfolio", "polish"], opt.decisions
    assert opt.decisions[0]["portfolio"] == {"explore": 70, "race": 0}
    assert opt.decisions[1]["polish"]["at"] == 70
    assert Optimizer(cube(5), Parameter(budget=100, seed=1)).decisions is None


def test_auto_with_a_constraint_selects_subsets_with_poss():
    weights = np.arange(1, 11, dtype=float)

    def loss(solution):
        x = np.asarray(solution.get_x())
        return float(-np.dot(weights, x)) if x.sum() <= 3 else float("inf")

    def constraint(solution):
        return 3 - float(np.sum(solution.get_x()))

    objective = Objective(loss, Dimension(10, [[0, 1]] * 10, [False] * 10), constraint=constraint)
    solution = Opt.min(objective, Parameter(budget=300, seed=1, algorithm="auto"))
    assert solution.get_value()[0] == -(10 + 9 + 8)


def test_auto_under_declared_noise_and_cmaes_in_ask_tell():
    rng = np.random.default_rng(0)

    def noisy(solution):
        return sphere(solution) + rng.normal(0, 0.01)

    objective = Objective(noisy, cube(5))
    Opt.min(objective, Parameter(budget=1000, seed=1, algorithm="auto", noise_handling=True))
    assert len(objective.get_history()) == 1000
    opt = Optimizer(cube(5), Parameter(budget=500, seed=2, algorithm="cmaes"))
    while (s := opt.ask()) is not None:
        opt.tell(s, sphere(s))
    assert opt.stop_reason == "budget" and opt.told == 500
    assert opt.best().get_value() < 1e-6


def test_suppression_with_cmaes_is_refused():
    from zoo_opt import UnsupportedParameter
    with pytest.raises(UnsupportedParameter):
        Opt.min(Objective(sphere, cube(3)), Parameter(budget=100, algorithm="cmaes", noise_handling=True,
                                                      suppression=True))


def mixed_loss(x):
    """Two continuous coordinates, an integer 0..9 and a label of five values."""
    return (x[0] - 0.3) ** 2 + (x[1] + 0.2) ** 2 + 0.05 * abs(x[2] - 6) + (0.0 if x[3] == "c" else 0.5)


MIXED = Dimension2([(ValueType.CONTINUOUS, [-1, 1], 1e-6), (ValueType.CONTINUOUS, [-1, 1], 1e-6),
                    (ValueType.DISCRETE, [0, 9], True), (ValueType.GRID, ["a", "b", "c", "d", "e"])])


@pytest.mark.parametrize("algorithm", ["tpe", "TPE"])
def test_tpe_searches_a_mixed_space_with_the_exact_budget(algorithm):
    values = []
    for seed in range(1, 6):
        objective = Objective(lambda s: mixed_loss(s.get_x()), MIXED)
        solution = Opt.min(objective, Parameter(budget=60, seed=seed, algorithm=algorithm))
        assert len(objective.get_history()) == 60
        assert solution.get_x()[3] in ["a", "b", "c", "d", "e"]
        values.append(solution.get_value())
    # Random search's median over 400 runs of 60 points on this loss is 0.18 (0.07 at its
    # 10 % quantile); TPE's is 0.017 over seeds 1-30 (the worst 0.20) and over these five.
    assert np.median(values) < 0.1, values


@pytest.mark.parametrize("algorithm", ["tpe", "de"])
def test_tpe_and_de_pickle_in_ask_tell_and_continue_exactly(algorithm):
    import pickle

    opt = Optimizer(MIXED, Parameter(budget=80, seed=3, algorithm=algorithm))
    for _ in range(30):
        s = opt.ask()
        opt.tell(s, mixed_loss(s.get_x()))
    copy = pickle.loads(pickle.dumps(opt))
    while (a := opt.ask()) is not None:
        b = copy.ask()
        assert a.get_x() == b.get_x()
        opt.tell(a, mixed_loss(a.get_x()))
        copy.tell(b, mixed_loss(b.get_x()))
    assert copy.ask() is None and opt.told == copy.told == 80
    assert opt.best().get_value() == copy.best().get_value()
    assert opt.decisions is None


@pytest.mark.parametrize("algorithm", ["cmaes", "tpe", "de"])
def test_noise_handling_alone_is_refused_where_it_would_change_nothing(algorithm):
    from zoo_opt import UnsupportedParameter
    calls = []

    def counted(s):
        calls.append(1)
        return sphere(s)
    with pytest.raises(UnsupportedParameter, match="needs resampling=True"):
        Opt.min(Objective(counted, cube(3)), Parameter(budget=100, algorithm=algorithm, noise_handling=True))
    with pytest.raises(UnsupportedParameter, match="needs resampling=True"):
        Optimizer(cube(3), Parameter(budget=100, algorithm=algorithm, noise_handling=True))
    assert calls == []
    # With re-sampling it runs (each point evaluated twice), and auto takes the hint alone.
    objective = Objective(counted, cube(3))
    Opt.min(objective, Parameter(budget=100, algorithm=algorithm, noise_handling=True, resampling=True,
                                 resample_times=2, seed=1))
    assert len(objective.get_history()) == 100
    Opt.min(Objective(sphere, cube(3)), Parameter(budget=100, algorithm="auto", noise_handling=True, seed=1))


@pytest.mark.parametrize("algorithm", ["tpe", "de"])
def test_tpe_and_de_refuse_suppression_and_embedding(algorithm):
    from zoo_opt import UnsupportedParameter
    with pytest.raises(UnsupportedParameter, match="suppression"):
        Opt.min(Objective(sphere, cube(3)), Parameter(budget=100, algorithm=algorithm, noise_handling=True,
                                                      suppression=True))
    with pytest.raises(UnsupportedParameter, match="embedding"):
        Opt.min(Objective(sphere, cube(30)), Parameter(budget=100, algorithm=algorithm, high_dim_handling=True,
                                                       reducedim=True, low_dimension=cube(3)))


@pytest.mark.parametrize("algorithm", ["tpe", "de"])
def test_tpe_and_de_take_resampling_and_refuse_precision(algorithm):
    from zoo_opt import UnsupportedParameter
    rng = np.random.default_rng(0)
    objective = Objective(lambda s: sphere(s) + rng.normal(0, 0.01), cube(3))
    Opt.min(objective, Parameter(budget=90, seed=1, algorithm=algorithm, noise_handling=True, resampling=True,
                                 resample_times=3))
    history = objective.get_history()
    # Every point is evaluated three times and told the mean: 30 points for 90 evaluations.
    assert len(history) == 90
    with pytest.raises(UnsupportedParameter, match="precision"):
        Opt.min(Objective(sphere, cube(3)), Parameter(budget=10, precision=1e-6, algorithm=algorithm))


@pytest.mark.parametrize("name", ["tpee", "poss", "random"])
def test_ask_tell_refuses_an_algorithm_it_cannot_run(name):
    with pytest.raises(ValueError, match="cannot run here"):
        Optimizer(cube(3), Parameter(budget=10, algorithm=name))  # type: ignore[arg-type]


def schwefel(x):
    """Schwefel's function: its global minimum 0 (at 420.97 in every coordinate) lies far
    from the next best local minima."""
    return 418.9828872724339 * len(x) - sum(v * math.sin(math.sqrt(abs(v))) for v in x)


def test_de_finds_the_global_minimum_of_schwefels_function():
    results = [minimize(schwefel, [(-500, 500)] * 2, 2000, algorithm="de", seed=seed) for seed in range(1, 6)]
    assert all(r.nfev == 2000 for r in results)
    # Measured: all five at 2.3e-13; CMA-ES (algorithm="cmaes") ends in a local minimum
    # on 4 of these seeds (13.2-119).
    assert sorted(r.fun for r in results)[2] < 1e-6, [r.fun for r in results]
    solution = Opt.min(Objective(lambda s: schwefel(s.get_x()), Dimension(2, [[-500, 500]] * 2, [True] * 2)),
                       Parameter(budget=2000, seed=1, algorithm="de"))
    assert solution.get_value() == results[0].fun


def test_auto_sweeps_the_values_of_separable_labels():
    # Twelve labels of five values, each with its own best value: one value sweep finds it.
    values = ["a", "b", "c", "d", "e"]
    best = [values[(3 * i) % 5] for i in range(12)]

    def cost(solution):
        return sum(0 if v == b else 1 + values.index(v) for v, b in zip(solution.get_x(), best))

    dim = Dimension2([(ValueType.GRID, values)] * 12)
    solution = Opt.min(Objective(cost, dim), Parameter(budget=300, seed=1, algorithm="auto"))
    kinds = [next(iter(d)) if isinstance(d, dict) else d for d in solution.get_decisions()]
    assert "value_sweeps" in kinds and "value_sweeps_ended" in kinds, solution.get_decisions()
    assert solution.get_value() == 0 and solution.get_x() == best
