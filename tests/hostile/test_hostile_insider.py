"""The malicious insider: a signed-in leader, HR officer, administrator or staff member of one
ward trying what the rules forbid (reading or handling a complaint about themselves, moving
their own score, acting without a trace)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from accounts.models import Role, User
from core.db import db, now_utc
from core.timeutil import local_today, to_local
from feedback.cases.models import Case
from feedback.hr.models import Contest
from feedback.periods import PeriodKind, containing
from feedback.rights.models import DataSubjectRequest
from surveys import services
from surveys.channels.kiosks import Kiosk
from surveys.models import Assignment, Counter, Staff
from tests.support import csrf_of, post_login

PHONE = {"contact_name": "Bà Tư", "contact_phone": "0912345678"}


def _reference(app, case_id: int) -> str:
    with app.app_context():
        return db.session.get(Case, case_id).reference


def test_a_leader_cannot_erase_the_contact_of_a_citizen_who_complained_about_them(
        app, create_org, store, sign_in):
    org = create_org(counters=2)
    about = store(org, rating=1, reasons=("attitude",), comment="Cán bộ quát tháo",
                  label="negative", contact=PHONE, counter=0)
    serving = sign_in(Role.LEADER, "00001", "lanh.dao.quay",
                      staff_id=org["counters"][0]["staff_id"])
    csrf = csrf_of(serving, "/inbox")
    erased = serving.post(f"/inbox/cases/{about['case_id']}/rights", data={
        "csrf_token": csrf, "kind": "erase_contact", "identity_checked": "y"})
    assert erased.status_code == 404
    with app.app_context():
        case = db.session.get(Case, about["case_id"])
        assert case.response.contact_phone == "0912345678"
        assert db.session.execute(select(DataSubjectRequest)).first() is None


def test_a_leader_cannot_carry_out_a_waiting_request_about_themselves(
        app, create_org, store, sign_in):
    org = create_org(counters=2)
    about = store(org, rating=1, reasons=("attitude",), comment="Cán bộ quát tháo",
                  label="negative", contact=PHONE, counter=0)
    reference = _reference(app, about["case_id"])
    anyone = app.test_client()
    asked = anyone.post("/tra-cuu/yeu-cau", data={
        "csrf_token": csrf_of(anyone, "/tra-cuu"), "reference": reference,
        "kind": "withdraw_consent"})
    assert asked.status_code == 202
    with app.app_context():
        request_id = db.session.execute(select(DataSubjectRequest.id)).scalar_one()
    serving = sign_in(Role.LEADER, "00001", "lanh.dao.quay",
                      staff_id=org["counters"][0]["staff_id"])
    done = serving.post(f"/inbox/cases/{about['case_id']}/rights/{request_id}/complete",
                        data={"csrf_token": csrf_of(serving, "/inbox"), "identity_checked": "y"})
    assert done.status_code == 404
    with app.app_context():
        assert db.session.get(DataSubjectRequest, request_id).completed_at is None


def test_the_data_requests_list_hides_from_a_leader_the_complaints_about_them(
        app, create_org, store, sign_in):
    org = create_org(counters=2)
    about = store(org, rating=1, reasons=("attitude",), comment="Cán bộ quát tháo",
                  label="negative", contact=PHONE, counter=0)
    other = store(org, rating=1, reasons=("waiting",), comment="Chờ lâu", label="negative",
                  contact=PHONE, counter=1)
    anyone = app.test_client()
    for case in (about, other):
        anyone.post("/tra-cuu/yeu-cau", data={
            "csrf_token": csrf_of(anyone, "/tra-cuu"),
            "reference": _reference(app, case["case_id"]), "kind": "erase_contact"})
    serving = sign_in(Role.LEADER, "00001", "lanh.dao.quay",
                      staff_id=org["counters"][0]["staff_id"])
    listing = serving.get("/yeu-cau-du-lieu").get_data(as_text=True)
    assert _reference(app, other["case_id"]) in listing
    assert _reference(app, about["case_id"]) not in listing
    colleague = sign_in(Role.LEADER, "00001", "lanh.dao.khac")
    assert _reference(app, about["case_id"]) in colleague.get("/yeu-cau-du-lieu").get_data(
        as_text=True)


def _staff_code(app, staff_id: int) -> str:
    with app.app_context():
        return db.session.get(Staff, staff_id).code


def test_editing_a_serving_leaders_account_keeps_them_recused(app, create_org, store, sign_in):
    org = create_org(counters=2)
    about = store(org, rating=1, reasons=("attitude",), comment="Cán bộ quát tháo",
                  label="negative", counter=0)
    staff_id = org["counters"][0]["staff_id"]
    admin = sign_in(Role.ADMIN, "00001", "quan.tri")
    serving = sign_in(Role.LEADER, "00001", "lanh.dao.quay", staff_id=staff_id)
    with app.app_context():
        user_id = db.session.execute(
            select(User.id).where(User.username == "lanh.dao.quay")).scalar_one()
    url = f"/admin/users/{user_id}/edit"
    page = admin.get(url).get_data(as_text=True)
    assert f'value="{_staff_code(app, staff_id)}"' in page  # the form shows the link
    saved = admin.post(url, data={"csrf_token": csrf_of(admin, url), "role": "leader",
                                  "unit": org["ward_id"], "full_name": "",
                                  "staff_code": _staff_code(app, staff_id),
                                  "email": "lanh.dao@example.vn"})
    assert saved.status_code == 303
    with app.app_context():
        assert db.session.get(User, user_id).staff_id == staff_id
    assert serving.get(f"/inbox/cases/{about['case_id']}").status_code == 404
    assert "quát tháo" not in serving.get("/inbox").get_data(as_text=True)


def test_a_staff_member_promoted_to_leader_stays_recused_and_the_log_says_so(
        app, create_org, store, sign_in):
    org = create_org(counters=2)
    about = store(org, rating=1, reasons=("attitude",), comment="Cán bộ quát tháo",
                  label="negative", counter=0)
    staff_id = org["counters"][0]["staff_id"]
    admin = sign_in(Role.ADMIN, "00001", "quan.tri")
    sign_in(Role.STAFF, "00001", "can.bo", staff_id=staff_id)
    with app.app_context():
        user_id = db.session.execute(
            select(User.id).where(User.username == "can.bo")).scalar_one()
    url = f"/admin/users/{user_id}/edit"
    assert admin.post(url, data={"csrf_token": csrf_of(admin, url), "role": "leader",
                                 "unit": org["ward_id"], "full_name": "",
                                 "staff_code": _staff_code(app, staff_id),
                                 "email": ""}).status_code == 303
    promoted = app.test_client()
    post_login(promoted, "can.bo")
    assert promoted.get(f"/inbox/cases/{about['case_id']}").status_code == 404
    log = admin.get("/admin/audit").get_data(as_text=True)
    assert _staff_code(app, staff_id) in log


def test_enrolling_and_revoking_a_kiosk_is_in_the_administration_log(app, create_org,
                                                                      sign_in):
    """A kiosk's answers are not checked for device bursts: whoever enrols one can post at a
    counter's pace. Which administrator enrolled (or revoked) which tablet must be on record."""
    org = create_org()
    counter = org["counters"][0]
    admin = sign_in(Role.ADMIN, "00001", "quan.tri")
    url = f"/admin/counters/{counter['id']}/kiosks"
    assert admin.post(url, data={"csrf_token": csrf_of(admin, url),
                                 "label": "Máy tính bảng riêng"}).status_code == 200
    with app.app_context():
        kiosk_id = db.session.execute(select(Kiosk.id)).scalar_one()
    assert admin.post(f"/admin/kiosks/{kiosk_id}/revoke",
                      data={"csrf_token": csrf_of(admin, url)}).status_code == 303
    other_admin = sign_in(Role.ADMIN, "00001", "quan.tri.khac")
    log = other_admin.get("/admin/audit").get_data(as_text=True)
    assert log.count("Máy tính bảng riêng") == 2
    assert "quan.tri</td>" in log


def test_a_staff_members_hr_page_shows_no_period_still_running(app, create_org, store,
                                                               sign_in):
    """Counted responses and the share satisfied of a running period move with each citizen:
    reloading one's HR page after each would show what that citizen answered (the rule of the
    staff dashboard, feedback/dashboard/subject.py)."""
    org = create_org()
    staff_id = org["counters"][0]["staff_id"]
    store(org, rating=5)
    own = sign_in(Role.STAFF, "00001", "can.bo", staff_id=staff_id)
    today = local_today(now_utc())
    running = [containing(kind, today).key()
               for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)]
    for period in running:
        page = own.get(f"/hr/staff/{staff_id}?period={period}")
        assert page.status_code == 403, period
        assert "Số phiếu được tính" not in page.get_data(as_text=True)
        assert own.get(f"/hr/staff/{staff_id}/trend.png?period={period}").status_code == 403
    landed = own.get("/hr/me", follow_redirects=True)
    assert landed.status_code == 200
    assert f"period={containing(PeriodKind.MONTH, today).previous().key()}" in \
        landed.request.url
    assert not any(f'value="{period}"' in landed.get_data(as_text=True) for period in running)
    hr = sign_in(Role.HR, "00001", "nhan.su")
    assert hr.get(f"/hr/staff/{staff_id}?period={running[0]}").status_code == 200


def test_a_contest_follows_who_the_response_is_attributed_to(app, create_org, store, sign_in):
    """A roster recorded late changes who the history says sat at the counter, not whom a
    stored response counts for: the one it counts for may contest it, the other may not."""
    app.config["STAFF_VIEW_MIN_RESPONSES"] = 1
    org = create_org()
    given = datetime.now(UTC) - timedelta(days=20)
    month = containing(PeriodKind.MONTH, local_today(given)).key()
    low = store(org, rating=1, at=given)
    own_id = org["counters"][0]["staff_id"]
    with app.app_context():  # someone else seated there from before it, recorded late
        counter = db.session.get(Counter, org["counters"][0]["id"])
        other = services.create_staff("S-KHAC", "Trần Thị Khác", counter.centre.unit)
        services.assign_staff(other, counter, starts_at=given - timedelta(days=5))
        db.session.commit()
        other_id = other.id
    own = sign_in(Role.STAFF, "00001", "can.bo", staff_id=own_id)
    url = f"/hr/staff/{own_id}?period={month}"
    page = own.get(url).get_data(as_text=True)
    assert f'value="{low["public_id"]}"' in page  # listed as theirs, offered to contest
    sent = own.post(f"/hr/staff/{own_id}/contest?period={month}", data={
        "csrf_token": csrf_of(own, url), "target": low["public_id"],
        "reason": "Hôm đó quầy đông, tôi đã hướng dẫn đầy đủ."})
    assert sent.status_code == 303 and "/hr/contests/" in sent.headers["Location"]
    stranger = sign_in(Role.STAFF, "00001", "can.bo.khac", staff_id=other_id)
    refused = stranger.post(f"/hr/staff/{other_id}/contest?period={month}", data={
        "csrf_token": csrf_of(stranger, "/hr/method"), "target": low["public_id"],
        "reason": "Loại phiếu này giúp đồng nghiệp."})
    assert "/hr/contests/" not in refused.headers.get("Location", "")
    with app.app_context():
        assert db.session.execute(select(Contest.staff_id)).scalars().all() == [own_id]


def test_correcting_an_assignment_from_the_command_line_is_in_the_administration_log(
        app, create_org, store, sign_in):
    """Moving the start of someone's duty moves the responses of that time to another person's
    score: the unit's administrators must see who was moved, when and how many responses."""
    org = create_org()
    counter = org["counters"][0]
    given = datetime.now(UTC) - timedelta(days=3)
    store(org, rating=1, at=given)
    with app.app_context():
        assignment = db.session.execute(select(Assignment).where(
            Assignment.counter_id == counter["id"])).scalar_one()
        assignment_id = assignment.id
    later = to_local(given + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    result = app.test_cli_runner().invoke(args=[
        "assignments", "correct", str(assignment_id), "--starts", later])
    assert result.exit_code == 0, result.output
    admin = sign_in(Role.ADMIN, "00001", "quan.tri")
    log = admin.get("/admin/audit").get_data(as_text=True)
    assert f"flask assignments correct {assignment_id}" in log
    assert counter["staff_name"] in log and "1 phiếu" in log
