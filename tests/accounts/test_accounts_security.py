"""Changing one's password, sign-in rate limiting, session cookie flags, where each role lands,
and `flask users create` with an e-mail address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from accounts.models import LoginFailure, Role, User
from accounts.services import create_user, find_user
from core.db import db, now_utc
from surveys.models import Staff, Unit

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PASSWORD = "mat-khau-du-dai"


@pytest.fixture
def account(app, org):
    """A leader of ward 00001 (username lanh.dao)."""
    with app.app_context():
        unit = db.session.execute(db.select(Unit).filter_by(code="00001")).scalar_one()
        create_user("lanh.dao", PASSWORD, Role.LEADER, unit)
        db.session.commit()
    return "lanh.dao"


def _login(client, username: str, password: str, address: str = "127.0.0.1"):
    csrf = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    return client.post("/login", data={"csrf_token": csrf, "username": username,
                                       "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_change_password_signs_other_sessions_out(app, account):
    mine, other = app.test_client(), app.test_client()
    assert _login(mine, account, PASSWORD).status_code == 303
    assert _login(other, account, PASSWORD).status_code == 303
    csrf = CSRF.search(mine.get("/account/password").get_data(as_text=True)).group(1)
    wrong = mine.post("/account/password", data={"csrf_token": csrf, "current": "sai-mat-khau",
                                                 "new": "mat-khau-moi-123",
                                                 "confirm": "mat-khau-moi-123"})
    assert "Đây không phải mật khẩu hiện tại" in wrong.get_data(as_text=True)
    mismatch = mine.post("/account/password", data={"csrf_token": csrf, "current": PASSWORD,
                                                    "new": "mat-khau-moi-123",
                                                    "confirm": "mat-khau-khac-123"})
    assert "Hai mật khẩu mới không giống nhau." in mismatch.get_data(as_text=True)
    short = mine.post("/account/password", data={"csrf_token": csrf, "current": PASSWORD,
                                                 "new": "ngan", "confirm": "ngan"})
    assert "Mật khẩu mới cần từ 10 đến 256 ký tự." in short.get_data(as_text=True)
    done = mine.post("/account/password", data={"csrf_token": csrf, "current": PASSWORD,
                                                "new": "mat-khau-moi-123",
                                                "confirm": "mat-khau-moi-123"})
    assert done.status_code == 303
    assert "Mật khẩu của đồng chí đã được thay đổi." in mine.get(
        done.headers["Location"]).get_data(as_text=True)
    assert mine.get("/leader").status_code == 200  # this session stays signed in
    assert other.get("/leader").status_code == 302  # the other one is signed out
    assert _login(app.test_client(), account, PASSWORD).status_code == 200
    assert _login(app.test_client(), account, "mat-khau-moi-123").status_code == 303


def test_repeated_failures_make_the_user_wait_with_a_clear_message(app, account):
    client = app.test_client()
    for _ in range(5):
        assert _login(client, account, "sai-mat-khau").status_code == 200
    blocked = _login(client, account, PASSWORD)  # even the right password must wait
    assert blocked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần. Vui lòng chờ 15 phút rồi thử lại." in \
        blocked.get_data(as_text=True)
    assert client.get("/leader").status_code == 302
    # Another address is not blocked by these five failures...
    assert _login(app.test_client(), account, PASSWORD, "10.0.0.9").status_code == 303
    # ...and the failures stop counting once the window has passed.
    with app.app_context():
        for failure in db.session.execute(db.select(LoginFailure)).scalars():
            failure.at = now_utc() - timedelta(minutes=16)
        db.session.commit()
    assert _login(client, account, PASSWORD).status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(LoginFailure)
                                  .where(LoginFailure.ip_hash.is_not(None))).scalar_one() == 0


def test_many_addresses_guessing_one_username_slow_down_themselves_not_the_user(app, account):
    for n in range(20):
        _login(app.test_client(), account, "sai-mat-khau", f"10.1.0.{n}")
    # Each guessing address has had its one try: its next attempt waits...
    assert _login(app.test_client(), account, "sai-mat-khau", "10.1.0.3").status_code == 429
    # ...while the real user, from an address that has not failed, is never locked out.
    assert _login(app.test_client(), account, PASSWORD, "10.2.0.1").status_code == 303


def test_session_cookie_flags(make_app, org):
    for secure in (False, True):
        app = make_app(SESSION_COOKIE_SECURE=secure)
        with app.app_context():
            unit = db.session.execute(db.select(Unit).filter_by(code="00001")).scalar_one()
            create_user(f"user{int(secure)}x", PASSWORD, Role.LEADER, unit)
            db.session.commit()
        response = _login(app.test_client(), f"user{int(secure)}x", PASSWORD)
        cookie = next(v for v in response.headers.getlist("Set-Cookie")
                      if v.startswith("session="))
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure


@pytest.mark.parametrize(("role", "unit", "home"), [
    (Role.ADMIN, "00001", "/admin/"), (Role.LEADER, "00001", "/leader"),
    (Role.HR, "P00001", "/inbox"), (Role.STAFF, "00001", "/inbox/me"),
])
def test_each_role_lands_on_its_own_page(app, org, role, unit, home):
    with app.app_context():
        staff_unit = db.session.execute(db.select(Unit).filter_by(code=unit)).scalar_one()
        staff = db.session.get(Staff, org["counters"][0]["staff_id"])
        create_user("nguoi.dung", PASSWORD, role, staff_unit,
                    staff if role == Role.STAFF else None)
        db.session.commit()
    client = app.test_client()
    response = _login(client, "nguoi.dung", PASSWORD)
    assert response.headers["Location"] == home
    assert client.get(home).status_code == 200
    assert _login(app.test_client(), "nguoi.dung", PASSWORD).status_code == 303


def test_cli_creates_a_leader_with_an_email_reading_the_password_from_stdin(app, runner, org):
    result = runner.invoke(args=["users", "create", "lanh.dao2", "--role", "leader",
                                 "--unit", "00001", "--email", "ld@phuong.example.vn"],
                           input="mot-mat-khau-dai\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user: User = find_user("lanh.dao2")
        assert user.email == "ld@phuong.example.vn" and user.check_password("mot-mat-khau-dai")
    bad = runner.invoke(args=["users", "create", "lanh.dao3", "--role", "leader", "--unit",
                              "00001", "--email", "not-an-address"], input="mot-mat-khau-dai\n")
    assert bad.exit_code != 0 and "email" in bad.output
