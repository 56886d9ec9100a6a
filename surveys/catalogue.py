"""Each app process's copy of what a counter's form shows and checks (its token, counter,
centre, procedure areas, survey version with its questions, who is on duty), out of date the
moment the organisation or the surveys change.

Every flush that adds, changes or deletes a row the form reads (and every bulk UPDATE or DELETE
of those tables through the session) raises the one `catalogue_version` row in the same
transaction (`surveys.models.CATALOGUE_MODELS`). A request reads that number (one read of one
row) before it uses the copy, and the process drops its copies when the number moved: a revoked
token, a closed counter or centre, a new survey version or a new assignment take effect with
the next request, in every process.
The copies are detached ORM objects with everything the form reads already loaded, shared
read-only by the process's threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import or_, select

from core.db import db, now_utc
from surveys.models import (
    Assignment,
    CatalogueVersion,
    Centre,
    Counter,
    CounterToken,
    ProcedureArea,
    Staff,
    Survey,
)
from surveys.queries import active_survey, find_counter_token, procedure_areas_for

#: Copies kept per process at most (then all are dropped and read again).
MAX_COPIES = 5000
_EXTENSION = "hailong.catalogue"


@dataclass(frozen=True)
class CounterForm:
    """What the form of one QR token needs, read once per catalogue version."""

    token: CounterToken
    counter: Counter
    centre: Centre
    #: The survey version the counter asks (None: no survey applies).
    survey: Survey | None
    areas: tuple[ProcedureArea, ...]
    #: The counter's assignments not ended before the copy was read: (starts, ends, staff).
    assignments: tuple[tuple[datetime, datetime | None, Staff], ...]
    #: What the views derive from this copy and keep with it (e.g. rendered pages), dropped
    #: with the copy.
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def staff_on_duty(self, at: datetime) -> Staff | None:
        """The staff member whose assignment covers `at` (the latest begun), if any."""
        on_duty = [(starts, staff) for starts, ends, staff in self.assignments
                   if starts <= at and (ends is None or ends > at)]
        return max(on_duty, key=lambda pair: pair[0])[1] if on_duty else None


def current_version() -> int:
    """The catalogue version now (0 before the first change)."""
    return db.session.execute(select(CatalogueVersion.version)).scalar() or 0


class _Copies:
    """One process's copies, with the version they were read at."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.forms: dict[str, CounterForm] = {}
        self.lock = threading.Lock()


def counter_form(token: str) -> CounterForm | None:
    """The form of a scanned QR token (current or revoked), or None if unknown."""
    copies = current_app.extensions.setdefault(_EXTENSION, _Copies())
    version = current_version()
    with copies.lock:
        if copies.version != version or len(copies.forms) >= MAX_COPIES:
            copies.forms, copies.version = {}, version
        found = copies.forms.get(token)
    if found is None:
        found = _read(token)
        if found is not None:
            with copies.lock:
                if copies.version == version:
                    copies.forms[token] = found
    return found


def _read(token: str) -> CounterForm | None:
    """Read a token's form from the database and detach it from the session."""
    row = find_counter_token(token)
    if row is None:
        return None
    counter = row.counter
    centre = counter.centre
    survey = active_survey(centre.unit_id)
    questions = list(survey.questions) if survey is not None else []
    areas = tuple(procedure_areas_for(counter))
    assignments = tuple(db.session.execute(
        select(Assignment.starts_at, Assignment.ends_at, Staff)
        .join(Staff, Staff.id == Assignment.staff_id)
        .where(Assignment.counter_id == counter.id,
               or_(Assignment.ends_at.is_(None), Assignment.ends_at > now_utc()))).all())
    for obj in (row, counter, centre, survey, *questions, *areas,
                *(staff for _starts, _ends, staff in assignments)):
        if obj is not None and obj in db.session:
            db.session.expunge(obj)
    return CounterForm(row, counter, centre, survey, areas, assignments)
