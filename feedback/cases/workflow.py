"""The case lifecycle as pure functions: which moves are legal, and why a case is opened.

new → acknowledged → in progress → resolved → closed; new, acknowledged or in progress may be
dismissed (spam or unfounded, with a reason); resolved, closed and dismissed cases may be
reopened (back to in progress). Anything else is refused.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from feedback.cases.models import CasePriority, CaseStatus
from feedback.models import SentimentLabel
from surveys.scale import LOW_RATING

S = CaseStatus


class Action(enum.StrEnum):
    """What a leader can do to a case's status."""

    ACKNOWLEDGE = "acknowledge"
    START = "start"
    RESOLVE = "resolve"
    CLOSE = "close"
    DISMISS = "dismiss"
    REOPEN = "reopen"


#: Each action: the statuses it may start from, and the status it leads to.
TRANSITIONS: dict[Action, tuple[frozenset[CaseStatus], CaseStatus]] = {
    Action.ACKNOWLEDGE: (frozenset({S.NEW}), S.ACKNOWLEDGED),
    Action.START: (frozenset({S.ACKNOWLEDGED}), S.IN_PROGRESS),
    #: One step from any open status: the outcome written is what matters, not the clicks.
    Action.RESOLVE: (frozenset({S.NEW, S.ACKNOWLEDGED, S.IN_PROGRESS}), S.RESOLVED),
    Action.CLOSE: (frozenset({S.RESOLVED}), S.CLOSED),
    Action.DISMISS: (frozenset({S.NEW, S.ACKNOWLEDGED, S.IN_PROGRESS}), S.DISMISSED),
    Action.REOPEN: (frozenset({S.RESOLVED, S.CLOSED, S.DISMISSED}), S.IN_PROGRESS),
}


class IllegalTransition(ValueError):
    """The action is not allowed from the case's current status."""


def next_status(current: CaseStatus, action: Action) -> CaseStatus:
    """The status after `action`, or IllegalTransition."""
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise IllegalTransition(f"cannot {action.value} a case that is {current.value}")
    return target


def allowed_actions(current: CaseStatus) -> list[Action]:
    """The actions offered for a case in this status, in workflow order."""
    return [action for action, (sources, _target) in TRANSITIONS.items() if current in sources]


#: Why a case was opened.
REASON_NEGATIVE = "negative"
REASON_LOW_RATING = "low_rating"
REASON_INTEGRITY = "integrity"
REASON_LEADER = "leader"


def open_reasons(ratings: Iterable[int], sentiment_label: str | None,
                 integrity_alert: bool) -> list[str]:
    """Why a response needs a case (empty: it does not)."""
    reasons = []
    if sentiment_label == SentimentLabel.NEGATIVE:
        reasons.append(REASON_NEGATIVE)
    if any(value <= LOW_RATING for value in ratings):  # a low rating opens a case
        reasons.append(REASON_LOW_RATING)
    if integrity_alert:
        reasons.append(REASON_INTEGRITY)
    return reasons


def is_unhappy(reasons: Iterable[str]) -> bool:
    """An unhappy response for the alerts: negative comment or a low rating."""
    return bool({REASON_NEGATIVE, REASON_LOW_RATING} & set(reasons))


def priority_for(reasons: Iterable[str]) -> CasePriority:
    """Integrity alerts are urgent; everything else is normal."""
    return CasePriority.URGENT if REASON_INTEGRITY in reasons else CasePriority.NORMAL
