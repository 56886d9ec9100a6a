"""Helpers shared by the case tests (fixtures are in conftest.py)."""

from __future__ import annotations

import re

PASSWORD = "mat-khau-du-dai"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_of(client, url: str = "/account/password") -> str:
    """A CSRF token of the client's session."""
    return CSRF.search(client.get(url).get_data(as_text=True)).group(1)
