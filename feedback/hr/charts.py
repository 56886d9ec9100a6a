"""Charts of HR reports with matplotlib's object API (`Figure`, never pyplot).

Text uses DejaVu Sans, which has every Vietnamese letter; the callers pass translated labels.
PNG for the screens, and figures drawn onto PDF pages by feedback/hr/exports.py.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.lazy import lazy

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

matplotlib = lazy("matplotlib")
mpl_figure = lazy("matplotlib.figure")
mpl_lines = lazy("matplotlib.lines")
mpl_ticker = lazy("matplotlib.ticker")

FONT = "DejaVu Sans"
RC = {"font.family": FONT, "pdf.fonttype": 42, "svg.fonttype": "none"}
BAR = "#2f6f9f"
LINE = "#c0392b"
MUTED = "#9aa5ad"
#: A fixed title height above the axes: matplotlib would otherwise measure every tick label of
#: the axes (and its twin) to place the title, a third of the time of a PDF page.
TITLE_Y = 1.03


def new_figure(width: float, height: float) -> Figure:
    """A blank figure in inches."""
    return mpl_figure.Figure(figsize=(width, height), layout="constrained")


def page_figure(width: float, height: float) -> Figure:
    """A blank page in inches whose parts the caller places itself: a fixed layout draws a
    22-page PDF several times faster than a constrained one, which measures every text first."""
    return mpl_figure.Figure(figsize=(width, height))


def draw_table(figure: Figure, rows: Sequence[tuple[str, str]], top: float, left: float,
               split: float, line_height: float = 0.0125) -> None:
    """Two columns of text (label, value) from `top` down, in figure coordinates, with a rule
    under each row; a row is as tall as its longest wrapped cell."""
    y = top
    for label, value in rows:
        figure.text(left, y, label, va="top", fontfamily=FONT, fontsize=9)
        figure.text(split, y, value, va="top", fontfamily=FONT, fontsize=9)
        y -= line_height * (max(label.count("\n"), value.count("\n")) + 1) + 0.006
        figure.add_artist(mpl_lines.Line2D((left, 1 - left), (y + 0.003, y + 0.003), linewidth=0.4,
                                 color=MUTED, transform=figure.transFigure))


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    out = io.BytesIO()
    with matplotlib.rc_context(RC):
        figure.savefig(out, format="png", dpi=110)
    return out.getvalue()


def draw_distribution(ax: Axes, scores: Sequence[float], title: str, xlabel: str,
                      ylabel: str) -> None:
    """Histogram of scores (0–100, bins of 5)."""
    ax.hist(list(scores), bins=range(0, 105, 5), color=BAR, edgecolor="white")
    ax.set_xlim(0, 100)
    ax.set_title(title, fontfamily=FONT, y=TITLE_Y)
    ax.set_xlabel(xlabel, fontfamily=FONT)
    ax.set_ylabel(ylabel, fontfamily=FONT)
    ax.yaxis.get_major_locator().set_params(integer=True)


def distribution_png(scores: Sequence[float], title: str, xlabel: str, ylabel: str) -> bytes:
    """The distribution chart of a unit's scores as PNG."""
    figure = new_figure(7, 3.2)
    draw_distribution(figure.add_subplot(), scores, title, xlabel, ylabel)
    return png(figure)


def draw_trend(ax: Axes, months: Sequence[str], counts: Sequence[int],
               shares: Sequence[float | None], title: str, count_label: str,
               share_label: str) -> None:
    """Responses per month (bars) and the share satisfied (line, only where there are enough)."""
    positions = list(range(len(months)))
    ax.bar(positions, counts, color=MUTED, label=count_label)
    ax.set_ylabel(count_label, fontfamily=FONT)
    ax.yaxis.set_major_locator(mpl_ticker.MaxNLocator(nbins=4, integer=True))
    ax.set_xticks(positions, months, rotation=45, ha="right", fontfamily=FONT)
    ax.set_title(title, fontfamily=FONT, y=TITLE_Y)
    right = ax.twinx()
    points = [(x, 100 * s) for x, s in zip(positions, shares, strict=True) if s is not None]
    if points:
        right.plot([p[0] for p in points], [p[1] for p in points], color=LINE, marker="o")
    right.set_ylim(0, 100)
    right.set_yticks((0, 50, 100))
    right.set_ylabel(share_label, fontfamily=FONT, color=LINE)


def trend_png(months: Sequence[str], counts: Sequence[int], shares: Sequence[float | None],
              title: str, count_label: str, share_label: str) -> bytes:
    """The monthly trend of one staff member as PNG."""
    figure = new_figure(7, 3.2)
    draw_trend(figure.add_subplot(), months, counts, shares, title, count_label, share_label)
    return png(figure)


def draw_criteria(ax: Axes, labels: Sequence[str], means: Sequence[float | None],
                  texts: Sequence[str], title: str) -> None:
    """Mean rating (1–5) per criterion as horizontal bars, each with its text (the mean in the
    reader's number format, or why there is none); criteria without enough answers are named
    but not drawn."""
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, [m or 0 for m in means], color=BAR)
    for y, value, text in zip(positions, means, texts, strict=True):
        ax.text((value or 1) + 0.05, y, text, va="center", fontfamily=FONT, fontsize=8)
    ax.set_yticks(positions, labels, fontfamily=FONT)
    ax.set_xlim(1, 5.6)
    ax.set_title(title, fontfamily=FONT, y=TITLE_Y)
