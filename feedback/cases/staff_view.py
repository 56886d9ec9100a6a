"""What a staff member may read about themselves, without learning who wrote it.

A comment with its minute and counter is often enough to know the citizen who wrote it, and a
citizen who reports a bribe must not be findable by the person reported. So a staff member sees
the comments about them only grouped by (local) day or week (STAFF_VIEW_GRANULARITY), once that
period is over, and only for periods in which at least `min_responses` counted responses were
given to them; no time of day, no counter,
comments in alphabetical order, names and phone numbers masked. Integrity reports (bribery,
harassment, informal fees) are never shown to them, nor their cases.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from accounts.models import Role, User
from core.dates import day_text
from core.db import db
from core.paging import Page
from core.timeutil import local_midnight_utc, local_today, to_local
from feedback.cases.models import Case
from feedback.cases.queries import overall_ratings
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
    """The comments about a staff member given in one period: a local day, or the week starting
    on Monday `day` (then `last` is its Sunday)."""

    day: date
    comments: list[SafeComment]
    last: date | None = None


def reads_in_clear(user: User, response: Response) -> bool:
    """Whether the user reads the response's comment, the citizen's contact details and the
    case's timeline unmasked: a leader of its unit (who handles the case), unless the response
    rates that leader himself, as the staff member who served the citizen (such a leader is
    not shown the case at all, `recusal`)."""
    return user.role == Role.LEADER and not user.is_staff(response.staff_id)


def period_start(moment: datetime, granularity: str) -> date:
    """The first local day of the day or week (Monday) holding `moment`."""
    day = to_local(moment).date()
    return day - timedelta(days=day.weekday()) if granularity == "week" else day


def period_label(moment: datetime, granularity: str) -> str:
    """When something about a staff member happened, as they may read it: the day, or the
    week ("tuần 01/12/2026–07/12/2026")."""
    if granularity != "week":
        return day_text(moment)
    first = period_start(moment, "week")
    return _("week of %(first)s–%(last)s", first=day_text(first),
             last=day_text(first + timedelta(days=6)))


def _current_start(now: datetime, granularity: str) -> datetime:
    """The UTC moment the current (unfinished) period began: nothing after it is shown."""
    today = local_today(now)
    if granularity == "week":
        today -= timedelta(days=today.weekday())
    return local_midnight_utc(today)


def _about(staff_id: int):
    return (Response.staff_id == staff_id, Response.counted.is_(True),
            Response.integrity_alert.is_(False))


def shown_days(staff_id: int, now: datetime, min_responses: int,
               granularity: str = "day") -> list[date]:
    """Past periods (their first local day) in which at least `min_responses` counted responses
    were given to the staff member, newest first."""
    times = db.session.execute(
        select(Response.submitted_at).where(
            Response.staff_id == staff_id, Response.counted.is_(True),
            Response.submitted_at < _current_start(now, granularity))).scalars()
    per_period = Counter(period_start(moment, granularity) for moment in times)
    return sorted((day for day, n in per_period.items() if n >= min_responses), reverse=True)


def days_page(staff_id: int, now: datetime, min_responses: int, page: int,
              per_page: int, granularity: str = "day") -> Page:
    """One page of shown periods (newest first) with their comments, masked, in text order;
    periods without a comment are left out."""
    shown = set(shown_days(staff_id, now, min_responses, granularity))
    rows = db.session.execute(
        select(Response, Case).outerjoin(Case, Case.response_id == Response.id)
        .where(*_about(staff_id), Response.comment.is_not(None),
               Response.submitted_at < _current_start(now, granularity))).all()
    by_day: dict[date, list[tuple[Response, Case | None]]] = defaultdict(list)
    for response, case in rows:
        day = period_start(response.submitted_at, granularity)
        if day in shown:
            by_day[day].append((response, case))
    days = sorted(by_day, reverse=True)
    page = min(max(page, 1), max(1, math.ceil(len(days) / per_page)))
    chosen = days[(page - 1) * per_page:page * per_page]
    ratings = overall_ratings([r.id for day in chosen for r, _case in by_day[day]])
    groups = [DayOfComments(day, sorted(
        (SafeComment(mask_personal(r.comment) or "", ratings.get(r.id), case)
         for r, case in by_day[day]), key=lambda comment: comment.text),
        day + timedelta(days=6) if granularity == "week" else None) for day in chosen]
    return Page(groups, len(days), page, per_page)


def visible_to_subject(staff_id: int, public_ids: Iterable[str], now: datetime,
                       min_responses: int, granularity: str = "day") -> set[str]:
    """Which of these responses the staff member may see listed (by period only): their own,
    given in a shown period, and not integrity reports."""
    wanted = set(public_ids)
    if not wanted:
        return set()
    shown = set(shown_days(staff_id, now, min_responses, granularity))
    rows = db.session.execute(
        select(Response.public_id, Response.submitted_at).where(
            Response.public_id.in_(wanted), Response.staff_id == staff_id,
            Response.integrity_alert.is_(False))).all()
    return {public_id for public_id, moment in rows
            if period_start(moment, granularity) in shown}
