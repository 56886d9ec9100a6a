"""Fixtures for cases: responses stored with a controlled tagger (`sign_in` and the local SMTP
server, `smtp_server`, are in tests/conftest.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import pytest

from core.db import db
from feedback import sentiment
from feedback.cases.services import case_for_response
from feedback.dashboard.folding import after_submission_commit
from feedback.services import Submission, record_response
from surveys.models import Counter, Survey


@dataclass
class FakeTagger:
    """What the sentiment tagger says about the next comments."""

    label: str = "neutral"
    integrity: bool = False
    topics: tuple[str, ...] = ()
    confidence: float = 0.9

    def tag(self, text: str) -> sentiment.Tagging:
        return sentiment.Tagging(self.label, self.confidence, self.topics, self.integrity,
                                 "test-model")


@pytest.fixture
def tagger(monkeypatch) -> FakeTagger:
    fake = FakeTagger()
    monkeypatch.setattr(sentiment, "tag", fake.tag)
    return fake


@pytest.fixture
def store(app, tagger):
    """Store a response through the real service; returns its ids and its case id (or None)."""

    def do(org: dict, rating: int = 4, ratings: dict[str, int] | None = None,
           comment: str | None = None, label: str = "neutral", integrity: bool = False,
           topics: tuple[str, ...] = (), at: datetime | None = None, counter: int = 0,
           contact: dict | None = None, confidence: float = 0.9,
           reasons: tuple[str, ...] = ()) -> dict:
        tagger.label, tagger.integrity, tagger.topics = label, integrity, topics
        tagger.confidence = confidence
        with app.app_context():
            survey = db.session.get(Survey, org["survey_id"])
            values = {q.id: (ratings or {}).get(q.code, rating) for q in survey.questions}
            submission = Submission(
                submission_key=uuid.uuid4().hex, ratings=values, locale="vi", comment=comment,
                contact_consent=bool(contact), reasons=frozenset(reasons), **(contact or {}))
            response = record_response(db.session.get(Counter, org["counters"][counter]["id"]),
                                       survey, submission, at=at)
            db.session.commit()
            after_submission_commit()  # as the app does: the fold
            case = case_for_response(response.id)
            return {"response_id": response.id, "public_id": response.public_id,
                    "case_id": case.id if case else None}

    return do
