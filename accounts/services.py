"""Creating and authenticating users. Flushes; the caller commits."""

from __future__ import annotations

import re

from sqlalchemy import select

from accounts.models import Role, User
from core.db import db
from surveys.models import Staff, Unit

_USERNAME = re.compile(r"^[a-z0-9._-]{3,64}$")
MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """The account cannot be created or changed as asked."""


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create_user(username: str, password: str, role: Role, unit: Unit | None,
                staff: Staff | None = None, email: str | None = None) -> User:
    """Add a user with a hashed password; staff users must be linked to their Staff record."""
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise AccountError("username: 3-64 of a-z 0-9 . _ -")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    if role != Role.ADMIN and unit is None:
        raise AccountError("only an administrator may have no unit")
    if role == Role.STAFF and staff is None:
        raise AccountError("a staff user must be linked to a staff record")
    if email and not _EMAIL.match(email):
        raise AccountError("email: not an e-mail address")
    if find_user(username) is not None:
        raise AccountError("username already taken")
    user = User(username=username, role=role, unit=unit, staff=staff, email=email or None)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def find_user(username: str) -> User | None:
    """The user with this username (case-insensitive), if any."""
    return db.session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = find_user(username)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password if `current` is right; False (nothing changed) otherwise. Flushes.

    The session id carries a digest of the password hash, so other sessions are signed out.
    """
    if not user.check_password(current):
        return False
    if len(new) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    user.set_password(new)
    db.session.flush()
    return True
