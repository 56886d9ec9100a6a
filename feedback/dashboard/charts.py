"""Dashboard charts drawn with matplotlib's object API (never pyplot), as SVG or PNG bytes.

Every function takes plain, already translated data and returns a `Chart` (`chart_layers`):
a fixed layout, a frame (axes, ticks, title, legend) and marks (the values). Text uses DejaVu
Sans, which ships with matplotlib and covers Vietnamese. SVG text stays text (`svg.fonttype`
"none": a tenth of the size and of the time of glyphs drawn as paths); the browser shows it in
DejaVu Sans or, without it, in its own sans-serif font, which has the Vietnamese letters on
every current system. Layouts are fixed (margins in inches, data limits set, no constrained
layout): a chart is drawn once, not measured first. Marks that name values (a ranking's labels,
a heatmap's numbers) are texts placed in data coordinates (no clipping to compute); texts are
drawn in groups of one size and alignment (`chart_text.Labels`), as matplotlib lays a line out.
Colours come from the Okabe–Ito palette and the cividis colour map, both readable with the
common colour-vision deficiencies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from feedback.dashboard import chart_layers
from feedback.dashboard.chart_layers import Chart, Layout, Place, place_at, text_width
from feedback.dashboard.chart_text import add_labels
from feedback.models import SentimentLabel
from feedback.plotting import matplotlib, np
from feedback.plotting import mpl_collections as collections
from feedback.plotting import mpl_image as image
from feedback.plotting import mpl_lines as lines
from feedback.plotting import mpl_patches as patches
from feedback.plotting import mpl_path as paths
from feedback.plotting import mpl_transforms as transforms

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Okabe–Ito: vermillion, orange, grey, sky blue, blue for ratings 1..5 (a diverging order).
RATING_COLOURS = ("#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2")
SENTIMENT_COLOURS = {SentimentLabel.NEGATIVE: "#D55E00", SentimentLabel.NEUTRAL: "#BBBBBB",
                     SentimentLabel.POSITIVE: "#0072B2"}
LINE = "#0072B2"
BAND = "#56B4E9"
MISSING = "#EEEEEE"
#: The target lines (national targets for the share satisfied): dashed, dark grey.
TARGET = "#505050"
#: Width of a character of DejaVu Sans in ems, on average (to leave room for labels).
_EM = 0.62
#: The title sits a fixed distance (points) above the axes (matplotlib would measure ticks).
_TITLE_PAD = 12
#: Points between the axes and a label drawn as a mark (a tick's length and its pad).
_LABEL_GAP = 7
#: Font size of a legend's labels (points).
_LEGEND_SIZE = 8
#: A legend row's spacing in font sizes: matplotlib's handle length (set to 1.4), handle height,
#: handle-to-text pad and column spacing (set to 1.2); the row's middle sits above the figure's
#: foot by the legend's border pad, border-axes pad and half a line.
_LEGEND = {"handlelength": 1.4, "handleheight": 0.7, "handletextpad": 0.8,
           "columnspacing": 1.2, "above_foot": 0.5 + 0.4 + 0.5}
#: Points between the axes and a note under a heatmap (under its hour labels).
_NOTE_GAP = 20
#: Label room is rounded up to this (inches), so rankings of similar names share a frame.
_ROOM_STEP = 0.5


def _label_room(labels: Sequence[str], fontsize: float) -> float:
    """Inches that the longest of these labels needs, with a small gap."""
    longest = max((len(label) for label in labels), default=0)
    return longest * fontsize * _EM / 72 + 0.15


def _title(figure: Figure, place: Place, title: str) -> None:
    """The title, left-aligned a fixed distance above the axes box."""
    add_labels(figure, [(0, 1)], [title], fontsize=11,
               transform=place.axes + transforms.ScaledTranslation(0, _TITLE_PAD / 72,
                                                                   figure.dpi_scale_trans))


def _legend_below(figure: Figure, entries: Sequence[tuple[str, str]]) -> None:
    """A legend of (label, colour) entries in one row, centred at the foot of the figure (the
    margin under the axes holds it), spaced as matplotlib's legend spaces it (`_LEGEND`, in
    font sizes; its layout boxes cost 15 ms a chart)."""
    size = _LEGEND_SIZE
    handle, pad, column, height, below = (_LEGEND[key] * size for key in (
        "handlelength", "handletextpad", "columnspacing", "handleheight", "above_foot"))
    widths = [text_width(label, size) for label, _colour in entries]
    x = figure.get_figwidth() * 72 / 2 - (sum(widths) + len(entries) * (handle + pad)
                                          + (len(entries) - 1) * column) / 2
    y = figure.get_figheight() * 0.02 * 72 + below
    inch = figure.dpi_scale_trans
    points = []
    for (_label, colour), width in zip(entries, widths, strict=True):
        figure.add_artist(patches.Rectangle((x / 72, (y - height / 2) / 72), handle / 72,
                                            height / 72, facecolor=colour,
                                            edgecolor="white", transform=inch))
        points.append(((x + handle + pad) / 72, y / 72))
        x += width + handle + pad + column
    add_labels(figure, points, [label for label, _colour in entries], fontsize=size,
               va="center_baseline", transform=inch)


def _ticks(labels: Sequence[str]) -> tuple[list[int], list[str]]:
    """Positions and labels of at most about 12 ticks along a time axis."""
    step = max(1, len(labels) // 12)
    return list(range(len(labels)))[::step], list(labels)[::step]


def _axis(figure: Figure, place: Place, positions: Sequence[float], labels: Sequence[str],
          side: str, fontsize: float, grid: bool = False) -> None:
    """Tick marks and their labels along the "bottom", "left" or "right" of the axes box, as
    matplotlib draws an axis (3.5-point ticks, labels 3.5 points beyond them); with `grid`, a
    light line across the box at each tick."""
    gap = _LABEL_GAP / 72
    if side == "bottom":
        along, tick, shift = place.up(), lines.TICKDOWN, (0, -gap)
        align = {"ha": "center", "va": "top"}
        points = [(value, 0) for value in positions]
        grid_lines = [((value, 0), (value, 1)) for value in positions]
    else:
        edge = 0 if side == "left" else 1
        along, shift = place.across(), (-gap if edge == 0 else gap, 0)
        tick = lines.TICKLEFT if edge == 0 else lines.TICKRIGHT
        align = {"ha": "right" if edge == 0 else "left", "va": "center_baseline"}
        points = [(edge, value) for value in positions]
        grid_lines = [((0, value), (1, value)) for value in positions]
    if grid:
        _compound(figure, along, grid_lines, closed=False, edgecolor="#DDDDDD",
                  linewidth=0.6, zorder=0.5)
    figure.add_artist(lines.Line2D([x for x, _y in points], [y for _x, y in points],
                                   linestyle="none", marker=tick, markersize=3.5,
                                   markeredgewidth=0.8, color="black", transform=along))
    offset = along + transforms.ScaledTranslation(*shift, figure.dpi_scale_trans)
    add_labels(figure, points, labels, fontsize=fontsize, transform=offset, **align)


def _percent_axis(figure: Figure, place: Place, side: str, fontsize: float = 10,
                  low: float = 0.0, high: float = 1.0, grid: bool = False) -> None:
    """A share axis: a tick and a label ("80%") every 10 points from `low` to `high` (20 over
    a wider range)."""
    step = 0.1 if high - low <= 0.5 + 1e-9 else 0.2
    values = [round(low + i * step, 2) for i in range(round((high - low) / step) + 1)]
    _axis(figure, place, values, [f"{value * 100:.0f}%" for value in values], side, fontsize,
          grid)


def _spines(figure: Figure, place: Place) -> None:
    """The left and bottom edges of the axes."""
    figure.add_artist(lines.Line2D((0, 0, 1), (1, 0, 0), color="black", linewidth=0.8,
                                   transform=place.axes))


def _target_lines(figure: Figure, place: Place, targets: Sequence[float], across: bool) -> None:
    """Dashed lines at the target shares, each labelled ("90 %"), across the x axis (a trend)
    or up the y axis (a ranking). With several targets the lowest one's label is on its lower
    side (below its line, or left of it), so that close targets (90 % and 95 %) do not
    overlap."""
    style = {"color": TARGET, "linestyle": "--", "linewidth": 0.9}
    lowest = min(targets) if len(targets) > 1 else None
    for target in targets:
        label = f"{target * 100:.0f} %"
        below = target == lowest
        if across:
            figure.add_artist(lines.Line2D((0, 1), (target, target), transform=place.across(),
                                           **style))
            add_labels(figure, [(1, target)], [label], fontsize=7, colors=TARGET, ha="right",
                       va="top" if below else "bottom", transform=place.across())
        else:
            figure.add_artist(lines.Line2D((target, target), (0, 1), transform=place.up(),
                                           **style))
            add_labels(figure, [(target, 1)], [label], fontsize=7, colors=TARGET,
                       ha="right" if below else "center", va="bottom", transform=place.up())


def _bars(figure: Figure, place: Place, rects: Sequence[tuple[float, float, float, float]],
          colours: str | Sequence[str], edge: str | None = None, width: float = 0) -> None:
    """Rectangles (x, y, width, height) with an `edge` line of `width` points: of one colour,
    one SVG path (`_compound`); of a colour each, one collection (one SVG path each, drawn at
    once)."""
    shown = [(i, (x, y, w, h)) for i, (x, y, w, h) in enumerate(rects) if w and h]
    if not shown:
        return
    corners = [((x, y), (x + w, y), (x + w, y + h), (x, y + h)) for _i, (x, y, w, h) in shown]
    if isinstance(colours, str):
        _compound(figure, place.data, corners, closed=True, facecolor=colours, edgecolor=edge,
                  linewidth=width)
    else:
        figure.add_artist(collections.PolyCollection(
            corners, facecolors=[colours[i] for i, _rect in shown], edgecolors=edge,
            linewidths=width, transform=place.data))


def _compound(figure: Figure, transform, shapes: Sequence[Sequence[tuple[float, float]]],
              closed: bool, **style) -> None:
    """Shapes of one style as one path (one SVG element, not one each): closed polygons, or
    open lines (`style`: a patch's, e.g. `edgecolor`, `linewidth`, `zorder`)."""
    if not shapes:
        return
    vertices, codes = [], []
    for points in shapes:
        vertices += [*points, points[0]] if closed else points
        codes += [paths.Path.MOVETO, *[paths.Path.LINETO] * (len(points) - 1)]
        if closed:
            codes.append(paths.Path.CLOSEPOLY)
    figure.add_artist(patches.PathPatch(paths.Path(vertices, codes), transform=transform,
                                        fill=closed, capstyle="butt", joinstyle="round",
                                        **style))


def share_axis_range(values: Sequence[float | None]) -> tuple[float, float]:
    """The share axis of a trend: from a round tenth just below the lowest value shown (bands
    included) to 100 %, so a change from 82 to 88 % is visible; 0–100 % when nothing is shown."""
    shown = [v for v in values if v is not None]
    if not shown:
        return 0.0, 1.0
    low = np.floor((min(shown) - 0.02) * 10) / 10
    return float(min(max(low, 0.0), 0.9)), 1.0


def _span(count: int) -> tuple[float, float]:
    """Data limits that centre `count` items (at 0 … count − 1) in equal slots."""
    return -0.5, max(count, 1) - 0.5


def trend_chart(labels: Sequence[str], shares: Sequence[float | None],
                lows: Sequence[float | None], highs: Sequence[float | None],
                title: str, no_data: str, targets: Sequence[float] = ()) -> Chart:
    """Share satisfied per period bucket with its 95 % interval as a band (gaps: too few), and
    the target shares as dashed lines."""
    limits = share_axis_range([*shares, *lows, *highs])
    layout = Layout(8, 3.2, _span(len(labels)), limits)
    return Chart(layout, (_trend_frame, (tuple(labels), title)),
                 (_trend_marks, (limits, tuple(shares), tuple(lows), tuple(highs), no_data,
                                 tuple(targets))))


def _trend_frame(figure: Figure, place: Place, labels: Sequence[str], title: str) -> None:
    _spines(figure, place)
    _axis(figure, place, *_ticks(labels), "bottom", 8)
    _title(figure, place, title)


def _trend_marks(figure: Figure, place: Place, limits: tuple[float, float], shares, lows,
                 highs, no_data: str, targets) -> None:
    _percent_axis(figure, place, "left", low=limits[0], high=limits[1], grid=True)
    band = [(x, low, high) for x, (low, high) in enumerate(zip(lows, highs, strict=True))
            if low is not None and high is not None]
    runs: list[list[tuple[float, float, float]]] = []
    for point in band:
        if runs and runs[-1][-1][0] == point[0] - 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    figure.add_artist(collections.PolyCollection(
        [[(x, low) for x, low, _h in run] + [(x, high) for x, _l, high in reversed(run)]
         for run in runs], facecolors=BAND, alpha=0.35, linewidths=0, transform=place.data))
    figure.add_artist(lines.Line2D(
        range(len(shares)), [v if v is not None else float("nan") for v in shares],
        color=LINE, marker="o", markersize=3, linewidth=1.8, transform=place.data))
    _target_lines(figure, place, targets, across=True)
    if all(v is None for v in shares):
        add_labels(figure, [(0.5, 0.5)], [no_data], fontsize=10, transform=place.axes,
                   ha="center", va="center", colors="#505050")


def distribution_chart(criteria: Sequence[str], counts: Sequence[Sequence[int]],
                       scale: Sequence[str], title: str) -> Chart:
    """Share of each rating per criterion as 100 % stacked horizontal bars."""
    layout = Layout(8, 0.55 * len(criteria) + 1.6, (0, 1), _span(len(criteria)),
                    left=_label_room(criteria, 9), bottom=0.85)
    return Chart(layout, (_distribution_frame, (tuple(criteria), tuple(scale), title)),
                 (_distribution_marks, (tuple(tuple(row) for row in counts),)))


def _distribution_frame(figure: Figure, place: Place, criteria, scale, title: str) -> None:
    _spines(figure, place)
    _axis(figure, place, list(range(len(criteria)))[::-1], criteria, "left", 9)
    _percent_axis(figure, place, "bottom")
    _title(figure, place, title)
    _legend_below(figure, list(zip(scale, RATING_COLOURS, strict=True)))


def _distribution_marks(figure: Figure, place: Place, counts) -> None:
    ys = list(range(len(counts)))[::-1]
    left = [0.0] * len(counts)
    for value, colour in enumerate(RATING_COLOURS):
        widths = [(row[value] / sum(row)) if sum(row) else 0.0 for row in counts]
        _bars(figure, place,
              [(x, y - 0.3, w, 0.6) for x, y, w in zip(left, ys, widths, strict=True)],
              colour, edge="white", width=0.5)
        left = [a + b for a, b in zip(left, widths, strict=True)]


def heatmap_chart(cells: dict[tuple[int, int], float | None], weekdays: Sequence[str],
                  hours: Sequence[int], title: str, few: str = "", few_note: str = "") -> Chart:
    """Share satisfied by weekday (rows) and hour (columns). A cell with answers, but fewer than
    the minimum (share None), shows `few` (e.g. "<10") and `few_note` explains it under the
    chart; a cell without answers stays blank."""
    note = 0.3 if few_note else 0
    layout = Layout(8, 0.42 * len(weekdays) + 1.4 + note, _span(len(hours)),
                    _span(len(weekdays))[::-1], left=_label_room(weekdays, 8), right=1.1,
                    bottom=0.4 + note)
    grid = tuple((weekday, list(hours).index(hour), share)
                 for (weekday, hour), share in sorted(cells.items(), key=lambda c: c[0])
                 if hour in hours and weekday < len(weekdays))
    return Chart(layout, (_heatmap_frame, (tuple(weekdays), tuple(hours), title, few_note)),
                 (_heatmap_marks, ((len(weekdays), len(hours)), grid, few)))


def _cividis():
    return matplotlib.colormaps["cividis"].with_extremes(bad=MISSING)


def _heatmap_frame(figure: Figure, place: Place, weekdays, hours, title: str,
                   few_note: str) -> None:
    _axis(figure, place, range(len(hours)), [f"{h}h" for h in hours], "bottom", 8)
    _axis(figure, place, range(len(weekdays)), weekdays, "left", 8)
    _colour_bar(figure, place)
    _title(figure, place, title)
    if few_note:
        add_labels(figure, [(0, 0)], [few_note], fontsize=8, colors="#505050", va="top",
                   transform=place.axes + transforms.ScaledTranslation(
                       0, -_NOTE_GAP / 72, figure.dpi_scale_trans))


def _colour_bar(figure: Figure, place: Place) -> None:
    """The cividis scale from 0 to 100 %, a narrow bar right of the axes box with its ticks."""
    box = place.axes.transform([(0, 0), (1, 1)])
    (x0, y0), (x1, y1) = figure.transFigure.inverted().transform(box)
    width = figure.get_figwidth()
    bar = place_at(figure, (x1 + 0.2 / width, y0, 0.15 / width, y1 - y0), (0, 1), (0, 1))
    gradient = image.BboxImage(transforms.TransformedBbox(transforms.Bbox.unit(), bar.axes),
                               cmap=_cividis(), norm=matplotlib.colors.Normalize(0, 1),
                               origin="lower", interpolation="nearest")
    gradient.set_data(np.linspace(0, 1, 256).reshape(-1, 1))
    figure.add_artist(gradient)
    figure.add_artist(patches.Rectangle((0, 0), 1, 1, fill=False, edgecolor="black",
                                        linewidth=0.8, transform=bar.axes))
    _percent_axis(figure, bar, "right", fontsize=8)


def _heatmap_marks(figure: Figure, place: Place, shape: tuple[int, int], grid,
                   few: str) -> None:
    rows, columns = shape
    _bars(figure, place, [(-0.5, -0.5, columns, rows)], MISSING)
    shown = [(row, column, share) for row, column, share in grid if share is not None]
    colours = _cividis()([share for _r, _c, share in shown])
    _bars(figure, place, [(column - 0.5, row - 0.5, 1, 1) for row, column, _s in shown],
          colours)
    add_labels(figure, [(column, row) for row, column, _s in shown],
               [f"{share * 100:.0f}" for _r, _c, share in shown], fontsize=7,
               colors=["white" if share < 0.6 else "black" for _r, _c, share in shown],
               ha="center", va="center", transform=place.data)
    if few:
        unshown = [(column, row) for row, column, share in grid if share is None]
        add_labels(figure, unshown, [few] * len(unshown), fontsize=6.5, colors="#505050",
                   ha="center", va="center", transform=place.data)


def ranking_chart(labels: Sequence[str], shares: Sequence[float],
                  lows: Sequence[float], highs: Sequence[float], title: str,
                  targets: Sequence[float] = ()) -> Chart:
    """Share satisfied per item with its 95 % Wilson interval drawn as a line, and the target
    shares as dashed lines. Its size follows the items and their names, so no frame is shared:
    all of it is drawn as marks."""
    room = math.ceil(min(_label_room(labels, 8), 4.5) / _ROOM_STEP) * _ROOM_STEP
    layout = Layout(8, 0.32 * max(len(labels), 1) + 1.2, (0, 1), _span(len(labels)),
                    left=room)
    return Chart(layout, None, (_ranking_marks, (tuple(labels), tuple(shares), tuple(lows),
                                                 tuple(highs), tuple(targets), title)))


def _ranking_marks(figure: Figure, place: Place, labels, shares, lows, highs, targets,
                   title: str) -> None:
    ys = list(range(len(labels)))[::-1]
    _percent_axis(figure, place, "bottom", grid=True)
    _spines(figure, place)
    _axis(figure, place, ys, labels, "left", 8)
    _compound(figure, place.data,
              [((low, y), (high, y)) for y, low, high in zip(ys, lows, highs, strict=True)],
              closed=False, edgecolor=BAND, linewidth=3, zorder=2)
    figure.add_artist(lines.Line2D(shares, ys, linestyle="none", marker="o", color=LINE,
                                   markersize=5, transform=place.data))
    _target_lines(figure, place, targets, across=False)
    _title(figure, place, title)


def sentiment_chart(labels: Sequence[str], series: dict[str, Sequence[int]],
                    names: dict[str, str], title: str) -> Chart:
    """Share of negative, neutral and positive comments per bucket, stacked."""
    layout = Layout(8, 3.0, _span(len(labels)), (0, 1), bottom=0.75)
    legend = tuple((names.get(code, code), SENTIMENT_COLOURS.get(code, "#999999"))
                   for code in series)
    return Chart(layout, (_sentiment_frame, (tuple(labels), legend, title)),
                 (_sentiment_marks, (tuple((SENTIMENT_COLOURS.get(code, "#999999"),
                                            tuple(values)) for code, values in series.items()),)))


def _sentiment_frame(figure: Figure, place: Place, labels, legend, title: str) -> None:
    _spines(figure, place)
    _axis(figure, place, *_ticks(labels), "bottom", 8)
    _percent_axis(figure, place, "left")
    _legend_below(figure, legend)
    _title(figure, place, title)


def _sentiment_marks(figure: Figure, place: Place, series) -> None:
    count = len(series[0][1]) if series else 0
    totals = [sum(values[i] for _colour, values in series) for i in range(count)]
    bottom = [0.0] * count
    for colour, values in series:
        heights = [(v / t) if t else 0.0 for v, t in zip(values, totals, strict=True)]
        _bars(figure, place, [(x - 0.4, b, 0.8, h) for x, (b, h) in
                              enumerate(zip(bottom, heights, strict=True))], colour)
        bottom = [a + b for a, b in zip(bottom, heights, strict=True)]


def warm_up() -> None:
    """Draw one small chart of each kind, kept nowhere, when a worker starts: the first
    drawing of a kind in a process paid 3–13 ms more than the next (matplotlib's font lookups,
    the colour map, its share-axis labels measured), about 35 ms of the first dashboard a fresh
    worker served."""
    tiny = ("1", "2")
    for chart in (
            trend_chart(tiny, (0.8, 0.9), (0.7, 0.8), (0.9, 0.95), "", "", targets=(0.9,)),
            distribution_chart(tiny, ((1, 1, 1, 1, 1),) * 2, ("1", "2", "3", "4", "5"), ""),
            heatmap_chart({(0, 8): 0.9, (1, 9): None}, tiny, (8, 9), "", few="<", few_note="<"),
            ranking_chart(tiny, (0.8, 0.9), (0.7, 0.8), (0.9, 0.95), "", targets=(0.9,)),
            sentiment_chart(tiny, {SentimentLabel.POSITIVE: (1, 2)}, {}, "")):
        chart_layers.render(chart.figure(), "svg")
