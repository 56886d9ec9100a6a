"""Integrity flags on responses, HR overrides of them, and staff contests with their timeline.

Flags, overrides and contest events are append-only: a decision is a new row, never an edit, so
the history of every exclusion can be shown to HR and to the staff member concerned.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from core.db import UTCDateTime, append_only, db, now_utc, str_enum
from feedback.hr.flags import FlagRule
from feedback.hr.grades import Grade
from feedback.models import Response
from surveys.models import Staff, Unit


class ResponseFlag(db.Model):
    """A response found suspicious by one rule (or excluded on a contest), with its evidence."""

    __tablename__ = "response_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    rule: Mapped[FlagRule] = mapped_column(str_enum(FlagRule))
    #: JSON object of the numbers behind the flag, e.g. {"count": 5, "minutes": 10}.
    evidence: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: The HR officer for contest exclusions; None for automatic flags.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    contest_id: Mapped[int | None] = mapped_column(ForeignKey("contest.id"))
    #: Fingerprint of the integrity rules that raised it; a flag applies while the response's
    #: latest screening was by the same rules (others are kept as history). None for contest
    #: exclusions and request facts (REQUEST_RULES), which always apply.
    rules_version: Mapped[str | None] = mapped_column(String(16))

    response: Mapped[Response] = relationship()

    __table_args__ = (UniqueConstraint("response_id", "rule", "rules_version"),)


class OverrideAction(enum.StrEnum):
    """What HR decided about a flagged response."""

    RESTORE = "restore"
    EXCLUDE = "exclude"


class FlagOverride(db.Model):
    """HR restoring a flagged response (it counts again) or excluding it again, with a note."""

    __tablename__ = "flag_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    action: Mapped[OverrideAction] = mapped_column(str_enum(OverrideAction))
    note: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    actor: Mapped[User] = relationship()


class ContestStatus(enum.StrEnum):
    """Where a contest stands."""

    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Contest(db.Model):
    """A staff member contesting one response or their score for a period, with a reason."""

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    #: The staff member's unit: the scope of every access check.
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    #: The contested response; None when the period score is contested.
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id"))
    #: The contested period ("2026-Q3"); also kept for response contests, for context.
    period_key: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[ContestStatus] = mapped_column(str_enum(ContestStatus),
                                                  default=ContestStatus.OPEN)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: HR's answer, shown to the staff member.
    answer: Mapped[str | None] = mapped_column(Text)

    staff: Mapped[Staff] = relationship()
    unit: Mapped[Unit] = relationship()
    response: Mapped[Response | None] = relationship()
    events: Mapped[list[ContestEvent]] = relationship(
        back_populates="contest", order_by="[ContestEvent.at, ContestEvent.id]"
    )

    __table_args__ = (Index("ix_contest_unit_status", "unit_id", "status"),)


class ContestEventKind(enum.StrEnum):
    """What an entry of a contest's timeline records."""

    OPENED = "opened"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ContestEvent(db.Model):
    """One step of a contest: who did what, when, and what they wrote."""

    __tablename__ = "contest_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[ContestEventKind] = mapped_column(str_enum(ContestEventKind))
    body: Mapped[str] = mapped_column(Text)

    contest: Mapped[Contest] = relationship(back_populates="events")
    actor: Mapped[User] = relationship()


class GradeDecision(db.Model):
    """The head of unit's grade of a staff member for a period, with the satisfaction input
    they saw beside it. Append-only: the newest decision per staff member and period applies."""

    __tablename__ = "grade_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    #: The unit whose report the decision was made on: the scope of every access check.
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    period_key: Mapped[str] = mapped_column(String(24))
    grade: Mapped[Grade] = mapped_column(str_enum(Grade))
    #: The profile whose sub-score was shown, and that sub-score (None: too few answers).
    profile_key: Mapped[str] = mapped_column(String(64))
    sub_score: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    decided_by: Mapped[User] = relationship()

    __table_args__ = (Index("ix_grade_decision_staff_period", "staff_id", "period_key"),)


class Secondment(db.Model):
    """A staff member working at a centre while belonging to another agency (Hải Phòng QĐ
    212/2025 Art. 3.7: the home agency grades them, the centre's leaders send their comments).
    Append-only: the newest row per staff member applies; an empty agency ends the secondment."""

    __tablename__ = "secondment"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    home_agency: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


_AUDIT_ROWS = (ResponseFlag, FlagOverride, ContestEvent, GradeDecision, Secondment)
append_only(*_AUDIT_ROWS, events=("before_update",),
            message="flags, overrides, contest events and grade decisions are append-only")
append_only(*_AUDIT_ROWS, events=("before_delete",),
            message="flags, overrides, contest events and grade decisions are never deleted")
