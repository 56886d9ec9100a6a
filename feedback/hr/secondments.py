"""Seconded staff: the agency a staff member belongs to when it is not the centre's unit, so
that their report can be addressed to it. Append-only; the newest record applies."""

from __future__ import annotations

from sqlalchemy import select

from core.db import db
from feedback.hr.models import Secondment
from surveys.models import Staff


def second(staff: Staff, home_agency: str) -> Secondment:
    """Record that `staff` belongs to `home_agency` from now on ("" ends the secondment).
    Adds and flushes; the caller commits."""
    row = Secondment(staff_id=staff.id, home_agency=home_agency.strip())
    db.session.add(row)
    db.session.flush()
    return row


def home_agencies(staff_ids: list[int]) -> dict[int, str]:
    """The home agency of each seconded staff member (those not seconded are left out)."""
    found: dict[int, str] = {}
    for row in db.session.execute(
        select(Secondment).where(Secondment.staff_id.in_(staff_ids))
        .order_by(Secondment.recorded_at, Secondment.id)
    ).scalars():
        found[row.staff_id] = row.home_agency
    return {staff_id: agency for staff_id, agency in found.items() if agency}
