"""Citizens' rights on request: withdraw consent or erase contact details with the reference and
a one-time code e-mailed to the contact, or through a leader's identity check; every request
recorded with its dates; the deadlines configurable."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from accounts.models import Role
from core.config import ConfigError
from core.db import db, now_utc
from core.timeutil import local_today
from feedback.cases.models import Case, CaseEvent
from feedback.models import Answer, Response
from feedback.rights.models import (
    DataSubjectRequest,
    RequestChannel,
    RequestKind,
    RightsCode,
    Verification,
)
from tests.support import csrf_of

EMAIL = {"contact_name": "Chị Lan", "contact_email": "lan@example.vn"}
PHONE = {"contact_name": "Bà Tư", "contact_phone": "0912345678"}
CODE = re.compile(r"\b(\d{6})\b")


def _ask(client, reference: str, kind: str = "erase_contact"):
    return client.post("/tra-cuu/yeu-cau", data={
        "csrf_token": csrf_of(client, "/tra-cuu"), "reference": reference, "kind": kind})


def _confirm(client, reference: str, code: str, kind: str = "erase_contact"):
    return client.post("/tra-cuu/xac-nhan", data={
        "csrf_token": csrf_of(client, "/tra-cuu"), "reference": reference, "kind": kind,
        "code": code})


def _case(app, case_id: int) -> tuple[str, Response]:
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.expunge(case.response)
        return case.reference, case.response


def _requests(app) -> list[DataSubjectRequest]:
    with app.app_context():
        rows = db.session.execute(select_requests()).scalars().all()
        for row in rows:
            db.session.expunge(row)
        return rows


def select_requests():
    return db.select(DataSubjectRequest).order_by(DataSubjectRequest.id)


@pytest.fixture
def mail_app(make_app, smtp_server):
    return make_app(**smtp_server.config())


def test_citizen_erases_contact_with_the_code_emailed_to_them(
        mail_app, create_org, store, smtp_server, count_rows):
    app = mail_app
    org = create_org()
    case_id = store(org, rating=1,
                    reasons=("waiting",), comment="Chị Hoa ở quầy 2 bắt chờ, gọi 0987654321",
                    contact=EMAIL)["case_id"]
    reference, _ = _case(app, case_id)
    answers = count_rows(Answer)
    citizen = app.test_client()

    tracked = citizen.post("/tra-cuu", data={"csrf_token": csrf_of(citizen, "/tra-cuu"),
                                             "reference": reference}).get_data(as_text=True)
    assert "Yêu cầu xóa thông tin liên hệ" in tracked or "xóa thông tin liên hệ" in tracked

    asked = _ask(citizen, reference)
    assert asked.status_code == 200 and "mã xác nhận" in asked.get_data(as_text=True)
    [(recipients, subject, body)] = smtp_server.texts()
    assert recipients == ["lan@example.vn"] and reference in body
    code = CODE.search(subject).group(1)
    with app.app_context():
        stored = db.session.execute(db.select(RightsCode)).scalar_one()
        assert code not in stored.code_hash and len(stored.code_hash) == 32
    assert _requests(app) == []  # nothing is recorded before the code is confirmed

    wrong = "000000" if code != "000000" else "111111"
    assert _confirm(citizen, reference, wrong).status_code == 400
    done = _confirm(citizen, reference, code)
    assert done.status_code == 200
    assert "Đã thực hiện yêu cầu" in done.get_data(as_text=True)

    _, response = _case(app, case_id)
    assert (response.contact_name, response.contact_email) == (None, None)
    assert not response.has_contact
    assert response.comment == "Chị *** ở quầy 2 bắt chờ, gọi ***"
    assert count_rows(Answer) == answers
    [row] = _requests(app)
    assert (row.kind, row.channel, row.verification) == (
        RequestKind.ERASE_CONTACT, RequestChannel.ONLINE, Verification.EMAIL_CODE)
    assert row.completed_at is not None and row.completed_by_id is None
    assert row.due_on == local_today(row.received_at) + timedelta(days=15)
    assert row.outcome == "name,email,comment"
    assert _confirm(citizen, reference, code).status_code == 410  # used once


def test_codes_expire_allow_few_tries_and_few_sendings(make_app, create_org, store,
                                                       smtp_server):
    app = make_app(**smtp_server.config(), RIGHTS_CODE_MAX_ATTEMPTS=2, RIGHTS_CODES_PER_DAY=2)
    case_id = store(create_org(), rating=1, reasons=("waiting",), contact=EMAIL)["case_id"]
    reference, _ = _case(app, case_id)
    citizen = app.test_client()

    _ask(citizen, reference, "withdraw_consent")
    first = CODE.search(smtp_server.texts()[0][1]).group(1)
    for _ in range(2):
        _confirm(citizen, reference, "999999" if first != "999999" else "888888",
                 "withdraw_consent")
    spent = _confirm(citizen, reference, first, "withdraw_consent")
    assert spent.status_code == 410 and "Gửi mã mới" in spent.get_data(as_text=True)

    _ask(citizen, reference, "withdraw_consent")
    second = CODE.search(smtp_server.texts()[1][1]).group(1)
    with app.app_context():
        latest = db.session.execute(
            db.select(RightsCode).order_by(RightsCode.id.desc()).limit(1)).scalar_one()
        latest.expires_at = now_utc() - timedelta(seconds=1)
        db.session.commit()
    assert _confirm(citizen, reference, second, "withdraw_consent").status_code == 410
    assert _ask(citizen, reference, "withdraw_consent").status_code == 429
    assert len(smtp_server.messages) == 2
    _, response = _case(app, case_id)
    assert response.contact_email == "lan@example.vn"  # nothing done without a valid code
    assert _requests(app) == []


def test_phone_only_request_waits_for_the_leader_who_checks_identity(
        app, create_org, store, sign_in):
    case_id = store(create_org(), rating=1,
                    reasons=("waiting",), comment="Chờ lâu", contact=PHONE)["case_id"]
    create_org("00002")
    reference, _ = _case(app, case_id)
    waiting = _ask(app.test_client(), reference, "withdraw_consent")
    text = waiting.get_data(as_text=True)
    assert waiting.status_code == 202 and "không gửi tin nhắn" in text
    [row] = _requests(app)
    assert row.completed_at is None and row.channel == RequestChannel.ONLINE

    with app.app_context():  # received long ago: now overdue
        stored = db.session.get(DataSubjectRequest, row.id)
        stored.due_on = local_today(now_utc()) - timedelta(days=1)
        db.session.commit()
    leader = sign_in(Role.LEADER, "00001", username="lanh.dao")
    listing = leader.get("/yeu-cau-du-lieu?open=1").get_data(as_text=True)
    assert reference in listing and "Quá hạn" in listing and "Số yêu cầu quá hạn: 1" in listing
    assert "Số yêu cầu quá hạn: 1" in leader.get("/leader").get_data(as_text=True)
    outsider = sign_in(Role.LEADER, "00002")
    assert reference not in outsider.get("/yeu-cau-du-lieu").get_data(as_text=True)

    url = f"/inbox/cases/{case_id}/rights/{row.id}/complete"
    refused = leader.post(url, data={"csrf_token": csrf_of(leader, f"/inbox/cases/{case_id}")},
                          follow_redirects=True)
    assert "Vui lòng kiểm tra danh tính người yêu cầu" in refused.get_data(as_text=True)
    assert _requests(app)[0].completed_at is None
    leader.post(url, data={"csrf_token": csrf_of(leader, f"/inbox/cases/{case_id}"),
                           "identity_checked": "y"})
    [row] = _requests(app)
    assert row.verification == Verification.IDENTITY_CHECK and row.outcome == "name,phone"
    _, response = _case(app, case_id)
    assert response.contact_phone is None and response.comment == "Chờ lâu"
    assert "Số yêu cầu quá hạn" not in leader.get("/yeu-cau-du-lieu").get_data(as_text=True)


def test_leader_records_a_request_made_at_the_counter(app, create_org, store, sign_in):
    case_id = store(create_org(), rating=1, reasons=("waiting",), contact=PHONE)["case_id"]
    leader = sign_in(Role.LEADER, "00001", username="lanh.dao")
    page = leader.get(f"/inbox/cases/{case_id}").get_data(as_text=True)
    assert "Yêu cầu của người dân về dữ liệu cá nhân" in page
    leader.post(f"/inbox/cases/{case_id}/rights", data={
        "csrf_token": csrf_of(leader, f"/inbox/cases/{case_id}"), "kind": "erase_contact",
        "identity_checked": "y"})
    [row] = _requests(app)
    assert row.channel == RequestChannel.COUNTER and row.completed_at is not None
    with app.app_context():
        stored = db.session.get(DataSubjectRequest, row.id)
        assert stored.received_by.username == "lanh.dao" == stored.completed_by.username
    _, response = _case(app, case_id)
    assert (response.contact_name, response.contact_phone) == (None, None)
    page = leader.get(f"/inbox/cases/{case_id}").get_data(as_text=True)
    assert "tại quầy" in page and "lanh.dao" in page


def test_anonymous_complaint_has_nothing_to_erase(app, create_org, store):
    case_id = store(create_org(), rating=1, reasons=("waiting",))["case_id"]
    reference, _ = _case(app, case_id)
    done = _ask(app.test_client(), reference)
    assert done.status_code == 200 and "không có gì để xóa" in done.get_data(as_text=True)
    [row] = _requests(app)
    assert row.verification == Verification.NOTHING_HELD and row.outcome == "nothing_held"


def test_wrong_reference_gets_the_lookup_page(app):
    assert _ask(app.test_client(), "KM4T-9HXC").status_code == 404


def test_deadlines_follow_the_settings(make_app, create_org, store):
    app = make_app(RIGHTS_WITHDRAW_DEADLINE_DAYS=3)
    case_id = store(create_org(), rating=1, reasons=("waiting",))["case_id"]
    reference, _ = _case(app, case_id)
    _ask(app.test_client(), reference, "withdraw_consent")
    [row] = _requests(app)
    assert row.due_on == local_today(row.received_at) + timedelta(days=3)


@pytest.mark.parametrize("setting", [
    {"RIGHTS_ERASE_DEADLINE_DAYS": "mười"}, {"RIGHTS_WITHDRAW_DEADLINE_DAYS": 0},
    {"RIGHTS_CODE_TTL_MINUTES": -5}, {"COMMENT_RETENTION_DAYS": ""},
    {"STAFF_VIEW_GRANULARITY": "month"},
    {"HASH_RETENTION_DAYS": 3},  # a kiosk answer may come 72 h late, plus the rule windows
])
def test_bad_settings_stop_the_start(make_app, setting):
    with pytest.raises(ConfigError, match=next(iter(setting))):
        make_app(**setting)


def test_without_mail_configured_an_email_contact_waits_for_the_leader(app, create_org, store):
    case_id = store(create_org(), rating=1, reasons=("waiting",), contact=EMAIL)["case_id"]
    reference, _ = _case(app, case_id)
    waiting = _ask(app.test_client(), reference)
    assert waiting.status_code == 202
    assert "chưa gửi được mã xác nhận" in waiting.get_data(as_text=True)
    [row] = _requests(app)
    assert row.completed_at is None and row.kind == RequestKind.ERASE_CONTACT


def test_no_request_chosen_shows_the_tracking_page_with_the_error(app, create_org, store):
    reference, _ = _case(app, store(create_org(), rating=1,
                                    reasons=("waiting",), contact=PHONE)["case_id"])
    citizen = app.test_client()
    page = citizen.post("/tra-cuu/yeu-cau", data={"csrf_token": csrf_of(citizen, "/tra-cuu"),
                                                  "reference": reference})
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and reference in text
    assert "Vui lòng chọn một câu trả lời." in text and _requests(app) == []


def test_erasure_masks_the_citizen_in_the_leaders_notes_and_replies(app, create_org, store,
                                                                   sign_in):
    case_id = store(create_org(), rating=1, reasons=("waiting",), contact=PHONE)["case_id"]
    leader = sign_in(Role.LEADER, "00001", username="lanh.dao")
    url = f"/inbox/cases/{case_id}"
    leader.post(f"{url}/note", data={"csrf_token": csrf_of(leader, url),
                                     "body": "Đã gọi bà Tư Hạnh số 0912 345 678, hẹn chiều"})
    leader.post(f"{url}/reply", data={"csrf_token": csrf_of(leader, url),
                                      "body": "Kính gửi bà Tư Hạnh, Trung tâm xin lỗi bà."})
    before = leader.get(url).get_data(as_text=True)
    assert "0912 345 678" in before and "bà Tư Hạnh" in before
    leader.post(f"{url}/rights", data={"csrf_token": csrf_of(leader, url),
                                       "kind": "erase_contact", "identity_checked": "y"})
    [row] = _requests(app)
    assert row.outcome == "name,phone,timeline"
    again = leader.post(f"{url}/rights", data={"csrf_token": csrf_of(leader, url),
                                               "kind": "erase_contact", "identity_checked": "y"})
    assert again.status_code == 409 and len(_requests(app)) == 1
    assert "Yêu cầu này đã được thực hiện trước đó" in again.get_data(as_text=True)
    page = leader.get(url).get_data(as_text=True)
    assert "0912 345 678" not in page and "Tư Hạnh" not in page
    assert "Đã gọi bà *** số ***, hẹn chiều" in page and "Kính gửi bà ***," in page
    assert "họ tên, số điện thoại trong ghi chú và nội dung trả lời phản ánh" in page
    with app.app_context():  # masking is the one change the timeline allows
        note = db.session.execute(db.select(CaseEvent).where(
            CaseEvent.body.like("Đã gọi%"))).scalar_one()
        note.body = "Đã gọi, hẹn chiều"
        with pytest.raises(ValueError, match="append-only"):
            db.session.flush()
        db.session.rollback()
