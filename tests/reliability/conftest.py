"""Fixtures for the reliability and security tests: scratch databases."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.config import normalise_database_url


@pytest.fixture
def scratch_database_url(database_url: str, tmp_path) -> Iterator[str]:
    """A new, empty database on the suite's backend (a SQLite file, or a PostgreSQL database)."""
    if database_url.startswith("sqlite"):
        yield "sqlite:///" + str(tmp_path / "scratch.sqlite3")
        return
    name = "hailong_scratch_" + secrets.token_hex(4)
    admin = create_engine(normalise_database_url(database_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
