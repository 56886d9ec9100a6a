"""Handling a case over HTTP: workflow moves, assignment, notes, replies, the timeline, and who
sees what (leaders everything in their ward; HR no contact details or notes; staff only the
comments about themselves and the outcomes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cases_support import csrf_of

from accounts.models import Role
from core.db import db
from feedback.cases.models import (
    Case,
    CaseEvent,
    CasePriority,
    CaseStatus,
    DismissReason,
    EventKind,
)
from tests.support import recent_office_hour

CONTACT = {"contact_name": "Bà Tư", "contact_phone": "0912345678",
           "contact_email": "ba.tu@example.vn"}


def _post(client, case_id: int, what: str, **data):
    data.setdefault("csrf_token", csrf_of(client))
    return client.post(f"/inbox/cases/{case_id}/{what}", data=data)


def test_the_full_workflow_with_its_timeline(app, org, store, sign_in):
    case_id = store(org, rating=1, reasons=("waiting",), comment="Chờ lâu")["case_id"]
    leader = sign_in(Role.LEADER, "00001")
    for action in ("acknowledge", "start"):
        assert _post(leader, case_id, "transition", action=action).status_code == 303
    assert _post(leader, case_id, "assign", assignee="").status_code == 303
    assert _post(leader, case_id, "note", body="Đã gọi điện cho tổ trưởng").status_code == 303
    assert _post(leader, case_id, "transition", action="resolve",
                 text="Bố trí thêm một quầy vào buổi sáng").status_code == 303
    assert _post(leader, case_id, "transition", action="close").status_code == 303
    assert _post(leader, case_id, "transition", action="reopen",
                 text="Người dân phản ánh lại").status_code == 303
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == CaseStatus.IN_PROGRESS and case.resolved_at is None
        assert case.outcome == "Bố trí thêm một quầy vào buổi sáng"
        kinds = [(e.kind, e.from_status, e.to_status) for e in case.events]
        assert kinds == [
            (EventKind.OPENED, None, CaseStatus.NEW),
            (EventKind.ASSIGNED, None, None),  # the leader who acts first handles it
            (EventKind.STATUS, CaseStatus.NEW, CaseStatus.ACKNOWLEDGED),
            (EventKind.STATUS, CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS),
            (EventKind.ASSIGNED, None, None),
            (EventKind.NOTE, None, None),
            (EventKind.ASSIGNED, None, None),  # given to nobody: the next leader to act takes it
            (EventKind.STATUS, CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED),
            (EventKind.STATUS, CaseStatus.RESOLVED, CaseStatus.CLOSED),
            (EventKind.STATUS, CaseStatus.CLOSED, CaseStatus.IN_PROGRESS),
        ]
        assert {e.actor.username for e in case.events[1:]} == {leader.username}
    page = leader.get(f"/inbox/cases/{case_id}").get_data(as_text=True)
    assert "Đã gọi điện cho tổ trưởng" in page and "Người dân phản ánh lại" in page
    assert page.index("Đã gọi điện") < page.index("Người dân phản ánh lại")  # in time order


def test_illegal_moves_and_dismissal_without_reason_are_refused(app, org, store, sign_in):
    case_id = store(org, rating=1, reasons=("waiting",))["case_id"]
    leader = sign_in(Role.LEADER, "00001")
    refused = _post(leader, case_id, "transition", action="close")
    assert refused.status_code == 409
    assert "Không thể thực hiện thao tác này với phản ánh ở trạng thái hiện tại." in \
        refused.get_data(as_text=True)
    assert _post(leader, case_id, "transition", action="fly").status_code == 303
    assert _post(leader, case_id, "transition", action="dismiss").status_code == 303
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == CaseStatus.NEW and len(case.events) == 1
    assert _post(leader, case_id, "transition", action="dismiss", reason="spam",
                 text="Quảng cáo").status_code == 303
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == CaseStatus.DISMISSED
        assert case.dismiss_reason == DismissReason.SPAM
    page = leader.get(f"/inbox/cases/{case_id}").get_data(as_text=True)
    assert "Không liên quan (quảng cáo, phá rối)" in page and "Quảng cáo" in page


def test_assignment_only_to_leaders_of_the_ward(app, create_org, store, sign_in):
    org = create_org("00001")
    create_org("00002")
    case_id = store(org, rating=1, reasons=("waiting",))["case_id"]
    leader = sign_in(Role.LEADER, "00001")
    colleague = sign_in(Role.LEADER, "00001")
    outsider = sign_in(Role.LEADER, "00002")
    with app.app_context():
        from accounts.services import find_user

        colleague_id = find_user(colleague.username).id
        outsider_id = find_user(outsider.username).id
    assert _post(leader, case_id, "assign", assignee=outsider_id).status_code == 400
    assert _post(leader, case_id, "assign", assignee=colleague_id).status_code == 303
    with app.app_context():
        assert db.session.get(Case, case_id).assignee_id == colleague_id
    inbox = leader.get("/inbox").get_data(as_text=True)
    assert colleague.username in inbox


def test_hr_reads_without_contact_or_notes_and_cannot_change(app, org, store, sign_in):
    case_id = store(org, rating=1,
                    reasons=("waiting",), comment="Chờ lâu", contact=CONTACT)["case_id"]
    leader = sign_in(Role.LEADER, "00001")
    _post(leader, case_id, "note", body="Ghi chú nội bộ XYZ")
    leader_page = leader.get(f"/inbox/cases/{case_id}").get_data(as_text=True)
    assert "0912345678" in leader_page and "ba.tu@example.vn" in leader_page
    assert "Ghi chú nội bộ XYZ" in leader_page
    hr = sign_in(Role.HR, "P00001")
    page = hr.get(f"/inbox/cases/{case_id}").get_data(as_text=True)
    assert "Chờ lâu" in page
    for secret in ("0912345678", "ba.tu@example.vn", "Bà Tư", "Ghi chú nội bộ XYZ"):
        assert secret not in page
    assert _post(hr, case_id, "note", body="x").status_code == 403
    assert _post(hr, case_id, "transition", action="acknowledge").status_code == 403


def test_staff_see_comments_about_themselves_and_outcomes_only(app, create_org, store, sign_in):
    org = create_org(counters=2)
    app.config["STAFF_VIEW_MIN_RESPONSES"] = 1
    yesterday = recent_office_hour(datetime.now(UTC) - timedelta(days=1))
    mine = store(org, rating=1,
                 reasons=("waiting",), counter=0, comment="Cán bộ A chậm", contact=CONTACT,
                 at=yesterday)
    store(org, rating=1, reasons=("waiting",), counter=1, comment="Cán bộ B cộc lốc", at=yesterday)
    leader = sign_in(Role.LEADER, "00001")
    for action in ("acknowledge", "start"):
        _post(leader, mine["case_id"], "transition", action=action)
    _post(leader, mine["case_id"], "note", body="Nhắc nhở riêng cán bộ A")
    _post(leader, mine["case_id"], "reply", body="Kính gửi Bà Tư, chúng tôi xin lỗi")
    _post(leader, mine["case_id"], "transition", action="resolve",
          text="Đã hướng dẫn lại quy trình")
    staff = sign_in(Role.STAFF, "00001", staff_id=org["counters"][0]["staff_id"])
    assert staff.get("/inbox").headers["Location"].endswith("/inbox/me")
    page = staff.get("/inbox/me").get_data(as_text=True)
    assert "Cán bộ A chậm" in page and "Đã hướng dẫn lại quy trình" in page
    assert "Đã giải quyết" in page
    for hidden in ("Cán bộ B cộc lốc", "0912345678", "ba.tu@example.vn", "Bà Tư",
                   "Nhắc nhở riêng", "chúng tôi xin lỗi"):
        assert hidden not in page
    assert staff.get(f"/inbox/cases/{mine['case_id']}").status_code == 403


def test_reply_without_smtp_is_recorded_and_the_leader_is_told(app, org, store, sign_in):
    case_id = store(org, rating=1, reasons=("waiting",), contact=CONTACT)["case_id"]
    leader = sign_in(Role.LEADER, "00001")
    response = _post(leader, case_id, "reply", body="Cảm ơn Bà đã phản ánh")
    page = leader.get(response.headers["Location"]).get_data(as_text=True)
    assert "không được gửi qua thư điện tử" in page
    with app.app_context():
        events = db.session.execute(db.select(CaseEvent).order_by(CaseEvent.id)).scalars().all()
        assert [e.kind for e in events] == [EventKind.OPENED, EventKind.ASSIGNED, EventKind.REPLY]
        assert events[2].body == "Cảm ơn Bà đã phản ánh" and not events[2].internal


def test_times_are_shown_in_vietnam_time(app, org, store, sign_in):
    case_id = store(org, rating=1,
                    reasons=("waiting",), at=datetime(2026, 3, 2, 17, 30, tzinfo=UTC))["case_id"]
    leader = sign_in(Role.LEADER, "00001")
    page = leader.get(f"/inbox/cases/{case_id}").get_data(as_text=True)
    assert "03/03/2026 00:30" in page  # the one format of every page (core/dates.py)


def test_resolving_takes_one_step_needs_the_outcome_and_names_who_handles_it(app, org, store,
                                                                             sign_in):
    case_id = store(org, rating=1,
                    reasons=("waiting",), comment="Cán bộ vòi tiền 500 nghìn mới nhận hồ sơ",
                    integrity=True)["case_id"]
    leader = sign_in(Role.LEADER, "00001")
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.priority == CasePriority.URGENT and case.assignee_id is None
    for text in ("", "   "):
        assert _post(leader, case_id, "transition", action="resolve",
                     text=text).status_code == 303
    page = leader.get(f"/inbox/cases/{case_id}").get_data(as_text=True)
    assert "Vui lòng ghi kết quả xử lý" in page and "Đã giải quyết" not in page.split("<h1>")[1]
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == CaseStatus.NEW and case.outcome is None
    assert _post(leader, case_id, "transition", action="resolve",
                 text="Đã xác minh, xử lý kỷ luật công chức").status_code == 303
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == CaseStatus.RESOLVED
        assert case.outcome == "Đã xác minh, xử lý kỷ luật công chức"
        assert case.assignee.username == leader.username
