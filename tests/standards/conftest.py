"""Fixtures for the Decision 766 / SIPAS pack: a ward with two counters whose responses and
complaints were chosen so that every figure can be computed by hand (see `october`)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.db import db
from core.timeutil import LOCAL_TZ
from feedback.cases.models import Case, CaseStatus, DismissReason
from feedback.dashboard.folding import after_submission_commit
from feedback.services import Submission, record_response
from surveys import services
from surveys.models import Counter, Survey, Unit, UnitKind


def _slots(start: date):
    """Weekday local times from `start`, 08:00 onwards, an hour apart (no surge, no burst)."""
    day = start
    while True:
        if day.weekday() < 5:
            for hour in range(8, 17):
                yield datetime.combine(day, time(hour), tzinfo=LOCAL_TZ).astimezone(UTC)
        day += timedelta(days=1)


@pytest.fixture
def october(app, create_org) -> dict:
    """Ward 00001, October 2026. Counter 0 (staff A): overall 5,5,5,5,4,4,4,3,2,1; counter 1
    (staff B): 5,5,4,2,2. The ratings 1–2 came with reasons (A: waiting; waiting and attitude;
B: result late; waiting) and opened cases (the 3 came without one and opened none, as the
shipped rule says); they become:
    A's 2 → resolved on time, follow-up 5; A's 1 → resolved late; B's first 2 → resolved on
    time, follow-up 2 (dissatisfied); B's second 2 → dismissed as spam (not a complaint)."""
    org = create_org("00001", counters=2, since=datetime(2026, 6, 1, tzinfo=UTC))
    slots = _slots(date(2026, 10, 5))
    plan = [(0, v) for v in (5, 5, 5, 5, 4, 4, 4, 3, 2, 1)] + [(1, v) for v in (5, 5, 4, 2, 2)]
    with app.app_context():
        survey = db.session.get(Survey, org["survey_id"])
        ids = []
        reasons = {8: {"waiting"}, 9: {"waiting", "attitude"}, 13: {"late"}, 14: {"waiting"}}
        for index, (counter_index, overall) in enumerate(plan):
            submission = Submission(submission_key=uuid.uuid4().hex, locale="vi", comment=None,
                                    ratings={q.id: overall for q in survey.questions},
                                    device_hash=uuid.uuid4().hex,
                                    reasons=frozenset(reasons.get(index, ())))
            counter = db.session.get(Counter, org["counters"][counter_index]["id"])
            ids.append(record_response(counter, survey, submission, at=next(slots)).id)
        db.session.commit()
        after_submission_commit()  # as the app does: the fold
        cases = {case.response_id: case for case in db.session.execute(
            db.select(Case).where(Case.response_id.in_(ids))).scalars()}
        a_two, a_one, b_two, b_spam = (cases[ids[i]] for i in (8, 9, 13, 14))
        for case in (a_two, a_one, b_two):
            case.status = CaseStatus.RESOLVED
            case.due_on = date(2026, 10, 30)
        a_two.resolved_at = b_two.resolved_at = datetime(2026, 10, 20, 3, tzinfo=UTC)
        a_one.resolved_at = datetime(2026, 11, 10, 3, tzinfo=UTC)
        answered = datetime(2026, 11, 1, 3, tzinfo=UTC)
        a_two.followup_answered_at, a_two.followup_rating, a_two.followup_solved = answered, 5, True
        b_two.followup_answered_at, b_two.followup_rating = answered, 2
        b_spam.status, b_spam.dismiss_reason = CaseStatus.DISMISSED, DismissReason.SPAM
        province = db.session.get(Unit, org["province_id"])
        services.create_unit("00002", "Xã Thử Hai", UnitKind.COMMUNE, province)
        db.session.commit()
    return org
