"""When a case's handling ended, and which cases are nobody's complaint.

A case stores when it was resolved and closed, but not when it was dismissed: that is the time
of its status event to "dismissed" (reopening moves it on, so while a case is dismissed its
latest such event holds). A dismissed case is no longer open, so whether it was handled on time
is judged by that day, never as "still open past its due date".
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ScalarSelect, func, select

from feedback.cases.models import Case, CaseEvent, CaseStatus, DismissReason, EventKind

#: Cases that are not someone's complaint: dismissed as spam, or withdrawn because their
#: response was held as suspected ballot stuffing.
NOT_COMPLAINTS = (DismissReason.SPAM, DismissReason.STUFFING)


def dismissed_at() -> ScalarSelect:
    """A column for a query over `Case`: when the case was last dismissed (None if never)."""
    return (select(func.max(CaseEvent.at))
            .where(CaseEvent.case_id == Case.id, CaseEvent.kind == EventKind.STATUS,
                   CaseEvent.to_status == CaseStatus.DISMISSED)
            .correlate(Case).scalar_subquery())


def ended_at(status: CaseStatus, resolved: datetime | None, closed: datetime | None,
             dismissed: datetime | None) -> datetime | None:
    """When the handling ended: resolved, else closed, else (while dismissed) dismissed; None
    while the case is open."""
    if status == CaseStatus.DISMISSED:
        return resolved or closed or dismissed
    return resolved or closed
