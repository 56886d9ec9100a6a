"""A unit's report for a period, checked against the worked example computed by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hr_support import local, weekday_slots

from accounts.models import Role
from accounts.services import create_user
from core.db import db
from feedback.attribution import reattribute
from feedback.hr import exclusions
from feedback.hr.evaluation import Settings, unit_report
from feedback.hr.models import FlagRule, OverrideAction, ResponseFlag
from feedback.models import Response
from feedback.periods import parse_period
from surveys import services
from surveys.models import Counter, Staff, Unit

Q3 = parse_period("2026-Q3")


def report_of(settings=None, period=Q3):
    unit = db.session.execute(db.select(Unit).filter_by(code="00001")).scalar_one()
    report = unit_report(unit, period, settings or Settings())
    return report, {line.name: line for line in report.staff}


def flag_count() -> int:
    return db.session.execute(db.select(db.func.count()).select_from(ResponseFlag)).scalar_one()


def test_worked_example_scores_ranks_and_the_input_without_a_grade(app, worked_example):
    with app.app_context():
        report, by_name = report_of()
        a, b, c = by_name["Nguyễn Thị Hường"], by_name["Trần Văn Bình"], by_name["Lê Thị Cúc"]
        assert report.responses == 104 and report.excluded == 4
        assert report.unit_share == pytest.approx(0.74)
        assert (a.counted, b.counted, c.counted) == (30, 30, 40)
        assert a.score.share == pytest.approx(0.6) and a.score.expected == pytest.approx(0.5)
        assert a.relative == pytest.approx(10.0)
        assert (a.score.score, b.score.score, c.score.score) == (
            pytest.approx(80.0), pytest.approx(74.0), pytest.approx(69.0))
        assert (a.rank, b.rank, c.rank) == (1, 2, 3)
        # No grade is derived from satisfaction: nobody has decided one.
        assert (a.decision, b.decision, c.decision) == (None, None, None)
        # The input (NĐ 335, 5 points in proportion) on attitude and guidance: A 18/30 → 3.0,
        # B 27/30 → 4.5, C 29/40 → 3.625 → 3.6.
        assert (a.sub_score, b.sub_score, c.sub_score) == (3.0, 4.5, 3.6)
        assert (a.level3.very_satisfied, a.level3.satisfied, a.level3.dissatisfied) == (
            18, 0, 12)
        assert report.profile.key == "nd335" and report.version.max_points == 5
        # Wilson 95 % for 18/30 by hand: 0.4232 .. 0.7541.
        assert a.overall.interval.low == pytest.approx(0.4232, abs=1e-4)
        assert a.overall.interval.high == pytest.approx(0.7541, abs=1e-4)
        assert a.mean == pytest.approx((18 * 5 + 12 * 2) / 30)
        assert [i.code for i in a.criteria][:2] == ["overall", "access"]


def test_suspicious_responses_are_excluded_and_listed_with_reasons(app, worked_example):
    with app.app_context():
        report, by_name = report_of()
        a, b = by_name["Nguyễn Thị Hường"], by_name["Trần Văn Bình"]
        burst = {line.public_id: line for line in a.excluded}
        assert len(burst) == 3
        assert {f.rule for line in a.excluded for f in line.state.flags} == {
            FlagRule.DEVICE_BURST}
        assert [f.rule for line in b.excluded for f in line.state.flags] == [FlagRule.CLOSED]
        assert report.flagged_by_rule == {FlagRule.DEVICE_BURST: 3, FlagRule.CLOSED: 1}


def test_low_ratings_comments_and_cases_are_listed(app, ward, add):
    at = local(date(2026, 7, 6), 9)
    add(ward, at, 1, comment="Thái độ rất tệ, gọi 0912345678", area="dat-dai")
    add(ward, at + timedelta(minutes=40), 4, comment="Cán bộ tệ quá", area="dat-dai")
    add(ward, at + timedelta(minutes=80), 5, comment="Rất tốt", area="dat-dai")
    with app.app_context():
        _report, by_name = report_of()
        a = by_name["Nguyễn Thị Hường"]
        assert [line.overall for line in a.low_ratings] == [1, 4]
        assert len(a.comments) == 2
        assert len(a.cases) >= 1 and a.cases[0].status == "new"


def test_below_the_minimum_there_is_no_score_rank_or_grade(app, worked_example):
    with app.app_context():
        report, by_name = report_of(Settings(min_responses=31))
        a, c = by_name["Nguyễn Thị Hường"], by_name["Lê Thị Cúc"]
        assert not a.enough and a.counted == 30
        assert a.score is None and a.rank is None and a.sub_score is None
        assert a.overall.share is None
        assert c.enough and c.rank == 1 and report.ranked_count() == 1


def test_hr_restores_a_flagged_response_with_an_audited_note(app, worked_example):
    with app.app_context():
        hr = create_user("nhan.su", "mat-khau-du-dai", Role.HR,
                         db.session.execute(db.select(Unit).filter_by(code="00001")).scalar_one())
        report_of()
        response = db.session.get(Response, worked_example["burst"][0])
        with pytest.raises(exclusions.ExclusionError):
            exclusions.override(response, OverrideAction.RESTORE, hr, "  ")
        exclusions.override(response, OverrideAction.RESTORE, hr, "Đã xác minh qua camera")
        db.session.commit()
        _report, by_name = report_of()
        a = by_name["Nguyễn Thị Hường"]
        assert a.counted == 31 and len(a.excluded) == 2 and len(a.restored) == 1
        override = a.restored[0].state.overrides[0]
        assert override.note == "Đã xác minh qua camera" and override.actor.username == "nhan.su"
        with pytest.raises(ValueError):
            override.note = "sửa"
            db.session.flush()
        db.session.rollback()


def test_flags_are_stored_with_the_responses_and_reading_a_report_writes_nothing(
        app, worked_example):
    with app.app_context():
        assert flag_count() == 4
        held = db.session.execute(db.select(db.func.count()).select_from(Response)
                                  .where(Response.counted.is_(False))).scalar_one()
        assert held == 4
        report_of()
        assert not db.session.new and not db.session.dirty
        assert flag_count() == 4


def test_changed_rules_apply_after_a_rescan_and_old_flags_stay_as_history(
        app, worked_example, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text("[device_burst]\ncount = 4\n", encoding="utf-8")
    app.config["HR_INTEGRITY_RULES"] = str(rules)
    result = app.test_cli_runner().invoke(args=["integrity", "rescan"])
    assert result.exit_code == 0, result.output
    assert "1 phiếu không được tính" in result.output
    with app.app_context():
        report, by_name = report_of()
        assert by_name["Nguyễn Thị Hường"].counted == 33
        assert report.excluded == 1
        # The old flags are kept as history.
        assert flag_count() == 5


def test_attribution_follows_the_assignment_history(app, ward, add):
    first = add(ward, local(date(2026, 7, 6), 9), 5)
    second = add(ward, local(date(2026, 7, 8), 9), 5)
    with app.app_context():
        # Recorded later: from 7 July the counter was staffed by a newcomer.
        counter_id = ward["counters"][0]["id"]
        ward_unit = db.session.execute(db.select(Unit).filter_by(code="00001")).scalar_one()
        newcomer = services.create_staff("NEW-1", "Phạm Văn Mới", ward_unit)
        services.assign_staff(newcomer, db.session.get(Counter, counter_id),
                              local(date(2026, 7, 7), 7))
        reattribute(counter_id, local(date(2026, 7, 7), 7), None)  # the correction
        db.session.commit()
        _report, by_name = report_of(Settings(min_responses=1))
        assert by_name["Nguyễn Thị Hường"].counted == 1
        new = by_name["Phạm Văn Mới"]
        assert new.counted == 1 and new.first_days == 1
        assert db.session.get(Response, first).staff_id == ward["counters"][0]["staff_id"]
        assert db.session.get(Response, second) is not None


def test_staff_without_responses_are_listed_as_insufficient(app, ward):
    with app.app_context():
        report, by_name = report_of()
        assert set(by_name) == {"Nguyễn Thị Hường", "Trần Văn Bình", "Lê Thị Cúc"}
        assert all(not line.enough and line.counted == 0 for line in report.staff)
        assert db.session.execute(db.select(Staff)).scalars().first() is not None


def test_the_input_comes_from_the_officers_own_question_in_the_units_profile(app, ward, add):
    """Premises and procedures rated 2 overall, the officer's attitude and guidance rated 5 by
    27 of 30 citizens and 3 by the other 3: 90 % satisfied with the officer."""
    slots = weekday_slots(date(2026, 10, 1), 30)
    for k, at in enumerate(slots):
        add(ward, at, 2, counter=0, ratings={"overall": 2, "staff": 5 if k < 27 else 3})
    q4 = parse_period("2026-Q4")
    with app.app_context():
        _report, by_name = report_of(period=q4)
        a = by_name["Nguyễn Thị Hường"]
        assert a.overall.share == 0.0
        assert (a.level3.very_satisfied, a.level3.satisfied, a.level3.dissatisfied) == (27, 0, 3)
        # NĐ 335: 5 × 27/30 = 4.5 points of 5.
        assert a.attitude.share == pytest.approx(0.9) and a.sub_score == 4.5
        # Hải Phòng QĐ 212/2025 for this ward: 90 % is the 3-point step of 4.
        settings = Settings.from_config({"HR_PROFILE_BY_UNIT": "00001=haiphong-212-2025"})
        report, by_name = report_of(settings, period=q4)
        assert report.profile.key == "haiphong-212-2025" and report.version.max_points == 4
        assert by_name["Nguyễn Thị Hường"].sub_score == 3


def test_a_dismissed_case_ended_when_it_was_dismissed(app, ward, add):
    """A case dismissed as unfounded before its due day was handled on time (it is not "still
    open past it"); one withdrawn as suspected stuffing or dismissed as spam is no complaint
    (as in the Decision 766 pack): not among the staff member's cases at all."""
    from feedback.cases.models import Case, DismissReason
    from feedback.cases.services import apply_action
    from feedback.cases.sla import SlaPolicy
    from feedback.cases.workflow import Action

    at = local(date(2026, 7, 6), 9)
    first = add(ward, at, 1, comment="Cán bộ tệ quá", area="dat-dai")
    second = add(ward, at + timedelta(minutes=40), 1, comment="Thái độ tệ", area="dat-dai")
    with app.app_context():
        unit = db.session.execute(db.select(Unit).filter_by(code="00001")).scalar_one()
        leader = create_user("lanh.dao", "mat-khau-du-dai", Role.LEADER, unit)
        policy = SlaPolicy.from_config(app.config)
        for response_id, reason in ((first, DismissReason.UNFOUNDED),
                                    (second, DismissReason.SPAM)):
            case = db.session.execute(db.select(Case).filter_by(
                response_id=response_id)).scalar_one()
            apply_action(case, Action.DISMISS, leader, policy, reason=reason,
                         at=at + timedelta(days=1))
        db.session.commit()
        _report, by_name = report_of(Settings(min_responses=1))
        lines = {line.dismiss_reason: line for line in by_name["Nguyễn Thị Hường"].cases}
        assert lines["unfounded"].late is False
        assert "spam" not in lines
