"""The Decision 766 / SIPAS pack of a ward, or of a province, for a period (reads only).

For a ward: one row for the ward, then one per centre, counter and officer; for a province: one
row per ward (the units merged into a ward count as the ward, as in every report). Each row has
the three-level counts of the overall answer, the three Decision 766 ratios and the share
satisfied on each SIPAS factor.

What counts, the way the rest of the product counts it:
- a *visit* is a response held in the scores (`Response.counted`) of the period;
- a *complaint* is a case opened on a response of the period, unless it was dismissed as spam
  or withdrawn as suspected ballot stuffing (neither is a complaint someone made);
- a complaint is *late* when it was resolved (or dismissed as unfounded) after its due date or
  is still open past it; it is
  *rated dissatisfied* when the citizen's follow-up said it was not solved or rated it 1–3;
- a visit is *dissatisfied* when its overall answer is on level "không hài lòng" (1–3, see
  `Level3`) and *complained* when it has a complaint.
SIPAS factor 5 (handling of feedback) comes from the answered follow-ups of the complaints. The
reasons for dissatisfaction the citizens ticked are ranked per row, most given first.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Exists, exists, func, or_, select
from sqlalchemy import case as when

from core.db import db
from core.timeutil import local_today, to_local
from feedback.cases.ending import NOT_COMPLAINTS, dismissed_at, ended_at
from feedback.cases.models import Case
from feedback.cases.sla import is_late
from feedback.hr.profiles import Level3
from feedback.hr.queries import Row, load_rows
from feedback.models import Answer, Response
from feedback.periods import Period
from feedback.reasons import ranked, reasons_of
from feedback.scoring import OVERALL, SATISFIED_FROM, SatisfiedShare, Tally
from feedback.standards.decision766 import (
    ComplaintFacts,
    Ratio,
    RatioCode,
    VisitFacts,
    complaint_handling_satisfied,
    complaints_on_time,
    ratios,
)
from surveys.models import Centre, Counter, Question, Staff, Unit, UnitKind
from surveys.queries import unit_lineage_ids

#: The SIPAS factors as the survey's question codes; "feedback" is asked after a complaint.
FACTORS = ("access", "procedure", "staff", "result", "feedback")
FEEDBACK_FACTOR = "feedback"
WARD_KINDS = (UnitKind.WARD, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE)


class Level(enum.StrEnum):
    """What a row of the pack is about."""

    UNIT = "unit"
    CENTRE = "centre"
    COUNTER = "counter"
    STAFF = "staff"


@dataclass
class PackRow:
    """One ward, centre, counter or officer in the pack."""

    level: Level
    unit: Unit
    code: str
    name: str
    level3: Level3
    ratios: list[Ratio]
    factors: dict[str, SatisfiedShare]
    #: Reasons for dissatisfaction, most given first: (code, responses that gave it).
    reasons: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class _Complaint:
    response: Row
    facts: ComplaintFacts
    rating: int | None


@dataclass
class _Group:
    visits: list[Row] = field(default_factory=list)
    complaints: list[_Complaint] = field(default_factory=list)
    reasons: list[set[str]] = field(default_factory=list)


@dataclass
class _Loaded:
    rows: list[Row]
    complaints: dict[int, _Complaint]
    reasons: dict[int, set[str]]


def _complaints(rows: list[Row], today: date) -> dict[int, _Complaint]:
    """The complaints opened on the rows' responses, by response id."""
    by_id = {row.id: row for row in rows}
    found: dict[int, _Complaint] = {}
    ids = sorted(by_id)
    for offset in range(0, len(ids), 5000):
        for case, dismissed in db.session.execute(
            select(Case, dismissed_at()).where(Case.response_id.in_(ids[offset:offset + 5000]))
        ):
            if case.dismiss_reason in NOT_COMPLAINTS:
                continue
            answered = case.followup_rating if case.followup_answered_at is not None else None
            found[case.response_id] = _Complaint(
                by_id[case.response_id],
                complaint_facts(case.due_on, ended_at(case.status, case.resolved_at,
                                                      case.closed_at, dismissed),
                                case.followup_solved, case.followup_rating, today), answered)
    return found


def complaint_facts(due_on: date, ended: datetime | None, solved: bool | None,
                    rating: int | None, today: date) -> ComplaintFacts:
    """Late (resolved after its due date, or open past it) and rated dissatisfied (the
    follow-up said not solved, or rated it 1–3)."""
    late = bool(is_late(due_on, to_local(ended).date() if ended else None, today))
    return ComplaintFacts(late, solved is False or (rating is not None
                                                    and rating < SATISFIED_FROM))


def _ratios(group: _Group) -> list[Ratio]:
    complained = {c.response.id for c in group.complaints}
    visit_facts = [VisitFacts(v.ratings.get(OVERALL, SATISFIED_FROM) < SATISFIED_FROM,
                              v.id in complained) for v in group.visits]
    return ratios([c.facts for c in group.complaints], visit_facts)


def _row(level: Level, unit: Unit, code: str, name: str, group: _Group) -> PackRow:
    overall = [v.ratings[OVERALL] for v in group.visits if OVERALL in v.ratings]
    level3 = Level3.of(Tally.of(overall))
    factors = {}
    for factor in FACTORS:
        if factor == FEEDBACK_FACTOR:
            values = [c.rating for c in group.complaints if c.rating is not None]
        else:
            values = [v.ratings[factor] for v in group.visits if factor in v.ratings]
        factors[factor] = SatisfiedShare(sum(value >= SATISFIED_FROM for value in values),
                                         len(values))
    return PackRow(level, unit, code, name, level3, _ratios(group), factors,
                   ranked(group.reasons))


def _groups(loaded: _Loaded, key: Callable[[Row], object]) -> dict[object, _Group]:
    groups: dict[object, _Group] = defaultdict(_Group)
    for row in loaded.rows:
        group = groups[key(row)]
        group.visits.append(row)
        if row.id in loaded.complaints:
            group.complaints.append(loaded.complaints[row.id])
        if row.id in loaded.reasons:
            group.reasons.append(loaded.reasons[row.id])
    return groups


def _load(unit_ids: set[int], period: Period, keep: Callable[[Row], bool] = lambda row: True,
          staff_id: int | None = None) -> _Loaded:
    start, end = period.utc_bounds()
    rows = [row for row in load_rows(unit_ids, start, end, staff_id)
            if row.counted and keep(row)]
    return _Loaded(rows, _complaints(rows, local_today()), reasons_of(row.id for row in rows))


def _dissatisfied_overall(response_id) -> Exists:
    """Whether the response whose id is `response_id` (a column) rated the overall question
    on the "không hài lòng" level (below SATISFIED_FROM)."""
    return exists().where(Answer.response_id == response_id, Answer.question_id == Question.id,
                          Question.code == OVERALL, Answer.value < SATISFIED_FROM)


def scope_ratios(unit_ids: set[int] | None, period: Period, centre_id: int | None = None,
                 counter_id: int | None = None, staff_id: int | None = None,
                 area_id: int | None = None, overall: Tally | None = None) -> list[Ratio]:
    """The three Decision 766 ratios of the responses of the units (None: every unit) in the
    period, narrowed to a centre, counter, officer or procedure area when given (the
    dashboard's scope). Counted in the database — the same facts as the pack, without reading
    a row per response (a province's month has hundreds of thousands). `overall`, the tally
    of the scope's overall answers when the caller has it (the dashboard's rollups), saves
    counting the visits again: then only the complaints are read."""
    start, end = period.utc_bounds()
    r = Response
    visits = [r.counted.is_(True), r.submitted_at >= start, r.submitted_at < end]
    if unit_ids is not None:
        visits.append(r.unit_id.in_(sorted(unit_ids)))
    visits += [column == wanted for column, wanted in (
        (r.centre_id, centre_id), (r.counter_id, counter_id), (r.staff_id, staff_id),
        (r.procedure_area_id, area_id)) if wanted is not None]
    if overall is None:
        count, dissatisfied = db.session.execute(select(
            func.count(r.id),
            func.coalesce(func.sum(when((_dissatisfied_overall(r.id), 1), else_=0)), 0))
            .where(*visits)).one()
    else:
        count, dissatisfied = overall.n, sum(overall.counts[:SATISFIED_FROM - 1])
    today = local_today()
    complaints, complained_content = [], 0
    # From the cases opened since the period began (a case opens with or after its response),
    # those whose response is a visit of the scope: the database walks the cases, not the
    # period's responses.
    of_visit = exists().where(r.id == Case.response_id, *visits)
    for status, due_on, resolved, closed, dismissed, solved, rating, low_one in db.session.execute(
            select(Case.status, Case.due_on, Case.resolved_at, Case.closed_at, dismissed_at(),
                   Case.followup_solved, Case.followup_rating,
                   _dissatisfied_overall(Case.response_id))
            .where(Case.opened_at >= start, of_visit,
                   or_(Case.dismiss_reason.is_(None),
                       Case.dismiss_reason.not_in(NOT_COMPLAINTS)))):
        complaints.append(complaint_facts(due_on, ended_at(status, resolved, closed, dismissed),
                                          solved, rating, today))
        complained_content += not low_one
    return [complaints_on_time(complaints), complaint_handling_satisfied(complaints),
            Ratio(RatioCode.DOSSIER_SATISFIED, count - dissatisfied - complained_content, count)]


def ward_pack(unit: Unit, period: Period) -> list[PackRow]:
    """The ward, then each of its centres, counters and officers with responses in the period."""
    loaded = _load(unit_lineage_ids(unit.id), period)
    whole = _groups(loaded, lambda r: unit.id).get(unit.id, _Group())
    pack = [_row(Level.UNIT, unit, unit.code, unit.name, whole)]
    for level, key, model, describe in (
        (Level.CENTRE, lambda r: r.centre_id, Centre, lambda c: (str(c.id), c.name)),
        (Level.COUNTER, lambda r: r.counter_id, Counter,
         lambda c: (str(c.id), f"{c.label} · {c.centre.name}")),
        (Level.STAFF, lambda r: r.staff_id, Staff, lambda s: (s.code, s.full_name)),
    ):
        groups = _groups(loaded, key)
        groups.pop(None, None)
        things = {thing.id: thing for thing in db.session.execute(
            select(model).where(model.id.in_(groups))).scalars()}
        for thing_id in sorted(groups, key=lambda i: describe(things[i])[1]):
            code, name = describe(things[thing_id])
            pack.append(_row(level, unit, code, name, groups[thing_id]))
    return pack


def wards_of(province: Unit) -> list[Unit]:
    """The province's current wards, communes and special zones (not those merged away)."""
    return list(db.session.execute(
        select(Unit).where(Unit.parent_id == province.id, Unit.kind.in_(WARD_KINDS),
                           Unit.successor_id.is_(None)).order_by(Unit.code)).scalars())


def province_pack(province: Unit, period: Period) -> list[PackRow]:
    """One row per ward of the province, in the order of the official codes."""
    wards = wards_of(province)
    ward_of = {old: ward for ward in wards for old in unit_lineage_ids(ward.id)}
    loaded = _load(set(ward_of), period)
    groups = _groups(loaded, lambda r: ward_of[r.unit_id].id)
    return [_row(Level.UNIT, ward, ward.code, ward.name, groups.get(ward.id, _Group()))
            for ward in wards]


def pack(unit: Unit, period: Period) -> list[PackRow]:
    """The province's ward rows, or the ward's own rows, by the unit's level."""
    return province_pack(unit, period) if unit.kind == UnitKind.PROVINCE else ward_pack(unit,
                                                                                         period)
