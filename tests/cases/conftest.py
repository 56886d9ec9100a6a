"""Fixtures for cases: responses stored with a controlled tagger, signed-in users per role, and
a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime

import pytest

from accounts.models import Role
from core.db import db
from feedback import sentiment
from feedback.cases.services import case_for_response
from feedback.services import Submission, record_response
from surveys.models import Counter, Survey
from tests.support import sign_in_as


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
           contact: dict | None = None, confidence: float = 0.9) -> dict:
        tagger.label, tagger.integrity, tagger.topics = label, integrity, topics
        tagger.confidence = confidence
        with app.app_context():
            survey = db.session.get(Survey, org["survey_id"])
            values = {q.id: (ratings or {}).get(q.code, rating) for q in survey.questions}
            submission = Submission(
                submission_key=uuid.uuid4().hex, ratings=values, locale="vi", comment=comment,
                contact_consent=bool(contact), **(contact or {}))
            response = record_response(db.session.get(Counter, org["counters"][counter]["id"]),
                                       survey, submission, at=at)
            db.session.commit()
            case = case_for_response(response.id)
            return {"response_id": response.id, "public_id": response.public_id,
                    "case_id": case.id if case else None}

    return do


@pytest.fixture
def sign_in(app):
    """A new test client signed in as a new user with the role, scoped to a unit code."""
    counter = iter(range(1, 1000))

    def do(role: Role, unit_code: str | None, staff_id: int | None = None,
           email: str | None = None, username: str | None = None):
        username = username or f"{role.value}{next(counter)}"
        return sign_in_as(app, app.test_client(), role, unit_code, username,
                          staff_id=staff_id, email=email)

    return do


@dataclass
class SmtpSink:
    """Messages received by the local SMTP server."""

    host: str
    port: int
    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def config(self) -> dict:
        return {"MAIL_SERVER": self.host, "MAIL_PORT": self.port,
                "MAIL_SENDER": "hailong@phuong.example.vn"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on localhost (aiosmtpd) collecting what it receives."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink("127.0.0.1", _free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    yield sink
    controller.stop()
