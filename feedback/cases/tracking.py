"""What the holder of a case reference may read: the case's status and the public replies.

Nothing else: no comment, no contact details, no internal notes, no staff or counter; dates
only. The reference is the only key (feedback.cases.reference).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from core.db import db
from core.timeutil import to_local
from feedback.cases.models import Case, CaseStatus, EventKind
from feedback.cases.reference import normalise_reference


@dataclass(frozen=True)
class PublicReply:
    """A reply the leaders sent to the citizen."""

    on: date
    body: str


@dataclass(frozen=True)
class TrackedCase:
    """A case as its reference holder sees it."""

    reference: str
    status: CaseStatus
    opened_on: date
    resolved_on: date | None
    replies: list[PublicReply]


def case_by_reference(text: str | None) -> Case | None:
    """The case with this reference (as typed by the citizen), or None."""
    reference = normalise_reference(text)
    if reference is None:
        return None
    return db.session.execute(
        select(Case).where(Case.reference == reference)).scalar_one_or_none()


def track(text: str | None) -> TrackedCase | None:
    """What the holder of this reference may read about its case, or None."""
    case = case_by_reference(text)
    if case is None:
        return None
    replies = [PublicReply(to_local(event.at).date(), event.body or "") for event in case.events
               if event.kind == EventKind.REPLY and not event.internal and event.body]
    return TrackedCase(case.reference, case.status, to_local(case.opened_at).date(),
                       to_local(case.resolved_at).date() if case.resolved_at else None, replies)
