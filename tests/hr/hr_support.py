"""Helpers shared by the HR tests: local times, time slots, sign-in constants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from core.timeutil import LOCAL_TZ
from tests.support import CSRF, PASSWORD, csrf_of

__all__ = ["CSRF", "PASSWORD", "csrf_of"]
SINCE = datetime(2026, 6, 1, tzinfo=UTC)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A local (Asia/Ho_Chi_Minh) wall-clock time as aware UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ).astimezone(UTC)


def weekday_slots(start: date, count: int, per_day: int = 10):
    """`count` distinct weekday times from `start`, 08:00 onwards, 30 minutes apart."""
    day, made = start, 0
    while made < count:
        if day.weekday() < 5:
            for k in range(min(per_day, count - made)):
                yield local(day, 8, 0) + timedelta(minutes=30 * k)
                made += 1
        day += timedelta(days=1)

