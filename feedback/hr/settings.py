"""Settings of the HR staff evaluation (core.settings collects them).

The evaluation profiles and the integrity rules (thresholds, opening hours) are files named by a
path (or a shipped profile's key), read when a report is built.
"""

from __future__ import annotations

from core.settings import Setting, integer, text

#: Defaults of the method (feedback.hr.evaluation.Settings uses them too).
MIN_RESPONSES = 30
PRIOR_WEIGHT = 20
NEW_COUNTER_DAYS = 7
DEFAULT_PROFILE = "nd335"

SETTINGS = (
    Setting("HR_MIN_RESPONSES", MIN_RESPONSES, integer(1),
            "counted responses a staff member needs in a period before a score is given"),
    Setting("HR_PRIOR_WEIGHT", PRIOR_WEIGHT, integer(0),
            "weight of the unit's mean in the shrunken score, as pseudo-responses"),
    Setting("HR_NEW_COUNTER_DAYS", NEW_COUNTER_DAYS, integer(0),
            "responses within this many days of a first day at a counter are marked"),
    Setting("HR_PROFILE", DEFAULT_PROFILE, text,
            "evaluation profile of every unit: a shipped key (feedback/hr/profiles/) or a file"),
    Setting("HR_PROFILE_BY_UNIT", None, text, 'units with another profile: "CODE=profile;…"'),
    Setting("HR_INTEGRITY_RULES", None, text,
            "JSON or TOML file of integrity thresholds and opening hours"),
)


def check(config) -> None:
    """Read the profile and integrity-rule files now, so a wrong name or a broken file stops the
    start rather than the first HR report."""
    from core.settings import ConfigError
    from feedback.hr.profiles import ProfileChoice
    from feedback.hr.rule_files import RuleFileError, load_integrity_rules

    for name, load in (("HR_PROFILE / HR_PROFILE_BY_UNIT", ProfileChoice.from_config),
                       ("HR_INTEGRITY_RULES",
                        lambda c: load_integrity_rules(c.get("HR_INTEGRITY_RULES")))):
        try:
            load(config)
        except (OSError, RuleFileError) as error:
            raise ConfigError(f"{name}: {error}") from error
