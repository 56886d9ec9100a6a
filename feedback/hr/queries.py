"""Reads for HR evaluation: response rows with their ratings, attributed by counter assignment.

A response belongs to the staff member whose assignment to its counter covered the moment it
was submitted (the latest such assignment), read from the assignment history when the report
is built, so a corrected history corrects the reports too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from core.db import db
from feedback.hr.integrity import ResponseRow
from feedback.models import Answer, Channel, Response
from surveys.models import Assignment, Question

BATCH = 5000


@dataclass
class Row:
    """One response as HR evaluation sees it (never the citizen's contact details)."""

    id: int
    public_id: str
    submitted_at: datetime
    unit_id: int
    centre_id: int
    counter_id: int
    area_id: int | None
    comment: str | None
    sentiment_label: str | None
    device_hash: str | None
    ip_hash: str | None
    verified: bool
    kiosk: bool
    ratings: dict[str, int] = field(default_factory=dict)
    #: Attributed by assignment (None: nobody on duty).
    staff_id: int | None = None
    #: Within the configured first days of the staff member at this counter.
    first_days: bool = False

    def integrity_row(self) -> ResponseRow:
        """The fields the integrity rules look at."""
        return ResponseRow(self.id, self.submitted_at, self.counter_id, self.centre_id,
                           self.device_hash, self.ip_hash, tuple(sorted(self.ratings.items())),
                           self.verified, self.kiosk)


def load_rows(unit_ids: Iterable[int], start: datetime, end: datetime,
              counter_ids: Iterable[int] | None = None) -> list[Row]:
    """Responses of the units submitted in [start, end), oldest first, with their ratings."""
    filters = [Response.unit_id.in_(sorted(unit_ids)), Response.submitted_at >= start,
               Response.submitted_at < end]
    if counter_ids is not None:
        filters.append(Response.counter_id.in_(sorted(counter_ids)))
    r = Response
    rows = [
        Row(id=i, public_id=p, submitted_at=at, unit_id=u, centre_id=c, counter_id=k,
            area_id=a, comment=text, sentiment_label=label, device_hash=d, ip_hash=ip,
            verified=visit is not None, kiosk=kiosk is not None or channel == Channel.KIOSK)
        for i, p, at, u, c, k, a, text, label, d, ip, visit, kiosk, channel in db.session.execute(
            select(r.id, r.public_id, r.submitted_at, r.unit_id, r.centre_id, r.counter_id,
                   r.procedure_area_id, r.comment, r.sentiment, r.device_hash, r.ip_hash,
                   r.visit_id, r.kiosk_id, r.channel)
            .where(*filters).order_by(r.submitted_at, r.id))
    ]
    by_id = {row.id: row for row in rows}
    ids = list(by_id)
    for offset in range(0, len(ids), BATCH):
        for response_id, code, value in db.session.execute(
            select(Answer.response_id, Question.code, Answer.value)
            .join(Question, Question.id == Answer.question_id)
            .where(Answer.response_id.in_(ids[offset:offset + BATCH]))
        ):
            by_id[response_id].ratings[code] = value
    return rows


@dataclass(frozen=True)
class Spell:
    """One assignment: a staff member at a counter from `starts_at` until `ends_at`."""

    staff_id: int
    starts_at: datetime
    ends_at: datetime | None


def assignment_spells(counter_ids: Iterable[int]) -> dict[int, list[Spell]]:
    """Every assignment of the counters, per counter, oldest first."""
    spells: dict[int, list[Spell]] = {}
    for counter_id, staff_id, starts_at, ends_at in db.session.execute(
        select(Assignment.counter_id, Assignment.staff_id, Assignment.starts_at,
               Assignment.ends_at)
        .where(Assignment.counter_id.in_(sorted(set(counter_ids))))
        .order_by(Assignment.starts_at, Assignment.id)
    ):
        spells.setdefault(counter_id, []).append(Spell(staff_id, starts_at, ends_at))
    return spells


def attribute(rows: Iterable[Row], spells: dict[int, list[Spell]], new_counter_days: int) -> None:
    """Set each row's staff member (the latest assignment covering its time) and mark the
    responses within `new_counter_days` of that staff member's first day at the counter."""
    window = timedelta(days=new_counter_days)
    for row in rows:
        found = None
        first_start = {}
        for spell in spells.get(row.counter_id, ()):
            first_start.setdefault(spell.staff_id, spell.starts_at)
            if spell.starts_at <= row.submitted_at and (
                    spell.ends_at is None or spell.ends_at > row.submitted_at):
                found = spell
        row.staff_id = found.staff_id if found else None
        row.first_days = bool(found) and new_counter_days > 0 \
            and row.submitted_at - first_start[found.staff_id] < window


def staff_counters(staff_id: int, start: datetime, end: datetime) -> set[int]:
    """Counters the staff member was assigned to at some time in [start, end)."""
    return set(db.session.execute(
        select(Assignment.counter_id).where(
            Assignment.staff_id == staff_id, Assignment.starts_at < end,
            (Assignment.ends_at.is_(None)) | (Assignment.ends_at > start))
    ).scalars())
