"""Whether a computed report is still current: the changes since it was computed, in its scope.

A report counts the responses of one scope (units, centre, counter, staff member, procedure
area) over a window of days. It stays current until one of those responses is stored (counted or
held out: a held-out one may have excluded others of its counter), waits for the rollup fold,
has its comment's label corrected, is flagged by the integrity screening, or is excluded or
restored by HR. Checking only those — against a `Mark` taken before the report was computed —
lets the report of last year, or of another province, outlive the responses stored elsewhere
since, where a global data version would compute it again after every response anywhere (at
5 M responses, 0.3–0.9 s for a province). A change to the organisation or the surveys (a
renamed centre, a counter moved, wards merged, an assignment corrected) or a citizen's request
about their personal data carried out (an erased comment) computes every report again.

The mark is conservative. Responses received in the last LATE_COMMIT, and those still waiting
for the fold, count as after it: on PostgreSQL a transaction may take an id before another and
commit after it, and a report counts a response only once it is folded. What no version sees (a
tag added later, a comment masked by the retention purge) shows when the report expires
(`cache.reports.ttl`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select

from core.db import db, now_utc
from feedback.dashboard.queries import Scope
from feedback.hr.models import FlagOverride, ResponseFlag
from feedback.models import Response, SentimentReview
from feedback.periods import Period
from feedback.rights.models import DataSubjectRequest
from surveys.models import CatalogueVersion

#: Responses received this recently count as after any mark (commits later than their id).
LATE_COMMIT = timedelta(seconds=10)
#: More changes than this since a mark: the report is computed again without looking further.
MAX_CHANGES = 5000
#: Rows about a response that change what reports count, each with its response and an id.
ABOUT_A_RESPONSE = (SentimentReview, ResponseFlag, FlagOverride)


@dataclass(frozen=True)
class Version:
    """What reports read, as of one statement (read on every dashboard request): `scoped`
    moves with changes that `changed_since` finds by scope; `everywhere` with changes that
    touch every report."""

    scoped: tuple[int, ...]
    everywhere: tuple[int, ...]


def data_version() -> Version:
    """The highest response id and the responses waiting for the fold, the highest id of each
    of ABOUT_A_RESPONSE; the catalogue version and the personal-data requests carried out."""
    highest = [select(func.coalesce(func.max(model.id), 0)).scalar_subquery()
               for model in (Response, *ABOUT_A_RESPONSE)]
    waiting = select(func.count()).where(Response.waiting_for_fold).scalar_subquery()
    catalogue = select(func.coalesce(func.max(CatalogueVersion.version), 0)).scalar_subquery()
    carried_out = select(func.count()).where(
        DataSubjectRequest.completed_at.is_not(None)).scalar_subquery()
    row = db.session.execute(select(*highest, waiting, catalogue, carried_out)).one()
    return Version(scoped=tuple(row[:-2]), everywhere=tuple(row[-2:]))


@dataclass(frozen=True)
class Mark:
    """What a report computed after this moment has seen: every response up to `response_id`
    (folded), and every row of ABOUT_A_RESPONSE up to its id in `about` (in that order)."""

    response_id: int
    about: tuple[int, ...]


def current_mark() -> Mark:
    """The mark to take before computing a report (or before checking one)."""
    settled = (select(Response.id)
               .where(or_(Response.received_at < now_utc() - LATE_COMMIT,
                          Response.received_at.is_(None)))
               .order_by(Response.id.desc()).limit(1).scalar_subquery())
    waiting = select(func.min(Response.id)).where(
        Response.waiting_for_fold).scalar_subquery()
    about = [select(func.coalesce(func.max(model.id), 0)).scalar_subquery()
             for model in ABOUT_A_RESPONSE]
    settled, waiting, *about = db.session.execute(select(settled, waiting, *about)).one()
    upto = settled or 0
    if waiting is not None:
        upto = min(upto, waiting - 1)
    return Mark(upto, tuple(about))


_SCOPE_COLUMNS = (Response.unit_id, Response.centre_id, Response.counter_id,
                  Response.staff_id, Response.procedure_area_id, Response.submitted_at)


def changed_since(mark: Mark, scope: Scope, window: Period) -> bool:
    """True when a response of the scope submitted in the window was stored after the mark,
    waits for the fold, or is the subject of a row of ABOUT_A_RESPONSE added after it."""
    changes = [
        select(*_SCOPE_COLUMNS).where(Response.id > mark.response_id).order_by(Response.id),
        select(*_SCOPE_COLUMNS).where(Response.waiting_for_fold),
        *(select(*_SCOPE_COLUMNS).join(model, model.response_id == Response.id)
          .where(model.id > seen) for model, seen in zip(ABOUT_A_RESPONSE, mark.about,
                                                          strict=True)),
    ]
    start, end = window.utc_bounds()
    for query in changes:
        rows = db.session.execute(query.limit(MAX_CHANGES + 1)).all()
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
