"""Settings of the citizens' rights and of retention: defaults, values from the environment, and
the checks that stop the start on a bad value.

The hashes of addresses and devices serve the integrity rules only, which look at minutes around
a response (a kiosk may deliver an answer KIOSK_MAX_OFFLINE_HOURS late): HASH_RETENTION_DAYS may
not be shorter than that, or a purge would blind the rules for responses still being screened.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from core.config import ConfigError

#: Staff view granularities (feedback.cases.staff_view).
GRANULARITIES = ("day", "week")

DEFAULTS: dict[str, Any] = {
    #: Days to carry out a request to withdraw consent / to erase contact details (calendar
    #: days from receipt; Decree 356/2025/NĐ-CP sets the legal maximum — follow its current text).
    "RIGHTS_WITHDRAW_DEADLINE_DAYS": 15,
    "RIGHTS_ERASE_DEADLINE_DAYS": 15,
    #: The one-time code e-mailed to confirm a request: minutes valid, wrong tries allowed, and
    #: codes one case may be sent in 24 hours.
    "RIGHTS_CODE_TTL_MINUTES": 15,
    "RIGHTS_CODE_MAX_ATTEMPTS": 5,
    "RIGHTS_CODES_PER_DAY": 5,
    #: Days after which `flask privacy purge` masks names and numbers in comments for good.
    "COMMENT_RETENTION_DAYS": 180,
    #: Days after which `flask privacy purge` erases the address and device hashes.
    "HASH_RETENTION_DAYS": 28,
    #: How the staff view groups the comments about a staff member: "day" or "week".
    "STAFF_VIEW_GRANULARITY": "day",
}

_POSITIVE = ("RIGHTS_WITHDRAW_DEADLINE_DAYS", "RIGHTS_ERASE_DEADLINE_DAYS",
             "RIGHTS_CODE_TTL_MINUTES", "RIGHTS_CODE_MAX_ATTEMPTS", "RIGHTS_CODES_PER_DAY",
             "COMMENT_RETENTION_DAYS", "HASH_RETENTION_DAYS", "CONTACT_RETENTION_DAYS")


def from_environment(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """The settings given as environment variables, as text (checked by `check`)."""
    return {name: environ[name].strip() for name in DEFAULTS if environ.get(name, "").strip()}


def minimum_hash_days(longest_rule_minutes: int, kiosk_offline_hours: int) -> int:
    """The shortest hash retention that keeps every rule working: an answer may arrive
    `kiosk_offline_hours` late and is screened with its neighbours up to the longest rule window
    on either side."""
    return max(1, math.ceil((kiosk_offline_hours * 60 + 2 * longest_rule_minutes) / 1440))


def _longest_rule_minutes(config: Mapping[str, Any]) -> int:
    from feedback.hr.integrity import IntegrityRules
    from feedback.hr.rule_files import load_integrity_rules

    try:
        return load_integrity_rules(config.get("HR_INTEGRITY_RULES")).longest_minutes()
    except (OSError, ValueError):  # the rule file reports its own error where it is read
        return IntegrityRules().longest_minutes()


def check(config: dict[str, Any]) -> None:
    """Turn the values into their types in place; ConfigError naming the setting otherwise."""
    for name in _POSITIVE:
        raw = config[name]
        try:
            value = int(str(raw).strip())
        except ValueError:
            value = 0
        if value < 1:
            raise ConfigError(f"{name} must be a whole number of at least 1, not {raw!r}")
        config[name] = value
    granularity = str(config["STAFF_VIEW_GRANULARITY"]).strip().lower()
    if granularity not in GRANULARITIES:
        raise ConfigError("STAFF_VIEW_GRANULARITY must be one of "
                          f"{', '.join(GRANULARITIES)}, not {config['STAFF_VIEW_GRANULARITY']!r}")
    config["STAFF_VIEW_GRANULARITY"] = granularity
    needed = minimum_hash_days(_longest_rule_minutes(config),
                               int(config.get("KIOSK_MAX_OFFLINE_HOURS", 72)))
    if config["HASH_RETENTION_DAYS"] < needed:
        raise ConfigError(f"HASH_RETENTION_DAYS must be at least {needed}: the integrity rules "
                          "and late kiosk answers need the hashes that long")


def init_app(app: Flask) -> None:
    """Fill in the settings (the environment too, unless testing) and stop the start on a bad
    value."""
    if not app.testing:
        for key, value in from_environment().items():
            app.config.setdefault(key, value)
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    check(app.config)
