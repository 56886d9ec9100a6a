"""Fixtures for HR evaluation: a ward with three staff at three counters, responses stored
through the real service at chosen local times."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from hr_support import SINCE, local, weekday_slots

from core.db import db
from feedback import sentiment
from feedback.dashboard.folding import after_submission_commit
from feedback.services import Submission, record_response
from surveys.models import Counter, ProcedureArea, Staff, Survey


@pytest.fixture
def app(make_app):
    """The shipped integrity rules, opening hours included: HR tests store their responses at
    chosen local times."""
    return make_app(HR_INTEGRITY_RULES=None)


@pytest.fixture(autouse=True)
def quiet_tagger(monkeypatch):
    """Comments are tagged "negative" when they contain "tệ", else "neutral" (no model load)."""

    def tag(text: str) -> sentiment.Tagging:
        label = "negative" if "tệ" in text else "neutral"
        return sentiment.Tagging(label, 0.9, (), False, "test-model")

    monkeypatch.setattr(sentiment, "tag", tag)


@pytest.fixture
def ward(app, create_org) -> dict:
    """Ward 00001 with counters for land (A), civil status (B) and both (C), staff since June."""
    return _ward(app, create_org)


def _ward(app, create_org) -> dict:
    org = create_org("00001", counters=3, since=SINCE)
    with app.app_context():
        areas = {a.code: a for a in db.session.execute(db.select(ProcedureArea)).scalars()}
        org["areas"] = {code: area.id for code, area in areas.items()}
        names = ("Nguyễn Thị Hường", "Trần Văn Bình", "Lê Thị Cúc")
        for counter, name in zip(org["counters"], names, strict=True):
            db.session.get(Staff, counter["staff_id"]).full_name = name
            counter["staff_name"] = name
        db.session.commit()
    return org


@pytest.fixture
def add(app):
    """Store a response at counter index `counter` of `org` (all five ratings = `overall`
    unless `ratings` says otherwise); returns its id."""

    def do(org: dict, at: datetime, overall: int, counter: int = 0, area: str | None = None,
           device: str | None = None, ip: str | None = None, comment: str | None = None,
           ratings: dict[str, int] | None = None, visit_id: int | None = None,
           reasons: tuple[str, ...] = ()) -> int:
        with app.app_context():
            survey = db.session.get(Survey, org["survey_id"])
            values = {q.id: (ratings or {}).get(q.code, overall) for q in survey.questions}
            submission = Submission(
                submission_key=uuid.uuid4().hex, ratings=values, locale="vi", comment=comment,
                procedure_area_id=org["areas"][area] if area else None,
                device_hash=device or uuid.uuid4().hex, ip_hash=ip, visit_id=visit_id,
                reasons=frozenset(reasons))
            response = record_response(
                db.session.get(Counter, org["counters"][counter]["id"]), survey, submission,
                at=at)
            db.session.commit()
            after_submission_commit()  # as the app does: the fold
            return response.id

    return do


@pytest.fixture
def worked_example(app, create_org, add, built_once) -> dict:
    """The method page's example in July 2026 (2026-Q3), plus four suspicious responses, in
    `ward`.

    A (land): 30, 18 satisfied. B (civil): 30, 27 satisfied. C: land 10 (2 satisfied) and
    civil 30 (27 satisfied). Unit: land 20/40, civil 54/60, all 74/100.
    """
    return built_once("hr worked example", lambda: _worked_example(_ward(app, create_org), add))


def _worked_example(ward: dict, add) -> dict:
    slots = weekday_slots(date(2026, 7, 1), 100, per_day=10)
    plan = ([(0, "dat-dai", 5)] * 18 + [(0, "dat-dai", 2)] * 12
            + [(1, "ho-tich", 5)] * 27 + [(1, "ho-tich", 2)] * 3
            + [(2, "dat-dai", 5)] * 2 + [(2, "dat-dai", 2)] * 8
            + [(2, "ho-tich", 5)] * 27 + [(2, "ho-tich", 2)] * 3)
    for (counter, area, overall), at in zip(plan, slots, strict=True):
        add(ward, at, overall, counter=counter, area=area)
    burst_at = local(date(2026, 7, 20), 9, 0)
    ward["burst"] = [add(ward, burst_at + timedelta(minutes=2 * i), 5, counter=0,
                         area="dat-dai", device="same-phone") for i in range(3)]
    ward["sunday"] = add(ward, local(date(2026, 7, 19), 21, 15), 5, counter=1, area="ho-tich")
    return ward
