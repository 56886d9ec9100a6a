"""Administrators manage accounts of their own units: create with a temporary password, change
role and unit, disable, reset a password (a new one is chosen at the next sign-in)."""

from __future__ import annotations

import re

import pytest

from accounts.audit import AdminAudit, AuditAction, AuditTarget
from accounts.models import Role, User
from accounts.services import create_user
from core.db import db
from surveys.models import Unit
from tests.support import PASSWORD, csrf_of, post_login

TEMPORARY = re.compile(r'id="temporary-password">([^<]+)<')


@pytest.fixture
def admin(client, create_org, sign_in):
    """Wards 00001 and 00002 (two provinces); the client is the admin of ward 00001."""
    mine, theirs = create_org("00001"), create_org("00002")
    sign_in(Role.ADMIN, "00001", "quan.tri", client=client)
    return {"mine": mine, "theirs": theirs}


def _user(app, username: str) -> User:
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
        db.session.expunge(user)
        return user


def _audit(app) -> list[tuple[AuditAction, AuditTarget, str]]:
    with app.app_context():
        return [(e.action, e.target, e.page) for e in db.session.execute(
            db.select(AdminAudit).order_by(AdminAudit.id)).scalars()]


def _create(client, ward_id: int, username: str = "lanh.dao.moi", role: str = "leader"):
    return client.post("/admin/users/new", data={
        "csrf_token": csrf_of(client, "/admin/users/new"), "username": username,
        "role": role, "unit": ward_id, "staff_code": "", "email": ""})


def test_a_new_account_must_choose_its_own_password_at_the_first_sign_in(app, client, admin):
    created = _create(client, admin["mine"]["ward_id"])
    assert created.status_code == 200
    temporary = TEMPORARY.search(created.get_data(as_text=True)).group(1)
    assert (AuditAction.CREATED, AuditTarget.USER, "/admin/users/new") in _audit(app)
    with app.app_context():  # the role in the administrator's language, not its code
        assert db.session.execute(db.select(AdminAudit.what)).scalars().first() \
            == "lanh.dao.moi (Lãnh đạo, 00001)"
    leader = app.test_client()
    assert post_login(leader, "lanh.dao.moi", temporary).status_code == 303
    moved = leader.get("/leader")
    assert moved.status_code == 303 and moved.headers["Location"].endswith("/account/password")
    page = leader.get("/account/password").get_data(as_text=True)
    assert "do quản trị viên cấp" in page
    csrf = csrf_of(leader, "/account/password")
    same = leader.post("/account/password", data={"csrf_token": csrf, "current": temporary,
                                                  "new": temporary, "confirm": temporary})
    assert same.status_code == 200 and leader.get("/leader").status_code == 303
    assert leader.post("/account/password", data={
        "csrf_token": csrf, "current": temporary, "new": "mat-khau-rieng-cua-toi",
        "confirm": "mat-khau-rieng-cua-toi"}).status_code == 303
    assert leader.get("/leader").status_code == 200


def test_reset_ends_the_sessions_and_forces_a_new_password(app, client, admin, sign_in):
    other = sign_in(Role.LEADER, "00001", "lanh.dao")
    assert other.get("/leader").status_code == 200
    user_id = _user(app, "lanh.dao").id
    reset = client.post(f"/admin/users/{user_id}/reset-password",
                        data={"csrf_token": csrf_of(client, "/admin/users/")})
    temporary = TEMPORARY.search(reset.get_data(as_text=True)).group(1)
    assert other.get("/leader").status_code == 302  # signed out: sent to /login
    assert post_login(other, "lanh.dao", PASSWORD).status_code == 200  # old password refused
    assert post_login(other, "lanh.dao", temporary).status_code == 303
    assert other.get("/leader").headers["Location"].endswith("/account/password")
    assert (AuditAction.PASSWORD_RESET, AuditTarget.USER,
            f"/admin/users/{user_id}/reset-password") in _audit(app)


def test_disabling_signs_the_user_out_at_once_and_for_good(app, client, admin, sign_in):
    other = sign_in(Role.LEADER, "00001", "lanh.dao")
    user_id = _user(app, "lanh.dao").id
    csrf = csrf_of(client, "/admin/users/")
    assert client.post(f"/admin/users/{user_id}/disable",
                       data={"csrf_token": csrf}).status_code == 303
    assert other.get("/leader").status_code == 302
    assert post_login(other, "lanh.dao", PASSWORD).status_code == 200
    listing = client.get("/admin/users/").get_data(as_text=True)
    assert "Đã khóa" in listing
    assert (AuditAction.DEACTIVATED, AuditTarget.USER) in [a[:2] for a in _audit(app)]
    assert client.post(f"/admin/users/{user_id}/enable",
                       data={"csrf_token": csrf}).status_code == 303
    assert post_login(other, "lanh.dao", PASSWORD).status_code == 303
    assert "Đang hoạt động" in client.get("/admin/users/").get_data(as_text=True)


def test_role_and_unit_change_signs_the_user_out(app, client, admin, create_org, sign_in):
    with app.app_context():
        province = db.session.execute(db.select(Unit).filter_by(code="P00001")).scalar_one()
        province_id = province.id
    other = sign_in(Role.LEADER, "00001", "lanh.dao")
    user_id = _user(app, "lanh.dao").id
    url = f"/admin/users/{user_id}/edit"
    assert client.post(url, data={"csrf_token": csrf_of(client, url), "role": "hr",
                                  "unit": admin["mine"]["ward_id"], "staff_code": "",
                                  "email": ""}).status_code == 303
    assert _user(app, "lanh.dao").role == Role.HR
    assert other.get("/inbox").status_code == 302
    # the province is not one of a ward administrator's units
    refused = client.post(url, data={"csrf_token": csrf_of(client, url), "role": "hr",
                                     "unit": province_id, "staff_code": "", "email": ""})
    assert refused.status_code == 400
    assert _user(app, "lanh.dao").unit_id == admin["mine"]["ward_id"]


def test_an_admin_cannot_reach_accounts_of_another_unit(app, client, admin):
    with app.app_context():
        their_unit = db.session.get(Unit, admin["theirs"]["ward_id"])
        their = create_user("lanh.dao.khac", PASSWORD, Role.LEADER, their_unit)
        db.session.commit()
        their_id = their.id
    csrf = csrf_of(client, "/admin/users/")
    assert "lanh.dao.khac" not in client.get("/admin/users/").get_data(as_text=True)
    assert client.get(f"/admin/users/{their_id}/edit").status_code == 404
    assert client.post(f"/admin/users/{their_id}/disable",
                       data={"csrf_token": csrf}).status_code == 404
    assert client.post(f"/admin/users/{their_id}/reset-password",
                       data={"csrf_token": csrf}).status_code == 404
    assert _create(client, admin["theirs"]["ward_id"], "nguoi.la").status_code == 400
    me = _user(app, "quan.tri").id
    assert client.post(f"/admin/users/{me}/disable", data={"csrf_token": csrf}).status_code \
        == 403
    with app.app_context():
        their = db.session.get(User, their_id)
        assert their.active and not their.must_change_password
        assert db.session.execute(db.select(User).filter_by(username="nguoi.la")) \
            .scalar_one_or_none() is None
    assert _audit(app) == []
