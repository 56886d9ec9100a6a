"""How the person a staff record is about reads the responses listed on it.

A staff member, or a leader or HR officer who also serves at a counter (an account linked to a
staff record, `feedback.cases.recusal`), reads the responses given to them (low ratings, cases,
exclusions) only by local day or week (STAFF_VIEW_GRANULARITY), only for past periods with at
least STAFF_VIEW_MIN_RESPONSES counted responses about them, never an integrity report, and
without the evidence (a rule's numbers, HR's notes): the exact minute of a response is often
enough to know the citizen who sent it (`feedback.cases.staff_view`). Their HR page and every HR
export read through `as_subject`, so the rule lives here once. Their own page covers only whole
months, quarters or years that are over, as their dashboard does
(`feedback.dashboard.subject`): the counts of a running period move with each citizen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from feedback.cases import staff_view
from feedback.hr.evaluation import StaffReport, UnitReport


@dataclass(frozen=True)
class SubjectView:
    """What the subject of one staff record may read of its responses."""

    staff_id: int
    #: The listed responses (public ids) the subject may see, by period only.
    visible: frozenset[str]
    #: "day" or "week".
    granularity: str

    def shows(self, public_id: str) -> bool:
        """Whether the subject may see this response listed."""
        return public_id in self.visible

    def when(self, moment: datetime) -> str:
        """When the response was given, as the subject may read it: its day or week."""
        return staff_view.period_label(moment, self.granularity)


def as_subject(line: StaffReport, now: datetime, config: Mapping) -> SubjectView:
    """The view of a staff member's report line that its subject gets (`config`: the app's,
    for STAFF_VIEW_MIN_RESPONSES and STAFF_VIEW_GRANULARITY)."""
    granularity = config["STAFF_VIEW_GRANULARITY"]
    listed = [item.public_id for item in (*line.low_ratings, *line.cases, *line.excluded,
                                          *line.restored)]
    return SubjectView(line.staff_id, frozenset(staff_view.visible_to_subject(
        line.staff_id, listed, now, config["STAFF_VIEW_MIN_RESPONSES"], granularity)),
        granularity)


def reader_as_subject(report: UnitReport, staff_id: int | None, now: datetime,
                      config: Mapping) -> SubjectView | None:
    """The subject view of the reader's own line in a unit's report, when the reader's account
    is linked to one of its staff records (`staff_id`); None otherwise."""
    if staff_id is None:
        return None
    line = next((line for line in report.staff if line.staff_id == staff_id), None)
    return None if line is None else as_subject(line, now, config)
