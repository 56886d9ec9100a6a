"""Fixtures for accounts: a leader's account to sign in with."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.support import create_test_user


@pytest.fixture
def account(app, org) -> str:
    """A leader of ward 00001 (username lanh.dao, password tests.support.PASSWORD)."""
    return create_test_user(app, Role.LEADER, "00001", "lanh.dao")
