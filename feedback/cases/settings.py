"""Settings of the case workflow, alerts and e-mail (core.settings collects them).

CASE_HOLIDAYS below is an EXAMPLE to maintain: Vietnam's public holidays 2025-2027 (days off for
civil servants, including Tết, observed and swapped days) as published in python-holidays 0.108
(Vietnam), which follows the Government's annual notices. Dates the Government has not announced
yet (e.g. the 2027 swaps) may change: replace the list through CASE_HOLIDAYS when they do.
"""

from __future__ import annotations

from core.settings import Setting, boolean, fraction, iso_dates, positive, text

VIETNAM_HOLIDAYS_2025_2027 = (
    # 2025
    "2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
    "2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02",
    # 2026
    "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
    "2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02",
    "2026-11-24",
    # 2027
    "2027-01-01", "2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10",
    "2027-04-16", "2027-04-30", "2027-05-03", "2027-09-02", "2027-09-03", "2027-11-24",
)

SETTINGS = (
    positive("CASE_SLA_WORKING_DAYS", 5, "working days to resolve a case"),
    positive("CASE_SLA_URGENT_WORKING_DAYS", 1,
             "working days to resolve an urgent case (integrity alert)"),
    Setting("CASE_HOLIDAYS", VIETNAM_HOLIDAYS_2025_2027, iso_dates,
            "ISO dates that are not working days (besides Saturdays and Sundays)"),
    positive("CASES_PER_PAGE", 25),
    positive("STAFF_VIEW_MIN_RESPONSES", 5,
             "a staff member sees the comments about them of a day only once at least this "
             "many counted responses were given to them that day"),
    positive("CASE_FOLLOWUP_MAX_AGE_DAYS", 30, "how long a citizen's follow-up link stays valid"),
    positive("ALERT_WINDOW_MINUTES", 15, "default alert window of a centre"),
    Setting("ALERT_UNHAPPY_SHARE", 0.5, fraction),
    positive("ALERT_MIN_RESPONSES", 4),
    Setting("ALERT_ON_INTEGRITY", True, boolean),
    Setting("MAIL_SERVER", None, text, "SMTP server; no e-mail is sent while it is empty"),
    positive("MAIL_PORT", 25),
    Setting("MAIL_USE_TLS", False, boolean),
    Setting("MAIL_USERNAME", None, text),
    Setting("MAIL_PASSWORD", None, text),
    Setting("MAIL_SENDER", "hailong@localhost", text),
    positive("MAIL_TIMEOUT_SECONDS", 10),
)
