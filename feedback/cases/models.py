"""Cases, their append-only timeline, and per-centre alerts with their thresholds."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.schema import CheckConstraint, ForeignKey, Index
from sqlalchemy.types import Boolean, Date, Float, Integer, String, Text

from accounts.models import User
from core.db import UTCDateTime, append_only, db, now_utc, str_enum
from feedback.cases.reference import new_reference
from feedback.masking import mask_personal
from feedback.models import Response
from surveys.models import Centre, Counter, Unit
from surveys.scale import SCALE


class CaseStatus(enum.StrEnum):
    """Where a case stands; see workflow.py for the allowed moves."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    DISMISSED = "dismissed"


#: Statuses in which a case is still being handled (and can be overdue).
OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS)


class CasePriority(enum.StrEnum):
    """Urgent cases (integrity alerts) get a shorter deadline and are shown first."""

    NORMAL = "normal"
    URGENT = "urgent"


class DismissReason(enum.StrEnum):
    """Why a case was dismissed without handling."""

    SPAM = "spam"
    UNFOUNDED = "unfounded"
    #: Withdrawn automatically: the response was held as suspected ballot stuffing.
    STUFFING = "stuffing"


class EventKind(enum.StrEnum):
    """What an entry of the timeline records."""

    OPENED = "opened"
    STATUS = "status"
    ASSIGNED = "assigned"
    NOTE = "note"
    REPLY = "reply"
    MAIL = "mail"
    FOLLOWUP_ISSUED = "followup_issued"
    FOLLOWUP = "followup"
    #: Reasons found after the case was opened (a comment tagged late); detail: their codes.
    REASONS_ADDED = "reasons_added"


class Case(db.Model):
    """A complaint (phản ánh) about one response, handled by the unit's leaders."""

    __tablename__ = "feedback_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), unique=True)
    #: The response's unit (the ward at submission time); the scope of every access check.
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus), default=CaseStatus.NEW)
    priority: Mapped[CasePriority] = mapped_column(str_enum(CasePriority),
                                                   default=CasePriority.NORMAL)
    #: Why it was opened: comma-separated codes (negative, low_rating, integrity, leader).
    reasons: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: The leader who opened it; None when opened automatically at submission.
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: Last local day (Asia/Ho_Chi_Minh) to resolve it, from the SLA in working days.
    due_on: Mapped[date] = mapped_column(Date)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dismiss_reason: Mapped[DismissReason | None] = mapped_column(str_enum(DismissReason))
    #: What was done, in a sentence; shown to the staff member concerned.
    outcome: Mapped[str | None] = mapped_column(Text)
    #: The response's comment folded (textfold.fold) for diacritic-insensitive search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    #: The short reference given to the citizen on the thank-you page (feedback.cases.reference).
    reference: Mapped[str] = mapped_column(String(9), unique=True, default=new_reference)
    #: Random part of the citizen's follow-up link; None until a link is issued.
    followup_nonce: Mapped[str | None] = mapped_column(String(32))
    followup_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    followup_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    followup_solved: Mapped[bool | None] = mapped_column(Boolean)
    #: How the citizen rates the handling, 1-5.
    followup_rating: Mapped[int | None] = mapped_column(Integer)

    response: Mapped[Response] = relationship()
    unit: Mapped[Unit] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="[CaseEvent.at, CaseEvent.id]", passive_deletes="all"
    )

    def is_overdue(self, today: date) -> bool:
        """Still being handled after its due day (`today` is the local date)."""
        return self.status in OPEN_STATUSES and self.due_on < today

    __table_args__ = (
        Index("ix_feedback_case_unit_status", "unit_id", "status"),
        Index("ix_feedback_case_opened_at", "opened_at"),
        CheckConstraint(f"followup_rating IS NULL OR (followup_rating >= {SCALE[0]} "
                        f"AND followup_rating <= {SCALE[-1]})", name="followup_rating_range"),
    )


class CaseEvent(db.Model):
    """One entry of a case's timeline: who did what, when. Never changed, never deleted."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("feedback_case.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: None for the system (automatic opening, e-mail delivery) or the citizen (follow-up).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind))
    from_status: Mapped[CaseStatus | None] = mapped_column(str_enum(CaseStatus))
    to_status: Mapped[CaseStatus | None] = mapped_column(str_enum(CaseStatus))
    #: Free text: the note, the reply, the outcome or the dismissal explanation.
    body: Mapped[str | None] = mapped_column(Text)
    #: A short machine value: assignee's username, dismiss reason, mail result, follow-up answer.
    detail: Mapped[str | None] = mapped_column(String(200))
    #: Internal notes are never shown to staff or citizens.
    internal: Mapped[bool] = mapped_column(Boolean, default=False)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


def _only_masked(event: CaseEvent) -> bool:
    """Whether the only change to a timeline entry is masking the personal data in its text
    (a citizen's erasure request, `feedback.retention.mask_timeline`)."""
    state = inspect(event)
    for attribute in state.mapper.column_attrs:
        history = state.attrs[attribute.key].history
        if not history.has_changes():
            continue
        if attribute.key not in MASKABLE or not history.deleted or not history.added:
            return False
        old, new = history.deleted[0], history.added[0]
        if old is None or new != mask_personal(old):
            return False
    return True


#: The fields of a timeline entry that may hold a person's name, number or address.
MASKABLE = ("body", "detail")
append_only(CaseEvent, message="case events are append-only", events=("before_update",),
            unless=_only_masked)
append_only(CaseEvent, Case, message="cases and their timeline are never deleted",
            events=("before_delete",))


class AlertKind(enum.StrEnum):
    """What tripped an alert."""

    UNHAPPY = "unhappy"
    INTEGRITY = "integrity"
    #: Responses at one counter held as suspected ballot stuffing (nghi vấn dồn phiếu).
    STUFFING = "stuffing"


class CentreAlert(db.Model):
    """A real-time alert on a centre; it closes itself once the centre has recovered."""

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"))
    kind: Mapped[AlertKind] = mapped_column(str_enum(AlertKind))
    #: The counter concerned (stuffing alerts); None for alerts on the whole centre.
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: Unhappy (or flagged) responses and all responses in the window when it opened.
    matching: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    window_minutes: Mapped[int] = mapped_column(Integer)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ack_comment: Mapped[str | None] = mapped_column(Text)
    #: When the centre was found recovered; None while the alert is active.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the leaders were e-mailed; None while not (yet) sent.
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    centre: Mapped[Centre] = relationship()
    counter: Mapped[Counter | None] = relationship()
    acknowledged_by: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_centre_alert_centre_resolved", "centre_id", "resolved_at"),)


class AlertRule(db.Model):
    """A centre's own alert thresholds (centres without a row use the configured defaults)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), unique=True)
    window_minutes: Mapped[int] = mapped_column(Integer)
    #: Share of unhappy responses in the window that trips the alert, 0-1.
    unhappy_share: Mapped[float] = mapped_column(Float)
    min_responses: Mapped[int] = mapped_column(Integer)
    on_integrity: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class CaseRule(db.Model):
    """A unit's own rule for which responses open a case by themselves (units without a row
    use the default of `feedback.cases.opening`). An integrity alert always opens one."""

    __tablename__ = "case_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), unique=True)
    #: A comment tagged negative opens a case.
    on_negative_comment: Mapped[bool] = mapped_column(Boolean, default=True)
    #: A "không hài lòng" answer opens a case when it gives one of these reasons
    #: (comma-separated codes of `feedback.reasons.REASONS`; empty: never).
    reason_codes: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
