"""Fixtures for the kiosk and queue-ticket channels (enrolled kiosks and API tokens are in
tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.support import csrf_of


@pytest.fixture
def csrf() -> Callable[[FlaskClient, str], str]:
    """csrf(client, url): the CSRF token of the form at url."""
    return csrf_of
