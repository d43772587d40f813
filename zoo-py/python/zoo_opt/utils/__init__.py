"""ZOOpt's ``zoopt.utils`` modules: ``tool_function.ToolFunction`` and
``zoo_global`` (``gl``, ``pos_inf``, ``neg_inf``, ``nan``)."""

from .tool_function import ToolFunction
from .zoo_global import Global, gl, nan, neg_inf, pos_inf

__all__ = ["ToolFunction", "Global", "gl", "pos_inf", "neg_inf", "nan"]
