"""What a staff member may read about themselves, without learning who wrote it.

A comment with its minute and counter is often enough to know the citizen who wrote it, and a
citizen who reports a bribe must not be findable by the person reported. So a staff member sees
the comments about them only grouped by (local) day, once that day is over, and only for days on
which at least `min_responses` counted responses were given to them; no time of day, no counter,
comments in alphabetical order, names and phone numbers masked. Integrity reports (bribery,
harassment, informal fees) are never shown to them, nor their cases.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from core.db import db
from core.timeutil import to_local
from feedback.cases.models import Case
from feedback.cases.queries import Page, local_midnight_utc, local_today, overall_ratings
from feedback.masking import mask_personal
from feedback.models import Response


@dataclass(frozen=True)
class SafeComment:
    """One comment as its subject may read it."""

    text: str
    overall: int | None
    case: Case | None


@dataclass(frozen=True)
class DayOfComments:
    """The comments about a staff member given on one local day."""

    day: date
    comments: list[SafeComment]


def _about(staff_id: int):
    return (Response.staff_id == staff_id, Response.counted.is_(True),
            Response.integrity_alert.is_(False))


def shown_days(staff_id: int, now: datetime, min_responses: int) -> list[date]:
    """Past local days on which at least `min_responses` counted responses were given to the
    staff member, newest first."""
    before = local_midnight_utc(local_today(now))
    times = db.session.execute(
        select(Response.submitted_at).where(
            Response.staff_id == staff_id, Response.counted.is_(True),
            Response.submitted_at < before)).scalars()
    per_day = Counter(to_local(moment).date() for moment in times)
    return sorted((day for day, n in per_day.items() if n >= min_responses), reverse=True)


def days_page(staff_id: int, now: datetime, min_responses: int, page: int,
              per_page: int) -> Page:
    """One page of shown days (newest first) with their comments, masked, in text order; days
    without a comment are left out."""
    shown = set(shown_days(staff_id, now, min_responses))
    rows = db.session.execute(
        select(Response, Case).outerjoin(Case, Case.response_id == Response.id)
        .where(*_about(staff_id), Response.comment.is_not(None),
               Response.submitted_at < local_midnight_utc(local_today(now)))).all()
    by_day: dict[date, list[tuple[Response, Case | None]]] = defaultdict(list)
    for response, case in rows:
        day = to_local(response.submitted_at).date()
        if day in shown:
            by_day[day].append((response, case))
    days = sorted(by_day, reverse=True)
    page = min(max(page, 1), max(1, math.ceil(len(days) / per_page)))
    chosen = days[(page - 1) * per_page:page * per_page]
    ratings = overall_ratings([r.id for day in chosen for r, _case in by_day[day]])
    groups = [DayOfComments(day, sorted(
        (SafeComment(mask_personal(r.comment) or "", ratings.get(r.id), case)
         for r, case in by_day[day]), key=lambda comment: comment.text)) for day in chosen]
    return Page(groups, len(days), page, per_page)


def visible_to_subject(staff_id: int, public_ids: Iterable[str], now: datetime,
                       min_responses: int) -> set[str]:
    """Which of these responses the staff member may see listed (by day only): their own, given
    on a shown day, and not integrity reports."""
    wanted = set(public_ids)
    if not wanted:
        return set()
    shown = set(shown_days(staff_id, now, min_responses))
    rows = db.session.execute(
        select(Response.public_id, Response.submitted_at).where(
            Response.public_id.in_(wanted), Response.staff_id == staff_id,
            Response.integrity_alert.is_(False))).all()
    return {public_id for public_id, moment in rows if to_local(moment).date() in shown}
