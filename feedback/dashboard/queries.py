"""Aggregate reads for dashboards: rating tallies, heatmap cells, tag counts, latest comments.

Each read picks the smallest source that can answer it exactly (`registry.choose`, from the
dimensions each rollup's key serves) and otherwise falls back to the raw responses and answers
(same numbers, more rows read):

- `rollup_centre_month` for periods made of whole months when the scope and grouping need
  nothing finer than a centre (criteria, trend, ward and centre totals);
- `rollup_overall_item_month` for whole months when only the overall question is counted and
  nothing finer than a counter or staff member is asked for (the rankings);
- `rollup_rating_month` for whole months when a counter, staff member or procedure area is
  asked for or grouped by with any question (their scopes);
- `rollup_rating_day` for other periods when the scope and grouping need nothing finer than a
  centre;
- `rollup_overall_item_day` for other periods' rankings, `rollup_overall_day` when a procedure
  area or an hour is asked for too;
- `rollup_rating_hour` for the heatmap of whole months of a unit or more,
  `rollup_overall_hour_day` for a unit's or more of other periods, `rollup_overall_day` for a
  centre's or anything finer;
- `rollup_tag_month` / `rollup_tag_day` for comment sentiment and topics at centre grain;
- the raw tables for the rest (all criteria, or comment tags, of a counter, staff or
  procedure-area scope over partial months), small scopes served by the response indexes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import case, func, literal_column, select

from core.db import db
from feedback.dashboard import registry, sqltime
from feedback.dashboard.models import NONE_KEY
from feedback.dashboard.rollups import SENTIMENT, TOPIC, topic_codes
from feedback.models import Answer, Response
from feedback.periods import Period
from feedback.scoring import OVERALL, SCALE, Tally
from surveys.models import Question, Unit

HOUR_KEY = ("weekday", "hour")
#: Up to this many units (a ward and the wards merged into it) the unit index narrows a raw read.
SELECTIVE_UNITS = 16
RATING_DIMENSIONS = ("question", "unit", "centre", "counter", "staff", "area", "day", "month")
INTEGER_DIMENSIONS = frozenset({"unit", "centre", "counter", "staff", "area"})


@dataclass(frozen=True)
class Scope:
    """Which responses a report covers; None leaves that dimension unrestricted."""

    #: Units whose responses count (a province's wards and their merged predecessors).
    unit_ids: frozenset[int] | None = None
    centre_id: int | None = None
    counter_id: int | None = None
    staff_id: int | None = None
    area_id: int | None = None

    @property
    def centre_grain(self) -> bool:
        """True when nothing finer than a centre is asked for."""
        return self.counter_id is None and self.staff_id is None and self.area_id is None

    def dimensions(self) -> set[str]:
        """The dimensions a source must be able to filter by to serve this scope."""
        named = {"unit": self.unit_ids, "centre": self.centre_id, "counter": self.counter_id,
                 "staff": self.staff_id, "area": self.area_id}
        return {name for name, value in named.items() if value is not None}


def seekable(scope: Scope) -> Scope:
    """The scope with every unit named when it names no unit, centre, counter or staff member.

    Rollup keys start with the unit, so naming every unit lets the database seek each unit's
    period instead of scanning whole tables (PostgreSQL, a national week at 5 M responses:
    0.6–0.9 s scanning, 0.2–0.4 s seeking; as a subquery it chose the scan). Centre, counter and
    staff scopes have indexes of their own.
    """
    if scope.unit_ids is not None or scope.centre_id is not None \
            or scope.counter_id is not None or scope.staff_id is not None:
        return scope
    return replace(scope, unit_ids=frozenset(db.session.execute(select(Unit.id)).scalars()))


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _aligned(period: Period) -> str:
    """The coarsest grain the period is made of whole units of: "year", "month" or "day"."""
    if period.start.day != 1 or period.end.day != 1:
        return "day"
    return "year" if period.start.month == 1 and period.end.month == 1 else "month"


def _as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def _key(row, by: tuple[str, ...]) -> tuple:
    return tuple(_as_date(value) if name in ("day", "month") else value
                 for name, value in zip(by, row, strict=False))


def _rollup_filters(dims: dict, scope: Scope) -> list:
    """The scope as filters on a rollup's dimension expressions."""
    filters = []
    if scope.unit_ids is not None:
        filters.append(dims["unit"].in_(sorted(scope.unit_ids)))
    for name, value in (("centre", scope.centre_id), ("counter", scope.counter_id),
                        ("staff", scope.staff_id), ("area", scope.area_id)):
        if value is not None:
            filters.append(dims[name] == value)
    return filters


def _raw_filters(scope: Scope, period: Period, by_time: bool = False) -> list:
    """The scope and period as filters on raw responses. `by_time`: the rows are wanted newest
    first, a few of them; a scope of many units (a province) then checks each row's unit
    (`unit_id + 0`, which no index serves): offered the unit list, SQLite left the partial
    index of commented responses for the time index of all of them and read the whole period
    (0.1-0.3 s at 5 M responses for ten comments, against under 1 ms)."""
    start, end = period.utc_bounds()
    filters = [Response.submitted_at >= start, Response.submitted_at < end,
               Response.counted.is_(True)]
    if scope.unit_ids is not None:
        unit = Response.unit_id + 0 if by_time and len(scope.unit_ids) > SELECTIVE_UNITS \
            else Response.unit_id
        filters.append(unit.in_(sorted(scope.unit_ids)))
    for column, value in ((Response.centre_id, scope.centre_id),
                          (Response.counter_id, scope.counter_id),
                          (Response.staff_id, scope.staff_id),
                          (Response.procedure_area_id, scope.area_id)):
        if value is not None:
            filters.append(column == value)
    return filters


def _raw_dims(dialect: str) -> dict:
    r = Response
    none = literal_column(str(NONE_KEY))
    return {"question": Question.code, "unit": r.unit_id, "centre": r.centre_id,
            "counter": r.counter_id, "staff": func.coalesce(r.staff_id, none),
            "area": func.coalesce(r.procedure_area_id, none),
            "day": sqltime.local_day(r.submitted_at, dialect),
            "month": sqltime.local_month(r.submitted_at, dialect)}


def _raw_counts() -> list:
    return [func.sum(case((Answer.value == rating, 1), else_=0)) for rating in SCALE]


def _collect(rows: Iterable, by: tuple[str, ...]) -> dict[tuple, Tally]:
    size = len(by)
    dated = any(name in ("day", "month") for name in by)
    result: dict[tuple, Tally] = {}
    for row in rows:
        key = _key(row, by) if dated else tuple(row[:size])
        tally = Tally(tuple(int(v or 0) for v in row[size:]))
        result[key] = result[key] + tally if key in result else tally
    return result


def _choose(candidates, scope: Scope, period: Period, by: Iterable[str],
            codes: list[str] | None = None) -> registry.Rollup | None:
    return registry.choose(candidates, scope.dimensions() | set(by), _aligned(period),
                           codes)


def rating_source(scope: Scope, period: Period, by: tuple[str, ...],
                  codes: list[str] | None = None) -> str:
    """Which source answers a rating query: a rollup's name ("centre_month", "month", "day",
    "overall") or "raw"."""
    rollup = _choose(registry.RATINGS, scope, period, by, codes)
    return rollup.name if rollup else "raw"


def _rollup_query(rollup: registry.Rollup, scope: Scope, period: Period,
                  by: tuple[str, ...], codes: list[str] | None, dialect: str):
    """The GROUP BY of `by` over a rollup table, and its dimension expressions."""
    dims = rollup.expressions(dialect)
    filters = [rollup.time >= period.start, rollup.time < period.end,
               *_rollup_filters(dims, scope)]
    if codes is not None and not rollup.overall_only:
        filters.append(dims["question"].in_(codes))
    sums = [func.sum(rollup.table.c[name]) for name in rollup.counts]
    return select(*(dims[name] for name in by), *sums).where(*filters), dims


def _raw_query(scope: Scope, period: Period, by: tuple[str, ...], codes: list[str] | None,
               dialect: str):
    """The GROUP BY of `by` over the raw answers, and its dimension expressions."""
    dims = _raw_dims(dialect)
    filters = _raw_filters(scope, period)
    if codes is not None:
        filters.append(Question.code.in_(codes))
    query = (select(*(dims[name] for name in by), *_raw_counts())
             .select_from(Answer)
             .join(Response, Response.id == Answer.response_id)
             .join(Question, Question.id == Answer.question_id)
             .where(*filters))
    return query, dims


def _rating_query(scope: Scope, period: Period, by: tuple[str, ...],
                  codes: Iterable[str] | None):
    """The GROUP BY of `by` over the smallest source that answers it: `by`'s values, then the
    number of answers with each rating."""
    unknown = set(by) - set(RATING_DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions: {sorted(unknown)}")
    codes = list(codes) if codes is not None else None
    rollup = _choose(registry.RATINGS, scope, period, by, codes)
    dialect = _dialect()
    if rollup is None:
        query, dims = _raw_query(scope, period, by, codes, dialect)
    else:
        query, dims = _rollup_query(rollup, scope, period, by, codes, dialect)
    if by:
        # A rollup of the overall question alone gives the question as a constant: nothing to
        # group (PostgreSQL refuses a string constant in GROUP BY).
        query = query.group_by(*(dims[name] for name in by
                                 if not getattr(dims[name], "is_literal", False)))
    return query


def rating_tallies(scope: Scope, period: Period, by: tuple[str, ...],
                   codes: Iterable[str] | None = None) -> dict[tuple, Tally]:
    """Tallies of ratings grouped by the dimensions `by` (values in that order).

    Dimensions: question (code), unit, centre, counter, staff (0: nobody on duty), area (0:
    none chosen), day and month (local dates). `codes` limits the questions counted.
    """
    query = _rating_query(scope, period, by, codes)
    return {key: tally for key, tally in _collect(db.session.execute(query), by).items()
            if tally.n}


def rating_rows(scope: Scope, period: Period, by: tuple[str, ...],
                codes: Iterable[str] | None = None) -> list[tuple[int, ...]]:
    """The groups of `rating_tallies` as plain rows: `by`'s values, then the number of
    answers with each rating (groups without answers too). For integer dimensions only (unit,
    centre, counter, staff, area): a ranking sums thousands of them as arrays."""
    if set(by) - INTEGER_DIMENSIONS:
        raise ValueError(f"not integer dimensions: {sorted(set(by) - INTEGER_DIMENSIONS)}")
    return [tuple(row) for row in db.session.execute(_rating_query(scope, period, by, codes))]


def hour_tallies(scope: Scope, period: Period) -> dict[tuple[int, int], Tally]:
    """Overall ratings by local (weekday 0 = Monday, hour)."""
    rollup = _choose(registry.RATINGS, scope, period, HOUR_KEY, [OVERALL])
    query, dims = _rollup_query(rollup, scope, period, HOUR_KEY, None, _dialect())
    found = _collect(db.session.execute(query.group_by(*(dims[name] for name in HOUR_KEY))),
                     HOUR_KEY)
    return {(int(k[0]), int(k[1])): tally for k, tally in found.items()}


def _tag_rollup(scope: Scope, period: Period, bucket: str | None) -> registry.Rollup | None:
    return _choose(registry.TAGS, scope, period, [bucket] if bucket else [])


def tag_source(scope: Scope, period: Period, bucket: str | None = None) -> str:
    """Which source answers a tag query: "year", "month", "day" (the grain of the tag
    rollup) or "raw"."""
    rollup = _tag_rollup(scope, period, bucket)
    return rollup.grain if rollup else "raw"


def tag_counts(scope: Scope, period: Period, bucket: str | None = None,
               kind: str | None = None) -> Counter:
    """Comments by (kind, code[, bucket]): kind "s" for a sentiment label, "t" for a topic.

    `bucket` is None, "month" or "day" (local); `kind` keeps that kind only (the sentiment
    chart's twelve months need no topic: a province's window then reads a third of the rows).
    """
    dialect = _dialect()
    result: Counter = Counter()
    rollup = _tag_rollup(scope, period, bucket)
    if rollup is not None:
        # One kind asked: not grouped by it (SQLite sorts every row by the whole group key).
        kinds = ("kind",) if kind is None else ()
        by = (*kinds, "code", *([bucket] if bucket else []))
        query, dims = _rollup_query(rollup, scope, period, by, None, dialect)
        if kind is not None:
            query = query.where(dims["kind"] == kind)
        names = (*kinds, "code", "day")[:len(by)]
        for row in db.session.execute(query.group_by(*(dims[name] for name in by))):
            result[(kind, *_key(row, names)) if kind is not None else _key(row, names)] \
                += int(row[-1])
        return result
    r = Response
    time_key = {"month": sqltime.local_month(r.submitted_at, dialect),
                "day": sqltime.local_day(r.submitted_at, dialect)}.get(bucket)
    extra = [time_key] if time_key is not None else []
    filters = _raw_filters(scope, period)
    if kind in (None, SENTIMENT):
        for row in db.session.execute(
            select(r.sentiment, *extra, func.count())
            .where(*filters, r.sentiment.is_not(None))
            .group_by(r.sentiment, *extra)
        ):
            result[(SENTIMENT, row[0], *(_as_date(v) for v in row[1:-1]))] += row[-1]
    if kind in (None, TOPIC):
        for row in db.session.execute(
            select(r.topics, *extra, func.count())
            .where(*filters, r.topics.is_not(None))
            .group_by(r.topics, *extra)
        ):
            for code in set(topic_codes(row[0])):
                result[(TOPIC, code, *(_as_date(v) for v in row[1:-1]))] += row[-1]
    return result


@dataclass(frozen=True)
class Comment:
    """A recent comment, without contact details."""

    submitted_at: object
    centre_id: int
    counter_id: int
    staff_id: int | None
    overall: int | None
    text: str
    sentiment: str | None
    #: The tagger's confidence in its label; reviewed: a leader set the label.
    confidence: float | None = None
    reviewed: bool = False


def latest_comments(scope: Scope, period: Period, limit: int = 10) -> list[Comment]:
    """The newest comments of the scope and period (never the citizens' contact details)."""
    rows = list(db.session.execute(
        select(Response.id, Response.submitted_at, Response.centre_id, Response.counter_id,
               Response.staff_id, Response.comment, Response.sentiment,
               Response.sentiment_confidence, Response.reviewed_label.is_not(None))
        .where(*_raw_filters(scope, period, by_time=True), Response.comment.is_not(None))
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(limit)
    ))
    overall = dict(db.session.execute(
        select(Answer.response_id, Answer.value)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.response_id.in_([row[0] for row in rows]), Question.code == OVERALL)
    ).all()) if rows else {}
    return [Comment(row[1], row[2], row[3], row[4], overall.get(row[0]), row[5], row[6],
                    row[7], bool(row[8])) for row in rows]

