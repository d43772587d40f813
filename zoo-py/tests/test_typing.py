"""The typed boundary: tests/typed_user.py passes ``mypy --strict`` against the package
source (py.typed, the Literal settings, the _native stub), a misspelt setting does not, and
the stub matches the native module (``stubtest``)."""

import os
import subprocess
import sys

import pytest

pytest.importorskip("mypy")

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.path.join(HERE, "..", "python"))
TYPED_USER = os.path.join(HERE, "typed_user.py")


def _mypy(*args, cwd):
    env = dict(os.environ, MYPYPATH=SOURCE)
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           "--cache-dir", os.devnull, *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_typed_user_script_passes_mypy_strict(tmp_path):
    run = _mypy(TYPED_USER, cwd=tmp_path)
    print(run.stdout, run.stderr)
    assert run.returncode == 0, run.stdout + run.stderr


def _mypy_fails_on(tmp_path, name, lines):
    """Runs mypy on a script of ``lines`` and returns its report, which must hold errors."""
    wrong = tmp_path / name
    wrong.write_text("".join(line + "\n" for line in lines))
    run = _mypy(str(wrong), cwd=tmp_path)
    print(run.stdout, run.stderr)
    assert run.returncode == 1, run.stdout + run.stderr
    return run


def test_misspelt_setting_fails_mypy_strict(tmp_path):
    run = _mypy_fails_on(tmp_path, "wrong.py", [
        "from zoo_opt import Optimizer, Parameter, Dimension",
        "p = Parameter(budget=100, replace=\"wrost\")",
        "o = Optimizer(Dimension(1, [[0.0, 1.0]], [True]), p)",
        "n: int = o.stop_reason",
    ])
    assert "wrost" in run.stdout  # the Literal rejects the misspelling
    assert 'Incompatible types in assignment (expression has type "Literal[' in run.stdout  # StopReason


def test_an_array_function_needs_x_type_numpy(tmp_path):
    run = _mypy_fails_on(tmp_path, "wrong_x_type.py", [
        "import numpy as np",
        "from numpy.typing import NDArray",
        "from zoo_opt import minimize",
        "def norm(x: NDArray[np.float64]) -> float:",
        "    return float(np.sum(x ** 2))",
        "r = minimize(norm, [(0.0, 1.0)], 10, x_type='numpy')",
        "minimize(norm, [(0.0, 1.0)], 10)",
        "shape: tuple[int, ...] = r.x.shape",
        "listed: list[float] = r.x",
    ])
    assert "wrong_x_type.py:7: error" in run.stdout and ":6: error" not in run.stdout
    # result.x is typed as the array it is: its shape checks, a list annotation does not.
    assert ":8: error" not in run.stdout and "wrong_x_type.py:9: error" in run.stdout


def test_a_bare_result_annotation_means_the_list(tmp_path):
    run = _mypy_fails_on(tmp_path, "bare.py", [
        "from zoo_opt import MinimizeResult, minimize",
        "def run() -> MinimizeResult:",
        "    return minimize(lambda x: sum(x), [(0.0, 1.0)], 10)",
        "listed: list[float] = run().x",
        "wrong: str = run().x",
    ])
    # Only the last line is wrong: a bare MinimizeResult is the list's, under --strict too.
    errors = [line for line in run.stdout.splitlines() if "bare.py:" in line and ": error" in line]
    assert len(errors) == 1 and "bare.py:5: error" in errors[0], run.stdout


def test_native_stub_matches_the_module(tmp_path):
    pytest.importorskip("zoo_opt._native")
    env = dict(os.environ, MYPYPATH=SOURCE)
    run = subprocess.run([sys.executable, "-m", "mypy.stubtest", "zoo_opt._native", "--mypy-config-file",
                          os.devnull], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    print(run.stdout, run.stderr)
    assert run.returncode == 0, run.stdout + run.stderr
