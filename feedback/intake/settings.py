"""Settings of the channels: the QR form, kiosks and queue tickets (core.settings collects them)."""

from __future__ import annotations

from core.settings import Setting, integer

_POSITIVE = integer(1)

SETTINGS = (
    Setting("SUBMISSION_MAX_AGE_SECONDS", 6 * 3600, _POSITIVE,
            "how long an opened form may be sent"),
    Setting("VISIT_TOKEN_TTL_HOURS", 48, _POSITIVE,
            "how long a one-time survey link printed on a queue ticket stays usable"),
    Setting("KIOSK_MAX_OFFLINE_HOURS", 72, _POSITIVE,
            "oldest answer a kiosk may deliver after being offline"),
    Setting("KIOSK_CLOCK_SKEW_SECONDS", 300, _POSITIVE,
            "how far in the future (after clock correction) a kiosk answer's time may be"),
    Setting("KIOSK_ENROL_TTL_MINUTES", 60, _POSITIVE,
            "how long a kiosk enrolment code stays usable"),
    Setting("KIOSK_RESET_SECONDS", 5, _POSITIVE,
            "seconds the kiosk shows its thank-you screen before going back to the faces"),
    Setting("KIOSK_MAX_ANSWERS_PER_MINUTE", 6, _POSITIVE,
            "answers one kiosk may have given within any minute (a person needs several "
            "seconds to tap a face and read the thank-you screen); more are refused"),
    Setting("KIOSK_CONTACT_MARGIN_SECONDS", 120, _POSITIVE,
            "how long before the kiosk's previous contact with the server an answer may have "
            "been given (a batch in flight); older answers are refused"),
)
