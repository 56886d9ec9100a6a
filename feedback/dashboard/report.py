"""Everything one dashboard shows, computed from the rollups (or raw rows for small scopes).

`build_report` is plain Python over the query layer: no request, no locale, no rendering. Its
result is cached while nothing it counts has changed (see `freshness.py`), so the page, its
charts and its exports share one computation.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta

from sqlalchemy import or_, select

from core.db import db
from core.lazy import lazy
from feedback.dashboard import cache
from feedback.dashboard.chart_store import current_store
from feedback.dashboard.freshness import Mark, Version, changed_since, current_mark, data_version
from feedback.dashboard.queries import (
    Comment,
    Scope,
    hour_tallies,
    latest_comments,
    rating_rows,
    rating_tallies,
    seekable,
    tag_counts,
)
from feedback.dashboard.ranking import Ranked, rank
from feedback.dashboard.rollups import SENTIMENT, TOPIC
from feedback.models import SentimentLabel
from feedback.periods import Period, PeriodKind, add_months, month_start
from feedback.scoring import (
    OVERALL,
    SCALE,
    Change,
    CriterionIndex,
    Interval,
    Tally,
    change,
    criterion_index,
    indices,
)
from surveys.models import Centre, Question, Staff, Survey, Unit
from surveys.models import Counter as CounterModel
from surveys.queries import units_and_ancestors

np = lazy("numpy")
#: Periods up to this many days get a daily trend; longer ones a monthly trend.
DAILY_TREND_MAX_DAYS = 62
#: Rows of each ranking kept at the top and at the bottom of the page (downloads have all).
RANKING_EDGE = 10
#: The rankings a report can hold, in the order they are shown.
RANKING_KINDS = ("unit", "centre", "counter", "staff")


@dataclass(frozen=True)
class Options:
    """What a report includes and how strict it is."""

    min_responses: int = 30
    min_cell: int = 10
    rankings: tuple[str, ...] = ("unit", "centre", "counter", "staff")
    comments: int = 10
    #: Whether the weekday × hour heatmap is computed (never for a staff member's own numbers).
    heatmap: bool = True

    @classmethod
    def of(cls, config) -> Options:
        """The options the app's settings give (MIN_RESPONSES_FOR_INDEX, …_PER_CELL)."""
        return cls(min_responses=config["MIN_RESPONSES_FOR_INDEX"],
                   min_cell=config["MIN_RESPONSES_PER_CELL"])


@dataclass(frozen=True)
class RankRow:
    """One ranked centre, counter, staff member or ward; `rank` is None when it has too few
    responses to be ranked."""

    key: int
    label: str
    detail: str
    index: CriterionIndex
    rank: int | None


@dataclass(frozen=True)
class Ranking:
    """What the page shows of one ranking: the best and the lowest `RANKING_EDGE` ranked rows
    (all of them when there are few) and how many items the whole ranking has (ranked or not;
    `full_ranking` gives them all, for downloads)."""

    shown: list[RankRow]
    total: int


@dataclass(frozen=True)
class Report:
    """The numbers of one dashboard view."""

    period: Period
    previous: Period
    codes: list[str]
    current: list[CriterionIndex]
    before: list[CriterionIndex]
    changes: list[Change]
    trend_bucket: str
    trend: list[tuple[date, CriterionIndex]]
    #: None when it was not computed (a staff member's own numbers: `Options.heatmap`).
    heatmap: dict[tuple[int, int], CriterionIndex] | None
    rankings: dict[str, Ranking]
    sentiment: list[tuple[date, dict[str, int]]]
    topics: list[tuple[str, int, int]]
    #: None when the viewer may not read comments.
    comments: list[Comment] | None
    names: dict[str, dict[int, str]] = field(default_factory=dict)

    @property
    def responses(self) -> int:
        """Number of responses (answers to the overall question) in the period."""
        return next((i.n for i in self.current if i.code == OVERALL), 0)

    @property
    def overall(self) -> CriterionIndex | None:
        """The overall question's index."""
        return next((i for i in self.current if i.code == OVERALL), None)


def criterion_codes(unit_ids: Iterable[int] | None = None) -> list[str]:
    """Rating question codes, overall first, in first-seen order, of the survey versions the
    units' counters ask or asked: the national ones, the units' own and those of the units
    above them (every version for None). Another ward's version adds no criterion here."""
    query = select(Question.code).where(Question.kind == "rating")
    if unit_ids is not None:
        owners = sorted(units_and_ancestors(unit_ids))
        query = query.join(Survey, Survey.id == Question.survey_id).where(
            or_(Survey.unit_id.is_(None), Survey.unit_id.in_(owners)))
    codes: list[str] = []
    for code in db.session.execute(
        query.order_by(Question.survey_id.desc(), Question.position)
    ).scalars():
        if code not in codes:
            codes.append(code)
    if OVERALL in codes:
        codes.remove(OVERALL)
        codes.insert(0, OVERALL)
    return codes


def scope_unit_ids(scope: Scope) -> frozenset[int] | None:
    """The units a scope covers, for its criteria: its units, else its centre's (None: all)."""
    if scope.unit_ids is not None:
        return scope.unit_ids
    if scope.centre_id is not None:
        return frozenset({db.session.get(Centre, scope.centre_id).unit_id})
    return None


def trend_window(period: Period) -> tuple[str, Period]:
    """The bucket ("day" or "month") and the window of the trend chart ending with the period."""
    if period.days <= DAILY_TREND_MAX_DAYS and period.kind != PeriodKind.MONTH:
        days = max(period.days, 31)
        return "day", Period(PeriodKind.CUSTOM, period.end - timedelta(days=days), period.end)
    last_month = month_start(period.end - timedelta(days=1))
    start = min(period.start, add_months(last_month, -11))
    return "month", Period(PeriodKind.CUSTOM, start, period.end)


def sentiment_window(period: Period) -> Period:
    """Whole months, the 12 up to the period's last month (more if the period is longer).

    Comments are fewer than ratings, so their sentiment is shown by month whatever the period.
    """
    last_month = month_start(period.end - timedelta(days=1))
    start = min(month_start(period.start), add_months(last_month, -11))
    return Period(PeriodKind.CUSTOM, start, add_months(last_month, 1))


def _buckets(bucket: str, window: Period) -> list[date]:
    if bucket == "day":
        return [window.start + timedelta(days=i) for i in range(window.days)]
    found, current = [], month_start(window.start)
    while current < window.end:
        found.append(current)
        current = add_months(current, 1)
    return found


def _final_unit(unit_id: int, successors: dict[int, int | None]) -> int:
    seen = {unit_id}
    while successors.get(unit_id):
        unit_id = successors[unit_id]
        if unit_id in seen:
            break
        seen.add(unit_id)
    return unit_id


def _ranking_kinds(scope: Scope, options: Options) -> set[str]:
    """The rankings a scope has: none of what it is inside of or is itself."""
    wanted = set(options.rankings)
    if scope.centre_id is not None or scope.counter_id is not None or scope.staff_id is not None:
        wanted -= {"unit", "centre"}
    if scope.counter_id is not None or scope.staff_id is not None:
        wanted.discard("counter")
    if scope.staff_id is not None:
        wanted.discard("staff")
    return wanted


def _ranked(scope: Scope, period: Period, wanted: set[str],
            min_responses: int) -> dict[str, Ranked]:
    """The wanted rankings of the scope and period by the overall question: of its wards (each
    counted as its final successor), centres, counters and staff members."""
    rows = np.array(rating_rows(scope, period, RANKING_KINDS, codes=[OVERALL]),
                    dtype=np.int64).reshape(-1, len(RANKING_KINDS) + len(SCALE))
    counts = rows[:, len(RANKING_KINDS):]
    result = {}
    for position, name in enumerate(RANKING_KINDS):
        if name not in wanted:
            continue
        keys = rows[:, position]
        if name == "unit":
            successors = dict(db.session.execute(select(Unit.id, Unit.successor_id)).all())
            units, inverse = np.unique(keys, return_inverse=True)
            keys = np.array([_final_unit(int(unit), successors) for unit in units],
                            dtype=np.int64)[inverse]
        on_duty = keys != 0 if name == "staff" else slice(None)  # 0: nobody on duty
        result[name] = rank(keys[on_duty], counts[on_duty], min_responses)
    return result


def edges(count: int) -> list[int]:
    """Positions shown of `count` ranked items: the first and the last `RANKING_EDGE`."""
    if count <= 2 * RANKING_EDGE:
        return list(range(count))
    return [*range(RANKING_EDGE), *range(count - RANKING_EDGE, count)]


def _rows(kind: str, order: Ranked, positions: list[int], options: Options) -> list[RankRow]:
    items = [order.item(position) for position in positions]
    labels = _labels({kind: {key for key, _tally in items}})[kind]
    rows = []
    for position, (key, tally) in zip(positions, items, strict=True):
        index = criterion_index(OVERALL, tally, options.min_responses)
        rows.append(RankRow(key, *labels.get(key, (str(key), "")), index,
                            position + 1 if index.enough else None))
    return rows


def _rankings(scope: Scope, period: Period, options: Options) -> dict[str, Ranking]:
    wanted = _ranking_kinds(scope, options)
    if not wanted:
        return {}
    orders = _ranked(scope, period, wanted, options.min_responses)
    result = {}
    for name in RANKING_KINDS:
        if name not in wanted or (name == "unit" and len(orders[name]) < 2):
            continue
        order = orders[name]
        result[name] = Ranking(_rows(name, order, edges(order.enough), options), len(order))
    return result


def full_ranking(scope: Scope, period: Period, options: Options, kind: str) -> list[RankRow]:
    """Every item of one of the report's rankings, ranked ones first (for downloads)."""
    scope = seekable(scope)
    if kind not in _ranking_kinds(scope, options):
        return []
    order = _ranked(scope, period, {kind}, options.min_responses)[kind]
    return _rows(kind, order, list(range(len(order))), options)


def _labels(ids: dict[str, set[int]]) -> dict[str, dict[int, tuple[str, str]]]:
    labels: dict[str, dict[int, tuple[str, str]]] = {name: {} for name in ids}
    if ids.get("unit"):
        for unit_id, name, code in db.session.execute(
                select(Unit.id, Unit.name, Unit.code).where(Unit.id.in_(ids["unit"]))):
            labels["unit"][unit_id] = (name, code)
    if ids.get("centre"):
        for centre_id, name, unit_name in db.session.execute(
                select(Centre.id, Centre.name, Unit.name).join(Unit, Unit.id == Centre.unit_id)
                .where(Centre.id.in_(ids["centre"]))):
            labels["centre"][centre_id] = (name, unit_name)
    if ids.get("counter"):
        for counter_id, label, centre_name in db.session.execute(
                select(CounterModel.id, CounterModel.label, Centre.name)
                .join(Centre, Centre.id == CounterModel.centre_id)
                .where(CounterModel.id.in_(ids["counter"]))):
            labels["counter"][counter_id] = (label, centre_name)
    if ids.get("staff"):
        for staff_id, name, code in db.session.execute(
                select(Staff.id, Staff.full_name, Staff.code).where(Staff.id.in_(ids["staff"]))):
            labels["staff"][staff_id] = (name, code)
    return labels


def build_report(scope: Scope, period: Period, options: Options) -> Report:
    """Compute every number of a dashboard for a scope and period."""
    codes = criterion_codes(scope_unit_ids(scope))
    scope = seekable(scope)
    previous = period.previous()
    now = {k[0]: t for k, t in rating_tallies(scope, period, ("question",)).items()}
    then = {k[0]: t for k, t in rating_tallies(scope, previous, ("question",)).items()}
    current = indices(now, codes, options.min_responses)
    before = indices(then, codes, options.min_responses)
    bucket, window = trend_window(period)
    series = {k[0]: t for k, t in
              rating_tallies(scope, window, (bucket,), codes=[OVERALL]).items()}
    trend = [(day, criterion_index(OVERALL, series.get(day, Tally()), options.min_responses))
             for day in _buckets(bucket, window)]
    heatmap = {cell: criterion_index(OVERALL, tally, options.min_cell)
               for cell, tally in hour_tallies(scope, period).items()} if options.heatmap else None
    months = sentiment_window(period)
    tags = tag_counts(scope, months, "month", SENTIMENT)
    sentiment = [(month, {label: tags.get((SENTIMENT, label, month), 0)
                          for label in SentimentLabel}) for month in _buckets("month", months)]
    topics_now, topics_before = _topics(tag_counts(scope, period)), _topics(
        tag_counts(scope, previous))
    topics = sorted(((code, n, topics_before.get(code, 0)) for code, n in topics_now.items()),
                    key=lambda item: (-item[1], item[0]))
    comments = latest_comments(scope, period, options.comments) if options.comments else None
    return Report(
        period=period, previous=previous, codes=codes, current=current, before=before,
        changes=[change(c, b) for c, b in zip(current, before, strict=True)],
        trend_bucket=bucket, trend=trend, heatmap=heatmap,
        rankings=_rankings(scope, period, options), sentiment=sentiment, topics=topics,
        comments=comments, names=_comment_names(comments or []),
    )


def _topics(tags: Counter) -> dict[str, int]:
    return {key[1]: n for key, n in tags.items() if key[0] == TOPIC}


def _comment_names(comments: list[Comment]) -> dict[str, dict[int, str]]:
    labels = _labels({"centre": {c.centre_id for c in comments},
                      "counter": {c.counter_id for c in comments}})
    return {name: {key: value[0] for key, value in found.items()}
            for name, found in labels.items()}


def without_comments_about(report: Report, staff_id: int | None) -> Report:
    """The report as a viewer linked to this staff record sees it: none of the comments given
    to them (a leader who also serves at a counter, `feedback.cases.recusal`)."""
    if staff_id is None or not report.comments:
        return report
    return replace(report, comments=[c for c in report.comments if c.staff_id != staff_id])


def report_window(period: Period) -> Period:
    """Every day a report of the period reads: the period, the one before, the trend's and the
    sentiment chart's windows."""
    spans = (period, period.previous(), trend_window(period)[1], sentiment_window(period))
    return Period(PeriodKind.CUSTOM, min(p.start for p in spans), max(p.end for p in spans))


@dataclass(frozen=True)
class Kept:
    """A computed report, what it had seen (`freshness.Mark`) and the data version at which it
    was last known current."""

    report: Report
    mark: Mark
    version: Version


@functools.cache
def _report_shape() -> str:
    """The fields of a report and of what it holds: a report stored by a worker running other
    code (before a deploy) has another name, and is never read into these classes."""
    return repr([(kind.__name__, [(f.name, str(f.type)) for f in fields(kind)])
                 for kind in (Kept, Mark, Version, Report, Ranking, RankRow, CriterionIndex,
                              Tally, Interval, Change, Comment, Period)])


def cached_report(scope: Scope, period: Period, options: Options) -> Report:
    """The report while no response or label correction of its scope and days has come since
    it was computed (`freshness`), for at most the cache's expiry: from this process's cache,
    else from the shared store (computed by another worker, or by the round that draws charts
    ahead), else computed now and kept in both."""
    version = data_version()
    stale: set[Mark] = set()  # found stale here: the store's copy of it is not checked again

    def compute() -> Kept:
        mark = current_mark()  # before: what is stored while it computes is after the mark
        return Kept(build_report(scope, period, options), mark, version)

    def current(kept: Kept) -> Kept | None:
        if kept.version == version:
            return kept
        if kept.mark in stale or kept.version.everywhere != version.everywhere:
            return None
        mark = current_mark()
        if changed_since(kept.mark, scope, report_window(period)):
            stale.add(kept.mark)
            return None
        return Kept(kept.report, mark, version)

    def load() -> Kept:
        store = current_store()
        if store is None:
            return compute()
        name = "report-" + hashlib.sha256(repr((
            sorted(scope.unit_ids) if scope.unit_ids is not None else None, scope.centre_id,
            scope.counter_id, scope.staff_id, scope.area_id, period.key(), options,
            _report_shape(),
        )).encode()).hexdigest()[:32]
        kept = store.get_object(name, cache.reports.ttl)
        kept = current(kept) if isinstance(kept, Kept) else None
        if kept is None:
            kept = compute()
            store.put_object(name, kept)
        return kept

    return cache.reports.get_or_compute(("report", scope, period, options), load,
                                        current).report
