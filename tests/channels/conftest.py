"""Fixtures for the kiosk and queue-ticket channels: enrolled kiosks, API tokens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core.db import db
from surveys.channels.visits import create_api_token
from surveys.models import Centre
from tests.support import csrf_of


@pytest.fixture
def csrf() -> Callable[[FlaskClient, str], str]:
    """csrf(client, url): the CSRF token of the form at url."""
    return csrf_of


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
