"""Keeping the rollup tables current: one upsert per table when a response is stored, and a
rebuild of whole months from the raw responses and answers (backfill, repair, after a retag).

The upsert adds the new response's counts to existing rows (INSERT … ON CONFLICT DO UPDATE,
native on SQLite ≥ 3.24 and PostgreSQL) inside the caller's transaction, so a response and its
rollup counts are committed, or rolled back, together. Only counted responses are in the
rollups: one held out by integrity flags is subtracted again (`adjust_rollups`), and added back
when HR restores it.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping
from datetime import date

from sqlalchemy import case, delete, func, literal, literal_column, select, text
from sqlalchemy.dialects import postgresql, sqlite

from core.db import db
from core.timeutil import to_local
from feedback.dashboard import sqltime
from feedback.dashboard.models import (
    NONE_KEY,
    OverallDay,
    RatingCentreMonth,
    RatingDay,
    RatingHour,
    RatingMonth,
    TagDay,
    TagMonth,
)
from feedback.models import Answer, Response
from feedback.periods import add_months, local_midnight_utc, month_start
from feedback.scoring import OVERALL, SCALE
from surveys.models import Question

COUNT_COLUMNS = tuple(f"v{value}" for value in SCALE)
TABLES = (RatingMonth, RatingCentreMonth, RatingDay, RatingHour, OverallDay, TagMonth, TagDay)
SENTIMENT, TOPIC = "s", "t"


def _dialect() -> str:
    return db.session.get_bind().dialect.name


@functools.cache
def _upsert_statement(table, dialect: str, sum_columns: tuple[str, ...]):
    """INSERT … ON CONFLICT DO UPDATE adding the new counts, built once per table and dialect:
    executed with a list of rows, SQLAlchemy compiles it once and reuses it (building a new
    multi-row VALUES statement per response cost more than the database's own work)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={name: table.c[name] + statement.excluded[name] for name in sum_columns},
    )


def _upsert(model, rows: list[dict], sum_columns: tuple[str, ...]) -> None:
    if rows:
        db.session.execute(_upsert_statement(model.__table__, _dialect(), sum_columns), rows)


def _counts(value: int, sign: int = 1) -> dict[str, int]:
    return {name: sign * int(value == rating)
            for name, rating in zip(COUNT_COLUMNS, SCALE, strict=True)}


def topic_codes(topics: str | None) -> list[str]:
    """The topic codes of a response's comma-separated `topics`."""
    return [code for code in (topics or "").split(",") if code]


def record_rollups(response: Response, ratings_by_code: Mapping[str, int],
                   sign: int = 1) -> None:
    """Add one stored response (with its ratings by question code) to every rollup table, or
    take it away again with sign -1."""
    local = to_local(response.submitted_at)
    day, month = local.date(), month_start(local.date())
    where = {"unit_id": response.unit_id, "centre_id": response.centre_id}
    codes = sorted(ratings_by_code)
    _upsert(RatingMonth, [
        {"month": month, **where, "counter_id": response.counter_id,
         "staff_key": response.staff_id or NONE_KEY,
         "area_key": response.procedure_area_id or NONE_KEY,
         "question_code": code, **_counts(ratings_by_code[code], sign)} for code in codes
    ], COUNT_COLUMNS)
    _upsert(RatingCentreMonth, [{"month": month, **where, "question_code": code,
                                 **_counts(ratings_by_code[code], sign)} for code in codes],
            COUNT_COLUMNS)
    _upsert(RatingDay, [{"day": day, **where, "question_code": code,
                         **_counts(ratings_by_code[code], sign)} for code in codes], COUNT_COLUMNS)
    if OVERALL in ratings_by_code:
        overall = _counts(ratings_by_code[OVERALL], sign)
        _upsert(RatingHour, [{"month": month, "unit_id": response.unit_id,
                              "weekday": local.weekday(), "hour": local.hour, **overall}],
                COUNT_COLUMNS)
        _upsert(OverallDay, [{"day": day, **where, "counter_id": response.counter_id,
                              "staff_key": response.staff_id or NONE_KEY,
                              "area_key": response.procedure_area_id or NONE_KEY,
                              "hour": local.hour, **overall}], COUNT_COLUMNS)
    record_tag_rollups(response, sign)


def record_tag_rollups(response: Response, sign: int = 1) -> None:
    """Add a response's sentiment label and topics to the tag rollups (at submission, or once
    a comment whose tagging failed has been tagged), or take them away with sign -1."""
    local = to_local(response.submitted_at)
    day, month = local.date(), month_start(local.date())
    where = {"unit_id": response.unit_id, "centre_id": response.centre_id}
    tags = [(TOPIC, code) for code in sorted(set(topic_codes(response.topics)))]
    if response.sentiment:
        tags.insert(0, (SENTIMENT, response.sentiment))
    _upsert(TagMonth, [{"month": month, **where, "kind": kind, "code": code, "n": sign}
                       for kind, code in tags], ("n",))
    _upsert(TagDay, [{"day": day, **where, "kind": kind, "code": code, "n": sign}
                     for kind, code in tags], ("n",))


def adjust_rollups(response: Response, sign: int) -> None:
    """Add (+1) or take away (-1) a stored response's counts, its ratings read back."""
    ratings = dict(db.session.execute(
        select(Question.code, Answer.value).join(Answer, Answer.question_id == Question.id)
        .where(Answer.response_id == response.id)).all())
    record_rollups(response, ratings, sign)
    if sign < 0:
        _drop_empty(response)


def _drop_empty(response: Response) -> None:
    """Delete the rows of the response's unit, day and month left with no counts, so that the
    tables stay exactly what a rebuild makes."""
    local = to_local(response.submitted_at)
    day, month = local.date(), month_start(local.date())
    for model in TABLES:
        columns = model.__table__.c
        empty = (columns.n == 0,) if "n" in columns else tuple(
            columns[name] == 0 for name in COUNT_COLUMNS)
        when = model.month == month if "month" in columns else model.day == day
        db.session.execute(delete(model).where(model.unit_id == response.unit_id, when, *empty))


def move_sentiment(response: Response, old: str | None, new: str) -> None:
    """Move a stored response from the `old` sentiment count to the `new` one (a leader's
    correction), in its day and month rows."""
    local = to_local(response.submitted_at)
    where = {"unit_id": response.unit_id, "centre_id": response.centre_id, "kind": SENTIMENT}
    moves = [(new, 1)] + ([(old, -1)] if old else [])
    _upsert(TagMonth, [{"month": month_start(local.date()), **where, "code": code, "n": n}
                       for code, n in moves], ("n",))
    _upsert(TagDay, [{"day": local.date(), **where, "code": code, "n": n}
                     for code, n in moves], ("n",))


def _value_sums(answer_value) -> list:
    return [func.sum(case((answer_value == rating, 1), else_=0)) for rating in SCALE]


def _insert_ratings(dialect: str, start, end) -> None:
    r, a, q = Response.__table__, Answer.__table__, Question.__table__
    joined = a.join(r, r.c.id == a.c.response_id).join(q, q.c.id == a.c.question_id)
    window = (r.c.submitted_at >= start, r.c.submitted_at < end, r.c.counted.is_(True))
    month = sqltime.local_month(r.c.submitted_at, dialect)
    none = literal_column(str(NONE_KEY))
    staff, area = (func.coalesce(r.c.staff_id, none), func.coalesce(r.c.procedure_area_id, none))
    day = sqltime.local_day(r.c.submitted_at, dialect)
    hour = sqltime.local_hour(r.c.submitted_at, dialect)
    keys = {
        RatingMonth: {"month": month, "unit_id": r.c.unit_id, "centre_id": r.c.centre_id,
                      "counter_id": r.c.counter_id, "staff_key": staff, "area_key": area,
                      "question_code": q.c.code},
        RatingDay: {"day": day, "unit_id": r.c.unit_id, "centre_id": r.c.centre_id,
                    "question_code": q.c.code},
        RatingHour: {"month": month, "unit_id": r.c.unit_id,
                     "weekday": sqltime.local_weekday(r.c.submitted_at, dialect), "hour": hour},
        OverallDay: {"day": day, "unit_id": r.c.unit_id, "centre_id": r.c.centre_id,
                     "counter_id": r.c.counter_id, "staff_key": staff, "area_key": area,
                     "hour": hour},
    }
    for model, key in keys.items():
        query = select(*key.values(), *_value_sums(a.c.value)).select_from(joined).where(*window)
        if model in (RatingHour, OverallDay):
            query = query.where(q.c.code == OVERALL)
        names = [*key, *COUNT_COLUMNS]
        db.session.execute(model.__table__.insert().from_select(names,
                                                                query.group_by(*key.values())))


def _insert_centre_months(month: date) -> None:
    """A month's centre rows from its finer month rows (no second pass over the answers)."""
    m = RatingMonth.__table__
    key = (m.c.unit_id, m.c.month, m.c.centre_id, m.c.question_code)
    db.session.execute(RatingCentreMonth.__table__.insert().from_select(
        [column.name for column in key] + list(COUNT_COLUMNS),
        select(*key, *(func.sum(m.c[name]) for name in COUNT_COLUMNS))
        .where(m.c.month == month).group_by(*key)))


def _insert_tags(dialect: str, start, end, first_day: date, next_month: date) -> None:
    """Tag counts by day from the raw responses, then the month's rows from the days."""
    r = Response.__table__
    day = sqltime.local_day(r.c.submitted_at, dialect)
    window = (r.c.submitted_at >= start, r.c.submitted_at < end, r.c.counted.is_(True))
    label = func.coalesce(r.c.reviewed_label, r.c.sentiment_label)
    sentiment = (select(day, r.c.unit_id, r.c.centre_id, literal(SENTIMENT), label, func.count())
                 .where(*window, label.is_not(None))
                 .group_by(day, r.c.unit_id, r.c.centre_id, label))
    names = ["day", "unit_id", "centre_id", "kind", "code", "n"]
    db.session.execute(TagDay.__table__.insert().from_select(names, sentiment))
    topics: Counter = Counter()
    for row in db.session.execute(
        select(day, r.c.unit_id, r.c.centre_id, r.c.topics, func.count())
        .where(*window, r.c.topics.is_not(None))
        .group_by(day, r.c.unit_id, r.c.centre_id, r.c.topics)
    ):
        for code in set(topic_codes(row[3])):
            topics[(row[0], row[1], row[2], code)] += row[4]
    if topics:
        db.session.execute(TagDay.__table__.insert(), [
            {"day": _as_date(d), "unit_id": u, "centre_id": c, "kind": TOPIC, "code": code,
             "n": n} for (d, u, c, code), n in sorted(topics.items())
        ])
    t = TagDay.__table__
    month = sqltime.month_of_date(t.c.day, dialect)
    local_days = (t.c.day >= first_day, t.c.day < next_month)
    db.session.execute(TagMonth.__table__.insert().from_select(
        ["month", "unit_id", "centre_id", "kind", "code", "n"],
        select(month, t.c.unit_id, t.c.centre_id, t.c.kind, t.c.code, func.sum(t.c.n))
        .where(*local_days).group_by(month, t.c.unit_id, t.c.centre_id, t.c.kind, t.c.code)))


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def rebuild_month(month: date) -> None:
    """Recompute every rollup row of one local month from the raw responses; the caller commits.

    On PostgreSQL the rollup tables are locked against concurrent upserts for the duration, so
    a response stored meanwhile waits and is then added on top of the rebuilt counts.
    """
    month = month_start(month)
    following = add_months(month, 1)
    dialect = _dialect()
    if dialect == "postgresql":
        names = ", ".join(model.__tablename__ for model in TABLES)
        db.session.execute(text(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE"))
    for model in (RatingMonth, RatingCentreMonth, RatingHour, TagMonth):
        db.session.execute(delete(model).where(model.month == month))
    for model in (RatingDay, OverallDay, TagDay):
        db.session.execute(delete(model).where(model.day >= month, model.day < following))
    start, end = local_midnight_utc(month), local_midnight_utc(following)
    _insert_ratings(dialect, start, end)
    _insert_centre_months(month)
    _insert_tags(dialect, start, end, month, following)
    db.session.flush()


def response_months() -> list[date]:
    """Local months from the first to the last stored response (empty without responses)."""
    first, last = db.session.execute(
        select(func.min(Response.submitted_at), func.max(Response.submitted_at))
    ).one()
    if first is None:
        return []
    months, current = [], month_start(to_local(first).date())
    while current <= to_local(last).date():
        months.append(current)
        current = add_months(current, 1)
    return months
