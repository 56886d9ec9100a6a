"""Settings of the channels: the QR form, kiosks and queue tickets (core.settings collects them)."""

from __future__ import annotations

from core.settings import positive

SETTINGS = (
    positive("SUBMISSION_MAX_AGE_SECONDS", 6 * 3600, "how long an opened form may be sent"),
    positive("VISIT_TOKEN_TTL_HOURS", 48,
             "how long a one-time survey link printed on a queue ticket stays usable"),
    positive("KIOSK_MAX_OFFLINE_HOURS", 72,
             "oldest answer a kiosk may deliver after being offline"),
    positive("KIOSK_CLOCK_SKEW_SECONDS", 300,
             "how far in the future (after clock correction) a kiosk answer's time may be"),
    positive("KIOSK_ENROL_TTL_MINUTES", 60, "how long a kiosk enrolment code stays usable"),
    positive("KIOSK_RESET_SECONDS", 5,
             "seconds the kiosk shows its thank-you screen before going back to the faces"),
    positive("KIOSK_MAX_ANSWERS_PER_MINUTE", 6,
             "answers one kiosk may have given within any minute (a person needs several "
             "seconds to tap a face and read the thank-you screen); more are refused"),
    positive("KIOSK_CONTACT_MARGIN_SECONDS", 120,
             "how long before the kiosk's previous contact with the server an answer may have "
             "been given (a batch in flight); older answers are refused"),
)
