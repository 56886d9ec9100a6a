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
#: A "không hài lòng" answer given with a reason (feedback.cases.opening).
REASON_DISSATISFIED = "dissatisfied"
#: Cases opened before the per-unit rule, by any rating of 2 or less (kept for their labels).
REASON_LOW_RATING = "low_rating"
REASON_INTEGRITY = "integrity"
REASON_LEADER = "leader"


def is_unhappy(lowest_rating: int | None, sentiment_label: str | None) -> bool:
    """An unhappy response for the centre alerts: a negative comment or a low rating
    (an alert watches the mood at a centre; it opens no case)."""
    return sentiment_label == SentimentLabel.NEGATIVE or (lowest_rating is not None
                                                          and lowest_rating <= LOW_RATING)


def priority_for(reasons: Iterable[str]) -> CasePriority:
    """Integrity alerts are urgent; everything else is normal."""
    return CasePriority.URGENT if REASON_INTEGRITY in reasons else CasePriority.NORMAL
