"""Settings of the citizens' rights and of retention (core.settings collects them), and the
check that stops the start when the hashes would be erased too early.

The hashes of addresses and devices serve the integrity rules only, which look at minutes around
a response (a kiosk may deliver an answer KIOSK_MAX_OFFLINE_HOURS late): HASH_RETENTION_DAYS may
not be shorter than that, or a purge would blind the rules for responses still being screened.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from core.settings import ConfigError, Setting, choice, positive

#: Staff view granularities (feedback.cases.staff_view).
GRANULARITIES = ("day", "week")

SETTINGS = (
    positive("RIGHTS_WITHDRAW_DEADLINE_DAYS", 15,
             "calendar days to carry out a request to withdraw consent (Decree 356/2025/NĐ-CP "
             "sets the legal maximum — follow its current text)"),
    positive("RIGHTS_ERASE_DEADLINE_DAYS", 15,
             "calendar days to carry out a request to erase contact details"),
    positive("RIGHTS_CODE_TTL_MINUTES", 15,
             "minutes the e-mailed one-time code of a request stays valid"),
    positive("RIGHTS_CODE_MAX_ATTEMPTS", 5, "wrong tries allowed per code"),
    positive("RIGHTS_CODES_PER_DAY", 5, "codes one case may be sent in 24 hours"),
    positive("CONTACT_RETENTION_DAYS", 180,
             "days after which `flask privacy purge` erases contact details"),
    positive("COMMENT_RETENTION_DAYS", 180,
             "days after which `flask privacy purge` masks names and numbers in comments"),
    positive("HASH_RETENTION_DAYS", 28,
             "days after which `flask privacy purge` erases the address and device hashes"),
    Setting("STAFF_VIEW_GRANULARITY", "day", choice(*GRANULARITIES),
            "how the staff view groups the comments about a staff member"),
)


def minimum_hash_days(longest_rule_minutes: int, kiosk_offline_hours: int) -> int:
    """The shortest hash retention that keeps every rule working: an answer may arrive
    `kiosk_offline_hours` late and is screened with its neighbours up to the longest rule window
    on either side."""
    return max(1, math.ceil((kiosk_offline_hours * 60 + 2 * longest_rule_minutes) / 1440))


def check(config: Mapping[str, Any]) -> None:
    """Refuse a hash retention shorter than the integrity rules and late kiosk answers need."""
    from feedback.hr.rule_files import load_integrity_rules

    needed = minimum_hash_days(
        load_integrity_rules(config.get("HR_INTEGRITY_RULES")).longest_minutes(),
        config["KIOSK_MAX_OFFLINE_HOURS"])
    if config["HASH_RETENTION_DAYS"] < needed:
        raise ConfigError(f"HASH_RETENTION_DAYS must be at least {needed}: the integrity rules "
                          "and late kiosk answers need the hashes that long")
