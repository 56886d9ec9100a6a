"""Translated wording of HR reports: flag reasons, criteria, statuses (call inside a request or
under `flask_babel.force_locale`)."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.dates import when_text
from feedback.cases.labels import STATUS
from feedback.cases.models import CaseStatus
from feedback.hr.grades import GRADE_NAMES_VI
from feedback.hr.models import ContestStatus, FlagRule, GradeDecision, ResponseFlag
from feedback.periods import Period, PeriodKind

RULE_LABELS = {
    FlagRule.DEVICE_BURST: _l("Burst from one device"),
    FlagRule.IP_BURST: _l("Burst from one network"),
    FlagRule.CLOSED: _l("Centre closed"),
    FlagRule.IDENTICAL: _l("Identical answers in quick succession"),
    FlagRule.MANY_COUNTERS: _l("One device, many counters"),
    FlagRule.SURGE: _l("More responses than the counter could serve"),
    FlagRule.FAST_FILL: _l("Sent too fast"),
    FlagRule.HONEYPOT: _l("Filled in by a program"),
    FlagRule.CONTEST: _l("Contest accepted"),
}

CONTEST_STATUS_LABELS = {
    ContestStatus.OPEN: _l("Waiting for HR"),
    ContestStatus.ACCEPTED: _l("Accepted"),
    ContestStatus.REJECTED: _l("Rejected"),
}

WEEKDAY_LABELS = {
    "mon": _l("Monday"), "tue": _l("Tuesday"), "wed": _l("Wednesday"),
    "thu": _l("Thursday"), "fri": _l("Friday"), "sat": _l("Saturday"), "sun": _l("Sunday"),
}


def decision_text(decision: GradeDecision) -> str:
    """A recorded grade with who decided it and when."""
    return _("%(grade)s (%(user)s, %(at)s)", grade=GRADE_NAMES_VI[decision.grade],
             user=decision.decided_by.display_name,
             at=when_text(decision.decided_at))


def period_label(period: Period) -> str:
    """A month, quarter or year as HR writes it ("Quý 4/2026")."""
    year = period.start.year
    if period.kind == PeriodKind.MONTH:
        return _("Month %(month)s/%(year)s", month=period.start.month, year=year)
    if period.kind == PeriodKind.QUARTER:
        return _("Quarter %(quarter)s/%(year)s", quarter=(period.start.month - 1) // 3 + 1,
                 year=year)
    return _("Year %(year)s", year=year)


#: Why each rule raised its flag, filled in with the numbers of the flag's evidence.
EVIDENCE_REASONS = {
    FlagRule.DEVICE_BURST: _l("%(count)s responses from one device at this counter "
                              "(%(threshold)s or more within %(minutes)s minutes)."),
    FlagRule.IP_BURST: _l("%(count)s responses from one network address at this counter "
                          "(%(threshold)s or more within %(minutes)s minutes)."),
    FlagRule.IDENTICAL: _l("%(count)s identical sets of answers at this counter "
                           "(%(threshold)s or more within %(minutes)s minutes)."),
    FlagRule.MANY_COUNTERS: _l("One device rated %(counters)s counters (%(threshold)s or more "
                               "within %(minutes)s minutes)."),
    FlagRule.SURGE: _l("%(count)s responses at this counter within %(minutes)s minutes, more "
                       "than the %(allowed)s it could have served: held until HR has reviewed "
                       "them."),
    FlagRule.FAST_FILL: _l("Sent %(seconds)s seconds after the form was shown (a person needs "
                           "at least %(threshold)s)."),
}


def flag_reason(flag: ResponseFlag) -> str:
    """Why the flag was raised, with its numbers, in one sentence."""
    evidence = json.loads(flag.evidence or "{}")
    rule = flag.rule
    if rule in EVIDENCE_REASONS:
        text = str(EVIDENCE_REASONS[rule])
        return text % evidence if evidence else text
    if rule == FlagRule.CLOSED:
        return _("Sent at %(time)s on a %(day)s, outside opening hours (with %(grace)s minutes "
                 "of grace after closing).", time=evidence.get("local_time", ""),
                 day=str(WEEKDAY_LABELS.get(evidence.get("weekday"), "")),
                 grace=evidence.get("grace_minutes", 0))
    if rule == FlagRule.HONEYPOT:
        return _("A field that people never see was filled in: sent by a program.")
    return _("HR accepted a contest: %(reason)s", reason=evidence.get("reason", ""))


def case_status_label(status: str) -> str:
    """The name of a complaint case's status, as the cases screens call it."""
    try:
        return str(STATUS[CaseStatus(status)])
    except (KeyError, ValueError):
        return status


def rule_label(rule: FlagRule) -> str:
    """The rule's short name."""
    return str(RULE_LABELS[rule])


def contest_status_label(status: ContestStatus) -> str:
    """The contest status's name."""
    return str(CONTEST_STATUS_LABELS[status])
