"""Due dates in working days: Saturdays, Sundays and the configured public holidays are skipped."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.timeutil import to_local
from feedback.cases.models import CasePriority


@dataclass(frozen=True)
class SlaPolicy:
    """How many working days a case gets, by priority, and which days are holidays."""

    working_days: int
    urgent_working_days: int
    holidays: frozenset[date]

    @classmethod
    def from_config(cls, config) -> SlaPolicy:
        """The policy configured for the app (CASE_SLA_* and CASE_HOLIDAYS)."""
        return cls(config["CASE_SLA_WORKING_DAYS"], config["CASE_SLA_URGENT_WORKING_DAYS"],
                   frozenset(_dates(config["CASE_HOLIDAYS"])))

    def days_for(self, priority: CasePriority) -> int:
        """Working days allowed for a case of this priority."""
        return self.urgent_working_days if priority == CasePriority.URGENT else self.working_days

    def due_on(self, opened_at: datetime, priority: CasePriority) -> date:
        """The last local day to resolve a case opened at `opened_at`."""
        return add_working_days(to_local(opened_at).date(), self.days_for(priority),
                                self.holidays)


def _dates(values: Iterable[str | date]) -> Iterable[date]:
    for value in values:
        yield value if isinstance(value, date) else date.fromisoformat(value)


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    """Monday to Friday and not a holiday."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: frozenset[date]) -> date:
    """The `days`-th working day after `start` (the day of opening does not count).

    Zero days means the same day if it is a working day, else the next working day.
    """
    day = start
    if days <= 0:
        while not is_working_day(day, holidays):
            day += timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return day


def is_late(due_on: date, ended_on: date | None, today: date) -> bool | None:
    """Whether a case was late: ended (local date) after its due date, or still open past it;
    None while it is open and not yet due."""
    if ended_on is not None:
        return ended_on > due_on
    return True if due_on < today else None
