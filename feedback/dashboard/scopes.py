"""Turning dashboard filters (from the URL) into a `Scope`, within what a user may see.

Business rules only: the caller passes the user's allowed units (None: every unit) and gets a
`ScopeError` for anything outside them, which the view turns into 404 (never revealing that a
unit, centre, counter or staff member exists elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.db import db
from feedback.dashboard.queries import Scope
from surveys.models import Centre, Counter, ProcedureArea, Staff, Unit
from surveys.queries import unit_tree_ids


class ScopeError(LookupError):
    """A filter names something unknown or outside the user's units."""


def staff_choices(unit_ids: set[int] | None, limit: int) -> list[tuple[str, str]]:
    """(code, name) of the active staff of the units, or nothing when there are over `limit`."""
    query = select(Staff.code, Staff.full_name).where(Staff.active.is_(True))
    if unit_ids is not None:
        query = query.where(Staff.unit_id.in_(sorted(unit_ids)))
    rows = db.session.execute(query.order_by(Staff.full_name).limit(limit + 1)).all()
    return [] if len(rows) > limit else [(code, name) for code, name in rows]


@dataclass(frozen=True)
class Filters:
    """What the URL asks for; every field optional."""

    unit: str | None = None
    centre: int | None = None
    counter: int | None = None
    staff: str | None = None
    area: str | None = None


@dataclass(frozen=True)
class Resolved:
    """The scope and the objects it was built from (for titles and labels)."""

    scope: Scope
    unit: Unit | None
    centre: Centre | None
    counter: Counter | None
    staff: Staff | None
    area: ProcedureArea | None


def _allowed(unit_id: int, allowed: frozenset[int] | None) -> bool:
    return allowed is None or unit_id in allowed


def resolve(filters: Filters, allowed: frozenset[int] | None,
            default_unit_id: int | None) -> Resolved:
    """The scope for the filters, limited to the allowed units (None: all).

    Without a unit filter the user's own unit (`default_unit_id`) is used.
    """
    unit = None
    if filters.unit:
        unit = db.session.execute(select(Unit).where(Unit.code == filters.unit)) \
            .scalar_one_or_none()
        if unit is None or not _allowed(unit.id, allowed):
            raise ScopeError(filters.unit)
    elif default_unit_id is not None:
        unit = db.session.get(Unit, default_unit_id)
    unit_ids = unit_tree_ids(unit.id) if unit is not None else None
    if allowed is not None:
        unit_ids = (unit_ids or allowed) & allowed
    centre = counter = staff = area = None
    if filters.centre is not None:
        centre = db.session.get(Centre, filters.centre)
        if centre is None or not _allowed(centre.unit_id, allowed):
            raise ScopeError(filters.centre)
    if filters.counter is not None:
        counter = db.session.get(Counter, filters.counter)
        if counter is None or not _allowed(counter.centre.unit_id, allowed):
            raise ScopeError(filters.counter)
    if filters.staff:
        staff = db.session.execute(select(Staff).where(Staff.code == filters.staff)) \
            .scalar_one_or_none()
        if staff is None or not _allowed(staff.unit_id, allowed):
            raise ScopeError(filters.staff)
    if filters.area:
        area = db.session.execute(
            select(ProcedureArea).where(ProcedureArea.code == filters.area)).scalar_one_or_none()
        if area is None:
            raise ScopeError(filters.area)
    scope = Scope(unit_ids=unit_ids, centre_id=centre.id if centre else None,
                  counter_id=counter.id if counter else None,
                  staff_id=staff.id if staff else None, area_id=area.id if area else None)
    return Resolved(scope, unit, centre, counter, staff, area)
