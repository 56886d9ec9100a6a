"""Whether a flagged response is left out follows HR's latest decision."""

from __future__ import annotations

from datetime import UTC, datetime

from feedback.hr.exclusions import is_excluded
from feedback.hr.models import OverrideAction


def test_exclusion_follows_the_latest_override():
    t = [datetime(2026, 7, 1, h, tzinfo=UTC) for h in range(6)]
    assert is_excluded([t[0]], []) is True
    assert is_excluded([], []) is False
    assert is_excluded([t[0]], [(OverrideAction.RESTORE, t[1])]) is False
    # A flag raised after the restoration excludes again.
    assert is_excluded([t[0], t[2]], [(OverrideAction.RESTORE, t[1])]) is True
    assert is_excluded([t[0]], [(OverrideAction.RESTORE, t[1]),
                                (OverrideAction.EXCLUDE, t[3])]) is True
