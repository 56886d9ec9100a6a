"""A hostile or careless tablet at /k/...: every refusal is JSON the kiosk script can read,
with a translated message, never a server error or an HTML page."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from feedback.intake.kiosk_sync import BATCH_MAX_BYTES
from feedback.models import Response
from tests.support import json_error

ORIGIN = "http://localhost"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _answer(org, **fields) -> dict:
    return {"key": str(uuid.uuid4()), "given_at": _iso(datetime.now(UTC) - timedelta(minutes=5)),
            "rating": 2, "survey": org["survey_id"], "locale": "vi", **fields}


def _send(tablet, body: bytes | dict, **kwargs):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return tablet.post("/k/api/answers", data=data, content_type="application/json",
                       headers={"Origin": ORIGIN}, **kwargs)


@pytest.mark.parametrize("reasons", [5, 2.5, {"slow": True}, "slow", [{"code": "slow"}],
                                     [["slow"]], [None], [1, 2]])
def test_reasons_of_the_wrong_type_reject_that_answer_only(org, tablet, count_rows, reasons):
    """A reasons field that is not a list of codes: that answer is refused with a message, the
    other answers of the batch are stored (before, a list of objects gave a 500)."""
    body = {"answers": [_answer(org), _answer(org, reasons=reasons), _answer(org)],
            "sent_at": _iso(datetime.now(UTC))}
    response = _send(tablet, body)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["stored", "rejected", "stored"]
    assert results[1]["reason"] == "reasons" and results[1]["message"]
    assert count_rows(Response) == 2


@pytest.mark.parametrize("key", ["abcdefgh1234\n", "abcdefgh1234\r\n", "ＡＢＣＤＥＦＧＨ1234"])
def test_an_answer_key_with_a_trailing_newline_or_lookalikes_is_refused(org, tablet, count_rows,
                                                                         key):
    response = _send(tablet, {"answers": [_answer(org, key=key)]})
    assert [r["status"] for r in response.get_json()["results"]] == ["rejected"]
    assert count_rows(Response) == 0


def test_a_counter_token_with_a_trailing_newline_is_not_a_kiosk_page(org, tablet):
    assert tablet.get(f"/k/{org['counters'][0]['token']}%0A").status_code == 404


def test_a_body_naming_a_field_twice_is_refused(org, tablet, count_rows):
    """{"rating": 5, "rating": 1} must not be read silently as one of the two."""
    answer = json.dumps(_answer(org, rating=5))[:-1] + ', "rating": 1}'
    response = _send(tablet, b'{"answers": [' + answer.encode() + b"]}")
    json_error(response, 400)
    assert count_rows(Response) == 0
    response = _send(tablet, b'{"answers": [], "answers": []}')
    json_error(response, 400)


def test_a_body_too_large_is_refused_as_json(tablet):
    padding = b"x" * BATCH_MAX_BYTES
    json_error(_send(tablet, b'{"answers": ["' + padding + b'"]}'), 413)


def test_an_unknown_kiosk_api_address_is_a_json_404(tablet):
    json_error(tablet.get("/k/api/nothing-here"), 404)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_a_wrong_method_on_the_answers_endpoint_is_a_json_405(tablet, method):
    body = json_error(tablet.open("/k/api/answers", method=method), 405)
    assert body["error"] == "method_not_allowed"


def test_options_on_the_answers_endpoint_grants_no_cross_site_access(tablet):
    response = tablet.options("/k/api/answers", headers={"Origin": "https://evil.example",
                                                         "Access-Control-Request-Method": "POST"})
    assert response.status_code in (200, 204)
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("problem", ["cross_origin", "not_enrolled", "json_required"])
def test_refused_posts_say_why_in_words(app, org, tablet, problem):
    """The kiosk shows staff the message, so every refusal carries one."""
    client = app.test_client() if problem == "not_enrolled" else tablet
    headers = {} if problem == "cross_origin" else {"Origin": ORIGIN}
    if problem == "json_required":
        response = client.post("/k/api/answers", data={"answers": "x"}, headers=headers)
        expected = 415
    else:
        response = client.post("/k/api/answers", json={"answers": []}, headers=headers)
        expected = 403
    assert json_error(response, expected)["error"] == problem


def test_the_kiosk_limit_answers_json_with_a_wait(make_app, create_org, make_kiosk):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_KIOSK="2 per minute")
    org = create_org()
    enrolled = make_kiosk(org["counters"][0]["id"])
    tablet = app.test_client()
    tablet.set_cookie("kiosk_key", enrolled["key"], path="/k/")
    for _ in range(2):
        assert _send(tablet, {"answers": []}).status_code == 200
    response = _send(tablet, {"answers": []})
    json_error(response, 429)
    assert int(response.headers["Retry-After"]) >= 1


@pytest.mark.parametrize("rating", [-1, 0, 6, 2.5, 4.0, 10**30, True, None, "4", [4]])
def test_ratings_off_the_scale_are_refused(org, tablet, count_rows, rating):
    response = _send(tablet, {"answers": [_answer(org, rating=rating)]})
    [result] = response.get_json()["results"]
    assert result["status"] == "rejected" and result["reason"] == "rating"
    assert count_rows(Response) == 0


def test_a_replayed_batch_is_stored_once(org, tablet, count_rows):
    body = {"answers": [_answer(org), _answer(org)], "sent_at": _iso(datetime.now(UTC))}
    assert [r["status"] for r in _send(tablet, body).get_json()["results"]] == ["stored"] * 2
    assert [r["status"] for r in _send(tablet, body).get_json()["results"]] == ["duplicate"] * 2
    assert count_rows(Response) == 2


def test_a_comment_with_a_lone_surrogate_rejects_that_answer_only(org, tablet, count_rows):
    """JSON.stringify writes a lone surrogate as "\\ud800": refusing the whole batch would
    leave the tablet retrying it for ever, so only that answer is refused."""
    body = json.dumps({"answers": [_answer(org, comment="Chờ lâu \ud800"), _answer(org)]})
    assert "\\ud800" in body
    results = _send(tablet, body.encode()).get_json()["results"]
    assert [(r["status"], r["reason"]) for r in results] == [("rejected", "comment"),
                                                            ("stored", None)]
    assert count_rows(Response) == 1


def test_an_escaped_emoji_is_still_text(org, tablet, count_rows):
    body = json.dumps({"answers": [_answer(org, comment="Rất tốt \U0001F600")]})
    assert "\\ud83d\\ude00" in body  # a surrogate pair, as json.dumps writes it
    assert [r["status"] for r in _send(tablet, body.encode()).get_json()["results"]] == ["stored"]


def test_a_full_batch_of_long_comments_is_not_too_large(org, tablet, tagger, count_rows):
    """The tablet sends its queue 50 answers at a time; 50 answers with the longest comments
    (1,000 Vietnamese letters, 2-3 bytes each) exceed the 64 KiB every other request may send,
    and a refused batch would stay on the tablet, retried for ever, blocking those after it."""
    now = datetime.now(UTC)
    answers = [_answer(org, rating=4, comment="ữ" * 1000,
                       given_at=_iso(now - timedelta(minutes=5 + 2 * i))) for i in range(50)]
    body = json.dumps({"answers": answers, "sent_at": _iso(now)}, ensure_ascii=False).encode()
    assert len(body) > 64 * 1024
    response = _send(tablet, body)
    assert response.status_code == 200
    assert {r["status"] for r in response.get_json()["results"]} == {"stored"}
    assert count_rows(Response) == 50
