"""matplotlib as the app's charts use it: imported on first use (`core.lazy`), and the one font
they write with (DejaVu Sans ships with matplotlib and has every Vietnamese letter)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping
from typing import Any

from core.lazy import lazy

matplotlib = lazy("matplotlib")
mpl_collections = lazy("matplotlib.collections")
mpl_figure = lazy("matplotlib.figure")
mpl_image = lazy("matplotlib.image")
mpl_lines = lazy("matplotlib.lines")
mpl_patches = lazy("matplotlib.patches")
mpl_path = lazy("matplotlib.path")
mpl_ticker = lazy("matplotlib.ticker")
mpl_transforms = lazy("matplotlib.transforms")
np = lazy("numpy")

FONT = "DejaVu Sans"

#: Held while matplotlib's settings are changed for a drawing (re-entrant: a PDF's pages are
#: saved within the PDF's settings).
_lock = threading.RLock()


@contextlib.contextmanager
def settings(rc: Mapping[str, Any]) -> Iterator[None]:
    """matplotlib's settings set to `rc` while a chart or a document is built or saved, and set
    back after, one thread at a time. The settings are the process's: a request's thread and
    the dashboard's warm round, or a dashboard chart and an HR PDF, each setting and restoring
    them, would otherwise restore them in the middle of the other's drawing (an SVG of glyph
    paths, a PDF of Type 3 fonts). Only these keys are saved and restored:
    `matplotlib.rc_context` copies and validates all of them, 0.2 ms a time."""
    params = matplotlib.rcParams
    with _lock:
        saved = {key: params[key] for key in rc}
        params.update(rc)
        try:
            yield
        finally:
            params.update(saved)
