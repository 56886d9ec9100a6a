"""Who may handle a case, and where nobody may.

Recusal (`recusal`) takes the leader a case is about off it. When he is the only leader whose
scope covers the unit (no other leader of the ward, none of the province), or when no leader
covers the unit at all, a case there reaches nobody. The case is still stored; these reads find
such gaps so that the administrators can close them (a leader account for the ward or the
province). They reveal no case content and no reference: administrators do not read cases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from accounts.auth import accounts_by_unit
from accounts.models import Role, User
from core.db import db
from feedback.cases import recusal
from feedback.cases.models import OPEN_STATUSES, Case
from feedback.cases.queries import case_in_scope
from feedback.cases.recusal import response_not_about
from feedback.models import Response
from surveys.models import Staff, Unit
from surveys.queries import on_duty_by_unit

#: The timeline's mail detail once the administrators were told that no leader may handle the
#: case (`notify.tell_admins_of_unhandled`).
ADMINS_TOLD = "no-handler"


def eligible_handlers(case: Case) -> list[User]:
    """The leaders who may handle the case: those whose scope covers its unit, but the one it
    is about."""
    return recusal.handlers(accounts_by_unit(Role.LEADER, [case.unit_id])[case.unit_id],
                            case.response.staff_id)


@dataclass(frozen=True)
class Unhandled:
    """An open case that no leader may handle now."""

    case_id: int
    unit_id: int
    #: The staff member the case is about (None: nobody known).
    staff_id: int | None


def unhandled_cases(scope: set[int] | None, viewer_staff_id: int | None = None,
                    leaders: dict[int, list[User]] | None = None) -> list[Unhandled]:
    """The open cases of the units in scope that no leader may handle, oldest first; those
    about the viewer's own staff record left out. `leaders`: the units' leaders, if known."""
    rows = db.session.execute(
        select(Case.id, Case.unit_id, Response.staff_id)
        .join(Response, Case.response_id == Response.id)
        .where(case_in_scope(scope), response_not_about(viewer_staff_id),
               Case.status.in_(OPEN_STATUSES))
        .order_by(Case.id)).all()
    if leaders is None:
        leaders = accounts_by_unit(Role.LEADER, {unit_id for _id, unit_id, _staff in rows})
    return [Unhandled(*row) for row in rows if not recusal.handlers(leaders[row[1]], row[2])]


def count_by_unit(unhandled: Iterable[Unhandled]) -> Counter[int]:
    """How many of the cases belong to each unit."""
    return Counter(item.unit_id for item in unhandled)


@dataclass(frozen=True)
class Gap:
    """A unit where a case would reach no leader."""

    unit: Unit
    #: The leaders covering it: all of them the person a case would be about (empty: none).
    leaders: list[User]
    #: Staff on duty at its counters about whom no leader could handle a case.
    uncovered: list[Staff]
    #: Its open cases that no leader may handle now.
    open_cases: int


def gaps(scope: set[int] | None, at: datetime, viewer_staff_id: int | None = None) -> list[Gap]:
    """The units in scope where a case about someone on duty at `at` would reach no leader, or
    where open cases already reach none (those about the viewer aside), by unit name."""
    on_duty = on_duty_by_unit(scope, at)
    open_unit_ids = db.session.execute(
        select(Case.unit_id).where(case_in_scope(scope), Case.status.in_(OPEN_STATUSES))
        .distinct()).scalars()
    leaders = accounts_by_unit(Role.LEADER, on_duty.keys() | set(open_unit_ids))
    open_counts = count_by_unit(unhandled_cases(scope, viewer_staff_id, leaders))
    found = []
    for unit_id, covering in leaders.items():
        uncovered = [staff for staff in on_duty.get(unit_id, ())
                     if not recusal.handlers(covering, staff.id)]
        if uncovered or open_counts[unit_id]:
            found.append(Gap(db.session.get(Unit, unit_id), covering, uncovered,
                             open_counts[unit_id]))
    return sorted(found, key=lambda gap: (gap.unit.name, gap.unit.id))
