"""The stopping scenarios of zoo-core/tests/data/stopping.json through the Python drivers:
the native run (sequential and on threads) and the ask/tell Optimizer's ledger; test_ray.py
runs the same table through the Ray driver. zoo-core/tests/stopping.rs runs it through the
Rust drivers: every driver must stop for the same reason after the same evaluations."""

import fcntl
import json
import os
import time

import pytest

from zoo_opt import Dimension, Parameter, Solution, _native, _spec

TABLE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "zoo-core", "tests", "data",
                          "stopping.json")
with open(TABLE_PATH) as f:
    TABLE = json.load(f)
SCENARIOS = TABLE["scenarios"]


class Counter:
    """Calls counted across processes (Ray workers) through a locked file."""

    def __init__(self, path):
        self.path = str(path)
        with open(self.path, "w") as f:
            f.write("0")

    def next(self):
        with open(self.path, "r+") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            k = int(f.read() or 0) + 1
            f.seek(0)
            f.write(str(k))
            f.truncate()
            return k


def objective(scenario, counter):
    """The scenario's objective: its value depends on the call order only."""
    countdown = scenario["objective"] == "countdown"
    sleep = scenario.get("sleep_ms", 0) / 1000.0

    def f(solution):
        k = counter.next()
        if sleep:
            time.sleep(sleep)
        return 10.0 - k if countdown else 1.0
    return f


def engine(scenario):
    space = TABLE["space"]
    dim = Dimension(space["dim"], [[space["lo"], space["hi"]]] * space["dim"], [True] * space["dim"])
    spec, categories = _spec.engine_spec(dim, Parameter(budget=scenario["budget"]), scenario["budget"])
    return _spec.dumps(spec), categories


def rules(scenario, threads=1):
    n = scenario.get("criterion_evaluations")
    return _native.RunRules(
        budget=scenario["budget"], seed=TABLE["seed"], target=scenario.get("target"),
        time_limit=scenario.get("time_limit_s"), patience=scenario.get("patience"),
        criterion=(lambda evaluations, x, value: evaluations >= n) if n is not None else None, threads=threads)


def warm(scenario):
    return ([list(p) for p in scenario.get("warm_points", [])],
            [(list(x), float(v)) for x, v in scenario.get("warm_evaluated", [])])


def run_native(scenario, counter, threads):
    spec, categories = engine(scenario)
    points, known = warm(scenario)
    result = _native.minimize(spec, categories, objective(scenario, counter), Solution, rules(scenario, threads),
                              init=points, init_evaluated=known)
    return result.stop, result.evaluations


def run_ask_tell(scenario, counter):
    spec, categories = engine(scenario)
    points, known = warm(scenario)
    optimizer = _native.AskTell(spec, categories, rules(scenario), init=points, init_evaluated=known)
    f = objective(scenario, counter)
    while (asked := optimizer.ask()) is not None:
        no, x = asked
        if optimizer.tell_id(no, f(Solution(x))) is not None:
            break
    return optimizer.stop_reason, optimizer.told


def check(scenario, driver, stop, evaluations, in_flight):
    assert stop == scenario["stop"], (scenario["name"], driver)
    n = scenario["evaluations"]
    if n is None:
        return
    # Drivers with several evaluations in flight may stop up to (in flight - 1) values
    # off: finished evaluations are told in completion order.
    slack = in_flight - 1 if scenario["slack"] else 0
    assert n - slack <= evaluations <= n + slack, (scenario["name"], driver, evaluations)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_every_python_driver_stops_like_the_rust_loop(scenario, tmp_path):
    for driver, threads in (("run", 1), ("threads", 2), ("ask/tell", 1)):
        counter = Counter(tmp_path / ("calls-" + driver.replace("/", "-")))
        if driver == "ask/tell":
            stop, evaluations = run_ask_tell(scenario, counter)
        else:
            stop, evaluations = run_native(scenario, counter, threads)
        check(scenario, driver, stop, evaluations, threads)
