"""Stub of the native module ``zoo_opt._native`` (Rust, pyo3: zoo-py/src)."""

from typing import Any, Callable, List, Literal, Optional, Sequence, Tuple, final

from .types import StopReason

__all__ = ["minimize", "minimize_subset", "AskTell", "RunRules", "RunResult", "TrainingView", "sizes_for_budget",
           "__version__"]

__version__: str

# ``(evaluations, best_x, best_value)``: a stopping criterion returns a truth value, a
# progress callback's return value is ignored.
_Callback = Callable[[int, List[Any], float], object]

def sizes_for_budget(budget: int) -> Tuple[int, int]: ...

@final
class RunRules:
    def __new__(
        cls,
        *,
        budget: int,
        seed: int,
        target: Optional[float] = None,
        time_limit: Optional[float] = None,
        patience: Optional[int] = None,
        criterion: Optional[_Callback] = None,
        progress: Optional[_Callback] = None,
        progress_every: int = 100,
        threads: int = 1,
        x_type: Literal["list", "numpy"] = "list",
        reuse_solution: bool = False,
    ) -> RunRules: ...
    @property
    def budget(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def target(self) -> Optional[float]: ...
    @property
    def time_limit(self) -> Optional[float]: ...
    @property
    def patience(self) -> Optional[int]: ...
    @property
    def criterion(self) -> Optional[_Callback]: ...
    @property
    def progress(self) -> Optional[_Callback]: ...
    @property
    def progress_every(self) -> int: ...
    @property
    def threads(self) -> int: ...
    # What ``minimize``'s objective receives as ``solution.get_x()``: a new list per
    # evaluation (``"list"``) or a new float64 numpy array (``"numpy"``, integers as whole
    # floats, no categorical dimension); with ``reuse_solution`` one Solution and one x per worker are rewritten in
    # place for every evaluation, so the objective must not keep them.
    @property
    def x_type(self) -> Literal["list", "numpy"]: ...
    @property
    def reuse_solution(self) -> bool: ...

@final
class RunResult:
    @property
    def x(self) -> Any: ...
    @property
    def value(self) -> float: ...
    @property
    def history(self) -> List[float]: ...
    @property
    def evaluations(self) -> int: ...
    @property
    def stop(self) -> StopReason: ...
    @property
    def value_like(self) -> Optional[Any]: ...
    @property
    def decisions(self) -> Optional[str]: ...

@final
class TrainingView:
    # ``(positive, negative)`` Solutions of SRACOS/RACOS, or None for other algorithms.
    def sets(self) -> Optional[Tuple[List[Any], List[Any]]]: ...
    # Whether the sets are formed, or None for other algorithms.
    def formed(self) -> Optional[bool]: ...

@final
class AskTell:
    def __new__(
        cls,
        spec: str,
        categories: Sequence[Optional[List[Any]]],
        rules: RunRules,
        *,
        init: Optional[Sequence[Sequence[Any]]] = None,
        init_evaluated: Optional[Sequence[Tuple[Sequence[Any], float]]] = None,
    ) -> AskTell: ...
    def ask(self) -> Optional[Tuple[int, List[Any]]]: ...
    def tell_id(self, id: int, value: float) -> Optional[StopReason]: ...
    def tell(self, x: Sequence[Any], value: float) -> None: ...
    def discard(self, id: int) -> None: ...
    def set_rules(self, rules: RunRules) -> None: ...
    def best(self) -> Optional[Tuple[List[Any], float]]: ...
    def state_json(self) -> str: ...
    @staticmethod
    def from_state_json(
        json: str, categories: Sequence[Optional[List[Any]]], rules: Optional[RunRules] = None
    ) -> AskTell: ...
    @property
    def stop_reason(self) -> Optional[StopReason]: ...
    @property
    def decisions_json(self) -> Optional[str]: ...
    @property
    def budget(self) -> int: ...
    @property
    def asked(self) -> int: ...
    @property
    def told(self) -> int: ...
    @property
    def nan_told(self) -> int: ...
    @property
    def history(self) -> List[float]: ...
    @property
    def pending_ids(self) -> List[int]: ...

def minimize(
    spec: str,
    categories: Sequence[Optional[List[Any]]],
    func: Callable[[Any], Any],
    solution_cls: Callable[..., Any],
    rules: RunRules,
    *,
    init: Optional[Sequence[Sequence[Any]]] = None,
    init_evaluated: Optional[Sequence[Tuple[Sequence[Any], float]]] = None,
    resample: Optional[Callable[[Any, int], Any]] = None,
    training_view: bool = False,
) -> RunResult: ...
def minimize_subset(
    n: int,
    func: Callable[[Any], Any],
    constraint: Callable[[Any], Any],
    solution_cls: Callable[..., Any],
    to_array: Callable[[List[float]], Any],
    rules: RunRules,
    *,
    ponss: Optional[Tuple[float, int]] = None,
    isolation: Optional[Callable[[Any], Any]] = None,
) -> RunResult: ...
