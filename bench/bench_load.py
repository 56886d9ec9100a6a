"""Load bench: simulated citizens submitting complete forms to the app served by gunicorn.

Run: ``python bench/bench_load.py [--duration 60] [--citizens 16] [--backends sqlite,postgresql]``

For each backend (SQLite in a temporary file; PostgreSQL on a throwaway server started with
.ci/pg.sh) it serves ``app:create_app()`` with ``gunicorn_conf.py`` on 127.0.0.1, rate
limits off, and runs two phases of ``--duration`` seconds each:

1. steady: each citizen thread opens the form (GET), reads the hidden fields, answers every
   rating (a third also write a comment) and posts it (expects 303), then starts over as a new
   citizen (new cookies);
2. crash: the same, while one worker is killed with SIGKILL half-way through. A request that was
   in flight on it gets a connection error; the citizen posts the same form again once (the
   ticket makes that idempotent).

Then it checks the database: every submission answered 2xx/3xx is stored (matched by its ticket
key), nothing is stored twice (unique comment markers), and reports any row stored for a post
that got no answer. Right after each steady phase, a bare Flask endpoint (bench/bare_app.py) is
served the same way and hit by the same client for the same time, for requests/s and the ratio
(adjacent, so both see the same load from anything else on the machine).
Prints a table, then one JSON line. Traffic goes to 127.0.0.1 only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

SECRET = "bench-secret-" + "x" * 32
#: Integrity rules under which none of the simulated citizens is held out (see the file).
ORDINARY_RULES = ROOT / "bench" / "ordinary_rules.toml"
HIDDEN = re.compile(r'name="(csrf_token|ticket)" type="hidden" value="([^"]+)"')
QUESTION = re.compile(r'name="(question_\d+)"')
REASONS = ["waiting", "attitude", "documents", "fees", "late", "other"]
COMMENTS = ["Cán bộ hướng dẫn tận tình", "Chờ hơi lâu", "Thủ tục nhanh gọn",
            "Phòng chờ nóng, thiếu ghế", "Rất hài lòng"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_conditions() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


# --- databases -------------------------------------------------------------------------------

class PostgresServer:
    """A throwaway PostgreSQL server from .ci/pg.sh on $PG_PORT (else a free port), with fsync
    back on."""

    def __enter__(self) -> str:
        script = ('. .ci/pg.sh && pg_start >/dev/null && '
                  'echo "$PG_DATA|$PG_BINDIR|$TEST_DATABASE_URL"')
        out = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ,
                                  "PG_PORT": os.environ.get("PG_PORT") or str(free_port())},
                             check=True)
        self.data, self.bindir, url = out.stdout.strip().splitlines()[-1].split("|")
        fsync_on(url)
        return url

    def __exit__(self, *exc) -> None:
        command = [f"{self.bindir}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, capture_output=True, check=False)
        subprocess.run(["rm", "-rf", self.data], check=False)


def fsync_on(url: str) -> None:
    """Turn fsync back on: .ci/pg.sh turns it off for tests, a bench measures it on."""
    from core.config import normalise_database_url

    engine = create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("ALTER SYSTEM SET fsync = on"))
        connection.execute(text("SELECT pg_reload_conf()"))
    engine.dispose()


def prepare_database(url: str, counters: int) -> list[str]:
    """Migrate an empty database and create one ward centre with counters; their QR tokens."""
    from flask_migrate import upgrade

    from app import create_app
    from core.config import normalise_database_url
    from core.db import db
    from surveys import services
    from surveys.models import UnitKind

    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
                      "RATELIMIT_ENABLED": False, "TESTING": True})
    app.load_views()  # every model, as a served worker has them
    with app.app_context():
        upgrade()
        province = services.create_unit("P01", "Tỉnh thử", UnitKind.PROVINCE)
        ward = services.create_unit("00001", "Phường thử", UnitKind.WARD, province)
        centre = services.create_centre(ward, "Trung tâm PVHCC", "1 Đường A")
        areas = services.ensure_procedure_areas()
        tokens = []
        for n in range(1, counters + 1):
            counter = services.create_counter(centre, f"Quầy {n}", areas[:2])
            staff = services.create_staff(f"CB{n}", f"Nguyễn Văn {n}", ward)
            services.assign_staff(staff, counter)
            tokens.append(counter.tokens[0].token)
        services.ensure_default_survey()
        db.session.commit()
        db.engine.dispose()
    return tokens


def stored_rows(url: str) -> tuple[set[str], Tally]:
    """Submission keys stored, and how often each comment marker appears."""
    from core.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    with engine.connect() as connection:
        keys = set(connection.execute(text("SELECT submission_key FROM response")).scalars())
        markers = Tally(connection.execute(text("SELECT comment FROM response")).scalars())
    engine.dispose()
    return keys, markers


# --- the server ------------------------------------------------------------------------------

class Gunicorn:
    """gunicorn with the project's config, serving `target` on a free loopback port."""

    def __init__(self, target: str, env: dict[str, str], log: Path, chdir: Path = ROOT):
        self.port = free_port()
        self.target, self.chdir, self.log = target, chdir, log
        self.env = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                    "PYTHONPATH": str(ROOT)}

    def __enter__(self) -> Gunicorn:
        self.stderr = self.log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:gunicorn_conf", self.target],
            cwd=self.chdir, env=self.env, stdout=subprocess.DEVNULL, stderr=self.stderr)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not start; see {self.log}")
        time.sleep(1.5)  # let every worker boot
        return self

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def cpu_seconds(self) -> float:
        """CPU seconds (user and system) the master and its workers have used so far, those
        that exited included (workers are recycled after GUNICORN_MAX_REQUESTS requests)."""
        total = 0
        for pid in (self.process.pid, *self.workers()):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # a worker that just exited (the master's children times hold it)
                continue
            total += sum(int(ticks) for ticks in stat[11:15])  # utime, stime, cutime, cstime
        return total / os.sysconf("SC_CLK_TCK")

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stderr.close()


class CpuSampler(threading.Thread):
    """Samples CPU seconds (`read`: a server's `cpu_seconds`, this process's
    `time.process_time`) at two monotonic moments, in its own thread."""

    def __init__(self, read: Callable[[], float], start: float, end: float):
        super().__init__(daemon=True)
        self.read, self.moments, self.samples = read, (start, end), []
        self.start()

    def run(self) -> None:
        for moment in self.moments:
            time.sleep(max(0.0, moment - time.monotonic()))
            self.samples.append(self.read())

    def per_item_ms(self, items: int) -> float | None:
        """CPU milliseconds per item over the sampled time (waits for the second sample)."""
        self.join(self.moments[1] - time.monotonic() + 10)
        if len(self.samples) < 2 or not items:
            return None
        return round((self.samples[1] - self.samples[0]) * 1000 / items, 2)


# --- the citizens ----------------------------------------------------------------------------

@dataclass
class Results:
    """What the clients saw (shared by the citizen threads; lists are thread-safe to append)."""

    post_ms: list[float] = field(default_factory=list)
    get_ms: list[float] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)  # ticket keys answered 303
    markers: list[str] = field(default_factory=list)
    statuses: Tally = field(default_factory=Tally)
    connection_errors: int = 0
    retried: int = 0
    unanswered: int = 0  # posts that got no answer even after the retry
    accepted_measured: int = 0
    measured_from: float = 0.0
    #: The server's and this client's CPU over the measured time (if sampled).
    server_cpu: CpuSampler | None = None
    client_cpu: CpuSampler | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, name: str) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + 1)


@dataclass(frozen=True)
class Target:
    """Where the citizens connect: a gunicorn on a loopback port, or nginx over HTTPS (trusting
    `cafile`); `secret` is the app's SECRET_KEY, to read the key inside each ticket."""

    port: int
    host: str = "127.0.0.1"
    cafile: str | None = None
    secret: str = SECRET
    #: The client's own address (e.g. 127.0.0.2, to tell it from the proxy's).
    source: str | None = None

    def connect(self) -> http.client.HTTPConnection:
        source = (self.source, 0) if self.source else None
        if self.cafile:
            return http.client.HTTPSConnection(
                self.host, self.port, timeout=30, source_address=source,
                context=ssl.create_default_context(cafile=self.cafile))
        return http.client.HTTPConnection(self.host, self.port, timeout=30,
                                          source_address=source)


class Client:
    """One keep-alive HTTP connection with its own cookies (one citizen's phone)."""

    def __init__(self, target: Target):
        self.target = target
        self.cookies: dict[str, str] = {}
        self.connection = target.connect()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.connection.close()

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None):
        """Send one request with this phone's cookies; (status, body). The response's headers
        stay in `self.headers`."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   **(headers or {})}
        if body is not None:
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = self.target.connect()
            raise
        self.headers = response.headers
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data


def ticket_key(ticket: str, secret: str = SECRET) -> str:
    """The idempotency key inside a signed ticket (the bench knows the secret)."""
    from itsdangerous import URLSafeTimedSerializer

    from surveys.channels.tickets import SALT

    return URLSafeTimedSerializer(secret, salt=SALT).loads(ticket)["k"]


def citizen_loop(target: Target, tokens: list[str], deadline: float, results: Results,
                 rng: random.Random) -> None:
    while time.monotonic() < deadline:
        client = Client(target)
        token_index = rng.randrange(len(tokens))
        path = f"/s/{tokens[token_index]}"
        started = time.perf_counter()
        try:
            status, body = client.request("GET", path)
        except (OSError, http.client.HTTPException):
            results.count("connection_errors")
            continue
        if time.monotonic() >= results.measured_from:
            results.get_ms.append((time.perf_counter() - started) * 1000)
        if status != 200:  # a form that did not come: the citizen scans again
            with results.lock:
                results.statuses[f"GET {status}"] += 1
            client.connection.close()
            continue
        html = body.decode()
        form = dict(HIDDEN.findall(html))
        for question in set(QUESTION.findall(html)):
            form[question] = str(rng.choice([3, 4, 4, 5, 5, 5, 2, 1]))
        form["reasons"] = rng.choice(REASONS)  # asked of a "không hài lòng" answer, else dropped
        marker = None
        if rng.random() < 1 / 3:
            marker = f"{rng.choice(COMMENTS)} [{uuid.uuid4().hex[:12]}]"
            form["comment"] = marker
        encoded = urllib.parse.urlencode(form)
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                status, _ = client.request("POST", path, encoded)
            except (OSError, http.client.HTTPException):
                results.count("connection_errors")
                if attempt == 1:
                    results.count("retried")
                    continue
                results.count("unanswered")
                break
            measured = time.monotonic() >= results.measured_from
            if measured:
                results.post_ms.append((time.perf_counter() - started) * 1000)
            with results.lock:
                results.statuses[status] += 1
            if 200 <= status < 400:
                results.accepted.append(ticket_key(form["ticket"], target.secret))
                if measured:
                    results.count("accepted_measured")
                if marker:
                    results.markers.append(marker)
            break
        client.connection.close()


def run_citizens(target: Target, tokens: list[str], citizens: int, warmup: float,
                 duration: float, kill=None,
                 server: Gunicorn | None = None) -> tuple[Results, float]:
    """Run the citizens for warmup + duration seconds (calling `kill` half-way through the
    measured time); with `server`, its CPU over the measured time is sampled too."""
    results = Results()
    start = time.monotonic()
    results.measured_from = start + warmup
    deadline = results.measured_from + duration
    if server is not None:
        results.server_cpu = CpuSampler(server.cpu_seconds, results.measured_from, deadline)
        results.client_cpu = CpuSampler(time.process_time, results.measured_from, deadline)
    threads = [threading.Thread(target=citizen_loop,
                                args=(target, tokens, deadline, results, random.Random(i)))
               for i in range(citizens)]
    for thread in threads:
        thread.start()
    if kill is not None:
        time.sleep(warmup + duration / 2)
        kill()
    for thread in threads:
        thread.join(duration + 120)
    for sampler in (results.server_cpu, results.client_cpu):
        if sampler is not None:
            sampler.join(30)  # both samples taken while the server runs
    return results, duration


def bare_loop(port: int, deadline: float, counts: list[int], latencies: list[float]) -> None:
    client = Client(Target(port))
    done = 0
    while time.monotonic() < deadline:
        started = time.perf_counter()
        status, _ = client.request("GET", "/ping")
        latencies.append((time.perf_counter() - started) * 1000)
        done += status == 200
    counts.append(done)


def run_bare(citizens: int, duration: float, workdir: Path) -> dict:
    with Gunicorn("bare_app:create_app()", {}, workdir / "bare.log", chdir=ROOT / "bench") as g:
        warm = time.monotonic() + 2
        while time.monotonic() < warm:
            Client(Target(g.port)).request("GET", "/ping")
        counts: list[int] = []
        latencies: list[float] = []
        deadline = time.monotonic() + duration
        cpu = CpuSampler(g.cpu_seconds, time.monotonic(), deadline)
        client_cpu = CpuSampler(time.process_time, time.monotonic(), deadline)
        threads = [threading.Thread(target=bare_loop, args=(g.port, deadline, counts, latencies))
                   for _ in range(citizens)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(duration + 60)
        cpu_ms = cpu.per_item_ms(sum(counts))
    return {"requests_per_s": sum(counts) / duration, "server_cpu_ms": cpu_ms,
            "client_cpu_ms": client_cpu.per_item_ms(sum(counts)), **percentiles(latencies)}


def percentiles(values: list[float]) -> dict:
    if len(values) < 2:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    cuts = statistics.quantiles(values, n=100)
    return {"p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1),
            "p99_ms": round(cuts[98], 1)}


def outcome(url: str, before_keys: set[str], results: Results, duration: float) -> dict:
    """What the citizens saw against what the database holds: submissions/s, latencies, and
    lost (answered 2xx/3xx, not stored), duplicated (a comment marker stored twice, a key
    answered twice) and stored without an answer."""
    keys, markers = stored_rows(url)
    new_keys = keys - before_keys
    accepted = set(results.accepted)
    return {
        "duration_s": duration, "accepted_per_s": round(results.accepted_measured / duration, 1),
        **{f"{side}_cpu_ms": sampler.per_item_ms(results.accepted_measured) if sampler else None
           for side, sampler in (("server", results.server_cpu),
                                 ("client", results.client_cpu))},
        "post": percentiles(results.post_ms), "get": percentiles(results.get_ms),
        "statuses": dict(results.statuses), "answered_2xx_3xx": len(results.accepted),
        "rows_stored": len(new_keys), "lost": len(accepted - new_keys),
        "stored_without_answer": len(new_keys - accepted),
        "duplicate_answers": len(results.accepted) - len(accepted),
        "duplicate_rows": sum(n - 1 for m, n in markers.items() if m and n > 1),
        "connection_errors": results.connection_errors, "retried_posts": results.retried,
        "unanswered_posts": results.unanswered,
    }


def run_backend(name: str, url: str, args, workdir: Path) -> list[dict]:
    tokens = prepare_database(url, args.counters)
    env = {"DATABASE_URL": url, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": "false",
           "INSTANCE_PATH": str(workdir / f"instance-{name}"),
           "LOG_LEVEL": "info", "HR_INTEGRITY_RULES": args.rules}
    reports = []
    for phase in ("steady", "worker killed"):
        before_keys, _ = stored_rows(url)
        with Gunicorn("app:create_app()", env, workdir / f"{name}-{phase[:6]}.log") as g:
            killed: list[int] = []

            def kill(server=g, killed=killed):
                victim = server.workers()[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

            results, duration = run_citizens(
                Target(g.port), tokens, args.citizens, args.warmup, args.duration,
                kill if phase == "worker killed" else None, server=g)
        bare = run_bare(args.citizens, args.duration, workdir) if phase == "steady" else None
        reports.append({
            "backend": name, "phase": phase, **outcome(url, before_keys, results, duration),
            "killed_worker": killed[0] if killed else None,
            "bare": bare, "load": load_conditions(),
        })
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds per phase")
    parser.add_argument("--warmup", type=float, default=5, help="seconds before measuring")
    parser.add_argument("--citizens", type=int, default=16, help="concurrent citizens")
    parser.add_argument("--counters", type=int, default=10)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rules", default=str(ORDINARY_RULES),
                        help="integrity rules file ('': the shipped rules, under which these "
                             "citizens are held out as a flood; default: "
                             "bench/ordinary_rules.toml, every submission counted)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="hailong-bench-"))
    conditions = {"before": load_conditions(), "cpus": os.cpu_count(),
                  "workers": os.environ.get("WEB_CONCURRENCY", "2 x cores + 1 (default)"),
                  "citizens": args.citizens}
    started = time.process_time()
    reports = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            reports += run_backend("sqlite", f"sqlite:///{workdir}/bench.sqlite3", args, workdir)
        elif backend == "postgresql":
            with PostgresServer() as url:
                reports += run_backend("postgresql", url, args, workdir)
    conditions["after"] = load_conditions()
    conditions["client_cpu_s"] = round(time.process_time() - started, 1)

    print(f"load: {conditions['before']}")
    print(f"{'backend':<11} {'phase':<14} {'subm/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} "
          f"{'2xx/3xx':>7} {'rows':>6} {'lost':>4} {'dup':>4} {'conn err':>8}")
    for r in reports:
        print(f"{r['backend']:<11} {r['phase']:<14} {r['accepted_per_s']:>7} "
              f"{r['post']['p50_ms']:>6} {r['post']['p95_ms']:>6} {r['post']['p99_ms']:>6} "
              f"{r['answered_2xx_3xx']:>7} {r['rows_stored']:>6} {r['lost']:>4} "
              f"{r['duplicate_rows'] + r['duplicate_answers']:>4} {r['connection_errors']:>8}")
    for r in reports:
        if r["bare"]:
            bare = r["bare"]
            ratio = r["accepted_per_s"] / bare["requests_per_s"]
            print(f"{r['backend']}: bare Flask endpoint right after: "
                  f"{bare['requests_per_s']:.0f} requests/s (p50 {bare['p50_ms']} ms, "
                  f"p99 {bare['p99_ms']} ms); submissions/s ÷ bare requests/s = {ratio:.3f} "
                  f"(a submission is a GET and a POST: {2 * ratio:.3f} in requests)")
            if r["server_cpu_ms"] and bare["server_cpu_ms"]:
                print(f"{r['backend']}: CPU per submission {r['server_cpu_ms']} ms server, "
                      f"{r['client_cpu_ms']} ms client; per bare request "
                      f"{bare['server_cpu_ms']} ms server, {bare['client_cpu_ms']} ms client "
                      f"(server ratio {bare['server_cpu_ms'] / r['server_cpu_ms']:.3f})")
    print(f"load after: {conditions['after']}")
    print(f"server logs and the SQLite file: {workdir}")
    print(json.dumps({"conditions": conditions, "runs": reports}, ensure_ascii=False))


if __name__ == "__main__":
    main()
