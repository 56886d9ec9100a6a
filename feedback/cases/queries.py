"""Reads for the inbox, the leader's landing page and the staff view, always within a scope.

`scope` is the set of unit ids the signed-in user may see (accounts.auth.scoped_unit_ids), or
None for every unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select, true

from core.db import db
from core.paging import Page
from core.timeutil import local_midnight_utc, local_today
from feedback.cases.models import (
    OPEN_STATUSES,
    AlertKind,
    Case,
    CasePriority,
    CaseStatus,
    CentreAlert,
)
from feedback.cases.recusal import not_about, response_not_about
from feedback.cases.textfold import like_patterns
from feedback.models import Answer, Response
from feedback.scoring import SatisfiedShare
from surveys.models import Centre, Question
from surveys.scale import SATISFIED_FROM


def _in_scope(column, scope: set[int] | None) -> ColumnElement[bool]:
    return true() if scope is None else column.in_(scope)


@dataclass
class InboxFilter:
    """What the inbox is narrowed to; every field is optional."""

    centre_id: int | None = None
    counter_id: int | None = None
    staff_id: int | None = None
    procedure_area_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    sentiment: str | None = None
    topic: str | None = None
    status: CaseStatus | None = None
    priority: CasePriority | None = None
    overdue: bool = False
    q: str | None = None
    #: The viewer's own staff record: cases about it are left out (`recusal`).
    viewer_staff_id: int | None = None


def _conditions(scope: set[int] | None, f: InboxFilter, today: date,
                with_status: bool = True) -> list[ColumnElement[bool]]:
    found = [_in_scope(Case.unit_id, scope), response_not_about(f.viewer_staff_id)]
    for column, value in ((Response.centre_id, f.centre_id), (Response.counter_id, f.counter_id),
                          (Response.staff_id, f.staff_id),
                          (Response.procedure_area_id, f.procedure_area_id),
                          (Response.sentiment, f.sentiment), (Case.priority, f.priority)):
        if value is not None:
            found.append(column == value)
    if f.date_from:
        found.append(Response.submitted_at >= local_midnight_utc(f.date_from))
    if f.date_to:
        found.append(Response.submitted_at < local_midnight_utc(f.date_to + timedelta(days=1)))
    if f.topic:
        found.append((literal(",") + Response.topics + literal(",")).like(f"%,{f.topic},%"))
    for pattern in like_patterns(f.q):
        found.append(Case.search_text.like(pattern, escape="\\"))
    if f.overdue:
        found.append(overdue_clause(today))
    if with_status and f.status is not None:
        found.append(Case.status == f.status)
    return found


def overdue_clause(today: date) -> ColumnElement[bool]:
    """Cases still being handled after their due day."""
    return and_(Case.status.in_(OPEN_STATUSES), Case.due_on < today)


def _cases() -> Select:
    return select(Case).join(Response, Case.response_id == Response.id)


def inbox_page(scope: set[int] | None, f: InboxFilter, today: date, page: int,
               per_page: int) -> Page:
    """The filtered cases, newest first, one page."""
    conditions = _conditions(scope, f, today)
    total = db.session.execute(
        select(func.count()).select_from(Case).join(Response, Case.response_id == Response.id)
        .where(*conditions)).scalar_one()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    items = list(db.session.execute(
        _cases().where(*conditions).order_by(Case.opened_at.desc(), Case.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).scalars())
    return Page(items, total, page, per_page)


def status_counts(scope: set[int] | None, f: InboxFilter, today: date) -> dict[CaseStatus, int]:
    """How many of the filtered cases are in each status (the status filter aside)."""
    rows = db.session.execute(
        select(Case.status, func.count()).join(Response, Case.response_id == Response.id)
        .where(*_conditions(scope, f, today, with_status=False)).group_by(Case.status)).all()
    found = dict.fromkeys(CaseStatus, 0)
    found.update({status: count for status, count in rows})
    return found


def count_cases(*conditions: ColumnElement[bool]) -> int:
    """How many cases match."""
    return db.session.execute(
        select(func.count()).select_from(Case).where(*conditions)).scalar_one()


def list_cases(*conditions: ColumnElement[bool], limit: int = 20) -> list[Case]:
    """Matching cases, urgent first, then oldest due day first."""
    urgent_first = case((Case.priority == CasePriority.URGENT, 0), else_=1)
    return list(db.session.execute(
        select(Case).where(*conditions).order_by(urgent_first, Case.due_on, Case.id)
        .limit(limit)).scalars())


def satisfaction(scope: set[int] | None, start: datetime, end: datetime) -> SatisfiedShare:
    """Overall ratings of 4-5 among the responses submitted in [start, end)."""
    satisfied, total = db.session.execute(
        select(func.count(case((Answer.value >= SATISFIED_FROM, 1))), func.count(Answer.id))
        .join(Response, Answer.response_id == Response.id)
        .join(Question, Answer.question_id == Question.id)
        .where(Question.code == "overall", _in_scope(Response.unit_id, scope),
               Response.submitted_at >= start, Response.submitted_at < end)).one()
    return SatisfiedShare(satisfied, total)


@dataclass(frozen=True)
class LoopCounts:
    """Closing the loop over cases resolved in a period."""

    resolved: int
    on_time: int
    links_issued: int
    answered: int
    solved: int
    mean_rating: float | None


def loop_counts(scope: set[int] | None, start: datetime, end: datetime) -> LoopCounts:
    """Resolved cases in [start, end): on time, follow-up links issued and answered."""
    rows = db.session.execute(
        select(Case.resolved_at, Case.due_on, Case.followup_issued_at, Case.followup_answered_at,
               Case.followup_solved, Case.followup_rating)
        .where(_in_scope(Case.unit_id, scope), Case.resolved_at >= start,
               Case.resolved_at < end,
               Case.status.in_((CaseStatus.RESOLVED, CaseStatus.CLOSED)))).all()
    ratings = [r.followup_rating for r in rows if r.followup_answered_at is not None]
    return LoopCounts(
        resolved=len(rows),
        on_time=sum(local_today(r.resolved_at) <= r.due_on for r in rows),
        links_issued=sum(r.followup_issued_at is not None for r in rows),
        answered=len(ratings),
        solved=sum(bool(r.followup_solved) for r in rows if r.followup_answered_at is not None),
        mean_rating=sum(ratings) / len(ratings) if ratings else None,
    )


def alerts_in_scope(scope: set[int] | None, since: datetime) -> list[CentreAlert]:
    """Active alerts, and those opened since `since`, of the centres in scope; active first."""
    active_first = case((CentreAlert.resolved_at.is_(None), 0), else_=1)
    return list(db.session.execute(
        select(CentreAlert).join(Centre, CentreAlert.centre_id == Centre.id)
        .where(_in_scope(Centre.unit_id, scope),
               (CentreAlert.resolved_at.is_(None)) | (CentreAlert.opened_at >= since))
        .order_by(active_first, CentreAlert.opened_at.desc())).scalars())


#: Cases opened this long after an alert still belong to it (the alert and the case are
#: decided in the same request, a few clocks apart).
ALERT_CASE_SLACK = timedelta(minutes=1)


def _alert_cases_query(alert: CentreAlert) -> Select:
    """The cases that triggered an alert: those opened at its centre (counter) within its
    window (an integrity alert: the urgent ones only)."""
    start = alert.opened_at - timedelta(minutes=alert.window_minutes)
    query = (select(Case).join(Response, Case.response_id == Response.id)
             .where(Response.centre_id == alert.centre_id, Case.opened_at >= start,
                    Case.opened_at <= alert.opened_at + ALERT_CASE_SLACK))
    if alert.counter_id is not None:
        query = query.where(Response.counter_id == alert.counter_id)
    if alert.kind == AlertKind.INTEGRITY:
        query = query.where(Case.priority == CasePriority.URGENT)
    return query


def alert_cases(alert: CentreAlert, limit: int = 3,
                viewer_staff_id: int | None = None) -> list[Case]:
    """The cases that triggered an alert, newest first, but those about the viewer."""
    return list(db.session.execute(
        _alert_cases_query(alert).where(response_not_about(viewer_staff_id))
        .order_by(Case.opened_at.desc()).limit(limit)).scalars())


def alert_about(alert: CentreAlert, staff_id: int | None) -> bool:
    """Whether an integrity alert rests on a report about this staff member: it then reaches
    neither their page nor their mail (it would tell them when someone reported them)."""
    if staff_id is None or alert.kind != AlertKind.INTEGRITY:
        return False
    return db.session.execute(
        select(_alert_cases_query(alert).where(Response.staff_id == staff_id).exists())
    ).scalar()


def centre_ids_in_scope(scope: set[int] | None) -> list[int]:
    """Ids of the centres of the units in scope."""
    return list(db.session.execute(
        select(Centre.id).where(_in_scope(Centre.unit_id, scope))).scalars())


def _responses_with_cases(conditions: list, page: int, per_page: int) -> Page:
    total = db.session.execute(
        select(func.count()).select_from(Response).where(*conditions)).scalar_one()
    page = min(max(page, 1), max(1, math.ceil(total / per_page)))
    rows = db.session.execute(
        select(Response, Case).outerjoin(Case, Case.response_id == Response.id)
        .where(*conditions).order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).all()
    return Page([tuple(row) for row in rows], total, page, per_page)


def responses_page(scope: set[int] | None, page: int, per_page: int,
                   centre_id: int | None = None, with_comment: bool = False,
                   viewer_staff_id: int | None = None) -> Page:
    """Responses in scope, newest first, each with its case (or None); none given to the
    viewer's own staff record."""
    conditions = [_in_scope(Response.unit_id, scope), response_not_about(viewer_staff_id)]
    if centre_id is not None:
        conditions.append(Response.centre_id == centre_id)
    if with_comment:
        conditions.append(Response.comment.is_not(None))
    return _responses_with_cases(conditions, page, per_page)


def overall_ratings(response_ids: list[int]) -> dict[int, int]:
    """The overall rating of each response (when answered)."""
    if not response_ids:
        return {}
    rows = db.session.execute(
        select(Answer.response_id, Answer.value).join(Question, Answer.question_id == Question.id)
        .where(Question.code == "overall", Answer.response_id.in_(response_ids))).all()
    return dict(rows)


def case_in_scope(scope: set[int] | None,
                  viewer_staff_id: int | None = None) -> ColumnElement[bool]:
    """Cases of the units in scope, but those about the viewer's own staff record."""
    return and_(_in_scope(Case.unit_id, scope), not_about(viewer_staff_id))
