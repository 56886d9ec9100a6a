"""Rate limits on citizen submissions: strict per device, generous per network address."""

from __future__ import annotations

import logging

import pytest

from core.db import db
from core.ratelimit import DEVICE_SESSION_KEY
from feedback.models import Response
from surveys.channels.visits import create_api_token
from surveys.models import Centre
from tests.support import FORM_FIELD, QUESTION, SurveyPage


@pytest.fixture
def limited_app(make_app):
    def build(device: str = "2 per minute", address: str = "100 per minute", **extra):
        return make_app(RATELIMIT_ENABLED=True, RATELIMIT_DEVICE=device, RATELIMIT_IP=address,
                        **extra)

    return build


def _citizen(app, token: str, lang: str | None = None) -> SurveyPage:
    page = SurveyPage(app.test_client(), token)
    page.open(query_string={"lang": lang} if lang else None)
    return page


def _send(page: SurveyPage):
    page.open()
    return page.submit()


def test_one_device_is_stopped_after_its_limit_with_a_clear_page(limited_app, org, count_rows):
    app = limited_app()
    page = _citizen(app, org["counters"][0]["token"])
    assert _send(page).status_code == 303
    assert _send(page).status_code == 303
    refused = _send(page)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    html = refused.get_data(as_text=True)
    assert "Gửi quá nhiều lần trong thời gian ngắn" in html
    assert "Xin Ông/Bà vui lòng chờ" in html and "429" in html
    assert count_rows(Response) == 2


def test_limit_page_in_english(limited_app, org):
    app = limited_app(device="1 per minute")
    page = _citizen(app, org["counters"][0]["token"], lang="en")
    assert _send(page).status_code == 303
    refused = _send(page)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Too many requests in a short time" in html
    assert "go back and press Send again" in html and "Please wait" in html


def test_many_citizens_on_one_wifi_are_not_blocked_by_each_other(limited_app, org, count_rows):
    app = limited_app(device="1 per minute", address="100 per minute")
    token = org["counters"][0]["token"]
    for _ in range(12):  # twelve phones behind the centre's one public address
        assert _send(_citizen(app, token)).status_code == 303
    assert count_rows(Response) == 12


def test_one_address_is_capped_generously_whatever_the_devices(limited_app, org, count_rows):
    app = limited_app(device="10 per minute", address="4 per minute")
    token = org["counters"][0]["token"]
    statuses = [_send(_citizen(app, token)).status_code for _ in range(6)]
    assert statuses == [303, 303, 303, 303, 429, 429]
    other_network = SurveyPage(app.test_client(), token)
    other_network.open(environ_base={"REMOTE_ADDR": "198.51.100.20"})
    response = other_network.client.post(other_network.url, data=other_network.answers(),
                                         environ_base={"REMOTE_ADDR": "198.51.100.20"})
    assert response.status_code == 303
    assert count_rows(Response) == 5


def test_reading_the_form_is_never_limited(limited_app, org):
    app = limited_app(device="1 per minute", address="1 per minute")
    page = _citizen(app, org["counters"][0]["token"])
    assert all(page.open().status_code == 200 for _ in range(15))


def test_limits_can_be_turned_off(make_app, org, count_rows):
    app = make_app(RATELIMIT_ENABLED=False, RATELIMIT_DEVICE="1 per minute",
                   RATELIMIT_IP="1 per minute")
    page = _citizen(app, org["counters"][0]["token"])
    assert all(_send(page).status_code == 303 for _ in range(5))
    assert count_rows(Response) == 5


def test_no_client_address_or_device_id_is_logged_when_limits_are_hit(limited_app, org, caplog):
    app = limited_app(device="1 per minute", address="3 per minute")
    address = "203.0.113.77"
    page = SurveyPage(app.test_client(), org["counters"][0]["token"])
    caplog.set_level(logging.DEBUG)
    statuses = []
    for _ in range(5):
        page.open(environ_base={"REMOTE_ADDR": address})
        statuses.append(page.client.post(page.url, data=page.answers(),
                                         environ_base={"REMOTE_ADDR": address}).status_code)
    with page.client.session_transaction() as session:
        device = session[DEVICE_SESSION_KEY]
    assert statuses == [303, 429, 429, 429, 429]
    assert any("exceeded" in record.getMessage() for record in caplog.records)
    logged = "\n".join(record.getMessage() + repr(record.args) for record in caplog.records)
    assert address not in logged and device not in logged


def test_citizens_on_one_wifi_answering_ticket_links_are_not_blocked(limited_app, org,
                                                                      count_rows):
    app = limited_app(device="1 per minute", address="100 per minute")
    with app.app_context():
        _token, secret = create_api_token(db.session.get(Centre, org["centre_id"]), "Xếp hàng")
        db.session.commit()
    queue = app.test_client()
    for n in range(8):  # eight tickets, eight phones, one public address
        created = queue.post("/api/v1/visits", headers={"Authorization": f"Bearer {secret}"},
                             json={"ticket_number": f"A-{n}",
                                   "counter_id": org["counters"][0]["id"]})
        path = created.get_json()["survey_url"].removeprefix("http://localhost")
        phone = app.test_client()
        html = phone.get(path).get_data(as_text=True)
        data = dict(FORM_FIELD.findall(html))
        data.update({name: "4" for name in set(QUESTION.findall(html))})
        assert phone.post(path, data=data).status_code == 303
    assert count_rows(Response) == 8


def test_many_phones_scanning_from_one_address_all_get_the_form(make_app, org):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_FORM_DEVICE="3 per minute",
                   RATELIMIT_FORM_IP="100 per minute")
    url = f"/s/{org['counters'][0]['token']}"
    # forty phones behind one carrier address, each scanning for the first time
    assert {app.test_client().get(url).status_code for _ in range(40)} == {200}
