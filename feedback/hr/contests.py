"""Staff contesting a response or a period score, and HR deciding, each step on the timeline.

open → accepted (a contested response is then excluded, the reason shown) or rejected (with an
answer). A decided contest is final; the staff member may open a new one with new arguments.
Functions flush; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import select

from accounts.models import User
from core.db import db, now_utc
from feedback.hr.exclusions import exclude_for_contest
from feedback.hr.models import Contest, ContestEvent, ContestEventKind, ContestStatus
from feedback.models import Response
from feedback.periods import Period
from surveys.models import Staff

REASON_MAX = 2000


class ContestError(ValueError):
    """The contest step is not allowed."""


class SelfDecision(ContestError):
    """The officer is the staff member who contests."""


def _text(value: str | None, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ContestError(f"{what} is required")
    if len(value) > REASON_MAX:
        raise ContestError(f"{what} is longer than {REASON_MAX} characters")
    return value


def open_contest(staff: Staff, actor: User, period: Period, reason: str,
                 response: Response | None = None) -> Contest:
    """A staff member contests their score for `period`, or one response attributed to them.
    The staff row is locked first, so that a contest sent twice at once is opened once."""
    reason = _text(reason, "reason")
    db.session.refresh(staff, with_for_update=True)
    if response is not None:
        if not period.contains(response.submitted_at):
            raise ContestError("the response is not in the period")
        # Whom it counts for, as stored (`feedback.attribution`), not who the assignment
        # history says sat there: a roster recorded late changes the latter only.
        if response.staff_id != staff.id:
            raise ContestError("the response is not attributed to this staff member")
    pending = db.session.execute(
        select(Contest.id).where(
            Contest.staff_id == staff.id, Contest.status == ContestStatus.OPEN,
            Contest.period_key == period.key(),
            Contest.response_id.is_(None) if response is None
            else Contest.response_id == response.id)
    ).first()
    if pending is not None:
        raise ContestError("this is already contested and waiting for HR")
    contest = Contest(staff_id=staff.id, unit_id=staff.unit_id,
                      response_id=response.id if response else None,
                      period_key=period.key(), reason=reason, opened_by_id=actor.id,
                      opened_at=now_utc())
    db.session.add(contest)
    db.session.flush()
    db.session.add(ContestEvent(contest_id=contest.id, actor_id=actor.id,
                                kind=ContestEventKind.OPENED, body=reason, at=contest.opened_at))
    db.session.flush()
    return contest


def decide(contest: Contest, actor: User, accept: bool, answer: str) -> Contest:
    """HR accepts (excluding a contested response) or rejects an open contest, with an answer.
    The contest row is locked and read again first: of two decisions at once, the second finds
    it decided (ContestError)."""
    answer = _text(answer, "answer")
    if actor.is_staff(contest.staff_id):
        raise SelfDecision("nobody decides their own contest")
    db.session.refresh(contest, with_for_update=True)
    if contest.status != ContestStatus.OPEN:
        raise ContestError("the contest is already decided")
    at = now_utc()
    contest.status = ContestStatus.ACCEPTED if accept else ContestStatus.REJECTED
    contest.decided_at, contest.decided_by_id, contest.answer = at, actor.id, answer
    if accept and contest.response is not None:
        exclude_for_contest(contest.response, contest.id, actor, answer)
    db.session.add(ContestEvent(
        contest_id=contest.id, actor_id=actor.id, at=at, body=answer,
        kind=ContestEventKind.ACCEPTED if accept else ContestEventKind.REJECTED))
    db.session.flush()
    return contest


def contests_for(unit_ids: set[int] | None = None, staff_id: int | None = None,
                 status: ContestStatus | None = None) -> list[Contest]:
    """Contests in the units (all for None) or of one staff member, newest first."""
    query = select(Contest).order_by(Contest.opened_at.desc(), Contest.id.desc())
    if unit_ids is not None:
        query = query.where(Contest.unit_id.in_(sorted(unit_ids)))
    if staff_id is not None:
        query = query.where(Contest.staff_id == staff_id)
    if status is not None:
        query = query.where(Contest.status == status)
    return list(db.session.execute(query).scalars())
