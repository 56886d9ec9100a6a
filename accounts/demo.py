"""One demo user per role, so every screen of the demo can be tried. Never use in production."""

from __future__ import annotations

from sqlalchemy import select

from accounts.models import Role, User
from accounts.services import create_user, find_user
from core.db import db
from surveys.models import Staff, Unit

#: The demo wards' leaders, who handle the demo complaints (each ward has one, so no complaint
#: is left without a leader who may handle it: `feedback.cases.coverage`).
DEMO_LEADERS = ("lanhdao", "lanhdao.caikhe")

#: username, role, unit code (None: every unit), staff code, password, full name.
DEMO_USERS = (
    ("admin", Role.ADMIN, "92", None, "demo-admin-2026", "Trần Quốc Huy"),
    ("lanhdao", Role.LEADER, "31135", None, "demo-leader-2026", "Nguyễn Thị Thu Hà"),
    ("lanhdao.caikhe", Role.LEADER, "31120", None, "demo-leader-2026", "Phạm Văn Long"),
    ("nhansu", Role.HR, "92", None, "demo-hr-2026", "Lê Minh Tâm"),
    ("canbo", Role.STAFF, "31135", "CB001", "demo-staff-2026", None),
)


def seed_demo_users() -> list[tuple[str, str, str]]:
    """Create the demo users that do not exist yet; return (username, role, password) of all."""
    logins = []
    for username, role, unit_code, staff_code, password, full_name in DEMO_USERS:
        if find_user(username) is None:
            unit = db.session.execute(select(Unit).where(Unit.code == unit_code)).scalar_one()
            staff = (db.session.execute(select(Staff).where(Staff.code == staff_code))
                     .scalar_one() if staff_code else None)
            create_user(username, password, role, unit, staff, full_name=full_name)
        logins.append((username, role.value, password))
    return logins


def non_demo_users() -> list[str]:
    """Users the demo did not create ("user <name>"), to keep the demo off real databases."""
    names = [username for username, *_rest in DEMO_USERS]
    return ["user " + name for name in db.session.execute(
        select(User.username).where(User.username.not_in(names)).order_by(User.username)
    ).scalars()]
