"""A survey belongs to a unit: a ward admin changes only their ward's form, every publication is
recorded, and a counter asks its unit's version, else the nearest one above it, else the
national one."""

from __future__ import annotations

import pytest

from accounts.models import Role, User
from core.db import db
from surveys import services
from surveys.defaults import DEFAULT_QUESTIONS, QuestionSpec
from surveys.models import Survey, SurveyPublication, Unit
from surveys.queries import active_survey
from tests.support import csrf_of


def _publish_data(client, unit_code: str | None, wording: str) -> dict:
    """The publish form of /admin/surveys with every question's Vietnamese wording replaced."""
    url = "/admin/surveys" + (f"?unit={unit_code}" if unit_code is not None else "")
    data = {"csrf_token": csrf_of(client, url), "note": "Sửa câu chữ"}
    if unit_code is not None:
        data["unit"] = unit_code
    for i, spec in enumerate(DEFAULT_QUESTIONS):
        data[f"questions-{i}-include"] = "y"
        data[f"questions-{i}-required"] = "y"
        data[f"questions-{i}-prompt_vi"] = f"{wording} {i}"
        data[f"questions-{i}-prompt_en"] = spec.prompt_en
    return data


def _form(client, token: str) -> str:
    return client.get(f"/s/{token}").get_data(as_text=True)


def _stored(app) -> tuple[int, int]:
    with app.app_context():
        surveys = db.session.execute(db.select(db.func.count()).select_from(Survey)).scalar_one()
        publications = db.session.execute(
            db.select(db.func.count()).select_from(SurveyPublication)).scalar_one()
        return surveys, publications


@pytest.fixture
def two_wards(create_org) -> tuple[dict, dict]:
    return create_org("00001"), create_org("00002")


def test_a_ward_admin_cannot_change_another_wards_form(app, client, two_wards, sign_in):
    mine, theirs = two_wards
    sign_in(Role.ADMIN, "00001", "quan.tri.phuong", client=client)
    before = _stored(app)
    data = _publish_data(client, "00001", "Câu hỏi riêng")
    data["unit"] = "00002"
    assert client.post("/admin/surveys", data=data).status_code == 403
    assert client.get("/admin/surveys?unit=00002").status_code == 403
    national = {k: v for k, v in data.items() if k != "unit"}
    national["unit"] = ""
    assert client.post("/admin/surveys", data=national).status_code == 403
    assert _stored(app) == before
    other = app.test_client()
    assert "Câu hỏi riêng" not in _form(other, theirs["counters"][0]["token"])
    assert "Câu hỏi riêng" not in _form(other, mine["counters"][0]["token"])


def test_the_publishing_service_refuses_outside_the_scope(app_ctx, two_wards):
    mine, theirs = two_wards
    before = db.session.execute(db.select(db.func.count()).select_from(Survey)).scalar_one()
    with pytest.raises(services.SurveyScopeError):
        services.publish_survey(DEFAULT_QUESTIONS, unit_id=theirs["ward_id"],
                                scope={mine["ward_id"]})
    with pytest.raises(services.SurveyScopeError):
        services.publish_survey(DEFAULT_QUESTIONS, unit_id=None, scope={mine["ward_id"]})
    assert db.session.execute(db.select(db.func.count()).select_from(Survey)).scalar_one() \
        == before


def test_a_ward_version_changes_only_that_wards_form_and_is_recorded(app, client, two_wards,
                                                                     sign_in):
    mine, theirs = two_wards
    sign_in(Role.ADMIN, "00001", "quan.tri.phuong", client=client)
    response = client.post("/admin/surveys", data=_publish_data(client, "00001", "Câu riêng"))
    assert response.status_code == 303
    citizen = app.test_client()
    assert "Câu riêng 0" in _form(citizen, mine["counters"][0]["token"])
    theirs_form = _form(citizen, theirs["counters"][0]["token"])
    assert "Câu riêng" not in theirs_form and DEFAULT_QUESTIONS[0].prompt_vi in theirs_form
    with app.app_context():
        national = db.session.get(Survey, mine["survey_id"])
        assert national.active and national.unit_id is None
        ward = active_survey(mine["ward_id"])
        assert ward.unit_id == mine["ward_id"] and ward.version == national.version + 1
        assert active_survey(theirs["ward_id"]).id == national.id
        [record] = db.session.execute(
            db.select(SurveyPublication).where(SurveyPublication.survey_id == ward.id)).scalars()
        user = db.session.execute(
            db.select(User).filter_by(username="quan.tri.phuong")).scalar_one()
        assert record.unit_id == mine["ward_id"] and record.published_by_id == user.id
        assert record.published_at == ward.published_at
    page = client.get("/admin/surveys").get_data(as_text=True)
    assert "quan.tri.phuong" in page and "Phường 00001" in page


def test_a_province_version_reaches_its_wards_until_a_ward_has_its_own(app_ctx, two_wards):
    mine, theirs = two_wards
    national = active_survey(None)
    province = services.publish_survey(
        [*DEFAULT_QUESTIONS[:2], QuestionSpec("wait", "result", "Chờ", "Wait", required=False)],
        note="tỉnh", scope=None, unit_id=mine["province_id"])
    ward = services.publish_survey(DEFAULT_QUESTIONS, note="phường", unit_id=mine["ward_id"],
                                   scope={mine["ward_id"]}, published_by_id=None)
    assert active_survey(mine["ward_id"]) == ward
    assert active_survey(mine["province_id"]) == province
    other_ward = db.session.get(Unit, theirs["ward_id"])
    assert other_ward.parent_id != mine["province_id"]
    assert active_survey(theirs["ward_id"]) == national
    again = services.publish_survey(DEFAULT_QUESTIONS, note="phường 2", scope=None,
                                    unit_id=mine["ward_id"])
    assert active_survey(mine["ward_id"]) == again and not ward.active
    assert province.active and national.active


def test_publications_are_append_only(app_ctx, two_wards):
    record = db.session.execute(db.select(SurveyPublication)).scalars().first()
    record.unit_id = two_wards[0]["ward_id"]
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_a_ward_version_adds_criteria_only_to_its_own_dashboards(app_ctx, two_wards):
    from feedback.dashboard.queries import Scope
    from feedback.dashboard.report import criterion_codes, scope_unit_ids

    mine, theirs = two_wards
    services.publish_survey(
        [*DEFAULT_QUESTIONS, QuestionSpec("wait", "result", "Thời gian chờ", "Waiting time")],
        note="thêm câu", unit_id=mine["ward_id"], scope={mine["ward_id"]})
    assert "wait" in criterion_codes(scope_unit_ids(Scope(centre_id=mine["centre_id"])))
    assert "wait" in criterion_codes(scope_unit_ids(Scope(unit_ids=frozenset(
        {mine["province_id"], mine["ward_id"]}))))
    assert "wait" not in criterion_codes(scope_unit_ids(Scope(centre_id=theirs["centre_id"])))
    assert "wait" not in criterion_codes([theirs["ward_id"]])
    assert criterion_codes(None)[0] == "overall" and "wait" in criterion_codes(None)
