"""Two app servers behind nginx, sharing PostgreSQL and Redis (deploy/scaleout.sh): the limits
hold across servers, the proxy passes the client's address and the public origin, and losing an
app server or Redis loses no citizen's response."""

from __future__ import annotations

import json
import urllib.parse
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import Role
from accounts.services import create_user
from app import create_app
from bench.bench_load import HIDDEN, Client, outcome, run_citizens
from core.config import normalise_database_url
from core.db import db
from core.hashing import keyed_hash
from feedback.models import Response
from surveys.channels.kiosks import create_kiosk
from surveys.queries import active_survey, find_counter_token
from tests.scaleout.conftest import DEVICE_LIMIT, IP_HASH_KEY, SECRET, open_form

pytestmark = pytest.mark.scaleout


def _post(client: Client, path: str, form: dict[str, str]) -> tuple[int, str]:
    """Post a form; its status and the request id nginx gave it."""
    status, _ = client.request("POST", path, urllib.parse.urlencode(form))
    return status, client.headers["X-Request-ID"]


def test_a_device_limit_holds_whichever_server_answers(topology, tokens):
    path = f"/s/{tokens[0]}"
    with Client(topology.target()) as phone:
        forms = [open_form(phone, path) for _ in range(DEVICE_LIMIT + 1)]
        posts = [_post(phone, path, form) for form in forms]
    assert [status for status, _ in posts] == [303] * DEVICE_LIMIT + [429]
    servers = [topology.served_by(request_id) for _, request_id in posts]
    assert all(len(served) == 1 for served in servers)
    assert set().union(*servers) == {1, 2}  # both servers counted this phone's posts
    with Client(topology.target()) as other_phone:
        assert _post(other_phone, path, open_form(other_phone, path))[0] == 303


@pytest.fixture(scope="module")
def db_app(topology):
    """An app on the topology's database, to arrange data and read what was stored."""
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "IP_HASH_KEY": IP_HASH_KEY,
                      "SQLALCHEMY_DATABASE_URI": normalise_database_url(topology.database_url),
                      "RATELIMIT_ENABLED": False})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_the_app_sees_the_client_address_and_sets_secure_cookies(topology, tokens, db_app):
    path = f"/s/{tokens[1]}"
    with Client(topology.target(source="127.0.0.2")) as phone:
        form = open_form(phone, path)
        session_cookie = next(c for c in phone.headers.get_all("Set-Cookie")
                              if c.startswith("session="))
        hsts = phone.headers["Strict-Transport-Security"]
        status, _ = phone.request("POST", path, urllib.parse.urlencode(form),
                                  headers={"X-Forwarded-For": "203.0.113.9"})  # forged
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    assert "max-age" in hsts
    assert status == 303
    with db_app.app_context():
        stored = db.session.execute(db.select(Response).order_by(Response.id.desc())).scalar()
        assert stored.ip_hash == keyed_hash(IP_HASH_KEY, "127.0.0.2")


def test_sign_in_throttling_holds_whichever_server_answers(topology, db_app):
    with db_app.app_context():
        create_user("quan.tri.mo.rong", "mat-khau-dung-123", Role.ADMIN, None)
        db.session.commit()
    with Client(topology.target()) as browser:
        status, body = browser.request("GET", "/login")
        csrf = dict(HIDDEN.findall(body.decode()))["csrf_token"]
        attempts = []
        for password in ["sai-mat-khau-0000"] * 5 + ["mat-khau-dung-123"]:
            form = {"csrf_token": csrf, "username": "quan.tri.mo.rong", "password": password}
            attempts.append(_post(browser, "/login", form))
    assert [status for status, _ in attempts] == [200] * 5 + [429]  # five failures, then wait
    servers = [topology.served_by(request_id) for _, request_id in attempts]
    assert set().union(*servers) == {1, 2}


def _answers(survey_id: int) -> str:
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return json.dumps({"sent_at": now, "answers": [
        {"key": str(uuid.uuid4()), "given_at": now, "rating": 5, "survey": survey_id,
         "locale": "vi"}]})


def test_a_kiosk_enrols_and_delivers_through_the_proxy(topology, tokens, db_app):
    with db_app.app_context():
        counter = find_counter_token(tokens[2]).counter
        code = create_kiosk(counter, "Máy tính bảng", timedelta(minutes=5)).code
        survey_id = active_survey(counter.centre.unit_id).id
        db.session.commit()
    enrol = f"/k/enrol/{code}"
    with Client(topology.target()) as tablet:
        _enrol_and_deliver(tablet, enrol, survey_id, topology.base_url)


def _enrol_and_deliver(tablet: Client, enrol: str, survey_id: int, origin: str) -> None:
    status, body = tablet.request("GET", enrol)
    assert status == 200
    csrf = dict(HIDDEN.findall(body.decode()))["csrf_token"]
    status, _ = tablet.request("POST", enrol, urllib.parse.urlencode({"csrf_token": csrf}))
    assert status == 303
    kiosk_cookie = next(c for c in tablet.headers.get_all("Set-Cookie")
                        if c.startswith("kiosk_key="))
    assert "Secure" in kiosk_cookie and "HttpOnly" in kiosk_cookie
    status, _ = tablet.request("GET", tablet.headers["Location"])
    assert status == 200
    headers = {"Content-Type": "application/json", "Origin": origin}
    status, body = tablet.request("POST", "/k/api/answers", _answers(survey_id), headers)
    assert status == 200, body
    assert [r["status"] for r in json.loads(body)["results"]] == ["stored"]
    plain = {**headers, "Origin": origin.replace("https://", "http://")}
    status, body = tablet.request("POST", "/k/api/answers", _answers(survey_id), plain)
    assert status == 403 and json.loads(body)["error"] == "cross_origin"


def _assert_nothing_lost(report: dict) -> None:
    assert report["answered_2xx_3xx"] > 20  # the load was real
    assert report["lost"] == 0 and report["stored_without_answer"] == 0
    assert report["duplicate_rows"] == 0 and report["duplicate_answers"] == 0
    assert report["unanswered_posts"] == 0
    assert set(report["statuses"]) == {303}, report["statuses"]


def test_redis_restarting_loses_no_response_and_shows_in_healthz(topology, tokens):
    before = topology.stored_keys()
    seen = []

    def restart_redis():
        topology.script("redis-stop")
        seen.extend(topology.health(n) for n in (1, 2))
        topology.script("redis-start")

    results, duration = run_citizens(topology.target(), tokens, citizens=6, warmup=0,
                                     duration=8, kill=restart_redis)
    _assert_nothing_lost(outcome(topology.database_url, before, results, duration))
    assert [(h["http"], h["status"], h["rate_limits"]) for h in seen] == \
        [(200, "degraded", "unavailable")] * 2
    assert [topology.health(n)["rate_limits"] for n in (1, 2)] == ["ok", "ok"]


def test_killing_one_server_mid_load_loses_and_duplicates_nothing(topology, tokens):
    before = topology.stored_keys()
    try:
        results, duration = run_citizens(topology.target(), tokens, citizens=6, warmup=0,
                                         duration=8, kill=lambda: topology.script("app-kill", "1"))
        report = outcome(topology.database_url, before, results, duration)
    finally:
        topology.script("app-start", "1")
    _assert_nothing_lost(report)
