"""The tables of a dashboard, built once from a `Report` and used by the page and the exports.

Cells hold raw values (numbers, dates, None); `display` formats them for the page in the
current locale and `export_value` for CSV/XLSX. A missing index ("not enough responses") is
None in its cells and explained in the row's note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _

from core.dates import day_text, when_text
from core.numbers import shown
from core.timeutil import local_iso
from feedback.dashboard import labels
from feedback.dashboard.report import RankRow, Report
from feedback.masking import mask_personal
from feedback.models import SentimentLabel
from feedback.scoring import CriterionIndex
from feedback.tag_labels import sentiment_text
from surveys.defaults import RATING_SCALE, criterion_name

#: Confidence level of the intervals, as shown.
LEVEL = "95 %"


@dataclass(frozen=True)
class Column:
    """A column: its header (translated) and how its values are formatted."""

    header: str
    kind: str = "text"


@dataclass
class DataTable:
    """A table shown on the dashboard and downloadable as CSV or XLSX."""

    name: str
    title: str
    columns: list[Column]
    rows: list[list]


def not_enough() -> str:
    """The note shown instead of a number below the minimum of answers."""
    return _("not enough responses")


def _index_cells(index: CriterionIndex) -> list:
    interval = index.interval
    return [index.n, index.mean, index.share, interval.low if interval else None,
            interval.high if interval else None]


def _index_columns() -> list[Column]:
    return [Column(_("Number of responses"), "int"), Column(_("Mean score (1–5)"), "mean"),
            Column(_("Share satisfied"), "share"),
            Column(_("Interval %(level)s, low", level=LEVEL), "share"),
            Column(_("Interval %(level)s, high", level=LEVEL), "share")]


def _note(index: CriterionIndex, note: str) -> str:
    return "" if index.enough else note


def _bucket_kind(report: Report) -> str:
    return "day" if report.trend_bucket == "day" else "month"


def build_tables(report: Report) -> dict[str, DataTable]:
    """Every table of the report, by name."""
    note = not_enough()
    tables = {
        "criteria": DataTable("criteria", _("Satisfaction by criterion"), [
            Column(_("Criterion")), *_index_columns(),
            Column(_("Previous mean"), "mean"), Column(_("Previous satisfied"), "share"),
            Column(_("Change in mean"), "delta_mean"),
            Column(_("Change in satisfied (points)"), "delta_share"), Column(_("Note")),
        ], [[criterion_name(now.code), *_index_cells(now), before.mean, before.share,
             delta.mean, delta.share, _note(now, note)]
            for now, before, delta in zip(report.current, report.before, report.changes,
                                          strict=True)]),
        "trend": DataTable("trend", _("Satisfaction over time"), [
            Column(_("Period"), _bucket_kind(report)), *_index_columns(), Column(_("Note")),
        ], [[bucket, *_index_cells(index), _note(index, note)] for bucket, index in report.trend]),
        "distribution": DataTable("distribution", _("Ratings per criterion"), [
            Column(_("Criterion")), *[Column(str(label), "int") for _v, _f, label in RATING_SCALE],
            Column(_("Number of responses"), "int"),
        ], [[criterion_name(i.code), *i.tally.counts, i.tally.n] for i in report.current]),
        "sentiment": DataTable("sentiment", _("Sentiment of comments over time"), [
            Column(_("Period"), "month"),
            *[Column(labels.sentiment(code), "int") for code in SentimentLabel],
        ], [[bucket, *(counts[code] for code in SentimentLabel)]
            for bucket, counts in report.sentiment]),
        "topics": DataTable("topics", _("Topics of comments"), [
            Column(_("Topic")), Column(_("Comments"), "int"),
            Column(_("Comments in the previous period"), "int"),
        ], [[labels.topic(code), now, before] for code, now, before in report.topics]),
    }
    for kind, ranking in report.rankings.items():
        tables[f"ranking-{kind}"] = ranking_table(kind, ranking.shown)
    if report.heatmap is not None:
        tables["heatmap"] = DataTable("heatmap", _("Satisfaction by weekday and hour"), [
            Column(_("Weekday")), Column(_("Hour"), "int"), *_index_columns(), Column(_("Note")),
        ], [[str(labels.WEEKDAYS[weekday]), hour, *_index_cells(index), _note(index, note)]
            for (weekday, hour), index in sorted(report.heatmap.items())])
    if report.comments is not None:
        tables["comments"] = DataTable("comments", _("Latest comments"), [
            Column(_("Time"), "datetime"), Column(_("Centre")), Column(_("Counter")),
            Column(_("Overall rating"), "int"), Column(_("Sentiment")), Column(_("Comment")),
        ], [[c.submitted_at, report.names.get("centre", {}).get(c.centre_id, ""),
             report.names.get("counter", {}).get(c.counter_id, ""), c.overall,
             sentiment_text(c.sentiment, c.confidence, c.reviewed), mask_personal(c.text)]
            for c in report.comments])
    return tables


def ranking_table(kind: str, rows: list[RankRow]) -> DataTable:
    """The table of a ranking's rows (those on the page, or all of them for a download)."""
    detail = {"unit": _("Code"), "centre": _("Ward, commune or special zone"),
              "counter": _("Centre"), "staff": _("Staff code")}
    note = not_enough()
    return DataTable(
        f"ranking-{kind}", str(labels.RANKINGS[kind]),
        [Column(_("Rank"), "int"), Column(_("Name")), Column(detail[kind]),
         *_index_columns(), Column(_("Note"))],
        [[row.rank, row.label, row.detail, *_index_cells(row.index), _note(row.index, note)]
         for row in rows])


def display(kind: str, value) -> str:
    """A cell as shown on the page, in the current locale."""
    if value is None or value == "":
        return "–" if kind != "text" else ""
    if kind == "int":
        return format_decimal(value)
    if kind == "mean":
        return format_decimal(shown(value, 2), format="0.00")
    if kind == "share":
        return format_percent(value, format="0.0%")
    if kind == "delta_mean":
        return format_decimal(shown(value, 2), format="+0.00;-0.00")
    if kind == "delta_share":
        return format_decimal(shown(value * 100, 1), format="+0.0;-0.0")
    if kind == "day":
        return day_text(value)
    if kind == "month":
        return format_date(value, "MM/yyyy")
    if kind == "datetime":
        return when_text(value)
    return str(value)


def export_value(kind: str, value):
    """A cell as written to CSV/XLSX: numbers stay numbers, shares in percent."""
    if value is None:
        return ""
    if kind in ("share", "delta_share"):
        return round(value * 100, 1)
    if kind in ("mean", "delta_mean"):
        return round(value, 2)
    if isinstance(value, datetime):
        return local_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
