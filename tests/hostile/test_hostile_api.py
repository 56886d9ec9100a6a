"""A hostile or careless queue system at /api/v1: every refusal is JSON with a translated
message (never an HTML page or a server error), and nothing half-valid is stored."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.exc import OperationalError

from feedback.intake import api as api_module
from surveys.channels.visits import Visit
from tests.support import json_error


@pytest.fixture
def api(app, org, make_api_token):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {make_api_token(org['centre_id'])}"
    return client


def _post(api, body: bytes | dict, content_type: str = "application/json"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return api.post("/api/v1/visits", data=data, content_type=content_type)


@pytest.mark.parametrize("field,value", [
    ("ticket_number", "A-012\n"), ("dossier_code", "HS-1\n"), ("procedure_area", "dat-dai\n"),
    ("ticket_number", "Ａ-012"),
])
def test_codes_with_a_trailing_newline_or_lookalikes_are_refused(org, api, count_rows, field,
                                                                 value):
    body = {"ticket_number": "A-012", "counter_id": org["counters"][0]["id"], field: value}
    json_error(_post(api, body), 422)
    assert count_rows(Visit) == 0


def test_a_visit_id_with_a_trailing_newline_is_not_found(org, api):
    created = _post(api, {"ticket_number": "A-1", "counter_id": org["counters"][0]["id"]})
    visit_id = created.get_json()["id"]
    assert api.get(f"/api/v1/visits/{visit_id}").status_code == 200
    json_error(api.get(f"/api/v1/visits/{visit_id}%0A"), 404)


def test_a_body_naming_a_field_twice_is_refused(org, api, count_rows):
    counter = org["counters"][0]["id"]
    body = f'{{"ticket_number": "A-1", "counter_id": {counter}, "ticket_number": "B-2"}}'
    assert json_error(_post(api, body.encode()), 400)["error"] == "malformed"
    assert count_rows(Visit) == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_a_body_that_is_not_json_is_refused_as_json(org, api, content_type):
    json_error(_post(api, b'{"ticket_number": "A-1"}', content_type), 415)


def test_a_body_that_is_not_utf8_is_refused(api):
    json_error(_post(api, '{"ticket_number": "Á"}'.encode("utf-16")), 400)


def test_a_body_too_large_is_refused_as_json(api):
    json_error(_post(api, b'{"ticket_number": "' + b"x" * 200_000 + b'"}'), 413)


def test_an_unknown_api_address_is_a_json_404(api):
    json_error(api.get("/api/v1/nothing-here"), 404)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_a_wrong_method_is_a_json_405_with_allow(api, method):
    response = api.open("/api/v1/visits", method=method)
    assert json_error(response, 405)["error"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_head_answers_like_get_without_a_body(api):
    response = api.head("/api/v1/centre")
    assert response.status_code == 200 and response.get_data() == b""


def test_the_description_stays_json_in_english_too(api):
    body = json_error(api.get("/api/v1/nothing", headers={"Accept-Language": "en"}),
                              404)
    assert body["message"] == "The address is not valid. If you scanned a QR code, please " \
        "scan the code displayed at the counter again."


def test_the_token_limit_answers_json_with_a_wait(make_app, create_org, make_api_token):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_API_TOKEN="2 per minute")
    org = create_org()
    headers = {"Authorization": f"Bearer {make_api_token(org['centre_id'])}"}
    client = app.test_client()
    for _ in range(2):
        assert client.get("/api/v1/centre", headers=headers).status_code == 200
    response = client.get("/api/v1/centre", headers=headers)
    json_error(response, 429)
    assert int(response.headers["Retry-After"]) >= 1



def test_a_server_error_is_json_too(make_app, monkeypatch):
    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(api_module, "document", broken)
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    json_error(app.test_client().get("/api/v1/openapi.json"), 500)


def test_an_unavailable_database_is_a_json_503_with_a_wait(app, org, make_api_token,
                                                           monkeypatch):
    def locked(secret):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    headers = {"Authorization": f"Bearer {make_api_token(org['centre_id'])}"}
    monkeypatch.setattr(api_module, "api_token_for", locked)
    response = app.test_client().get("/api/v1/centre", headers=headers)
    json_error(response, 503)
    assert int(response.headers["Retry-After"]) >= 1
