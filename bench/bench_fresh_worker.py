"""Bribery reports sent to a freshly started gunicorn worker: are they all tagged and urgent?

Run: ``python bench/bench_fresh_worker.py [--port 18431] [--comments 8] [--backends sqlite]``
(``--backends sqlite,postgresql`` needs TEST_DATABASE_URL of a server to create a throwaway
database on, e.g. ``. .ci/pg.sh; PG_PORT=54343 pg_start``).

For each backend it seeds a ward centre with one counter (as bench/bench_load.py does), serves
``app:create_app()`` with ``gunicorn_conf.py`` on 127.0.0.1:PORT with one worker of
``--comments`` threads, and runs two rounds:

1. fresh start: as soon as the server accepts connections, ``--comments`` citizens open the
   form (GET: the tagger is not needed yet) and then post a bribery comment all at the same
   moment, so the worker's first comments arrive together;
2. worker restart: the citizens open new forms, the worker is killed (SIGKILL) as gunicorn's
   ``max_requests`` or a crash would retire it, and they post together to its replacement.

It then counts, for the round's posts, the responses stored with an integrity alert, the urgent
cases opened and the responses left in the tagging backlog. Without the tagger's lock and warm-up
(issue 14) PostgreSQL got 1 and 2 urgent cases of 8; SQLite never showed the race, because each
post takes the database's write lock before it tags. Prints a table, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_load import (  # noqa: E402
    HIDDEN,
    QUESTION,
    SECRET,
    Client,
    Target,
    load_conditions,
    prepare_database,
)
from sqlalchemy import create_engine, text  # noqa: E402

BRIBERY = "Cán bộ đòi tiền bồi dưỡng mới nhận hồ sơ, lượt {n}"


class Server:
    """gunicorn with the project's config, one worker, on 127.0.0.1:port."""

    def __init__(self, port: int, threads: int, env: dict[str, str], log: Path):
        self.port, self.log = port, log
        self.env = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}",
                    "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": str(threads),
                    "PYTHONPATH": str(ROOT)}

    def __enter__(self) -> Server:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise RuntimeError(f"port {self.port} is already in use")
        self.stderr = self.log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:gunicorn_conf",
             "app:create_app()"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.stderr)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def worker(self) -> int | None:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = path.read_text().split()
        return int(pids[0]) if pids else None

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stderr.close()


def open_forms(port: int, token: str, count: int) -> list[tuple[Client, dict]]:
    """`count` citizens (own cookies) open the counter's form; their filled-in forms."""
    opened = []
    for _ in range(count):
        client = Client(Target(port))
        status, body = client.request("GET", f"/s/{token}")
        if status != 200:
            raise RuntimeError(f"the form answered {status}")
        html = body.decode()
        form = dict(HIDDEN.findall(html))
        form.update({question: "4" for question in set(QUESTION.findall(html))})
        opened.append((client, form))
    return opened


def reconnected(client: Client) -> Client:
    """The same citizen (cookies) on a new connection: the killed worker's ones are gone."""
    fresh = Client(client.target)
    fresh.cookies = dict(client.cookies)
    return fresh


def post_together(port: int, token: str, opened: list[tuple[Client, dict]],
                  marker: str) -> list[int]:
    """Every citizen posts a bribery comment at the same moment; the statuses answered."""
    barrier = threading.Barrier(len(opened))
    statuses: list[int] = []

    def post(n: int, client: Client, form: dict) -> None:
        form = {**form, "comment": BRIBERY.format(n=n) + f" [{marker}]"}
        barrier.wait()
        try:
            status, _ = client.request("POST", f"/s/{token}", urllib.parse.urlencode(form))
        except OSError:
            status = 0
        statuses.append(status)

    threads = [threading.Thread(target=post, args=(n, client, form))
               for n, (client, form) in enumerate(opened, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return statuses


def outcome(url: str, marker: str) -> dict:
    """What was stored for the round's comments (found by their marker)."""
    from core.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    like = {"marker": f"%[{marker}]"}
    with engine.connect() as connection:
        stored, alerted, untagged = connection.execute(text(
            "SELECT count(*), "
            "coalesce(sum(CASE WHEN integrity_alert THEN 1 ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN tagging_failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) "
            "FROM response WHERE comment LIKE :marker"), like).one()
        urgent = connection.execute(text(
            "SELECT count(*) FROM feedback_case c JOIN response r ON r.id = c.response_id "
            "WHERE r.comment LIKE :marker AND c.priority = 'urgent'"), like).scalar_one()
    engine.dispose()
    return {"stored": stored, "integrity_alert": int(alerted), "urgent_cases": urgent,
            "tagging_backlog": int(untagged)}


def run_backend(name: str, url: str, args, workdir: Path) -> list[dict]:
    [token] = prepare_database(url, 1)
    env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": "false",
           "INSTANCE_PATH": str(workdir / f"instance-{name}"), "LOG_LEVEL": "warning"}
    reports = []
    with Server(args.port, args.comments, env, workdir / f"{name}.log") as server:
        for round_name in ("fresh start", "worker restart"):
            opened = open_forms(args.port, token, args.comments)
            if round_name == "worker restart":
                old = server.worker()
                os.kill(old, signal.SIGKILL)
                deadline = time.monotonic() + 30
                while server.worker() in (None, old) and time.monotonic() < deadline:
                    time.sleep(0.02)
                opened = [(reconnected(client), form) for client, form in opened]
            marker = uuid.uuid4().hex[:12]
            started = time.perf_counter()
            statuses = post_together(args.port, token, opened, marker)
            seconds = time.perf_counter() - started
            reports.append({"backend": name, "round": round_name, "posted": len(statuses),
                            "answered_303": statuses.count(303),
                            "slowest_post_s": round(seconds, 2), **outcome(url, marker)})
    return reports


class ThrowawayDatabase:
    """A new database on the PostgreSQL server of TEST_DATABASE_URL, dropped afterwards."""

    def __enter__(self) -> str:
        from core.config import normalise_database_url

        base = os.environ.get("TEST_DATABASE_URL")
        if not base:
            raise SystemExit("postgresql: set TEST_DATABASE_URL (. .ci/pg.sh; pg_start)")
        self.name = f"hl_fresh_{uuid.uuid4().hex[:8]}"
        self.admin = create_engine(normalise_database_url(base), isolation_level="AUTOCOMMIT")
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        return base.rsplit("/", 1)[0] + "/" + self.name

    def __exit__(self, *exc) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=18431, help="loopback port for gunicorn")
    parser.add_argument("--comments", type=int, default=8, help="concurrent bribery comments")
    parser.add_argument("--backends", default="sqlite")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="hailong-fresh-"))
    before = load_conditions()
    reports = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            reports += run_backend("sqlite", f"sqlite:///{workdir}/bench.sqlite3", args, workdir)
        elif backend == "postgresql":
            with ThrowawayDatabase() as url:
                reports += run_backend("postgresql", url, args, workdir)
    print(f"load: {before}")
    print(f"{'backend':<11} {'round':<15} {'posted':>6} {'303':>4} {'stored':>6} "
          f"{'alert':>5} {'urgent cases':>12} {'backlog':>7} {'seconds':>7}")
    for r in reports:
        print(f"{r['backend']:<11} {r['round']:<15} {r['posted']:>6} {r['answered_303']:>4} "
              f"{r['stored']:>6} {r['integrity_alert']:>5} {r['urgent_cases']:>12} "
              f"{r['tagging_backlog']:>7} {r['slowest_post_s']:>7}")
    print(f"server logs and the SQLite file: {workdir}")
    print(json.dumps({"load": before, "runs": reports}, ensure_ascii=False))


if __name__ == "__main__":
    main()
