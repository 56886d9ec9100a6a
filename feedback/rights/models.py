"""Data-subject requests (yêu cầu của chủ thể dữ liệu) and the one-time codes that confirm them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from core.db import UTCDateTime, append_only, db, now_utc, str_enum
from feedback.cases.models import Case


class RequestKind(enum.StrEnum):
    """What the citizen asks for."""

    #: Rút lại sự đồng ý: no more contact; the details kept only for that purpose are erased.
    WITHDRAW_CONSENT = "withdraw_consent"
    #: Xóa thông tin liên hệ (and the names and numbers found in the comment).
    ERASE_CONTACT = "erase_contact"


class RequestChannel(enum.StrEnum):
    """How the request reached the centre."""

    #: On the tracking page, with the reference (and the code e-mailed to the contact).
    ONLINE = "online"
    #: In person at the counter, the leader having checked who asks.
    COUNTER = "counter"


class Verification(enum.StrEnum):
    """How the requester was recognised as the person who left the contact details."""

    #: The one-time code sent to the e-mail address they left.
    EMAIL_CODE = "email_code"
    #: A leader checked their identity (at the counter, or by calling the number they left).
    IDENTITY_CHECK = "identity_check"
    #: Nothing to verify: no contact details were left with the response.
    NOTHING_HELD = "nothing_held"


class DataSubjectRequest(db.Model):
    """One request about the personal data of one case's response: received, due, completed.

    Rows are never deleted; only `completed_at`, `completed_by_id`, `verification` and `outcome`
    are filled in once, when the request is carried out.
    """

    __tablename__ = "data_subject_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("feedback_case.id"), index=True)
    #: The case's unit: its leaders handle the request.
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    kind: Mapped[RequestKind] = mapped_column(str_enum(RequestKind))
    channel: Mapped[RequestChannel] = mapped_column(str_enum(RequestChannel))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: The leader who took the request at the counter; None for an online request.
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: Last local day to carry it out (the legal deadline of its kind, configurable).
    due_on: Mapped[date] = mapped_column(Date)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The leader who carried it out; None when the citizen's confirmed code did.
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verification: Mapped[Verification | None] = mapped_column(str_enum(Verification))
    #: What was done, as codes: "name,phone,email,comment" erased, or "nothing_held".
    outcome: Mapped[str | None] = mapped_column(String(64))

    case: Mapped[Case] = relationship()
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])

    __table_args__ = (Index("ix_data_subject_request_open", "completed_at", "due_on"),)

    def is_overdue(self, today: date) -> bool:
        """Not carried out after its due day (`today` is the local date)."""
        return self.completed_at is None and self.due_on < today


append_only(DataSubjectRequest, events=("before_delete",),
            message="data-subject requests are kept as the record of the citizen's rights")


class RightsCode(db.Model):
    """A one-time code e-mailed to confirm a request: only its keyed hash is stored; it expires,
    allows a few attempts and works once."""

    __tablename__ = "rights_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("feedback_case.id"), index=True)
    kind: Mapped[RequestKind] = mapped_column(str_enum(RequestKind))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
