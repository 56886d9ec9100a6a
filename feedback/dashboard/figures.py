"""Which charts a dashboard has, what each draws from a report, and its text alternative.

A drawer turns a report into a `Chart` of charts.py: its layout, frame and marks with the plain
values they draw (translated labels included). The rendered chart is cached under the digest of
those values, so a chart is drawn again only when what it shows changes — not on every new
response — and then only its marks: its frame (axes, ticks, title, legend) is shared by every
chart of the same kind and period and drawn once (`chart_layers`).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import format_percent
from flask_babel import gettext as _

from feedback.dashboard import cache, chart_layers, charts, labels
from feedback.dashboard.chart_layers import Chart
from feedback.dashboard.chart_store import current_store as chart_store
from feedback.dashboard.report import Report
from feedback.dashboard.tables import LEVEL, DataTable, display, not_enough
from feedback.models import SentimentLabel
from feedback.standards.config import current_scheme
from surveys.defaults import RATING_SCALE, criterion_name

#: Hours shown on the heatmap (local office hours and a margin).
HOURS = tuple(range(7, 19))


def rendered(chart: Chart, fmt: str, locale: str) -> bytes:
    """The chart as bytes: from this process's cache, else from the shared store (drawn by
    any worker, before or since a restart), else drawn now and kept in both."""
    return _kept(chart.digest(), fmt, locale, lambda: draw_chart(chart, fmt, locale))


def draw_ahead(chart: Chart, locale: str) -> bool:
    """Draw the chart's SVG into the shared store unless it is there (True: it was drawn)."""
    digest, store = chart.digest(), chart_store()
    if store.has(digest, locale, "svg"):
        return False
    store.put(digest, locale, "svg", draw_chart(chart, "svg", locale))
    return True


def draw_chart(chart: Chart, fmt: str, locale: str) -> bytes:
    """Draw the chart now: as SVG, its marks over its frame (drawn once for every chart that
    shares it); as PNG (a download), or without a frame, in one figure."""
    if fmt == "png" or chart.frame is None:
        return chart_layers.render(chart.figure(), fmt)
    frame = _kept(f"frame-{chart.frame_digest()}", "svg", locale,
                  lambda: chart_layers.render(chart.figure(marks=False), "svg"))
    return chart_layers.compose(frame, chart_layers.render(chart.figure(frame=False), "svg"))


def _kept(digest: str, fmt: str, locale: str, draw: Callable[[], bytes]) -> bytes:
    """What `digest` names: from this process's cache, else the shared store, else drawn now
    and kept in both."""
    def load() -> bytes:
        store = chart_store()
        body = store.get(digest, locale, fmt) if store else None
        if body is None:
            body = draw()
            if store:
                store.put(digest, locale, fmt, body)
        return body

    return cache.charts.get_or_compute((fmt, locale, digest), load)


def _bucket_labels(report: Report) -> list[str]:
    kind = "day" if report.trend_bucket == "day" else "month"
    return [display(kind, bucket) for bucket, _index in report.trend]


def _trend(report: Report) -> Chart:
    return charts.trend_chart(
        _bucket_labels(report), [i.share for _b, i in report.trend],
        [i.interval.low if i.interval else None for _b, i in report.trend],
        [i.interval.high if i.interval else None for _b, i in report.trend],
        _("Share satisfied (4–5) with its %(level)s interval", level=LEVEL), not_enough(),
        current_scheme().targets)


def _distribution(report: Report) -> Chart:
    return charts.distribution_chart(
        [criterion_name(i.code) for i in report.current],
        [i.tally.counts for i in report.current],
        [str(label) for _v, _f, label in RATING_SCALE], _("Ratings per criterion"))


def _heatmap(report: Report) -> Chart:
    cells = {cell: index.share for cell, index in report.heatmap.items() if index.n}
    minimum = current_app.config["MIN_RESPONSES_PER_CELL"]
    return charts.heatmap_chart(
        cells, [str(day) for day in labels.WEEKDAYS], HOURS,
        _("Share satisfied by weekday and hour"), few=f"<{minimum}",
        few_note=_("<%(n)s: fewer than %(n)s responses in the hour, no share shown.", n=minimum))


def _shown(report: Report, kind: str) -> list:
    """The ranked rows the page draws and lists (none when no item has enough responses)."""
    ranking = report.rankings.get(kind)
    return ranking.shown if ranking else []


def ranking_label(kind: str, row) -> str:
    """How a ranked item is named on a chart (a counter with its centre)."""
    return f"{row.label} – {row.detail}" if kind == "counter" else row.label


def _ranking(kind: str) -> Callable[[Report], Chart]:
    def draw(report: Report) -> Chart:
        rows = _shown(report, kind)
        return charts.ranking_chart(
            [ranking_label(kind, row) for row in rows],
            [row.index.share for row in rows],
            [row.index.interval.low for row in rows], [row.index.interval.high for row in rows],
            str(labels.RANKINGS[kind]), current_scheme().targets)

    return draw


def _sentiment(report: Report) -> Chart:
    series = {code: [counts[code] for _b, counts in report.sentiment]
              for code in SentimentLabel}
    months = [display("month", month) for month, _counts in report.sentiment]
    return charts.sentiment_chart(months, series,
                                  {code: labels.sentiment(code) for code in series},
                                  _("Sentiment of comments"))


DRAWERS: dict[str, Callable[[Report], Chart]] = {
    "trend": _trend, "distribution": _distribution, "heatmap": _heatmap,
    "sentiment": _sentiment,
    **{f"ranking-{kind}": _ranking(kind) for kind in ("unit", "centre", "counter", "staff")},
}
#: The table each chart shows (its full text alternative).
CHART_TABLE = {"trend": "trend", "distribution": "distribution", "heatmap": "heatmap",
               "sentiment": "sentiment",
               **{f"ranking-{k}": f"ranking-{k}" for k in ("unit", "centre", "counter", "staff")}}


def available(report: Report) -> list[str]:
    """Charts that this report can draw (no heatmap when it was not computed)."""
    names = ["trend", "distribution", *(["heatmap"] if report.heatmap is not None else [])]
    names += [f"ranking-{kind}" for kind in report.rankings if _shown(report, kind)]
    names.append("sentiment")
    return names


def _pct(value: float | None) -> str:
    return format_percent(value, format="0%") if value is not None else not_enough()


def alt_text(name: str, report: Report, table: DataTable) -> str:
    """A one-sentence summary of the chart; the table next to it has every number."""
    if name == "trend":
        points = [(b, i) for b, i in report.trend if i.enough]
        if not points:
            return _("Share satisfied over time: %(note)s.", note=not_enough())
        first, last = points[0], points[-1]
        return _("Share satisfied over time, from %(first)s to %(last)s; every value is in the "
                 "table below.", first=_pct(first[1].share), last=_pct(last[1].share))
    if name == "distribution":
        overall = report.overall
        return _("Ratings per criterion as stacked bars; overall %(share)s satisfied.",
                 share=_pct(overall.share if overall else None))
    if name == "heatmap":
        cells = [(cell, i) for cell, i in report.heatmap.items() if i.enough]
        if not cells:
            return _("Share satisfied by weekday and hour: %(note)s.", note=not_enough())
        (weekday, hour), worst = min(cells, key=lambda item: item[1].share)
        return _("Share satisfied by weekday and hour; lowest on %(day)s at %(hour)s h "
                 "(%(share)s).", day=labels.WEEKDAYS[weekday], hour=hour,
                 share=_pct(worst.share))
    if name.startswith("ranking-"):
        kind = name.removeprefix("ranking-")
        rows = _shown(report, kind)
        if not rows:
            return _("Ranking: %(note)s.", note=not_enough())
        return _("Ranking by share satisfied with %(level)s intervals: best %(best)s "
                 "(%(best_share)s), lowest %(worst)s (%(worst_share)s).", level=LEVEL,
                 best=ranking_label(kind, rows[0]),
                 best_share=_pct(rows[0].index.share), worst=ranking_label(kind, rows[-1]),
                 worst_share=_pct(rows[-1].index.share))
    totals = {str(code): sum(counts[code] for _b, counts in report.sentiment)
              for code in SentimentLabel}
    return _("Sentiment of comments over time: %(negative)s negative, %(neutral)s neutral, "
             "%(positive)s positive in the window shown.", **totals)
