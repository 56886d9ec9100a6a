"""Fixtures for the two-server tests: deploy/scaleout.sh's topology (nginx over HTTPS in front of
two gunicorn servers, one PostgreSQL, one Redis), started once for the module and stopped after.

These tests run only when selected with `-m scaleout` (bash .ci/test does it when nginx,
redis-server and PostgreSQL's server binaries are installed). Ports come from SCALEOUT_PG_PORT,
SCALEOUT_REDIS_PORT, SCALEOUT_HTTPS_PORT, SCALEOUT_HTTP_PORT and SCALEOUT_APP_PORTS (defaults:
deploy/scaleout.sh's).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.bench_load import HIDDEN, QUESTION, Client, Target, prepare_database, stored_rows

ROOT = Path(__file__).resolve().parents[2]
SECRET = "scaleout-secret-" + "s" * 32
IP_HASH_KEY = "scaleout-address-key-" + "a" * 32
#: The strict per-device limit on posts the tests exercise; the per-address ceilings are high,
#: since every simulated citizen comes from this machine.
DEVICE_LIMIT = 5
SETTINGS = {"RATELIMIT_DEVICE": f"{DEVICE_LIMIT} per minute", "RATELIMIT_IP": "100000 per minute",
            "RATELIMIT_FORM_IP": "100000 per minute", "RATELIMIT_FORM_DEVICE": "1000 per minute",
            "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "4", "LOG_LEVEL": "INFO"}


def pytest_collection_modifyitems(config, items):
    """Leave the scale-out tests out (deselected, not skipped) unless `-m` names them: they start
    real servers on fixed ports; `bash .ci/test` runs them on their own, and CI requires them."""
    if "scaleout" in (config.getoption("markexpr") or ""):
        return
    chosen = [item for item in items if "scaleout" not in item.keywords]
    if len(chosen) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if "scaleout" in i.keywords])
        items[:] = chosen


def missing_tools() -> list[str]:
    """What the topology needs and this machine lacks."""
    missing = [name for name in ("redis-server", "openssl") if shutil.which(name) is None]
    if shutil.which("nginx") is None and not os.path.exists("/usr/sbin/nginx"):
        missing.append("nginx")
    if not any(Path("/usr/lib/postgresql").glob("*/bin/initdb")) and not shutil.which("initdb"):
        missing.append("postgresql")
    return missing


@dataclass
class Topology:
    """The running servers and how to reach and disturb them."""

    run_dir: Path
    env: dict[str, str]
    base_url: str
    cafile: str
    database_url: str
    app_ports: list[int]

    def script(self, *args: str) -> None:
        """Run deploy/scaleout.sh with this topology's settings (app-kill 1, redis-start…)."""
        subprocess.run(["bash", "deploy/scaleout.sh", *args], cwd=ROOT, env=self.env, check=True,
                       timeout=240)

    def target(self, **extra) -> Target:
        """Citizens connecting to nginx over HTTPS."""
        port = int(self.base_url.rsplit(":", 1)[1])
        return Target(port, cafile=self.cafile, secret=SECRET, **extra)

    def served_by(self, request_id: str) -> set[int]:
        """The app servers (1, 2) whose access log has this request id."""
        servers = set()
        for n in range(1, len(self.app_ports) + 1):
            for line in (self.run_dir / f"app{n}.log").read_text().splitlines():
                if line.startswith("{") and json.loads(line).get("request_id") == request_id \
                        and json.loads(line).get("logger") == "hailong.access":
                    servers.add(n)
        return servers

    def health(self, n: int) -> dict:
        """/healthz of app server n, asked directly."""
        with Client(Target(self.app_ports[n - 1])) as client:
            status, body = client.request("GET", "/healthz")
        return {"http": status, **json.loads(body)}

    def stored_keys(self) -> set[str]:
        return stored_rows(self.database_url)[0]


@pytest.fixture(scope="module")
def topology() -> Iterator[Topology]:
    missing = missing_tools()
    if missing:
        pytest.fail("the two-server tests were selected, but this machine lacks: "
                    + ", ".join(missing))
    run_dir = Path(tempfile.mkdtemp(prefix="hailong-scaleout-"))
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "TEST_DATABASE_URL", "RATELIMIT_ENABLED"}}
    env.update(SETTINGS, SCALEOUT_DIR=str(run_dir), PYTHON=sys.executable, SECRET_KEY=SECRET,
               IP_HASH_KEY=IP_HASH_KEY)
    for name in ("PG_PORT", "REDIS_PORT", "HTTPS_PORT", "HTTP_PORT", "APP_PORTS"):
        if os.environ.get(f"SCALEOUT_{name}"):
            env[name] = os.environ[f"SCALEOUT_{name}"]
        else:
            env.pop(name, None)
    try:
        subprocess.run(["bash", "deploy/scaleout.sh", "up"], cwd=ROOT, env=env, check=True,
                       timeout=300)
        state = dict(line.split("=", 1) for line in
                     (run_dir / "topology.env").read_text().splitlines())
        yield Topology(run_dir, env, state["BASE_URL"], state["CA_CERT"],
                       state["DATABASE_URL"],
                       [int(port) for port in state["APP_PORTS"].replace("\\ ", " ").split()])
    finally:
        subprocess.run(["bash", "deploy/scaleout.sh", "down"], cwd=ROOT, env=env, timeout=120)


@pytest.fixture(scope="module")
def tokens(topology: Topology) -> list[str]:
    """QR tokens of the counters of one ward centre in the topology's database."""
    return prepare_database(topology.database_url, 4)


def open_form(client: Client, path: str) -> dict[str, str]:
    """Open a citizen form and answer every rating with 4; the fields to post."""
    status, body = client.request("GET", path)
    assert status == 200
    html = body.decode()
    form = dict(HIDDEN.findall(html))
    form.update({name: "4" for name in set(QUESTION.findall(html))})
    return form
