"""Fixtures for the reliability and security tests: signed-in staff, scratch databases."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from accounts.models import Role
from accounts.services import create_user
from core.config import normalise_database_url
from core.db import db
from surveys.models import Staff, Unit

PASSWORD = "mat-khau-du-dai-1"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_of(client: FlaskClient, url: str) -> str:
    """The CSRF token of the form at `url` (as the client's session sees it)."""
    return CSRF.search(client.get(url).get_data(as_text=True)).group(1)


@pytest.fixture
def sign_in(app: Flask) -> Callable[..., FlaskClient]:
    """Create a user with a role at a unit and return a test client signed in as them."""

    def do(role: Role = Role.ADMIN, unit_code: str | None = None,
           username: str = "quan.tri") -> FlaskClient:
        with app.app_context():
            unit = db.session.execute(db.select(Unit).filter_by(code=unit_code)).scalar_one() \
                if unit_code else None
            staff = db.session.execute(db.select(Staff)).scalars().first() \
                if role == Role.STAFF else None
            create_user(username, PASSWORD, role, unit, staff)
            db.session.commit()
        client = app.test_client()
        response = client.post("/login", data={"csrf_token": csrf_of(client, "/login"),
                                               "username": username, "password": PASSWORD})
        assert response.status_code == 303
        return client

    return do


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
