"""Kiosks: tablets at a counter enrolled by an administrator, each holding its own secret key.

Enrolment is two steps so the key never travels through an administrator's screen: the admin
creates a kiosk and gets a one-time enrolment code (short-lived); opening the code's link on the
tablet exchanges it for the kiosk key, which the tablet keeps in an HttpOnly cookie. Only
digests of the code and the key are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, db, now_utc
from surveys.channels.access_keys import holder_of, new_secret, secret_digest
from surveys.models import Counter


class Kiosk(db.Model):
    """A tablet enrolled for one counter."""

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: Digest of the one-time enrolment code; cleared once used.
    enrol_code_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrol_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Digest of the key the tablet holds; None until enrolled.
    key_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last time the tablet said it had delivered its whole queue: no answer it sends
    #: later can have been given much earlier (see feedback/intake/kiosk_sync.py).
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    counter: Mapped[Counter] = relationship()

    @property
    def usable(self) -> bool:
        """Enrolled, not revoked, and its counter and centre still open."""
        return (self.key_digest is not None and self.revoked_at is None
                and self.counter.active and self.counter.centre.active)


@dataclass(frozen=True)
class Enrolment:
    """A kiosk waiting for its tablet, and the code shown once to the administrator."""

    kiosk: Kiosk
    code: str


class EnrolmentError(ValueError):
    """The enrolment code is unknown, already used or expired."""


def create_kiosk(counter: Counter, label: str, valid_for: timedelta) -> Enrolment:
    """Register a kiosk for a counter; return it with its one-time enrolment code."""
    code = new_secret()
    kiosk = Kiosk(counter=counter, label=label, enrol_code_digest=secret_digest(code),
                  enrol_expires_at=now_utc() + valid_for)
    db.session.add(kiosk)
    db.session.flush()
    return Enrolment(kiosk=kiosk, code=code)


def pending_enrolment(code: str) -> Kiosk | None:
    """The kiosk an unused, unexpired enrolment code belongs to."""
    kiosk = holder_of(Kiosk.enrol_code_digest, code)
    if kiosk is None or kiosk.revoked_at is not None or kiosk.enrol_expires_at <= now_utc():
        return None
    return kiosk


def enrol_kiosk(code: str) -> tuple[Kiosk, str]:
    """Exchange an enrolment code for the kiosk key (the code cannot be used again: of two
    devices sending it at once, the second waits for the first, then gets EnrolmentError)."""
    kiosk = pending_enrolment(code)
    if kiosk is not None:  # lock the row, then read it again: still waiting for its device?
        kiosk = db.session.execute(
            select(Kiosk).where(Kiosk.id == kiosk.id, Kiosk.enrol_code_digest.is_not(None))
            .with_for_update().execution_options(populate_existing=True)).scalar_one_or_none()
    if kiosk is None:
        raise EnrolmentError("unknown, used or expired enrolment code")
    key = new_secret("kk_")
    kiosk.key_digest = secret_digest(key)
    kiosk.enrol_code_digest = None
    kiosk.enrol_expires_at = None
    kiosk.enrolled_at = now_utc()
    db.session.flush()
    return kiosk, key


def kiosk_for_key(key: str | None) -> Kiosk | None:
    """The usable kiosk holding this key, if any."""
    kiosk = holder_of(Kiosk.key_digest, key)
    return kiosk if kiosk is not None and kiosk.usable else None


def revoke_kiosk(kiosk: Kiosk) -> None:
    """Stop accepting the kiosk's key (and any pending enrolment code)."""
    kiosk.revoked_at = now_utc()
    kiosk.enrol_code_digest = None
    db.session.flush()


def kiosks_of(counter: Counter) -> list[Kiosk]:
    """The counter's kiosks, newest first."""
    return list(db.session.execute(
        select(Kiosk).where(Kiosk.counter_id == counter.id).order_by(Kiosk.created_at.desc())
    ).scalars())
