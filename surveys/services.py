"""Write operations on the organisation and surveys. They flush; the caller commits once."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import or_, select, update

from core.db import db, now_utc
from surveys.defaults import DEFAULT_QUESTIONS, PROCEDURE_AREAS, QuestionSpec
from surveys.models import (
    Assignment,
    Centre,
    Counter,
    CounterToken,
    ProcedureArea,
    Question,
    QuestionKind,
    Staff,
    Survey,
    SurveyPublication,
    Unit,
    UnitKind,
)
from surveys.queries import active_survey, current_token

TOKEN_BYTES = 24  # 192 bits of randomness, URL-safe text of 32 characters


class OrganisationError(ValueError):
    """A requested change to the organisation is not possible."""


def new_token() -> str:
    """A fresh unguessable token for a QR code."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def create_unit(code: str, name: str, kind: UnitKind, parent: Unit | None = None,
                valid_from: date | None = None) -> Unit:
    """Add a province or commune-level unit."""
    unit = Unit(code=code, name=name, kind=kind, parent=parent, valid_from=valid_from)
    db.session.add(unit)
    db.session.flush()
    return unit


def merge_units(old_units: Iterable[Unit], successor: Unit, last_day: date) -> None:
    """Record that the old units ended on `last_day` and were merged into `successor`.

    The old units keep their history; reports on the successor include it.
    """
    for unit in old_units:
        if unit.id == successor.id:
            raise OrganisationError("a unit cannot be merged into itself")
        unit.valid_to = last_day
        unit.successor = successor
    db.session.flush()


def create_centre(unit: Unit, name: str, address: str = "") -> Centre:
    """Add a service centre (or a service point) to a unit."""
    centre = Centre(unit=unit, name=name, address=address)
    db.session.add(centre)
    db.session.flush()
    return centre


def create_counter(centre: Centre, label: str,
                   procedure_areas: Sequence[ProcedureArea] = ()) -> Counter:
    """Add a counter with its first QR token."""
    counter = Counter(centre=centre, label=label, procedure_areas=list(procedure_areas))
    db.session.add(counter)
    db.session.add(CounterToken(counter=counter, token=new_token()))
    db.session.flush()
    return counter


def rotate_counter_token(counter: Counter) -> CounterToken:
    """Revoke the counter's current QR token and issue a new one (old posters then answer 410)."""
    now = now_utc()
    db.session.execute(
        update(CounterToken)
        .where(CounterToken.counter_id == counter.id, CounterToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    token = CounterToken(counter=counter, token=new_token(), issued_at=now)
    db.session.add(token)
    db.session.flush()
    return token


def ensure_counter_token(counter: Counter) -> CounterToken:
    """The counter's current token, issuing one if it has none."""
    return current_token(counter) or rotate_counter_token(counter)


def create_staff(code: str, full_name: str, unit: Unit, position: str = "") -> Staff:
    """Add a civil servant who can be rated."""
    staff = Staff(code=code, full_name=full_name, unit=unit, position=position)
    db.session.add(staff)
    db.session.flush()
    return staff


def overlapping_assignments(counter_id: int, staff_id: int, starts_at: datetime,
                            ends_at: datetime | None, except_id: int | None = None
                            ) -> list[Assignment]:
    """The assignments of that counter, or of that person at any counter, that [starts_at,
    ends_at) would overlap (a counter has one person on duty, a person sits at one counter),
    earliest first; `except_id`: the assignment being corrected."""
    filters = [or_(Assignment.counter_id == counter_id, Assignment.staff_id == staff_id),
               or_(Assignment.ends_at.is_(None), Assignment.ends_at > starts_at)]
    if ends_at is not None:
        filters.append(Assignment.starts_at < ends_at)
    if except_id is not None:
        filters.append(Assignment.id != except_id)
    return list(db.session.execute(
        select(Assignment).where(*filters).order_by(Assignment.starts_at)).scalars())


def assign_staff(staff: Staff, counter: Counter, starts_at: datetime | None = None,
                 ends_at: datetime | None = None) -> Assignment:
    """Seat a staff member at a counter from `starts_at` (default now).

    Any open assignment of that counter, or of that person elsewhere, ends when this one starts,
    so at any moment a counter has at most one person on duty.
    """
    starts_at = starts_at or now_utc()
    if ends_at is not None and ends_at <= starts_at:
        raise OrganisationError("an assignment must end after it starts")
    for previous in overlapping_assignments(counter.id, staff.id, starts_at, ends_at):
        if previous.starts_at >= starts_at:
            raise OrganisationError("an assignment already starts at or after this time")
        previous.ends_at = starts_at
    assignment = Assignment(staff=staff, counter=counter, starts_at=starts_at, ends_at=ends_at)
    db.session.add(assignment)
    db.session.flush()
    return assignment


class SurveyScopeError(PermissionError):
    """The publisher may not publish for that unit (or nationally)."""


def may_publish_for(scope: set[int] | None, unit_id: int | None) -> bool:
    """Whether a publisher whose units are `scope` (None: the whole country) may publish the
    survey of `unit_id` (None: the national default, for the whole country only)."""
    if scope is None:
        return True
    return unit_id is not None and unit_id in scope


def publish_survey(questions: Sequence[QuestionSpec], note: str = "", *,
                   scope: set[int] | None, unit_id: int | None = None,
                   published_by_id: int | None = None) -> Survey:
    """Publish a new survey version for a unit (None: the national default) and make it the
    one that unit's counters, and those of the units below it without their own, ask.

    `scope` are the publisher's units (None: the whole country, or the command line; always
    given, so no caller gets the whole country by omission); a unit
    outside it, or the national default for anyone but the whole country, raises
    SurveyScopeError before anything is stored. Other units' versions are left alone; earlier
    versions stay, so every past response keeps the questions it answered. The publication is
    recorded (who, when, which unit, which version).
    """
    if not may_publish_for(scope, unit_id):
        raise SurveyScopeError("this unit is outside the publisher's scope")
    if not questions:
        raise OrganisationError("a survey needs at least one question")
    if not any(q.code == "overall" for q in questions):
        raise OrganisationError("a survey needs the overall rating")
    latest = db.session.execute(select(db.func.max(Survey.version))).scalar() or 0
    same_unit = Survey.unit_id.is_(None) if unit_id is None else Survey.unit_id == unit_id
    db.session.execute(update(Survey).where(same_unit).values(active=False))
    survey = Survey(version=latest + 1, unit_id=unit_id, active=True, note=note)
    db.session.add(survey)
    for position, spec in enumerate(questions, start=1):
        survey.questions.append(_question_from_spec(spec, position))
    db.session.flush()
    db.session.add(SurveyPublication(survey_id=survey.id, unit_id=unit_id,
                                     published_by_id=published_by_id,
                                     published_at=survey.published_at))
    db.session.flush()
    return survey


def _question_from_spec(spec: QuestionSpec, position: int) -> Question:
    return Question(code=spec.code, kind=QuestionKind.RATING, criterion=spec.criterion,
                    required=spec.required, position=position,
                    prompt_vi=spec.prompt_vi, prompt_en=spec.prompt_en)


def ensure_default_survey() -> Survey:
    """The national survey, publishing the default SIPAS questionnaire when there is none."""
    return active_survey(None) or publish_survey(DEFAULT_QUESTIONS, note="default",
                                                   scope=None)


def ensure_procedure_areas() -> list[ProcedureArea]:
    """Create the common procedure areas that do not exist yet; return all of them."""
    existing = {a.code: a for a in db.session.execute(select(ProcedureArea)).scalars()}
    for code, name_vi, name_en in PROCEDURE_AREAS:
        if code not in existing:
            existing[code] = ProcedureArea(code=code, name_vi=name_vi, name_en=name_en)
            db.session.add(existing[code])
    db.session.flush()
    return sorted(existing.values(), key=lambda a: a.code)
