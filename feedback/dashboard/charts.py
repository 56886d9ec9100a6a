"""Dashboard charts drawn with matplotlib's object API (never pyplot), as SVG or PNG bytes.

Every function takes plain, already translated data and returns a `Figure`; `render` turns it
into bytes. Text uses DejaVu Sans, which ships with matplotlib and covers Vietnamese. SVG text
stays text (`svg.fonttype` "none": a tenth of the size and of the time of glyphs drawn as
paths); the browser shows it in DejaVu Sans or, without it, in its own sans-serif font, which
has the Vietnamese letters on every current system. Layouts are fixed (margins in inches, no
constrained layout): a chart is drawn once, not measured first. Colours come from the
Okabe–Ito palette and the cividis colour map, both readable with the common colour-vision
deficiencies.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from feedback.models import SentimentLabel
from feedback.plotting import FONT, matplotlib, mpl_figure, np
from feedback.plotting import mpl_ticker as ticker

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Okabe–Ito: vermillion, orange, grey, sky blue, blue for ratings 1..5 (a diverging order).
RATING_COLOURS = ("#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2")
SENTIMENT_COLOURS = {SentimentLabel.NEGATIVE: "#D55E00", SentimentLabel.NEUTRAL: "#BBBBBB",
                     SentimentLabel.POSITIVE: "#0072B2"}
LINE = "#0072B2"
BAND = "#56B4E9"
MISSING = "#EEEEEE"
_RC = {"font.family": [FONT, "sans-serif"], "svg.fonttype": "none", "svg.hashsalt": "hailong",
       "axes.spines.top": False, "axes.spines.right": False}
_lock = threading.Lock()
#: Width of a character of DejaVu Sans in ems, on average (to leave room for tick labels).
_EM = 0.62
#: The title sits a fixed distance (points) above the axes (matplotlib would measure ticks).
_TITLE_PAD = 12


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return mpl_figure.Figure(figsize=(width, height))


def _axes(figure: Figure, left: float = 0.6, right: float = 0.25, top: float = 0.45,
          bottom: float = 0.45) -> Axes:
    """Axes with fixed margins in inches around them."""
    width, height = figure.get_size_inches()
    return figure.add_axes((left / width, bottom / height, 1 - (left + right) / width,
                            1 - (top + bottom) / height))


def _label_room(labels: Sequence[str], fontsize: float) -> float:
    """Inches that the longest of these tick labels needs, with a small gap."""
    longest = max((len(label) for label in labels), default=0)
    return longest * fontsize * _EM / 72 + 0.15


def _title(ax: Axes, title: str) -> None:
    ax.set_title(title, fontsize=11, loc="left", y=1.0, pad=_TITLE_PAD)


def render(figure: Figure, fmt: str) -> bytes:
    """The figure as "svg" or "png" bytes (no script, no external reference, no timestamp)."""
    buffer = io.BytesIO()
    with _lock, matplotlib.rc_context(_RC):
        if fmt == "svg":
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        elif fmt == "png":
            figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
        else:
            raise ValueError(f"unknown format {fmt!r}")
    return buffer.getvalue()


def _percent_axis(axis) -> None:
    axis.set_major_formatter(ticker.PercentFormatter(1.0, decimals=0))


def _legend_below(figure: Figure, ax: Axes, columns: int) -> None:
    """The legend in one row at the foot of the figure (the margin under the axes holds it)."""
    ax.legend(ncols=columns, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 0.02),
              bbox_transform=figure.transFigure, frameon=False, columnspacing=1.2,
              handlelength=1.4)


#: The target lines (national targets for the share satisfied): dashed, dark grey.
TARGET = "#505050"


def _target_lines(ax, targets: Sequence[float], across: bool) -> None:
    """Dashed lines at the target shares, each labelled ("90 %"), across the x axis (a trend)
    or up the y axis (a ranking)."""
    for target in targets:
        label = f"{target * 100:.0f} %"
        if across:
            ax.axhline(target, color=TARGET, linestyle="--", linewidth=0.9)
            ax.annotate(label, (1, target), xycoords=("axes fraction", "data"), fontsize=7,
                        color=TARGET, ha="right", va="bottom")
        else:
            ax.axvline(target, color=TARGET, linestyle="--", linewidth=0.9)
            ax.annotate(label, (target, 1), xycoords=("data", "axes fraction"), fontsize=7,
                        color=TARGET, ha="center", va="bottom")


def share_axis_range(values: Sequence[float | None]) -> tuple[float, float]:
    """The share axis of a trend: from a round tenth just below the lowest value shown (bands
    included) to 100 %, so a change from 82 to 88 % is visible; 0–100 % when nothing is shown."""
    shown = [v for v in values if v is not None]
    if not shown:
        return 0.0, 1.0
    low = np.floor((min(shown) - 0.02) * 10) / 10
    return float(min(max(low, 0.0), 0.9)), 1.0


def trend_chart(labels: Sequence[str], shares: Sequence[float | None],
                lows: Sequence[float | None], highs: Sequence[float | None],
                title: str, no_data: str, targets: Sequence[float] = ()) -> Figure:
    """Share satisfied per period bucket with its 95 % interval as a band (gaps: too few), and
    the target shares as dashed lines."""
    with matplotlib.rc_context(_RC):
        figure = _figure(8, 3.2)
        ax = _axes(figure)
        xs = range(len(labels))
        nan = float("nan")
        ax.fill_between(xs, [v if v is not None else nan for v in lows],
                        [v if v is not None else nan for v in highs], color=BAND, alpha=0.35,
                        linewidth=0)
        ax.plot(xs, [v if v is not None else nan for v in shares], color=LINE, marker="o",
                markersize=3, linewidth=1.8)
        ax.set_ylim(*share_axis_range([*shares, *lows, *highs]))
        _target_lines(ax, targets, across=True)
        _percent_axis(ax.yaxis)
        step = max(1, len(labels) // 12)
        ax.set_xticks(list(xs)[::step], list(labels)[::step], rotation=0, fontsize=8)
        _title(ax, title)
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
        if all(v is None for v in shares):
            ax.text(0.5, 0.5, no_data, transform=ax.transAxes, ha="center", va="center",
                    color="#505050")
    return figure


def distribution_chart(criteria: Sequence[str], counts: Sequence[Sequence[int]],
                       scale: Sequence[str], title: str) -> Figure:
    """Share of each rating per criterion as 100 % stacked horizontal bars."""
    with matplotlib.rc_context(_RC):
        figure = _figure(8, 0.55 * len(criteria) + 1.6)
        ax = _axes(figure, left=_label_room(criteria, 9), bottom=0.85)
        ys = list(range(len(criteria)))[::-1]
        left = [0.0] * len(criteria)
        for value, colour in enumerate(RATING_COLOURS):
            widths = [(row[value] / sum(row)) if sum(row) else 0.0 for row in counts]
            ax.barh(ys, widths, left=left, color=colour, label=scale[value], height=0.6,
                    edgecolor="white", linewidth=0.5)
            left = [a + b for a, b in zip(left, widths, strict=True)]
        ax.set_yticks(ys, list(criteria), fontsize=9)
        ax.set_xlim(0, 1)
        _percent_axis(ax.xaxis)
        _title(ax, title)
        _legend_below(figure, ax, 5)
    return figure


def heatmap_chart(cells: dict[tuple[int, int], float | None], weekdays: Sequence[str],
                  hours: Sequence[int], title: str, few: str = "", few_note: str = "") -> Figure:
    """Share satisfied by weekday (rows) and hour (columns). A cell with answers, but fewer than
    the minimum (share None), shows `few` (e.g. "<10") and `few_note` explains it under the
    chart; a cell without answers stays blank."""
    with matplotlib.rc_context(_RC):
        figure = _figure(8, 0.42 * len(weekdays) + 1.4 + (0.3 if few_note else 0))
        ax = _axes(figure, left=_label_room(weekdays, 8), right=1.1,
                   bottom=0.4 + (0.3 if few_note else 0))
        grid = np.full((len(weekdays), len(hours)), np.nan)
        for (weekday, hour), share in cells.items():
            if share is not None and hour in hours and weekday < len(weekdays):
                grid[weekday, list(hours).index(hour)] = share
        cmap = matplotlib.colormaps["cividis"].with_extremes(bad=MISSING)
        image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=0, vmax=1, aspect="auto")
        for (row, column), share in np.ndenumerate(grid):
            if not np.isnan(share):
                ax.text(column, row, f"{share * 100:.0f}", ha="center", va="center",
                        fontsize=7, color="white" if share < 0.6 else "black")
        for (weekday, hour), share in cells.items():
            if share is None and few and hour in hours and weekday < len(weekdays):
                ax.text(list(hours).index(hour), weekday, few, ha="center", va="center",
                        fontsize=6.5, color="#505050")
        ax.set_xticks(range(len(hours)), [f"{h}h" for h in hours], fontsize=8)
        ax.set_yticks(range(len(weekdays)), list(weekdays), fontsize=8)
        ax.spines[:].set_visible(False)
        box = ax.get_position()
        colourbar = figure.colorbar(image, cax=figure.add_axes(
            (box.x1 + 0.2 / 8, box.y0, 0.15 / 8, box.height)))
        _percent_axis(colourbar.ax.yaxis)
        colourbar.ax.tick_params(labelsize=8)
        _title(ax, title)
        if few_note:
            ax.set_xlabel(few_note, fontsize=8, color="#505050", loc="left")
    return figure


def ranking_chart(labels: Sequence[str], shares: Sequence[float],
                  lows: Sequence[float], highs: Sequence[float], title: str,
                  targets: Sequence[float] = ()) -> Figure:
    """Share satisfied per item with its 95 % Wilson interval drawn as a line, and the target
    shares as dashed lines."""
    with matplotlib.rc_context(_RC):
        figure = _figure(8, 0.32 * max(len(labels), 1) + 1.2)
        ax = _axes(figure, left=min(_label_room(labels, 8), 4.5))
        ys = list(range(len(labels)))[::-1]
        ax.hlines(ys, lows, highs, color=BAND, linewidth=3)
        ax.plot(shares, ys, "o", color=LINE, markersize=5)
        ax.set_yticks(ys, list(labels), fontsize=8)
        ax.set_xlim(0, 1)
        _target_lines(ax, targets, across=False)
        _percent_axis(ax.xaxis)
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        _title(ax, title)
    return figure


def sentiment_chart(labels: Sequence[str], series: dict[str, Sequence[int]],
                    names: dict[str, str], title: str) -> Figure:
    """Share of negative, neutral and positive comments per bucket, stacked."""
    with matplotlib.rc_context(_RC):
        figure = _figure(8, 3.0)
        ax = _axes(figure, bottom=0.75)
        xs = list(range(len(labels)))
        totals = [sum(values[i] for values in series.values()) for i in xs]
        bottom = [0.0] * len(xs)
        for code, values in series.items():
            heights = [(v / t) if t else 0.0 for v, t in zip(values, totals, strict=True)]
            ax.bar(xs, heights, bottom=bottom, color=SENTIMENT_COLOURS.get(code, "#999999"),
                   label=names.get(code, code), width=0.8)
            bottom = [a + b for a, b in zip(bottom, heights, strict=True)]
        step = max(1, len(labels) // 12)
        ax.set_xticks(xs[::step], list(labels)[::step], fontsize=8)
        ax.set_ylim(0, 1)
        _percent_axis(ax.yaxis)
        _legend_below(figure, ax, 3)
        _title(ax, title)
    return figure
