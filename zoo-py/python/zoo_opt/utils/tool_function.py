"""``ToolFunction``: ZOOpt's logging helper, for scripts that call it."""

from __future__ import annotations

__all__ = ["ToolFunction"]


class ToolFunction:
    """ZOOpt's helper class; ``log`` prints a line with the package's prefix."""

    @staticmethod
    def log(text: str) -> None:
        print("[zoo_opt] " + text)
