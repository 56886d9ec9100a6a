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
    #: Answers one kiosk may have given within any minute (a person needs several seconds to
    #: tap a face and read the thank-you screen); more are refused.
    "KIOSK_MAX_ANSWERS_PER_MINUTE": 6,
    #: How long before the kiosk's previous contact with the server an answer may have been
    #: given (a batch in flight while the next answer was given); older answers are refused.
    "KIOSK_CONTACT_MARGIN_SECONDS": 120,
}


def from_environment() -> dict[str, Any]:
    """The settings given as environment variables (positive integers), others left out."""
    found: dict[str, Any] = {}
    for name in DEFAULTS:
        raw = os.environ.get(name)
        if raw is not None and raw.strip().isdigit() and int(raw) > 0:
            found[name] = int(raw)
    return found
