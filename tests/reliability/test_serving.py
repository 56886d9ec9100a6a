"""Serving: /healthz, request ids, JSON logs, ProxyFix, and the gunicorn configuration for real."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app import create_app
from core.db import db
from core.hashing import keyed_hash
from core.request_log import JsonFormatter, request_id_from
from feedback.models import Response
from tests.conftest import _config
from tests.support import SurveyPage

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_json_without_sign_in_or_cookies(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "rate_limits": "off",
                                   "untagged": {"count": 0, "oldest_seconds": None}}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_says_unavailable_when_the_database_does_not_answer(tmp_path):
    app = create_app(_config(f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unavailable",
                                   "rate_limits": "off"}


def test_request_id_is_kept_when_well_formed_and_made_otherwise(client):
    given = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c01-42"})
    assert given.headers["X-Request-ID"] == "lb-7f3a9c01-42"
    made = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(made) == 3 and all(len(value) == 32 for value in made)
    for hostile in ("short", "has space in it", "<script>alert(1)</script>", "x" * 200,
                    "id\r\nSet-Cookie: a=b"):
        assert request_id_from(hostile) != hostile
    forged = client.get("/healthz", headers={"X-Request-ID": "<img src=x onerror=1>"})
    assert forged.headers["X-Request-ID"] != "<img src=x onerror=1>"


def test_each_request_logs_one_json_access_line_with_its_id(client, org, caplog):
    caplog.set_level(logging.INFO, logger="hailong.access")
    response = client.get(f"/s/{org['counters'][0]['token']}",
                          headers={"X-Request-ID": "req-0123456789"})
    [record] = [r for r in caplog.records if r.name == "hailong.access"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-0123456789" == response.headers["X-Request-ID"]
    assert line["status"] == 200 and line["method"] == "GET"
    assert line["endpoint"] == "feedback.respond" and line["duration_ms"] >= 0
    assert "203.0.113" not in json.dumps(line)


def test_json_formatter_keeps_exceptions_on_one_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed %s", ("here",),
                                   sys.exc_info())
    text = JsonFormatter().format(record)
    assert "\n" not in text
    data = json.loads(text)
    assert data["message"] == "failed here" and "ValueError: boom" in data["exception"]


@pytest.mark.parametrize(("trusted", "expected"), [(0, "127.0.0.1"), (1, "198.51.100.9")])
def test_client_address_comes_from_the_proxy_only_when_trusted(make_app, org, trusted, expected):
    app = make_app(PROXY_FIX_X_FOR=trusted)
    page = SurveyPage(app.test_client(), org["counters"][0]["token"])
    page.open()
    response = page.client.post(page.url, data=page.answers(),
                                headers={"X-Forwarded-For": "198.51.100.9"})
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.execute(db.select(Response)).scalar_one()
        assert stored.ip_hash == keyed_hash(app.config["SECRET_KEY"], expected)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers), response.read()


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            _get(url)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def test_gunicorn_serves_with_the_config_and_replaces_a_killed_worker(database_url, tmp_path):
    port = _free_port()
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2",
           "GUNICORN_THREADS": "2", "DATABASE_URL": database_url, "SECRET_KEY": "x" * 32,
           "INSTANCE_PATH": str(tmp_path), "RATELIMIT_ENABLED": "false"}
    env.pop("TEST_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:gunicorn_conf", "app:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        _wait_for(url)
        status, headers, body = _get(url)
        assert status == 200 and json.loads(body)["database"] == "ok"
        assert headers["X-Request-ID"]
        workers = _workers(server.pid)
        assert len(workers) == 2
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 20
        while set(_workers(server.pid)) & {workers[0]} or len(_workers(server.pid)) < 2:
            assert time.monotonic() < deadline, "the killed worker was not replaced"
            time.sleep(0.2)
        for _ in range(6):
            assert _get(url)[0] == 200
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=30)
    lines = [json.loads(line) for line in errors.splitlines() if line.startswith("{")]
    assert any(line.get("logger") == "hailong.access" and line.get("path") == "/healthz"
               and line.get("request_id") for line in lines)
    assert any("Booting worker" in line["message"] for line in lines)


def test_the_development_servers_lines_are_readable_json_and_not_doubled():
    from core.request_log import is_dev_server_access_line

    banner = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                               "\x1b[33mPress CTRL+C to quit\x1b[0m\n", (), None)
    assert json.loads(JsonFormatter().format(banner))["message"] == "Press CTRL+C to quit"
    access = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                               '127.0.0.1 - - [03/Dec/2026 13:00:00] "%s" %s %s\n',
                               ("GET /login HTTP/1.1", "\x1b[32m200\x1b[0m", "-"), None)
    assert is_dev_server_access_line(access)  # our own access line already says it
    assert not is_dev_server_access_line(banner)
