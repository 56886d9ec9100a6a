"""Settings of the case workflow, alerts and e-mail: defaults, and values from the environment.

CASE_HOLIDAYS below is an EXAMPLE to maintain: Vietnam's public holidays 2025-2027 (days off for
civil servants, including Tết, observed and swapped days) as published in python-holidays 0.108
(Vietnam), which follows the Government's annual notices. Dates the Government has not announced
yet (e.g. the 2027 swaps) may change: replace the list through CASE_HOLIDAYS when they do.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from flask import Flask

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

DEFAULTS: dict[str, Any] = {
    #: Working days to resolve a case, and an urgent one (integrity alert).
    "CASE_SLA_WORKING_DAYS": 5,
    "CASE_SLA_URGENT_WORKING_DAYS": 1,
    #: ISO dates that are not working days (besides Saturdays and Sundays).
    "CASE_HOLIDAYS": VIETNAM_HOLIDAYS_2025_2027,
    "CASES_PER_PAGE": 25,
    #: A staff member sees the comments about them of a day only once at least this many counted
    #: responses were given to them that day (feedback.cases.staff_view).
    "STAFF_VIEW_MIN_RESPONSES": 5,
    #: How long a citizen's follow-up link stays valid.
    "CASE_FOLLOWUP_MAX_AGE_DAYS": 30,
    #: Default alert thresholds of a centre (a centre may have its own).
    "ALERT_WINDOW_MINUTES": 15,
    "ALERT_UNHAPPY_SHARE": 0.5,
    "ALERT_MIN_RESPONSES": 4,
    "ALERT_ON_INTEGRITY": True,
    #: SMTP: no e-mail is sent while MAIL_SERVER is empty.
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_SENDER": "hailong@localhost",
    "MAIL_TIMEOUT_SECONDS": 10,
}

_INTS = ("CASE_SLA_WORKING_DAYS", "CASE_SLA_URGENT_WORKING_DAYS", "CASE_FOLLOWUP_MAX_AGE_DAYS",
         "STAFF_VIEW_MIN_RESPONSES",
         "ALERT_WINDOW_MINUTES", "ALERT_MIN_RESPONSES", "MAIL_PORT", "MAIL_TIMEOUT_SECONDS")
_TEXTS = ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_SENDER")
_BOOLS = ("ALERT_ON_INTEGRITY", "MAIL_USE_TLS")


def parse_dates(text: str) -> tuple[str, ...]:
    """Comma- or space-separated ISO dates, checked ("2026-09-02, 2026-11-24")."""
    values = tuple(v for v in text.replace(",", " ").split() if v)
    for value in values:
        date.fromisoformat(value)
    return values


def from_environment(environ=os.environ) -> dict[str, Any]:
    """The settings given as environment variables (absent ones keep their defaults)."""
    found: dict[str, Any] = {}
    for name in _INTS:
        if environ.get(name, "").strip():
            found[name] = int(environ[name])
    for name in _TEXTS:
        if environ.get(name):
            found[name] = environ[name]
    for name in _BOOLS:
        if environ.get(name, "").strip():
            found[name] = environ[name].strip().lower() in {"1", "true", "yes", "on"}
    if environ.get("ALERT_UNHAPPY_SHARE", "").strip():
        found["ALERT_UNHAPPY_SHARE"] = float(environ["ALERT_UNHAPPY_SHARE"])
    if "CASE_HOLIDAYS" in environ:
        found["CASE_HOLIDAYS"] = parse_dates(environ["CASE_HOLIDAYS"])
    return found


def init_app(app: Flask) -> None:
    """Fill in the defaults; a deployed app (not testing) also reads the environment."""
    if not app.testing:
        for key, value in from_environment().items():
            app.config.setdefault(key, value)
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
