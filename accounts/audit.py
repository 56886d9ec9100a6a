"""The administrators' audit log: who created, changed, deactivated, imported, moved, merged,
replaced a QR code or published a survey, and which leader changed what opens a case or an
alert, when and from which page. Append-only; read by the
administrators of the unit it concerns."""

from __future__ import annotations

import enum
import math
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, func, select, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from core.db import UTCDateTime, append_only, db, now_utc, str_enum
from core.paging import Page
from surveys.models import Unit


class AuditAction(enum.StrEnum):
    """What an administrator did."""

    CREATED = "created"
    CHANGED = "changed"
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"
    MOVED = "moved"
    MERGED = "merged"
    IMPORTED = "imported"
    QR_REPLACED = "qr_replaced"
    PUBLISHED = "published"
    PASSWORD_RESET = "password_reset"


class AuditTarget(enum.StrEnum):
    """What kind of thing the action was on."""

    UNIT = "unit"
    CENTRE = "centre"
    COUNTER = "counter"
    STAFF = "staff"
    USER = "user"
    ROSTER = "roster"
    SURVEY = "survey"
    #: What opens a case in a unit (set by its leaders).
    CASE_RULE = "case_rule"
    #: A centre's alert thresholds (set by its leaders).
    ALERT_RULE = "alert_rule"
    #: A counter's kiosk (tablet): enrolled (created) or revoked (deactivated).
    KIOSK = "kiosk"
    #: A centre's queue-system API token (`flask api-tokens`): created or revoked (deactivated).
    API_TOKEN = "api_token"


class AdminAudit(db.Model):
    """One administrative action; never changed or deleted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: The administrator; None: done from the command line.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: The unit the thing belongs to (whose administrators read the entry); None: national.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    action: Mapped[AuditAction] = mapped_column(str_enum(AuditAction))
    target: Mapped[AuditTarget] = mapped_column(str_enum(AuditTarget))
    target_id: Mapped[int | None] = mapped_column(Integer)
    #: What changed, in words, e.g. "Quầy 1: Trung tâm A → Trung tâm B from 2026-12-01".
    what: Mapped[str] = mapped_column(String(300))
    #: The page (path) or command it was done from.
    page: Mapped[str] = mapped_column(String(200))

    user: Mapped[User | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (Index("ix_admin_audit_unit_at", "unit_id", "at"),
                      Index("ix_admin_audit_at", "at"))


class AuditIsAppendOnly(RuntimeError):
    """An entry of the audit log was about to be changed or deleted."""


append_only(AdminAudit, message="the admin audit log is append-only (entry {id})",
            error=AuditIsAppendOnly)


def record(user: User | None, action: AuditAction, target: AuditTarget, target_id: int | None,
           unit_id: int | None, what: str, page: str) -> AdminAudit:
    """Add an entry; the caller commits it with the change it records."""
    entry = AdminAudit(user_id=user.id if user is not None else None, action=action,
                       target=target, target_id=target_id, unit_id=unit_id, what=what[:300],
                       page=page[:200], at=now_utc())
    db.session.add(entry)
    return entry


def entries(scope: set[int] | None, *, unit_ids: set[int] | None = None,
            start: datetime | None = None, end: datetime | None = None,
            page: int = 1, per_page: int = 50) -> Page:
    """Entries about the units in `scope` (None: all, national ones included), optionally
    only those of `unit_ids` and in [start, end), newest first."""
    conditions = [true() if scope is None else AdminAudit.unit_id.in_(scope)]
    if unit_ids is not None:
        conditions.append(AdminAudit.unit_id.in_(unit_ids))
    if start is not None:
        conditions.append(AdminAudit.at >= start)
    if end is not None:
        conditions.append(AdminAudit.at < end)
    total = db.session.execute(
        select(func.count()).select_from(AdminAudit).where(*conditions)).scalar_one()
    page = min(max(page, 1), max(1, math.ceil(total / per_page)))
    rows = db.session.execute(
        select(AdminAudit).where(*conditions)
        .order_by(AdminAudit.at.desc(), AdminAudit.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Page(list(rows), total, page, per_page)

