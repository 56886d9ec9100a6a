"""Queue tickets: a queue system gets one-time survey links; each accepts exactly one answer."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from accounts.audit import AdminAudit, AuditAction, AuditTarget
from core.db import db
from core.settings import ConfigError
from feedback.models import Channel, Response
from surveys import services
from surveys.channels.visits import Visit
from surveys.models import Centre, Counter
from surveys.qr import qr_svg

FORM_FIELD = re.compile(r'name="(csrf_token|ticket)" type="hidden" value="([^"]*)"')
QUESTION = re.compile(r'name="(question_\d+)"')


def _bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def _fill(html: str, rating: str = "5", **extra) -> dict:
    data = dict(FORM_FIELD.findall(html))
    data.update({name: rating for name in set(QUESTION.findall(html))})
    data.update(extra)
    return data


def _responses(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(db.select(Response).order_by(Response.id)).scalars()
        return [(r.channel, r.counter_id, r.verified_visit, r.visit.ticket_number if r.visit
                 else None) for r in rows]


@pytest.fixture
def api(app, org, make_api_token):
    client = app.test_client()
    client.headers = _bearer(make_api_token(org["centre_id"]))
    return client


def _create(api, **body):
    return api.post("/api/v1/visits", json=body, headers=api.headers)


def test_a_ticket_link_accepts_exactly_one_answer(app, org, api):
    counter = org["counters"][0]
    created = _create(api, ticket_number="A-012", counter_id=counter["id"])
    assert created.status_code == 201
    visit = created.get_json()
    url = visit["survey_url"]
    assert url.startswith("http://localhost/v/") and visit["ticket_number"] == "A-012"
    assert visit["qr_svg"] == qr_svg(url).decode() and "<svg" in visit["qr_svg"]
    path = url.removeprefix("http://localhost")

    citizen = app.test_client()
    page = citizen.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and counter["staff_name"] in html
    data = _fill(html, comment="Nhanh gọn")
    sent = citizen.post(path, data=data)
    assert sent.status_code == 303 and sent.headers["Location"] == path + "/thanks"
    assert citizen.post(path, data=data).status_code == 200  # double tap: nothing more stored

    second = app.test_client().get(path)
    assert second.status_code == 200
    assert "Đã trả lời, xin cảm ơn" in second.get_data(as_text=True)
    other = app.test_client()
    assert "Đã trả lời" in other.post(path, data=_fill(html)).get_data(as_text=True)
    assert _responses(app) == [(Channel.TICKET, counter["id"], True, "A-012")]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Response)
                                  .where(Response.verified_visit)).scalar_one() == 1
    status = api.get(f"/api/v1/visits/{visit['id']}", headers=api.headers).get_json()
    assert status["answered"] is True and status["expired"] is False


def test_an_unused_link_expires(app, org, make_app, make_api_token):
    short = make_app(VISIT_TOKEN_TTL_HOURS=2)
    client = short.test_client()
    secret = make_api_token(org["centre_id"])
    visit = client.post("/api/v1/visits", json={"ticket_number": "7", "counter_id":
                                                org["counters"][0]["id"]},
                        headers=_bearer(secret)).get_json()
    expires = datetime.fromisoformat(visit["expires_at"])
    assert timedelta(hours=1, minutes=59) < expires - datetime.now(UTC) <= timedelta(hours=2)
    path = visit["survey_url"].removeprefix("http://localhost")
    html = client.get(path).get_data(as_text=True)
    with short.app_context():
        stored = db.session.execute(db.select(Visit)).scalar_one()
        stored.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    expired = client.post(path, data=_fill(html))
    assert expired.status_code == 410 and "hết hạn" in expired.get_data(as_text=True)
    assert client.get(path).status_code == 410
    assert _responses(short) == []
    status = client.get(f"/api/v1/visits/{visit['id']}", headers=_bearer(secret)).get_json()
    assert status["expired"] is True and status["answered"] is False


def test_a_visit_for_a_procedure_area_asks_which_counter_served(app, create_org,
                                                                make_api_token):
    org = create_org(counters=2)
    client = app.test_client()
    created = client.post("/api/v1/visits", json={"ticket_number": "HT 105",
                                                  "procedure_area": "chung-thuc"},
                          headers=_bearer(make_api_token(org["centre_id"])))
    assert created.status_code == 201 and created.get_json()["counter_id"] is None
    path = created.get_json()["survey_url"].removeprefix("http://localhost")
    html = client.get(path).get_data(as_text=True)
    assert "Quầy nào đã phục vụ Ông/Bà?" in html
    missing = client.post(path, data=_fill(html))
    assert missing.status_code == 400 and _responses(app) == []
    second = org["counters"][1]["id"]
    assert client.post(path, data=_fill(html, counter=str(second))).status_code == 303
    assert _responses(app) == [(Channel.TICKET, second, True, "HT 105")]


def test_tokens_see_only_their_own_centre(app, create_org, make_api_token):
    first, other = create_org("00001"), create_org("00002")
    client = app.test_client()
    headers = _bearer(make_api_token(first["centre_id"]))
    centre = client.get("/api/v1/centre", headers=headers).get_json()
    assert [c["id"] for c in centre["counters"]] == [first["counters"][0]["id"]]
    refused = client.post("/api/v1/visits", headers=headers, json={
        "ticket_number": "1", "counter_id": other["counters"][0]["id"]})
    assert refused.status_code == 422 and refused.get_json()["error"] == "unknown_counter"
    theirs = client.post("/api/v1/visits", headers=_bearer(make_api_token(other["centre_id"])),
                         json={"ticket_number": "1", "counter_id": other["counters"][0]["id"]})
    visit_id = theirs.get_json()["id"]
    assert client.get(f"/api/v1/visits/{visit_id}", headers=headers).status_code == 404
    assert client.get("/api/v1/visits/%00", headers=headers).get_json()["error"] == "bad_request"


@pytest.mark.parametrize(("headers", "body", "status", "error"), [
    ({}, {"ticket_number": "1", "counter_id": 1}, 401, "unauthorized"),
    ({"Authorization": "Bearer hl_wrong"}, {"ticket_number": "1", "counter_id": 1}, 401,
     "unauthorized"),
    (None, {"ticket_number": "1"}, 422, "counter_or_area_required"),
    (None, {"ticket_number": "", "counter_id": 1}, 422, "invalid_ticket_number"),
    (None, {"ticket_number": "1\n2", "counter_id": 1}, 422, "invalid_ticket_number"),
    (None, {"ticket_number": "1", "counter_id": "1"}, 422, "invalid_counter_id"),
    (None, {"ticket_number": "1", "counter_id": None}, 422, "invalid_counter_id"),
    (None, {"ticket_number": "1", "procedure_area": "khong-co"}, 422, "unknown_procedure_area"),
    (None, {"ticket_number": "1", "counter_id": 1, "x": 1}, 422, "unknown_field"),
    (None, {"ticket_number": "1", "counter_id": 1, "dossier_code": "a b"}, 422,
     "invalid_dossier_code"),
    (None, {"ticket_number": "1", "counter_id": 1, "dossier_code": None}, 422,
     "invalid_dossier_code"),
    (None, ["not", "an", "object"], 400, "malformed"),
])
def test_bad_requests_get_a_json_error_and_create_nothing(app, org, api, headers, body, status,
                                                          error):
    response = api.post("/api/v1/visits", json=body,
                        headers=api.headers if headers is None else headers)
    assert response.status_code == status and response.get_json()["error"] == error
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Visit)).scalar_one() == 0


def test_revoked_tokens_and_closed_centres_are_refused(app, org, runner, make_api_token):
    created = runner.invoke(args=["api-tokens", "create", str(org["centre_id"]), "Kiosk số"])
    assert created.exit_code == 0, created.output
    secret = re.search(r"(hl_\S+)", created.output).group(1)
    client = app.test_client()
    assert client.get("/api/v1/centre", headers=_bearer(secret)).status_code == 200
    listed = runner.invoke(args=["api-tokens", "list"])
    assert "Kiosk số" in listed.output and "đang dùng" in listed.output
    assert secret not in listed.output
    token_id = re.match(r"Mã truy cập API số (\d+) của ", created.output).group(1)
    unknown = runner.invoke(args=["api-tokens", "create", "999999", "Kiosk"])
    assert unknown.exit_code == 2 and "không có trung tâm số 999999" in unknown.output
    revoked = runner.invoke(args=["api-tokens", "revoke", token_id])
    assert revoked.output == f"Đã thu hồi mã truy cập API số {token_id}.\n"
    assert "\tđã thu hồi" in runner.invoke(args=["api-tokens", "list"]).output
    assert client.get("/api/v1/centre", headers=_bearer(secret)).status_code == 401
    with app.app_context():  # whoever holds a token posts answers: both steps are logged
        logged = [(e.action, e.target, e.target_id, e.page) for e in db.session.execute(
            db.select(AdminAudit).order_by(AdminAudit.id)).scalars()]
    assert logged == [
        (AuditAction.CREATED, AuditTarget.API_TOKEN, int(token_id),
         f"flask api-tokens create {org['centre_id']}"),
        (AuditAction.DEACTIVATED, AuditTarget.API_TOKEN, int(token_id),
         f"flask api-tokens revoke {token_id}")]

    fresh = make_api_token(org["centre_id"])
    assert client.get("/api/v1/centre", headers=_bearer(fresh)).status_code == 200
    with app.app_context():
        db.session.get(Centre, org["centre_id"]).active = False
        db.session.commit()
    assert client.get("/api/v1/centre", headers=_bearer(fresh)).status_code == 401


def test_a_closed_counter_cannot_get_visits(app, org, api):
    with app.app_context():
        db.session.get(Counter, org["counters"][0]["id"]).active = False
        services.ensure_procedure_areas()
        db.session.commit()
    refused = _create(api, ticket_number="9", counter_id=org["counters"][0]["id"])
    assert refused.status_code == 422


def test_link_lifetime_and_kiosk_limits_come_from_the_environment(monkeypatch, tmp_path):
    from app import create_app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("VISIT_TOKEN_TTL_HOURS", "6")
    monkeypatch.setenv("KIOSK_MAX_OFFLINE_HOURS", "24")
    config = create_app().config
    assert config["VISIT_TOKEN_TTL_HOURS"] == 6 and config["KIOSK_MAX_OFFLINE_HOURS"] == 24
    assert config["KIOSK_CLOCK_SKEW_SECONDS"] == 300
    monkeypatch.setenv("KIOSK_CLOCK_SKEW_SECONDS", "not a number")
    with pytest.raises(ConfigError, match="KIOSK_CLOCK_SKEW_SECONDS='not a number'"):
        create_app()


def test_the_visits_api_is_limited_per_token(make_app, org, make_api_token):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_API_TOKEN="3 per minute")
    client = app.test_client()
    headers = _bearer(make_api_token(org["centre_id"]))
    counter_id = org["counters"][0]["id"]

    def create(number: str, auth: dict):
        return client.post("/api/v1/visits", json={"ticket_number": number,
                                                   "counter_id": counter_id}, headers=auth)

    assert [create(f"A-{k}", headers).status_code for k in range(4)] == [201, 201, 201, 429]
    refused = create("A-9", headers)
    assert refused.is_json and refused.get_json()["error"] == "too_many_requests"
    other = _bearer(make_api_token(org["centre_id"]))  # another queue system is not blocked
    assert create("B-1", other).status_code == 201


def test_identical_answers_to_many_tickets_from_one_address_are_flagged(app, org, api):
    counter = org["counters"][0]
    for k in range(6):
        path = _create(api, ticket_number=f"A-{k}", counter_id=counter["id"]
                       ).get_json()["survey_url"].removeprefix("http://localhost")
        citizen = app.test_client()
        assert citizen.post(path, data=_fill(citizen.get(path).get_data(as_text=True))
                            ).status_code == 303
    with app.app_context():
        from feedback.hr.models import FlagRule, ResponseFlag

        rules = set(db.session.execute(db.select(ResponseFlag.rule)).scalars())
        held = db.session.execute(db.select(db.func.count()).select_from(Response)
                                  .where(Response.counted.is_(False))).scalar_one()
    assert FlagRule.IDENTICAL in rules and held == 6


def test_api_refusals_explain_themselves_in_the_callers_language(app, org, api):
    unknown = api.post("/api/v1/visits", json={"ticket_number": "A-1", "colour": "red"},
                       headers=api.headers)
    assert unknown.status_code == 422 and unknown.get_json()["error"] == "unknown_field"
    assert "Trường không hợp lệ: colour" in unknown.get_json()["message"]
    english = api.post("/api/v1/visits", json={"ticket_number": "A-1"},
                       headers={**api.headers, "Accept-Language": "en"})
    assert english.get_json() == {"error": "counter_or_area_required",
                                  "message": "Give counter_id or procedure_area."}
    missing = app.test_client().get("/api/v1/visits/nope")
    assert missing.status_code == 401 and "mã truy cập" in missing.get_json()["message"]


def test_a_dossier_code_from_the_queue_system_is_carried_by_the_response(app, org, api):
    created = _create(api, ticket_number="B-3", counter_id=org["counters"][0]["id"],
                      dossier_code="000.00.12.H26-251203-0042")
    visit = created.get_json()
    assert created.status_code == 201 and visit["dossier_code"] == "000.00.12.H26-251203-0042"
    path = visit["survey_url"].removeprefix("http://localhost")
    citizen = app.test_client()
    html = citizen.get(path).get_data(as_text=True)
    assert citizen.post(path, data=_fill(html, rating="2", reasons="late")).status_code == 303
    with app.app_context():
        stored = db.session.execute(db.select(Response)).scalar_one()
        assert stored.dossier_code == "000.00.12.H26-251203-0042"
    status = api.get(f"/api/v1/visits/{visit['id']}", headers=api.headers).get_json()
    assert status["dossier_code"] == "000.00.12.H26-251203-0042"


def test_a_dissatisfied_ticket_answer_shows_the_reason_step_first(app, org, api):
    created = _create(api, ticket_number="B-4", counter_id=org["counters"][0]["id"])
    path = created.get_json()["survey_url"].removeprefix("http://localhost")
    citizen = app.test_client()
    html = citizen.get(path).get_data(as_text=True)
    step = citizen.post(path, data=_fill(html, rating="1"))
    assert step.status_code == 200 and 'id="reason-step"' in step.get_data(as_text=True)
    assert _responses(app) == []
