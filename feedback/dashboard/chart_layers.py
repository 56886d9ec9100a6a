"""A dashboard chart as two layers drawn by matplotlib: its frame and its marks.

The frame is what charts of the same kind and period share: the axes, ticks, tick labels,
grid, title, legend and colour bar. The marks are the values: lines, bands, bars, cells and the
labels that name them. Both are drawn on a figure of the same fixed layout (size, margins in
inches, data limits), so the marks' SVG lies exactly over the frame's and the two documents
compose into one (`compose`). Both layers are figure artists (lines, collections, texts, a
legend) placed by transforms computed from the layout, not matplotlib Axes, whose tick machinery
cost 20–45 ms a chart: a frame costs a few milliseconds, like the marks. A frame is drawn once
and serves every unit whose chart has the same frame. The PNG download draws both layers on one
figure.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from feedback.plotting import FONT, mpl_figure, settings
from feedback.plotting import mpl_transforms as transforms

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.transforms import Transform

RC = {"font.family": [FONT, "sans-serif"], "svg.fonttype": "none", "svg.hashsalt": "hailong"}
#: Texts whose SVG size is kept (`_measure_svg_text_once`), about 2 MB.
MEASURED_TEXTS = 16384
#: Where the marks' document starts drawing, and the references to ids inside it.
_FIGURE_START = b'<g id="figure_1"'
_ID_OR_REFERENCE = re.compile(rb'(id="|url\(#|href="#)')


@dataclass(frozen=True)
class Layout:
    """The fixed geometry both layers are drawn on: figure size and axes margins in inches,
    and the data limits of the axes."""

    width: float
    height: float
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    left: float = 0.6
    right: float = 0.25
    top: float = 0.45
    bottom: float = 0.45

    def rect(self) -> tuple[float, float, float, float]:
        """The axes as (left, bottom, width, height) fractions of the figure."""
        return (self.left / self.width, self.bottom / self.height,
                1 - (self.left + self.right) / self.width,
                1 - (self.top + self.bottom) / self.height)


@dataclass(frozen=True)
class Place:
    """Where marks are drawn: the transforms from the chart's data coordinates and from
    fractions of its axes box to the figure (marks are figure artists, drawn the same with or
    without the frame's axes)."""

    data: Transform
    axes: Transform

    def across(self) -> Transform:
        """x in fractions of the axes, y in data (a horizontal line or its label)."""
        return transforms.blended_transform_factory(self.axes, self.data)

    def up(self) -> Transform:
        """x in data, y in fractions of the axes (a vertical line or its label)."""
        return transforms.blended_transform_factory(self.data, self.axes)


#: A layer: a function drawing on (figure, place) and the plain values it is called with.
Layer = tuple[Callable[..., None], tuple]


@dataclass(frozen=True)
class Chart:
    """A chart to draw: its layout, frame and marks (their `repr` is stable, so it names the
    chart and its frame). A chart without a frame draws everything as marks: one whose frame
    would differ from unit to unit (a ranking's size follows its items) shares nothing."""

    layout: Layout
    frame: Layer | None
    marks: Layer

    def digest(self) -> str:
        """A hash of the chart kind and every value drawn (equal values, equal chart)."""
        return _digest(self.layout, self.frame, self.marks)

    def frame_digest(self) -> str:
        """A hash of what the frame draws (equal for every unit with the same frame): its
        values and the figure's geometry. The data limits are not in it: what a frame draws
        in data coordinates follows from its values (the trend's share axis, whose range
        follows the unit's shares, is drawn with the marks)."""
        layout = self.layout
        return _digest((layout.width, layout.height, layout.left, layout.right, layout.top,
                        layout.bottom), self.frame)

    def figure(self, frame: bool = True, marks: bool = True) -> Figure:
        """The matplotlib figure with the layers asked for; the marks alone are drawn on a
        transparent figure, to lie over the frame."""
        layout = self.layout
        with settings(RC):
            figure = mpl_figure.Figure(figsize=(layout.width, layout.height))
            figure.patch.set_visible(frame)
            place = place_at(figure, layout.rect(), layout.xlim, layout.ylim)
            for wanted, layer in ((frame, self.frame), (marks, self.marks)):
                if wanted and layer:
                    draw, args = layer
                    draw(figure, place, *args)
        return figure


def place_at(figure: Figure, rect: tuple[float, float, float, float],
             xlim: tuple[float, float], ylim: tuple[float, float]) -> Place:
    """The place of a box of the figure ((left, bottom, width, height) fractions) showing
    these data limits."""
    box = transforms.BboxTransformTo(transforms.TransformedBbox(
        transforms.Bbox.from_bounds(*rect), figure.transFigure))
    limits = transforms.Bbox.from_extents(xlim[0], ylim[0], xlim[1], ylim[1])
    return Place(transforms.BboxTransformFrom(limits) + box, box)


@functools.lru_cache(maxsize=4096)
def text_width(text: str, fontsize: float) -> float:
    """The width in points of a text in the charts' font, as the SVG renderer measures it (to
    lay out a row of texts without matplotlib's layout boxes)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family=RC["font.family"], size=fontsize)
    return TextToPath().get_text_width_height_descent(text, prop, False)[0]


def _digest(geometry: object, *layers: Layer | None) -> str:
    text = repr((geometry, [layer and (layer[0].__name__, layer[1]) for layer in layers]))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@functools.cache
def _measure_svg_text_once() -> None:
    """Measure each SVG text once per process, not once per drawing.

    matplotlib measures every text it draws (to align it) with FreeType, and keeps the result
    only for the renderer that asked, which lives for one `savefig`: a ranking's names, the
    tick labels and "90 %" were measured again on every chart, a third of the time of a
    ranking's marks. It also looks the font up and reads its ascent, descent and line gap
    from the font file's tables for every text. For SVG both depend on nothing but the text,
    its font properties and whether it is mathtext (the SVG renderer is always at 72 dpi), so
    the SVG renderer answers both from bounded caches keyed by those (the font's heights
    through the hook matplotlib's PDF and PostScript renderers use for their own fonts).
    """
    from matplotlib.backends.backend_svg import RendererSVG
    from matplotlib.textpath import TextToPath

    from feedback.dashboard.chart_text import font_heights, font_key

    text2path = TextToPath()
    sizes: dict[tuple, tuple[float, float, float]] = {}

    def get_text_width_height_descent(self, text, prop, ismath):
        key = (text, ismath, *font_key(prop))
        found = sizes.get(key)
        if found is None:
            if len(sizes) >= MEASURED_TEXTS:
                sizes.clear()
            found = sizes[key] = text2path.get_text_width_height_descent(text, prop, ismath)
        return found

    def get_font_height_metrics(self, prop):
        return font_heights(prop)

    RendererSVG.get_text_width_height_descent = get_text_width_height_descent
    RendererSVG._get_font_height_metrics = get_font_height_metrics


def render(figure: Figure, fmt: str) -> bytes:
    """The figure as "svg" or "png" bytes (no script, no external reference, no timestamp)."""
    buffer = io.BytesIO()
    with settings(RC):
        if fmt == "svg":
            _measure_svg_text_once()
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        elif fmt == "png":
            figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
        else:
            raise ValueError(f"unknown format {fmt!r}")
    return buffer.getvalue()


def compose(frame: bytes, marks: bytes) -> bytes:
    """One SVG document: the marks' drawing over the frame's. Both were drawn on the same
    layout, so they share the view box; the marks' ids are prefixed so none clashes."""
    body = marks[marks.index(_FIGURE_START):marks.rindex(b"</svg>")]
    end = frame.rindex(b"</svg>")
    return frame[:end] + _ID_OR_REFERENCE.sub(rb"\1m-", body) + frame[end:]
