"""Charts of HR reports with matplotlib's object API (`Figure`, never pyplot).

Text uses DejaVu Sans, which has every Vietnamese letter; the callers pass translated labels.
PNG for the screens, and figures drawn onto PDF pages by feedback/hr/exports.py. The charts of a
staff page (`CriteriaChart`, `TrendChart`) are made once and shown again with another staff
member's values: the PDF's staff pages are one figure whose data change (their title and table
are written by feedback/hr/pdf_text.py).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from feedback.plotting import FONT, mpl_figure, mpl_lines, mpl_ticker, settings

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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


def draw_table(figure: Figure, rows: Sequence[Sequence[str]], top: float,
               columns: Sequence[float], fontsize: float = 9,
               line_height: float = 0.0125) -> float:
    """Rows of text cells from `top` down, each cell starting at its column's x (figure
    coordinates), with a rule under each row; a row is as tall as its longest wrapped cell.
    Returns the height where the table ends."""
    y = top
    for cells in rows:
        for x, text in zip(columns, cells, strict=True):
            figure.text(x, y, text, va="top", fontfamily=FONT, fontsize=fontsize)
        y -= line_height * (max(text.count("\n") for text in cells) + 1) + 0.006
        figure.add_artist(mpl_lines.Line2D((columns[0], 1 - columns[0]), (y + 0.003, y + 0.003),
                                 linewidth=0.4, color=MUTED, transform=figure.transFigure))
    return y


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    out = io.BytesIO()
    with settings(RC):
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


class TrendChart:
    """Responses per month (bars) and the share satisfied (line, only where there are enough)."""

    def __init__(self, ax: Axes, title: str, count_label: str, share_label: str) -> None:
        self.ax, self.count_label = ax, count_label
        ax.set_ylabel(count_label, fontfamily=FONT)
        ax.yaxis.set_major_locator(mpl_ticker.MaxNLocator(nbins=4, integer=True))
        ax.set_title(title, fontfamily=FONT, y=TITLE_Y)
        right = ax.twinx()
        (self.line,) = right.plot([], [], color=LINE, marker="o")
        right.set_ylim(0, 100)
        right.set_yticks((0, 50, 100))
        right.set_ylabel(share_label, fontfamily=FONT, color=LINE)
        self.bars = None
        self.months: list[str] | None = None

    def show(self, months: Sequence[str], counts: Sequence[int],
             shares: Sequence[float | None]) -> None:
        """Draw these months' values in place of the last ones."""
        ax, positions = self.ax, list(range(len(months)))
        if self.bars is not None and len(self.bars) == len(counts):
            for bar, count in zip(self.bars, counts, strict=True):
                bar.set_height(count)
        else:
            if self.bars is not None:
                self.bars.remove()
            self.bars = ax.bar(positions, counts, color=MUTED, label=self.count_label)
        ax.relim()
        ax.autoscale_view()
        if list(months) != self.months:
            ax.set_xticks(positions, months, rotation=45, ha="right", fontfamily=FONT)
            self.months = list(months)
        points = [(x, 100 * s) for x, s in zip(positions, shares, strict=True) if s is not None]
        self.line.set_data([p[0] for p in points], [p[1] for p in points])


def draw_trend(ax: Axes, months: Sequence[str], counts: Sequence[int],
               shares: Sequence[float | None], title: str, count_label: str,
               share_label: str) -> None:
    """Responses per month (bars) and the share satisfied (line, only where there are enough)."""
    TrendChart(ax, title, count_label, share_label).show(months, counts, shares)


def trend_png(months: Sequence[str], counts: Sequence[int], shares: Sequence[float | None],
              title: str, count_label: str, share_label: str) -> bytes:
    """The monthly trend of one staff member as PNG."""
    figure = new_figure(7, 3.2)
    draw_trend(figure.add_subplot(), months, counts, shares, title, count_label, share_label)
    return png(figure)


class CriteriaChart:
    """Mean rating (1–5) per criterion as horizontal bars, each with its text (the mean in the
    reader's number format, or why there is none); criteria without enough answers are named
    but not drawn."""

    def __init__(self, ax: Axes, title: str) -> None:
        self.ax = ax
        ax.set_xlim(1, 5.6)
        ax.set_title(title, fontfamily=FONT, y=TITLE_Y)
        self.bars = None
        self.texts: list = []
        self.labels: list[str] | None = None

    def show(self, labels: Sequence[str], means: Sequence[float | None],
             texts: Sequence[str]) -> None:
        """Draw these criteria's means in place of the last ones."""
        ax, positions = self.ax, list(range(len(labels)))[::-1]
        widths = [m or 0 for m in means]
        if self.bars is None or len(self.bars) != len(labels):
            if self.bars is not None:
                self.bars.remove()
                for artist in self.texts:
                    artist.remove()
            self.bars = ax.barh(positions, widths, color=BAR)
            self.texts = [ax.text(0, y, "", va="center", fontfamily=FONT, fontsize=8)
                          for y in positions]
        for bar, artist, width, value, text in zip(self.bars, self.texts, widths, means, texts,
                                                   strict=True):
            bar.set_width(width)
            artist.set_text(text)
            artist.set_x((value or 1) + 0.05)
        if list(labels) != self.labels:
            ax.set_yticks(positions, labels, fontfamily=FONT)
            ax.set_xlim(1, 5.6)
            self.labels = list(labels)


def draw_shares(ax: Axes, labels: Sequence[str], shares: Sequence[float],
                targets: Sequence[float]) -> None:
    """Shares (0–1) as horizontal bars in percent, first label on top, with a dashed line at
    each target."""
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, [100 * share for share in shares], color=BAR)
    for target in targets:
        ax.axvline(100 * target, color=LINE, linestyle="--", linewidth=1)
        ax.text(100 * target, len(labels) - 0.4, f"{100 * target:g} %", color=LINE,
                fontfamily=FONT, fontsize=8, ha="center", va="bottom")
    ax.set_yticks(positions, labels, fontfamily=FONT, fontsize=8)
    ax.set_xlim(0, 100)
