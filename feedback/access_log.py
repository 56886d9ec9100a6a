"""The access log of personal data: every view of a citizen's contact details and every export
containing personal data, append-only, readable by the unit's leaders and the administrators."""

from __future__ import annotations

import math

from sqlalchemy import func, select, true

from accounts.models import User
from core.db import append_only, db
from core.paging import Page
from feedback.models import AccessKind, PersonalDataAccess


class AppendOnlyError(RuntimeError):
    """An entry of the access log was about to be changed or deleted."""


append_only(PersonalDataAccess, message="the access log is append-only (entry {id})",
            error=AppendOnlyError)


def record(user: User, kind: AccessKind, unit_id: int | None, what: str) -> PersonalDataAccess:
    """Add an entry (the caller commits with the rest of the request)."""
    entry = PersonalDataAccess(user_id=user.id, kind=kind, unit_id=unit_id, what=what[:200])
    db.session.add(entry)
    return entry


def entries_page(scope: set[int] | None, page: int, per_page: int) -> Page:
    """Entries about the units in scope (None: every unit and those without one), newest
    first."""
    condition = true() if scope is None else PersonalDataAccess.unit_id.in_(scope)
    total = db.session.execute(
        select(func.count()).select_from(PersonalDataAccess).where(condition)).scalar_one()
    page = min(max(page, 1), max(1, math.ceil(total / per_page)))
    rows = db.session.execute(
        select(PersonalDataAccess).where(condition)
        .order_by(PersonalDataAccess.at.desc(), PersonalDataAccess.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Page(list(rows), total, page, per_page)
