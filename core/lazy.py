"""Heavy libraries imported on first use, not when the app starts.

`flask --app app <command>` builds the whole app; matplotlib, numpy and openpyxl would cost
every command (and every test process) their import time although only a chart, a PDF or a
spreadsheet needs them. A module that uses them binds `lazy("matplotlib.figure")` instead of
importing it: the real import happens at the first attribute read, then `sys.modules` answers.
gunicorn workers import them before serving (`gunicorn_conf.py`).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

#: What the app's requests draw with, imported by each gunicorn worker before it serves (the
#: PDF exports: matplotlib's PDF backend, fpdf2 and pypdf, 0.3–0.7 s each on a first export).
WARM = ("matplotlib.figure", "matplotlib.ticker", "matplotlib.backends.backend_svg",
        "matplotlib.backends.backend_agg", "matplotlib.backends.backend_pdf", "fpdf", "pypdf",
        "numpy", "openpyxl")


class LazyModule:
    """Stands for a module until an attribute is read."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        module = self.__dict__.get("_module")
        if module is None:  # imported once, then kept (a chart reads ~80 attributes)
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)


def lazy(name: str) -> Any:
    """A stand-in for module `name` that imports it at the first attribute read."""
    return LazyModule(name)


def warm() -> None:
    """Import what requests draw with (charts, spreadsheets) now rather than on a request."""
    for name in WARM:
        importlib.import_module(name)
