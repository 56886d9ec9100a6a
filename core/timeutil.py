"""Local time for Vietnam: everything is stored in UTC and shown in Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
#: Earliest and latest day any period, date filter or delivered answer may name: arithmetic on
#: dates far outside them (year 1, year 9999) overflows, and no data can lie there.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)


def to_local(value: datetime) -> datetime:
    """Convert an aware datetime to Asia/Ho_Chi_Minh."""
    return value.astimezone(LOCAL_TZ)


def local_iso(value: datetime) -> str:
    """ISO 8601 text of an aware datetime in Asia/Ho_Chi_Minh (seconds precision, with offset)."""
    return to_local(value).isoformat(timespec="seconds")


def day_in_range(day: date) -> bool:
    """True when a date (or an aware datetime's UTC date) lies within EARLIEST_DAY..LATEST_DAY."""
    if isinstance(day, datetime):
        day = day.date()
    return EARLIEST_DAY <= day <= LATEST_DAY


def local_midnight_utc(day: date) -> datetime:
    """The UTC instant of local midnight at the start of `day`."""
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ).astimezone(UTC)


def local_today(now: datetime | None = None) -> date:
    """Today's date in Asia/Ho_Chi_Minh (of `now`, else of this moment)."""
    return to_local(now or datetime.now(UTC)).date()
