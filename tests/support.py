"""Helpers the test packages share: CSRF tokens, the login form and test users (the `sign_in`
fixture in tests/conftest.py builds on them), a citizen's form, a real `flask` command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from accounts.models import Role
from accounts.services import create_user
from core.db import db
from core.timeutil import LOCAL_TZ
from surveys.models import Staff, Unit

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "mat-khau-du-dai"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_of(client: FlaskClient, url: str) -> str:
    """The CSRF token of the form on a page, for the client's session."""
    return CSRF.search(client.get(url).get_data(as_text=True)).group(1)


def post_login(client: FlaskClient, username: str, password: str = PASSWORD, *,
               address: str | None = None, next_: str | None = None):
    """Fill the login form as a person does (its fields, its CSRF token) and post it; returns the
    response (303 when signed in). `address` is the client's IP, `next_` the page asked for."""
    page = client.get("/login").get_data(as_text=True)
    for field in ("username", "password"):
        assert f'name="{field}"' in page, f"the login form has no {field} field"
    token = CSRF.search(page).group(1)
    return client.post("/login", query_string={"next": next_} if next_ else None,
                       data={"csrf_token": token, "username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address} if address else {})


def create_test_user(app: Flask, role: Role, unit_code: str | None, username: str, *,
                     staff_id: int | None = None, staff_code: str | None = None,
                     email: str | None = None) -> str:
    """Create a user with PASSWORD, its role scoped to a unit code (None: every unit) and, for
    staff, linked to a staff record (by id, by code, else the first one); returns the username."""
    with app.app_context():
        unit = db.session.execute(db.select(Unit).filter_by(code=unit_code)).scalar_one() \
            if unit_code else None
        staff = None
        if staff_id is not None:
            staff = db.session.get(Staff, staff_id)
        elif staff_code is not None:
            staff = db.session.execute(db.select(Staff).filter_by(code=staff_code)).scalar_one()
        elif role == Role.STAFF:
            staff = db.session.execute(db.select(Staff).order_by(Staff.id)).scalars().first()
        create_user(username, PASSWORD, role, unit, staff, email)
        db.session.commit()
    return username


def fill_login_form(page, username: str, password: str = PASSWORD) -> None:
    """In a real browser (a Playwright page): open the login page, fill it in and submit it."""
    page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit].primary").click()


FORM_FIELD = re.compile(r'name="(csrf_token|ticket)" type="hidden" value="([^"]+)"')
QUESTION = re.compile(r'name="(question_\d+)"')


class SurveyPage:
    """A citizen's view of the form: fetch it, fill it, post it."""

    def __init__(self, client: FlaskClient, token: str):
        self.client = client
        self.token = token
        self.url = f"/s/{token}"

    def open(self, **kwargs):
        response = self.client.get(self.url, **kwargs)
        html = response.get_data(as_text=True)
        self.hidden = dict(FORM_FIELD.findall(html))
        self.questions = sorted(set(QUESTION.findall(html)), key=lambda q: int(q.split("_")[1]))
        return response

    def answers(self, rating: int = 4, **extra) -> dict:
        data = {**self.hidden, **{q: str(rating) for q in self.questions}}
        data.update(extra)
        return data

    def submit(self, data: dict | None = None, **extra):
        return self.client.post(self.url, data=data if data is not None else self.answers(**extra))


def recent_office_hour(now: datetime | None = None) -> datetime:
    """The latest weekday 09:30 (Asia/Ho_Chi_Minh) not after now, as aware UTC.

    Responses stored "now" fall outside opening hours when tests run in the evening, and the
    HR integrity rules rightly exclude those; tests that need counted responses use this.
    """
    local_now = (now or datetime.now(UTC)).astimezone(LOCAL_TZ)
    day = local_now.date()
    while True:
        at = datetime.combine(day, time(9, 30), tzinfo=LOCAL_TZ)
        if day.weekday() < 5 and at <= local_now:
            return at.astimezone(UTC)
        day -= timedelta(days=1)


def json_error(response, status: int) -> dict:
    """The body of a JSON API's error answer, checked: the status, JSON, a code and a message."""
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] and body["message"], body
    return body


def run_flask(instance: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`flask --app app ARGS` as an administrator runs it, in a new process with `env` added to
    the environment and its instance folder in `instance`."""
    environment = {**os.environ, "INSTANCE_PATH": str(instance), "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=120)
