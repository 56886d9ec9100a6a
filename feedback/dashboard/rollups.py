"""Keeping the rollup tables current: the set-based additions the fold makes (a response is
stored `rollup_pending` and added by `feedback.dashboard.fold` after the citizen has been
answered), one upsert per table when a stored response changes, and a rebuild of whole months
from the raw responses and answers (backfill, repair, after a retag).

The rollups hold exactly the counted responses that are not pending: one held out by integrity
flags is subtracted again (`adjust_rollups`) and added back when HR restores it, inside the
caller's transaction (INSERT … ON CONFLICT DO UPDATE, native on SQLite ≥ 3.24 and
PostgreSQL); a pending one is left to the fold, which reads its values when it adds it.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping
from datetime import date

from sqlalchemy import (
    and_,
    case,
    delete,
    func,
    literal,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from core.db import db
from core.timeutil import to_local
from feedback.dashboard import sqltime
from feedback.dashboard.models import NONE_KEY
from feedback.dashboard.registry import (
    BY_NAME,
    COUNT_COLUMNS,
    GRAINS,
    RATINGS,
    REBUILD_ORDER,
    ROLLUPS,
    TAGS,
)
from feedback.models import Answer, Response
from feedback.periods import add_months, local_midnight_utc, month_start
from feedback.scoring import OVERALL, SCALE
from surveys.models import Question

__all__ = ["COUNT_COLUMNS", "SENTIMENT", "TABLES", "TOPIC"]

TABLES = tuple(rollup.model for rollup in ROLLUPS)
SENTIMENT, TOPIC = "s", "t"


def _dialect() -> str:
    return db.session.get_bind().dialect.name


@functools.cache
def _upsert_statement(rollup, dialect: str):
    """INSERT … ON CONFLICT (its key) DO UPDATE adding the new counts, built once per rollup
    and dialect: executed with a list of rows, SQLAlchemy compiles it once and reuses it."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = rollup.table
    statement = insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(rollup.keys),
        set_={name: table.c[name] + statement.excluded[name] for name in rollup.counts},
    )


def _upsert(rollup, rows: list[dict]) -> None:
    if rows:
        db.session.execute(_upsert_statement(rollup, _dialect()), rows)


def _counts(value: int, sign: int = 1) -> dict[str, int]:
    return {name: sign * int(value == rating)
            for name, rating in zip(COUNT_COLUMNS, SCALE, strict=True)}


def topic_codes(topics: str | None) -> list[str]:
    """The topic codes of a response's comma-separated `topics`."""
    return [code for code in (topics or "").split(",") if code]


def response_keys(response: Response) -> dict:
    """The value of every rollup key but the question and the tag for one response."""
    local = to_local(response.submitted_at)
    day = local.date()
    return {"unit_id": response.unit_id, "centre_id": response.centre_id,
            "counter_id": response.counter_id, "staff_key": response.staff_id or NONE_KEY,
            "area_key": response.procedure_area_id or NONE_KEY, "day": day,
            "month": month_start(day), "year": date(day.year, 1, 1), "weekday": local.weekday(),
            "hour": local.hour}


def _project(rollup, keys: Mapping) -> dict:
    return {name: keys[name] for name in rollup.keys if name in keys}


def rating_rows(rollup, keys: Mapping, ratings_by_code: Mapping[str, int],
                sign: int = 1) -> list[dict]:
    """The rows one response adds to a rating rollup (`keys`: its `response_keys`)."""
    base = _project(rollup, keys)
    if rollup.overall_only:
        value = ratings_by_code.get(OVERALL)
        return [] if value is None else [{**base, **_counts(value, sign)}]
    return [{**base, "question_code": code, **_counts(ratings_by_code[code], sign)}
            for code in sorted(ratings_by_code)]


def record_rollups(response: Response, ratings_by_code: Mapping[str, int],
                   sign: int = 1) -> None:
    """Add one stored response (with its ratings by question code) to every rollup table, or
    take it away again with sign -1."""
    keys = response_keys(response)
    for rollup in RATINGS:
        _upsert(rollup, rating_rows(rollup, keys, ratings_by_code, sign))
    _record_tags(response, sign)


def _tag_upserts(keys: Mapping, tags: list[tuple[str, str, int]]) -> None:
    for rollup in TAGS:
        base = _project(rollup, keys)
        _upsert(rollup, [{**base, "kind": kind, "code": code, "n": n} for kind, code, n in tags])


def record_tag_rollups(response: Response, sign: int = 1) -> None:
    """Add a response's sentiment label and topics to the tag rollups (once a comment whose
    tagging failed has been tagged), or take them away with sign -1; nothing for a response
    still waiting for the fold."""
    if in_rollups(response):
        _record_tags(response, sign)


def _record_tags(response: Response, sign: int) -> None:
    tags = [(TOPIC, code, sign) for code in sorted(set(topic_codes(response.topics)))]
    if response.sentiment:
        tags.insert(0, (SENTIMENT, response.sentiment, sign))
    _tag_upserts(response_keys(response), tags)


def in_rollups(response: Response) -> bool:
    """Whether a stored response's counts are in the rollups, i.e. it is not waiting for the
    fold (`feedback.dashboard.fold`, which reads its values when it adds it). Asked by a
    statement that locks a waiting response's row until the transaction ends, so that no fold
    takes it meanwhile with values about to change (on SQLite: the write lock)."""
    r = Response.__table__
    waiting = db.session.execute(
        update(r).where(r.c.id == response.id, Response.waiting_for_fold)
        .values(rollup_pending=True).returning(r.c.id)).first()
    return waiting is None


def adjust_rollups(response: Response, sign: int) -> None:
    """Add (+1) or take away (-1) a stored response's counts, its ratings read back; nothing
    for a response still waiting for the fold."""
    if not in_rollups(response):
        return
    ratings = dict(db.session.execute(
        select(Question.code, Answer.value).join(Answer, Answer.question_id == Question.id)
        .where(Answer.response_id == response.id)).all())
    record_rollups(response, ratings, sign)
    if sign < 0:
        _drop_empty(response)


def _drop_empty(response: Response) -> None:
    """Delete the rows of the response's unit, day and month left with no counts, so that the
    tables stay exactly what a rebuild makes."""
    keys = response_keys(response)
    for rollup in ROLLUPS:
        columns = rollup.table.c
        db.session.execute(delete(rollup.table).where(
            columns.unit_id == response.unit_id, rollup.time == keys[rollup.grain],
            *(columns[name] == 0 for name in rollup.counts)))


def move_sentiment(response: Response, old: str | None, new: str) -> None:
    """Move a stored response from the `old` sentiment count to the `new` one (a leader's
    correction), in its day and month rows; nothing for one still waiting for the fold."""
    if not in_rollups(response):
        return
    moves = [(SENTIMENT, new, 1)] + ([(SENTIMENT, old, -1)] if old else [])
    _tag_upserts(response_keys(response), moves)


def _raw_keys(dialect: str) -> dict:
    """Each rollup key as an expression over the raw response and question tables."""
    r, q = Response.__table__, Question.__table__
    none = literal_column(str(NONE_KEY))
    at = r.c.submitted_at
    return {"unit_id": r.c.unit_id, "centre_id": r.c.centre_id, "counter_id": r.c.counter_id,
            "staff_key": func.coalesce(r.c.staff_id, none),
            "area_key": func.coalesce(r.c.procedure_area_id, none), "question_code": q.c.code,
            "day": sqltime.local_day(at, dialect), "month": sqltime.local_month(at, dialect),
            "year": sqltime.local_year(at, dialect),
            "weekday": sqltime.local_weekday(at, dialect), "hour": sqltime.local_hour(at, dialect)}


def _window(start, end) -> tuple:
    """The responses a rebuild counts: counted, stored in [start, end) and not waiting for the
    fold (which adds those itself)."""
    r = Response.__table__
    return (r.c.submitted_at >= start, r.c.submitted_at < end, r.c.counted.is_(True),
            r.c.rollup_pending.is_(False))


def _write(rollup, dialect: str, columns: list[str], query, upsert: bool) -> None:
    """INSERT … SELECT into a rollup; `upsert` adds to the rows already there (ON CONFLICT …
    DO UPDATE, rows taken in key order so that concurrent writers lock them in one order)."""
    if not upsert:
        db.session.execute(rollup.table.insert().from_select(columns, query))
        return
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(rollup.table).from_select(columns, query.order_by(*query.selected_columns[
        :len(rollup.keys)]))
    db.session.execute(statement.on_conflict_do_update(
        index_elements=list(rollup.keys),
        set_={name: rollup.table.c[name] + statement.excluded[name] for name in rollup.counts}))


def add_ratings(rollup, dialect: str, where, upsert: bool = False) -> None:
    """Add a rating rollup's counts of the responses matching `where` (counted ones only) by
    a GROUP BY over their answers."""
    r, a, q = Response.__table__, Answer.__table__, Question.__table__
    joined = a.join(r, r.c.id == a.c.response_id).join(q, q.c.id == a.c.question_id)
    raw = _raw_keys(dialect)
    keys = [raw[name] for name in rollup.keys]
    sums = [func.sum(case((a.c.value == rating, 1), else_=0)) for rating in SCALE]
    query = select(*keys, *sums).select_from(joined).where(*where)
    if rollup.overall_only:
        query = query.where(q.c.code == OVERALL)
    _write(rollup, dialect, [*rollup.keys, *rollup.counts], query.group_by(*keys), upsert)


#: A coarser time key from a finer one's column.
_COARSENED = {"month": sqltime.month_of_date, "year": sqltime.year_of_date}


def _insert_summed(rollup, dialect: str, start: date, end: date) -> None:
    """A rollup's rows of [start, end) summed from its finer rollup (no second pass over the
    raw rows)."""
    source = BY_NAME[rollup.summed_from]
    c = source.table.c
    keys = [_COARSENED[name](source.time, dialect)
            if name == rollup.grain and rollup.grain != source.grain else c[name]
            for name in rollup.keys]
    db.session.execute(rollup.table.insert().from_select(
        [*rollup.keys, *rollup.counts],
        select(*keys, *(func.sum(c[name]) for name in rollup.counts))
        .where(source.time >= start, source.time < end).group_by(*keys)))


def add_tags(rollup, dialect: str, where, upsert: bool = False) -> None:
    """Add a tag rollup's counts of the responses matching `where`: sentiment labels by a
    GROUP BY, topics (comma-separated on the response) counted here."""
    r = Response.__table__
    raw = _raw_keys(dialect)
    base = [name for name in rollup.keys if name not in ("kind", "code")]
    label = func.coalesce(r.c.reviewed_label, r.c.sentiment_label)
    columns = {**{name: raw[name] for name in base}, "kind": literal(SENTIMENT), "code": label}
    sentiment = (select(*(columns[name] for name in rollup.keys), func.count())
                 .where(*where, label.is_not(None))
                 .group_by(*(raw[name] for name in base), label))
    _write(rollup, dialect, [*rollup.keys, "n"], sentiment, upsert)
    topics: Counter = Counter()
    for *values, stored, n in db.session.execute(
        select(*(raw[name] for name in base), r.c.topics, func.count())
        .where(*where, r.c.topics.is_not(None))
        .group_by(*(raw[name] for name in base), r.c.topics)
    ):
        key = tuple(_as_date(v) if name in GRAINS else v
                    for name, v in zip(base, values, strict=True))
        for code in set(topic_codes(stored)):
            topics[(key, code)] += n
    rows = [{**dict(zip(base, key, strict=True)), "kind": TOPIC, "code": code, "n": n}
            for (key, code), n in sorted(topics.items())]
    if rows and upsert:
        _upsert(rollup, rows)
    elif rows:
        db.session.execute(rollup.table.insert(), rows)


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _span(rollup, month: date) -> tuple[date, date]:
    """The rows of a rollup that a rebuild of `month` recomputes: that month's, or for a
    rollup of years the whole year's (summed again from the months of that year)."""
    if rollup.grain == "year":
        return date(month.year, 1, 1), date(month.year + 1, 1, 1)
    return month, add_months(month, 1)


def rebuild_month(month: date) -> None:
    """Recompute every rollup row of one local month from the raw responses (and the rows of
    its year in the rollups of years); the caller commits.

    On PostgreSQL the rollup tables are locked against concurrent upserts for the duration, so
    a response stored meanwhile waits and is then added on top of the rebuilt counts.
    """
    month = month_start(month)
    dialect = _dialect()
    if dialect == "postgresql":
        names = ", ".join(rollup.table.name for rollup in ROLLUPS)
        db.session.execute(text(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE"))
    for rollup in ROLLUPS:
        start, end = _span(rollup, month)
        db.session.execute(delete(rollup.table).where(
            and_(rollup.time >= start, rollup.time < end)))
    following = add_months(month, 1)
    window = _window(local_midnight_utc(month), local_midnight_utc(following))
    for rollup in REBUILD_ORDER:
        if rollup.summed_from:
            _insert_summed(rollup, dialect, *_span(rollup, month))
        elif rollup.tags:
            add_tags(rollup, dialect, window)
        else:
            add_ratings(rollup, dialect, window)
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
