"""Integrity at write time: flags are raised as responses are stored, a burst is recognised
with its first members, a surge is held until HR reviews it, and every reader (HR report,
dashboard rollups, cases, alerts) follows what is stored."""

from __future__ import annotations

from datetime import date, timedelta

from hr_support import local
from sqlalchemy import delete, select

from accounts.models import Role
from accounts.services import create_user
from core.db import db
from feedback import sentiment
from feedback.cases.models import AlertKind, Case, CasePriority, CaseStatus, CentreAlert
from feedback.dashboard import rollups
from feedback.hr import exclusions
from feedback.hr.evaluation import Settings, unit_report
from feedback.hr.models import FlagRule, OverrideAction, ResponseFlag
from feedback.models import Response
from feedback.periods import parse_period
from surveys.channels.visits import create_api_token, create_visit
from surveys.models import Centre, Counter, Unit

DAY = date(2026, 7, 6)  # a Monday
JULY = parse_period("2026-07")


def _flags(response_id: int) -> set[FlagRule]:
    return set(db.session.execute(
        select(ResponseFlag.rule).where(ResponseFlag.response_id == response_id)).scalars())


def _counted(ids) -> list[bool]:
    return [db.session.get(Response, rid).counted for rid in ids]


def _rollups_equal_a_rebuild() -> bool:
    def tables():
        return {model: sorted(tuple(row) for row in db.session.execute(
            select(model.__table__))) for model in rollups.TABLES}

    before = tables()
    for model in rollups.TABLES:
        db.session.execute(delete(model))
    for month in rollups.response_months():
        rollups.rebuild_month(month)
    after = tables()
    db.session.rollback()
    return before == after


def _report():
    unit = db.session.execute(select(Unit).filter_by(code="00001")).scalar_one()
    return {line.name: line for line in unit_report(unit, JULY, Settings(min_responses=1)).staff}


def test_a_device_burst_is_flagged_with_its_first_members_when_the_third_arrives(
        app, ward, add):
    at = local(DAY, 9)
    first = add(ward, at, 5, device="phone-1")
    second = add(ward, at + timedelta(minutes=2), 5, device="phone-1")
    with app.app_context():
        assert _counted([first, second]) == [True, True]
    third = add(ward, at + timedelta(minutes=4), 5, device="phone-1")
    with app.app_context():
        assert _counted([first, second, third]) == [False, False, False]
        assert all(_flags(rid) == {FlagRule.DEVICE_BURST} for rid in (first, second, third))
        assert db.session.get(Response, third).screened_version is not None
        assert _rollups_equal_a_rebuild()
        alerts = db.session.execute(select(CentreAlert)).scalars().all()
        assert [(a.kind, a.counter_id, a.matching) for a in alerts] == [
            (AlertKind.STUFFING, ward["counters"][0]["id"], 3)]


def test_rotating_addresses_are_held_as_a_surge_and_move_no_score(app, ward, add):
    at = local(DAY, 9)
    honest = [add(ward, at - timedelta(hours=2) + timedelta(minutes=10 * k), 4,
                  ip=f"ip-{k}") for k in range(5)]
    with app.app_context():
        before = _report()["Nguyễn Thị Hường"]
    stuffed = [add(ward, at + timedelta(seconds=10 * k), 1 + k % 2, device=f"fresh-{k}",
                   ip=f"addr-{k % 40}", comment="Cán bộ tệ", reasons=("attitude",))
               for k in range(80)]
    with app.app_context():
        held = [rid for rid in stuffed if not db.session.get(Response, rid).counted]
        assert len(held) == 80
        assert all(FlagRule.SURGE in _flags(rid) for rid in stuffed)
        assert _counted(honest) == [True] * 5
        after = _report()["Nguyễn Thị Hường"]
        assert (after.counted, after.overall.share) == (before.counted, before.overall.share)
        assert len(after.excluded) == 80
        # One alert for the counter, no ordinary complaint case left open by the stuffing.
        alerts = db.session.execute(select(CentreAlert)).scalars().all()
        assert [a.kind for a in alerts] == [AlertKind.STUFFING] and alerts[0].matching == 80
        open_cases = db.session.execute(select(Case).where(
            Case.status != CaseStatus.DISMISSED)).scalars().all()
        assert open_cases == []
        assert _rollups_equal_a_rebuild()


def test_a_busy_honest_counter_behind_one_address_is_not_flagged(app, ward, add):
    at = local(DAY, 10)
    ids = [add(ward, at + timedelta(seconds=18 * k), overall=3 + k % 3, device=f"phone-{k}",
               ip="centre-wifi", ratings={"access": 1 + k % 5, "procedure": 2 + k % 4})
           for k in range(10)]
    with app.app_context():
        assert _counted(ids) == [True] * 10
        assert db.session.execute(select(db.func.count()).select_from(ResponseFlag)
                                  ).scalar_one() == 0
        assert db.session.execute(select(CentreAlert).where(
            CentreAlert.kind == AlertKind.STUFFING)).scalars().all() == []


def test_queue_tickets_issued_raise_what_a_counter_could_have_served(app, ward, add):
    at = local(DAY, 9)
    with app.app_context():
        centre = db.session.get(Centre, ward["centre_id"])
        counter = db.session.get(Counter, ward["counters"][0]["id"])
        token, _secret = create_api_token(centre, "Hệ thống xếp hàng")
        for k in range(60):
            issued = create_visit(token, f"A-{k:03d}", timedelta(hours=4), counter=counter)
            issued.visit.created_at = at + timedelta(seconds=30 * k)
        db.session.commit()
    ids = [add(ward, at + timedelta(seconds=40 * k), 4, ip=f"ip-{k}") for k in range(45)]
    with app.app_context():
        assert _counted(ids) == [True] * 45


def test_hr_releases_a_held_response_and_it_counts_again_everywhere(app, ward, add):
    at = local(DAY, 9)
    ids = [add(ward, at + timedelta(seconds=5 * k), 5, ip=f"ip-{k}") for k in range(40)]
    with app.app_context():
        hr = create_user("nhan.su", "mat-khau-du-dai", Role.HR,
                         db.session.execute(select(Unit).filter_by(code="00001")).scalar_one())
        assert _report()["Nguyễn Thị Hường"].counted == 0
        exclusions.override(db.session.get(Response, ids[0]), OverrideAction.RESTORE, hr,
                            "Đã đối chiếu sổ tiếp nhận hồ sơ")
        db.session.commit()
        assert db.session.get(Response, ids[0]).counted
        assert _report()["Nguyễn Thị Hường"].counted == 1
        assert _rollups_equal_a_rebuild()


def test_a_bribery_report_inside_a_surge_still_opens_its_urgent_case(app, ward, add,
                                                                     monkeypatch):
    def tag(text: str) -> sentiment.Tagging:
        return sentiment.Tagging("negative", 0.9, (), "tiền" in text, "test-model")

    monkeypatch.setattr(sentiment, "tag", tag)
    at = local(DAY, 9)
    for k in range(40):
        add(ward, at + timedelta(seconds=5 * k), 1, ip=f"ip-{k}")
    report = add(ward, at + timedelta(seconds=205), 1, comment="Cán bộ đòi tiền bồi dưỡng")
    with app.app_context():
        assert not db.session.get(Response, report).counted
        case = db.session.execute(select(Case).where(Case.response_id == report)).scalar_one()
        assert case.priority == CasePriority.URGENT and case.status == CaseStatus.NEW


def test_a_complaint_sent_after_closing_is_left_out_of_scores_but_kept_as_a_case(
        app, ward, add):
    late = add(ward, local(DAY, 21), 1, comment="Cán bộ tệ", reasons=("attitude",))
    with app.app_context():
        assert _flags(late) == {FlagRule.CLOSED} and not db.session.get(Response, late).counted
        case = db.session.execute(select(Case).where(Case.response_id == late)).scalar_one()
        assert case.status == CaseStatus.NEW


def test_an_unhappy_alert_already_mailed_is_closed_not_removed_when_a_burst_explains_it(
        app, ward, add):
    at = local(DAY, 9)
    for k in range(5):
        add(ward, at + timedelta(seconds=5 * k), 1, ip=f"ip-{k}")
    with app.app_context():
        alert = db.session.execute(select(CentreAlert)).scalar_one()
        assert alert.kind == AlertKind.UNHAPPY
        alert.notified_at = at + timedelta(seconds=30)
        db.session.commit()
    for k in range(5, 40):
        add(ward, at + timedelta(seconds=5 * k), 1, ip=f"ip-{k}")
    with app.app_context():
        alerts = {a.kind: a for a in db.session.execute(select(CentreAlert)).scalars()}
        assert set(alerts) == {AlertKind.UNHAPPY, AlertKind.STUFFING}
        assert alerts[AlertKind.UNHAPPY].resolved_at is not None
        assert alerts[AlertKind.STUFFING].resolved_at is None


def test_the_staff_member_sees_why_a_response_was_excluded_but_not_when_it_was_sent(
        app, ward, add, sign_in):
    app.config["STAFF_VIEW_MIN_RESPONSES"] = 1
    add(ward, local(DAY, 9), 5)  # the day has a counted response, so its items are shown
    late = add(ward, local(DAY, 18, 47), 1, comment="Cán bộ tệ")
    staff_id = ward["counters"][0]["staff_id"]
    with app.app_context():
        assert _flags(late) == {FlagRule.CLOSED}
    own = sign_in(Role.STAFF, "00001", "can.bo", staff_id=staff_id)
    page = own.get(f"/hr/staff/{staff_id}?period=2026-Q3").get_data(as_text=True)
    assert "Ngoài giờ làm việc" in page
    assert "18:47" not in page
    hr = sign_in(Role.HR, "00001", "nhan.su")
    assert "18:47" in hr.get(f"/hr/staff/{staff_id}?period=2026-Q3").get_data(as_text=True)
