"""Where the rate limits count: a shared Redis that fails open for citizens, and production's
refusal to count per worker process when there are several."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from core.config import ConfigError, check_serving
from core.ratelimit import limiter
from feedback.models import Response
from tests.support import SurveyPage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _limiter_forgets_the_dead_storage():
    """The limiter is one object for every app the tests build, and it remembers that its
    storage died until it checks again: later tests' apps start with a live storage."""
    yield
    limiter._storage_dead = False


def _dead_redis() -> str:
    """A redis:// URI on a loopback port where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def test_citizens_are_answered_when_redis_is_down_and_each_worker_still_counts(
        make_app, org, count_rows):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=_dead_redis(),
                   RATELIMIT_DEVICE="2 per minute", RATELIMIT_IP="100 per minute")
    page = SurveyPage(app.test_client(), org["counters"][0]["token"])
    statuses = []
    for _ in range(3):
        assert page.open().status_code == 200
        statuses.append(page.submit().status_code)
    assert statuses == [303, 303, 429]
    assert count_rows(Response) == 2


def test_healthz_shows_redis_down_without_taking_the_server_out(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=_dead_redis())
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "degraded" and body["rate_limits"] == "unavailable"
    assert body["database"] == "ok"


def test_healthz_says_when_limits_count_per_process(make_app):
    body = make_app(RATELIMIT_ENABLED=True).test_client().get("/healthz").get_json()
    assert body["status"] == "ok" and body["rate_limits"] == "per_process"


PRODUCTION = {"HAILONG_ENV": "production", "RATELIMIT_ENABLED": True}


def test_production_refuses_several_workers_counting_alone():
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI=memory://"):
        check_serving({**PRODUCTION, "RATELIMIT_STORAGE_URI": "memory://"}, 5)
    assert "only app server" in check_serving(
        {**PRODUCTION, "RATELIMIT_STORAGE_URI": "memory://"}, 1)
    assert check_serving({**PRODUCTION, "RATELIMIT_STORAGE_URI": "redis://r:6379/0"}, 5) is None
    assert check_serving({"HAILONG_ENV": "development",
                          "RATELIMIT_STORAGE_URI": "memory://"}, 5) is None


def test_gunicorn_refuses_to_start_in_production_with_per_process_limits(tmp_path):
    env = {**os.environ, "HAILONG_ENV": "production", "WEB_CONCURRENCY": "3",
           "RATELIMIT_STORAGE_URI": "memory://", "GUNICORN_BIND": "127.0.0.1:0",
           "INSTANCE_PATH": str(tmp_path)}
    env.pop("RATELIMIT_ENABLED", None)
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "python:gunicorn_conf", "app:create_app()"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "refuses to start 3 workers" in done.stderr
