"""Reads of the organisation and surveys: tokens, who is on duty, unit lineage."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select

from core.db import db
from surveys.models import (
    COMMUNE_LEVEL,
    Assignment,
    Centre,
    Counter,
    CounterToken,
    ProcedureArea,
    Staff,
    Survey,
    SurveyPublication,
    Unit,
)

#: What a QR token can look like (URL-safe base64); anything else is unknown without a query.
_TOKEN_TEXT = re.compile(r"[A-Za-z0-9_-]{16,64}")


def find_counter_token(token: str) -> CounterToken | None:
    """The token row (current or revoked) for a scanned token, or None if unknown."""
    if not token or not _TOKEN_TEXT.fullmatch(token):
        return None
    return db.session.execute(
        select(CounterToken).where(CounterToken.token == token)
    ).scalar_one_or_none()


def current_token(counter: Counter) -> CounterToken | None:
    """The counter's token that is not revoked."""
    return db.session.execute(
        select(CounterToken)
        .where(CounterToken.counter_id == counter.id, CounterToken.revoked_at.is_(None))
        .order_by(CounterToken.issued_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def _covers(at: datetime) -> ColumnElement[bool]:
    """Assignments running at the moment `at`."""
    return and_(Assignment.starts_at <= at,
                or_(Assignment.ends_at.is_(None), Assignment.ends_at > at))


def staff_on_duty(counter_id: int, at: datetime) -> Staff | None:
    """The staff member whose assignment to the counter covers the moment `at`, if any."""
    return db.session.execute(
        select(Staff)
        .join(Assignment, Assignment.staff_id == Staff.id)
        .where(Assignment.counter_id == counter_id, _covers(at))
        .order_by(Assignment.starts_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def on_duty_by_unit(unit_ids: set[int] | None, at: datetime) -> dict[int, list[Staff]]:
    """Who is on duty at `at` at the counters in operation of the given units' centres (all
    for None): per centre unit, the staff members by name."""
    query = (select(Centre.unit_id, Staff)
             .join(Assignment, Assignment.staff_id == Staff.id)
             .join(Counter, Counter.id == Assignment.counter_id)
             .join(Centre, Centre.id == Counter.centre_id)
             .where(_covers(at), Counter.active.is_(True), Centre.active.is_(True))
             .order_by(Staff.full_name, Staff.id).distinct())
    if unit_ids is not None:
        query = query.where(Centre.unit_id.in_(unit_ids))
    found: dict[int, list[Staff]] = {}
    for unit_id, staff in db.session.execute(query):
        found.setdefault(unit_id, []).append(staff)
    return found


def unit_ancestor_ids(unit_id: int) -> list[int]:
    """The unit, its parent, the parent's parent... nearest first."""
    chain: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in chain:
        chain.append(current)
        current = db.session.execute(
            select(Unit.parent_id).where(Unit.id == current)).scalar_one_or_none()
    return chain


def active_survey(unit_id: int | None) -> Survey | None:
    """The survey version the counters of a unit ask now: the unit's own, else that of the
    nearest unit above it, else the national one. ``None`` asks for the national one."""
    chain = unit_ancestor_ids(unit_id) if unit_id is not None else []
    found = {survey.unit_id: survey for survey in db.session.execute(
        select(Survey).where(Survey.active.is_(True),
                             or_(Survey.unit_id.is_(None), Survey.unit_id.in_(chain)))
        .order_by(Survey.version)).scalars()}
    return next((found[unit] for unit in [*chain, None] if unit in found), None)


def units_and_ancestors(unit_ids: Iterable[int]) -> set[int]:
    """The units and every unit above any of them (one query per level)."""
    found = set(unit_ids)
    frontier = set(found)
    while frontier:
        parents = set(db.session.execute(
            select(Unit.parent_id).where(Unit.id.in_(sorted(frontier)),
                                         Unit.parent_id.is_not(None))).scalars())
        frontier = parents - found
        found |= frontier
    return found


def survey_applies_to(survey: Survey, unit_id: int) -> bool:
    """True when the survey is national or belongs to the unit or a unit above it."""
    return survey.unit_id is None or survey.unit_id in unit_ancestor_ids(unit_id)


def unit_lineage_ids(unit_id: int) -> set[int]:
    """The unit and every unit merged into it, directly or through earlier mergers.

    A report on a ward formed by merging three old wards covers the old wards' responses too.
    """
    found = {unit_id}
    frontier = {unit_id}
    while frontier:
        predecessors = set(
            db.session.execute(select(Unit.id).where(Unit.successor_id.in_(frontier))).scalars()
        )
        frontier = predecessors - found
        found |= frontier
    return found


def _reachable(start: Iterable[int], edges: dict[int, list[int]]) -> set[int]:
    found, frontier = set(), list(start)
    while frontier:
        current = frontier.pop()
        if current not in found:
            found.add(current)
            frontier.extend(edges.get(current, ()))
    return found


def _unit_links() -> dict[int, list[int]]:
    """Each unit's anchors: the unit above it and the unit it was merged into (one query)."""
    return {unit_id: [a for a in (parent, successor) if a is not None]
            for unit_id, parent, successor in db.session.execute(
                select(Unit.id, Unit.parent_id, Unit.successor_id))}


def unit_tree_ids(unit_id: int) -> frozenset[int]:
    """A unit, the units below it, and every unit merged into any of them (one query)."""
    below: dict[int, list[int]] = {}
    for child, anchors in _unit_links().items():
        for anchor in anchors:
            below.setdefault(anchor, []).append(child)
    return frozenset(_reachable([unit_id], below))


def units_counting(unit_ids: Iterable[int]) -> set[int]:
    """The units whose trees (`unit_tree_ids`) hold any of these: each unit, the unit it was
    merged into and every unit above them (one query)."""
    return _reachable(unit_ids, _unit_links())


def units_counting_each(unit_ids: Iterable[int]) -> dict[int, set[int]]:
    """`units_counting` of each unit on its own (one query for all)."""
    links = _unit_links()
    return {unit_id: _reachable([unit_id], links) for unit_id in unit_ids}


def procedure_areas_for(counter: Counter) -> list[ProcedureArea]:
    """The procedure areas a counter serves, or every area when none is set."""
    return list(counter.procedure_areas) or list(
        db.session.execute(select(ProcedureArea).order_by(ProcedureArea.code)).scalars()
    )


def unit_by_code(code: str) -> Unit | None:
    """The unit with an official code."""
    return db.session.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none()


def centres_in_scope(unit_ids: set[int] | None) -> list[Centre]:
    """Centres of the given units (all centres for None), ordered by unit and name."""
    query = select(Centre).join(Unit).order_by(Unit.name, Centre.name)
    if unit_ids is not None:
        query = query.where(Centre.unit_id.in_(unit_ids))
    return list(db.session.execute(query).scalars())


def staff_in_scope(unit_ids: set[int] | None) -> list[Staff]:
    """Active staff of the given units (all for None), by name."""
    query = select(Staff).where(Staff.active.is_(True)).order_by(Staff.full_name)
    if unit_ids is not None:
        query = query.where(Staff.unit_id.in_(unit_ids))
    return list(db.session.execute(query).scalars())


def units_in_scope(unit_ids: set[int] | None) -> list[Unit]:
    """Units currently in force among the given ones (all for None), by name."""
    query = select(Unit).where(Unit.valid_to.is_(None)).order_by(Unit.name)
    if unit_ids is not None:
        query = query.where(Unit.id.in_(unit_ids))
    return list(db.session.execute(query).scalars())


def communes_in_scope(unit_ids: set[int] | None) -> list[Unit]:
    """The commune-level units in force (phường, xã, đặc khu) among the given ones, by name:
    what a "Phường, xã, đặc khu" list offers, never the province above them."""
    return [u for u in units_in_scope(unit_ids) if u.kind in COMMUNE_LEVEL]


def survey_versions(unit_ids: set[int] | None) -> list[Survey]:
    """The national survey versions and those of the given units (all for None), newest first."""
    query = select(Survey).order_by(Survey.version.desc())
    if unit_ids is not None:
        query = query.where(or_(Survey.unit_id.is_(None), Survey.unit_id.in_(unit_ids)))
    return list(db.session.execute(query).scalars())


def survey_publications(unit_ids: set[int] | None) -> list[SurveyPublication]:
    """The record of publications, national ones and those for the given units (all for
    None), newest first."""
    query = select(SurveyPublication).order_by(SurveyPublication.published_at.desc(),
                                               SurveyPublication.id.desc())
    if unit_ids is not None:
        query = query.where(or_(SurveyPublication.unit_id.is_(None),
                                SurveyPublication.unit_id.in_(unit_ids)))
    return list(db.session.execute(query).scalars())
