"""Administrators manage back-office accounts within their own units: create, change role and
unit, disable and enable, reset a password. Flushes; the caller commits.

A new account and a reset password get a random temporary password, shown once to the
administrator; the user must choose their own at the next sign-in.
"""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts.models import Role, User
from accounts.services import AccountError, create_user
from core.db import db
from surveys.models import Staff, Unit

#: Characters of a temporary password: no 0/O, 1/l/I to misread over the phone.
_TEMPORARY_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMPORARY_PASSWORD_LENGTH = 14


def temporary_password() -> str:
    """A random password to hand over once (about 80 bits)."""
    return "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(TEMPORARY_PASSWORD_LENGTH))


def may_manage(scope: set[int] | None, user: User) -> bool:
    """Whether an administrator whose units are `scope` (None: the whole country) may manage
    `user`: only accounts of their units; accounts without a unit only nationally."""
    if scope is None:
        return True
    return user.unit_id is not None and user.unit_id in scope


def users_in_scope(scope: set[int] | None) -> list[User]:
    """The accounts an administrator manages, by username."""
    query = select(User).order_by(User.username)
    if scope is not None:
        query = query.where(User.unit_id.in_(scope))
    return list(db.session.execute(query).scalars())


def _check_placement(scope: set[int] | None, role: Role, unit: Unit | None,
                     staff: Staff | None) -> None:
    if scope is not None and (unit is None or unit.id not in scope):
        raise AccountError(_l("Every unit must be one of yours."))
    if role == Role.STAFF and staff is None:
        raise AccountError(_l("A staff account needs the staff code of the person."))
    if staff is not None and scope is not None and staff.unit_id not in scope:
        raise AccountError(_l("Every unit must be one of yours."))


def create_managed_user(scope: set[int] | None, username: str, role: Role, unit: Unit | None,
                        staff: Staff | None, email: str | None,
                        full_name: str | None = None) -> tuple[User, str]:
    """Create an account with a temporary password; returns it and the password."""
    _check_placement(scope, role, unit, staff)
    password = temporary_password()
    user = create_user(username, password, role, unit, staff=staff, email=email,
                       full_name=full_name)
    user.must_change_password = True
    db.session.flush()
    return user, password


def change_user(scope: set[int] | None, user: User, role: Role, unit: Unit | None,
                staff: Staff | None, email: str | None, full_name: str | None = None) -> bool:
    """Change an account's role, unit, staff record, e-mail and full name; True when something
    changed. The staff record stays whatever the role: a leader or HR officer who also serves
    at a counter is kept away from what concerns them by it (`feedback.cases.recusal`).
    A new role or unit signs the user out everywhere (their pages change)."""
    _check_placement(scope, role, unit, staff)
    if role != Role.ADMIN and unit is None:
        raise AccountError(_l("Only an administrator of the whole country has no unit."))
    unit_id = unit.id if unit else None
    staff_id = staff.id if staff else None
    moved = (user.role, user.unit_id) != (role, unit_id)
    changed = moved or (user.staff_id, user.email, user.full_name) != (
        staff_id, email or None, full_name or None)
    user.role, user.unit, user.staff, user.email = role, unit, staff, email or None
    user.full_name = full_name or None
    if moved:
        user.end_sessions()
    db.session.flush()
    return changed


def set_user_active(user: User, active: bool) -> None:
    """Disable (signing the user out everywhere at once) or enable an account."""
    user.active = active
    if not active:
        user.end_sessions()
    db.session.flush()


def reset_password(user: User) -> str:
    """Give the account a new temporary password (returned, to hand over once), end its
    sessions and make the user choose a new password at the next sign-in."""
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.end_sessions()
    db.session.flush()
    return password
