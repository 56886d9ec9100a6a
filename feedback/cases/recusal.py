"""Nobody handles, reads or is told of a complaint about themselves.

In a small commune a leader (or an HR officer) may also serve at a counter: their account is
then linked to a staff record (`User.staff_id`), and responses given to them name that record.
Such a case, an integrity report above all, must not reach the person it is about: it is left
out of their inbox, landing page and response list, its page answers 404 to them, and they can
be neither assigned to it nor e-mailed about it. The other leaders whose scope covers the unit
(the ward's, and the province's) handle it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, true

from accounts.models import User
from feedback.cases.models import Case
from feedback.models import Response


def not_about(staff_id: int | None) -> ColumnElement[bool]:
    """Cases whose response was not given to this staff member (all of them for None)."""
    if staff_id is None:
        return true()
    return ~exists().where(Response.id == Case.response_id, Response.staff_id == staff_id)


def response_not_about(staff_id: int | None) -> ColumnElement[bool]:
    """Responses not given to this staff member (all of them for None)."""
    if staff_id is None:
        return true()
    return or_(Response.staff_id.is_(None), Response.staff_id != staff_id)


def is_about(user: User, response: Response) -> bool:
    """Whether the response was given to this user's own staff record."""
    return user.is_staff(response.staff_id)


def handlers(leaders: list[User], staff_id: int | None) -> list[User]:
    """The leaders who may handle (be assigned, be e-mailed about) a case about a response
    given to this staff member (None: to nobody known)."""
    return [user for user in leaders if not user.is_staff(staff_id)]
