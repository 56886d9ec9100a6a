"""Organisation (units, centres, counters, staff, assignments) and versioned surveys."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy import false as sa_false
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.db import UTCDateTime, append_only, db, now_utc, str_enum


class UnitKind(enum.StrEnum):
    """Administrative level of a unit under the two-tier local government."""

    PROVINCE = "province"
    WARD = "ward"
    COMMUNE = "commune"
    SPECIAL_ZONE = "special_zone"


#: The level below the province: phường, xã and đặc khu.
COMMUNE_LEVEL = frozenset({UnitKind.WARD, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE})


class Unit(db.Model):
    """A province or a commune-level unit; effective-dated, with a successor after a merger."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Official administrative code (mã đơn vị hành chính).
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(str_enum(UnitKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    #: Last day the unit existed; None while it is in force.
    valid_to: Mapped[date | None] = mapped_column(Date)
    #: The unit this one was merged into.
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    successor: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[successor_id])


counter_procedure_area = Table(
    "counter_procedure_area",
    db.metadata,
    Column("counter_id", ForeignKey("counter.id", ondelete="CASCADE"), primary_key=True),
    Column("procedure_area_id", ForeignKey("procedure_area.id"), primary_key=True),
)


class ProcedureArea(db.Model):
    """A field of administrative procedures (lĩnh vực), e.g. Hộ tịch, Đất đai."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))

    def name(self, locale: str) -> str:
        """The name in the given locale (Vietnamese when no English name is known)."""
        return self.name_en if locale == "en" and self.name_en else self.name_vi


class Centre(db.Model):
    """A public administrative service centre or one of its service points."""

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Random token of the public results board (/board/<token>); None: no board published.
    board_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: The centre opted in to showing staff names on its public board.
    board_show_staff: Mapped[bool] = mapped_column(Boolean, default=False,
                                                   server_default=sa_false())

    unit: Mapped[Unit] = relationship()
    counters: Mapped[list[Counter]] = relationship(
        back_populates="centre", order_by="Counter.label"
    )

    __table_args__ = (UniqueConstraint("unit_id", "name"),)


class Counter(db.Model):
    """A counter (quầy) of a centre; its QR code carries its current token."""

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    centre: Mapped[Centre] = relationship(back_populates="counters")
    procedure_areas: Mapped[list[ProcedureArea]] = relationship(
        secondary=counter_procedure_area, order_by="ProcedureArea.code"
    )
    tokens: Mapped[list[CounterToken]] = relationship(back_populates="counter")

    __table_args__ = (UniqueConstraint("centre_id", "label"),)


class CounterToken(db.Model):
    """A QR token of a counter; rotating revokes the old one, which then answers 410."""

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"), index=True)
    #: Random, URL-safe, at least 128 bits; never derived from an id.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    counter: Mapped[Counter] = relationship(back_populates="tokens")


class Staff(db.Model):
    """A civil servant (cán bộ, công chức) who may be rated."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    position: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[Unit] = relationship()


class Assignment(db.Model):
    """Who served at which counter from when until when (ends_at None: still serving)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff: Mapped[Staff] = relationship()
    counter: Mapped[Counter] = relationship()

    __table_args__ = (Index("ix_assignment_counter_time", "counter_id", "starts_at"),)


class QuestionKind(enum.StrEnum):
    """What kind of answer a question takes."""

    RATING = "rating"
    TEXT = "text"


class Survey(db.Model):
    """One published version of the questionnaire of a unit, or the national default.

    A counter's form uses the active version of its centre's unit, else of the nearest unit
    above it, else the national one (``surveys.queries.active_survey``). Responses keep the
    version they answered. Version numbers are unique across all units.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    #: The unit whose counters (and those of the units below it) ask it; None: national.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: The version in use for its unit (one per unit, and one national).
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit | None] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="survey", order_by="Question.position"
    )


class SurveyPublication(db.Model):
    """Who published which survey version, for which unit, when: append-only."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), index=True)
    #: The unit it was published for; None: the national default.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    #: The administrator; None: published from the command line or by the system's setup.
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    survey: Mapped[Survey] = relationship()
    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (Index("ix_survey_publication_published_at", "published_at"),)


append_only(SurveyPublication, message="survey publications are append-only")


class Question(db.Model):
    """A question of a survey version, with its wording in Vietnamese and English."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), index=True)
    #: Stable code across versions, e.g. "overall", "staff"; scores are computed by code.
    code: Mapped[str] = mapped_column(String(32))
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind))
    #: SIPAS criterion group (overall, access, procedure, staff, result).
    criterion: Mapped[str] = mapped_column(String(32))
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer)
    prompt_vi: Mapped[str] = mapped_column(Text)
    prompt_en: Mapped[str] = mapped_column(Text)

    survey: Mapped[Survey] = relationship(back_populates="questions")

    __table_args__ = (UniqueConstraint("survey_id", "code"),)

    def prompt(self, locale: str) -> str:
        """The wording in the given locale."""
        return self.prompt_en if locale == "en" and self.prompt_en else self.prompt_vi


class CatalogueVersion(db.Model):
    """One row: a number raised by every change to the organisation or the surveys (units,
    centres, counters and their tokens and areas, staff, assignments, survey versions), so
    that each app process knows when its copy of a counter's form is out of date
    (`surveys.catalogue`)."""

    __tablename__ = "catalogue_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


#: The models whose rows a counter's form reads (`surveys.catalogue`): a change to any of them
#: raises the catalogue version in the same transaction.
CATALOGUE_MODELS = (Unit, Centre, Counter, CounterToken, ProcedureArea, Staff, Assignment, Survey,
                    Question)
_CATALOGUE_TABLES = frozenset({model.__table__ for model in CATALOGUE_MODELS}
                              | {counter_procedure_area})


def raise_catalogue_version(session: Session) -> None:
    """Raise the catalogue version in the session's transaction (creating the row if missing)."""
    table = CatalogueVersion.__table__
    dialect = session.get_bind().dialect.name
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    session.connection().execute(statement.values(id=1, version=1).on_conflict_do_update(
        index_elements=[table.c.id], set_={"version": table.c.version + 1}))


@event.listens_for(Session, "before_flush")
def _catalogue_rows_changed(session: Session, _context, _instances) -> None:
    if any(isinstance(obj, CATALOGUE_MODELS)
           for rows in (session.new, session.dirty, session.deleted) for obj in rows):
        raise_catalogue_version(session)


@event.listens_for(Session, "do_orm_execute")
def _catalogue_rows_changed_in_bulk(state) -> None:
    if (state.is_update or state.is_delete) and getattr(
            state.statement, "table", None) in _CATALOGUE_TABLES:
        raise_catalogue_version(state.session)
