"""Why a response is left out of HR scores: the integrity rules' names (no database here, so the
pure rules and the rule files load without the models)."""

from __future__ import annotations

import enum


class FlagRule(enum.StrEnum):
    """Why a response is excluded from HR scores."""

    DEVICE_BURST = "device_burst"
    IP_BURST = "ip_burst"
    CLOSED = "closed"
    IDENTICAL = "identical"
    MANY_COUNTERS = "many_counters"
    #: More responses at a counter than it could have served: held until HR reviews them.
    SURGE = "surge"
    #: Sent sooner after the form was shown than a person can fill it in.
    FAST_FILL = "fast_fill"
    #: The hidden field that people never see (and robots fill in) was filled in.
    HONEYPOT = "honeypot"
    #: Excluded by HR on accepting a staff member's contest.
    CONTEST = "contest"


#: Facts about the request itself, flagged when the response is stored; like contest
#: exclusions they apply whatever rule set is in force (rules_version None).
REQUEST_RULES = frozenset({FlagRule.FAST_FILL, FlagRule.HONEYPOT})
