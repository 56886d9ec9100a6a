"""matplotlib as the app's charts use it: imported on first use (`core.lazy`), and the one font
they write with (DejaVu Sans ships with matplotlib and has every Vietnamese letter)."""

from __future__ import annotations

from core.lazy import lazy

matplotlib = lazy("matplotlib")
mpl_collections = lazy("matplotlib.collections")
mpl_figure = lazy("matplotlib.figure")
mpl_image = lazy("matplotlib.image")
mpl_lines = lazy("matplotlib.lines")
mpl_patches = lazy("matplotlib.patches")
mpl_ticker = lazy("matplotlib.ticker")
mpl_transforms = lazy("matplotlib.transforms")
np = lazy("numpy")

FONT = "DejaVu Sans"
