"""Pure rules: the workflow's moves, why a case opens, due dates in working days, text folding,
alert thresholds and configuration from the environment."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.settings import ConfigError, collect, defaults
from feedback.cases import settings as cases_settings
from feedback.cases.alerts import Thresholds, WindowCounts, tripped
from feedback.cases.models import AlertKind, CasePriority, CaseStatus
from feedback.cases.opening import DEFAULT_RULE, OpeningRule, open_reasons
from feedback.cases.sla import SlaPolicy, add_working_days
from feedback.cases.textfold import fold, like_patterns
from feedback.cases.workflow import (
    TRANSITIONS,
    Action,
    IllegalTransition,
    allowed_actions,
    is_unhappy,
    next_status,
    priority_for,
)

S = CaseStatus
LEGAL = {
    (S.NEW, Action.ACKNOWLEDGE): S.ACKNOWLEDGED,
    (S.ACKNOWLEDGED, Action.START): S.IN_PROGRESS,
    (S.NEW, Action.RESOLVE): S.RESOLVED,
    (S.ACKNOWLEDGED, Action.RESOLVE): S.RESOLVED,
    (S.IN_PROGRESS, Action.RESOLVE): S.RESOLVED,
    (S.RESOLVED, Action.CLOSE): S.CLOSED,
    (S.NEW, Action.DISMISS): S.DISMISSED,
    (S.ACKNOWLEDGED, Action.DISMISS): S.DISMISSED,
    (S.IN_PROGRESS, Action.DISMISS): S.DISMISSED,
    (S.RESOLVED, Action.REOPEN): S.IN_PROGRESS,
    (S.CLOSED, Action.REOPEN): S.IN_PROGRESS,
    (S.DISMISSED, Action.REOPEN): S.IN_PROGRESS,
}


@pytest.mark.parametrize("status", list(CaseStatus))
@pytest.mark.parametrize("action", list(Action))
def test_every_status_and_action_pair_is_either_the_documented_move_or_refused(status, action):
    if (status, action) in LEGAL:
        assert next_status(status, action) == LEGAL[status, action]
        assert action in allowed_actions(status)
    else:
        with pytest.raises(IllegalTransition):
            next_status(status, action)
        assert action not in allowed_actions(status)


def test_the_table_has_no_move_the_test_does_not_know():
    declared = {(s, a) for a, (sources, _t) in TRANSITIONS.items() for s in sources}
    assert declared == set(LEGAL)


def test_a_rating_alone_is_not_a_complaint_under_the_default_rule():
    assert open_reasons(DEFAULT_RULE, 5, (), "positive", False) == []
    assert open_reasons(DEFAULT_RULE, 1, (), None, False) == []
    assert open_reasons(DEFAULT_RULE, 3, ["waiting"], "neutral", False) == ["dissatisfied"]
    assert open_reasons(DEFAULT_RULE, 4, ["waiting"], "neutral", False) == []  # satisfied
    assert open_reasons(DEFAULT_RULE, 4, (), "negative", False) == ["negative"]
    assert open_reasons(DEFAULT_RULE, 1, ["fees"], "negative", True) == [
        "negative", "dissatisfied", "integrity"]
    assert priority_for(["integrity"]) == CasePriority.URGENT
    assert priority_for(["negative", "dissatisfied"]) == CasePriority.NORMAL


def test_a_units_rule_narrows_what_opens_a_case_but_never_an_integrity_alert():
    narrow = OpeningRule(on_negative_comment=False, reason_codes=frozenset({"attitude", "fees"}))
    assert open_reasons(narrow, 1, ["waiting", "late"], "negative", False) == []
    assert open_reasons(narrow, 2, ["waiting", "attitude"], None, False) == ["dissatisfied"]
    assert open_reasons(OpeningRule(False, frozenset()), 5, (), None, True) == ["integrity"]


def test_the_centre_alerts_still_watch_low_ratings_and_negative_comments():
    assert is_unhappy(2, None) and is_unhappy(5, "negative")
    assert not is_unhappy(3, "neutral") and not is_unhappy(None, None)


def test_working_days_skip_weekends_and_holidays():
    friday = date(2026, 3, 6)
    assert add_working_days(friday, 1, frozenset()) == date(2026, 3, 9)  # Monday
    assert add_working_days(friday, 5, frozenset()) == date(2026, 3, 13)
    holiday = frozenset({date(2026, 3, 9)})
    assert add_working_days(friday, 1, holiday) == date(2026, 3, 10)
    saturday = date(2026, 3, 7)
    assert add_working_days(saturday, 0, frozenset()) == date(2026, 3, 9)


def test_tet_2026_from_the_shipped_holiday_list_delays_the_due_date():
    policy = SlaPolicy.from_config(defaults([cases_settings]))
    # Opened Friday 13 Feb 2026 at 10:00 local; Tết days off run Mon 16 to Fri 20 Feb.
    opened = datetime(2026, 2, 13, 3, 0, tzinfo=UTC)
    assert policy.due_on(opened, CasePriority.NORMAL) == date(2026, 2, 27)
    assert policy.due_on(opened, CasePriority.URGENT) == date(2026, 2, 23)
    # Late evening in Vietnam is already the next local day.
    late = datetime(2026, 3, 5, 18, 0, tzinfo=UTC)  # Fri 6 March 01:00 local
    assert policy.due_on(late, CasePriority.URGENT) == date(2026, 3, 9)


def test_sla_and_holidays_are_configurable():
    policy = SlaPolicy.from_config({**defaults([cases_settings]), "CASE_SLA_WORKING_DAYS": 2,
                                    "CASE_HOLIDAYS": ["2026-03-09"]})
    opened = datetime(2026, 3, 6, 3, 0, tzinfo=UTC)
    assert policy.due_on(opened, CasePriority.NORMAL) == date(2026, 3, 11)


def test_configuration_from_the_environment():
    config: dict = {}
    collect(config, [cases_settings], {
        "CASE_SLA_WORKING_DAYS": "7", "CASE_HOLIDAYS": "2026-09-01, 2026-09-02",
        "MAIL_SERVER": "smtp.example.vn", "MAIL_USE_TLS": "true", "ALERT_UNHAPPY_SHARE": "0.4"})
    assert {name: config[name] for name in ("CASE_SLA_WORKING_DAYS", "CASE_HOLIDAYS",
                                            "MAIL_SERVER", "MAIL_USE_TLS",
                                            "ALERT_UNHAPPY_SHARE", "MAIL_PORT")} == {
        "CASE_SLA_WORKING_DAYS": 7, "CASE_HOLIDAYS": ("2026-09-01", "2026-09-02"),
        "MAIL_SERVER": "smtp.example.vn", "MAIL_USE_TLS": True, "ALERT_UNHAPPY_SHARE": 0.4,
        "MAIL_PORT": 25}
    with pytest.raises(ConfigError, match="CASE_HOLIDAYS"):
        collect({}, [cases_settings], {"CASE_HOLIDAYS": "2026-13-01"})

def test_folding_ignores_diacritics_case_and_d_stroke():
    assert fold("Chờ LÂU quá, Đông người") == "cho lau qua, dong nguoi"
    assert fold("  nhiều   khoảng\ttrắng ") == "nhieu khoang trang"
    assert like_patterns("Chờ lâu") == ["%cho%", "%lau%"]
    assert like_patterns("100%_x") == ["%100\\%\\_x%"]
    assert like_patterns("   ") == []


def test_alert_thresholds():
    rule = Thresholds(window_minutes=15, unhappy_share=0.5, min_responses=4, on_integrity=True)
    assert tripped(rule, WindowCounts(total=3, unhappy=3, flagged=0)) == {}
    assert tripped(rule, WindowCounts(total=4, unhappy=2, flagged=0)) == {AlertKind.UNHAPPY: 2}
    assert tripped(rule, WindowCounts(total=5, unhappy=2, flagged=0)) == {}
    assert tripped(rule, WindowCounts(total=1, unhappy=0, flagged=1)) == {AlertKind.INTEGRITY: 1}
    quiet = Thresholds(15, 0.5, 4, on_integrity=False)
    assert tripped(quiet, WindowCounts(total=1, unhappy=0, flagged=1)) == {}
