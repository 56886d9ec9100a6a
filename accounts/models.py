"""Users of the back office, each with one role scoped to one unit."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from core.db import UTCDateTime, db, now_utc, str_enum
from surveys.models import Staff, Unit


class Role(enum.StrEnum):
    """What a user may do; the unit limits where."""

    ADMIN = "admin"
    LEADER = "leader"
    HR = "hr"
    STAFF = "staff"


class User(UserMixin, db.Model):
    """A back-office account (admin, ward leader, HR officer or a rated staff member)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    #: The person's name as colleagues know it ("Nguyễn Thị Lan"); shown instead of the username.
    full_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    #: The province or ward this user may see; None only for a national administrator.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Where alerts are e-mailed (leaders); optional.
    email: Mapped[str | None] = mapped_column(String(254))
    #: Raised at every sign-out: session ids carry it, so a cookie copied before is worthless.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Set when an administrator created the account or reset its password: the user must
    #: choose a new password before any other page opens.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    unit: Mapped[Unit | None] = relationship()
    staff: Mapped[Staff | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def display_name(self) -> str:
        """How pages name this user: the full name, else the linked staff member's, else the
        username."""
        return self.full_name or (self.staff.full_name if self.staff else None) or self.username

    def is_staff(self, staff_id: int | None) -> bool:
        """Whether this account is that staff member's own (a leader or HR officer may also
        serve at a counter): what concerns them is not theirs to handle or trace."""
        return self.staff_id is not None and self.staff_id == staff_id

    def get_id(self) -> str:
        """The session's user id, bound to the password and the session version: changing the
        password or signing out ends the other sessions (and copies of this one)."""
        return f"{self.id}-{self.password_fingerprint()}"

    def password_fingerprint(self) -> str:
        """A short digest of the password hash (never the hash itself) and of the session
        version, for the session id (version 0 keeps the digest sessions had before it)."""
        bound = self.password_hash if not self.session_version \
            else f"{self.password_hash}:{self.session_version}"
        return hashlib.sha256(bound.encode()).hexdigest()[:16]

    def end_sessions(self) -> None:
        """Make every session id issued so far invalid (sign-out, on the server side)."""
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password (never the password)."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)


class LoginFailure(db.Model):
    """A failed sign-in, kept for the rate limit's time window (no password is stored)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    #: Keyed hash of the client address.
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    __table_args__ = (
        Index("ix_login_failure_username_at", "username", "at"),
        Index("ix_login_failure_at", "at"),
    )
