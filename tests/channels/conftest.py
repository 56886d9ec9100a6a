"""Fixtures for the kiosk and queue-ticket channels: enrolled kiosks, API tokens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core.db import db, now_utc
from surveys.channels.kiosks import create_kiosk, enrol_kiosk
from surveys.channels.visits import create_api_token
from surveys.models import Centre, Counter
from tests.support import csrf_of


@pytest.fixture
def csrf() -> Callable[[FlaskClient, str], str]:
    """csrf(client, url): the CSRF token of the form at url."""
    return csrf_of


@pytest.fixture
def make_kiosk(app: Flask) -> Callable[[int], dict]:
    """Enrol a kiosk for a counter directly (by default four days ago, so that answers it kept
    offline may be hours old); returns its id and the key the tablet holds."""

    def do(counter_id: int, enrolled_at: datetime | None = None) -> dict:
        with app.app_context():
            enrolment = create_kiosk(db.session.get(Counter, counter_id), "Máy tính bảng 1",
                                     timedelta(minutes=5))
            kiosk, key = enrol_kiosk(enrolment.code)
            kiosk.enrolled_at = enrolled_at or now_utc() - timedelta(days=4)
            db.session.commit()
            return {"id": kiosk.id, "key": key}

    return do


@pytest.fixture
def make_api_token(app: Flask) -> Callable[[int], str]:
    """Create an API token for a centre; returns the secret."""

    def do(centre_id: int) -> str:
        with app.app_context():
            centre = db.session.get(Centre, centre_id)
            _token, secret = create_api_token(centre, "Hệ thống xếp hàng")
            db.session.commit()
            return secret

    return do
