"""Sign-in state and the one place that decides who may do what, and where."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TypeVar

from flask import Flask, Response, abort, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user
from sqlalchemy import or_, select

from accounts.models import Role, User
from core.db import db
from core.forms import ActionForm
from surveys.queries import unit_tree_ids, units_counting_each

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.session_protection = "strong"


#: Where each role lands after signing in.
HOME_ENDPOINTS = {
    Role.ADMIN: "admin.organisation",
    Role.LEADER: "cases.landing",
    Role.HR: "hr.overview",
    Role.STAFF: "cases.my_feedback",
}


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    user_id, _sep, fingerprint = session_id.partition("-")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.password_fingerprint() != fingerprint:
        return None
    return user


def roles_required(*roles: Role) -> Callable:
    """Allow the view only to signed-in users with one of the roles (403 for others)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def scoped_unit_ids(user: User) -> set[int] | None:
    """Units the user may see: their unit, the units below it, and the units merged into them.

    None means every unit (a national administrator with no unit).
    """
    if user.unit_id is None:
        return None if user.role == Role.ADMIN else set()
    return set(unit_tree_ids(user.unit_id))


def accounts_by_unit(role: Role, unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """For each unit, the active accounts of that role whose scope covers it (by username): those
    of the unit, of a unit above it or that it was merged into, and national administrators.
    Two queries, however many accounts there are (each account's scope was one query)."""
    covering = units_counting_each(unit_ids)
    anchors = sorted(set().union(*covering.values()))
    where = User.unit_id.in_(anchors)
    if role == Role.ADMIN:
        where = or_(where, User.unit_id.is_(None))
    accounts = db.session.execute(select(User).where(User.role == role, User.active.is_(True),
                                                     where).order_by(User.username)).scalars().all()
    return {unit_id: [user for user in accounts
                      if user.unit_id is None or user.unit_id in covering[unit_id]]
            for unit_id in covering}


def current_scope() -> set[int] | None:
    """The signed-in user's scope (see `scoped_unit_ids`)."""
    return scoped_unit_ids(current_user)


#: Views only administrators may use.
admin_only = roles_required(Role.ADMIN)


def require_unit_in_scope(user: User, unit_id: int) -> None:
    """Abort with 404 when the unit is outside the user's scope (do not reveal it exists)."""
    allowed = scoped_unit_ids(user)
    if allowed is not None and unit_id not in allowed:
        abort(404)


Row = TypeVar("Row")


def in_scope_or_404(model: type[Row], row_id: int,
                    unit_of: Callable[[Row], int] = lambda row: row.unit_id) -> Row:
    """The row of `model` with this id when its unit (`unit_of` it) is in the signed-in user's
    scope; 404 when there is no such row or it lies elsewhere (never revealing which)."""
    row = db.get_or_404(model, row_id)
    require_unit_in_scope(current_user, unit_of(row))
    return row


def _nav_context() -> dict:
    if current_user.is_authenticated:
        return {"signout_form": ActionForm()}
    return {}


def _no_store_when_signed_in(response: Response) -> Response:
    """Back-office pages and exports hold personal data: no browser or proxy may keep a copy
    (a view that chose private caching, e.g. an aggregated chart, keeps it)."""
    if request.endpoint != "static" and not response.cache_control.private \
            and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response


#: Pages a user who must choose a new password may still open.
_OPEN_BEFORE_NEW_PASSWORD = {"accounts.password", "accounts.logout", "static"}


def _new_password_first():
    """A user whose password an administrator set (new account, reset) chooses their own
    before any other back-office page opens."""
    if request.endpoint in _OPEN_BEFORE_NEW_PASSWORD or not current_user.is_authenticated:
        return None
    if current_user.must_change_password:
        return redirect(url_for("accounts.password"), code=303)
    return None


def init_app(app: Flask) -> None:
    """Attach the login manager, what the navigation bar needs, the forced password change
    and the no-store rule."""
    login_manager.init_app(app)
    app.context_processor(_nav_context)
    app.before_request(_new_password_first)
    app.after_request(_no_store_when_signed_in)
