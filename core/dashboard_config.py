"""Settings of the dashboards and public boards (feedback/dashboard), from environment variables.

Numbers are read when the app is created (never at import).
"""

from __future__ import annotations

import os
from typing import Any

DEFAULTS: dict[str, Any] = {
    #: Answers a scope needs in a period before an index is shown or ranked.
    "MIN_RESPONSES_FOR_INDEX": 30,
    #: Answers a weekday × hour cell of the heatmap needs before its share is drawn.
    "MIN_RESPONSES_PER_CELL": 10,
    #: How often a centre's public board reloads itself.
    "BOARD_REFRESH_SECONDS": 60,
}


def from_environment() -> dict[str, Any]:
    """The settings given as environment variables (absent ones keep their defaults)."""
    found: dict[str, Any] = {}
    for name in DEFAULTS:
        raw = (os.environ.get(name) or "").strip()
        if raw:
            if not raw.isdigit():
                raise ValueError(f"{name} must be a whole number ≥ 0, not {raw!r}")
            found[name] = int(raw)
    return found
