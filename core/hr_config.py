"""Settings of the HR staff evaluation (feedback/hr), from environment variables.

Numbers are read when the app is created (never at import). The evaluation profiles and the
integrity rules (thresholds, opening hours) are files named by a path (or a shipped profile's
key), read when a report is built.
"""

from __future__ import annotations

import os
from typing import Any

DEFAULTS: dict[str, Any] = {
    #: Counted responses a staff member needs in a period before a score and sub-score are given.
    "HR_MIN_RESPONSES": 30,
    #: Weight of the unit's mean in the shrunken score, as a number of pseudo-responses.
    "HR_PRIOR_WEIGHT": 20,
    #: Responses within this many days of a staff member's first day at a counter are marked.
    "HR_NEW_COUNTER_DAYS": 7,
    #: Evaluation profile of every unit: a shipped key (feedback/hr/profiles/) or a file path.
    "HR_PROFILE": "nd335",
    #: Units with another profile: "CODE=profile;CODE=profile".
    "HR_PROFILE_BY_UNIT": None,
    #: JSON or TOML file of integrity thresholds and opening hours (None: shipped defaults).
    "HR_INTEGRITY_RULES": None,
}

_NUMBERS = ("HR_MIN_RESPONSES", "HR_PRIOR_WEIGHT", "HR_NEW_COUNTER_DAYS")
_PATHS = ("HR_PROFILE", "HR_PROFILE_BY_UNIT", "HR_INTEGRITY_RULES")


def from_environment() -> dict[str, Any]:
    """The settings given as environment variables (absent ones keep their defaults)."""
    found: dict[str, Any] = {}
    for name in _NUMBERS:
        raw = (os.environ.get(name) or "").strip()
        if raw:
            if not raw.isdigit():
                raise ValueError(f"{name} must be a whole number ≥ 0, not {raw!r}")
            found[name] = int(raw)
    for name in _PATHS:
        if os.environ.get(name):
            found[name] = os.environ[name]
    return found
