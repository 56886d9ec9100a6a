"""Visits: one-time survey links printed on queue tickets, issued to a centre's queue system.

A queue system authenticates with an API token of its centre and posts each visit (a ticket
number, the counter or the procedure area); it gets back a link that accepts exactly one
response. Only digests of API tokens and of visit links are stored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, db, now_utc
from surveys.channels.access_keys import holder_of, new_secret, secret_digest
from surveys.models import Centre, Counter, ProcedureArea

TICKET_NUMBER_MAX = 32
#: Longest dossier code (mã hồ sơ) kept; one-stop systems use codes of about 20 characters.
DOSSIER_CODE_MAX = 40


class ApiToken(db.Model):
    """A secret that lets one centre's queue system create visits."""

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    centre: Mapped[Centre] = relationship()


class Visit(db.Model):
    """One citizen's visit (a queue ticket) and its one-time survey link."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Identifier given to the queue system; sequential ids are never shown.
    public_id: Mapped[str] = mapped_column(String(36), unique=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"))
    #: The counter that served the visit; None when only the procedure area was known.
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    procedure_area_id: Mapped[int | None] = mapped_column(ForeignKey("procedure_area.id"))
    ticket_number: Mapped[str] = mapped_column(String(TICKET_NUMBER_MAX))
    #: The one-stop system's dossier code (mã hồ sơ), when the queue system gave one.
    dossier_code: Mapped[str | None] = mapped_column(String(DOSSIER_CODE_MAX))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    api_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_token.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    centre: Mapped[Centre] = relationship()
    counter: Mapped[Counter | None] = relationship()
    procedure_area: Mapped[ProcedureArea | None] = relationship()

    __table_args__ = (Index("ix_visit_centre_time", "centre_id", "created_at"),)


class VisitError(ValueError):
    """The visit cannot be created as asked."""


@dataclass(frozen=True)
class IssuedVisit:
    """A new visit and the secret part of its link (shown once)."""

    visit: Visit
    token: str


def create_api_token(centre: Centre, label: str) -> tuple[ApiToken, str]:
    """A new API token for the centre's queue system; the secret is returned only here."""
    secret = new_secret("hl_")
    token = ApiToken(centre=centre, label=label, token_digest=secret_digest(secret))
    db.session.add(token)
    db.session.flush()
    return token, secret


def api_token_for(secret: str | None) -> ApiToken | None:
    """The valid (not revoked, centre open) API token with this secret, marked as used now."""
    token = holder_of(ApiToken.token_digest, secret)
    if token is None or token.revoked_at is not None or not token.centre.active:
        return None
    token.last_used_at = now_utc()
    return token


def revoke_api_token(token: ApiToken) -> None:
    """Stop accepting the token."""
    token.revoked_at = now_utc()
    db.session.flush()


def create_visit(api_token: ApiToken, ticket_number: str, valid_for: timedelta,
                 counter: Counter | None = None,
                 procedure_area: ProcedureArea | None = None,
                 dossier_code: str | None = None) -> IssuedVisit:
    """Record a visit to the token's centre and issue its one-time link token."""
    if counter is None and procedure_area is None:
        raise VisitError("a visit needs a counter or a procedure area")
    if counter is not None and (counter.centre_id != api_token.centre_id or not counter.active):
        raise VisitError("the counter is not an open counter of this centre")
    if not ticket_number or len(ticket_number) > TICKET_NUMBER_MAX:
        raise VisitError("a ticket number of 1 to 32 characters is needed")
    secret = new_secret()
    now = now_utc()
    visit = Visit(public_id=str(uuid.uuid4()), centre_id=api_token.centre_id, counter=counter,
                  procedure_area=procedure_area, ticket_number=ticket_number,
                  dossier_code=dossier_code,
                  token_digest=secret_digest(secret), api_token_id=api_token.id,
                  created_at=now, expires_at=now + valid_for)
    db.session.add(visit)
    db.session.flush()
    return IssuedVisit(visit=visit, token=secret)


def visit_for_token(token: str) -> Visit | None:
    """The visit of a scanned link (answered or expired ones included), or None."""
    return holder_of(Visit.token_digest, token)


def counters_for_visit(visit: Visit) -> list[Counter]:
    """Counters the visit may have been served at: its own, else the open counters of the
    centre serving its procedure area (every open counter when none is marked for it)."""
    if visit.counter is not None:
        return [visit.counter]
    open_counters = [c for c in visit.centre.counters if c.active]
    serving = [c for c in open_counters if visit.procedure_area in c.procedure_areas]
    return serving or open_counters


def procedure_area_by_code(code: str) -> ProcedureArea | None:
    """The procedure area with this code."""
    return db.session.execute(
        select(ProcedureArea).where(ProcedureArea.code == code)
    ).scalar_one_or_none()
