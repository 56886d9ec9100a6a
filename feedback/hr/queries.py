"""Reads for HR evaluation and integrity screening: response rows with their ratings.

A response belongs to the staff member stored on it (`feedback.attribution` decides that once,
when it is stored, and again when an assignment is corrected); the assignment history only
tells which responses fall in a staff member's first days at a counter.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select

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
    #: The staff member the response is attributed to (None: nobody on duty).
    staff_id: int | None
    #: False while integrity flags hold it out of the scores.
    counted: bool = True
    ratings: dict[str, int] = field(default_factory=dict)
    #: Within the configured first days of the staff member at this counter.
    first_days: bool = False

    def integrity_row(self) -> ResponseRow:
        """The fields the integrity rules look at."""
        return ResponseRow(self.id, self.submitted_at, self.counter_id, self.centre_id,
                           self.device_hash, self.ip_hash, tuple(sorted(self.ratings.items())),
                           self.verified, self.kiosk)


def _row_select():
    r = Response
    return select(r.id, r.public_id, r.submitted_at, r.unit_id, r.centre_id, r.counter_id,
                  r.procedure_area_id, r.comment, r.sentiment, r.device_hash, r.ip_hash,
                  r.visit_id, r.kiosk_id, r.channel, r.staff_id, r.counted)


@functools.cache
def _ratings_statement():
    return (select(Answer.response_id, Question.code, Answer.value)
            .join(Question, Question.id == Answer.question_id)
            .where(Answer.response_id.in_(bindparam("ids", expanding=True))))


def _rows(*filters, statement=None, params: dict | None = None) -> list[Row]:
    """The rows that `filters` select (or a prebuilt `statement` with its `params`)."""
    if statement is None:
        statement = _row_select().where(*filters).order_by(Response.submitted_at, Response.id)
    rows = [
        Row(id=i, public_id=p, submitted_at=at, unit_id=u, centre_id=c, counter_id=k,
            area_id=a, comment=text, sentiment_label=label, device_hash=d, ip_hash=ip,
            verified=visit is not None, kiosk=kiosk is not None or channel == Channel.KIOSK,
            staff_id=staff, counted=counted)
        for i, p, at, u, c, k, a, text, label, d, ip, visit, kiosk, channel, staff, counted
        in db.session.execute(statement, params)
    ]
    by_id = {row.id: row for row in rows}
    ids = list(by_id)
    for offset in range(0, len(ids), BATCH):
        for response_id, code, value in db.session.execute(
                _ratings_statement(), {"ids": ids[offset:offset + BATCH]}):
            by_id[response_id].ratings[code] = value
    return rows


def load_rows(unit_ids: Iterable[int], start: datetime, end: datetime,
              staff_id: int | None = None) -> list[Row]:
    """Responses of the units submitted in [start, end), oldest first, with their ratings
    (only those attributed to `staff_id` when given)."""
    filters = [Response.unit_id.in_(sorted(unit_ids)), Response.submitted_at >= start,
               Response.submitted_at < end]
    if staff_id is not None:
        filters.append(Response.staff_id == staff_id)
    return _rows(*filters)


def window_rows(counter_id: int, start: datetime, end: datetime, device_hash: str | None,
                device_start: datetime, device_end: datetime) -> list[Row]:
    """What the integrity rules look at around one response: its counter's responses in
    [start, end] and its device's responses anywhere in [device_start, device_end]."""
    params = {"counter_id": counter_id, "start": start, "end": end}
    if device_hash is not None:
        params.update(device_hash=device_hash, device_start=device_start,
                      device_end=device_end)
    return _rows(statement=_window_statement(device_hash is not None), params=params)


@functools.cache
def _window_statement(with_device: bool):
    """`window_rows`'s query, built once (every stored response is screened)."""
    r = Response
    around = ((r.counter_id == bindparam("counter_id")) & (r.submitted_at >= bindparam("start"))
              & (r.submitted_at <= bindparam("end")))
    if with_device:
        around = around | ((r.device_hash == bindparam("device_hash"))
                           & (r.submitted_at >= bindparam("device_start"))
                           & (r.submitted_at <= bindparam("device_end")))
    return _row_select().where(around).order_by(r.submitted_at, r.id)


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


def mark_first_days(rows: Iterable[Row], spells: dict[int, list[Spell]],
                    new_counter_days: int) -> None:
    """Mark the responses within `new_counter_days` of their staff member's first day at the
    counter."""
    window = timedelta(days=new_counter_days)
    for row in rows:
        if row.staff_id is None or new_counter_days <= 0:
            continue
        first = next((spell.starts_at for spell in spells.get(row.counter_id, ())
                      if spell.staff_id == row.staff_id), None)
        row.first_days = first is not None and timedelta(0) <= row.submitted_at - first < window
