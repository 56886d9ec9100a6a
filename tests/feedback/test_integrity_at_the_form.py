"""What the citizen form itself defends: the ticket names the staff member shown and the device
that fetched it, a robot's hidden field and a too-fast post are flagged, form views are limited;
attribution is decided once and a correction moves it everywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from core.db import db
from core.timeutil import to_local
from feedback.attribution import correct_assignment, reattribute
from feedback.dashboard.folding import after_submission_commit
from feedback.dashboard.models import RatingMonth
from feedback.hr.evaluation import Settings, unit_report
from feedback.hr.models import FlagRule, ResponseFlag
from feedback.models import Response
from feedback.periods import parse_period
from feedback.services import Submission, record_response
from surveys import services
from surveys.models import Assignment, Counter, Staff, Survey, Unit
from tests.support import SurveyPage, recent_office_hour


def _only_response() -> Response:
    return db.session.execute(select(Response)).scalar_one()


def test_the_staff_member_shown_on_the_form_gets_the_response(app, client, org):
    counter = org["counters"][0]
    page = SurveyPage(client, counter["token"])
    assert counter["staff_name"] in page.open().get_data(as_text=True)
    with app.app_context():  # the counter is reassigned while the citizen fills in the form
        unit = db.session.get(Staff, counter["staff_id"]).unit
        services.assign_staff(services.create_staff("S-Y", "Trần Văn Y", unit),
                              db.session.get(Counter, counter["id"]))
        db.session.commit()
    assert page.submit().status_code == 303
    with app.app_context():
        assert _only_response().staff_id == counter["staff_id"]


def test_a_form_fetched_by_another_device_is_not_stored(app, org, count_rows):
    token = org["counters"][0]["token"]
    collector = SurveyPage(app.test_client(), token)
    collector.open()
    poster = SurveyPage(app.test_client(), token)
    poster.open()
    stolen = {**poster.answers(), "ticket": collector.hidden["ticket"]}
    refused = poster.submit(stolen)
    assert refused.status_code == 400
    assert "mở trên một điện thoại hoặc trình duyệt khác" in refused.get_data(as_text=True)
    assert count_rows(Response) == 0
    assert poster.submit().status_code == 303 and count_rows(Response) == 1  # its own ticket
    assert collector.submit().status_code == 303 and count_rows(Response) == 2


def test_the_hidden_field_robots_fill_flags_the_response(app, survey_page):
    html = survey_page.client.get(survey_page.url).get_data(as_text=True)
    assert 'class="hp" aria-hidden="true"' in html and 'tabindex="-1"' in html
    survey_page.open()
    assert survey_page.submit(survey_page.answers(website="http://spam.example")
                              ).status_code == 303
    with app.app_context():
        response = _only_response()
        assert not response.counted
        assert set(db.session.execute(select(ResponseFlag.rule)).scalars()) == {
            FlagRule.HONEYPOT}
        assert db.session.execute(select(ResponseFlag.rules_version)).scalar_one() is None


def test_a_form_sent_faster_than_a_person_fills_it_is_flagged(make_app, org):
    app = make_app(HR_INTEGRITY_RULES=None)  # the shipped rules: at least 3 seconds
    page = SurveyPage(app.test_client(), org["counters"][0]["token"])
    page.open()
    assert page.submit().status_code == 303
    with app.app_context():
        flag = db.session.execute(select(ResponseFlag).where(
            ResponseFlag.rule == FlagRule.FAST_FILL)).scalar_one()
        assert flag.rule == FlagRule.FAST_FILL and flag.rules_version is None
        assert not _only_response().counted


def test_showing_the_form_is_limited_per_device(make_app, org):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_FORM_DEVICE="3 per minute")
    client = app.test_client()
    url = f"/s/{org['counters'][0]['token']}"
    # The first view has no device id yet (it counts for the address only), the next ones do.
    statuses = [client.get(url).status_code for _ in range(6)]
    assert statuses[:4] == [200] * 4 and statuses[4:] == [429, 429]
    assert "quét lại mã" in client.get(url).get_data(as_text=True)


def _agreement(ward_id: int, at: datetime) -> tuple[set, dict, dict]:
    """Who owns the responses by the stored record, by the dashboard's rollup and in HR's
    report of the month."""
    owners = {r.staff_id for r in db.session.execute(select(Response)).scalars()}
    dashboard = dict(db.session.execute(
        select(RatingMonth.staff_key, func.sum(RatingMonth.v5))
        .where(RatingMonth.question_code == "overall").group_by(RatingMonth.staff_key)).all())
    report = unit_report(db.session.get(Unit, ward_id),
                         parse_period(to_local(at).strftime("%Y-%m")), Settings(min_responses=1))
    counted = {line.staff_id: line.counted for line in report.staff if line.counted}
    return owners, dashboard, counted


def test_a_corrected_assignment_moves_responses_in_the_record_dashboard_and_report(
        app, create_org):
    org = create_org(since=datetime(2026, 1, 1, tzinfo=UTC))
    counter = org["counters"][0]
    first = counter["staff_id"]
    at = recent_office_hour()
    with app.app_context():
        survey = db.session.get(Survey, org["survey_id"])
        for k in range(3):
            record_response(db.session.get(Counter, counter["id"]), survey, Submission(
                submission_key=f"k{k}", locale="vi",
                ratings={q.id: 5 for q in survey.questions}), at=at + timedelta(minutes=k))
        db.session.commit()
        after_submission_commit()  # as the app does: the fold
        assert _agreement(org["ward_id"], at) == ({first}, {first: 3}, {first: 3})

        # Recorded late: someone else sat at the counter from two hours before.
        unit = db.session.get(Staff, first).unit
        other = services.create_staff("S-REAL", "Lê Thị Thật", unit)
        services.assign_staff(other, db.session.get(Counter, counter["id"]),
                              at - timedelta(hours=2))
        reattribute(counter["id"], at - timedelta(hours=2), None)  # the correction
        db.session.commit()
        assert _agreement(org["ward_id"], at) == ({other.id}, {other.id: 3}, {other.id: 3})

        # Corrected again: that person only started after these responses.
        late = db.session.execute(
            select(Assignment).where(Assignment.staff_id == other.id)).scalar_one()
        earlier = db.session.execute(
            select(Assignment).where(Assignment.staff_id == first)).scalar_one()
        assert correct_assignment(late, at + timedelta(hours=1), None) == 3  # nobody then
        assert correct_assignment(earlier, earlier.starts_at, at + timedelta(hours=1)) == 3
        db.session.commit()
        assert _agreement(org["ward_id"], at) == ({first}, {first: 3}, {first: 3})


def test_a_correction_that_overlaps_another_assignment_of_the_counter_is_refused(app, org):
    counter = org["counters"][0]
    with app.app_context():
        current = db.session.execute(select(Assignment).where(
            Assignment.counter_id == counter["id"])).scalar_one()
        unit = db.session.get(Staff, counter["staff_id"]).unit
        starts = current.starts_at + timedelta(days=2)
        later = services.assign_staff(services.create_staff("S-L", "Lê Văn Sau", unit),
                                      db.session.get(Counter, counter["id"]), starts)
        db.session.commit()
        ids, ends = (current.id, later.id), current.ends_at
    result = app.test_cli_runner().invoke(args=[
        "assignments", "correct", str(ids[1]),
        "--starts", to_local(starts - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")])
    assert result.exit_code == 1
    assert f"trùng với lượt bố trí {ids[0]} (Nguyễn Văn" in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert db.session.get(Assignment, ids[1]).starts_at == starts
        assert db.session.get(Assignment, ids[0]).ends_at == ends


def test_a_correction_that_seats_a_person_at_two_counters_at_once_is_refused(app, create_org):
    org = create_org("00007", counters=2)
    now = datetime.now(UTC)
    with app.app_context():
        unit = db.session.get(Staff, org["counters"][0]["staff_id"]).unit
        person = services.create_staff("S-X", "Trần Văn Hai Quầy", unit)
        counters = [db.session.get(Counter, c["id"]) for c in org["counters"]]
        services.assign_staff(person, counters[1], now - timedelta(days=60),
                              now - timedelta(days=50))
        later = services.assign_staff(person, counters[0], now - timedelta(days=45),
                                      now - timedelta(days=40))
        db.session.commit()
        later_id, starts = later.id, later.starts_at
    result = app.test_cli_runner().invoke(args=[
        "assignments", "correct", str(later_id),
        "--starts", to_local(now - timedelta(days=55)).strftime("%Y-%m-%dT%H:%M")])
    assert result.exit_code == 1
    assert "(Trần Văn Hai Quầy tại Quầy" in result.output
    with app.app_context():
        assert db.session.get(Assignment, later_id).starts_at == starts
