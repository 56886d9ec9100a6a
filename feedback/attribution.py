"""Who a response is attributed to: decided once, when it is stored, and rewritten only when an
assignment is corrected.

The QR form signs the staff member it showed into its ticket, so the response is theirs even
if the counter is reassigned while the citizen fills it in, and forms collected during one
person's shift cannot be posted onto another's. Channels without a shown name (kiosk answers,
queue-ticket links) take the staff member on duty at the answer's time. HR, the dashboards and
the staff member's own page all read the stored value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from core.dates import when_text
from core.db import db
from feedback.dashboard.rollups import adjust_rollups
from feedback.models import Response
from surveys.models import Assignment, Counter, Staff
from surveys.queries import staff_on_duty
from surveys.services import assign_staff, overlapping_assignments


@dataclass(frozen=True)
class Shown:
    """The staff member the form showed the citizen (None: it showed nobody)."""

    staff_id: int | None


def attributed_staff(counter_id: int, at: datetime, shown: Shown | None = None) -> int | None:
    """The staff member a response given at `at` belongs to: the one shown on the form when
    the channel showed one, else the one on duty at the counter then."""
    if shown is not None:
        return shown.staff_id
    staff = staff_on_duty(counter_id, at)
    return staff.id if staff else None


def reattribute(counter_id: int, start: datetime, end: datetime | None,
                unattributed_only: bool = False) -> int:
    """After an assignment of the counter was corrected: give every response of the counter in
    [start, end) (with `unattributed_only`, those that count for nobody) to the staff member on
    duty by the corrected history, moving its counts in the rollups with it. Returns how many
    responses changed hands. Flushes."""
    filters = [Response.counter_id == counter_id, Response.submitted_at >= start]
    if end is not None:
        filters.append(Response.submitted_at < end)
    if unattributed_only:
        filters.append(Response.staff_id.is_(None))
    moved = 0
    for response in db.session.execute(select(Response).where(*filters)).scalars():
        staff_id = attributed_staff(counter_id, response.submitted_at)
        if staff_id == response.staff_id:
            continue
        if response.counted:
            adjust_rollups(response, -1)
        response.staff_id = staff_id
        db.session.flush()
        if response.counted:
            adjust_rollups(response, +1)
        moved += 1
    return moved


def correct_assignment(assignment: Assignment, starts_at: datetime,
                       ends_at: datetime | None) -> int:
    """Correct when an assignment began and ended and re-attribute the responses whose time
    the correction moved in or out of it (responses inside both spans stay as they are, so a
    form that showed one person stays theirs). Returns how many responses moved. Flushes."""
    if ends_at is not None and ends_at <= starts_at:
        raise ValueError(gettext("An assignment must end after it starts."))
    clashes = overlapping_assignments(assignment.counter_id, assignment.staff_id, starts_at,
                                      ends_at, except_id=assignment.id)
    if clashes:
        clash = clashes[0]
        raise ValueError(gettext(
            "The corrected times overlap assignment %(id)s (%(name)s at %(counter)s, from "
            "%(starts)s to %(ends)s): correct that assignment first. Nothing was changed.",
            id=clash.id, name=clash.staff.full_name, counter=clash.counter.label,
            starts=when_text(clash.starts_at),
            ends=when_text(clash.ends_at) if clash.ends_at else gettext("no end yet")))
    old_start, old_end = assignment.starts_at, assignment.ends_at
    assignment.starts_at, assignment.ends_at = starts_at, ends_at
    db.session.flush()
    moved = 0
    if old_start != starts_at:
        moved += reattribute(assignment.counter_id, min(old_start, starts_at),
                              max(old_start, starts_at))
    if old_end != ends_at:
        earlier = min(end for end in (old_end, ends_at) if end is not None)
        later = None if None in (old_end, ends_at) else max(old_end, ends_at)
        moved += reattribute(assignment.counter_id, earlier, later)
    return moved


def assign_retroactively(staff: Staff, counter: Counter, starts_at: datetime,
                         ends_at: datetime | None = None) -> int:
    """Record (late) that a staff member sat at a counter from `starts_at`, and give them the
    counter's responses of that span that count for nobody; returns how many responses changed
    hands. Flushes.

    A roster upload calls it so: an administrator's file never takes a response from the staff
    member it counts for (a form that showed their name, or their recorded seat). Moving those
    is a correction of the seat's times (`correct_assignment`, `flask assignments correct`),
    with its own entry in the administration log."""
    assign_staff(staff, counter, starts_at, ends_at)
    return reattribute(counter.id, starts_at, ends_at, unattributed_only=True)
