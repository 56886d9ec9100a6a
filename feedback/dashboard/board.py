"""The public results board of a centre (for its TV screen): publish, replace, read its numbers.

The board shows aggregate numbers only: never comments, contact details or staff names unless
the centre opted in (then the names of the staff on duty now, with their share of the last whole
month: a share of this month would move with each citizen they serve, `subject`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core.db import db
from core.timeutil import local_today
from feedback.dashboard.queries import Scope, rating_tallies
from feedback.periods import PeriodKind, containing
from feedback.scoring import OVERALL, CriterionIndex, Tally, criterion_index, indices
from surveys.models import Centre
from surveys.queries import staff_on_duty
from surveys.services import new_token


def publish_board(centre: Centre) -> str:
    """Give the centre a new board token (the old board address stops working); flushes."""
    centre.board_token = new_token()
    db.session.flush()
    return centre.board_token


def set_board_staff_names(centre: Centre, show: bool) -> None:
    """Record whether the centre opted in to staff names on its board; flushes."""
    centre.board_show_staff = show
    db.session.flush()


def find_board(token: str) -> Centre | None:
    """The active centre whose board has this token."""
    if not token or len(token) > 64:
        return None
    return db.session.execute(
        select(Centre).where(Centre.board_token == token, Centre.active.is_(True))
    ).scalar_one_or_none()


@dataclass(frozen=True)
class OnDuty:
    """A counter and, when the centre opted in, who serves there now and their share of the
    last whole month."""

    counter: str
    staff_name: str | None
    index: CriterionIndex | None


@dataclass(frozen=True)
class Board:
    """Today's and this month's satisfaction of a centre."""

    today: CriterionIndex
    month: CriterionIndex
    criteria: list[CriterionIndex]
    counters: list[OnDuty]


def board_numbers(centre: Centre, codes: list[str], min_responses: int,
                  now: datetime) -> Board:
    """The numbers of a centre's board at `now`."""
    scope = Scope(centre_id=centre.id)
    day = containing(PeriodKind.DAY, local_today(now))
    month = containing(PeriodKind.MONTH, local_today(now))
    today = rating_tallies(scope, day, ("question",), codes=[OVERALL])
    this_month = {k[0]: t for k, t in rating_tallies(scope, month, ("question",)).items()}
    by_staff = {}
    if centre.board_show_staff:
        by_staff = {k[0]: t for k, t in rating_tallies(
            scope, month.previous(), ("staff",), codes=[OVERALL]).items()}
    counters = []
    for counter in centre.counters:
        if not counter.active:
            continue
        staff = staff_on_duty(counter.id, now) if centre.board_show_staff else None
        counters.append(OnDuty(
            counter.label, staff.full_name if staff else None,
            criterion_index(OVERALL, by_staff.get(staff.id, Tally()), min_responses)
            if staff else None))
    return Board(
        today=criterion_index(OVERALL, today.get((OVERALL,), Tally()), min_responses),
        month=criterion_index(OVERALL, this_month.get(OVERALL, Tally()), min_responses),
        criteria=indices(this_month, codes, min_responses),
        counters=counters,
    )
