"""``Optimizer``: a plain ask/tell interface to the Rust samplers, for callers that run the
evaluations themselves. Its state pickles (through the Rust state's JSON form), so a
search can be checkpointed, sent to another process, and continued exactly."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Set, Union, cast

from . import _native, _spec
from .opt import _init_samples, _rules
from .parameter import Parameter
from .solution import Solution

if TYPE_CHECKING:
    from .dimension import Dimension, Dimension2
    from .types import StopReason

__all__ = ["Optimizer"]


class Optimizer:
    """Ask/tell minimization over ``dim`` (a ``Dimension`` or ``Dimension2``).

    ``parameter`` (a ``Parameter``) chooses the algorithm and its settings as in
    ``Opt.min`` — SRACOS by default, RACOS with ``sequential=False``, noise handling,
    sequential random embedding — and the run's rules, kept by the same Rust run ledger
    as ``Opt.min``: the ``budget`` (``ask`` hands out no more points than it allows), the
    terminal value, the time budget and the stopping criterion. ``budget=`` and ``seed=``
    are shortcuts when no parameter is given.

    ``ask()`` returns a ``Solution`` whose ``get_no()`` identifies it, or ``None`` once the
    run is over (``stop_reason`` says why) or every remaining evaluation is in flight;
    ``tell(solution, value)`` reports its value (NaN counts as +inf) and returns the name
    of the stopping rule that fired, if one did. Points may be told in any order, several
    may be in flight, and ``tell`` also accepts points that were never asked: solutions
    evaluated elsewhere (warm starts), which spend no budget.

    Example::

        opt = Optimizer(Dimension(2, [[-1, 1]] * 2, [True] * 2), budget=200, seed=1)
        while (s := opt.ask()) is not None:
            opt.tell(s, sum(v * v for v in s.get_x()))
        print(opt.best(), opt.stop_reason)
    """

    def __init__(self, dim: Union[Dimension, Dimension2], parameter: Optional[Parameter] = None, *,
                 budget: Optional[int] = None, seed: Optional[int] = None) -> None:
        if parameter is None:
            parameter = Parameter(budget=budget if budget is not None else 1000, seed=seed)
        elif budget is not None or seed is not None:
            raise ValueError("give budget and seed through the parameter, or without one")
        b = _spec.integer_budget(parameter.get_budget_calls())
        if parameter.get_parallel():
            raise ValueError("Optimizer evaluates nothing itself: parallel=True has no meaning here")
        spec, categories = _spec.engine_spec(dim, parameter, b)
        rules = _rules(parameter, b, _spec.resolve_seed(parameter.get_seed()))
        points, evaluated = _init_samples(parameter)
        self._dim = dim
        self._categories = categories
        self._native = _native.AskTell(_spec.dumps(spec), categories, rules, init=points, init_evaluated=evaluated)

    def ask(self) -> Optional[Solution]:
        """The next point to evaluate, as a ``Solution`` whose ``get_no()`` is its id; ``None``
        when the run is over (``stop_reason`` says why) or while points in flight must be
        told first (every remaining evaluation is in flight, or the algorithm needs their
        values: ``auto`` ends a sweep of line searches so)."""
        asked = self._native.ask()
        if asked is None:
            return None
        no, x = asked
        return Solution(x, no=no)

    def tell(self, solution: Union[Solution, Sequence[Any]], value: Optional[float] = None) -> Optional[StopReason]:
        """Reports ``value`` for ``solution`` (a ``Solution`` from ``ask``, or any point as a
        ``Solution`` or a list: a known solution, which spends no budget). Without
        ``value``, the solution's own value is used. Returns the name of the stopping rule
        that fired (``"budget"``, ``"target"``, ``"time_limit"``, ``"criterion"``, …), if
        one did."""
        x: Any = solution
        if isinstance(solution, Solution):
            if value is None:
                value = solution.get_value()
            no = solution.get_no()
            if no is not None and no in self._pending():
                return self._native.tell_id(no, float(value))
            x = solution.get_x()
        if value is None:
            raise ValueError("tell needs a value")
        self._native.tell(list(x), float(value))
        return None

    def discard(self, solution: Solution) -> None:
        """Gives up a point asked but never to be evaluated (counted as +inf)."""
        self._native.discard(cast(int, solution.get_no()))  # None: the native TypeError

    def best(self) -> Optional[Solution]:
        """The recommended ``Solution`` (``None`` before the first tell)."""
        b = self._native.best()
        return None if b is None else Solution(b[0], b[1])

    def _pending(self) -> Set[int]:
        return set(self._native.pending_ids)

    @property
    def asked(self) -> int:
        """Points asked so far."""
        return self._native.asked

    @property
    def told(self) -> int:
        """Values told for asked points so far (evaluations spent)."""
        return self._native.told

    @property
    def budget(self) -> int:
        """The evaluation budget."""
        return self._native.budget

    @property
    def stop_reason(self) -> Optional[StopReason]:
        """Why the run is over (``"budget"``, ``"target"``, …), or ``None`` while it goes on."""
        return self._native.stop_reason

    @property
    def decisions(self) -> Optional[List[Any]]:
        """What ``algorithm="auto"`` decided so far, in order (see ``Solution.get_decisions``);
        ``None`` for other algorithms."""
        decisions = self._native.decisions_json
        return json.loads(decisions) if decisions is not None else None

    @property
    def pending(self) -> List[int]:
        """Ids of points asked and not yet told."""
        return self._native.pending_ids

    def get_history(self) -> List[float]:
        """Every value told for an asked point, in order."""
        return self._native.history

    def get_history_bestsofar(self) -> List[float]:
        out: List[float] = []
        best = math.inf
        for v in self._native.history:
            if v < best:
                best = v
            out.append(best)
        return out

    def __getstate__(self) -> Dict[str, Any]:
        # The stopping criterion is a Python callable: it is not part of the state.
        return {"version": 2, "dim": self._dim, "categories": self._categories,
                "state": self._native.state_json()}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        if state.get("version") != 2:
            raise ValueError("unsupported Optimizer state version %r" % state.get("version"))
        self._dim = state["dim"]
        self._categories = state["categories"]
        self._native = _native.AskTell.from_state_json(state["state"], self._categories)


