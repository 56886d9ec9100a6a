"""The head of unit's grades for a period: recorded by a person, append-only, newest applies.

A set of grades is checked against the cap of the profile in force ("Hoàn thành xuất sắc nhiệm
vụ" at most a share of the staff graded "Hoàn thành tốt nhiệm vụ", or of all staff graded)
before anything is stored; a set that breaks it is refused as a whole, with the numbers.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from accounts.models import User
from core.db import db
from feedback.hr.grades import Grade
from feedback.hr.models import GradeDecision
from feedback.hr.profiles import CapBreach, ProfileVersion
from feedback.periods import Period
from surveys.models import Unit


class DecisionError(ValueError):
    """A set of grades that cannot be recorded."""


class SelfGrade(DecisionError):
    """The head of unit chose a grade for their own staff record."""


class CapExceeded(DecisionError):
    """The set gives more "excellent" grades than the profile's cap allows."""

    def __init__(self, breach: CapBreach) -> None:
        super().__init__(f"{breach.excellent} excellent, at most {breach.limit}")
        self.breach = breach


def latest(staff_ids: list[int], period: Period) -> dict[int, GradeDecision]:
    """The decision that applies to each staff member for the period (the newest)."""
    found: dict[int, GradeDecision] = {}
    for decision in db.session.execute(
        select(GradeDecision).where(GradeDecision.staff_id.in_(staff_ids),
                                    GradeDecision.period_key == period.key())
        .order_by(GradeDecision.decided_at, GradeDecision.id)
    ).scalars():
        found[decision.staff_id] = decision
    return found


def record(unit_id: int, period: Period, version: ProfileVersion | None, profile_key: str,
           grades: Mapping[int, Grade], sub_scores: Mapping[int, float | None],
           staff_ids: list[int], by: User, note: str = "") -> list[GradeDecision]:
    """Record `grades` (staff id → grade) for the period; staff left out keep their decision.

    The cap is checked on the set that would apply afterwards (earlier decisions of the other
    staff of `staff_ids` included), with the unit's row locked first: two leaders recording at
    once take turns, so that the second's check sees the first's grades. Adds and flushes; the
    caller commits."""
    if not grades:
        raise DecisionError("no grade chosen")
    if set(grades) - set(staff_ids):
        raise DecisionError("a graded staff member is not in this report")
    if any(by.is_staff(staff_id) for staff_id in grades):
        raise SelfGrade("nobody grades themselves: the level above does")
    if version is None:
        raise DecisionError("no evaluation profile is in force for this period")
    db.session.execute(select(Unit.id).where(Unit.id == unit_id).with_for_update())
    applying = {staff_id: d.grade for staff_id, d in latest(staff_ids, period).items()}
    applying.update(grades)
    breach = version.cap.check(applying.values())
    if breach is not None:
        raise CapExceeded(breach)
    added = [GradeDecision(staff_id=staff_id, unit_id=unit_id, period_key=period.key(),
                           grade=grade, profile_key=profile_key,
                           sub_score=sub_scores.get(staff_id), note=note, decided_by_id=by.id)
             for staff_id, grade in grades.items()]
    db.session.add_all(added)
    db.session.flush()
    return added
