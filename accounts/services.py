"""Creating and authenticating users. Flushes; the caller commits."""

from __future__ import annotations

import re
import secrets
import unicodedata
from functools import cache
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from accounts.models import Role, User
from core.db import db
from surveys.models import Staff, Unit

_USERNAME = re.compile(r"^[a-z0-9._-]{3,64}$")
MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """The account cannot be created or changed as asked."""


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create_user(username: str, password: str, role: Role, unit: Unit | None,
                staff: Staff | None = None, email: str | None = None,
                full_name: str | None = None) -> User:
    """Add a user with a hashed password; staff users must be linked to their Staff record."""
    username = username.strip().lower()
    if not _USERNAME.fullmatch(username):
        raise AccountError(_l("A username has 3 to 64 characters: lower-case letters without "
                              "accents, digits, dot, dash or underscore."))
    _check_password_length(password)
    if role != Role.ADMIN and unit is None:
        raise AccountError(_l("Only an administrator of the whole country has no unit."))
    if role == Role.STAFF and staff is None:
        raise AccountError(_l("A staff account needs the staff code of the person."))
    if email and not _EMAIL.fullmatch(email):
        raise AccountError(_l("Please enter an e-mail address, e.g. ten@example.vn."))
    if find_user(username) is not None:
        raise AccountError(_l("This username is already taken."))
    user = User(username=username, role=role, unit=unit, staff=staff, email=email or None,
                full_name=(full_name or "").strip() or None)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def _check_password_length(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_l("A password has at least %(min)d characters.",
                              min=MIN_PASSWORD_LENGTH))


def find_user(username: str) -> User | None:
    """The user with this username (case-insensitive), if any."""
    return db.session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()


@cache
def _dummy_hash() -> str:
    """A password hash checked when the username is unknown, so that answering "wrong username
    or password" takes as long for a made-up name as for a real one (no enumeration by timing).
    Made with the same method and cost as users' hashes."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None, in the same time either way."""
    user = find_user(username)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password if `current` is right; False (nothing changed) otherwise. Flushes.

    The session id carries a digest of the password hash, so other sessions are signed out.
    """
    if not user.check_password(current):
        return False
    _check_password_length(new)
    user.set_password(new)
    user.must_change_password = False
    db.session.flush()
    return True


def is_same_site_path(target: str | None) -> bool:
    """True when `target` is a path on this site ("/inbox?page=2"), safe to redirect to.

    Refused: anything with a scheme or host, "//host" and "/\\host" (browsers read both as
    another host), and any control, space or format character, since browsers drop tabs and
    line breaks ("/\t/evil.example" becomes "//evil.example").
    """
    if not target or len(target) > 2000 or not target.startswith("/") \
            or target.startswith("//") or "\\" in target:
        return False
    if any(ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}
           for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def display_names(user_ids: set[int | None]) -> dict[int, str]:
    """How pages name each of these users (User.display_name), by id."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    users = db.session.execute(select(User).where(User.id.in_(ids))).scalars()
    return {user.id: user.display_name for user in users}
