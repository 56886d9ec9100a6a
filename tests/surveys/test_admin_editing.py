"""Administrators edit and deactivate centres, counters and staff, replace QR codes after a
confirmation, see who is on duty, record mergers; each change lands in the append-only log."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.audit import AdminAudit, AuditAction, AuditIsAppendOnly, AuditTarget
from accounts.models import Role
from core.db import db
from surveys import services
from surveys.models import Assignment, Centre, Counter, Staff, Unit, UnitKind
from tests.support import csrf_of


@pytest.fixture
def admin(client, org, sign_in):
    return sign_in(Role.ADMIN, "00001", "quan.tri", client=client)


def _log(app) -> list[tuple[AuditAction, AuditTarget, str]]:
    with app.app_context():
        return [(e.action, e.target, e.what) for e in db.session.execute(
            db.select(AdminAudit).order_by(AdminAudit.id)).scalars()]


def test_a_deactivated_counter_keeps_its_history_and_tells_the_citizen_why(app, admin, org):
    counter = org["counters"][0]
    url = f"/admin/counters/{counter['id']}/edit"
    csrf = csrf_of(admin, url)
    assert admin.post(url, data={"csrf_token": csrf, "label": "Quầy Hộ tịch"}).status_code == 303
    assert admin.post(f"/admin/counters/{counter['id']}/deactivate",
                      data={"csrf_token": csrf}).status_code == 303
    closed = admin.get(f"/s/{counter['token']}")
    assert closed.status_code == 410
    page = closed.get_data(as_text=True)
    assert "Quầy này đã ngừng hoạt động" in page
    assert "Quầy Hộ tịch của Trung tâm PVHCC 00001" in page
    english = app.test_client().get(f"/s/{counter['token']}", headers={"Accept-Language": "en"})
    assert "This counter is no longer in operation" in english.get_data(as_text=True)
    with app.app_context():
        assignment = db.session.execute(db.select(Assignment)).scalar_one()
        assert assignment.ends_at is not None  # nobody on duty any more, the history stays
        assert db.session.get(Counter, counter["id"]).label == "Quầy Hộ tịch"
    organisation = admin.get("/admin/").get_data(as_text=True)
    assert "Ngừng hoạt động" in organisation and "Không nhận đánh giá." in organisation
    assert [(a, t) for a, t, _w in _log(app)] == [
        (AuditAction.CHANGED, AuditTarget.COUNTER), (AuditAction.DEACTIVATED, AuditTarget.COUNTER)]
    assert "Tên quầy: Quầy 1 → Quầy Hộ tịch" in _log(app)[0][2]
    assert admin.post(f"/admin/counters/{counter['id']}/reactivate",
                      data={"csrf_token": csrf}).status_code == 303
    assert admin.get(f"/s/{counter['token']}").status_code == 200


def test_a_deactivated_centre_closes_its_counters(app, admin, org):
    csrf = csrf_of(admin, "/admin/")
    url = f"/admin/centres/{org['centre_id']}/edit"
    assert admin.post(url, data={"csrf_token": csrf, "name": "Trung tâm mới",
                                 "address": "2 Đường B"}).status_code == 303
    assert admin.post(f"/admin/centres/{org['centre_id']}/deactivate",
                      data={"csrf_token": csrf}).status_code == 303
    closed = admin.get(f"/s/{org['counters'][0]['token']}")
    assert closed.status_code == 410
    assert "Trung tâm mới đã ngừng tiếp nhận hồ sơ" in closed.get_data(as_text=True)


def test_a_deactivated_staff_member_leaves_the_counter_and_the_selector(app, admin, org):
    staff_id = org["counters"][0]["staff_id"]
    url = f"/admin/staff/{staff_id}/edit"
    csrf = csrf_of(admin, url)
    assert admin.post(url, data={"csrf_token": csrf, "full_name": "Nguyễn Văn Một",
                                 "position": "Công chức một cửa",
                                 "unit": org["ward_id"]}).status_code == 303
    assert admin.post(f"/admin/staff/{staff_id}/deactivate",
                      data={"csrf_token": csrf}).status_code == 303
    with app.app_context():
        staff = db.session.get(Staff, staff_id)
        assert not staff.active and staff.position == "Công chức một cửa"
        assert db.session.execute(db.select(Assignment)).scalar_one().ends_at is not None
    assert f'value="{staff_id}"' not in admin.get("/admin/").get_data(as_text=True)
    listing = admin.get("/admin/staff").get_data(as_text=True)
    assert "Nguyễn Văn Một" in listing and "Ngừng hoạt động" in listing
    assert "Vị trí việc làm" in listing


def test_replacing_a_qr_code_asks_first_and_names_the_centre_and_counter(app, admin, org):
    counter = org["counters"][0]
    confirm = admin.get(f"/admin/counters/{counter['id']}/rotate")
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert "Thay mã QR của Quầy 1?" in page and "Trung tâm: Trung tâm PVHCC 00001" in page
    assert admin.get(f"/s/{counter['token']}").status_code == 200  # nothing replaced yet
    url = f"/admin/counters/{counter['id']}/rotate"
    done = admin.post(url, data={"csrf_token": csrf_of(admin, url)})
    assert done.status_code == 303
    assert admin.get(f"/s/{counter['token']}").status_code == 410
    assert _log(app) == [(AuditAction.QR_REPLACED, AuditTarget.COUNTER,
                          "Trung tâm PVHCC 00001 · Quầy 1")]


def test_the_duty_selector_starts_on_who_is_on_duty_and_warns_about_another_unit(
        app, admin, org, sign_in):
    with app.app_context():
        ward = db.session.get(Unit, org["ward_id"])
        other_ward = services.create_unit("00009", "Phường Chín", UnitKind.WARD, ward.parent)
        outsider = services.create_staff("CB-9", "Trần Thị Chín", other_ward)
        db.session.commit()
        outsider_id = outsider.id
    sign_in(Role.ADMIN, "P00001", "quan.tri.tinh", client=admin)
    page = admin.get("/admin/").get_data(as_text=True)
    on_duty = org["counters"][0]
    assert f'<option value="{on_duty["staff_id"]}" selected>' in page
    assert "— đang trực" in page
    assert "Trần Thị Chín (CB-9) — ⚠ thuộc Phường Chín" in page
    assigned = admin.post(f"/admin/counters/{on_duty['id']}/assign", data={
        "csrf_token": csrf_of(admin, "/admin/"), "staff": outsider_id}, follow_redirects=True)
    assert "Lưu ý: Trần Thị Chín thuộc Phường Chín, không thuộc Phường 00001" in \
        assigned.get_data(as_text=True)
    assert _log(app) == [(AuditAction.CHANGED, AuditTarget.COUNTER,
                          "Trung tâm PVHCC 00001 · Quầy 1: Trần Thị Chín (CB-9) trực quầy")]


def test_a_merger_recorded_on_the_page_rolls_the_old_units_up(app, client, create_org, sign_in):
    org = create_org("00001")
    with app.app_context():
        ward = db.session.get(Unit, org["ward_id"])
        old = services.create_unit("00007", "Phường Bảy (cũ)", UnitKind.WARD, ward.parent)
        db.session.commit()
        old_id, new_id = old.id, ward.id
    sign_in(Role.ADMIN, "P00001", "quan.tri.tinh", client=client)
    csrf = csrf_of(client, "/admin/units")
    itself = client.post("/admin/units", data={"csrf_token": csrf, "old_units": [new_id],
                                               "successor": new_id, "first_day": "2025-07-01"})
    assert itself.status_code == 409
    assert "Đơn vị sau sắp xếp phải khác các đơn vị cũ." in itself.get_data(as_text=True)
    assert client.post("/admin/units", data={"csrf_token": csrf, "old_units": [old_id],
                                             "successor": new_id,
                                             "first_day": "2025-07-01"}).status_code == 303
    with app.app_context():
        old = db.session.get(Unit, old_id)
        assert old.successor_id == new_id and old.valid_to == date(2025, 6, 30)
    page = client.get("/admin/units").get_data(as_text=True)
    assert "Phường Bảy (cũ) (00007)" in page and "30/06/2025" in page
    again = client.post("/admin/units", data={"csrf_token": csrf, "old_units": [old_id],
                                              "successor": new_id, "first_day": "2025-08-01"})
    assert again.status_code == 400  # a merged unit is no longer offered
    assert [(a, t) for a, t, _w in _log(app)] == [(AuditAction.MERGED, AuditTarget.UNIT)]


def test_the_log_shows_only_the_admins_units_and_is_append_only(app, client, create_org, sign_in):
    mine, theirs = create_org("00001"), create_org("00002")
    other = sign_in(Role.ADMIN, "00002", "quan.tri.khac")
    other.post(f"/admin/centres/{theirs['centre_id']}/deactivate",
               data={"csrf_token": csrf_of(other, "/admin/")})
    sign_in(Role.ADMIN, "00001", "quan.tri", client=client)
    client.post(f"/admin/centres/{mine['centre_id']}/deactivate",
                data={"csrf_token": csrf_of(client, "/admin/")})
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Trung tâm PVHCC 00001" in page and "Trung tâm PVHCC 00002" not in page
    assert "Nhật ký quản trị" in page and "quan.tri" in page
    assert f"/admin/centres/{mine['centre_id']}/deactivate" in page
    assert "Trung tâm PVHCC 00001" not in client.get(
        "/admin/audit?date_to=2020-01-01").get_data(as_text=True)
    english = client.get("/admin/audit", headers={"Accept-Language": "en"})
    assert "Deactivated" in english.get_data(as_text=True)
    with app.app_context():
        entry = db.session.execute(db.select(AdminAudit)).scalars().first()
        entry.what = "rewritten"
        with pytest.raises(AuditIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(AuditIsAppendOnly):
            db.session.delete(db.session.execute(db.select(AdminAudit)).scalars().first())
            db.session.flush()
        db.session.rollback()
        assert db.session.get(Centre, theirs["centre_id"]).active is False


def test_renaming_onto_another_counters_label_is_refused_and_nothing_changes(
        app, client, create_org, sign_in):
    org = create_org(counters=2)
    sign_in(Role.ADMIN, "00001", "quan.tri", client=client)
    url = f"/admin/counters/{org['counters'][0]['id']}/edit"
    clash = client.post(url, data={"csrf_token": csrf_of(client, url), "label": "Quầy 2"})
    assert clash.status_code == 409 and "đã tồn tại" in clash.get_data(as_text=True)
    empty = client.post(url, data={"csrf_token": csrf_of(client, url), "label": ""})
    assert empty.status_code == 400
    with app.app_context():
        assert db.session.get(Counter, org["counters"][0]["id"]).label == "Quầy 1"
    assert _log(app) == []
