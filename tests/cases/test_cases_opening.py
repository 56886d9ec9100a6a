"""Cases open by themselves at submission, or by a leader; a failure never costs the response."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from cases_support import csrf_of
from werkzeug.datastructures import MultiDict

from accounts.audit import AdminAudit, AuditAction, AuditTarget
from accounts.models import Role
from core.db import db
from feedback.cases import services as case_services
from feedback.cases.models import Case, CaseEvent, CasePriority, CaseRule, CaseStatus, EventKind
from feedback.models import Response


def test_a_reason_given_with_dissatisfied_through_the_citizen_form_opens_a_case(app,
                                                                               survey_page):
    answers = survey_page.answers(rating=4)
    answers[survey_page.questions[3]] = "1"  # a low factor rating alone is not a complaint
    assert survey_page.submit(answers).status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(Case)).scalar_one_or_none() is None
    survey_page.open()
    answers = MultiDict([*survey_page.answers(rating=4).items(),
                         ("reasons", "waiting")])
    answers[survey_page.questions[0]] = "2"
    assert survey_page.submit(answers).status_code == 303
    with app.app_context():
        case = db.session.execute(db.select(Case)).scalar_one()
        assert case.status == CaseStatus.NEW and case.priority == CasePriority.NORMAL
        assert case.reasons == "dissatisfied"
        assert case.due_on > case.opened_at.date()
        [event] = case.events
        assert event.kind == EventKind.OPENED and event.actor is None


def test_a_low_rating_without_a_reason_opens_no_case(app, org, store):
    assert store(org, rating=1)["case_id"] is None
    assert store(org, rating=2, comment="Bình thường", label="neutral")["case_id"] is None


def test_a_unit_leader_sets_the_units_own_rule_on_a_page(app, org, store, sign_in):
    leader = sign_in(Role.LEADER, "00001")
    page = leader.get("/leader/case-rules")
    assert page.status_code == 200 and "Chờ quá lâu" in page.get_data(as_text=True)
    url = f"/leader/case-rules/{org['ward_id']}"
    saved = leader.post(url, data={"csrf_token": csrf_of(leader), "reasons": ["attitude", "fees"]})
    assert saved.status_code == 303
    assert store(org, rating=1, reasons=("waiting",), label="negative")["case_id"] is None
    opened = store(org, rating=1, reasons=("waiting", "fees"))
    with app.app_context():
        assert db.session.get(Case, opened["case_id"]).reasons == "dissatisfied"
    assert store(org, rating=5, comment="Phải đưa tiền", integrity=True)["case_id"] is not None
    assert sign_in(Role.HR, "00001").get("/leader/case-rules").status_code == 403


def test_a_rule_is_set_only_for_a_ward_commune_or_special_zone(app, org, sign_in):
    leader = sign_in(Role.LEADER, "P00001")  # the province's leader sees its wards' rules
    assert org["ward_id"] and leader.get("/leader/case-rules").status_code == 200
    refused = leader.post(f"/leader/case-rules/{org['province_id']}",
                          data={"csrf_token": csrf_of(leader), "reasons": ["fees"]})
    assert refused.status_code == 404
    with app.app_context():
        assert db.session.execute(db.select(CaseRule)).first() is None


def test_happy_responses_open_nothing_negative_and_integrity_do(app, org, store):
    assert store(org, rating=5, comment="Rất tốt", label="positive")["case_id"] is None
    assert store(org, rating=3)["case_id"] is None
    negative = store(org, rating=4, comment="Chờ quá lâu", label="negative")
    flagged = store(org, rating=5, comment="Phải có tiền cà phê", integrity=True)
    with app.app_context():
        assert db.session.get(Case, negative["case_id"]).reasons == "negative"
        urgent = db.session.get(Case, flagged["case_id"])
        assert urgent.priority == CasePriority.URGENT and urgent.reasons == "integrity"


def test_due_date_uses_working_days_from_the_submission(app, org, store):
    opened = store(org, rating=1,
                   reasons=("waiting",), at=datetime(2026, 2, 13, 3, 0, tzinfo=UTC))  # before Tết
    with app.app_context():
        assert db.session.get(Case, opened["case_id"]).due_on == date(2026, 2, 27)


def test_if_opening_a_case_fails_the_response_is_still_stored(app, org, store, monkeypatch,
                                                               count_rows):
    def broken(response, policy, suspected=False):
        db.session.add(Case(response_id=response.id, unit_id=response.unit_id, reasons="x",
                            due_on=date(2026, 1, 1), search_text=""))
        db.session.flush()
        raise RuntimeError("boom")

    monkeypatch.setattr("feedback.cases.hooks.open_case_if_needed", broken)
    stored = store(org, rating=1, reasons=("waiting",))
    assert stored["case_id"] is None
    assert count_rows(Response) == 1 and count_rows(Case) == 0


def test_a_leader_opens_a_case_for_any_response_once(app, org, store, sign_in):
    happy = store(org, rating=5, comment="Cán bộ nhiệt tình")
    leader = sign_in(Role.LEADER, "00001")
    url = f"/inbox/responses/{happy['public_id']}/case"
    assert leader.post(url).status_code == 400  # no CSRF token
    csrf = csrf_of(leader)
    first = leader.post(url, data={"csrf_token": csrf})
    assert first.status_code == 303
    again = leader.post(url, data={"csrf_token": csrf})
    assert again.headers["Location"] == first.headers["Location"]
    with app.app_context():
        case = db.session.execute(db.select(Case)).scalar_one()
        assert case.reasons == "leader" and case.opened_by.username == leader.username
    assert "Cán bộ nhiệt tình" in leader.get(first.headers["Location"]).get_data(as_text=True)


def test_the_timeline_cannot_be_changed_or_deleted(app, org, store):
    opened = store(org, rating=1, reasons=("waiting",))
    with app.app_context():
        event = db.session.execute(db.select(CaseEvent)).scalar_one()
        event.body = "rewritten"
        with pytest.raises(ValueError, match="append-only"):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(CaseEvent, event.id))
        with pytest.raises(ValueError, match="never deleted"):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(Case, opened["case_id"]))
        with pytest.raises(ValueError, match="never deleted"):
            db.session.flush()
        db.session.rollback()
        assert case_services.case_for_response(opened["response_id"]) is not None


def test_changing_what_opens_a_case_or_an_alert_is_in_the_audit_log(app, org, sign_in):
    leader = sign_in(Role.LEADER, "00001", username="lanh.dao")
    leader.post(f"/leader/case-rules/{org['ward_id']}",
                data={"csrf_token": csrf_of(leader), "reasons": ["fees"]})
    leader.post(f"/leader/case-rules/{org['ward_id']}",  # the same again: nothing to record
                data={"csrf_token": csrf_of(leader), "reasons": ["fees"]})
    centre_id = org["centre_id"]
    leader.post(f"/leader/alerts/rules/{centre_id}", data={
        "csrf_token": csrf_of(leader), "window_minutes": 60, "unhappy_percent": 50,
        "min_responses": 8})
    with app.app_context():
        entries = db.session.execute(db.select(AdminAudit).order_by(AdminAudit.id)).scalars().all()
        assert [(e.target, e.action, e.user.username) for e in entries] == [
            (AuditTarget.CASE_RULE, AuditAction.CHANGED, "lanh.dao"),
            (AuditTarget.ALERT_RULE, AuditAction.CHANGED, "lanh.dao")]
        case_rule, alert_rule = (e.what for e in entries)
    assert "khi có góp ý chê: có;" in case_rule and "→ khi có góp ý chê: không;" in case_rule
    assert "Chờ quá lâu" in case_rule.split("→")[0] and "Chờ" not in case_rule.split("→")[1]
    assert "→ 50 % không hài lòng trên ít nhất 8 phiếu trong 60 phút" in alert_rule
    assert "dấu hiệu tiêu cực: không" in alert_rule.split("→")[1]
    page = sign_in(Role.ADMIN, "00001").get("/admin/audit").get_data(as_text=True)
    assert "Quy tắc tự mở phản ánh" in page and "Ngưỡng cảnh báo" in page
