"""Dashboard charts drawn with matplotlib's object API (never pyplot), as SVG or PNG bytes.

Every function takes plain, already translated data and returns a `Figure`; `render` turns it
into bytes. Text uses DejaVu Sans, which ships with matplotlib and covers Vietnamese; SVG text
is drawn as paths, so the browser needs no font. Colours come from the Okabe–Ito palette and
the cividis colour map, both readable with the common colour-vision deficiencies.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.lazy import lazy
from feedback.models import SentimentLabel

if TYPE_CHECKING:
    from matplotlib.figure import Figure

matplotlib = lazy("matplotlib")
mpl_figure = lazy("matplotlib.figure")
ticker = lazy("matplotlib.ticker")
np = lazy("numpy")

FONT = "DejaVu Sans"
#: Okabe–Ito: vermillion, orange, grey, sky blue, blue for ratings 1..5 (a diverging order).
RATING_COLOURS = ("#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2")
SENTIMENT_COLOURS = {SentimentLabel.NEGATIVE: "#D55E00", SentimentLabel.NEUTRAL: "#BBBBBB",
                     SentimentLabel.POSITIVE: "#0072B2"}
LINE = "#0072B2"
BAND = "#56B4E9"
MISSING = "#EEEEEE"
_RC = {"font.family": FONT, "svg.fonttype": "path", "svg.hashsalt": "hailong",
       "axes.spines.top": False, "axes.spines.right": False}
_lock = threading.Lock()


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return mpl_figure.Figure(figsize=(width, height), layout="constrained")


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
                title: str, no_data: str) -> Figure:
    """Share satisfied per period bucket with its 95 % interval as a band (gaps: too few)."""
    with matplotlib.rc_context(_RC):
        figure = _figure(8, 3.2)
        ax = figure.add_subplot()
        xs = range(len(labels))
        nan = float("nan")
        ax.fill_between(xs, [v if v is not None else nan for v in lows],
                        [v if v is not None else nan for v in highs], color=BAND, alpha=0.35,
                        linewidth=0)
        ax.plot(xs, [v if v is not None else nan for v in shares], color=LINE, marker="o",
                markersize=3, linewidth=1.8)
        ax.set_ylim(*share_axis_range([*shares, *lows, *highs]))
        _percent_axis(ax.yaxis)
        step = max(1, len(labels) // 12)
        ax.set_xticks(list(xs)[::step], list(labels)[::step], rotation=0, fontsize=8)
        ax.set_title(title, fontsize=11, loc="left")
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
        ax = figure.add_subplot()
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
        ax.set_title(title, fontsize=11, loc="left")
        ax.legend(ncols=5, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12),
                  frameon=False)
    return figure


def heatmap_chart(cells: dict[tuple[int, int], float | None], weekdays: Sequence[str],
                  hours: Sequence[int], title: str, few: str = "", few_note: str = "") -> Figure:
    """Share satisfied by weekday (rows) and hour (columns). A cell with answers, but fewer than
    the minimum (share None), shows `few` (e.g. "<10") and `few_note` explains it under the
    chart; a cell without answers stays blank."""
    with matplotlib.rc_context(_RC):
        figure = _figure(8, 0.42 * len(weekdays) + 1.4 + (0.3 if few_note else 0))
        ax = figure.add_subplot()
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
        colourbar = figure.colorbar(image, ax=ax, fraction=0.03)
        _percent_axis(colourbar.ax.yaxis)
        ax.set_title(title, fontsize=11, loc="left")
        if few_note:
            ax.set_xlabel(few_note, fontsize=8, color="#505050", loc="left")
    return figure


def ranking_chart(labels: Sequence[str], shares: Sequence[float],
                  lows: Sequence[float], highs: Sequence[float], title: str) -> Figure:
    """Share satisfied per item with its 95 % Wilson interval drawn as a line."""
    with matplotlib.rc_context(_RC):
        figure = _figure(8, 0.32 * max(len(labels), 1) + 1.2)
        ax = figure.add_subplot()
        ys = list(range(len(labels)))[::-1]
        ax.hlines(ys, lows, highs, color=BAND, linewidth=3)
        ax.plot(shares, ys, "o", color=LINE, markersize=5)
        ax.set_yticks(ys, list(labels), fontsize=8)
        ax.set_xlim(0, 1)
        _percent_axis(ax.xaxis)
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.set_title(title, fontsize=11, loc="left")
    return figure


def sentiment_chart(labels: Sequence[str], series: dict[str, Sequence[int]],
                    names: dict[str, str], title: str) -> Figure:
    """Share of negative, neutral and positive comments per bucket, stacked."""
    with matplotlib.rc_context(_RC):
        figure = _figure(8, 3.0)
        ax = figure.add_subplot()
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
        ax.legend(ncols=3, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1),
                  frameon=False)
        ax.set_title(title, fontsize=11, loc="left")
    return figure
