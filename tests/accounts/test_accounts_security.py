"""Changing one's password, sign-in rate limiting, session cookie flags, where each role lands,
and `flask users create` with an e-mail address."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import LoginFailure, Role, User
from accounts.services import find_user
from core.db import db, now_utc
from tests.support import PASSWORD, create_test_user, csrf_of, post_login


def test_change_password_signs_other_sessions_out(app, account):
    mine, other = app.test_client(), app.test_client()
    assert post_login(mine, account, PASSWORD).status_code == 303
    assert post_login(other, account, PASSWORD).status_code == 303
    csrf = csrf_of(mine, "/account/password")
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
    assert post_login(app.test_client(), account, PASSWORD).status_code == 200
    assert post_login(app.test_client(), account, "mat-khau-moi-123").status_code == 303


def test_repeated_failures_make_the_user_wait_with_a_clear_message(app, account):
    client = app.test_client()
    for _ in range(5):
        assert post_login(client, account, "sai-mat-khau").status_code == 200
    blocked = post_login(client, account, PASSWORD)  # even the right password must wait
    assert blocked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần. Vui lòng chờ 15 phút rồi thử lại." in \
        blocked.get_data(as_text=True)
    assert client.get("/leader").status_code == 302
    # Another address is not blocked by these five failures...
    assert post_login(app.test_client(), account, PASSWORD, address="10.0.0.9").status_code == 303
    # ...and the failures stop counting once the window has passed.
    with app.app_context():
        for failure in db.session.execute(db.select(LoginFailure)).scalars():
            failure.at = now_utc() - timedelta(minutes=16)
        db.session.commit()
    assert post_login(client, account, PASSWORD).status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(LoginFailure)
                                  .where(LoginFailure.ip_hash.is_not(None))).scalar_one() == 0


def test_many_addresses_guessing_one_username_slow_down_themselves_not_the_user(app, account):
    for n in range(20):
        post_login(app.test_client(), account, "sai-mat-khau", address=f"10.1.0.{n}")
    # Each guessing address has had its one try: its next attempt waits...
    assert post_login(app.test_client(), account, "sai-mat-khau",
                      address="10.1.0.3").status_code == 429
    # ...while the real user, from an address that has not failed, is never locked out.
    assert post_login(app.test_client(), account, PASSWORD, address="10.2.0.1").status_code == 303


def test_session_cookie_flags(make_app, org):
    for secure in (False, True):
        app = make_app(SESSION_COOKIE_SECURE=secure)
        create_test_user(app, Role.LEADER, "00001", f"user{int(secure)}x")
        response = post_login(app.test_client(), f"user{int(secure)}x", PASSWORD)
        cookie = next(v for v in response.headers.getlist("Set-Cookie")
                      if v.startswith("session="))
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure


@pytest.mark.parametrize(("role", "unit", "home"), [
    (Role.ADMIN, "00001", "/admin/"), (Role.LEADER, "00001", "/leader"),
    (Role.HR, "P00001", "/hr/"), (Role.STAFF, "00001", "/inbox/me"),
])
def test_each_role_lands_on_its_own_page(app, org, role, unit, home):
    create_test_user(app, role, unit, "nguoi.dung",
                     staff_id=org["counters"][0]["staff_id"] if role == Role.STAFF else None)
    client = app.test_client()
    response = post_login(client, "nguoi.dung", PASSWORD)
    assert response.headers["Location"] == home
    assert client.get(home).status_code == 200
    assert post_login(app.test_client(), "nguoi.dung", PASSWORD).status_code == 303


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
    assert bad.exit_code != 0 and "Vui lòng nhập địa chỉ thư điện tử" in bad.output
