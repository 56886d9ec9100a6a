"""Responses and their answers: append-only records of what a citizen said, and where."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
    true,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from core.db import UTCDateTime, append_only, db, now_utc, str_enum
from core.encryption import EncryptedText
from surveys.channels.kiosks import Kiosk
from surveys.channels.visits import DOSSIER_CODE_MAX, Visit
from surveys.models import Centre, Counter, ProcedureArea, Question, Staff, Survey, Unit
from surveys.scale import SCALE


class Channel(enum.StrEnum):
    """How the response reached us."""

    QR = "qr"
    KIOSK = "kiosk"
    TICKET = "ticket"


class SentimentLabel(enum.StrEnum):
    """The sentiment of a comment, as the tagger labels it and a leader may correct it (stored
    as this text in Response.sentiment_label and reviewed_label)."""

    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class Response(db.Model):
    """One citizen's answers to one survey version at one counter, attributed when submitted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Public identifier; sequential ids are never shown.
    public_id: Mapped[str] = mapped_column(String(36), unique=True)
    #: Idempotency key carried by the form: a second post of the same form stores nothing.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"))
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"))
    #: The ward/commune the centre belonged to at submission time.
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    #: The staff member whose assignment covered the submission time, if any.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"))
    procedure_area_id: Mapped[int | None] = mapped_column(ForeignKey("procedure_area.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    locale: Mapped[str] = mapped_column(String(8))
    channel: Mapped[Channel] = mapped_column(
        str_enum(Channel), default=Channel.QR
    )
    #: Stored verbatim; escaped on every output.
    comment: Mapped[str | None] = mapped_column(Text)
    #: Contact details, only with consent; encrypted at rest, erased by `flask privacy purge`.
    contact_name: Mapped[str | None] = mapped_column(EncryptedText)
    contact_phone: Mapped[str | None] = mapped_column(EncryptedText)
    #: Where a reply to a complaint is e-mailed (optional, same consent).
    contact_email: Mapped[str | None] = mapped_column(EncryptedText)
    #: When the citizen ticked the consent box for being contacted; None: anonymous.
    contact_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_version: Mapped[str | None] = mapped_column(String(16))
    #: Keyed hashes (never the raw values) for integrity checks; erased after
    #: HASH_RETENTION_DAYS by `flask privacy purge`.
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    device_hash: Mapped[str | None] = mapped_column(String(64))
    #: When the names and numbers found in the comment were masked for good (retention, or the
    #: citizen's erasure request); None while the comment is as the citizen wrote it.
    comment_masked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sentiment_label: Mapped[str | None] = mapped_column(String(16))
    sentiment_confidence: Mapped[float | None] = mapped_column(Float)
    sentiment_model: Mapped[str | None] = mapped_column(String(32))
    #: Comma-separated topic codes.
    topics: Mapped[str | None] = mapped_column(String(200))
    integrity_alert: Mapped[bool] = mapped_column(Boolean, default=False)
    tagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When tagging its comment first failed; cleared once `flask sentiment tag-pending` has
    #: tagged it and opened the case or alert the tags call for. Set: the tagging backlog.
    tagging_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The label a leader set (latest `SentimentReview`); it outranks the tagger's, which a
    #: re-tag rewrites while this stays.
    reviewed_label: Mapped[str | None] = mapped_column(String(16))
    #: When the server received it; later than submitted_at for answers a kiosk queued offline.
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=now_utc)
    #: The enrolled kiosk that sent it (channel kiosk).
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    #: The queue-ticket visit it answers (channel ticket): one response per visit at most.
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), unique=True)
    #: The one-stop system's dossier code (mã hồ sơ), when the citizen or the visit gave one.
    dossier_code: Mapped[str | None] = mapped_column(String(DOSSIER_CODE_MAX))
    #: False while integrity flags (not restored by HR) hold it out of every score, ranking,
    #: dashboard count and complaint count; kept by `feedback.screening`, read by everyone.
    counted: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: The integrity rules (fingerprint) it was last screened by: their flags apply to it.
    screened_version: Mapped[str | None] = mapped_column(String(16))
    #: True from the moment it is stored until `feedback.dashboard.fold` adds it to the rollups
    #: (after the citizen has been answered); the rollups hold exactly the counted responses
    #: that are not pending.
    rollup_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    counter: Mapped[Counter] = relationship()
    centre: Mapped[Centre] = relationship()
    unit: Mapped[Unit] = relationship()
    staff: Mapped[Staff | None] = relationship()
    survey: Mapped[Survey] = relationship()
    procedure_area: Mapped[ProcedureArea | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="response")
    #: Not a column: the reference of the case its storing opened, set on this object only (the
    #: thank-you page shows it without reading the case back).
    opened_case_reference = None
    kiosk: Mapped[Kiosk | None] = relationship()
    visit: Mapped[Visit | None] = relationship()

    __table_args__ = (
        Index("ix_response_unit_time", "unit_id", "submitted_at"),
        Index("ix_response_centre_time", "centre_id", "submitted_at"),
        Index("ix_response_counter_time", "counter_id", "submitted_at"),
        Index("ix_response_staff_time", "staff_id", "submitted_at"),
        #: A device's responses around one being screened (its bursts, its other counters).
        Index("ix_response_device_time", "device_hash", "submitted_at"),
        Index("ix_response_submitted_at", "submitted_at"),
        #: The dashboards' latest comments: newest first, the few with a comment, at once (the
        #: whole-table index walked past thousands without one: 0.06 s warm, 0.8 s cold at 5 M).
        Index("ix_response_commented_time", "submitted_at",
              sqlite_where=text("comment IS NOT NULL"),
              postgresql_where=text("comment IS NOT NULL")),
        #: The tagging backlog, in id order (`flask sentiment tag-pending`, every minute): only
        #: the responses whose tagging failed. With a whole-column index SQLite walked every row
        #: by id instead (0.5–0.7 s a run at 5 M, with nothing to do).
        Index("ix_response_tagging_failed_at", "id", "tagging_failed_at",
              sqlite_where=text("tagging_failed_at IS NOT NULL"),
              postgresql_where=text("tagging_failed_at IS NOT NULL")),
        #: Only the responses waiting for the fold (a few at most): the dashboards ask whether
        #: any waits on every view. A whole-column index is useless to SQLite once ANALYZE has
        #: seen that nearly every row holds the same value (it scanned 5 M rows, 0.5 s a view).
        Index("ix_response_rollup_pending", "rollup_pending",
              sqlite_where=text("rollup_pending = 1"), postgresql_where=text("rollup_pending")),
    )

    @hybrid_property
    def verified_visit(self) -> bool:
        """Given through a one-time queue-ticket link: one visit, one response."""
        return self.visit_id is not None

    @verified_visit.inplace.expression
    @classmethod
    def _verified_visit_expression(cls):
        return cls.visit_id.is_not(None)

    @hybrid_property
    def waiting_for_fold(self) -> bool:
        """Stored, not yet added to the rollups by the fold. In SQL `rollup_pending = true`,
        the condition of the partial index `ix_response_rollup_pending` (not `IS true`, which
        SQLite does not match to it)."""
        return self.rollup_pending

    @waiting_for_fold.inplace.expression
    @classmethod
    def _waiting_for_fold_expression(cls):
        return cls.rollup_pending == true()

    @hybrid_property
    def sentiment(self) -> str | None:
        """The label every screen and count uses: the reviewed one, else the tagger's."""
        return self.reviewed_label or self.sentiment_label

    @sentiment.inplace.expression
    @classmethod
    def _sentiment_expression(cls):
        return func.coalesce(cls.reviewed_label, cls.sentiment_label)

    @property
    def has_contact(self) -> bool:
        """True when the citizen consented to be contacted and left details."""
        return self.contact_consent_at is not None and bool(
            self.contact_phone or self.contact_email or self.contact_name)


class Answer(db.Model):
    """One answer of a response, as a row (never fixed answer columns)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    value: Mapped[int] = mapped_column(Integer)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()

    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        CheckConstraint(f"value >= {SCALE[0]} AND value <= {SCALE[-1]}", name="rating_range"),
    )


class SentimentReview(db.Model):
    """A leader's correction of a comment's sentiment label: who, when, old -> new.

    Append-only: a later correction is a new row; the response keeps the latest label in
    `Response.reviewed_label`.
    """

    __tablename__ = "sentiment_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: The label shown before the correction (the tagger's or an earlier review's).
    old_label: Mapped[str | None] = mapped_column(String(16))
    new_label: Mapped[str] = mapped_column(String(16))
    #: The tagger's label and model version at the time, for measuring the model.
    model_label: Mapped[str | None] = mapped_column(String(16))
    model_version: Mapped[str | None] = mapped_column(String(32))

    response: Mapped[Response] = relationship()
    actor: Mapped[User] = relationship()


append_only(SentimentReview, message="sentiment reviews are append-only")


class AccessKind(enum.StrEnum):
    """What kind of personal data was reached."""

    #: A citizen's contact details shown on a case page.
    CONTACT_VIEW = "contact_view"
    #: A file exported with personal data (staff names and scores, comments).
    EXPORT = "export"


class PersonalDataAccess(db.Model):
    """Who viewed a citizen's contact details or exported personal data, when and what.

    Append-only (feedback.access_log): rows are never changed or deleted by the application.
    """

    __tablename__ = "personal_data_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    #: The unit whose data it was; its leaders read the entry.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    kind: Mapped[AccessKind] = mapped_column(str_enum(AccessKind))
    #: What was reached, e.g. "case 12" or "hr-report 00001 2026-11 xlsx".
    what: Mapped[str] = mapped_column(String(200))

    user: Mapped[User] = relationship()
