"""Reporting periods in Vietnam's local calendar: parse, step back, and convert to UTC bounds.

Text forms (also used in dashboard URLs): ``2026-11-23`` (day), ``2026-W05`` (ISO week),
``2026-11`` (month), ``2026-Q3`` (quarter), ``2026`` (year) and ``2026-11-01..2026-11-15``
(custom range, both days included). A period is a half-open range of local days
[start, end); Asia/Ho_Chi_Minh has had no daylight saving time since 1975, so local midnight is
always 17:00 UTC of the previous day.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext

from core.timeutil import (
    EARLIEST_DAY,
    LATEST_DAY,
    day_in_range,
    local_midnight_utc,
    local_today,
)

#: Longest custom range accepted (a little over two years).
MAX_CUSTOM_DAYS = 800


class PeriodKind(enum.StrEnum):
    """How a period was chosen; the previous period of a month is the month before, etc."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"


class PeriodError(ValueError):
    """The text is not a period this module understands."""


@dataclass(frozen=True)
class Period:
    """Local days [start, end) of a given kind."""

    kind: PeriodKind
    start: date
    end: date

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days

    def key(self) -> str:
        """The text form, which `parse_period` reads back."""
        if self.kind == PeriodKind.DAY:
            return self.start.isoformat()
        if self.kind == PeriodKind.WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()}..{(self.end - timedelta(days=1)).isoformat()}"

    def previous(self) -> Period:
        """The period of the same kind just before this one (same length for custom ranges)."""
        if self.kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR):
            months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[self.kind]
            start = add_months(self.start, -months)
            return Period(self.kind, start, self.start)
        return Period(self.kind, self.start - timedelta(days=self.days), self.start)

    def following(self) -> Period:
        """The period of the same kind just after this one (same length for custom ranges)."""
        if self.kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR):
            months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[self.kind]
            return Period(self.kind, self.end, add_months(self.end, months))
        return Period(self.kind, self.end, self.end + timedelta(days=self.days))

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The period as aware UTC datetimes [start, end)."""
        return local_midnight_utc(self.start), local_midnight_utc(self.end)

    def contains(self, moment: datetime) -> bool:
        """True when an aware datetime falls inside the period."""
        start, end = self.utc_bounds()
        return start <= moment < end


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_start(day: date) -> date:
    """The first day of the month of `day`."""
    return day.replace(day=1)


def containing(kind: PeriodKind, day: date) -> Period:
    """The period of a kind that contains a local day (a custom kind gives that single day)."""
    if kind == PeriodKind.WEEK:
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=7))
    if kind == PeriodKind.MONTH:
        start = month_start(day)
        return Period(kind, start, add_months(start, 1))
    if kind == PeriodKind.QUARTER:
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(kind, start, add_months(start, 3))
    if kind == PeriodKind.YEAR:
        return Period(kind, date(day.year, 1, 1), date(day.year + 1, 1, 1))
    return Period(PeriodKind.DAY, day, day + timedelta(days=1))


_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_YEAR = re.compile(r"([0-9]{4})")


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise PeriodError(gettext("'%(text)s' is not a date: write YYYY-MM-DD",
                                  text=text)) from error
    if not day_in_range(day):
        raise _out_of_range(text)
    return day


def _out_of_range(text: str) -> PeriodError:
    return PeriodError(gettext("'%(text)s' is outside the years reported on (%(first)d–%(last)d)",
                               text=text, first=EARLIEST_DAY.year, last=LATEST_DAY.year))


def last_full_month(today: date | None = None) -> Period:
    """The dashboard's default period: the last month that is over (a few days into a month,
    the current one has too few responses to rank anyone); `today` local, default now. Also
    the latest period a staff member's own numbers are shown for
    (`feedback.dashboard.subject`)."""
    return containing(PeriodKind.MONTH, today or local_today()).previous()


def parse_period(text: str) -> Period:
    """Read a period from its text form; raise PeriodError for anything else, and for periods
    outside the years reported on (core.timeutil.EARLIEST_DAY..LATEST_DAY)."""
    period = _parse(text)
    if not (day_in_range(period.start) and day_in_range(period.end - timedelta(days=1))):
        raise _out_of_range(text)
    return period


def _year(text: str) -> int:
    year = int(text)
    if not EARLIEST_DAY.year <= year <= LATEST_DAY.year:
        raise _out_of_range(text)
    return year


def _parse(text: str) -> Period:
    text = (text or "").strip()
    if ".." in text:
        first, _, last = text.partition("..")
        start, end = _day(first), _day(last) + timedelta(days=1)
        if end <= start or (end - start).days > MAX_CUSTOM_DAYS:
            raise PeriodError(gettext("'%(text)s' is not a range of at most %(days)d days with "
                                      "its first day first", text=text, days=MAX_CUSTOM_DAYS))
        return Period(PeriodKind.CUSTOM, start, end)
    if match := _WEEK.fullmatch(text):
        try:
            monday = date.fromisocalendar(_year(match[1]), int(match[2]), 1)
        except ValueError as error:
            raise PeriodError(gettext("'%(text)s': that year has no such week",
                                      text=text)) from error
        return containing(PeriodKind.WEEK, monday)
    if match := _QUARTER.fullmatch(text):
        return containing(PeriodKind.QUARTER, date(_year(match[1]), int(match[2]) * 3 - 2, 1))
    if match := _MONTH.fullmatch(text):
        if not 1 <= int(match[2]) <= 12:
            raise PeriodError(gettext("'%(text)s': there is no such month", text=text))
        return containing(PeriodKind.MONTH, date(_year(match[1]), int(match[2]), 1))
    if match := _YEAR.fullmatch(text):
        return containing(PeriodKind.YEAR, date(_year(match[1]), 1, 1))
    if len(text) == 10:
        return containing(PeriodKind.DAY, _day(text))
    raise PeriodError(gettext("'%(text)s' is not a period: write YYYY-MM (a month), YYYY-Qn (a "
                              "quarter), YYYY (a year), YYYY-Www (a week), YYYY-MM-DD (a day) or "
                              "YYYY-MM-DD..YYYY-MM-DD (from one day to another)", text=text))


def month_starts(start: date, end: date) -> list[date]:
    """First days of the months that overlap local days [start, end)."""
    found, current = [], month_start(start)
    while current < end:
        found.append(current)
        current = add_months(current, 1)
    return found
