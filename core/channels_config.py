"""Settings of the kiosk and queue-ticket channels, from environment variables."""

from __future__ import annotations

import os
from typing import Any

DEFAULTS: dict[str, Any] = {
    #: How long a one-time survey link printed on a queue ticket stays usable.
    "VISIT_TOKEN_TTL_HOURS": 48,
    #: Oldest answer a kiosk may deliver after being offline.
    "KIOSK_MAX_OFFLINE_HOURS": 72,
    #: How far in the future (after clock correction) a kiosk answer's time may be.
    "KIOSK_CLOCK_SKEW_SECONDS": 300,
    #: How long a kiosk enrolment code stays usable.
    "KIOSK_ENROL_TTL_MINUTES": 60,
    #: Seconds the kiosk shows its thank-you screen before going back to the faces.
    "KIOSK_RESET_SECONDS": 5,
}


def from_environment() -> dict[str, Any]:
    """The settings given as environment variables (positive integers), others left out."""
    found: dict[str, Any] = {}
    for name in DEFAULTS:
        raw = os.environ.get(name)
        if raw is not None and raw.strip().isdigit() and int(raw) > 0:
            found[name] = int(raw)
    return found
