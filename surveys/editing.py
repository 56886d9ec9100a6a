"""Changing the organisation after it was set up: deactivating and reactivating centres,
counters and staff, and recording mergers of units. They flush; the caller commits once.

Nothing is ever deleted: a deactivated centre or counter keeps its responses and stops taking
new ones; a deactivated staff member keeps their history and leaves the counter they served.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.db import db
from surveys.models import COMMUNE_LEVEL, Assignment, Centre, Counter, Staff, Unit
from surveys.queries import unit_lineage_ids
from surveys.services import OrganisationError, merge_units


def end_open_assignments(at: datetime, *, staff_id: int | None = None,
                         counter_ids: Sequence[int] = ()) -> int:
    """End, at `at`, the open assignments of a staff member or of some counters."""
    query = select(Assignment).where(Assignment.ends_at.is_(None))
    if staff_id is not None:
        query = query.where(Assignment.staff_id == staff_id)
    else:
        query = query.where(Assignment.counter_id.in_(list(counter_ids)))
    ended = 0
    for assignment in db.session.execute(query).scalars():
        assignment.ends_at = max(at, assignment.starts_at)
        ended += 1
    db.session.flush()
    return ended


def set_active(thing: Centre | Counter | Staff, active: bool, now: datetime) -> None:
    """Deactivate or reactivate a centre, counter or staff member.

    Deactivating ends who is on duty there (or where the person is on duty) from now; their
    past assignments and every response stay. Reactivating seats nobody.
    """
    if thing.active == active:
        return
    thing.active = active
    if not active:
        if isinstance(thing, Staff):
            end_open_assignments(now, staff_id=thing.id)
        elif isinstance(thing, Counter):
            end_open_assignments(now, counter_ids=[thing.id])
        else:
            end_open_assignments(now, counter_ids=[c.id for c in thing.counters])
    db.session.flush()


def record_merger(old_units: Sequence[Unit], successor: Unit, first_day: date,
                  scope: set[int] | None) -> None:
    """Record that `old_units` were merged into `successor` from `first_day` (their last day is
    the day before). Reports on the successor then include the old units' history.

    Refused (OrganisationError, nothing stored): no old unit, a unit outside the
    administrator's `scope` (None: the whole country), a province, a unit already merged,
    the successor itself or a unit that was merged into one of the old units (a loop), or a
    first day before a unit's own start.
    """
    if not old_units:
        raise OrganisationError(_l("Choose at least one old unit."))
    units = [*old_units, successor]
    if scope is not None and any(unit.id not in scope for unit in units):
        raise OrganisationError(_l("Every unit must be one of yours."))
    if any(unit.kind not in COMMUNE_LEVEL for unit in units):
        raise OrganisationError(_l("Only wards, communes and special zones can be merged here."))
    if successor.valid_to is not None:
        raise OrganisationError(_l("The new unit was itself merged into another one."))
    ancestors_of_successor = unit_lineage_ids(successor.id)
    for unit in old_units:
        if unit.valid_to is not None:
            raise OrganisationError(_l("One of the old units was already merged."))
        if unit.id == successor.id or unit.id in ancestors_of_successor:
            raise OrganisationError(_l("A unit cannot be merged into itself."))
        if unit.valid_from is not None and first_day <= unit.valid_from:
            raise OrganisationError(_l("The merger date is before one of the old units existed."))
    merge_units(old_units, successor, first_day - timedelta(days=1))
