"""Translated labels of the codes cases use (statuses, priorities, reasons, topics, sentiment)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accounts.services import find_user
from core.i18n import name_of
from feedback.cases.coverage import ADMINS_TOLD
from feedback.cases.models import AlertKind, CasePriority, CaseStatus, DismissReason, EventKind
from feedback.cases.workflow import (
    REASON_DISSATISFIED,
    REASON_INTEGRITY,
    REASON_LEADER,
    REASON_LOW_RATING,
    REASON_NEGATIVE,
    Action,
)
from feedback.models import AccessKind
from feedback.tag_labels import SENTIMENTS as SENTIMENTS  # re-exported for the case pages
from feedback.tag_labels import TOPICS as TOPICS
from feedback.tag_labels import sentiment_text

STATUS = {
    CaseStatus.NEW: _l("New"),
    CaseStatus.ACKNOWLEDGED: _l("Acknowledged"),
    CaseStatus.IN_PROGRESS: _l("In progress"),
    CaseStatus.RESOLVED: _l("Resolved"),
    CaseStatus.CLOSED: _l("Closed"),
    CaseStatus.DISMISSED: _l("Dismissed"),
}

PRIORITY = {CasePriority.NORMAL: _l("Normal"), CasePriority.URGENT: _l("Urgent")}

DISMISS_REASON = {DismissReason.SPAM: _l("Spam"), DismissReason.UNFOUNDED: _l("Unfounded"),
                  DismissReason.STUFFING: _l("Withdrawn: response held as suspected stuffing")}
#: The reasons a leader can choose (stuffing is decided by the integrity screening).
LEADER_DISMISS_REASONS = (DismissReason.SPAM, DismissReason.UNFOUNDED)

ACTION = {
    Action.ACKNOWLEDGE: _l("Acknowledge"),
    Action.START: _l("Start handling"),
    Action.RESOLVE: _l("Mark resolved"),
    Action.CLOSE: _l("Close"),
    Action.DISMISS: _l("Dismiss"),
    Action.REOPEN: _l("Reopen"),
}

REASON = {
    REASON_NEGATIVE: _l("negative comment"),
    REASON_DISSATISFIED: _l("dissatisfied, with a reason"),
    REASON_LOW_RATING: _l("rating of 2 or less"),
    REASON_INTEGRITY: _l("integrity alert"),
    REASON_LEADER: _l("opened by a leader"),
}

EVENT = {
    EventKind.OPENED: _l("Case opened"),
    EventKind.STATUS: _l("Status changed"),
    EventKind.ASSIGNED: _l("Assigned"),
    EventKind.NOTE: _l("Internal note"),
    EventKind.REPLY: _l("Reply to the citizen"),
    EventKind.MAIL: _l("E-mail"),
    EventKind.FOLLOWUP_ISSUED: _l("Follow-up link issued"),
    EventKind.FOLLOWUP: _l("The citizen's follow-up answer"),
    EventKind.REASONS_ADDED: _l("Reasons added"),
}

ALERT = {
    AlertKind.UNHAPPY: _l("Many unhappy citizens"),
    AlertKind.INTEGRITY: _l("Integrity alert"),
    AlertKind.STUFFING: _l("Suspected ballot stuffing"),
}


ACCESS_KIND = {AccessKind.CONTACT_VIEW: _l("Viewed contact details"),
               AccessKind.EXPORT: _l("Exported personal data")}


def reasons_text(codes: str) -> str:
    """The comma-separated reason codes of a case, as translated words."""
    return ", ".join(name_of(REASON, code) for code in codes.split(",") if code)


def topic_text(codes: str | None) -> str:
    """Comma-separated topic codes as translated words."""
    return ", ".join(name_of(TOPICS, code) for code in (codes or "").split(",") if code)


def event_detail(event) -> str:
    """What a timeline entry's short detail means, in words (empty when nothing to add)."""
    if event.kind in (EventKind.OPENED, EventKind.REASONS_ADDED):
        return reasons_text(event.detail or "")
    if event.kind == EventKind.STATUS:
        text = f"{STATUS[event.from_status]} → {STATUS[event.to_status]}"
        if event.detail in {r.value for r in DismissReason}:
            text += f" ({DISMISS_REASON[DismissReason(event.detail)]})"
        return text
    if event.kind == EventKind.ASSIGNED:
        assignee = find_user(event.detail) if event.detail else None
        return assignee.display_name if assignee else event.detail or _("nobody")
    if event.kind == EventKind.MAIL:
        outcome, _sep, rest = (event.detail or "").partition(":")
        what, _sep, error = rest.partition(":")
        if what == ADMINS_TOLD:
            return _("the administrators were e-mailed that no leader may handle this case")
        what_text = _("the reply") if what == "reply" else _("the follow-up link")
        if outcome == "sent":
            return _("%(what)s e-mailed to the citizen", what=what_text)
        return _("%(what)s could not be e-mailed (%(error)s)", what=what_text, error=error)
    if event.kind == EventKind.FOLLOWUP:
        fields = dict(part.split("=", 1) for part in (event.detail or "").split(";") if "=" in part)
        solved = _("solved") if fields.get("solved") == "yes" else _("not solved")
        return _("%(solved)s; handling rated %(rating)s/5", solved=solved,
                 rating=fields.get("rating", "?"))
    return ""


def response_sentiment(response) -> str:
    """A response's label as shown: the reviewed one, or the tagger's (uncertain if unsure)."""
    return sentiment_text(response.sentiment, response.sentiment_confidence,
                          reviewed=response.reviewed_label is not None)
