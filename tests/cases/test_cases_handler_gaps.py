"""A complaint about a unit's only leader (no other leader of the unit, none of the province)
reaches no leader: it is kept, the recused leader still sees nothing of it, and the gap is
shown to the administrators (page, e-mail) and reported by `flask cases check-alerts`."""

from __future__ import annotations

import pytest
from cases_support import csrf_of
from sqlalchemy import select

from accounts.models import Role
from core.db import db
from feedback.cases import coverage
from feedback.cases.models import Case, CaseEvent

BRIBE = "Công chức quầy 1 đòi bồi dưỡng 200 nghìn mới nhận hồ sơ"
ONLY_LEADER = "Phường 00001: lãnh đạo đơn vị duy nhất là Nguyễn Văn 1, đồng thời trực tại quầy"
ONE_OPEN = ("Phường 00001: 1 phản ánh, kiến nghị chưa giải quyết xong mà không có lãnh đạo nào "
            "được phép xử lý.")


@pytest.fixture
def lone_leader(create_org, sign_in) -> dict:
    """A ward whose only leader serves at its first counter; the province has no leader."""
    org = create_org(counters=2)
    org["leader"] = sign_in(Role.LEADER, "00001", "lanh.dao.quay",
                            staff_id=org["counters"][0]["staff_id"])
    return org


def _reference(app, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).reference


def test_the_rule_finds_no_handler_for_a_case_about_the_lone_leader(app, lone_leader, store,
                                                                   sign_in):
    case_id = store(lone_leader, rating=1, comment=BRIBE, label="negative", integrity=True)[
        "case_id"]
    staff_id = lone_leader["counters"][0]["staff_id"]
    with app.app_context():
        assert coverage.eligible_handlers(db.session.get(Case, case_id)) == []
        assert [item.case_id for item in coverage.unhandled_cases(None)] == [case_id]
        assert coverage.unhandled_cases(None, viewer_staff_id=staff_id) == []
    sign_in(Role.LEADER, "P00001", "lanh.dao.tinh")
    with app.app_context():
        assert [user.username for user in coverage.eligible_handlers(
            db.session.get(Case, case_id))] == ["lanh.dao.tinh"]
        assert coverage.unhandled_cases(None) == []


def test_the_admin_is_warned_of_a_ward_whose_only_leader_serves_at_its_counters(
        lone_leader, sign_in):
    admin = sign_in(Role.ADMIN, "P00001")
    page = admin.get("/admin/").get_data(as_text=True)
    assert "Phản ánh, kiến nghị không có lãnh đạo nào được phép xử lý" in page
    assert ONLY_LEADER in page


@pytest.mark.parametrize("unit_code", ["00001", "P00001"], ids=["second-ward-leader",
                                                                 "province-leader"])
def test_the_warning_goes_once_another_leader_covers_the_ward(lone_leader, sign_in, unit_code):
    admin = sign_in(Role.ADMIN, "P00001")
    assert ONLY_LEADER in admin.get("/admin/").get_data(as_text=True)
    sign_in(Role.LEADER, unit_code, "lanh.dao.khac")
    page = admin.get("/admin/").get_data(as_text=True)
    assert "không có lãnh đạo nào được phép xử lý" not in page
    assert "lãnh đạo đơn vị duy nhất" not in page


def test_a_ward_without_any_leader_is_named_too(create_org, sign_in):
    create_org()
    page = sign_in(Role.ADMIN, "P00001").get("/admin/").get_data(as_text=True)
    assert "Phường 00001: chưa có tài khoản lãnh đạo nào phụ trách" in page


def test_a_case_about_the_lone_leader_is_kept_counted_for_admins_and_hidden_from_him(
        app, lone_leader, store, sign_in):
    case_id = store(lone_leader, rating=1, comment=BRIBE, label="negative", integrity=True)[
        "case_id"]
    assert case_id is not None
    page = sign_in(Role.ADMIN, "P00001").get("/admin/").get_data(as_text=True)
    assert ONE_OPEN in page
    assert "bồi dưỡng" not in page and _reference(app, case_id) not in page
    leader = lone_leader["leader"]
    assert leader.get(f"/inbox/cases/{case_id}").status_code == 404
    assert leader.get("/admin/").status_code == 403
    for url in ("/leader", "/inbox"):
        seen = leader.get(url).get_data(as_text=True)
        assert "bồi dưỡng" not in seen and "không có lãnh đạo nào" not in seen, url


def test_check_alerts_reports_an_open_case_no_leader_may_handle(app, lone_leader, store,
                                                                runner, sign_in):
    case_id = store(lone_leader, rating=1, comment=BRIBE, label="negative", integrity=True)[
        "case_id"]
    result = runner.invoke(args=["cases", "check-alerts"])
    assert result.exit_code == 0
    assert f"Cảnh báo: {ONE_OPEN}" in result.output
    assert "bồi dưỡng" not in result.output and _reference(app, case_id) not in result.output
    sign_in(Role.LEADER, "P00001", "lanh.dao.tinh")
    assert "Cảnh báo" not in runner.invoke(args=["cases", "check-alerts"]).output


def test_the_admins_are_emailed_once_per_case_without_its_content(make_app, lone_leader, store,
                                                              smtp_server, sign_in):
    app = make_app(**smtp_server.config())
    sign_in(Role.ADMIN, "P00001", "quan.tri", client=app.test_client(),
            email="quantri@tinh.example.vn")
    case_id = store(lone_leader, rating=1, comment=BRIBE, label="negative", integrity=True)[
        "case_id"]
    runner = app.test_cli_runner()
    first = runner.invoke(args=["cases", "check-alerts"]).output
    assert ("Số thư đã gửi quản trị viên về phản ánh, kiến nghị chưa có người xử lý: 1"
            in first)
    assert "chưa có người xử lý: 0" in runner.invoke(args=["cases", "check-alerts"]).output
    store(lone_leader, rating=1, comment=BRIBE, label="negative", integrity=True)
    assert "chưa có người xử lý: 1" in runner.invoke(args=["cases", "check-alerts"]).output
    to_admin = [(subject, body) for rcpt, subject, body in smtp_server.texts()
                if rcpt == ["quantri@tinh.example.vn"]]
    [(subject, body), (_subject, later)] = to_admin
    assert subject == "Phản ánh, kiến nghị không có lãnh đạo nào được phép xử lý"
    assert ONE_OPEN in body and "Phường 00001: 2 phản ánh, kiến nghị" in later
    assert "bồi dưỡng" not in body and _reference(app, case_id) not in body
    with app.app_context():
        assert db.session.execute(select(CaseEvent.detail).where(
            CaseEvent.case_id == case_id, CaseEvent.detail == "sent:no-handler")).scalar_one()


def test_a_colleague_who_joins_later_takes_the_case_and_the_warning_goes(
        lone_leader, store, sign_in):
    case_id = store(lone_leader, rating=1, comment=BRIBE, label="negative", integrity=True)[
        "case_id"]
    admin = sign_in(Role.ADMIN, "P00001")
    assert ONE_OPEN in admin.get("/admin/").get_data(as_text=True)
    colleague = sign_in(Role.LEADER, "00001", "lanh.dao.moi")
    assert BRIBE in colleague.get(f"/inbox/cases/{case_id}").get_data(as_text=True)
    taken = colleague.post(f"/inbox/cases/{case_id}/transition",
                           data={"csrf_token": csrf_of(colleague), "action": "acknowledge"})
    assert taken.status_code == 303
    assert "không có lãnh đạo nào được phép xử lý" not in admin.get("/admin/").get_data(
        as_text=True)
