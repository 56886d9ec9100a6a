"""Helpers shared by the case tests (fixtures are in conftest.py)."""

from __future__ import annotations

from tests import support
from tests.support import CSRF, PASSWORD

__all__ = ["CSRF", "PASSWORD", "csrf_of"]


def csrf_of(client, url: str = "/account/password") -> str:
    """A CSRF token of the client's session (from a page every signed-in user has)."""
    return support.csrf_of(client, url)
