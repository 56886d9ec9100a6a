"""Sign-in state and the one place that decides who may do what, and where."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user
from sqlalchemy import select

from accounts.models import Role, User
from core.db import db
from core.forms import ActionForm
from surveys.models import Unit
from surveys.queries import unit_lineage_ids

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.session_protection = "strong"


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))


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
    found = set(unit_lineage_ids(user.unit_id))
    frontier = set(found)
    while frontier:
        children = set(db.session.execute(
            select(Unit.id).where(Unit.parent_id.in_(frontier))
        ).scalars())
        expanded = set()
        for child in children - found:
            expanded |= unit_lineage_ids(child)
        frontier = (children | expanded) - found
        found |= frontier
    return found


def require_unit_in_scope(user: User, unit_id: int) -> None:
    """Abort with 404 when the unit is outside the user's scope (do not reveal it exists)."""
    allowed = scoped_unit_ids(user)
    if allowed is not None and unit_id not in allowed:
        abort(404)


def _nav_context() -> dict:
    if current_user.is_authenticated:
        return {"signout_form": ActionForm()}
    return {}


def init_app(app: Flask) -> None:
    """Attach the login manager and what the navigation bar needs."""
    login_manager.init_app(app)
    app.context_processor(_nav_context)
