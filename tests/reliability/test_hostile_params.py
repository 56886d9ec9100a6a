"""Hostile query strings and JSON bodies on every signed-in and keyed route family: each one is
refused with 400, 404, 413 or 422 and a translated message, never a server error; a bad kiosk
answer is rejected alone and the rest of its batch is stored."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale, gettext

from accounts.models import Role
from core.db import db
from core.errors import ERROR_TEXTS
from feedback.models import Response
from surveys.channels.visits import create_api_token
from surveys.models import Centre, Unit

REFUSED = {400, 404, 413, 422}
ORIGIN = "http://localhost"
TOO_BIG = "2147483648"

PERIODS = ["0000-01", "9999", "9999-12", "1900-01-01..9999-12-31", "0001-01-01",
           "9999-W52", "9999-Q4", "2026-13", "2026-00", "\x00", "2026-01\x00"]
#: The HR routes that read a period (/hr/method and /hr/contests take none).
HR_ROUTES = ["/hr/", "/hr/export.csv", "/hr/export.xlsx", "/hr/export.pdf",
             "/hr/distribution.png", "/hr/staff/{staff}", "/hr/staff/{staff}/trend.png"]
DASHBOARD_ROUTES = ["/dashboard", "/dashboard/chart/trend.svg", "/dashboard/export/comments.csv"]


def _translated(app, code: int) -> str:
    """The Vietnamese title of the error page for a status code."""
    with app.test_request_context(), force_locale("vi"):
        return str(ERROR_TEXTS[code][0])


def _assert_refused(app, response, message: str | None = None) -> None:
    assert response.status_code in REFUSED, (response.status_code, response.request.url)
    body = response.get_data(as_text=True)
    if response.is_json:
        assert response.get_json().get("message"), body
        return
    expected = message or _translated(app, response.status_code)
    assert expected in body, (response.request.url, expected)


@pytest.fixture
def world(app, org, sign_in):
    """A leader and an HR officer of the org's ward, and the ward's codes."""
    with app.app_context():
        ward = db.session.get(Unit, org["ward_id"]).code
    return {"hr": sign_in(Role.HR, ward, "can.bo.nhan.su"),
            "leader": sign_in(Role.LEADER, ward, "lanh.dao"),
            "ward": ward, "staff": org["counters"][0]["staff_id"]}


#: HR pages with a period picker answer with the page itself and the error beside the field.
PICKER_ROUTES = {"/hr/", "/hr/staff/{staff}"}


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("route", HR_ROUTES + DASHBOARD_ROUTES)
def test_out_of_range_periods_are_refused(app, world, route, period):
    client = world["hr"]
    url = route.format(staff=world["staff"])
    message = None
    if route in PICKER_ROUTES and "\x00" not in period:
        with app.test_request_context(), force_locale("vi"):
            message = gettext("Choose a month, quarter or year from the list.")
    _assert_refused(app, client.get(url, query_string={"period": period}), message)


@pytest.mark.parametrize("name", ["centre", "counter"])
@pytest.mark.parametrize("value", [TOO_BIG, "99999999999999999999999", "-1", "1e3"])
def test_huge_ids_on_the_dashboard_are_refused(app, world, name, value):
    _assert_refused(app, world["leader"].get("/dashboard", query_string={name: value}))


@pytest.mark.parametrize("route", [
    "/hr/staff/{big}", "/hr/staff/{big}/trend.png", "/hr/contests/{big}",
    "/inbox/cases/{big}", "/admin/counters/{big}/poster", "/admin/centres/{big}/posters",
])
def test_huge_ids_in_paths_are_refused(app, world, route):
    client = world["hr"] if route.startswith("/hr") else world["leader"]
    _assert_refused(app, client.get(route.format(big=TOO_BIG)))


@pytest.mark.parametrize("query", [
    {"centre": TOO_BIG}, {"centre": "99999999999999999999"}, {"page": TOO_BIG},
    {"page": "99999999999999999999"},
])
def test_huge_ids_in_the_responses_list_are_refused(app, world, query):
    _assert_refused(app, world["leader"].get("/inbox/responses", query_string=query))


@pytest.mark.parametrize("query", [
    {"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}, {"date_from": "1900-01-01"},
    {"centre": TOO_BIG}, {"staff": TOO_BIG}, {"counter": TOO_BIG}, {"area": TOO_BIG},
])
def test_out_of_range_inbox_filters_are_ignored_and_said_so(app, world, query):
    """The inbox's documented behaviour: a filter it cannot use is set aside, with a note."""
    response = world["leader"].get("/inbox", query_string=query)
    assert response.status_code == 200
    with app.test_request_context(), force_locale("vi"):
        ignored = gettext("This filter was ignored.")
    assert ignored in response.get_data(as_text=True)


@pytest.mark.parametrize("page", [TOO_BIG, "99999999999999999999", "0", "-1", "1e9"])
def test_impossible_inbox_pages_are_refused(app, world, page):
    _assert_refused(app, world["leader"].get("/inbox", query_string={"page": page}))


@pytest.mark.parametrize("name", ["unit", "staff", "area", "q", "period", "sort", "lang"])
@pytest.mark.parametrize("route", ["/dashboard", "/hr/", "/inbox", "/inbox/responses"])
def test_nul_characters_in_parameters_are_refused(app, world, route, name):
    client = world["hr"] if route.startswith("/hr") else world["leader"]
    _assert_refused(app, client.get(route, query_string={name: "00001\x00"}))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@pytest.fixture
def api_secret(app, org) -> str:
    """A queue system's API token for the org's centre."""
    with app.app_context():
        _token, secret = create_api_token(db.session.get(Centre, org["centre_id"]), "Xếp hàng")
        db.session.commit()
    return secret


def _answer(org, **fields) -> dict:
    return {"key": str(uuid.uuid4()), "given_at": _iso(datetime.now(UTC) - timedelta(minutes=5)),
            "rating": 4, "survey": org["survey_id"], "locale": "vi", **fields}


BAD_ANSWERS = [
    {"survey": 2**31}, {"survey": 2**63}, {"survey": 2**64}, {"survey": -(2**63) - 1},
    {"given_at": "0001-01-01T00:00:00+00:00"}, {"given_at": "9999-12-31T23:59:59-23:59"},
    {"given_at": "0001-01-01T00:00:00+14:00"}, {"rating": 2**70}, {"rating": 1e308},
    {"comment": "a\x00b"}, {"comment": ["x"]}, {"key": "x" * 5000}, {"rating": "5"},
    {"given_at": "2026-01-01T00:00:00.0000000000000000000000000+00:00"},
]


@pytest.mark.parametrize("bad", BAD_ANSWERS, ids=[next(iter(b)) + "-" + str(i)
                                                  for i, b in enumerate(BAD_ANSWERS)])
def test_a_bad_kiosk_answer_is_rejected_alone(app, org, tablet, count_rows, bad):
    good_before, poisoned, good_after = _answer(org), _answer(org, **bad), _answer(org)
    response = tablet.post("/k/api/answers", headers={"Origin": ORIGIN},
                           json={"answers": [good_before, poisoned, good_after],
                                 "sent_at": _iso(datetime.now(UTC))})
    assert response.status_code == 200, response.get_data(as_text=True)
    statuses = [r["status"] for r in response.get_json()["results"]]
    assert statuses == ["stored", "rejected", "stored"]
    assert count_rows(Response) == 2


@pytest.mark.parametrize("sent_at", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00",
                                     "0001-01-01T00:00:00-12:00", 2**80, None, ["x"]])
def test_an_absurd_batch_clock_is_ignored_not_fatal(app, org, tablet, count_rows, sent_at):
    response = tablet.post("/k/api/answers", headers={"Origin": ORIGIN},
                           json={"answers": [_answer(org)], "sent_at": sent_at})
    assert response.status_code == 200
    assert [r["status"] for r in response.get_json()["results"]] == ["stored"]


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize("body", [
    _nested(5000), b'{"answers": ' + _nested(5000) + b"}", b'{"answers": [' + b"9" * 5000 + b"]}",
    b'{"answers": [NaN]}', b'{"answers": [1e99999]}', b'\xff\xfe{"answers": []}', b"{",
])
def test_malformed_kiosk_bodies_are_refused(app, tablet, body):
    response = tablet.post("/k/api/answers", data=body, content_type="application/json",
                           headers={"Origin": ORIGIN})
    _assert_refused(app, response)


@pytest.mark.parametrize("body", [
    _nested(5000), b'{"ticket_number": "1", "counter_id": ' + _nested(5000) + b"}",
    b'{"ticket_number": "1", "counter_id": ' + b"9" * 5000 + b"}",
    b'{"ticket_number": "1", "counter_id": 2147483648}',
    b'{"ticket_number": "1", "counter_id": 1e400}', b'\xff{"ticket_number": "1"}',
])
def test_malformed_visit_bodies_are_refused(app, api_secret, body):
    response = app.test_client().post("/api/v1/visits", data=body,
                                      content_type="application/json",
                                      headers={"Authorization": f"Bearer {api_secret}"})
    _assert_refused(app, response)
