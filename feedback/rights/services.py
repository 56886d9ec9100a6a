"""Carrying out a citizen's request about their personal data, and recording it.

A request is recorded when it is received (with the day it is due by, from the deadline of its
kind) and completed when carried out: by the citizen's confirmed one-time code, or by a leader
who has checked who asks (at the counter, or by calling the number they left). Carrying it out
erases the contact details: they served only to answer this feedback, so withdrawing consent
removes them as well; an erasure request also masks the names and numbers in the comment and in
the case's timeline (notes, replies, e-mail outcomes) for good. The ratings and the masked
comment stay, anonymous.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, select, true

from accounts.models import User
from core.db import db
from core.paging import Page
from core.timeutil import local_today
from feedback.cases.models import Case
from feedback.cases.recusal import not_about
from feedback.models import Response
from feedback.retention import mask_comment, mask_timeline
from feedback.rights.models import (
    DataSubjectRequest,
    RequestChannel,
    RequestKind,
    Verification,
)

_DEADLINE_SETTING = {RequestKind.WITHDRAW_CONSENT: "RIGHTS_WITHDRAW_DEADLINE_DAYS",
                     RequestKind.ERASE_CONTACT: "RIGHTS_ERASE_DEADLINE_DAYS"}
NOTHING_HELD = "nothing_held"


class RequestError(RuntimeError):
    """The request cannot be carried out this way (already completed)."""


def due_on(kind: RequestKind, received_at: datetime, config: Mapping) -> date:
    """The last local day to carry out a request of this kind received at `received_at`."""
    return local_today(received_at) + timedelta(days=int(config[_DEADLINE_SETTING[kind]]))


def holds_contact(response: Response) -> bool:
    """Whether any contact detail is still stored with the response."""
    return bool(response.contact_name or response.contact_phone or response.contact_email)


def open_request(case: Case, kind: RequestKind) -> DataSubjectRequest | None:
    """The case's request of this kind still waiting to be carried out, if any."""
    return db.session.execute(select(DataSubjectRequest).where(
        DataSubjectRequest.case_id == case.id, DataSubjectRequest.kind == kind,
        DataSubjectRequest.completed_at.is_(None))
        .order_by(DataSubjectRequest.id).limit(1)).scalar_one_or_none()


def completed_request(case: Case, kind: RequestKind) -> DataSubjectRequest | None:
    """The case's request of this kind carried out already, if any (the latest)."""
    return db.session.execute(select(DataSubjectRequest).where(
        DataSubjectRequest.case_id == case.id, DataSubjectRequest.kind == kind,
        DataSubjectRequest.completed_at.is_not(None))
        .order_by(DataSubjectRequest.id.desc()).limit(1)).scalar_one_or_none()


def receive(case: Case, kind: RequestKind, channel: RequestChannel, now: datetime,
            config: Mapping, by: User | None = None) -> DataSubjectRequest:
    """Record a request as received (one open request per case and kind). Flushes."""
    existing = open_request(case, kind)
    if existing is not None:
        return existing
    request = DataSubjectRequest(case_id=case.id, unit_id=case.unit_id, kind=kind,
                                 channel=channel, received_at=now,
                                 received_by_id=by.id if by else None,
                                 due_on=due_on(kind, now, config))
    db.session.add(request)
    db.session.flush()
    return request


def _erase(case: Case, kind: RequestKind, now: datetime) -> str:
    response = case.response
    erased = [name for name, value in (("name", response.contact_name),
                                       ("phone", response.contact_phone),
                                       ("email", response.contact_email)) if value]
    response.contact_name = response.contact_phone = response.contact_email = None
    if kind == RequestKind.ERASE_CONTACT:
        erased += [part for part, masked in (("comment", mask_comment(response, now)),
                                             ("timeline", mask_timeline(case))) if masked]
    return ",".join(erased) or NOTHING_HELD


def complete(request: DataSubjectRequest, now: datetime, verification: Verification,
             by: User | None = None) -> DataSubjectRequest:
    """Carry out a received request and record who did it and how the requester was
    recognised. RequestError when it was completed already. Flushes."""
    if request.completed_at is not None:
        raise RequestError(f"request {request.id} was completed already")
    request.outcome = _erase(request.case, request.kind, now)
    if request.outcome == NOTHING_HELD and verification != Verification.IDENTITY_CHECK:
        verification = Verification.NOTHING_HELD
    request.completed_at, request.completed_by_id = now, by.id if by else None
    request.verification = verification
    db.session.flush()
    return request


def requests_of(case: Case) -> list[DataSubjectRequest]:
    """The case's requests, oldest first."""
    return list(db.session.execute(select(DataSubjectRequest).where(
        DataSubjectRequest.case_id == case.id).order_by(DataSubjectRequest.id)).scalars())


def _scope_clause(scope: set[int] | None, viewer_staff_id: int | None = None):
    """Requests of the units in scope (None: all), leaving out those of a complaint about the
    viewer (`feedback.cases.recusal`) when their account is linked to a staff record."""
    in_scope = true() if scope is None else DataSubjectRequest.unit_id.in_(scope)
    if viewer_staff_id is None:
        return in_scope
    return and_(in_scope, exists().where(Case.id == DataSubjectRequest.case_id,
                                         not_about(viewer_staff_id)))


def requests_page(scope: set[int] | None, open_only: bool, page: int, per_page: int,
                  viewer_staff_id: int | None = None) -> Page:
    """Requests of the units in scope (None: all) not about the viewer: the open ones first by
    due day, then the completed ones newest first."""
    conditions = [_scope_clause(scope, viewer_staff_id)]
    if open_only:
        conditions.append(DataSubjectRequest.completed_at.is_(None))
    total = db.session.execute(select(func.count()).select_from(DataSubjectRequest)
                               .where(*conditions)).scalar_one()
    page = min(max(page, 1), max(1, math.ceil(total / per_page)))
    rows = db.session.execute(
        select(DataSubjectRequest).where(*conditions)
        .order_by(DataSubjectRequest.completed_at.is_not(None), DataSubjectRequest.due_on,
                  DataSubjectRequest.received_at.desc(), DataSubjectRequest.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Page(list(rows), total, page, per_page)


def overdue_count(scope: set[int] | None, today: date,
                  viewer_staff_id: int | None = None) -> int:
    """Requests of the units in scope (not about the viewer) not carried out after their due
    day."""
    return db.session.execute(select(func.count()).select_from(DataSubjectRequest).where(
        _scope_clause(scope, viewer_staff_id), DataSubjectRequest.completed_at.is_(None),
        DataSubjectRequest.due_on < today)).scalar_one()
