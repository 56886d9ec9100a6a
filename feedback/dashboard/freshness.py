"""Whether a computed report is still current: the changes since it was computed, in its scope.

A report counts the responses of one scope (units, centre, counter, staff member, procedure
area) over a window of days. It stays current until a response of that scope and window is
stored (counted or held out: a held-out one may have excluded others of its counter), waits for
the rollup fold, or has its comment's label corrected. Checking only those — against a `Mark`
taken before the report was computed — lets the report of last year, or of another province,
outlive the responses stored elsewhere since, where a global data version would compute it
again after every response anywhere (at 5 M responses, 0.3–0.9 s for a province).

The mark is conservative. Responses received in the last LATE_COMMIT, and those still waiting
for the fold, count as after it: on PostgreSQL a transaction may take an id before another and
commit after it, and a report counts a response only once it is folded. What the mark does not
see (an exclusion decided by HR, a counter moved, a tag added later) is seen when the report
expires (`cache.reports.ttl`), as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select

from core.db import db, now_utc
from feedback.dashboard.queries import Scope
from feedback.models import Response, SentimentReview
from feedback.periods import Period

#: Responses received this recently count as after any mark (commits later than their id).
LATE_COMMIT = timedelta(seconds=10)
#: More changes than this since a mark: the report is computed again without looking further.
MAX_CHANGES = 5000


@dataclass(frozen=True)
class Mark:
    """What a report computed after this moment has seen: every response up to `response_id`
    (folded) and every label correction up to `review_id`."""

    response_id: int
    review_id: int


def current_mark() -> Mark:
    """The mark to take before computing a report (or before checking one)."""
    settled = (select(Response.id)
               .where(or_(Response.received_at < now_utc() - LATE_COMMIT,
                          Response.received_at.is_(None)))
               .order_by(Response.id.desc()).limit(1).scalar_subquery())
    waiting = select(func.min(Response.id)).where(
        Response.rollup_pending.is_(True)).scalar_subquery()
    reviewed = select(func.max(SentimentReview.id)).scalar_subquery()
    settled, waiting, reviewed = db.session.execute(select(settled, waiting, reviewed)).one()
    upto = settled or 0
    if waiting is not None:
        upto = min(upto, waiting - 1)
    return Mark(upto, reviewed or 0)


_SCOPE_COLUMNS = (Response.unit_id, Response.centre_id, Response.counter_id,
                  Response.staff_id, Response.procedure_area_id, Response.submitted_at)


def changed_since(mark: Mark, scope: Scope, window: Period) -> bool:
    """True when a response of the scope submitted in the window was stored after the mark,
    waits for the fold, or had its label corrected after the mark."""
    changes = [
        select(*_SCOPE_COLUMNS).where(Response.id > mark.response_id)
        .order_by(Response.id).limit(MAX_CHANGES + 1),
        select(*_SCOPE_COLUMNS).where(Response.rollup_pending.is_(True)).limit(MAX_CHANGES + 1),
        select(*_SCOPE_COLUMNS).join(SentimentReview, SentimentReview.response_id == Response.id)
        .where(SentimentReview.id > mark.review_id).limit(MAX_CHANGES + 1),
    ]
    start, end = window.utc_bounds()
    for query in changes:
        rows = db.session.execute(query).all()
        if len(rows) > MAX_CHANGES:
            return True
        if any(start <= row.submitted_at < end and _in_scope(row, scope) for row in rows):
            return True
    return False


def _in_scope(row, scope: Scope) -> bool:
    return ((scope.unit_ids is None or row.unit_id in scope.unit_ids)
            and scope.centre_id in (None, row.centre_id)
            and scope.counter_id in (None, row.counter_id)
            and scope.staff_id in (None, row.staff_id)
            and scope.area_id in (None, row.procedure_area_id))
