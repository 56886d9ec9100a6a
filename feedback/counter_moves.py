"""Moving a counter to another centre from an effective date.

A response is stored with the centre and unit of its counter at the time, so the responses
given before the effective date stay with the old centre in every report. When the move is
recorded after the fact (an effective date in the past), the responses given since that date
are moved to the new centre, their counts in the rollups with them. A date after today is
refused: a move is recorded on or after the day it happens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.db import db
from core.timeutil import local_midnight_utc
from feedback.dashboard.rollups import adjust_rollups
from feedback.models import Response
from surveys.models import Centre, Counter
from surveys.services import OrganisationError


@dataclass(frozen=True)
class Move:
    """What a move did."""

    old_centre: Centre
    new_centre: Centre
    responses_moved: int


def move_counter(counter: Counter, centre: Centre, effective_on: date, today: date,
                 scope: set[int] | None) -> Move:
    """Move `counter` to `centre` from the local day `effective_on`. Flushes.

    Refused (OrganisationError, nothing changed): the same centre, a centre outside the
    administrator's `scope`, a closed centre, a label the new centre already uses, or a date
    after `today`.
    """
    old = counter.centre
    if centre.id == old.id:
        raise OrganisationError(_l("The counter is already in this centre."))
    if scope is not None and centre.unit_id not in scope:
        raise OrganisationError(_l("Every unit must be one of yours."))
    if not centre.active:
        raise OrganisationError(_l("This centre is no longer in operation."))
    if effective_on > today:
        raise OrganisationError(_l("The date of the move cannot be after today."))
    if any(other.label == counter.label for other in centre.counters):
        raise OrganisationError(_l("The new centre already has a counter with this label."))
    counter.centre = centre
    db.session.flush()
    moved = 0
    since = local_midnight_utc(effective_on)
    for response in db.session.execute(select(Response).where(
            Response.counter_id == counter.id, Response.submitted_at >= since)).scalars():
        if response.centre_id == centre.id:
            continue
        if response.counted:
            adjust_rollups(response, -1)
        response.centre_id, response.unit_id = centre.id, centre.unit_id
        db.session.flush()
        if response.counted:
            adjust_rollups(response, +1)
        moved += 1
    return Move(old, centre, moved)
