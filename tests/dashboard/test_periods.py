"""Reporting periods in local (Asia/Ho_Chi_Minh) days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.timeutil import local_today
from feedback.periods import PeriodError, PeriodKind, parse_period


@pytest.mark.parametrize(("text", "start", "end", "previous", "following"), [
    ("2026-11", date(2026, 11, 1), date(2026, 12, 1), "2026-10", "2026-12"),
    ("2026-01", date(2026, 1, 1), date(2026, 2, 1), "2025-12", "2026-02"),
    ("2026-Q1", date(2026, 1, 1), date(2026, 4, 1), "2025-Q4", "2026-Q2"),
    ("2026", date(2026, 1, 1), date(2027, 1, 1), "2025", "2027"),
    ("2026-W01", date(2025, 12, 29), date(2026, 1, 5), "2025-W52", "2026-W02"),
    ("2026-11-23", date(2026, 11, 23), date(2026, 11, 24), "2026-11-22", "2026-11-24"),
    ("2026-11-01..2026-11-15", date(2026, 11, 1), date(2026, 11, 16),
     "2026-10-17..2026-10-31", "2026-11-16..2026-11-30"),
])
def test_parse_step_and_print_periods(text, start, end, previous, following):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert period.key() == text
    assert period.previous().key() == previous
    assert period.following().key() == following


def test_local_days_start_at_17_utc_the_day_before():
    period = parse_period("2026-11-23")
    assert period.kind == PeriodKind.DAY
    assert period.utc_bounds() == (datetime(2026, 11, 22, 17, tzinfo=UTC),
                                   datetime(2026, 11, 23, 17, tzinfo=UTC))
    assert period.contains(datetime(2026, 11, 23, 16, 59, tzinfo=UTC))
    assert not period.contains(datetime(2026, 11, 22, 16, 59, tzinfo=UTC))
    assert local_today(datetime(2026, 11, 22, 18, 0, tzinfo=UTC)) == date(2026, 11, 23)


@pytest.mark.parametrize("text", ["", "2026-13", "2026-W60", "2026-Q5", "abc", "2026-02-30",
                                  "2026-11-15..2026-11-01", "2020-01-01..2026-01-01"])
def test_malformed_periods_are_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)
