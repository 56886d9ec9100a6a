"""The fold: responses stored `rollup_pending` added to the rollups set-based, after the
citizens who sent them have been answered.

A submission's transaction stores the response and nothing of the rollups (their rows are shared
by every response of a centre: on PostgreSQL each upsert would hold them locked until the
commit). The fold claims the pending responses, adds the counted ones to every rollup of the
registry with one INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE per table, and marks them,
in one transaction. Claims are safe with several folders: on PostgreSQL the folds of all
processes take one advisory lock in turn and skip rows a writer holds (`FOR UPDATE SKIP
LOCKED`: a response whose state is changing is folded next time, with its new state); on
SQLite the claim is the transaction's first write, so it holds the database's write lock.
Every reader of the rollups folds first (`fold_all`, the dashboard views before each request);
the app folds in the background after each submission (`feedback.dashboard.folding`). The
fold also evaluates the alerts of the centres it folded (once per centre and fold, not once per
submission): they too can wait until the citizen has been answered.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, select, text, update

from core.db import db
from feedback.cases.hooks import centre_alerts_after_fold
from feedback.dashboard.registry import ROLLUPS
from feedback.dashboard.rollups import add_ratings, add_tags
from feedback.models import Response

#: Responses claimed per transaction.
BATCH = 2000
#: The PostgreSQL advisory lock the folds take in turn (any fixed number of this app's own).
_ADVISORY_KEY = 0x48A1_F01D


def pending() -> bool:
    """Whether some stored response waits for the fold (one indexed read)."""
    return bool(db.session.execute(select(exists().where(Response.waiting_for_fold)))
                .scalar())


def fold_pending(limit: int = BATCH) -> dict[int, datetime]:
    """Claim up to `limit` pending responses, add the counted ones to every rollup and mark
    them all folded, in the caller's transaction (the caller commits). Returns the centres of
    the responses claimed, each with its latest response's time."""
    dialect = db.session.get_bind().dialect.name
    r = Response.__table__
    waiting = select(r.c.id).where(Response.waiting_for_fold).order_by(r.c.id).limit(limit)
    if dialect == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})
        waiting = waiting.with_for_update(skip_locked=True)
    claimed = db.session.execute(
        update(r).where(r.c.id.in_(waiting.scalar_subquery()), Response.waiting_for_fold)
        .values(rollup_pending=False).returning(r.c.id, r.c.centre_id, r.c.submitted_at)).all()
    latest: dict[int, datetime] = {}
    for _id, centre_id, at in claimed:
        latest[centre_id] = max(at, latest.get(centre_id, at))
    if not claimed:
        return latest
    where = (r.c.id.in_([row.id for row in claimed]), r.c.counted.is_(True))
    for rollup in ROLLUPS:
        if rollup.tags:
            add_tags(rollup, dialect, where, upsert=True)
        else:
            add_ratings(rollup, dialect, where, upsert=True)
    return latest


def fold_all() -> bool:
    """Fold every pending response and evaluate the alerts of their centres, committing each
    batch; True when there was something to fold. Cheap when none waits (one read, no write
    lock)."""
    folded = False
    while pending():
        latest = fold_pending()
        if latest:
            centre_alerts_after_fold(latest)
        db.session.commit()
        if not latest:  # all that wait are held by other writers: they fold them next
            break
        folded = True
    return folded


def pending_count() -> int:
    """How many stored responses wait for the fold."""
    return db.session.execute(select(func.count()).where(Response.waiting_for_fold)
                              ).scalar_one()
