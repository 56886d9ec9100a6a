"""Units that merge, who is on duty when, and survey versions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.db import db
from surveys import services
from surveys.defaults import DEFAULT_QUESTIONS, QuestionSpec
from surveys.models import Counter, Survey, UnitKind
from surveys.queries import active_survey, staff_on_duty, unit_lineage_ids


def test_merged_wards_keep_history_and_roll_up_to_their_successor(app_ctx):
    province = services.create_unit("92", "Cần Thơ", UnitKind.PROVINCE)
    old = [services.create_unit(f"0{i}", f"Phường cũ {i}", UnitKind.WARD, province)
           for i in range(3)]
    new = services.create_unit("10", "Phường mới", UnitKind.WARD, province,
                               valid_from=date(2025, 7, 1))
    services.merge_units(old, new, date(2025, 6, 30))
    newer = services.create_unit("20", "Phường mới hơn", UnitKind.WARD, province)
    services.merge_units([new], newer, date(2026, 12, 31))
    assert unit_lineage_ids(new.id) == {new.id, *(u.id for u in old)}
    assert unit_lineage_ids(newer.id) == {newer.id, new.id, *(u.id for u in old)}
    assert all(u.valid_to == date(2025, 6, 30) and u.successor_id == new.id for u in old)
    with pytest.raises(services.OrganisationError):
        services.merge_units([newer], newer, date(2027, 1, 1))


def _counter_with_staff(app_ctx):
    ward = services.create_unit("W1", "Phường 1", UnitKind.WARD)
    centre = services.create_centre(ward, "Trung tâm")
    counter = services.create_counter(centre, "Quầy 1")
    a = services.create_staff("A", "Cán bộ A", ward)
    b = services.create_staff("B", "Cán bộ B", ward)
    return counter, a, b


def test_assignment_covers_its_time_window_and_a_new_one_ends_the_old(app_ctx):
    counter, a, b = _counter_with_staff(app_ctx)
    t0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    services.assign_staff(a, counter, starts_at=t0)
    services.assign_staff(b, counter, starts_at=t0 + timedelta(hours=4))
    assert staff_on_duty(counter.id, t0 - timedelta(seconds=1)) is None
    assert staff_on_duty(counter.id, t0) == a
    assert staff_on_duty(counter.id, t0 + timedelta(hours=3, minutes=59)) == a
    assert staff_on_duty(counter.id, t0 + timedelta(hours=4)) == b
    assert staff_on_duty(counter.id, t0 + timedelta(days=300)) == b


def test_moving_a_person_to_another_counter_ends_their_previous_seat(app_ctx):
    counter, a, _b = _counter_with_staff(app_ctx)
    other = services.create_counter(counter.centre, "Quầy 2")
    t0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    services.assign_staff(a, counter, starts_at=t0)
    services.assign_staff(a, other, starts_at=t0 + timedelta(hours=1))
    assert staff_on_duty(counter.id, t0 + timedelta(hours=2)) is None
    assert staff_on_duty(other.id, t0 + timedelta(hours=2)) == a


def test_assignment_cannot_start_before_an_existing_later_one(app_ctx):
    counter, a, b = _counter_with_staff(app_ctx)
    t0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    services.assign_staff(a, counter, starts_at=t0)
    with pytest.raises(services.OrganisationError):
        services.assign_staff(b, counter, starts_at=t0 - timedelta(hours=1))
    with pytest.raises(services.OrganisationError):
        services.assign_staff(b, counter, starts_at=t0 + timedelta(hours=1), ends_at=t0)


def test_new_survey_version_replaces_the_active_one_and_old_responses_keep_theirs(
        app, client, org):
    from feedback.models import Response
    from tests.support import SurveyPage

    page = SurveyPage(client, org["counters"][0]["token"])
    page.open()
    assert page.submit().status_code == 303
    with app.app_context():
        specs = [*DEFAULT_QUESTIONS[:2],
                 QuestionSpec("wait", "result", "Thời gian chờ", "Waiting time", required=False)]
        v2 = services.publish_survey(specs, note="shorter", scope=None)
        db.session.commit()
        assert active_survey(None).version == v2.version == 2
        assert db.session.get(Survey, org["survey_id"]).active is False
    page.open()
    html = client.get(page.url).get_data(as_text=True)
    assert "Thời gian chờ" in html and html.count('<fieldset id="question_') == 3
    data = page.answers()
    del data[page.questions[-1]]  # the optional question may be left out
    assert page.submit(data).status_code == 303
    with app.app_context():
        first, second = db.session.execute(db.select(Response).order_by(Response.id)).scalars()
        assert first.survey.version == 1 and len(first.answers) == 5
        assert second.survey.version == 2 and len(second.answers) == 2


def test_a_survey_needs_the_overall_rating(app_ctx):
    with pytest.raises(services.OrganisationError):
        services.publish_survey(DEFAULT_QUESTIONS[1:], scope=None)


def test_counter_procedure_areas_limit_the_form_choices(app, client, org):
    with app.app_context():
        counter = db.session.get(Counter, org["counters"][0]["id"])
        names = [a.name_vi for a in counter.procedure_areas]
    html = client.get(f"/s/{org['counters'][0]['token']}").get_data(as_text=True)
    assert all(name in html for name in names)
    assert "Xây dựng" not in html
